"""Response rates (daily, for groups of at least N invited) and reminders (idempotent)."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connections

from core.models import AuditEvent, Role
from reports import anonymity
from surveys.anon import services as anon_services
from surveys.models import Participation, QuestionnaireVersion, ResponseRateSnapshot
from tests.conftest import Org
from tests.surveys.anon_support import (
    add_employees,
    barometer,  # noqa: F401 - fixture
    barometer_answer,
    codes_by_email,
    issue,
    submit_direct,
)
from tests.surveys.conftest import client_for

DAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_the_response_rate_changes_at_most_once_a_day(
    org: Org, barometer: QuestionnaireVersion, django_capture_on_commit_callbacks: Any  # noqa: F811
) -> None:
    with time_machine.travel(DAY, tick=False):
        staff = add_employees(org.a, 6)
        campaign = issue(org, barometer, [org.a], django_capture_on_commit_callbacks)
        rates = anonymity.campaign_rates(campaign)
        assert rates.nodes["u:A"].invited == 7 and rates.nodes["u:A"].answered == 0
        submit_direct(campaign, staff[0], barometer_answer())
    with time_machine.travel(DAY + dt.timedelta(hours=6), tick=False):
        # Same day: one answer later, the figure has not moved, so the answer cannot be timed.
        assert anonymity.campaign_rates(campaign).nodes["u:A"].answered == 0
        submit_direct(campaign, staff[1], barometer_answer())
    with time_machine.travel(DAY + dt.timedelta(days=1), tick=False):
        rates = anonymity.campaign_rates(campaign)
        assert rates.nodes["u:A"].answered == 2 and rates.taken_on == dt.date(2026, 3, 3)
        submit_direct(campaign, staff[2], barometer_answer())
        assert anonymity.campaign_rates(campaign).nodes["u:A"].answered == 2
    assert ResponseRateSnapshot.objects.filter(campaign=campaign).values("taken_on").distinct().count() == 2


def test_rates_are_shown_for_groups_of_n_invited_and_never_who(
    org: Org, barometer: QuestionnaireVersion, django_capture_on_commit_callbacks: Any  # noqa: F811
) -> None:
    a = add_employees(org.a, 6)  # 7 invited with employee_a
    add_employees(org.a1, 2)  # too few: counted in A
    add_employees(org.b, 4)  # 5 invited with employee_b
    campaign = issue(org, barometer, [org.a, org.b], django_capture_on_commit_callbacks)
    submit_direct(campaign, a[0], barometer_answer())
    admin = client_for(org.person(Role.HMS_ADMIN))
    html = admin.get(f"/kampanjer/{campaign.pk}/").content.decode()
    assert "Svarprosent" in html and "Avdeling A" in html and "inkluderer" in html
    for person in a:
        assert person.username not in html and person.get_full_name() not in html
    leader_a = client_for(org.person(Role.LEADER, "a"))
    assert "av 9 inviterte har svart" in leader_a.get(f"/undersokelser/{campaign.pk}/A/").content.decode()
    assert "som enheten er slått sammen med" in leader_a.get(f"/undersokelser/{campaign.pk}/A1/").content.decode()
    leader_b = client_for(org.person(Role.LEADER, "b"))
    assert "av 5 inviterte har svart" in leader_b.get(f"/undersokelser/{campaign.pk}/B/").content.decode()


def test_no_rate_for_fewer_than_n_invited(
    org: Org, barometer: QuestionnaireVersion, django_capture_on_commit_callbacks: Any  # noqa: F811
) -> None:
    add_employees(org.b, 3)
    campaign = issue(org, barometer, [org.b], django_capture_on_commit_callbacks)
    page = client_for(org.person(Role.LEADER, "b")).get(f"/undersokelser/{campaign.pk}/B/").content.decode()
    assert "færre enn 5 inviterte" in page
    admin = client_for(org.person(Role.HMS_ADMIN)).get(f"/kampanjer/{campaign.pk}/").content.decode()
    assert "For få til å vises" in admin


def test_reminders_go_only_to_those_who_have_not_answered_and_only_once(
    org: Org, barometer: QuestionnaireVersion, django_capture_on_commit_callbacks: Any  # noqa: F811
) -> None:
    staff = add_employees(org.a, 3)
    campaign = issue(org, barometer, [org.a], django_capture_on_commit_callbacks)
    submit_direct(campaign, staff[0], barometer_answer())
    mail.outbox.clear()
    admin = org.person(Role.HMS_ADMIN)
    tomorrow = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert anon_services.anonymous_campaign_remind(actor=admin, campaign=campaign, now=tomorrow) == 3
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert staff[0].email not in recipients and len(recipients) == 3
    assert "Påminnelse" in mail.outbox[0].subject
    # The button again on the same day: nobody gets a second one.
    with django_capture_on_commit_callbacks(execute=True):
        assert anon_services.anonymous_campaign_remind(actor=admin, campaign=campaign, now=tomorrow) == 0
    assert len(mail.outbox) == 3
    event = AuditEvent.objects.filter(verb="campaign.remind").order_by("-at").first()
    assert event.data == {"sent": 0, "scheduled": False}
    # The new link works, and so does the old one, until one of them is used.
    assert Participation.objects.filter(previous_token_hash__isnull=False, answered=False).count() == 3
    new_code = codes_by_email()[staff[1].email]
    from django.test import Client

    assert "data-anon-campaign" in Client().post("/undersokelse/", {"token": new_code}).content.decode()


def test_the_command_is_idempotent_and_respects_the_interval(
    org: Org, barometer: QuestionnaireVersion, django_capture_on_commit_callbacks: Any, settings: Any  # noqa: F811
) -> None:
    settings.VERNE_SURVEY_REMINDER_INTERVAL_DAYS = 7
    settings.VERNE_SURVEY_MAX_REMINDERS = 2
    start = dt.datetime.now(dt.UTC)
    with time_machine.travel(start, tick=False):
        add_employees(org.a, 2)
        campaign = issue(org, barometer, [org.a], django_capture_on_commit_callbacks)
    mail.outbox.clear()
    for days, expected in ((3, 0), (7, 3), (7, 0), (10, 0), (14, 3), (21, 0), (30, 0)):
        with time_machine.travel(start + dt.timedelta(days=days, minutes=1), tick=False):
            before = len(mail.outbox)
            with django_capture_on_commit_callbacks(execute=True):
                call_command("send_survey_reminders", stdout=open("/dev/null", "w"))
            assert len(mail.outbox) - before == expected, (days, len(mail.outbox) - before)
    assert set(Participation.objects.filter(campaign=campaign).values_list("reminder_count", flat=True)) == {2}


@pytest.mark.django_db(transaction=True)
def test_two_reminder_runs_at_once_send_each_reminder_once(
    org: Org, barometer: QuestionnaireVersion, django_capture_on_commit_callbacks: Any  # noqa: F811
) -> None:
    staff = add_employees(org.a, 4)
    campaign = issue(org, barometer, [org.a], django_capture_on_commit_callbacks)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=8)
    results: list[int] = []

    def run() -> None:
        try:
            results.append(anon_services.anonymous_campaign_remind(actor=None, campaign=campaign, now=later, interval=True))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sum(results) == len(staff) + 1
    assert set(Participation.objects.filter(campaign=campaign).values_list("reminder_count", flat=True)) == {1}
