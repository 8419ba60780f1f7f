"""Deviations: reminder before the handling deadline, overdue notice, escalation, with a frozen
clock; each sent once, never for closed or rejected cases, again after the deadline moves.

The last two tests run only on PostgreSQL, as their siblings for actions in test_reminders.py:
two threads claim the same rows at once, and two copies of the command run as processes.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core import services as core_services
from core.models import AuditEvent, Role, User
from tests.conftest import Org, build_org
from tests.workflows import factories as f
from tests.workflows.test_reminders import (
    DUE,
    _at,
    _tick,
    claim_in_two_threads_at_once,
    postgres_only,
    run_two_copies_at_once,
)
from workflows import services
from workflows.models import Deviation

HOSTILE = ["Kari Hemmelig-Syk", "<script>alert(1)</script>", "{url}", "%(x)s", "kari.hemmelig@privat.example",
           "fødselsnummer 01017012345", "Ola ble skadet i ryggen"]  # fmt: skip
EVIL = " | ".join(HOSTILE)


def _emails(org: Org, *roles: Role) -> list[str]:
    return sorted(org.person(role, "a").email for role in roles)


def _in_review(org: Org, *, deadline: dt.date = DUE, handler: User | None = None, **kw: Any) -> Deviation:
    """A deviation in unit A, taken into review by the leader with a case handler and a deadline."""
    d = f.deviation(org, "a", **kw)
    return services.deviation_start_review(actor=org.person(Role.LEADER, "a"), deviation=d, deadline=deadline,
                                           case_handler=handler or org.person(Role.CASE_HANDLER, "a"))  # fmt: skip


def _days(n: int) -> dt.date:
    return DUE + dt.timedelta(days=n)


def test_the_case_handler_is_reminded_once_seven_days_before_the_deadline(org: Org, django_capture_on_commit_callbacks: Any) -> None:
    d = _in_review(org)
    cap = django_capture_on_commit_callbacks
    assert _tick(cap, _days(-8), "reminders") == []
    sent = _tick(cap, _days(-7), "reminders")
    assert [(m.to, m.subject) for m in sent] == [
        (_emails(org, Role.CASE_HANDLER), f"Påminnelse: frist 14.06.2030 for AVVIK-{d.pk} i Avdeling A")]
    assert _tick(cap, _days(-7), "reminders") == []
    assert _tick(cap, _days(-2), "reminders") == []
    assert AuditEvent.objects.filter(verb="deviation.reminder", target_id=str(d.pk), actor__isnull=True).count() == 1


@pytest.mark.parametrize("case", ["no handler", "handler has left"])
def test_without_a_case_handler_the_unit_s_case_handlers_and_leaders_are_reminded(
    org: Org, case: str, django_capture_on_commit_callbacks: Any
) -> None:
    leader = org.person(Role.LEADER, "a")
    if case == "no handler":  # reported, and the leader set a deadline without taking it into review
        d = services.deviation_update(actor=leader, deviation=f.deviation(org, "a"), deadline=DUE)
        assert d.status == Deviation.Status.REPORTED and d.case_handler is None
    else:
        gone = core_services.person_create(actor=None, username="sluttet", email="sluttet@example.no")
        core_services.membership_grant(actor=None, user=gone, role=Role.CASE_HANDLER, unit=org.a)
        _in_review(org, handler=gone)
        gone.is_active = False
        gone.save()
    sent = _tick(django_capture_on_commit_callbacks, _days(-3), "reminders")
    assert sorted(m.to[0] for m in sent) == _emails(org, Role.CASE_HANDLER, Role.LEADER, Role.DEPUTY_LEADER)


def test_an_overdue_deviation_gets_one_notice_to_the_handler_the_leaders_and_the_verneombud(
    org: Org, django_capture_on_commit_callbacks: Any
) -> None:
    d = _in_review(org)
    cap = django_capture_on_commit_callbacks
    assert _tick(cap, DUE, "overdue") == []  # due today is not overdue
    sent = _tick(cap, _days(1), "overdue")
    # The verneombud of safety area SA-A (which covers unit A), not the one of SA-B.
    assert sorted(m.to[0] for m in sent) == _emails(
        org, Role.CASE_HANDLER, Role.LEADER, Role.DEPUTY_LEADER, Role.VERNEOMBUD)
    assert {m.subject for m in sent} == {f"Avvik over frist: AVVIK-{d.pk} i Avdeling A"}
    assert _tick(cap, _days(5), "overdue") == []
    assert AuditEvent.objects.filter(verb="deviation.overdue", target_id=str(d.pk), actor__isnull=True).count() == 1


def test_after_thirty_days_overdue_the_leader_of_the_unit_above_is_told(
    org: Org, parent_leader: User, django_capture_on_commit_callbacks: Any
) -> None:
    d = _in_review(org)
    cap = django_capture_on_commit_callbacks
    assert _tick(cap, _days(30), "escalation") == []
    sent = _tick(cap, _days(31), "escalation")
    assert [(m.to, m.subject) for m in sent] == [([parent_leader.email], "Avvik i Avdeling A er 31 dager over frist")]
    assert f"AVVIK-{d.pk}" in sent[0].body
    assert _tick(cap, _days(60), "escalation") == []
    assert AuditEvent.objects.filter(verb="deviation.escalation", target_id=str(d.pk), actor__isnull=True).count() == 1


def test_the_organisation_s_n_and_m_apply_to_deviations_too(
    org: Org, parent_leader: User, django_capture_on_commit_callbacks: Any
) -> None:
    services.workflow_settings_update(actor=org.person(Role.HMS_ADMIN), reminder_days_before=14, escalation_days_overdue=3)
    _in_review(org)
    assert len(_tick(django_capture_on_commit_callbacks, _days(-15), "reminders")) == 0
    assert len(_tick(django_capture_on_commit_callbacks, _days(-14), "reminders")) == 1
    assert len(_tick(django_capture_on_commit_callbacks, _days(3), "escalation")) == 0
    assert len(_tick(django_capture_on_commit_callbacks, _days(4), "escalation")) == 1


def test_a_deviation_waiting_for_its_measures_is_still_followed_up(org: Org, django_capture_on_commit_callbacks: Any) -> None:
    d = _in_review(org)
    services.deviation_plan_measures(actor=org.person(Role.CASE_HANDLER, "a"), deviation=d,
                                     cause_analysis="Vann fra takrenna.", no_measures_reason="Utbedret straks.")  # fmt: skip
    assert len(_tick(django_capture_on_commit_callbacks, _days(1), "overdue")) == 4


@pytest.mark.parametrize("state", ["closed", "rejected", "reported without a deadline"])
def test_closed_rejected_and_undated_deviations_get_nothing(
    org: Org, parent_leader: User, state: str, django_capture_on_commit_callbacks: Any
) -> None:
    handler = org.person(Role.CASE_HANDLER, "a")
    if state == "reported without a deadline":
        f.deviation(org, "a")
    else:
        d = _in_review(org)
        if state == "closed":
            d = services.deviation_plan_measures(actor=handler, deviation=d, cause_analysis="Vann fra takrenna.",
                                                 no_measures_reason="Utbedret straks.")  # fmt: skip
            services.deviation_close(actor=handler, deviation=d, closing_comment="Virker.", lessons_learned="Tørk opp.")
        else:
            services.deviation_reject(actor=handler, deviation=d, reason="Et driftsavvik, meldt til vaktmester.")
    for day in (_days(-3), _days(1), _days(90)):
        assert _tick(django_capture_on_commit_callbacks, day) == []
    assert not AuditEvent.objects.filter(verb__in=["deviation.reminder", "deviation.overdue", "deviation.escalation"]).exists()


def test_a_moved_deadline_is_reminded_and_notified_again(org: Org, django_capture_on_commit_callbacks: Any) -> None:
    handler = org.person(Role.CASE_HANDLER, "a")
    d = _in_review(org)
    assert len(_tick(django_capture_on_commit_callbacks, _days(-5), "reminders")) == 1
    with _at(_days(-5)):
        services.deviation_update(actor=handler, deviation=d, location="Inngang øst")  # not the deadline: no reset
    assert Deviation.objects.get(pk=d.pk).reminder_sent_at is not None
    with _at(_days(-5)):
        services.deviation_update(actor=handler, deviation=d, deadline=_days(30))
    assert Deviation.objects.get(pk=d.pk).reminder_sent_at is None
    assert _tick(django_capture_on_commit_callbacks, _days(1), "overdue") == []
    assert len(_tick(django_capture_on_commit_callbacks, _days(25), "reminders")) == 1
    assert len(_tick(django_capture_on_commit_callbacks, _days(31), "overdue")) == 4
    # Moved again after the overdue notice: a new notice when the new deadline passes.
    with _at(_days(32)):
        services.deviation_update(actor=handler, deviation=d, deadline=_days(40))
    assert len(_tick(django_capture_on_commit_callbacks, _days(41), "overdue")) == 4


def test_a_reopened_deviation_is_notified_again(org: Org, django_capture_on_commit_callbacks: Any) -> None:
    handler = org.person(Role.CASE_HANDLER, "a")
    d = _in_review(org)
    assert len(_tick(django_capture_on_commit_callbacks, _days(1), "overdue")) == 4
    with _at(_days(2)):
        d = services.deviation_reject(actor=handler, deviation=d, reason="Ikke et HMS-avvik.")
    with _at(_days(3)):
        services.deviation_reopen(actor=handler, deviation=d, reason="Likevel et HMS-avvik.")
    assert len(_tick(django_capture_on_commit_callbacks, _days(3), "overdue")) == 4


def test_the_bookkeeping_is_not_history() -> None:
    fields = {field.name for field in Deviation.history.model._meta.fields}
    assert "deadline" in fields
    assert not fields & {"reminder_sent_at", "overdue_notice_sent_at", "escalated_at"}


def test_the_emails_carry_the_reference_and_a_link_never_what_was_written(
    org: Org, parent_leader: User, django_capture_on_commit_callbacks: Any
) -> None:
    for role, language in ((Role.CASE_HANDLER, "en"), (Role.LEADER, "nn")):
        person = org.person(role, "a")
        person.language = language
        person.save()
    d = _in_review(org, anonymous=False, what=EVIL, location=EVIL[:300], immediate_measures=EVIL)
    Deviation.objects.filter(pk=d.pk).update(cause_analysis=EVIL, feedback_to_reporter=EVIL, status_reason=EVIL)
    sent = [m for day in (_days(-3), _days(1), _days(31)) for m in _tick(django_capture_on_commit_callbacks, day)]
    subjects = {m.subject for m in sent}
    assert {f"Reminder: AVVIK-{d.pk} in Avdeling A is due 2030-06-14", f"Deviation overdue: AVVIK-{d.pk} in Avdeling A",
            f"Avvik over frist: AVVIK-{d.pk} i Avdeling A", "Avvik i Avdeling A er 31 dager over frist"} <= subjects  # fmt: skip
    assert len(sent) == 1 + 4 + 1
    for message in sent:
        text = message.subject + "\n" + message.body
        for value in HOSTILE:
            assert value not in text, (message.subject, value)
        assert f"AVVIK-{d.pk}" in message.body
        assert "https://verne.example" + reverse("deviation_detail", kwargs={"pk": d.pk}) in message.body
        assert "{" not in text and "}" not in text


def test_the_whole_tick_twice_on_one_day_sends_each_notice_once_and_reports_the_counts(
    org: Org, parent_leader: User, django_capture_on_commit_callbacks: Any, capsys: Any
) -> None:
    day = _days(40)
    f.action(org, "a", due=day + dt.timedelta(days=3))  # an action's reminder
    _in_review(org, deadline=day + dt.timedelta(days=3))  # reminder
    _in_review(org, deadline=day - dt.timedelta(days=1))  # overdue
    with _at(day - dt.timedelta(days=45)):
        _in_review(org, deadline=day - dt.timedelta(days=45))  # overdue and escalation
    mail.outbox.clear()
    with _at(day), django_capture_on_commit_callbacks(execute=True):
        call_command("workflows_tick", only="reminders,overdue,escalation")
    out = capsys.readouterr().out
    assert "reminders 2 (actions 1, deviations 1)" in out
    assert "overdue 2 (actions 0, deviations 2)" in out
    assert "escalation 1 (actions 0, deviations 1)" in out
    kinds = Counter(m.subject.split(":")[0].split(" i ")[0] for m in mail.outbox)
    assert kinds == Counter({"Påminnelse": 2, "Avvik over frist": 8, "Avvik": 1})
    assert _tick(django_capture_on_commit_callbacks, day) == []
    with _at(day), django_capture_on_commit_callbacks(execute=True):
        call_command("workflows_tick", only="reminders,overdue,escalation")
    assert "reminders 0 (actions 0, deviations 0), overdue 0 (actions 0, deviations 0)" in capsys.readouterr().out


# ----------------------------------------------------------------------------- concurrency (PostgreSQL)


def _bulk_deviations(org: Org, n: int, deadline: dt.date) -> list[int]:
    Deviation.objects.bulk_create(
        Deviation(unit=org.a, category="near_miss", what=f"Avvik {i}", location="Lager", anonymous=True,
                  occurred_at=timezone.now() - dt.timedelta(days=60), status="under_review",
                  case_handler=org.person(Role.CASE_HANDLER, "a"), deadline=deadline)
        for i in range(n)
    )  # fmt: skip
    return list(Deviation.objects.values_list("pk", flat=True))


@postgres_only
def test_two_threads_claiming_the_same_deviation_reminders_at_once_send_each_once(
    transactional_db: None, monkeypatch: Any
) -> None:
    org = build_org()
    ids = _bulk_deviations(org, 40, timezone.localdate() + dt.timedelta(days=2))
    claimed = claim_in_two_threads_at_once(monkeypatch, "deviation_reminder_candidates", services.deviations_send_reminders)
    assert sum(claimed) == len(ids), claimed
    assert len(mail.outbox) == len(ids)
    assert Counter(AuditEvent.objects.filter(verb="deviation.reminder").values_list("target_id", flat=True)) == Counter(
        {str(pk): 1 for pk in ids})
    assert not Deviation.objects.filter(reminder_sent_at__isnull=True).exists()


@postgres_only
def test_two_copies_of_the_command_send_each_deviation_notice_once(transactional_db: None) -> None:
    org = build_org()
    head = core_services.person_create(actor=None, username="division_head", email="head@example.no")
    core_services.membership_grant(actor=None, user=head, role=Role.LEADER, unit=org.div)
    today = timezone.localdate()
    ids = _bulk_deviations(org, 100, today - dt.timedelta(days=40))  # overdue (4 people) and escalated (1)
    outputs = run_two_copies_at_once("overdue,escalation", today)
    lines = [line for out in outputs for line in out.splitlines()]
    subjects = [line for line in lines if line.startswith("Subject:")]
    recipients = [line for line in lines if line.startswith("To:")]
    assert len(subjects) == len(ids) * 5, [len(o.splitlines()) for o in outputs]
    overdue = Counter((s, r) for s, r in zip(subjects, recipients, strict=True) if "Avvik over frist" in s)
    assert len(overdue) == len(ids) * 4 and max(overdue.values()) == 1
    assert recipients.count(f"To: {head.email}") == len(ids)
    for verb in ("deviation.overdue", "deviation.escalation"):
        events = Counter(AuditEvent.objects.filter(verb=verb).values_list("target_id", flat=True))
        assert events == Counter({str(pk): 1 for pk in ids}), verb
