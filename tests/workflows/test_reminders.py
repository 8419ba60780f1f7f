"""Reminders, overdue notices and escalation with a frozen clock; nothing is ever sent twice.

The last two tests run only on PostgreSQL (the CI runs the suite on SQLite and on PostgreSQL):
two threads claim the same rows at the same moment, and two copies of the real command run as
separate processes against the same database.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from core.models import AuditEvent, Role
from tests.conftest import Org, build_org
from tests.workflows import factories as f
from workflows import services
from workflows.models import ActionItem
from workflows.services import scheduled

DUE = dt.date(2030, 6, 14)
ROOT = Path(__file__).resolve().parents[2]


def _at(day: dt.date) -> Any:
    return time_machine.travel(timezone.make_aware(dt.datetime.combine(day, dt.time(7, 0))), tick=False)


def _tick(capture: Any, day: dt.date, *steps: str) -> list[Any]:
    mail.outbox.clear()
    with _at(day), capture(execute=True):
        call_command("workflows_tick", only=",".join(steps) if steps else "", verbosity=0)
    return list(mail.outbox)


def test_the_owner_is_reminded_once_seven_days_before_the_deadline(org: Org, django_capture_on_commit_callbacks: Any) -> None:
    owner = org.person(Role.EMPLOYEE, "a")
    action = f.action(org, "a", owner=owner, due=DUE, title="Skift lysrør")
    assert _tick(django_capture_on_commit_callbacks, DUE - dt.timedelta(days=8), "reminders") == []
    sent = _tick(django_capture_on_commit_callbacks, DUE - dt.timedelta(days=7), "reminders")
    assert [(m.to, m.subject) for m in sent] == [([owner.email], f"Påminnelse: frist 14.06.2030 for tiltak #{action.pk} i Avdeling A")]
    assert _tick(django_capture_on_commit_callbacks, DUE - dt.timedelta(days=7), "reminders") == []
    assert _tick(django_capture_on_commit_callbacks, DUE - dt.timedelta(days=2), "reminders") == []
    assert AuditEvent.objects.filter(verb="action.reminder", target_id=str(action.pk), actor__isnull=True).count() == 1


def test_an_overdue_action_gets_one_notice_to_the_owner_and_the_unit_leaders(
    org: Org, django_capture_on_commit_callbacks: Any
) -> None:
    f.action(org, "a", due=DUE)
    assert _tick(django_capture_on_commit_callbacks, DUE, "overdue") == []  # due today is not overdue
    sent = _tick(django_capture_on_commit_callbacks, DUE + dt.timedelta(days=1), "overdue")
    assert sorted(m.to[0] for m in sent) == sorted(
        [org.person(r, "a").email for r in (Role.EMPLOYEE, Role.LEADER, Role.DEPUTY_LEADER)])
    assert all(m.subject.startswith("Tiltak over frist") for m in sent)
    assert _tick(django_capture_on_commit_callbacks, DUE + dt.timedelta(days=5), "overdue") == []


def test_after_thirty_days_overdue_the_leader_of_the_unit_above_is_told(
    org: Org, parent_leader: Any, django_capture_on_commit_callbacks: Any
) -> None:
    f.action(org, "a", due=DUE)
    assert _tick(django_capture_on_commit_callbacks, DUE + dt.timedelta(days=30), "escalation") == []
    sent = _tick(django_capture_on_commit_callbacks, DUE + dt.timedelta(days=31), "escalation")
    assert [(m.to, m.subject) for m in sent] == [([parent_leader.email], "Tiltak i Avdeling A er 31 dager over frist")]
    assert _tick(django_capture_on_commit_callbacks, DUE + dt.timedelta(days=60), "escalation") == []


def test_the_whole_tick_on_one_day_sends_each_kind_once(
    org: Org, parent_leader: Any, django_capture_on_commit_callbacks: Any
) -> None:
    day = DUE + dt.timedelta(days=40)
    f.action(org, "a", due=day + dt.timedelta(days=3), title="Snart")  # reminder
    f.action(org, "a", due=day - dt.timedelta(days=1), title="I går")  # overdue
    f.action(org, "a", due=day - dt.timedelta(days=45), title="Lenge siden")  # overdue + escalation
    kinds = Counter(m.subject.split(":")[0].split(" i ")[0] for m in _tick(django_capture_on_commit_callbacks, day))
    assert kinds == Counter({"Påminnelse": 1, "Tiltak over frist": 6, "Tiltak": 1})
    assert _tick(django_capture_on_commit_callbacks, day) == []


def test_the_organisation_chooses_n_and_m(org: Org, parent_leader: Any, django_capture_on_commit_callbacks: Any) -> None:
    services.workflow_settings_update(actor=org.person(Role.HMS_ADMIN), reminder_days_before=14, escalation_days_overdue=3)
    f.action(org, "a", due=DUE)
    assert len(_tick(django_capture_on_commit_callbacks, DUE - dt.timedelta(days=14), "reminders")) == 1
    assert len(_tick(django_capture_on_commit_callbacks, DUE + dt.timedelta(days=4), "escalation")) == 1


@pytest.mark.parametrize("status", ["proposed", "done", "verified", "cancelled"])
def test_actions_that_are_not_under_way_get_no_reminders(org: Org, status: str, django_capture_on_commit_callbacks: Any) -> None:
    action = f.action(org, "a", status=status, due=DUE)
    if status == "proposed":
        ActionItem.objects.filter(pk=action.pk).update(due_date=DUE)
    for day in (DUE - dt.timedelta(days=3), DUE + dt.timedelta(days=1), DUE + dt.timedelta(days=90)):
        assert _tick(django_capture_on_commit_callbacks, day) == []


def test_a_postponed_action_is_reminded_again_before_its_new_deadline(org: Org, django_capture_on_commit_callbacks: Any) -> None:
    action = f.action(org, "a", due=DUE)
    assert len(_tick(django_capture_on_commit_callbacks, DUE - dt.timedelta(days=5), "reminders")) == 1
    with _at(DUE - dt.timedelta(days=5)):
        services.action_update(actor=org.person(Role.LEADER, "a"), action=action, reason="Venter på leveranse",
                               due_date=DUE + dt.timedelta(days=30))  # fmt: skip
    assert _tick(django_capture_on_commit_callbacks, DUE + dt.timedelta(days=1), "overdue") == []
    assert len(_tick(django_capture_on_commit_callbacks, DUE + dt.timedelta(days=25), "reminders")) == 1


def test_the_command_reports_what_it_did(org: Org, django_capture_on_commit_callbacks: Any, capsys: Any) -> None:
    f.action(org, "a", due=DUE)
    with _at(DUE + dt.timedelta(days=1)), django_capture_on_commit_callbacks(execute=True):
        call_command("workflows_tick", only="overdue")
    assert "overdue 1" in capsys.readouterr().out


# ----------------------------------------------------------------------------- concurrency (PostgreSQL)


def _bulk_actions(org: Org, n: int, due: dt.date) -> list[int]:
    owner = org.person(Role.EMPLOYEE, "a")
    ActionItem.objects.bulk_create(
        ActionItem(unit=org.a, year=due.year, title=f"Tiltak {i}", owner=owner, due_date=due, status="open")
        for i in range(n)
    )
    return list(ActionItem.objects.values_list("pk", flat=True))


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent claiming is tested on PostgreSQL (the CI runs both)"
)


def claim_in_two_threads_at_once(monkeypatch: Any, candidates: str, run: Callable[[], int]) -> list[int]:
    """Run `run` in two threads that both hold the same candidate rows (`scheduled.<candidates>`)
    before either claims one. Returns how many rows each thread claimed."""
    real = getattr(scheduled, candidates)
    barrier = threading.Barrier(2, timeout=30)

    def both_see_the_same_rows(today: dt.date) -> Any:
        rows = real(today)
        seen = list(rows.values_list("pk", flat=True))
        barrier.wait()  # both threads hold the same candidate list before anyone claims
        return rows.model.objects.filter(pk__in=seen)

    monkeypatch.setattr(scheduled, candidates, both_see_the_same_rows)
    mail.outbox.clear()
    claimed: list[int] = []
    errors: list[BaseException] = []

    def thread() -> None:
        try:
            claimed.append(run())
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=thread) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    return claimed


@postgres_only
def test_two_threads_claiming_the_same_reminders_at_once_send_each_once(transactional_db: None, monkeypatch: Any) -> None:
    org = build_org()
    ids = _bulk_actions(org, 40, timezone.localdate() + dt.timedelta(days=2))
    claimed = claim_in_two_threads_at_once(monkeypatch, "reminder_candidates", services.actions_send_reminders)
    assert sum(claimed) == len(ids), claimed
    assert len(mail.outbox) == len(ids)
    assert Counter(AuditEvent.objects.filter(verb="action.reminder").values_list("target_id", flat=True)) == Counter(
        {str(pk): 1 for pk in ids})
    assert not ActionItem.objects.filter(reminder_sent_at__isnull=True).exists()


def run_two_copies_at_once(only: str, today: dt.date) -> list[str]:
    """Two copies of the real command as separate processes against the test database, at the
    same time; emails go to their stdout (console backend). Returns each one's stdout."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "TASKS_BACKEND": "immediate", "EMAIL_HOST": "",
           "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend", "LOG_LEVEL": "WARNING"}  # fmt: skip
    command = [sys.executable, "manage.py", "workflows_tick", "--only", only, "--today", today.isoformat()]
    processes = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]  # fmt: skip
    outputs = [p.communicate(timeout=300) for p in processes]
    for p, (_out, err) in zip(processes, outputs, strict=True):
        assert p.returncode == 0, err
    per_process = [sum(1 for line in out.splitlines() if line.startswith("Subject:")) for out, _err in outputs]
    print("emails sent by each process:", per_process)  # both > 0 when the runs overlapped
    return [out for out, _err in outputs]


@postgres_only
def test_two_copies_of_the_command_in_separate_processes_send_each_email_once(transactional_db: None) -> None:
    org = build_org()
    today = timezone.localdate()
    ids = _bulk_actions(org, 150, today - dt.timedelta(days=1))  # overdue: owner + 2 leaders each
    outputs = run_two_copies_at_once("overdue", today)
    subjects = [line for out in outputs for line in out.splitlines() if line.startswith("Subject:")]
    recipients = [line for out in outputs for line in out.splitlines() if line.startswith("To:")]
    assert len(subjects) == len(ids) * 3, [len(o.splitlines()) for o in outputs]
    pairs = Counter(zip(subjects, recipients, strict=True))
    assert len(pairs) == len(ids) * 3 and max(pairs.values()) == 1
    events = Counter(AuditEvent.objects.filter(verb="action.overdue").values_list("target_id", flat=True))
    assert events == Counter({str(pk): 1 for pk in ids})
