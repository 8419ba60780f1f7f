"""HMS rounds (vernerunder) and their findings.

    planned ─conducted─► conducted ─summarise─► summarised ─close─► closed
        └─cancel (reason)─► cancelled

* plan, edit, checklist, findings, mark conducted, close, cancel: Perm.ROUND_MANAGE (leader,
  verneombud, HMS coordinator, HMS admin).
* summarise: only with the leader present, so only a leader (Perm.ACTION_MANAGE: the unit's
  leader or deputy, a leader above, or the HMS admin) does it. Each finding becomes an action
  (owner, deadline, cost estimate), a deviation (breach of rules), a request for a new risk
  assessment (changes the risk picture), or is accepted with a reason.
* the checklist is the built-in `hms_round` questionnaire, answered as a surveys.Response with
  purpose `hms_round` (created through surveys.services.response_create).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import OrgUnit, SafetyArea, User
from core.permissions import Perm, has_perm

from ..models import ActionItem, Deviation, HmsRound, RiskAssessment, RoundFinding
from ..notifications import notify, unit_case_handlers, unit_leaders, unit_verneombud
from ..selectors import planning_snapshot
from . import actions as action_services
from ._common import PermissionDenied, ValidationError, audit, require, require_text, save
from .photos import MAX_PHOTOS, clean_image, photo_store

S = HmsRound.Status
HMS_ROUND_QUESTIONNAIRE = "hms_round"


def _locked(round_: HmsRound) -> HmsRound:
    return HmsRound.objects.select_related("unit", "safety_area").select_for_update(of=("self",)).get(pk=round_.pk)


def _state(round_: HmsRound, *states: str) -> None:
    if round_.status not in states:
        raise ValidationError(_("HMS-runden kan ikke endres slik i denne statusen."))


def _check_area(area: SafetyArea, unit: OrgUnit) -> None:
    if not area.units.filter(pk=unit.pk).exists():
        raise ValidationError({"unit": _("Enheten hører ikke til verneområdet.")})


def _participants_ok(people: Iterable[User], unit: OrgUnit) -> list[User]:
    people = list(people)
    for person in people:
        if not has_perm(person, Perm.ROUND_VIEW, unit):
            raise ValidationError({"participants": _("Alle deltakere må ha tilgang til enhetens HMS-runder.")})
    return people


@transaction.atomic
def round_plan(
    *,
    actor: User | None,
    safety_area: SafetyArea,
    unit: OrgUnit,
    planned_date: dt.date,
    title: str = "",
    participants: Sequence[User] = (),
    focus_topics: str = "",
    cycle_item: object | None = None,
) -> HmsRound:
    """Plan a round (actor None: scheduled by the årshjul). Gathers the planning material counts."""
    require(actor, Perm.ROUND_MANAGE, unit)
    _check_area(safety_area, unit)
    people = _participants_ok(participants, unit)
    round_ = HmsRound(
        safety_area=safety_area,
        unit=unit,
        year=planned_date.year,
        title=(title or "").strip() or str(_("HMS-runde %(area)s %(year)s") % {"area": safety_area.name, "year": planned_date.year}),
        planned_date=planned_date,
        focus_topics=focus_topics.strip(),
        plan_snapshot=planning_snapshot(unit),
        cycle_item=cycle_item,  # type: ignore[misc]
        created_by=actor,
    )
    save(round_, actor, "planned")
    if people:
        round_.participants.set(people)
    audit(actor=actor, verb="round.plan", target=round_, unit=unit,
          data={"planned_date": planned_date.isoformat(), "scheduled": actor is None})  # fmt: skip
    recipients = [*unit_leaders(unit), *unit_verneombud(unit), *people]
    notify("round_scheduled", recipients=recipients, target=round_, exclude=[actor])
    return round_


@transaction.atomic
def round_update(
    *,
    actor: User,
    round_: HmsRound,
    title: str | None = None,
    planned_date: dt.date | None = None,
    participants: Sequence[User] | None = None,
    focus_topics: str | None = None,
    employee_talks: str | None = None,
) -> HmsRound:
    round_ = _locked(round_)
    require(actor, Perm.ROUND_MANAGE, round_.unit)
    _state(round_, S.PLANNED, S.CONDUCTED)
    if title is not None and title.strip():
        round_.title = title.strip()
    if planned_date is not None:
        round_.planned_date = planned_date
        round_.year = planned_date.year
    if focus_topics is not None:
        round_.focus_topics = focus_topics.strip()
    if employee_talks is not None:
        round_.employee_talks = employee_talks.strip()
    save(round_, actor, "updated")
    if participants is not None:
        round_.participants.set(_participants_ok(participants, round_.unit))
    audit(actor=actor, verb="round.update", target=round_, unit=round_.unit)
    return round_


def hms_round_questionnaire_version() -> object | None:
    """The latest version of the built-in `hms_round` questionnaire, if it has been imported."""
    from surveys.models import Questionnaire

    questionnaire = Questionnaire.objects.filter(key=HMS_ROUND_QUESTIONNAIRE).first()
    return questionnaire.latest_version() if questionnaire else None


@transaction.atomic
def round_start_checklist(*, actor: User, round_: HmsRound) -> object:
    """Create the round's checklist response (idempotent) through surveys.services."""
    from surveys import services as survey_services
    from surveys.models import Response

    round_ = _locked(round_)
    require(actor, Perm.ROUND_MANAGE, round_.unit)
    _state(round_, S.PLANNED, S.CONDUCTED)
    if round_.checklist_response_id:
        return round_.checklist_response
    version = hms_round_questionnaire_version()
    if version is None:
        raise ValidationError(_("Sjekklisten for HMS-runder (skjemaet «hms_round») er ikke importert."))
    response = survey_services.response_create(
        actor=actor, version=version, unit=round_.unit, purpose=Response.Purpose.HMS_ROUND
    )
    round_.checklist_response = response
    save(round_, actor, "checklist started")
    audit(actor=actor, verb="round.checklist", target=round_, unit=round_.unit, data={"response": str(response.pk)})
    return response


