"""The group-size rule on every output the reports add: the trend page, its chart, the AMU
report (DOCX), the exports (XLSX and CSV) and the API each refuse a group of N−1 and show a
group of N (N = VERNE_MIN_GROUP_SIZE)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from core.models import Role
from tests.conftest import Org
from tests.reports import support
from tests.surveys.conftest import client_for

KEY = "barometer_routines_followed"
TITLE = "Hvor ofte blir HMS-rutinene fulgt i praksis"


def _setup(org: Org, n: int) -> tuple[Any, Any]:
    """Unit A answers the barometer with N−1 people one year and N the next (3 favourable)."""
    y = support.this_year()
    small = support.anon_campaign(org, "hms_barometer", y - 1, {org.a: support.mixed_barometers(n - 1, 3)})
    big = support.anon_campaign(org, "hms_barometer", y, {org.a: support.mixed_barometers(n, 3)})
    return small, big


def _pct(n: int) -> str:
    from reports import formatting

    return formatting.pct(round(100 * 3 / n, 1))


SIZES = [5, 7]


@pytest.mark.parametrize("n", SIZES)
def test_the_trend_page(org: Org, settings: Any, n: int) -> None:
    settings.VERNE_MIN_GROUP_SIZE = n
    small, big = _setup(org, n)
    page = client_for(org.person(Role.LEADER, "a")).get(reverse("unit_trend", args=[org.a.code, "hms_barometer"])).content.decode()
    row = page.split(f'data-key="{KEY}"', 1)[1].split("</tr>", 1)[0]
    before, after = row.split(f'data-year="{big.year}"', 1)
    assert f'data-year="{small.year}" data-value="' in before and "%" not in before and "n=" not in before
    assert 'data-value="skjult"' in before or 'data-value="slått sammen"' in before
    assert f'data-value="{_pct(n)}"' in after and f"(n={n})" in after


@pytest.mark.parametrize("n", SIZES)
def test_the_chart(org: Org, settings: Any, n: int) -> None:
    settings.VERNE_MIN_GROUP_SIZE = n
    _setup(org, n)
    client = client_for(org.person(Role.LEADER, "a"))
    svg = client.get(reverse("unit_trend_chart", args=[org.a.code, "hms_barometer"])).content.decode()
    # one point drawn for the unit (the year with N), labelled with its value; nothing for N−1
    line = svg.split(f'id="unit-{KEY}"', 1)[1].split("</g>", 1)[0]
    assert line.count(" L ") == 0  # a single point, no line segment from a hidden year
    assert _pct(n).replace(" %", "") in svg


@pytest.mark.parametrize("n", SIZES)
def test_the_chart_of_a_group_of_n_minus_one_draws_nothing(org: Org, settings: Any, n: int) -> None:
    settings.VERNE_MIN_GROUP_SIZE = n
    y = support.this_year()
    support.anon_campaign(org, "hms_barometer", y, {org.a: support.mixed_barometers(n - 1, 3)})
    svg = client_for(org.person(Role.LEADER, "a")).get(reverse("unit_trend_chart", args=[org.a.code, "hms_barometer"])).content.decode()
    assert f'id="unit-{KEY}"' not in svg and f'id="org-{KEY}"' not in svg
    assert "Ingen tall kan vises" in svg


@pytest.mark.parametrize("n", SIZES)
def test_the_amu_report_docx(org: Org, settings: Any, n: int) -> None:
    settings.VERNE_MIN_GROUP_SIZE = n
    _small, big = _setup(org, n)
    client = client_for(org.person(Role.HMS_ADMIN))
    r = client.get(reverse("amu_report_docx", args=[org.a.code, big.year]))
    assert r.status_code == 200
    rows = [[c.text for c in row.cells] for t in Document(io.BytesIO(r.content)).tables for row in t.rows]
    trend_row = next(r for r in rows if r[0].startswith(TITLE) and len(r) == 6)  # the barometer table
    assert trend_row[2] in ("skjult", "slått sammen") and trend_row[3] == _pct(n)
    indicator = next(r for r in rows if r[0].startswith(TITLE) and len(r) == 5)  # key indicators
    assert indicator[1] in ("skjult", "slått sammen") and indicator[2] == _pct(n)


@pytest.mark.parametrize("n", SIZES)
def test_the_xlsx_and_csv_exports(org: Org, settings: Any, n: int) -> None:
    settings.VERNE_MIN_GROUP_SIZE = n
    small, big = _setup(org, n)
    client = client_for(org.person(Role.HMS_ADMIN))
    for campaign, shown in ((small, False), (big, True)):
        r = client.get(reverse("export_xlsx", args=[campaign.pk, org.a.code]))
        ws = load_workbook(io.BytesIO(r.content)).active
        rows = [[c.value for c in row] for row in ws.iter_rows()]
        counts = [row[5] for row in rows[1:] if isinstance(row[5], int)]
        assert bool(counts) is shown
        if shown:
            assert max(row[2] for row in rows[1:] if isinstance(row[2], int)) == n
        else:
            assert all(row[2] in (None, "") for row in rows[1:])
        text = client.get(reverse("export_csv", args=[campaign.pk, org.a.code])).content.decode("utf-8-sig")
        csv_rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        assert any(r[5] for r in csv_rows[1:] if len(r) > 5) is shown


@pytest.mark.parametrize("n", SIZES)
def test_the_api(org: Org, settings: Any, n: int) -> None:
    settings.VERNE_MIN_GROUP_SIZE = n
    _setup(org, n)
    data = client_for(org.person(Role.LEADER, "a")).get(reverse("api_unit_trend", args=[org.a.code, "hms_barometer"])).json()
    measure = next(m for m in data["measures"] if m["key"] == KEY)
    hidden, shown = measure["unit"]
    assert hidden == {"shown": False, "reason": "rolled_up"}  # merged into the organisation's group
    assert shown["shown"] and shown["n"] == n and shown["share_favourable"] == round(100 * 3 / n, 1)
    assert data["years"][0]["respondents"] is None and data["years"][1]["respondents"] == n
