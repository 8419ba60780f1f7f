"""The trend pages: a unit's year-over-year tables, charts beside them, who may see them, and a
bounded number of queries."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from core.models import Role
from tests.conftest import Org
from tests.reports import support
from tests.surveys.conftest import client_for


def test_a_leader_sees_their_units_trend_with_the_organisation_and_the_changes(org: Org, barometer_years: list) -> None:
    page = client_for(org.person(Role.LEADER, "a")).get(reverse("unit_trend", args=[org.a.code, "hms_barometer"]))
    html = page.content.decode()
    assert page.status_code == 200
    years = [c.year for c in barometer_years]
    for y in years:
        assert f'<th scope="col" class="r-num">{y}</th>' in html
    row = html.split('data-key="barometer_routines_followed"', 1)[1].split("</tr>", 1)[0]
    # A: 2 of 6, 4 of 7, 6 of 8 followed "often"; the change from last year is +18
    assert "33 %" in row and "57 %" in row and "75 %" in row and 'data-change="+18"' in row
    assert "Hele organisasjonen" in html
    assert "<caption>" in html and 'scope="row"' in html


def test_the_chart_sits_beside_the_table_with_a_text_alternative(org: Org, barometer_years: list) -> None:
    html = client_for(org.person(Role.LEADER, "a")).get(reverse("unit_trend", args=[org.a.code, "hms_barometer"])).content.decode()
    img = html.split('<figure class="r-figure">', 1)[1].split("</figure>", 1)[0]
    assert reverse("unit_trend_chart", args=[org.a.code, "hms_barometer"]) in img
    assert 'alt="' in img and "Tallene står i tabellen" in img
    assert 'id="marker-note"' in html and "95 %" in html


def test_the_marker_is_explained_and_announced(org: Org) -> None:
    y = support.this_year()
    support.anon_campaign(org, "hms_barometer", y - 1, {org.a: support.mixed_barometers(20, 4)})
    support.anon_campaign(org, "hms_barometer", y, {org.a: support.mixed_barometers(20, 16)})
    html = client_for(org.person(Role.LEADER, "a")).get(reverse("unit_trend", args=[org.a.code, "hms_barometer"])).content.decode()
    row = html.split('data-key="barometer_routines_followed"', 1)[1].split("</tr>", 1)[0]
    assert "r-matters" in row and "(endring utover tilfeldig variasjon)" in row


def test_a_leader_cannot_see_another_units_trends(org: Org, barometer_years: list) -> None:
    client = client_for(org.person(Role.LEADER, "a"))
    assert client.get(reverse("unit_trend", args=[org.b.code, "hms_barometer"])).status_code == 404
    assert client.get(reverse("unit_trend_chart", args=[org.b.code, "hms_barometer"])).status_code == 404
    assert client.get(reverse("unit_trend", args=[org.a.code, "no_such_questionnaire"])).status_code == 404


def test_the_annual_report_and_injury_pages_render(org: Org) -> None:
    y = support.this_year()
    support.joint_campaign(org, "hms_annual_report", y, [org.a, org.b], sign=[org.a])
    client = client_for(org.person(Role.HMS_ADMIN))
    html = client.get(reverse("unit_trend", args=[org.root.code, "hms_annual_report"])).content.decode()
    assert 'data-key="submitted"' in html and "50 %" in html and "(1/2)" in html
    assert client.get(reverse("unit_trend_chart", args=[org.root.code, "hms_annual_report"])).status_code == 200
    assert client.get(reverse("unit_trend", args=[org.root.code, "injury_stats"])).status_code == 200


def test_the_unit_overview_lists_the_questionnaires_goals_and_units(org: Org, barometer_years: list) -> None:
    html = client_for(org.person(Role.LEADER, "a")).get(reverse("unit_reports", args=[org.a.code])).content.decode()
    assert reverse("unit_trend", args=[org.a.code, "hms_barometer"]) in html
    assert reverse("unit_reports", args=[org.a1.code]) in html
    assert reverse("goal_create", args=[org.a.code]) in html


def test_pages_use_a_bounded_number_of_queries(org: Org, barometer_years: list, django_assert_max_num_queries: Any) -> None:
    client = client_for(org.person(Role.HMS_ADMIN))
    pages = [
        (reverse("unit_trend", args=[org.a.code, "hms_barometer"]), 25),
        (reverse("unit_trend_chart", args=[org.a.code, "hms_barometer"]), 25),
        (reverse("unit_trend", args=[org.a.code, "hms_annual_report"]), 15),
        (reverse("unit_trend", args=[org.a.code, "injury_stats"]), 20),
        (reverse("unit_reports", args=[org.a.code]), 20),
        (reverse("goal_list", args=[org.a.code]), 12),
        (reverse("amu_report", args=[org.root.code, support.this_year()]), 45),
    ]
    for url, limit in pages:
        client.get(url)  # warm caches (session, access)
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200


def test_more_answers_and_units_do_not_mean_more_queries(org: Org, django_assert_max_num_queries: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(org.person(Role.HMS_ADMIN))
    url = reverse("unit_trend", args=[org.root.code, "hms_barometer"])
    y = support.this_year()
    support.anon_campaign(org, "hms_barometer", y, {org.a: support.barometers(5)})
    from django.core.cache import cache

    client.get(url)
    cache.clear()  # the answer counts of closed campaigns are cached: compare cold with cold
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    cache.clear()
    support.anon_campaign(org, "hms_barometer", y, {org.a: support.barometers(9), org.b: support.barometers(8),
                                                    org.a1: support.barometers(6)})  # fmt: skip
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)
