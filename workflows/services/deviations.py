"""Deviations (avvik): reporting (also without a name), handling to closure, the legal branch.

    reported ─review─► under_review ─measures─► measures ─close─► closed
        └──────reject (not a deviation)──► rejected      closed/rejected ─reopen─► under_review

* report: Perm.DEVIATION_REPORT (anyone in the unit). Without a name, nothing records who
  reported: no reporter, no history user, no audit actor, no log line; the reporter gets a
  receipt code (only its hash is stored) to follow the case.
* handle (review, classify, measures, close, reject, reopen, record notices, learning report):
  Perm.DEVIATION_HANDLE (case handler, unit leader, HMS admin).
* death or serious injury (aml. § 5-2): the leader is alerted at once to notify Arbeidstilsynet
  and the police, the verneombud gets a copy, and who notified when is recorded.
* a verneombud who gets no response raises the case with AMU: Perm.DEVIATION_ESCALATE
  (aml. § 6-2), after the organisation's waiting time or when the deadline has passed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import OrgUnit, User
from core.permissions import Perm, has_perm

from ..models import ActionItem, Deviation, LearningReport
from ..notifications import (
    amu_secretaries,
    notify,
    unit_case_handlers,
    unit_leaders,
    unit_verneombud,
)
from ..selectors import workflow_settings
from . import actions as action_services
from ._common import PermissionDenied, ValidationError, audit, require, require_text, save
from .photos import MAX_PHOTOS, clean_image, photo_store

S = Deviation.Status
C = Deviation.Category

# Crockford's base32: no I, L, O, U, so codes read aloud or typed from paper survive.
_RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_RECEIPT_FIX = str.maketrans({"O": "0", "I": "1", "L": "1"})


def receipt_code_new() -> str:
    """Sixteen random base32 characters (80 bits) in groups of four."""
    raw = "".join(secrets.choice(_RECEIPT_ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def receipt_hash(code: str) -> str:
    normal = "".join(ch for ch in code.upper().translate(_RECEIPT_FIX) if ch in _RECEIPT_ALPHABET)
    return hashlib.sha256(f"verne-receipt:{normal}".encode()).hexdigest()


def _locked(deviation: Deviation) -> Deviation:
    return Deviation.objects.select_related("unit").select_for_update(of=("self",)).get(pk=deviation.pk)


def _state(deviation: Deviation, *states: str) -> None:
    if deviation.status not in states:
        raise ValidationError(_("Avviket kan ikke endres slik i denne statusen."))


def _renotify(deviation: Deviation) -> None:
    """Clear the scheduled commands' bookkeeping: remind, notify and escalate again from now on."""
    deviation.reminder_sent_at = deviation.overdue_notice_sent_at = deviation.escalated_at = None


# ----------------------------------------------------------------------------- reporting


