"""Retention: one setting per kind of record (VERNE_RETENTION_DAYS, README "Privacy and
retention"), applied by `manage.py apply_retention`. Idempotent: run it daily; a second run on
the same day finds nothing to do. 0 days means "keep".

Anonymous survey data have their own command and settings (`apply_survey_retention`,
surveys/anon/retention.py); this module does not touch them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import AuditEvent, Membership, User
from core.selectors import organisation_root
from core.services import audit_record
from workflows.models import Deviation, HmsRound, Photo

from . import services
from .selectors import history_models


@dataclass(frozen=True)
class Kind:
    key: str
    label: object
    explanation: object
    apply: Callable[[dt.datetime, int], int]


def _cutoff(now: dt.datetime, days: int) -> dt.datetime:
    return now - dt.timedelta(days=days)


def _audit_events(now: dt.datetime, days: int) -> int:
    deleted, _ = AuditEvent.objects.filter(at__lt=_cutoff(now, days)).exclude(verb="retention.apply").delete()
    return deleted


def _history(now: dt.datetime, days: int) -> int:
    """History rows older than the limit, except each object's newest row (its last known state)."""
    total = 0
    cutoff = _cutoff(now, days)
    for model in history_models():
        pk_name = model.instance_type._meta.pk.attname  # type: ignore[attr-defined]
        newest = model.objects.values(pk_name).annotate(last=Max("history_id")).values_list("last", flat=True)  # type: ignore[attr-defined]
        deleted, _ = model.objects.filter(history_date__lt=cutoff).exclude(history_id__in=list(newest)).delete()  # type: ignore[attr-defined]
        total += deleted
    return total


def _deviation_reporters(now: dt.datetime, days: int) -> int:
    """Closed deviations forget who reported them (also in their history) and their receipt code."""
    old = Deviation.objects.filter(closed_at__lt=_cutoff(now, days)).filter(
        Q(reporter__isnull=False) | ~Q(receipt_hash="")
    )
    ids = list(old.values_list("pk", flat=True))
    if not ids:
        return 0
    Deviation.objects.filter(pk__in=ids).update(reporter=None, receipt_hash="")
    Deviation.history.filter(id__in=ids).exclude(reporter_id=None).update(reporter_id=None)  # type: ignore[attr-defined]
    return len(ids)


def _photos(now: dt.datetime, days: int) -> int:
    """Photos of deviations and HMS rounds closed longer ago than the limit (rows and files)."""
    cutoff = _cutoff(now, days)
    closed_rounds = HmsRound.objects.filter(closed_at__lt=cutoff).values("pk")
    photos = Photo.objects.filter(Q(deviation__closed_at__lt=cutoff) | Q(finding__round__in=closed_rounds))
    count = 0
    for photo in photos:
        name = photo.image.name
        storage = photo.image.storage
        photo.delete()
        transaction.on_commit(lambda name=name, storage=storage: storage.delete(name) if name else None)
        count += 1
    return count


def _former_employees(now: dt.datetime, days: int) -> int:
    """People whose last role ended longer ago than the limit and who hold none now."""
    today = timezone.localdate(now)
    cutoff = today - dt.timedelta(days=days)
    active = Membership.objects.active(today).values("user_id")
    candidates = (
        User.objects.filter(is_superuser=False, memberships__isnull=False)
        .exclude(pk__in=active)
        .exclude(username__startswith=services.PSEUDONYM_PREFIX)
        .annotate(last_end=Max("memberships__valid_to"))
        .filter(last_end__lt=cutoff)
        .exclude(memberships__valid_to__isnull=True)
    )
    count = 0
    for person in candidates.distinct():
        services.person_anonymise(actor=None, person=person, reason="retention")
        count += 1
    return count


def _task_results(now: dt.datetime, days: int) -> int:
    if not apps.is_installed("django_tasks_db"):
        return 0
    from django_tasks_db.models import DBTaskResult

    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=_cutoff(now, days)).delete()
    return deleted


def _sessions(now: dt.datetime, days: int) -> int:
    deleted, _ = Session.objects.filter(expire_date__lt=now).delete()
    return deleted


KINDS: list[Kind] = [
    Kind("audit_events", _("Revisjonslogg"), _("Hendelser i revisjonsloggen slettes etter fristen."), _audit_events),
    Kind("history", _("Endringshistorikk"),
         _("Eldre historikkrader slettes; den siste versjonen av hver post beholdes."), _history),
    Kind("deviation_reporters", _("Melder av avvik"),
         _("Lukkede avvik mister koblingen til den som meldte dem, og kvitteringskoden slutter å virke."),
         _deviation_reporters),
    Kind("photos", _("Bilder"), _("Bilder fra lukkede avvik og HMS-runder slettes."), _photos),
    Kind("former_employees", _("Tidligere ansatte"),
         _("Personer uten roller anonymiseres når siste rolle sluttet for lenge siden."), _former_employees),
    Kind("task_results", _("Bakgrunnsjobber"), _("Resultater av fullførte bakgrunnsjobber slettes."), _task_results),
    Kind("sessions", _("Innloggingsøkter"), _("Utløpte økter slettes (alltid, uansett frist)."), _sessions),
]  # fmt: skip


@dataclass
class Report:
    now: dt.datetime
    done: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


def retention_days() -> dict[str, int]:
    return {kind.key: int(settings.VERNE_RETENTION_DAYS.get(kind.key, 0)) for kind in KINDS}


def apply_retention(*, now: dt.datetime | None = None, dry_run: bool = False, only: list[str] | None = None) -> Report:
    """Apply every kind's retention. Each kind is one transaction; `dry_run` rolls it back."""
    now = now or timezone.now()
    report = Report(now=now)
    days_by_kind = retention_days()
    for kind in KINDS:
        if only and kind.key not in only:
            continue
        days = days_by_kind[kind.key]
        if days <= 0 and kind.key != "sessions":
            report.skipped.append(kind.key)
            continue
        with transaction.atomic():
            count = kind.apply(now, days)
            root = organisation_root()
            if count and not dry_run and kind.key != "sessions" and root is not None:
                audit_record(
                    actor=None, verb="retention.apply", target=root, unit=root,
                    data={"kind": kind.key, "days": days, "count": count},
                )  # fmt: skip
            if dry_run:
                transaction.set_rollback(True)
        report.done[kind.key] = count
    return report

