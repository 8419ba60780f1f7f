"""Trends of anonymous surveys obey the group-size rule, once, as the results pages do."""

from __future__ import annotations

from typing import Any

import pytest

from reports import anonymity, selectors
from tests.conftest import Org
from tests.reports import support


def _routines(trend: selectors.SurveyTrend) -> selectors.TrendRow:
    row = trend.row("barometer_routines_followed")
    assert row is not None
    return row


@pytest.mark.parametrize("n", [5, 7])
def test_a_unit_of_n_minus_one_shows_nothing_and_n_shows_its_figures(org: Org, settings: Any, n: int) -> None:
    settings.VERNE_MIN_GROUP_SIZE = n
    y = support.this_year()
    support.anon_campaign(org, "hms_barometer", y - 1, {org.a: support.mixed_barometers(n - 1, 2)})
    support.anon_campaign(org, "hms_barometer", y, {org.a: support.mixed_barometers(n, 3)})
    trend = selectors.survey_trend("hms_barometer", org.a)
    row = _routines(trend)
    small, big = row.cells
    assert not small.shown and small.n is None and small.share is None and small.options == []
    assert big.shown and big.n == n and big.share == round(100 * 3 / n, 1)
    assert trend.columns[0].respondents is None and trend.columns[1].respondents == n
    # nothing to compare with, so no change and no marker
    assert row.changes == [None, None] and row.matters == [False, False]


def test_the_figures_equal_the_results_pages_for_every_shown_group_and_question(org: Org) -> None:
    y = support.this_year()
    campaign = support.anon_campaign(org, "hms_barometer", y, {
        org.a: support.mixed_barometers(6, 4), org.a1: support.mixed_barometers(5, 1), org.b: support.barometers(7),
    })  # fmt: skip
    catalog = selectors.catalog_of("hms_barometer")
    figures = selectors.survey_figures([campaign], catalog)
    fig = figures.by_campaign[0]
    results = anonymity.campaign_results(campaign)
    local = {("score:" + m.path if m.kind == "score" else m.path): m.key for m in catalog.by_version[campaign.version_id].values()}
    checked = 0
    for key in results.order:
        node = results.nodes[key]
        assert fig.nodes[key].shown == node.shown
        for measure, mr in node.measures.items():
            if measure not in local:
                continue
            cell = fig.cell(key, local[measure])
            assert cell.shown == mr.shown, (key, measure)
            if mr.shown:
                checked += 1
                assert (cell.n, cell.mean, cell.sd) == (mr.n, mr.mean, mr.sd)
                assert cell.options == [(o.value, o.count, o.percent) for o in mr.options]
    assert checked > 20


def test_a_small_unit_has_no_figures_of_its_own_and_counts_in_the_unit_above(org: Org) -> None:
    y = support.this_year()
    support.anon_campaign(org, "hms_barometer", y, {org.a: support.barometers(6), org.a1: support.barometers(2)})
    small = selectors.survey_trend("hms_barometer", org.a1)
    assert small.columns[0].node == "" and not small.columns[0].node_shown
    assert all(not r.cells[0].shown and r.cells[0].n is None for r in small.rows)
    parent = selectors.survey_trend("hms_barometer", org.a)
    assert parent.columns[0].respondents == 8


def test_the_remainder_rule_hides_a_child_that_would_reveal_a_small_group(org: Org) -> None:
    """A and B have 5 answers each and the division's own group 2: showing the organisation
    (12) and both A and B would single out those 2, so one of A and B is hidden."""
    y = support.this_year()
    support.anon_campaign(org, "hms_barometer", y, {org.a: support.barometers(5), org.b: support.barometers(5),
                                                    org.div: support.barometers(2)})  # fmt: skip
    a = selectors.survey_trend("hms_barometer", org.a)
    b = selectors.survey_trend("hms_barometer", org.b)
    root = selectors.survey_trend("hms_barometer", org.root)
    assert root.columns[0].node_shown and root.columns[0].respondents == 12
    shown = [t.columns[0].respondents for t in (a, b) if t.columns[0].node_shown]
    assert len(shown) < 2
    remainder = 12 - sum(shown)
    assert remainder == 0 or remainder >= 5