@transaction.atomic
def deviation_report(
    *,
    actor: User,
    unit: OrgUnit,
    category: str,
    what: str,
    location: str,
    occurred_at: dt.datetime,
    involved_party: str = Deviation.Party.OWN,
    actual_severity: int | None = None,
    potential_severity: int | None = None,
    high_potential: bool = False,
    immediate_measures: str = "",
    injury_class: str = "",
    serious_injury: bool = False,
    absence_days: int | None = None,
    anonymous: bool = False,
    photos: Sequence[UploadedFile | bytes] = (),
) -> tuple[Deviation, str | None]:
    """Report a deviation. Returns it and, for an anonymous report, the receipt code (shown once)."""
    require(actor, Perm.DEVIATION_REPORT, unit)
    if anonymous and not workflow_settings().anonymous_reporting:
        raise ValidationError({"anonymous": _("Organisasjonen tillater ikke avviksmeldinger uten navn.")})
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("Legg ved høyst fem bilder.")})
    # Read and clean every photo before anything is stored.
    cleaned = [clean_image(p if isinstance(p, bytes) else p.read()) for p in photos]
    if category != C.INJURY:
        injury_class, serious_injury, absence_days = "", False, None
    if injury_class != Deviation.InjuryClass.LOST_TIME:
        absence_days = None
    code = receipt_code_new() if anonymous else None
    deviation = Deviation(
        unit=unit,
        category=category,
        what=what.strip(),
        location=location.strip(),
        occurred_at=occurred_at,
        reported_at=timezone.now(),
        involved_party=involved_party,
        actual_severity=actual_severity,
        potential_severity=potential_severity,
        high_potential=high_potential,
        immediate_measures=immediate_measures.strip(),
        injury_class=injury_class,
        serious_injury=serious_injury,
        absence_days=absence_days,
        anonymous=anonymous,
        reporter=None if anonymous else actor,
        receipt_hash=receipt_hash(code) if code else "",
    )
    deviation.legal_notice_required = deviation.needs_legal_notice
    if deviation.legal_notice_required:
        deviation.leader_alerted_at = timezone.now()
    # For an anonymous report neither the history nor the audit trail names anyone.
    author = None if anonymous else actor
    save(deviation, author, "reported")
    for jpeg, _w, _h in cleaned:
        photo_store(parent=deviation, upload=jpeg)
    audit(
        actor=author,
        verb="deviation.report",
        target=deviation,
        unit=unit,
        data={"category": category, "high_potential": high_potential, "anonymous": anonymous,
              "photos": len(cleaned)},
    )  # fmt: skip
    notify(
        "deviation_reported",
        recipients=[*unit_case_handlers(unit), *unit_leaders(unit), *unit_verneombud(unit)],
        target=deviation,
        exclude=[author],
    )
    if deviation.legal_notice_required:
        _legal_alert(deviation)
    return deviation, code


def _legal_alert(deviation: Deviation) -> None:
    """Tell the leader at once (aml. § 5-2) and give the verneombud a copy."""
    leaders = unit_leaders(deviation.unit)
    notify("deviation_legal_alert", recipients=leaders, target=deviation)
    notify("deviation_legal_copy", recipients=unit_verneombud(deviation.unit), target=deviation, exclude=leaders)
    audit(actor=None, verb="deviation.legal_alert", target=deviation, unit=deviation.unit,
          data={"leaders": len(leaders)})  # fmt: skip


# ----------------------------------------------------------------------------- handling


@transaction.atomic
def deviation_start_review(
    *, actor: User, deviation: Deviation, deadline: dt.date, case_handler: User | None = None
) -> Deviation:
    deviation = _locked(deviation)
    require(actor, Perm.DEVIATION_HANDLE, deviation.unit)
    _state(deviation, S.REPORTED)
    handler = case_handler or actor
    if not has_perm(handler, Perm.DEVIATION_HANDLE, deviation.unit):
        raise ValidationError({"case_handler": _("Saksbehandleren må kunne behandle avvik i enheten.")})
    if deadline is None or deadline < timezone.localdate():
        raise ValidationError({"deadline": _("Fristen kan ikke være passert.")})
    deviation.case_handler = handler
    if deadline != deviation.deadline:
        _renotify(deviation)
    deviation.deadline = deadline
    deviation.status = S.UNDER_REVIEW
    save(deviation, actor, "review started")
    audit(actor=actor, verb="deviation.review", target=deviation, unit=deviation.unit,
          data={"case_handler": handler.pk, "deadline": deadline.isoformat()})  # fmt: skip
    if handler.pk != actor.pk:
        notify("deviation_assigned", recipients=[handler], target=deviation)
    notify("deviation_received", recipients=[deviation.reporter], target=deviation, exclude=[actor])
    return deviation


EDITABLE_FIELDS = (
    "category", "what", "location", "involved_party", "actual_severity", "potential_severity",
    "high_potential", "immediate_measures", "injury_class", "serious_injury", "absence_days",
    "cause_analysis", "feedback_to_reporter", "deadline",
)  # fmt: skip