@transaction.atomic
def finding_add(
    *,
    actor: User,
    round_: HmsRound,
    title: str,
    description: str = "",
    location: str = "",
    kind: str = RoundFinding.Kind.IMPROVEMENT,
    probability: int | None = None,
    consequence: int | None = None,
    proposed_measure: str = "",
    photos: Sequence[UploadedFile | bytes] = (),
) -> RoundFinding:
    round_ = _locked(round_)
    require(actor, Perm.ROUND_MANAGE, round_.unit)
    _state(round_, S.PLANNED, S.CONDUCTED)
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("Legg ved høyst fem bilder.")})
    cleaned = [clean_image(p if isinstance(p, bytes) else p.read()) for p in photos]
    finding = RoundFinding(
        round=round_,
        title=require_text(title, "title", _("Skriv hva dere fant.")),
        description=description.strip(),
        location=location.strip(),
        kind=kind,
        probability=probability,
        consequence=consequence,
        proposed_measure=proposed_measure.strip(),
        resolution=RoundFinding.Resolution.ACCEPTED if kind == RoundFinding.Kind.NOTE else RoundFinding.Resolution.PENDING,
        resolution_note=str(_("Merknad uten oppfølging")) if kind == RoundFinding.Kind.NOTE else "",
        created_by=actor,
    )
    save(finding, actor, "added")
    for jpeg, _w, _h in cleaned:
        photo_store(parent=finding, upload=jpeg)
    audit(actor=actor, verb="round.finding", target=finding, unit=round_.unit,
          data={"round": round_.pk, "kind": kind, "photos": len(cleaned)})  # fmt: skip
    return finding


@transaction.atomic
def round_mark_conducted(
    *, actor: User, round_: HmsRound, conducted_on: dt.date | None = None, employee_talks: str | None = None
) -> HmsRound:
    round_ = _locked(round_)
    require(actor, Perm.ROUND_MANAGE, round_.unit)
    _state(round_, S.PLANNED)
    conducted_on = conducted_on or timezone.localdate()
    if conducted_on > timezone.localdate():
        raise ValidationError({"conducted_on": _("Datoen kan ikke være i fremtiden.")})
    if employee_talks is not None:
        round_.employee_talks = employee_talks.strip()
    imported = _findings_from_checklist(actor, round_)
    round_.conducted_on = conducted_on
    round_.status = S.CONDUCTED
    round_.plan_snapshot = {**round_.plan_snapshot, "at_conduct": planning_snapshot(round_.unit)}
    save(round_, actor, "conducted")
    audit(actor=actor, verb="round.conducted", target=round_, unit=round_.unit,
          data={"conducted_on": conducted_on.isoformat(), "findings": round_.findings.count(),
                "from_checklist": imported})  # fmt: skip
    return round_


