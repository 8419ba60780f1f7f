"""H1, H2 and F: from the signed injury statistics per year (sums of numerators and hours),
12-month rolling values from injuries registered as deviations, the two reconciled, and a
unit's history following the units closed into it."""

from __future__ import annotations

import datetime as dt

import pytest

from core.models import OrgUnit
from reports import selectors
from surveys.models import Response
from tests.conftest import Org
from tests.reports import support


def test_rates_sum_numerators_and_hours_and_equal_the_questionnaires_own_expressions(org: Org) -> None:
    y = support.this_year() - 1
    campaign = support.joint_campaign(org, "injury_stats", y, [org.a, org.b], sign=[org.a, org.b], answers={
        org.a: support.injury_values(y, hours=150_000, lti=2, mti=1, days=14, contractor_hours=20_000, contractor_lti=1, contractor_days=3),
        org.b: support.injury_values(y, hours=50_000, mti=2),
    })  # fmt: skip
    stats = selectors.injury_stats(org.root)
    year = next(s for s in stats.years if s.year == y)
    assert year.total.hours == 220_000 and year.total.lti == 3 and year.total.mti == 3
    assert year.total.h1 == round(3 * 1e6 / 220_000, 2) and year.total.h2 == round(6 * 1e6 / 220_000, 2)
    assert year.total.f == round(17 * 1e6 / 220_000, 2)
    assert year.own.h2 == round(5 * 1e6 / 200_000, 2)
    # the questionnaire computes the same H-values for each reporting unit
    for r in Response.objects.filter(campaign=campaign):
        own, contractor = selectors._reported_rates(r.answers)
        total = selectors.Rates()
        total.add(own)
        total.add(contractor)
        assert own.h1 == r.answers.get("own_h1") and own.h2 == r.answers.get("own_h2")
        assert total.h2 == r.answers.get("total_h2")


def test_the_december_rolling_value_is_the_years_value_when_the_deviations_match(org: Org) -> None:
    y = support.this_year() - 1
    support.joint_campaign(org, "injury_stats", y, [org.a], sign=[org.a],
                           answers={org.a: support.injury_values(y, hours=120_000, lti=1, mti=1, days=5)})  # fmt: skip
    support.injury_deviation(org, org.a, support.aware(dt.date(y, 2, 10)), "lost_time", absence_days=5)
    support.injury_deviation(org, org.a1, support.aware(dt.date(y, 9, 1)), "medical_treatment")
    support.injury_deviation(org, org.a, support.aware(dt.date(y, 9, 2)), "first_aid")
    stats = selectors.injury_stats(org.a)
    year = next(s for s in stats.years if s.year == y)
    december = stats.rolling[[m == dt.date(y, 12, 1) for m in stats.rolling["month"]]].iloc[0]
    assert (december["h1"], december["h2"], december["f"]) == (year.total.h1, year.total.h2, year.total.f)
    assert not bool(december["estimated"])
    assert year.reconciliation[0]["agrees"]
    # months after the last report use its hours, marked as estimated
    if len(stats.rolling) > 12:
        assert bool(stats.rolling.iloc[-1]["estimated"])


def test_a_mismatch_between_statistics_and_deviations_is_shown(org: Org) -> None:
    y = support.this_year() - 1
    support.joint_campaign(org, "injury_stats", y, [org.a], sign=[org.a], answers={org.a: support.injury_values(y, hours=100_000, lti=2)})
    support.injury_deviation(org, org.a, support.aware(dt.date(y, 4, 1)), "lost_time", absence_days=2)
    year = next(s for s in selectors.injury_stats(org.a).years if s.year == y)
    recon = year.reconciliation[0]
    assert not recon["agrees"] and recon["reported"]["lti"] == 2 and recon["registered"]["lti"] == 1


def test_deviation_counts_equal_the_workflows_statistics(org: Org) -> None:
    from workflows.selectors import unit_period_stats

    y = support.this_year() - 1
    support.injury_deviation(org, org.a, support.aware(dt.date(y, 2, 10)), "lost_time", absence_days=4)
    support.injury_deviation(org, org.a1, support.aware(dt.date(y, 6, 1)), "medical_treatment", party="contractor")
    support.injury_deviation(org, org.b, support.aware(dt.date(y, 6, 1)), "first_aid", side="b")
    ours = selectors.deviation_years(org.a, [y])[0]
    theirs = unit_period_stats(org.a, dt.date(y, 1, 1), dt.date(y, 12, 31), include_subunits=True)
    assert ours.total == theirs["deviations"] and ours.injuries == theirs["injuries"]
    assert ours.by_category == theirs["by_category"] and ours.absence_days == theirs["absence_days"]
    assert ours.hri == theirs["hri"]


def test_a_units_history_includes_the_units_closed_into_it(org: Org) -> None:
    y = support.this_year() - 1
    support.joint_campaign(org, "injury_stats", y, [org.b], sign=[org.b], answers={org.b: support.injury_values(y, hours=80_000, mti=2)})
    support.injury_deviation(org, org.b, support.aware(dt.date(y, 3, 3)), "medical_treatment", side="b")
    OrgUnit.objects.filter(pk=org.b.pk).update(successor=org.a, valid_to=dt.date(y, 12, 31))
    stats = selectors.injury_stats(org.a)
    year = next(s for s in stats.years if s.year == y)
    assert year.total.hours == 80_000 and year.total.h2 == 25.0
    assert selectors.deviation_years(org.a, [y])[0].injuries["medical_treatment"] == 1


@pytest.mark.parametrize("fatal_in_h1", [True, False])
def test_fatalities_count_in_h1_as_the_organisation_decides(org: Org, fatal_in_h1: bool) -> None:
    from workflows.models import WorkflowSettings

    WorkflowSettings.objects.update_or_create(organisation=org.root, defaults={"fatalities_in_h1": fatal_in_h1})
    y = support.this_year() - 1
    support.injury_deviation(org, org.a, support.aware(dt.date(y, 3, 3)), "fatal")
    frame = selectors.deviation_frame()
    assert selectors._registered(frame, fatal_in_h1).lti == (1 if fatal_in_h1 else 0)