@transaction.atomic
def deviation_update(*, actor: User, deviation: Deviation, **values: Any) -> Deviation:
    """The handler classifies, removes personal details from the text, writes the cause analysis."""
    deviation = _locked(deviation)
    require(actor, Perm.DEVIATION_HANDLE, deviation.unit)
    _state(deviation, S.REPORTED, S.UNDER_REVIEW, S.MEASURES)
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    changed = []
    for name, value in values.items():
        if isinstance(value, str):
            value = value.strip()
        if getattr(deviation, name) != value:
            setattr(deviation, name, value)
            changed.append(name)
    if deviation.category != C.INJURY:
        deviation.injury_class, deviation.serious_injury, deviation.absence_days = "", False, None
    if deviation.injury_class != Deviation.InjuryClass.LOST_TIME:
        deviation.absence_days = None
    if not changed:
        return deviation
    if "deadline" in changed:
        _renotify(deviation)
    newly_legal = deviation.needs_legal_notice and not deviation.legal_notice_required
    if newly_legal:
        deviation.legal_notice_required = True
        deviation.leader_alerted_at = timezone.now()
    save(deviation, actor, "updated")
    # Field names only: the values may hold details that were removed on purpose.
    audit(actor=actor, verb="deviation.update", target=deviation, unit=deviation.unit, data={"fields": changed})
    if newly_legal:
        _legal_alert(deviation)
    return deviation


@transaction.atomic
def deviation_add_measure(
    *,
    actor: User,
    deviation: Deviation,
    title: str,
    description: str = "",
    owner: User | None = None,
    due_date: dt.date | None = None,
    cost_estimate: Decimal | None = None,
    priority: str = "medium",
) -> ActionItem:
    """A measure for the deviation: an action in the unit's plan (open when owner and deadline are set)."""
    deviation = _locked(deviation)
    require(actor, Perm.DEVIATION_HANDLE, deviation.unit)
    _state(deviation, S.UNDER_REVIEW, S.MEASURES)
    require_text(title, "title", _("Skriv hva som skal gjøres."))
    if owner is not None and not has_perm(owner, Perm.ACTION_VIEW, deviation.unit):
        raise ValidationError({"owner": _("Den ansvarlige må ha tilgang til enhetens handlingsplan.")})
    ready = owner is not None and due_date is not None
    return action_services._create(
        actor=actor,
        unit=deviation.unit,
        title=title,
        status=ActionItem.Status.OPEN if ready else ActionItem.Status.PROPOSED,
        description=description.strip(),
        owner=owner,
        due_date=due_date,
        cost_estimate=cost_estimate,
        priority=priority,
        source_kind=ActionItem.Source.DEVIATION,
        source_deviation=deviation,
    )


@transaction.atomic
def deviation_plan_measures(
    *, actor: User, deviation: Deviation, cause_analysis: str | None = None, no_measures_reason: str = ""
) -> Deviation:
    """Cause analysis done, measures decided (at least one action, or why none is needed)."""
    deviation = _locked(deviation)
    require(actor, Perm.DEVIATION_HANDLE, deviation.unit)
    _state(deviation, S.UNDER_REVIEW)
    if cause_analysis is not None:
        deviation.cause_analysis = cause_analysis.strip()
    require_text(deviation.cause_analysis, "cause_analysis", _("Skriv årsaksanalysen."))
    deviation.no_measures_reason = no_measures_reason.strip()
    if not deviation.actions.exclude(status__in=[ActionItem.Status.REJECTED, ActionItem.Status.CANCELLED]).exists():
        require_text(deviation.no_measures_reason, "no_measures_reason",
                     _("Legg til minst ett tiltak, eller begrunn hvorfor tiltak ikke trengs."))  # fmt: skip
    deviation.status = S.MEASURES
    save(deviation, actor, "measures planned")
    audit(actor=actor, verb="deviation.measures", target=deviation, unit=deviation.unit,
          data={"actions": deviation.actions.count()})  # fmt: skip
    return deviation


