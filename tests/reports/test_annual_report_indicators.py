"""Annual-report indicators: submitted, signed by one, in progress and not started per unit;
the share of units with an action plan and with four or more leader–VO meetings."""

from __future__ import annotations

import datetime as dt

from reports import selectors
from tests.conftest import Org
from tests.reports import support


def test_status_per_unit_and_the_indicators(org: Org) -> None:
    y = support.this_year()
    support.joint_campaign(org, "hms_annual_report", y, [org.a, org.a1, org.b], sign=[org.a], sign_one=[org.b],
                           answers={org.a: {"has_action_plan": True, "leader_vo_meetings": 5}})  # fmt: skip
    years, _catalog = selectors.annual_report_years(org.root)
    year = years[-1]
    assert {r.unit_code: r.state for r in year.rows} == {"A": "submitted", "A1": "missing", "B": "signed_by_one"}
    assert year.share_submitted == round(100 / 3, 1)
    assert year.action_plan == (1, 1) and year.meetings4 == (1, 1)
    assert year.rows[0].signatures and {c for _n, c, _at in year.rows[0].signatures} == {"leader", "verneombud"}


def test_the_indicators_count_only_submitted_reports_and_follow_the_scope(org: Org) -> None:
    y = support.this_year()
    support.joint_campaign(org, "hms_annual_report", y, [org.a, org.b], sign=[org.a, org.b], answers={
        org.a: {"has_action_plan": False, "leader_vo_meetings": 2}, org.b: {"has_action_plan": True, "leader_vo_meetings": 4},
    })  # fmt: skip
    root = selectors.annual_report_years(org.root)[0][-1]
    assert root.action_plan == (1, 2) and root.meetings4 == (1, 2) and root.share_meetings4 == 50.0
    a = selectors.annual_report_years(org.a)[0][-1]
    assert a.units == 1 and a.action_plan == (0, 1)


def test_signed_by_a_date(org: Org) -> None:
    y = support.this_year()
    support.joint_campaign(org, "hms_annual_report", y, [org.a, org.b], sign=[org.a, org.b], signed_on=dt.date(y, 2, 20))
    year = selectors.annual_report_years(org.root)[0][-1]
    assert year.signed_by(dt.date(y, 3, 1)) == (2, 2)
    assert year.signed_by(dt.date(y, 2, 1)) == (0, 2)
