"""Reads for questionnaires, campaigns and responses that span relations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from core.models import OrgUnit, User
from core.permissions import Perm, units_with_perm

from .models import Campaign, Mode, Response, ResponseSignature


@dataclass
class UnitStatus:
    unit: OrgUnit
    response: Response | None
    signatures: list[ResponseSignature] = field(default_factory=list)

    @property
    def state(self) -> str:
        if self.response is None:
            return "missing"
        return self.response.status


def campaign_unit_status(campaign: Campaign) -> list[UnitStatus]:
    """Each unit of a joint campaign with its response and active signatures."""
    responses = {
        r.unit_id: r
        for r in campaign.responses.filter(person__isnull=True).prefetch_related(
            Prefetch(
                "signatures",
                queryset=ResponseSignature.objects.filter(voided_at__isnull=True).select_related("signer"),
                to_attr="active_sigs",
            )
        )
    }
    rows = []
    for unit in campaign.units.order_by("path"):
        response = responses.get(unit.pk)
        rows.append(
            UnitStatus(unit=unit, response=response, signatures=getattr(response, "active_sigs", []) if response else [])
        )
    return rows


def responses_for_user(user: User, *, statuses: tuple[str, ...] | None = None) -> QuerySet[Response]:
    """Joint responses the person may edit, plus their own individual responses."""
    units = units_with_perm(user, Perm.RESPONSE_EDIT)
    qs = Response.objects.filter(
        Q(person__isnull=True, unit__in=units) | Q(person=user),
        Q(campaign__isnull=True) | Q(campaign__status=Campaign.Status.OPEN),
    ).select_related("campaign", "version__questionnaire", "unit")
    if statuses:
        qs = qs.filter(status__in=statuses)
    return qs.order_by("campaign__closes_on", "unit_name")


@dataclass
class ResponseTask:
    response: Response
    action: str  # "answer" or "sign"
    due: dt.date | None
    overdue: bool


def response_tasks_for_user(user: User) -> list[ResponseTask]:
    """Responses waiting for this person: to answer, or to sign (with deadlines)."""
    from .services import signing_capacities  # services imports selectors' siblings only

    today = timezone.localdate()
    tasks = []
    open_responses = responses_for_user(
        user,
        statuses=(Response.Status.DRAFT, Response.Status.SIGNED_BY_ONE, Response.Status.REOPENED),
    ).prefetch_related(
        Prefetch(
            "signatures",
            queryset=ResponseSignature.objects.filter(voided_at__isnull=True),
            to_attr="active_sigs",
        )
    )
    for response in open_responses:
        if response.campaign and response.campaign.mode == Mode.ANONYMOUS:
            continue
        due = response.campaign.closes_on if response.campaign else None
        signed = {s.capacity for s in response.active_sigs}
        mine = {s.capacity for s in response.active_sigs if s.signer_id == user.pk}
        can_sign = [c for c, _ in signing_capacities(user, response) if c not in signed]
        if response.status == Response.Status.SIGNED_BY_ONE and can_sign and not mine:
            action = "sign"
        elif mine:
            continue  # waiting for the other signer
        else:
            action = "answer"
        tasks.append(ResponseTask(response=response, action=action, due=due, overdue=bool(due and due < today)))
    return tasks


def response_question_titles(response: Response, locale: str) -> dict[str, str]:
    from . import engine_api

    return engine_api.question_titles(response.version, locale)


def responses_in_units(units: Any, *, year: int | None = None) -> QuerySet[Response]:
    qs = Response.objects.filter(unit__in=units).select_related("campaign", "version__questionnaire")
    if year is not None:
        qs = qs.filter(campaign__year=year)
    return qs


def individual_campaigns_open_for(user: User) -> list[Campaign]:
    """Open named campaigns for the person's units that they have not submitted yet."""
    from core.models import Membership

    unit_ids = Membership.objects.active().filter(user=user, unit__isnull=False).values_list("unit_id", flat=True)
    campaigns = (
        Campaign.objects.filter(mode=Mode.INDIVIDUAL, status=Campaign.Status.OPEN, units__in=unit_ids,
                                opens_on__lte=timezone.localdate())  # fmt: skip
        .exclude(responses__person=user, responses__status=Response.Status.SUBMITTED)
        .select_related("version__questionnaire")
        .distinct()
    )
    return list(campaigns.order_by("closes_on"))
