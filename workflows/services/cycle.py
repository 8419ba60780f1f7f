"""The årshjul (annual cycle), organisation settings and personal calendar feeds.

`annual_cycle_run(today=...)` is run by the scheduled command: each active item whose date has
come this year is claimed with a conditional UPDATE (`last_run_year`), so a second copy of the
command running at the same time does nothing with it. Then:
* HMS rounds: a planned round for every active safety area in the item's scope;
* campaigns: opened through `surveys.services.campaign_open_scheduled` when the surveys app
  provides it; until then the run is recorded as needing a manual step;
* other kinds (deadlines, AMU meetings, reviews, meetings) are calendar entries: recorded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import OrgUnit, SafetyArea, User
from core.permissions import Perm
from core.selectors import organisation_root

from ..models import AnnualCycleItem, AnnualCycleRun, CalendarFeedToken, HmsRound, WorkflowSettings
from ..selectors import workflow_settings
from ._common import ValidationError, audit, require, save
from .rounds import round_plan

K = AnnualCycleItem.Kind

CYCLE_FIELDS = ("kind", "title", "title_en", "description", "month", "day", "unit", "questionnaire_key",
                "open_days", "active")  # fmt: skip


@transaction.atomic
def cycle_item_create(*, actor: User, **values: Any) -> AnnualCycleItem:
    """A new årshjul item. If its date has already passed this year, it starts next year."""
    require(actor, Perm.ORG_ADMINISTER, None)
    unknown = set(values) - set(CYCLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    item = AnnualCycleItem(created_by=actor, **values)
    today = timezone.localdate()
    item.full_clean()
    if item.date_in(today.year) < today:
        item.last_run_year = today.year
    save(item, actor, "created")
    audit(actor=actor, verb="cycle.create", target=item, unit=item.unit,
          data={"kind": item.kind, "month": item.month, "day": item.day})  # fmt: skip
    return item


@transaction.atomic
def cycle_item_update(*, actor: User, item: AnnualCycleItem, **values: Any) -> AnnualCycleItem:
    require(actor, Perm.ORG_ADMINISTER, None)
    unknown = set(values) - set(CYCLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    item = AnnualCycleItem.objects.select_for_update(of=("self",)).get(pk=item.pk)
    changed = [k for k, v in values.items() if getattr(item, k) != v]
    for key, value in values.items():
        setattr(item, key, value)
    if not changed:
        return item
    save(item, actor, "updated")
    audit(actor=actor, verb="cycle.update", target=item, unit=item.unit, data={"fields": changed})
    return item


SETTINGS_FIELDS = ("reminder_days_before", "escalation_days_overdue", "vo_escalation_wait_days",
                   "anonymous_reporting", "risk_green_max", "risk_red_min", "risk_action_threshold",
                   "risk_review_months", "fatalities_in_h1")  # fmt: skip


@transaction.atomic
def workflow_settings_update(*, actor: User, **values: Any) -> WorkflowSettings:
    require(actor, Perm.ORG_ADMINISTER, None)
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    root = organisation_root()
    if root is None:
        raise ValidationError(_("Organisasjonen er ikke satt opp."))
    current = workflow_settings()
    if current.pk:
        current = WorkflowSettings.objects.select_for_update(of=("self",)).get(pk=current.pk)
    changes = {k: [getattr(current, k), v] for k, v in values.items() if getattr(current, k) != v}
    for key, value in values.items():
        setattr(current, key, value)
    if not changes and current.pk:
        return current
    save(current, actor, "updated")
    audit(actor=actor, verb="workflow_settings.update", target=current, unit=root, data={"changes": changes})
    return current


# ----------------------------------------------------------------------------- calendar feed


def calendar_token_hash(token: str) -> str:
    return hashlib.sha256(f"verne-ics:{token}".encode()).hexdigest()


@transaction.atomic
def calendar_token_create(*, actor: User) -> str:
    """A new secret for the person's calendar feed (the old link stops working). Shown once."""
    token = secrets.token_urlsafe(32)
    CalendarFeedToken.objects.filter(user=actor).delete()
    feed = CalendarFeedToken(user=actor, token_hash=calendar_token_hash(token))
    save(feed, actor, "created")
    audit(actor=actor, verb="calendar_feed.create", target=feed, unit=None)
    return token


@transaction.atomic
def calendar_token_revoke(*, actor: User) -> None:
    for feed in CalendarFeedToken.objects.filter(user=actor):
        audit(actor=actor, verb="calendar_feed.revoke", target=feed, unit=None)
        feed._history_user = actor  # type: ignore[attr-defined]
        feed.delete()


