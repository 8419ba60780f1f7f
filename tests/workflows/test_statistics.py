"""Deviations feed the statistics: `unit_period_stats` for the annual report's prefill and H1/H2."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from core.models import Role
from tests.conftest import Org
from tests.workflows import factories as f
from workflows import services
from workflows.selectors import unit_period_stats

START, END = dt.date(2025, 1, 1), dt.date(2025, 12, 31)


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def _report(org: Org, day: dt.date, side: str = "a", **kw: Any) -> Any:
    return f.deviation(org, side, occurred_at=_at(day), **kw)


def test_an_empty_period_counts_zero_everywhere(org: Org) -> None:
    stats = unit_period_stats(org.a, START, END)
    assert stats["deviations"] == 0 and stats["hms_rounds"] == 0
    assert set(stats["by_category"]) == {"injury", "near_miss", "environment", "material", "routine_breach",
                                         "psychosocial", "other"}  # fmt: skip
    assert stats["injuries"] == {"fatal": 0, "lost_time": 0, "medical_treatment": 0, "first_aid": 0}
    assert stats["own"]["h1_numerator"] == 0 and stats["contractor"]["h2_numerator"] == 0


def test_each_reported_deviation_shows_up_in_the_statistics(org: Org) -> None:
    _report(org, dt.date(2025, 2, 1), category="injury", injury_class="lost_time", absence_days=4)
    _report(org, dt.date(2025, 3, 1), category="injury", injury_class="lost_time", absence_days=2,
            involved_party="hired")  # fmt: skip
    _report(org, dt.date(2025, 4, 1), category="injury", injury_class="medical_treatment", high_potential=True)
    _report(org, dt.date(2025, 5, 1), category="injury", injury_class="first_aid")
    _report(org, dt.date(2025, 6, 1), category="injury", injury_class="lost_time", absence_days=10,
            involved_party="contractor")  # fmt: skip
    _report(org, dt.date(2025, 7, 1), category="near_miss", high_potential=True)
    _report(org, dt.date(2025, 7, 2), category="near_miss", involved_party="contractor", high_potential=True)
    _report(org, dt.date(2025, 8, 1), category="environment")
    _report(org, dt.date(2025, 9, 1), category="injury", injury_class="fatal")
    # outside the period, in another unit, or rejected: not counted
    _report(org, dt.date(2024, 12, 31), category="injury", injury_class="lost_time", absence_days=9)
    _report(org, dt.date(2025, 6, 1), side="b", category="injury", injury_class="lost_time", absence_days=9)
    rejected = _report(org, dt.date(2025, 6, 1), category="other")
    services.deviation_reject(actor=org.person(Role.CASE_HANDLER, "a"), deviation=rejected, reason="Ikke HMS")

    stats = unit_period_stats(org.a, START, END)
    assert stats["deviations"] == 9
    assert stats["by_category"]["injury"] == 6 and stats["by_category"]["near_miss"] == 2
    assert stats["by_category"]["environment"] == 1 and stats["by_category"]["other"] == 0
    assert stats["injuries"] == {"fatal": 1, "lost_time": 3, "medical_treatment": 1, "first_aid": 1}
    assert stats["absence_days"] == 16
    assert (stats["hri"], stats["hri_injuries"], stats["hri_near_misses"]) == (3, 1, 2)
    own, contractor = stats["own"], stats["contractor"]
    # Own staff and hired-in workers in one column, contractors in another (Norsk Industri's form).
    assert (own["lti"], own["mti"], own["first_aid"], own["fatalities"], own["days_lost"]) == (2, 1, 1, 1, 6)
    assert (own["hri_line7"], own["hri_nearmiss_line8"]) == (1, 1)
    assert (contractor["lti"], contractor["days_lost"], contractor["hri_nearmiss_line8"]) == (1, 10, 1)
    # H1 = lost-time injuries (+ fatalities by default), H2 = H1 + medical treatment; first aid never.
    assert (own["h1_numerator"], own["h2_numerator"]) == (3, 4)
    assert (contractor["h1_numerator"], contractor["h2_numerator"]) == (1, 1)
    assert (stats["h1_numerator"], stats["h2_numerator"]) == (4, 5)


def test_fatalities_can_be_left_out_of_h1_and_h2(org: Org) -> None:
    _report(org, dt.date(2025, 9, 1), category="injury", injury_class="fatal")
    services.workflow_settings_update(actor=org.person(Role.HMS_ADMIN), fatalities_in_h1=False)
    stats = unit_period_stats(org.a, START, END)
    assert stats["injuries"]["fatal"] == 1 and stats["h1_numerator"] == 0 and stats["h2_numerator"] == 0


def test_subunits_are_counted_when_asked(org: Org) -> None:
    from core import services as core_services

    employee = core_services.person_create(actor=None, username="a1_employee")
    core_services.membership_grant(actor=None, user=employee, role=Role.EMPLOYEE, unit=org.a1)
    f.deviation(org, "a", occurred_at=_at(dt.date(2025, 3, 3)))  # in A
    services.deviation_report(actor=employee, unit=org.a1, category="other", what="x", location="y",
                              occurred_at=_at(dt.date(2025, 3, 3)))  # fmt: skip
    assert unit_period_stats(org.a, START, END)["deviations"] == 1
    assert unit_period_stats(org.a, START, END, include_subunits=True)["deviations"] == 2


def test_rounds_held_in_the_period_are_counted(org: Org) -> None:
    vo = org.person(Role.VERNEOMBUD, "a")
    held = f.hms_round(org, "a", planned_date=dt.date(2025, 4, 1))
    services.round_mark_conducted(actor=vo, round_=held, conducted_on=dt.date(2025, 4, 2))
    f.hms_round(org, "a", planned_date=dt.date(2025, 10, 1))  # planned, never held
    other_year = f.hms_round(org, "a", planned_date=dt.date(2024, 4, 1))
    services.round_mark_conducted(actor=vo, round_=other_year, conducted_on=dt.date(2024, 4, 1))
    assert unit_period_stats(org.a, START, END)["hms_rounds"] == 1


def test_deviations_closed_by_their_deadline_are_counted_for_the_annual_report(org: Org) -> None:
    handler = org.person(Role.CASE_HANDLER, "a")
    d = f.deviation(org, "a", occurred_at=timezone.now() - dt.timedelta(days=1))
    services.deviation_start_review(actor=handler, deviation=d, deadline=timezone.localdate() + dt.timedelta(days=3))
    services.deviation_plan_measures(actor=handler, deviation=d, cause_analysis="x", no_measures_reason="y")
    services.deviation_close(actor=handler, deviation=d, closing_comment="ok", lessons_learned="ok")
    today = timezone.localdate()
    stats = unit_period_stats(org.a, today - dt.timedelta(days=10), today)
    assert (stats["closed_with_deadline"], stats["closed_on_time"], stats["open_deviations"]) == (1, 1, 0)