@transaction.atomic
def deviation_close(
    *, actor: User, deviation: Deviation, closing_comment: str, lessons_learned: str, feedback_to_reporter: str = ""
) -> Deviation:
    deviation = _locked(deviation)
    require(actor, Perm.DEVIATION_HANDLE, deviation.unit)
    _state(deviation, S.MEASURES)
    errors: dict[str, Any] = {}
    if not closing_comment.strip():
        errors["closing_comment"] = _("Vurder om tiltakene hindrer at det skjer igjen.")
    if not lessons_learned.strip():
        errors["lessons_learned"] = _("Skriv hva dere lærte.")
    unfinished = deviation.actions.filter(status__in=ActionItem.UNFINISHED).count()
    if unfinished:
        errors["__all__"] = _("Alle tiltak må være utført eller avsluttet før avviket lukkes.")
    if deviation.high_potential and not LearningReport.objects.filter(deviation=deviation).exists():
        errors.setdefault("__all__", _("En hendelse med stort skadepotensial trenger en læringsrapport før lukking."))
    if errors:
        raise ValidationError(errors)
    deviation.closing_comment = closing_comment.strip()
    deviation.lessons_learned = lessons_learned.strip()
    if feedback_to_reporter.strip():
        deviation.feedback_to_reporter = feedback_to_reporter.strip()
    deviation.status = S.CLOSED
    deviation.closed_at = timezone.now()
    deviation.closed_by = actor
    save(deviation, actor, "closed")
    audit(actor=actor, verb="deviation.close", target=deviation, unit=deviation.unit)
    notify("deviation_closed", recipients=[deviation.reporter], target=deviation, exclude=[actor])
    return deviation


@transaction.atomic
def deviation_reject(*, actor: User, deviation: Deviation, reason: str) -> Deviation:
    """Not an HMS deviation (e.g. a facilities request): rejected with a reason the reporter sees."""
    deviation = _locked(deviation)
    require(actor, Perm.DEVIATION_HANDLE, deviation.unit)
    _state(deviation, S.REPORTED, S.UNDER_REVIEW)
    deviation.status_reason = require_text(reason, "reason", _("Skriv hvorfor avviket avvises."))
    deviation.status = S.REJECTED
    deviation.closed_at = timezone.now()
    deviation.closed_by = actor
    save(deviation, actor, "rejected")
    audit(actor=actor, verb="deviation.reject", target=deviation, unit=deviation.unit)
    notify("deviation_closed", recipients=[deviation.reporter], target=deviation, exclude=[actor])
    return deviation


@transaction.atomic
def deviation_reopen(*, actor: User, deviation: Deviation, reason: str) -> Deviation:
    deviation = _locked(deviation)
    require(actor, Perm.DEVIATION_HANDLE, deviation.unit)
    _state(deviation, S.CLOSED, S.REJECTED)
    deviation.status_reason = require_text(reason, "reason", _("Skriv hvorfor avviket gjenåpnes."))
    deviation.status = S.UNDER_REVIEW
    deviation.closed_at = None
    deviation.closed_by = None
    if deviation.case_handler is None:
        deviation.case_handler = actor
    # The deadline may well have passed: remind and notify again from now on.
    _renotify(deviation)
    save(deviation, actor, "reopened")
    audit(actor=actor, verb="deviation.reopen", target=deviation, unit=deviation.unit, data={"reason": deviation.status_reason})
    return deviation


AUTHORITIES = ("arbeidstilsynet", "police")


@transaction.atomic
def deviation_record_notice(
    *, actor: User, deviation: Deviation, authority: str, notified_at: dt.datetime | None = None
) -> Deviation:
    """Record that Arbeidstilsynet or the police were notified (by the actor, at `notified_at`)."""
    deviation = _locked(deviation)
    require(actor, Perm.DEVIATION_HANDLE, deviation.unit)
    if authority not in AUTHORITIES:
        raise ValidationError({"authority": _("Ukjent myndighet.")})
    if not deviation.legal_notice_required:
        raise ValidationError(_("Dette avviket har ikke varslingsplikt."))
    when = notified_at or timezone.now()
    if when > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"notified_at": _("Tidspunktet kan ikke være i fremtiden.")})
    setattr(deviation, f"{authority}_notified_at", when)
    setattr(deviation, f"{authority}_notified_by", actor)
    save(deviation, actor, f"{authority} notified")
    audit(actor=actor, verb="deviation.notice", target=deviation, unit=deviation.unit,
          data={"authority": authority, "at": when.isoformat()})  # fmt: skip
    return deviation