def calendar_token_user(token: str) -> User | None:
    if not token or len(token) > 100:
        return None
    feed = CalendarFeedToken.objects.filter(token_hash=calendar_token_hash(token)).select_related("user").first()
    if feed is None or not feed.user.is_active:
        return None
    CalendarFeedToken.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed.user


# ----------------------------------------------------------------------------- the scheduled run


def _areas_in_scope(item: AnnualCycleItem, on: dt.date) -> list[tuple[SafetyArea, OrgUnit]]:
    """Active safety areas with a unit in the item's scope, each with the unit to plan the round in."""
    units = OrgUnit.objects.active(on)
    if item.unit_id:
        units = units.filter(path__startswith=item.unit.path)
    in_scope = set(units.values_list("pk", flat=True))
    result = []
    for area in SafetyArea.objects.active(on).prefetch_related("units").order_by("code"):
        candidates = [u for u in area.units.all() if u.pk in in_scope]
        if candidates:
            result.append((area, min(candidates, key=lambda u: u.path)))
    return result


def _schedule_rounds(item: AnnualCycleItem, year: int, on: dt.date) -> dict[str, Any]:
    planned = item.date_in(year) + dt.timedelta(days=item.open_days)
    created = []
    for area, unit in _areas_in_scope(item, on):
        if HmsRound.objects.filter(cycle_item=item, safety_area=area, year=planned.year).exists():
            continue
        round_ = round_plan(
            actor=None, safety_area=area, unit=unit, planned_date=planned, title=item.title and
            f"{item.title} – {area.name}", cycle_item=item,
        )  # fmt: skip
        created.append(round_.pk)
    return {"rounds": created, "planned_date": planned.isoformat()}


def _open_campaign(item: AnnualCycleItem, year: int) -> tuple[str, dict[str, Any]]:
    from surveys import services as survey_services

    opener = getattr(survey_services, "campaign_open_scheduled", None)
    opens_on = item.date_in(year)
    closes_on = opens_on + dt.timedelta(days=item.open_days)
    detail: dict[str, Any] = {
        "questionnaire_key": item.questionnaire_key,
        "opens_on": opens_on.isoformat(),
        "closes_on": closes_on.isoformat(),
        "unit": item.unit.code if item.unit else None,
    }
    if opener is None:
        detail["waiting_for"] = "surveys.services.campaign_open_scheduled"
        return AnnualCycleRun.Outcome.RECORDED, detail
    units = list(OrgUnit.objects.active(opens_on).filter(path__startswith=item.unit.path)) if item.unit else None
    campaign = opener(
        questionnaire_key=item.questionnaire_key, year=year, title=item.title, opens_on=opens_on,
        closes_on=closes_on, units=units,
    )  # fmt: skip
    detail["campaign"] = str(campaign.pk)
    return AnnualCycleRun.Outcome.DONE, detail


def annual_cycle_due(today: dt.date) -> list[AnnualCycleItem]:
    items = AnnualCycleItem.objects.filter(active=True).filter(
        Q(last_run_year__isnull=True) | Q(last_run_year__lt=today.year)
    ).select_related("unit")
    return [item for item in items if item.date_in(today.year) <= today]


def annual_cycle_run(*, today: dt.date | None = None) -> list[AnnualCycleRun]:
    """Act on every årshjul item whose date has come this year. Idempotent; safe to run twice."""
    today = today or timezone.localdate()
    runs = []
    for item in annual_cycle_due(today):
        with transaction.atomic():
            claimed = (
                AnnualCycleItem.objects.filter(pk=item.pk, active=True)
                .filter(Q(last_run_year__isnull=True) | Q(last_run_year__lt=today.year))
                .update(last_run_year=today.year)
            )
            if claimed != 1:
                continue  # another copy of the command took it
            if item.kind == K.HMS_ROUND:
                outcome, detail = AnnualCycleRun.Outcome.DONE, _schedule_rounds(item, today.year, today)
            elif item.kind == K.CAMPAIGN:
                outcome, detail = _open_campaign(item, today.year)
            else:
                outcome, detail = AnnualCycleRun.Outcome.RECORDED, {"date": item.date_in(today.year).isoformat()}
            run = AnnualCycleRun(item=item, year=today.year, outcome=outcome, detail=detail)
            save(run, None, "scheduled run")
            audit(actor=None, verb="cycle.run", target=item, unit=item.unit,
                  data={"year": today.year, "outcome": outcome, **detail})  # fmt: skip
            runs.append(run)
    return runs