def test_a_sensitive_question_needs_ten(org: Org) -> None:
    y = support.this_year()
    ark = {"exp_bullying": "never", "role_group": "employee"}
    support.anon_campaign(org, "work_env_survey", y - 1, {org.a: [ark] * 9})
    support.anon_campaign(org, "work_env_survey", y, {org.a: [ark] * 10})
    trend = selectors.survey_trend("work_env_survey", org.a)
    bullying, satisfaction = trend.row("ark_exp_bullying"), trend.row("ark_exp_harassment")
    assert bullying is not None and satisfaction is not None
    assert trend.columns[0].node_shown and trend.columns[0].respondents == 9
    assert not bullying.cells[0].shown and bullying.cells[0].reason == "few"
    assert bullying.cells[1].shown and bullying.cells[1].share == 100.0


def test_nothing_is_shown_while_the_survey_is_open(org: Org) -> None:
    y = support.this_year()
    support.anon_campaign(org, "hms_barometer", y, {org.a: support.barometers(8)}, close=False)
    trend = selectors.survey_trend("hms_barometer", org.a)
    assert trend.columns == []


def test_a_change_beyond_chance_is_marked(org: Org) -> None:
    y = support.this_year()
    support.anon_campaign(org, "hms_barometer", y - 1, {org.a: support.mixed_barometers(20, 4)})
    support.anon_campaign(org, "hms_barometer", y, {org.a: support.mixed_barometers(20, 16)})
    row = _routines(selectors.survey_trend("hms_barometer", org.a))
    assert row.changes[1] == 60.0 and row.matters[1]
    same = selectors.survey_trend("hms_barometer", org.a).row("barometer_vo_trained")
    assert same is not None and same.changes[1] == 0.0 and not same.matters[1]


def test_a_unit_closed_into_a_successor_carries_its_history(org: Org) -> None:
    """B is closed and A takes over: A's trend shows B's own (safe) figures for the year before A
    existed in the survey, marked as B's."""
    from core.models import OrgUnit

    y = support.this_year()
    support.anon_campaign(org, "hms_barometer", y - 1, {org.b: support.barometers(6)})
    support.anon_campaign(org, "hms_barometer", y, {org.a: support.barometers(7)})
    OrgUnit.objects.filter(pk=org.b.pk).update(successor=org.a)
    trend = selectors.survey_trend("hms_barometer", org.a)
    assert [c.via for c in trend.columns] == [org.b.name, ""]
    row = _routines(trend)
    assert row.cells[0].shown and row.cells[0].n == 6 and row.cells[0].via == org.b.name


def test_the_table_of_every_units_trend_equals_the_trend_of_each_unit(org: Org) -> None:
    """trend_frame (all units at once, used at scale) and trend_rows (one unit, the pages)."""
    import math

    y = support.this_year()
    support.anon_campaign(org, "hms_barometer", y - 2, {org.a: support.mixed_barometers(12, 2), org.b: support.mixed_barometers(9, 8)})
    support.anon_campaign(org, "hms_barometer", y - 1, {org.a: support.mixed_barometers(4, 2), org.b: support.mixed_barometers(10, 2)})
    support.anon_campaign(org, "hms_barometer", y, {org.a: support.mixed_barometers(15, 14), org.b: support.mixed_barometers(7, 3)})
    campaigns = selectors.trend_campaigns("hms_barometer")
    figures = selectors.survey_figures(campaigns, selectors.catalog_of("hms_barometer"), codes=None)
    table = selectors.trend_frame(figures)
    compared = 0
    for unit in (org.a, org.b, org.root):
        node = f"u:{unit.code}"
        rows = selectors.trend_rows(figures, [node if node in f.nodes else "" for f in figures.by_campaign],
                                    [f.root for f in figures.by_campaign])  # fmt: skip
        for row in rows:
            for i, cell in enumerate(row.cells):
                hit = table[(table["node"] == node) & (table["key"] == row.key) & (table["campaign"] == i)]
                if not cell.shown:
                    assert hit.empty
                    continue
                assert len(hit) == 1
                value = hit["value"].iloc[0]
                expected = cell.primary(row.kind)
                assert (expected is None and math.isnan(value)) or abs(value - expected) < 0.051
                change = hit["change"].iloc[0]
                assert (row.changes[i] is None and math.isnan(change)) or abs(change - row.changes[i]) < 0.11
                assert bool(hit["matters"].iloc[0]) == row.matters[i], (node, row.key, i)
                compared += 1
    assert compared > 50