def escalation_possible(deviation: Deviation, today: dt.date | None = None) -> bool:
    """A verneombud may take an open case to AMU when it has waited too long for a response."""
    if not deviation.is_open or deviation.escalated_to_amu_at:
        return False
    today = today or timezone.localdate()
    if deviation.deadline and deviation.deadline < today:
        return True
    wait = dt.timedelta(days=workflow_settings().vo_escalation_wait_days)
    return deviation.status == S.REPORTED and timezone.localtime(deviation.reported_at).date() + wait <= today


@transaction.atomic
def deviation_escalate_to_amu(*, actor: User, deviation: Deviation, reason: str) -> Deviation:
    deviation = _locked(deviation)
    require(actor, Perm.DEVIATION_ESCALATE, deviation.unit)
    if not escalation_possible(deviation):
        raise ValidationError(
            _("Saken kan tas opp med AMU når den ikke er fulgt opp innen fristen eller ventetiden.")
        )
    deviation.escalation_reason = require_text(reason, "reason", _("Skriv hvorfor saken tas opp med AMU."))
    deviation.escalated_to_amu_at = timezone.now()
    deviation.escalated_to_amu_by = actor
    save(deviation, actor, "raised with AMU")
    audit(actor=actor, verb="deviation.escalate_amu", target=deviation, unit=deviation.unit)
    notify("deviation_raised_with_amu", recipients=amu_secretaries(), target=deviation, exclude=[actor])
    return deviation


@transaction.atomic
def deviation_add_photos(*, actor: User, deviation: Deviation, photos: Sequence[UploadedFile | bytes]) -> int:
    deviation = _locked(deviation)
    require(actor, Perm.DEVIATION_HANDLE, deviation.unit)
    if deviation.photos.count() + len(photos) > MAX_PHOTOS * 2:
        raise ValidationError({"photos": _("Avviket har allerede mange bilder.")})
    cleaned = [clean_image(p if isinstance(p, bytes) else p.read()) for p in photos]
    for jpeg, _w, _h in cleaned:
        photo_store(parent=deviation, upload=jpeg)
    audit(actor=actor, verb="deviation.photos", target=deviation, unit=deviation.unit, data={"added": len(cleaned)})
    return len(cleaned)


# ----------------------------------------------------------------------------- learning reports


LEARNING_FIELDS = ("title", "summary", "potential", "causes", "measures", "learning_points")


@transaction.atomic
def learning_report_save(*, actor: User, deviation: Deviation, **values: str) -> LearningReport:
    """Write or revise the one-page learning report (no names: it may be shared across units)."""
    deviation = _locked(deviation)
    require(actor, Perm.DEVIATION_HANDLE, deviation.unit)
    _state(deviation, S.UNDER_REVIEW, S.MEASURES, S.CLOSED)
    unknown = set(values) - set(LEARNING_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    report = LearningReport.objects.filter(deviation=deviation).first() or LearningReport(deviation=deviation)
    created = report.pk is None
    for name in LEARNING_FIELDS:
        setattr(report, name, (values.get(name) or "").strip())
    report.written_by = actor
    report.written_at = timezone.now()
    save(report, actor, "written" if created else "revised")
    audit(actor=actor, verb="learning_report.save", target=report, unit=deviation.unit, data={"created": created})
    return report


@transaction.atomic
def learning_report_share(*, actor: User, report: LearningReport) -> LearningReport:
    """Share the learning report with the whole organisation."""
    report = LearningReport.objects.select_related("deviation__unit").select_for_update(of=("self",)).get(pk=report.pk)
    require(actor, Perm.DEVIATION_HANDLE, report.deviation.unit)
    if report.shared_at:
        return report
    report.shared_at = timezone.now()
    report.shared_by = actor
    save(report, actor, "shared")
    audit(actor=actor, verb="learning_report.share", target=report, unit=report.deviation.unit)
    return report


__all__ = [
    "PermissionDenied",
    "deviation_add_measure",
    "deviation_add_photos",
    "deviation_close",
    "deviation_escalate_to_amu",
    "deviation_plan_measures",
    "deviation_record_notice",
    "deviation_reject",
    "deviation_reopen",
    "deviation_report",
    "deviation_start_review",
    "deviation_update",
    "escalation_possible",
    "learning_report_save",
    "learning_report_share",
    "receipt_code_new",
    "receipt_hash",
]
