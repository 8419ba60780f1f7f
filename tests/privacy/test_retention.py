"""Retention per kind of record (`manage.py apply_retention`): applied once, idempotent."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import time_machine
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from core import services as core_services
from core.models import AuditEvent, Membership, Role, User
from core.privacy.retention import apply_retention
from tests.conftest import Org
from tests.workflows import factories as f
from workflows import services as wf_services
from workflows.models import Deviation, Photo


def _close(org: Org, deviation: Deviation) -> Deviation:
    handler = org.person(Role.CASE_HANDLER, "a")
    d = wf_services.deviation_start_review(actor=handler, deviation=deviation, deadline=timezone.localdate())
    d = wf_services.deviation_plan_measures(actor=handler, deviation=d, cause_analysis="Vann",
                                            no_measures_reason="Engangstilfelle")  # fmt: skip
    return wf_services.deviation_close(actor=handler, deviation=d, closing_comment="Ok.", lessons_learned="Tørk opp.")


def _run(**kw: Any) -> dict[str, int]:
    return apply_retention(**kw).done


def test_each_kind_is_applied_after_its_period_and_a_second_run_does_nothing(
    org: Org, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.VERNE_RETENTION_DAYS = {
        "audit_events": 365, "history": 365, "deviation_reporters": 30, "photos": 30,
        "former_employees": 90, "task_results": 30, "sessions": 1,
    }  # fmt: skip
    reporter = org.person(Role.EMPLOYEE, "a")
    with time_machine.travel(dt.datetime(2024, 1, 10, 12, tzinfo=dt.UTC)):
        old_event = core_services.audit_record(actor=None, verb="test.old", target=org.a)
        deviation = f.deviation(org, "a", anonymous=False, reporter=reporter)
        Photo.objects.create(deviation=deviation, image=default_storage.save("workflows/photos/x.jpg", StringIO("jpeg")))
        deviation = _close(org, deviation)
        leaver = core_services.person_create(actor=None, username="sluttet", first_name="Sluttet", last_name="Person")
        m = core_services.membership_grant(actor=None, user=leaver, role=Role.EMPLOYEE, unit=org.a,
                                           valid_from=dt.date(2020, 1, 1))  # fmt: skip
        core_services.membership_end(actor=None, membership=m, on=dt.date(2024, 1, 1))
    photo_name = Photo.objects.get().image.name
    assert default_storage.exists(photo_name)

    # A month later nothing is old enough except the deviation's reporter and photo.
    with time_machine.travel(dt.datetime(2024, 2, 20, 12, tzinfo=dt.UTC)), \
            django_capture_on_commit_callbacks(execute=True):  # files are deleted after commit
        done = _run()
    assert done["deviation_reporters"] == 1 and done["photos"] == 1
    assert done["audit_events"] == 0 and done["former_employees"] == 0
    deviation.refresh_from_db()
    assert deviation.reporter is None and deviation.receipt_hash == ""
    assert not Deviation.history.filter(id=deviation.pk, reporter_id=reporter.pk).exists()
    assert not Photo.objects.exists() and not default_storage.exists(photo_name)

    # Two years later: old audit events, old history rows and the person who left.
    with time_machine.travel(dt.datetime(2026, 2, 20, 12, tzinfo=dt.UTC)):
        history_before = Membership.history.filter(user_id=leaver.pk).count()
        done = _run()
        assert done["audit_events"] >= 1 and not AuditEvent.objects.filter(pk=old_event.pk).exists()
        assert done["history"] >= 1
        assert done["former_employees"] == 1
        leaver.refresh_from_db()
        assert leaver.username == f"tidligere-ansatt-{leaver.pk}" and not leaver.is_active
        # Each object keeps its newest history row.
        assert 1 <= Membership.history.filter(user_id=leaver.pk).count() < history_before + 1
        assert Deviation.history.filter(id=deviation.pk).exists()
        # Idempotent: the same day again changes nothing.
        again = _run()
        assert all(count == 0 for key, count in again.items() if key != "sessions"), again
        assert AuditEvent.objects.filter(verb="retention.apply").count() == 5  # 2 + 3 runs that changed something


def test_zero_days_keeps_and_dry_run_changes_nothing(org: Org, settings: Any) -> None:
    settings.VERNE_RETENTION_DAYS = {**settings.VERNE_RETENTION_DAYS, "audit_events": 0}
    with time_machine.travel(dt.datetime(2010, 1, 1, tzinfo=dt.UTC)):
        core_services.audit_record(actor=None, verb="test.ancient", target=org.a)
    assert "audit_events" in apply_retention().skipped
    assert AuditEvent.objects.filter(verb="test.ancient").exists()

    settings.VERNE_RETENTION_DAYS = {**settings.VERNE_RETENTION_DAYS, "audit_events": 30}
    out = StringIO()
    call_command("apply_retention", "--dry-run", "--only", "audit_events", stdout=out)
    assert "audit_events (30 days): would remove" in out.getvalue()
    assert AuditEvent.objects.filter(verb="test.ancient").exists()
    call_command("apply_retention", "--only", "audit_events", stdout=StringIO())
    assert not AuditEvent.objects.filter(verb="test.ancient").exists()


def test_current_people_are_never_anonymised_by_retention(org: Org, settings: Any) -> None:
    settings.VERNE_RETENTION_DAYS = {**settings.VERNE_RETENTION_DAYS, "former_employees": 1}
    with time_machine.travel(dt.datetime(2040, 1, 1, tzinfo=dt.UTC)):
        assert _run(only=["former_employees"])["former_employees"] == 0
    assert not User.objects.filter(username__startswith="tidligere-ansatt-").exists()
