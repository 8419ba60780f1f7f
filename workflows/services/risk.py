"""Risk assessments: rows of probability × consequence (1–5), coloured by the organisation's bands.

    draft ─complete─► completed ─(review: a new draft copies the rows)─► archived when the new one completes

Perm.RISK_MANAGE for every write. Completing creates an action for every row whose risk value is
above the organisation's threshold (open when the row has an owner and a deadline and the person
completing it may assign actions, proposed otherwise), and sets the next review
(every second year by default).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import OrgUnit, User
from core.permissions import Perm, has_perm

from ..models import ActionItem, RiskAssessment, RiskRow, RoundFinding
from ..selectors import workflow_settings
from . import actions as action_services
from ._common import ValidationError, audit, require, require_text, save

S = RiskAssessment.Status


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, d))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _locked(assessment: RiskAssessment) -> RiskAssessment:
    return RiskAssessment.objects.select_related("unit").select_for_update(of=("self",)).get(pk=assessment.pk)


def _draft(assessment: RiskAssessment) -> None:
    if assessment.status != S.DRAFT:
        raise ValidationError(_("Bare utkast kan endres. Start en ny gjennomgang for å endre en fullført vurdering."))


def _risk_create(
    *,
    actor: User | None,
    unit: OrgUnit,
    title: str,
    scope: str = "",
    trigger: str = RiskAssessment.Trigger.PERIODIC,
    source_finding: RoundFinding | None = None,
    previous: RiskAssessment | None = None,
) -> RiskAssessment:
    assessment = RiskAssessment(
        unit=unit,
        title=require_text(title, "title", _("Skriv hva som skal risikovurderes."))[:200],
        scope=(scope or "").strip(),
        trigger=trigger,
        source_finding=source_finding,
        previous=previous,
        created_by=actor,
    )
    save(assessment, actor, "created")
    audit(actor=actor, verb="risk.create", target=assessment, unit=unit,
          data={"trigger": trigger, "previous": previous.pk if previous else None})  # fmt: skip
    return assessment


@transaction.atomic
def risk_create(
    *, actor: User, unit: OrgUnit, title: str, scope: str = "", trigger: str = RiskAssessment.Trigger.PERIODIC
) -> RiskAssessment:
    require(actor, Perm.RISK_MANAGE, unit)
    return _risk_create(actor=actor, unit=unit, title=title, scope=scope, trigger=trigger)


@transaction.atomic
def risk_row_add(
    *,
    actor: User,
    assessment: RiskAssessment,
    activity: str,
    hazard: str,
    probability: int,
    consequence: int,
    category: str = RiskRow.Category.PHYSICAL,
    existing_controls: str = "",
    measure: str = "",
    owner: User | None = None,
    due_date: dt.date | None = None,
    cost_estimate: Decimal | None = None,
) -> RiskRow:
    assessment = _locked(assessment)
    require(actor, Perm.RISK_MANAGE, assessment.unit)
    _draft(assessment)
    if owner is not None and not has_perm(owner, Perm.ACTION_VIEW, assessment.unit):
        raise ValidationError({"owner": _("Den ansvarlige må ha tilgang til enhetens handlingsplan.")})
    row = RiskRow(
        assessment=assessment,
        activity=activity.strip(),
        hazard=require_text(hazard, "hazard", _("Beskriv den uønskede hendelsen.")),
        category=category,
        existing_controls=existing_controls.strip(),
        probability=probability,
        consequence=consequence,
        measure=measure.strip(),
        owner=owner,
        due_date=due_date,
        cost_estimate=cost_estimate,
        position=assessment.rows.count() + 1,
    )
    save(row, actor, "added")
    audit(actor=actor, verb="risk.row_add", target=assessment, unit=assessment.unit,
          data={"row": row.pk, "risk": row.risk_value})  # fmt: skip
    return row


@transaction.atomic
def risk_row_remove(*, actor: User, row: RiskRow) -> None:
    assessment = _locked(row.assessment)
    require(actor, Perm.RISK_MANAGE, assessment.unit)
    _draft(assessment)
    audit(actor=actor, verb="risk.row_remove", target=assessment, unit=assessment.unit,
          data={"row": row.pk, "hazard": row.hazard})  # fmt: skip
    row._history_user = actor  # type: ignore[attr-defined]
    row.delete()


@transaction.atomic
def risk_complete(
    *, actor: User, assessment: RiskAssessment, conclusion: str = "", assessed_on: dt.date | None = None
) -> RiskAssessment:
    """Complete the assessment: rows above the threshold become actions; next review is set."""
    assessment = _locked(assessment)
    require(actor, Perm.RISK_MANAGE, assessment.unit)
    _draft(assessment)
    rows = list(assessment.rows.all())
    if not rows:
        raise ValidationError(_("Legg til minst én uønsket hendelse før vurderingen fullføres."))
    settings = workflow_settings()
    missing = [r.hazard for r in rows if settings.risk_band(r.risk_value) == "red" and not r.measure.strip()]
    if missing:
        raise ValidationError(
            _("Rød risiko krever tiltak: %(rows)s") % {"rows": ", ".join(missing[:5])}
        )
    assessed_on = assessed_on or timezone.localdate()
    assessment.conclusion = conclusion.strip()
    assessment.assessed_on = assessed_on
    assessment.next_review_due = add_months(assessed_on, settings.risk_review_months)
    assessment.status = S.COMPLETED
    assessment.completed_by = actor
    save(assessment, actor, "completed")
    may_assign = has_perm(actor, Perm.ACTION_MANAGE, assessment.unit)
    created = 0
    for row in rows:
        if row.risk_value <= settings.risk_action_threshold or row.actions.exists():
            continue
        ready = may_assign and row.owner_id is not None and row.due_date is not None
        action_services._create(
            actor=actor,
            unit=assessment.unit,
            title=(row.measure.splitlines()[0] if row.measure.strip() else str(_("Reduser risiko: %(hazard)s") % {"hazard": row.hazard}))[:300],
            status=ActionItem.Status.OPEN if ready else ActionItem.Status.PROPOSED,
            description=row.measure,
            owner=row.owner,
            due_date=row.due_date,
            cost_estimate=row.cost_estimate,
            priority="high" if settings.risk_band(row.risk_value) == "red" else "medium",
            source_kind=ActionItem.Source.RISK,
            source_risk_row=row,
        )
        created += 1
    if assessment.previous_id:
        previous = RiskAssessment.objects.select_for_update(of=("self",)).get(pk=assessment.previous_id)
        if previous.status == S.COMPLETED:
            previous.status = S.ARCHIVED
            save(previous, actor, "superseded")
    audit(actor=actor, verb="risk.complete", target=assessment, unit=assessment.unit,
          data={"rows": len(rows), "actions_created": created, "next_review_due": assessment.next_review_due.isoformat()})  # fmt: skip
    return assessment


@transaction.atomic
def risk_start_review(*, actor: User, assessment: RiskAssessment) -> RiskAssessment:
    """Start the periodic review: a new draft with the rows copied, pointing at this one."""
    assessment = _locked(assessment)
    require(actor, Perm.RISK_MANAGE, assessment.unit)
    if assessment.status != S.COMPLETED:
        raise ValidationError(_("Bare fullførte vurderinger kan gjennomgås på nytt."))
    existing = RiskAssessment.objects.filter(previous=assessment).first()
    if existing is not None:
        return existing
    review = _risk_create(
        actor=actor,
        unit=assessment.unit,
        title=assessment.title,
        scope=assessment.scope,
        trigger=RiskAssessment.Trigger.PERIODIC,
        previous=assessment,
    )
    for row in assessment.rows.all():
        copy = RiskRow(
            assessment=review, activity=row.activity, hazard=row.hazard, category=row.category,
            existing_controls=row.existing_controls, probability=row.probability,
            consequence=row.consequence, position=row.position,
        )  # fmt: skip
        save(copy, actor, "copied for review")
    return review
