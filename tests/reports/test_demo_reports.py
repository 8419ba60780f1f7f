"""The demo (`manage.py load_demo`): the HMS admin downloads an AMU report that covers three
years with charts, each unit's leader sees their trends, exports open in a spreadsheet, and the
demo goals show attainment."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from core.models import User
from reports import selectors
from reports.models import HmsGoal
from surveys.models import Campaign
from tests.reports.docx_support import docx_tables, html_tables
from tests.surveys.conftest import client_for

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock():
        mail.outbox = []
        out = io.StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.django_db
def test_the_hms_admin_downloads_an_amu_report_covering_three_years_with_charts(demo: str) -> None:
    admin = client_for(User.objects.get(username="hms.admin"))
    r = admin.get(reverse("amu_start"))
    assert r.status_code == 302
    year = selectors.latest_year()
    assert r["Location"].endswith(f"/{year}/")
    doc = admin.get(reverse("amu_report_docx", args=["NHU", year]))
    assert doc.status_code == 200
    with zipfile.ZipFile(io.BytesIO(doc.content)) as z:
        assert len([n for n in z.namelist() if n.startswith("word/media/")]) == 5
    tables = docx_tables(doc.content)
    barometer = next(t for t in tables if t[0][1:4] == [str(year - 2), str(year - 1), str(year)] and len(t[0]) == 6)
    assert all("%" in cell for row in barometer[1:] for cell in row[1:4])  # three years of figures
    injuries = next(t for t in tables if t[0][0] == "År" and "H2" in t[0])
    assert [row[0] for row in injuries[1:]] == [str(year - 2), str(year - 1), str(year)]
    annual = next(t for t in tables if t[0][:2] == ["Enhet", "Status"])
    assert len(annual) >= 29
    page = admin.get(reverse("amu_report", args=["NHU", year])).content.decode()
    assert "amu-goals" in html_tables(page) and "Ikke nådd" in page


@pytest.mark.django_db
def test_each_units_leader_sees_their_trends(demo: str) -> None:
    leader = client_for(User.objects.get(username="leder.kjemi"))
    assert leader.get(reverse("reports_index")).status_code == 200
    page = leader.get(reverse("unit_trend", args=["NT-KJE", "hms_barometer"])).content.decode()
    years = sorted(Campaign.objects.filter(version__questionnaire__key="hms_barometer", status="closed").values_list("year", flat=True))
    assert len(years) == 3
    row = html_tables(page)["trend-table"][0]
    assert all("%" in cell for cell in row[1:4])
    assert leader.get(reverse("unit_trend", args=["NT-FYS", "hms_barometer"])).status_code == 404
    small = client_for(User.objects.get(username="leder.saml"))
    html = small.get(reverse("unit_trend", args=["UB-SAML", "hms_barometer"])).content.decode()
    assert "%" not in "".join(html_tables(html).get("trend-table", [[""]])[0][1:4])


@pytest.mark.django_db
def test_exports_open_in_a_spreadsheet(demo: str) -> None:
    admin = client_for(User.objects.get(username="hms.admin"))
    for key in ("hms_annual_report", "hms_barometer"):
        campaign = Campaign.objects.filter(version__questionnaire__key=key, status="closed").order_by("-year").first()
        data = admin.get(reverse("export_xlsx", args=[campaign.pk, "NHU"])).content
        ws = load_workbook(io.BytesIO(data)).active
        assert ws.max_row > 10


@pytest.mark.django_db
def test_the_demo_goals_are_measured(demo: str) -> None:
    data = selectors.GoalData()
    states = {selectors.goal_attainment(g, data).status for g in HmsGoal.objects.all()}
    assert {"met", "missed"} <= states
