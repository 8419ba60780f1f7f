"""Writes of the reports app: HMS goals, an action for a missed goal, replacement templates.

Every function is keyword-only and atomic, takes the acting person, checks the permission
through core.permissions and writes an AuditEvent in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import OrgUnit, User
from core.permissions import Perm, has_perm
from core.services import _with_history, audit_record

from .models import HmsGoal, ReportTemplate

SURVEY_GOALS = (HmsGoal.Indicator.BAROMETER_FAVOURABLE, HmsGoal.Indicator.ARK_SCORE)


def _require(actor: User, perm: Perm, unit: OrgUnit | None) -> None:
    if not has_perm(actor, perm, unit):
        raise PermissionDenied


def _check_goal(goal: HmsGoal) -> None:
    from .selectors import ARK, BAROMETER, catalog_of

    ind = goal.indicator
    errors: dict[str, Any] = {}
    if ind == HmsGoal.Indicator.REPORT_SIGNED_BY:
        if goal.target_date is None:
            errors["target_date"] = _("Sett datoen rapportene skal være signert innen.")
        goal.target_value = None
    else:
        goal.target_date = None
    if ind in (HmsGoal.Indicator.H2_BELOW, *SURVEY_GOALS) and goal.target_value is None:
        errors["target_value"] = _("Sett en målverdi.")
    if ind == HmsGoal.Indicator.OVERDUE_ACTIONS_CLOSED:
        goal.target_value = None
    if ind in SURVEY_GOALS:
        catalog = catalog_of(BAROMETER if ind == HmsGoal.Indicator.BAROMETER_FAVOURABLE else ARK)
        m = catalog.measure(goal.measure)
        wanted_score = ind == HmsGoal.Indicator.ARK_SCORE
        if m is None or (m.kind == "score") != wanted_score:
            errors["measure"] = _("Velg et spørsmål eller en dimensjon fra undersøkelsen.")
        if goal.target_value is not None and not (Decimal(0) <= goal.target_value <= Decimal(100)):
            errors["target_value"] = _("Målverdien må være mellom 0 og 100.")
    else:
        goal.measure = ""
    if ind == HmsGoal.Indicator.H2_BELOW and goal.target_value is not None and goal.target_value <= 0:
        errors["target_value"] = _("H2-målet må være større enn 0.")
    if errors:
        raise ValidationError(errors)
    if HmsGoal.objects.filter(unit=goal.unit, year=goal.year, indicator=goal.indicator, measure=goal.measure).exclude(pk=goal.pk).exists():
        raise ValidationError(_("Enheten har allerede dette målet for året."))


@transaction.atomic
def goal_create(
    *,
    actor: User,
    unit: OrgUnit,
    year: int,
    indicator: str,
    target_value: Decimal | None = None,
    target_date: dt.date | None = None,
    measure: str = "",
    description: str = "",
) -> HmsGoal:
    """A unit's HMS goal for a year (leaders and the HMS admin: Perm.ACTION_MANAGE)."""
    _require(actor, Perm.ACTION_MANAGE, unit)
    goal = HmsGoal(unit=unit, year=year, indicator=indicator, target_value=target_value, target_date=target_date,
                   measure=measure or "", description=(description or "").strip(), created_by=actor)  # fmt: skip
    _check_goal(goal)
    goal.full_clean()
    _with_history(goal, actor, "created")
    goal.save()
    audit_record(actor=actor, verb="goal.create", target=goal, unit=unit,
                 data={"year": year, "indicator": indicator, "measure": goal.measure})  # fmt: skip
    return goal


@transaction.atomic
def goal_update(
    *,
    actor: User,
    goal: HmsGoal,
    target_value: Decimal | None = None,
    target_date: dt.date | None = None,
    measure: str | None = None,
    description: str | None = None,
) -> HmsGoal:
    goal = HmsGoal.objects.select_for_update().select_related("unit").get(pk=goal.pk)
    _require(actor, Perm.ACTION_MANAGE, goal.unit)
    goal.target_value = target_value
    goal.target_date = target_date
    if measure is not None:
        goal.measure = measure
    if description is not None:
        goal.description = description.strip()
    _check_goal(goal)
    goal.updated_at = timezone.now()
    goal.full_clean()
    _with_history(goal, actor, "updated")
    goal.save()
    audit_record(actor=actor, verb="goal.update", target=goal, unit=goal.unit)
    return goal


