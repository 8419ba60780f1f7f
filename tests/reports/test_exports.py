"""Exports of responses: XLSX and CSV that open in a spreadsheet, formula-looking text
neutralised, anonymous surveys without identifiers and only after the group-size rule."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from core.models import Role
from surveys.models import Participation
from tests.conftest import Org
from tests.reports import support
from tests.surveys.conftest import client_for

FORMULAS = ["=HYPERLINK(\"http://x\")", "+1+2", "-3+cmd", "@SUM(A1)"]


def _sheet(data: bytes) -> list[list[object]]:
    ws = load_workbook(io.BytesIO(data)).active
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_joint_responses_export_one_row_each_and_neutralise_formulas(org: Org) -> None:
    y = support.this_year()
    campaign = support.joint_campaign(org, "hms_annual_report", y, [org.a, org.b], sign=[org.a], draft=[org.b],
                                      answers={org.a: {"strengths": FORMULAS[0], "improvement_areas": FORMULAS[1],
                                                       "hse_goals_text": FORMULAS[2]}})  # fmt: skip
    client = client_for(org.person(Role.HMS_ADMIN))
    rows = _sheet(client.get(reverse("export_xlsx", args=[campaign.pk, org.root.code])).content)
    header, body = rows[0], rows[1:]
    assert header[:4] == ["Kampanje", "År", "Enhetskode", "Enhet"]
    assert [r[2] for r in body] == ["A", "B"]
    a = body[0]
    assert "'" + FORMULAS[0] in a and "'" + FORMULAS[1] in a
    assert not any(isinstance(v, str) and v.startswith(("=", "+", "-", "@")) for row in rows for v in row)
    ws = load_workbook(io.BytesIO(client.get(reverse("export_xlsx", args=[campaign.pk, org.root.code])).content)).active
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    meetings = header.index(next(h for h in header if isinstance(h, str) and "møter" in h.lower() and "verneombud" in h.lower()))
    assert isinstance(a[meetings], int)
    text = client.get(reverse("export_csv", args=[campaign.pk, org.root.code])).content.decode("utf-8-sig")
    parsed = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(parsed) == 3 and all(not cell.startswith(("=", "+", "-", "@")) for row in parsed for cell in row)


def test_a_leader_exports_only_their_own_units(org: Org) -> None:
    y = support.this_year()
    campaign = support.joint_campaign(org, "hms_annual_report", y, [org.a, org.b], sign=[org.a, org.b])
    client = client_for(org.person(Role.LEADER, "a"))
    rows = _sheet(client.get(reverse("export_xlsx", args=[campaign.pk, org.a.code])).content)
    assert [r[2] for r in rows[1:]] == ["A"]
    assert client.get(reverse("export_xlsx", args=[campaign.pk, org.b.code])).status_code == 404
    assert client_for(org.person(Role.EMPLOYEE, "a")).get(reverse("export_xlsx", args=[campaign.pk, org.a.code])).status_code == 404


def test_anonymous_exports_have_no_identifiers_and_no_rows_per_respondent(org: Org) -> None:
    y = support.this_year()
    campaign = support.anon_campaign(org, "hms_barometer", y, {org.a: support.barometers(6), org.b: support.barometers(5)})
    data = client_for(org.person(Role.HMS_ADMIN)).get(reverse("export_xlsx", args=[campaign.pk, org.root.code])).content
    rows = _sheet(data)
    text = repr(rows)
    people = Participation.objects.filter(campaign=campaign).select_related("person")
    for p in people:
        assert p.person.username not in text and p.person.get_full_name() not in text and p.person.email not in text
    assert rows[0][:4] == ["Gruppe", "Merknad", "Svar i gruppen", "Spørsmål"]
    # one row per group, question and answer option: counts, not answers
    groups = {r[0] for r in rows[1:]}
    assert any("Avdeling A" in g for g in groups)
    assert max(r[5] for r in rows[1:] if isinstance(r[5], int)) <= 11


def test_the_index_lists_what_the_person_may_export(org: Org) -> None:
    y = support.this_year()
    campaign = support.joint_campaign(org, "hms_annual_report", y, [org.a, org.b])
    html = client_for(org.person(Role.LEADER, "a")).get(reverse("export_index")).content.decode()
    assert reverse("export_xlsx", args=[campaign.pk, org.a.code]) in html
    assert reverse("export_xlsx", args=[campaign.pk, org.b.code]) not in html


def test_the_command_exports_csv_and_xlsx(org: Org, tmp_path: Path) -> None:
    y = support.this_year()
    support.joint_campaign(org, "hms_annual_report", y, [org.a, org.b], sign=[org.a])
    out = tmp_path / "svar.xlsx"
    call_command("export_responses", "--questionnaire", "hms_annual_report", "--year", str(y), "--out", str(out), stdout=io.StringIO())
    assert len(_sheet(out.read_bytes())) == 3
    csv_out = tmp_path / "svar.csv"
    call_command("export_responses", "--questionnaire", "hms_annual_report", "--year", str(y), "--unit", "A", "--out", str(csv_out),
                 stdout=io.StringIO())  # fmt: skip
    assert len(list(csv.reader(io.StringIO(csv_out.read_text(encoding="utf-8-sig")), delimiter=";"))) == 2
