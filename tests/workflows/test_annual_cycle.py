"""The årshjul: set up once, acted on when dates come (idempotently), shown as calendars and an .ics feed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from tests.conftest import Org
from tests.workflows import factories as f
from workflows import services
from workflows.ical import calendar, escape_text, fold
from workflows.models import AnnualCycleItem, AnnualCycleRun, HmsRound
from workflows.selectors import CalendarEntry


def _on(day: dt.date) -> Any:
    return time_machine.travel(timezone.make_aware(dt.datetime.combine(day, dt.time(6))), tick=False)


def test_only_the_hms_admin_sets_up_the_annual_cycle(org: Org) -> None:
    with pytest.raises(PermissionDenied):
        services.cycle_item_create(actor=org.person(Role.LEADER, "a"), kind="other", title="x", month=1, day=1)
    with pytest.raises(ValidationError):
        f.cycle_item(org, month=2, day=30)
    with pytest.raises(ValidationError):
        f.cycle_item(org, kind="campaign", questionnaire_key="")


def test_an_item_whose_date_has_passed_this_year_starts_next_year(org: Org) -> None:
    with _on(dt.date(2026, 5, 1)):
        late = f.cycle_item(org, month=3, day=1)
        early = f.cycle_item(org, month=9, day=1)
    assert (late.last_run_year, early.last_run_year) == (2026, None)


def test_the_round_item_schedules_a_round_per_safety_area_when_its_date_comes(org: Org) -> None:
    with _on(dt.date(2026, 1, 2)):
        item = f.cycle_item(org, kind="hms_round", title="Vårens HMS-runder", month=4, day=1, open_days=30)
    with _on(dt.date(2026, 3, 31)):
        assert services.annual_cycle_run() == []
    with _on(dt.date(2026, 4, 1)):
        [run] = services.annual_cycle_run()
        assert services.annual_cycle_run() == []  # the same day again: nothing
    assert run.outcome == "done" and run.year == 2026
    rounds = HmsRound.objects.filter(cycle_item=item).order_by("unit__code")
    assert [(r.unit.code, r.safety_area.code, r.planned_date, r.status) for r in rounds] == [
        ("A", "SA-A", dt.date(2026, 5, 1), "planned"), ("B", "SA-B", dt.date(2026, 5, 1), "planned")]
    assert rounds[0].title == "Vårens HMS-runder – Verneområde A"
    with _on(dt.date(2027, 4, 1)):
        services.annual_cycle_run()
    assert HmsRound.objects.filter(cycle_item=item).count() == 4  # and again next year


def test_an_item_for_one_unit_schedules_only_its_rounds(org: Org) -> None:
    with _on(dt.date(2026, 1, 2)):
        f.cycle_item(org, kind="hms_round", month=4, day=1, unit=org.b)
    with _on(dt.date(2026, 4, 2)):
        services.annual_cycle_run()
    assert list(HmsRound.objects.values_list("unit__code", flat=True)) == ["B"]


def test_campaigns_are_recorded_until_the_surveys_app_can_open_them(org: Org, monkeypatch: Any) -> None:
    import surveys.services as survey_services

    monkeypatch.delattr(survey_services, "campaign_open_scheduled", raising=False)
    with _on(dt.date(2026, 1, 2)):
        item = f.cycle_item(org, kind="campaign", title="Årsrapport", month=1, day=15,
                            questionnaire_key="hms_annual_report")  # fmt: skip
    with _on(dt.date(2026, 1, 15)):
        [run] = services.annual_cycle_run()
    assert run.item == item and run.outcome == "recorded"
    assert run.detail["waiting_for"] == "surveys.services.campaign_open_scheduled"
    assert run.detail["opens_on"] == "2026-01-15" and run.detail["closes_on"] == "2026-02-14"


def test_campaigns_are_opened_through_the_surveys_service_when_it_exists(org: Org, monkeypatch: Any) -> None:
    import surveys.services as survey_services

    calls: list[dict[str, Any]] = []

    class Campaign:
        pk = "c-1"

    def campaign_open_scheduled(**kwargs: Any) -> Any:
        calls.append(kwargs)
        return Campaign()

    monkeypatch.setattr(survey_services, "campaign_open_scheduled", campaign_open_scheduled, raising=False)
    with _on(dt.date(2026, 1, 2)):
        f.cycle_item(org, kind="campaign", title="Barometer", month=11, day=1, questionnaire_key="hms_barometer",
                     open_days=21)  # fmt: skip
    with _on(dt.date(2026, 11, 3)):
        [run] = services.annual_cycle_run()
    assert run.outcome == "done" and run.detail["campaign"] == "c-1"
    assert calls == [{"questionnaire_key": "hms_barometer", "year": 2026, "title": "Barometer",
                      "opens_on": dt.date(2026, 11, 1), "closes_on": dt.date(2026, 11, 22), "units": None}]  # fmt: skip


def test_the_command_runs_the_cycle_and_a_second_copy_finds_nothing(org: Org) -> None:
    with _on(dt.date(2026, 1, 2)):
        f.cycle_item(org, kind="amu_meeting", month=2, day=1)
    with _on(dt.date(2026, 2, 1)):
        call_command("workflows_tick", only="cycle", verbosity=0)
        call_command("workflows_tick", only="cycle", verbosity=0)
    assert AnnualCycleRun.objects.count() == 1
    assert AnnualCycleItem.objects.get().last_run_year == 2026


def test_the_calendars_show_the_cycle_and_the_rounds(org: Org) -> None:
    f.cycle_item(org, title="AMU-møte om årsrapporten", month=2, day=20)
    f.cycle_item(org, title="Bare for B", month=6, day=1, unit=org.b)
    round_ = f.hms_round(org, "a", planned_date=dt.date(timezone.localdate().year, 9, 9), title="Høstrunden A")
    client = Client()
    client.force_login(org.person(Role.EMPLOYEE, "a"))
    year = timezone.localdate().year
    unit_page = client.get(reverse("unit_calendar", kwargs={"code": "A"}), {"ar": year})
    assert "AMU-møte om årsrapporten" in unit_page.text and "Høstrunden A" in unit_page.text
    assert "Bare for B" not in unit_page.text
    org_page = client.get(reverse("cycle_calendar"), {"ar": year})
    assert "Bare for B" in org_page.text and reverse("round_detail", kwargs={"pk": round_.pk}) in org_page.text
    other = Client()
    other.force_login(org.person(Role.EMPLOYEE, "b"))
    assert "Høstrunden A" not in other.get(reverse("cycle_calendar"), {"ar": year}).text


# ----------------------------------------------------------------------------- the .ics feed


def test_the_feed_works_without_logging_in_with_the_person_s_secret_link(org: Org) -> None:
    leader = org.person(Role.LEADER, "a")
    f.cycle_item(org, title="AMU; budsjett, og plan", month=3, day=5)
    f.hms_round(org, "a", planned_date=timezone.localdate() + dt.timedelta(days=20), title="Runde A")
    f.hms_round(org, "b", planned_date=timezone.localdate() + dt.timedelta(days=20), title="Runde B")
    f.action(org, "a", owner=leader, title="Mitt tiltak", due=timezone.localdate() + dt.timedelta(days=5))
    client = Client()
    client.force_login(leader)
    page = client.post(reverse("calendar_feed_settings"), {"create": "1"})
    url = page.context["feed_url"]
    assert url.startswith("https://verne.example/kalender/") and url.endswith(".ics")
    feed = Client().get(url.removeprefix("https://verne.example"))
    assert feed.status_code == 200 and feed["Content-Type"] == "text/calendar; charset=utf-8"
    body = feed.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "SUMMARY:AMU\\; budsjett\\, og plan" in body
    assert "Runde A" in body and "Runde B" not in body and "Mitt tiltak" in body
    assert body.count("BEGIN:VEVENT") == body.count("END:VEVENT") >= 5  # cycle item ×3 years, round, action
    # A new link replaces the old one.
    client.post(reverse("calendar_feed_settings"), {"create": "1"})
    assert Client().get(url.removeprefix("https://verne.example")).status_code == 404


def test_a_wrong_or_stopped_feed_link_is_not_found(org: Org) -> None:
    token = f.calendar_token(org)
    assert Client().get(reverse("calendar_feed", kwargs={"token": token + "x"})).status_code == 404
    services.calendar_token_revoke(actor=org.person(Role.LEADER, "a"))
    assert Client().get(reverse("calendar_feed", kwargs={"token": token})).status_code == 404


def test_a_deactivated_person_s_feed_stops(org: Org) -> None:
    token = f.calendar_token(org)
    leader = org.person(Role.LEADER, "a")
    leader.is_active = False
    leader.save()
    assert Client().get(reverse("calendar_feed", kwargs={"token": token})).status_code == 404


def test_ics_text_is_escaped_and_long_lines_are_folded() -> None:
    assert escape_text("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"
    line = "SUMMARY:" + "æ" * 60
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line
    body = calendar([CalendarEntry(date=dt.date(2026, 12, 31), title="Nyttår", kind="other", kind_label="Annet",
                                   uid="x-1")], name="Verne", host="verne.example")  # fmt: skip
    assert "DTSTART;VALUE=DATE:20261231" in body and "DTEND;VALUE=DATE:20270101" in body
    assert "UID:x-1@verne.example" in body
