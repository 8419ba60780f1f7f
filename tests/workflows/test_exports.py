"""Exports open in Word and Excel and show user text literally (no template code, no XML, no formulas)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document
from jinja2.exceptions import SecurityError
from openpyxl import load_workbook

from core.models import Role
from reports.docx import render_docx
from tests.conftest import Org
from tests.workflows import factories as f
from workflows import services
from workflows.services import FindingDecision

HOSTILE = "{{ 7*7 }} {% for x in y %}X{% endfor %} <w:t>inject</w:t> Smith & Jones ]]> \"quoted\""


def _text(docx: bytes) -> str:
    document = Document(io.BytesIO(docx))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_action_plan_downloads_as_xlsx_with_literal_text_and_real_dates(org: Org) -> None:
    f.action(org, "a", title=HOSTILE, due=dt.date(2030, 1, 31))
    f.action(org, "a", title="=HYPERLINK(\"http://evil.example\",\"klikk\")", due=dt.date(2030, 2, 1))
    response = _client(org.person(Role.EMPLOYEE, "a")).get(reverse("action_plan_xlsx", kwargs={"code": "A"}))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="handlingsplan-A.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Nr.", "Tiltak")
    assert rows[1][1] == HOSTILE and rows[1][4] == dt.datetime(2030, 1, 31)
    formula_cell = sheet.cell(row=3, column=2)
    assert formula_cell.value.startswith("=HYPERLINK") and formula_cell.data_type == "s"


def test_the_action_plan_downloads_as_docx_with_literal_text(org: Org) -> None:
    f.action(org, "a", title=HOSTILE)
    response = _client(org.person(Role.LEADER, "a")).get(reverse("action_plan_docx", kwargs={"code": "A"}))
    assert response.status_code == 200
    text = _text(response.content)
    assert HOSTILE in text and "HMS-handlingsplan" in text and "49" not in text
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        xml = archive.read("word/document.xml").decode()
    assert "<w:t>inject</w:t>" not in xml and "&lt;w:t&gt;inject" in xml


def test_the_export_follows_the_filters_on_the_page(org: Org) -> None:
    f.action(org, "a", title="Åpent tiltak")
    f.action(org, "a", title="Ferdig tiltak", status="verified")
    response = _client(org.person(Role.LEADER, "a")).get(
        reverse("action_plan_xlsx", kwargs={"code": "A"}), {"status": ["verified"]})
    titles = [row[1] for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True)]
    assert titles == ["Ferdig tiltak"]


def test_the_round_report_opens_in_word_with_findings_and_actions(org: Org) -> None:
    leader, owner = org.person(Role.LEADER, "a"), org.person(Role.EMPLOYEE, "a")
    round_ = f.hms_round(org, "a", title=f"Runde {HOSTILE}", participants=[leader])
    finding = services.finding_add(actor=leader, round_=round_, title=f"Funn {HOSTILE}", probability=3, consequence=5,
                                   proposed_measure="Nytt rekkverk & skilt")  # fmt: skip
    services.round_mark_conducted(actor=leader, round_=round_, employee_talks="Mye støy <b>")
    services.round_summarise(actor=leader, round_=round_, decisions=[FindingDecision(
        finding=finding, resolution="action", owner=owner, due_date=dt.date(2030, 3, 1), cost_estimate=12000)])  # fmt: skip
    response = _client(org.person(Role.EMPLOYEE, "a")).get(reverse("round_docx", kwargs={"pk": round_.pk}))
    assert response.status_code == 200
    text = _text(response.content)
    for expected in (f"Runde {HOSTILE}", f"Funn {HOSTILE}", "Nytt rekkverk & skilt", "Mye støy <b>", "15 (rød)",
                     "Rapport fra HMS-runde", "12 000 kr", "Leder ved oppsummering"):  # fmt: skip
        assert expected in text, expected


def test_the_learning_report_opens_in_word(org: Org) -> None:
    report = f.learning_report(org, "a")
    services.learning_report_save(actor=org.person(Role.CASE_HANDLER, "a"), deviation=report.deviation,
                                  title=HOSTILE, summary="S", potential="P", causes="C", measures="M",
                                  learning_points="L")  # fmt: skip
    response = _client(org.person(Role.VERNEOMBUD, "a")).get(reverse("learning_report_docx", kwargs={"pk": report.deviation_id}))
    assert response.status_code == 200 and HOSTILE in _text(response.content)


def test_render_docx_runs_templates_in_a_sandbox(tmp_path: Path) -> None:
    template = Document()
    template.add_paragraph().add_run("{{ ''.__class__.__mro__[1].__subclasses__() }}")
    path = tmp_path / "evil.docx"
    template.save(str(path))
    with pytest.raises(SecurityError):
        render_docx(path, {})


def test_render_docx_removes_control_characters_from_values(tmp_path: Path) -> None:
    template = Document()
    template.add_paragraph().add_run("{{ value }}")
    path = tmp_path / "t.docx"
    template.save(str(path))
    text = _text(render_docx(path, {"value": "før\x0cpage\x07bell\x00null & etter"}))
    assert "førpagebellnull & etter" in text