def _text(value: object, language: str = "nb") -> str:
    if isinstance(value, dict):
        return str(value.get(language) or value.get("default") or next(iter(value.values()), ""))
    return str(value or "")


def _checkpoints(elements: list[dict[str, object]]) -> Iterator[dict[str, object]]:
    """Checklist questions with an "improve" choice, wherever they sit in pages and panels."""
    for element in elements:
        choices = element.get("choices") or []
        if element.get("type") == "radiogroup" and any(
            (c.get("value") if isinstance(c, dict) else c) == "improve" for c in choices  # type: ignore[union-attr]
        ):
            yield element
        yield from _checkpoints(element.get("elements") or [])  # type: ignore[arg-type]


def _scale(value: object) -> int | None:
    return value if isinstance(value, int) and 1 <= value <= 5 else None


def _findings_from_checklist(actor: User, round_: HmsRound) -> int:
    """Every checkpoint answered "needs improvement" in the checklist becomes a finding (once).

    The built-in `hms_round` questionnaire asks, for such a checkpoint, `<name>_finding`,
    `<name>_is_breach`, `<name>_prob`, `<name>_cons`, `<name>_measure` and `<name>_needs_ra`.
    """
    response = round_.checklist_response
    if response is None:
        return 0
    answers = response.answers or {}
    pages = (response.version.definition or {}).get("pages") or []
    existing = set(round_.findings.exclude(checklist_item="").values_list("checklist_item", flat=True))
    created = 0
    for element in _checkpoints([e for page in pages for e in (page.get("elements") or [])]):
        name = str(element.get("name") or "")
        if not name or answers.get(name) != "improve" or name in existing:
            continue
        kind = RoundFinding.Kind.IMPROVEMENT
        if answers.get(f"{name}_needs_ra") is True:
            kind = RoundFinding.Kind.RISK_CHANGE
        if answers.get(f"{name}_is_breach") is True:
            kind = RoundFinding.Kind.BREACH
        finding = RoundFinding(
            round=round_,
            checklist_item=name[:100],
            title=_text(element.get("title") or name)[:200],
            description=str(answers.get(f"{name}_finding") or "").strip(),
            kind=kind,
            probability=_scale(answers.get(f"{name}_prob")),
            consequence=_scale(answers.get(f"{name}_cons")),
            proposed_measure=str(answers.get(f"{name}_measure") or "").strip(),
            created_by=actor,
        )
        save(finding, actor, "from the checklist")
        created += 1
    return created


@dataclass(kw_only=True)
class FindingDecision:
    """What the summary decides for one finding."""

    finding: RoundFinding
    resolution: str  # RoundFinding.Resolution value
    owner: User | None = None
    due_date: dt.date | None = None
    cost_estimate: Decimal | None = None
    priority: str = "medium"
    note: str = ""  # the reason when accepted


def may_summarise(user: User, round_: HmsRound) -> bool:
    return has_perm(user, Perm.ACTION_MANAGE, round_.unit)


