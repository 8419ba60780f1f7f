"""Writes for questionnaires, campaigns and responses (audited, atomic, keyword-only)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from core.models import OrgUnit, User
from core.services import audit_record

from .models import Campaign, QuestionnaireVersion, Response


def _with_history(obj: object, actor: User | None, reason: str) -> None:
    obj._history_user = actor  # type: ignore[attr-defined]
    obj._change_reason = reason  # type: ignore[attr-defined]


@transaction.atomic
def response_create(
    *,
    actor: User | None,
    version: QuestionnaireVersion,
    unit: OrgUnit,
    campaign: Campaign | None = None,
    person: User | None = None,
    purpose: str = Response.Purpose.CAMPAIGN,
    answers: dict[str, object] | None = None,
) -> Response:
    """Start a response (joint when `person` is None). Records the unit as it is today."""
    response = Response(
        version=version,
        campaign=campaign,
        purpose=purpose,
        unit=unit,
        unit_code=unit.code,
        unit_name=unit.name,
        person=person,
        answers=answers or {},
        updated_at=timezone.now(),
    )
    response.full_clean()
    _with_history(response, actor, "created")
    response.save()
    audit_record(
        actor=actor,
        verb="response.create",
        target=response,
        unit=unit,
        data={"version": version.pk, "campaign": str(campaign.pk) if campaign else None, "purpose": purpose},
    )
    return response
