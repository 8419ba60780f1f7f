"""The annual AMU report: a Word document whose every figure is the figure on the AMU page,
covering several years with charts, for the organisation or one unit; and a PDF copy through
LibreOffice when it is installed."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from docx import Document

from core.models import Role
from reports import selectors
from tests.conftest import Org
from tests.reports import support
from tests.reports.docx_support import docx_tables, docx_text, html_tables
from tests.surveys.conftest import client_for

PAGE_TABLES = ["amu-indicators", "amu-annual", "amu-goals", "amu-barometer", "amu-barometer-units", "amu-ark", "amu-injuries",
               "amu-sites", "amu-reconciliation", "amu-action-status", "amu-overdue", "amu-deviations"]  # fmt: skip


@pytest.fixture
def amu_data(org: Org, barometer_years: list) -> int:
    """Three barometers (fixture), an annual report (A submitted, B signed by one), injury
    statistics for A and B, injuries registered as deviations, an ARK survey and a goal."""
    from reports import services
    from reports.models import HmsGoal

    y = support.this_year()
    support.joint_campaign(org, "hms_annual_report", y - 1, [org.a, org.b], sign=[org.a, org.b])
    support.joint_campaign(org, "hms_annual_report", y, [org.a, org.b], sign=[org.a], sign_one=[org.b])
    support.joint_campaign(org, "injury_stats", y - 1, [org.a, org.b], sign=[org.a, org.b], answers={
        org.a: support.injury_values(y - 1, hours=160_000, lti=1, mti=2, days=6),
        org.b: support.injury_values(y - 1, hours=90_000, mti=1),
    })  # fmt: skip
    support.injury_deviation(org, org.a, support.aware(dt.date(y - 1, 3, 4)), "lost_time", absence_days=6)
    support.injury_deviation(org, org.a, support.aware(dt.date(y - 1, 5, 4)), "medical_treatment")
    ark = {"role_group": "employee", "exp_bullying": "never", "overall_satisfaction": 4}
    support.anon_campaign(org, "work_env_survey", y - 1, {org.a: [ark] * 6, org.b: [ark] * 5})
    services.goal_create(actor=org.person(Role.HMS_ADMIN), unit=org.root, year=y, indicator=HmsGoal.Indicator.BAROMETER_FAVOURABLE,
                         target_value=80, measure="barometer_routines_followed")  # fmt: skip
    return y


def _docx_rows(data: bytes) -> set[tuple[str, ...]]:
    return {tuple(row) for table in docx_tables(data) for row in table[1:]}


def _page_rows(html: str) -> set[tuple[str, ...]]:
    tables = html_tables(html)
    return {tuple(row) for name in PAGE_TABLES for row in tables.get(name, []) if len(row) > 1}


def test_every_figure_in_the_document_is_on_the_page_for_the_organisation(org: Org, amu_data: int) -> None:
    client = client_for(org.person(Role.HMS_ADMIN))
    page = client.get(reverse("amu_report", args=[org.root.code, amu_data])).content.decode()
    doc = client.get(reverse("amu_report_docx", args=[org.root.code, amu_data])).content
    page_rows, doc_rows = _page_rows(page), _docx_rows(doc)
    assert len(doc_rows) > 40
    assert doc_rows == page_rows
    # and the page's summary sentences are the document's
    text = docx_text(doc)
    for sentence in html_tables(page) and [s for s in page.split('id="amu-summary">', 1)[1].split("</ul>", 1)[0].split("<li>")[1:]]:
        assert sentence.split("</li>")[0].replace("&#x27;", "'").replace("&quot;", '"') in text


def test_the_report_for_a_unit_has_the_trend_pages_figures(org: Org, amu_data: int) -> None:
    client = client_for(org.person(Role.HMS_ADMIN))
    doc = client.get(reverse("amu_report_docx", args=[org.a.code, amu_data])).content
    html = client.get(reverse("unit_trend", args=[org.a.code, "hms_barometer"])).content.decode()
    years = [str(amu_data - 2), str(amu_data - 1), str(amu_data)]
    barometer = next(t for t in docx_tables(doc) if len(t[0]) == 6 and t[0][1:4] == years)
    compared = 0
    for row in barometer[1:]:
        page_row = html.split(f"<th scope=\"row\">{row[0]}", 1)
        assert len(page_row) == 2, row[0]
        cells = page_row[1].split("</tr>", 1)[0]
        for year, value in zip(years, row[1:4], strict=True):
            assert f'data-year="{year}" data-value="{value}"' in cells, (row[0], year, value)
            compared += 1
    assert compared >= 30
    # the unit's annual report indicators equal the annual-report trend page
    annual = client.get(reverse("unit_trend", args=[org.a.code, "hms_annual_report"])).content.decode()
    assert "100 %" in html_tables(annual)["trend-table"][0][2]


def test_the_document_covers_three_years_with_charts_and_is_valid(org: Org, amu_data: int) -> None:
    client = client_for(org.person(Role.HMS_ADMIN))
    r = client.get(reverse("amu_report_docx", args=[org.root.code, amu_data]))
    assert r["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        assert z.testzip() is None
        images = [n for n in z.namelist() if n.startswith("word/media/")]
    assert len(images) == 5
    doc = Document(io.BytesIO(r.content))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    for heading in ("Sammendrag", "Nøkkeltall", "HMS-årsrapporten per enhet", "HMS-barometeret", "Arbeidsmiljøundersøkelsen",
                    "Personskader (H1, H2 og F)", "Handlingsplanen", "Avvik", "HMS-mål"):  # fmt: skip
        assert heading in headings
    text = docx_text(r.content)
    for year in range(amu_data - 2, amu_data + 1):
        assert str(year) in text


def test_annual_report_status_and_injury_figures_are_in_the_report(org: Org, amu_data: int) -> None:
    report = selectors.amu_report(org.root, amu_data)
    assert report.annual_this is not None and dict(report.annual_this.states) == {"submitted": 1, "signed_by_one": 1}
    last = next(y for y in report.injuries.years if y.year == amu_data - 1)
    assert last.total.hours == 250_000 and last.total.lti == 1 and last.total.mti == 3
    assert last.total.h2 == round(4 * 1_000_000 / 250_000, 2)


def test_a_unit_role_cannot_get_the_amu_report(org: Org, amu_data: int) -> None:
    client = client_for(org.person(Role.LEADER, "a"))
    assert client.get(reverse("amu_report_docx", args=[org.a.code, amu_data])).status_code == 404


def test_the_amu_report_converts_to_pdf_with_libreoffice(org: Org, amu_data: int, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install -y libreoffice-writer-nogui")
    data = client_for(org.person(Role.HMS_ADMIN)).get(reverse("amu_report_docx", args=[org.root.code, amu_data])).content
    source = tmp_path / "amu.docx"
    source.write_bytes(data)
    profile = tmp_path / "lo-profile"
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to", "pdf", "--outdir",
                    str(tmp_path), str(source)], check=True, capture_output=True, timeout=180)  # fmt: skip
    pdf = (tmp_path / "amu.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000


def test_the_command_writes_the_report(org: Org, amu_data: int, tmp_path: Path) -> None:
    from django.core.management import call_command

    out = tmp_path / "amu.docx"
    buf = io.StringIO()
    call_command("amu_report", "--year", str(amu_data), "--out", str(out), stdout=buf)
    assert out.exists() and "Wrote" in buf.getvalue()
    call_command("amu_report", "--year", str(amu_data), "--unit", org.a.code, "--out", str(tmp_path / "a.docx"), "--language", "en",
                 stdout=io.StringIO())  # fmt: skip
    assert "Annual" in docx_text((tmp_path / "a.docx").read_bytes()) or (tmp_path / "a.docx").stat().st_size > 10_000


def test_the_command_says_what_is_wrong(org: Org) -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No unit"):
        call_command("amu_report", "--year", "2025", "--unit", "NOPE", "--out", "/tmp/x.docx")


def _unused(*_: Any) -> None:  # keeps the import of dt used in type-checkers
    dt.date.today()