@transaction.atomic
def round_summarise(
    *, actor: User, round_: HmsRound, decisions: Sequence[FindingDecision], summary_notes: str = ""
) -> HmsRound:
    """The summing-up, with the leader: every open finding is resolved."""
    round_ = _locked(round_)
    if not may_summarise(actor, round_):
        raise PermissionDenied
    _state(round_, S.CONDUCTED)
    pending = {f.pk: f for f in round_.findings.filter(resolution=RoundFinding.Resolution.PENDING)}
    by_finding = {d.finding.pk: d for d in decisions}
    missing = set(pending) - set(by_finding)
    if missing:
        raise ValidationError(_("Bestem oppfølging for alle funn."))
    R = RoundFinding.Resolution
    created = {"actions": 0, "deviations": 0, "risk_assessments": 0, "accepted": 0}
    for finding_pk, finding in pending.items():
        decision = by_finding[finding_pk]
        if decision.resolution == R.ACTION:
            if decision.owner is None or decision.due_date is None:
                raise ValidationError(_("Tiltak fra runden trenger ansvarlig og frist: %(title)s") % {"title": finding.title})
            action = action_services._create(
                actor=actor,
                unit=round_.unit,
                title=(finding.proposed_measure or finding.title)[:300],
                status=ActionItem.Status.OPEN,
                description=finding.description,
                owner=decision.owner,
                due_date=decision.due_date,
                cost_estimate=decision.cost_estimate,
                priority=decision.priority,
                source_kind=ActionItem.Source.ROUND,
                source_finding=finding,
            )
            finding.action = action
            created["actions"] += 1
        elif decision.resolution == R.DEVIATION:
            finding.deviation = _deviation_from_finding(actor, round_, finding, decision)
            created["deviations"] += 1
        elif decision.resolution == R.RISK_ASSESSMENT:
            from .risk import _risk_create

            finding.risk_assessment = _risk_create(
                actor=actor,
                unit=round_.unit,
                title=finding.title,
                scope=finding.description,
                trigger=RiskAssessment.Trigger.ROUND_FINDING,
                source_finding=finding,
            )
            created["risk_assessments"] += 1
        elif decision.resolution == R.ACCEPTED:
            finding.resolution_note = require_text(
                decision.note, "note", _("Begrunn hvorfor funnet godtas: %(title)s") % {"title": finding.title}
            )
            created["accepted"] += 1
        else:
            raise ValidationError(_("Bestem oppfølging for alle funn."))
        finding.resolution = decision.resolution
        save(finding, actor, f"resolved: {decision.resolution}")
    round_.summary_notes = summary_notes.strip()
    round_.summarised_at = timezone.now()
    round_.summarised_by = actor
    round_.status = S.SUMMARISED
    save(round_, actor, "summarised")
    audit(actor=actor, verb="round.summarise", target=round_, unit=round_.unit, data=created)
    return round_


def _deviation_from_finding(actor: User, round_: HmsRound, finding: RoundFinding, decision: FindingDecision) -> Deviation:
    """A breach found on the round becomes a deviation, already under review."""
    handler = next(iter(unit_case_handlers(round_.unit)), None) or actor
    deadline = decision.due_date or (timezone.localdate() + dt.timedelta(days=30))
    occurred = min(
        timezone.now(), timezone.make_aware(dt.datetime.combine(round_.conducted_on or timezone.localdate(), dt.time(12)))
    )
    deviation = Deviation(
        unit=round_.unit,
        category=Deviation.Category.ROUTINE_BREACH,
        what=finding.description or finding.title,
        location=finding.location or round_.safety_area.name,
        occurred_at=occurred,
        reporter=actor,
        status=Deviation.Status.UNDER_REVIEW,
        case_handler=handler,
        deadline=deadline,
        source_finding=finding,
    )
    save(deviation, actor, "reported from HMS round")
    for photo in finding.photos.all():
        photo_store(parent=deviation, upload=photo.image.open("rb").read())
    audit(actor=actor, verb="deviation.report", target=deviation, unit=round_.unit,
          data={"category": deviation.category, "round": round_.pk, "finding": finding.pk})  # fmt: skip
    if handler.pk != actor.pk:
        notify("deviation_assigned", recipients=[handler], target=deviation)
    return deviation


@transaction.atomic
def round_close(*, actor: User, round_: HmsRound) -> HmsRound:
    round_ = _locked(round_)
    require(actor, Perm.ROUND_MANAGE, round_.unit)
    _state(round_, S.SUMMARISED)
    round_.status = S.CLOSED
    round_.closed_at = timezone.now()
    save(round_, actor, "closed")
    audit(actor=actor, verb="round.close", target=round_, unit=round_.unit)
    return round_


@transaction.atomic
def round_cancel(*, actor: User, round_: HmsRound, reason: str) -> HmsRound:
    round_ = _locked(round_)
    require(actor, Perm.ROUND_MANAGE, round_.unit)
    _state(round_, S.PLANNED)
    round_.cancel_reason = require_text(reason, "reason", _("Skriv hvorfor runden avlyses."))
    round_.status = S.CANCELLED
    save(round_, actor, "cancelled")
    audit(actor=actor, verb="round.cancel", target=round_, unit=round_.unit, data={"reason": round_.cancel_reason})
    return round_