@transaction.atomic
def goal_delete(*, actor: User, goal: HmsGoal) -> None:
    goal = HmsGoal.objects.select_for_update().select_related("unit").get(pk=goal.pk)
    _require(actor, Perm.ACTION_MANAGE, goal.unit)
    audit_record(actor=actor, verb="goal.delete", target=goal, unit=goal.unit,
                 data={"year": goal.year, "indicator": goal.indicator, "measure": goal.measure})  # fmt: skip
    _with_history(goal, actor, "deleted")
    goal.delete()


@transaction.atomic
def goal_create_action(*, actor: User, goal: HmsGoal) -> Any:
    """A proposed action in the unit's action plan for a goal that was missed (through
    workflows.services.action_create, which checks Perm.ACTION_PROPOSE)."""
    from workflows import services as wf

    from .documents import goal_text
    from .selectors import GoalData, goal_attainment

    goal = HmsGoal.objects.select_for_update().select_related("unit").get(pk=goal.pk)
    if goal.action_id is not None:
        raise ValidationError(_("Det er allerede laget et tiltak for dette målet."))
    attainment = goal_attainment(goal, GoalData())
    if attainment.status != "missed":
        raise ValidationError(_("Bare mål som ikke er nådd, kan bli tiltak."))
    what, target = goal_text(goal)
    title = _("Følg opp HMS-målet: %(goal)s (%(target)s)") % {"goal": what, "target": target}
    description = _("Målet for %(year)s ble ikke nådd. Resultat: %(result)s, mål: %(target)s.") % {
        "year": goal.year, "result": attainment.value_text or "–", "target": target}  # fmt: skip
    if goal.description:
        description += "\n\n" + goal.description
    action = wf.action_create(actor=actor, unit=goal.unit, title=title[:300], description=description,
                              year=timezone.localdate().year)  # fmt: skip
    goal.action = action
    goal.updated_at = timezone.now()
    _with_history(goal, actor, "action created")
    goal.save(update_fields=["action", "updated_at"])
    audit_record(actor=actor, verb="goal.action", target=goal, unit=goal.unit, data={"action": action.pk})
    return action


@transaction.atomic
def report_template_upload(*, actor: User, kind: str, content: bytes, filename: str) -> ReportTemplate:
    """Replace a built-in Word template, after test-rendering it with sample data (the HMS
    admin: Perm.ORG_ADMINISTER). Problems are raised as a ValidationError in plain words."""
    from .documents import check_template

    _require(actor, Perm.ORG_ADMINISTER, None)
    if kind not in ReportTemplate.Kind.values:
        raise ValidationError(_("Ukjent rapport."))
    problems = check_template(kind, content)
    if problems:
        raise ValidationError(problems)
    digest = hashlib.sha256(content).hexdigest()
    template, _created = ReportTemplate.objects.update_or_create(
        kind=kind,
        defaults={"content": content, "filename": filename[:200], "sha256": digest, "uploaded_by": actor,
                  "uploaded_at": timezone.now()},
    )  # fmt: skip
    audit_record(actor=actor, verb="report_template.upload", target=template, data={"kind": kind, "sha256": digest,
                                                                                    "filename": filename[:200]})  # fmt: skip
    return template


@transaction.atomic
def report_template_reset(*, actor: User, kind: str) -> None:
    """Go back to the built-in template."""
    _require(actor, Perm.ORG_ADMINISTER, None)
    template = ReportTemplate.objects.filter(kind=kind).first()
    if template is None:
        return
    audit_record(actor=actor, verb="report_template.reset", target=template, data={"kind": kind, "sha256": template.sha256})
    template.delete()
