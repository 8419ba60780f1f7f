"""Nynorsk: a person chooses it once and walks the annual HMS report in nynorsk.

The questionnaire's texts resolve nn → nb → default, the engine's messages are Verne's
nynorsk ones, and the interface comes from locale/nn.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from django.test import Client
from django.utils import timezone

from core.models import Role, User
from surveys import services as survey_services
from surveys.engine import api as engine
from surveys.models import Response
from tests.conftest import Org
from tests.surveys.conftest import post_page

ROOT = Path(__file__).resolve().parents[2]


def _annual_report(org: Org) -> Response:
    raw = json.loads((ROOT / "surveys/questionnaires/hms_annual_report.json").read_text(encoding="utf-8"))
    version = survey_services.questionnaire_import(actor=None, raw=raw)
    admin = org.person(Role.HMS_ADMIN)
    today = timezone.localdate()
    campaign = survey_services.campaign_create(
        actor=admin, version=version, title="HMS-årsrapport", year=today.year, mode="joint",
        opens_on=today, closes_on=today + dt.timedelta(days=30), units=[org.a],
    )  # fmt: skip
    survey_services.campaign_open(actor=admin, campaign=campaign)
    return Response.objects.get(campaign=campaign, unit=org.a)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_engine_resolves_nynorsk_then_bokmal_then_default() -> None:
    assert engine.text({"default": "D", "nb": "B", "nn": "N", "en": "E"}, "nn") == "N"
    assert engine.text({"default": "D", "nb": "B", "en": "E"}, "nn") == "B"
    assert engine.text({"default": "D", "en": "E"}, "nn") == "D"
    assert engine.text({"default": "D", "nb": "B", "en": "E"}, "en") == "E"
    assert engine.text({"default": "D", "nb": "B"}, "en") == "D"


def test_a_leader_chooses_nynorsk_and_walks_the_annual_report_in_nynorsk(org: Org) -> None:
    response = _annual_report(org)
    leader = org.person(Role.LEADER, "a")
    client = Client()
    client.force_login(leader)
    switched = client.post("/sprak/", {"language": "nn", "next": "/"}, follow=True)
    assert switched.status_code == 200
    assert User.objects.get(pk=leader.pk).language == "nn"

    # The choice is the person's: a new browser (no language cookie) still gets nynorsk.
    browser = Client()
    browser.force_login(leader)
    home = browser.get("/").content.decode()
    assert '<html lang="nn">' in home
    assert "Mine oppgåver" in home

    page = browser.get(f"/besvarelser/{response.pk}/svar/").content.decode()
    text = _text(page)
    assert '<html lang="nn">' in page
    assert "Om eininga" in text  # page title
    assert "Kor mange verneombod dekkjer eininga?" in text  # question
    assert "Har leiar og verneombod gått gjennom og svart på rapporten saman?" in text
    assert "Om enheten" not in text and "Hvor mange verneombud" not in text

    # Sending the page without the required answers: the engine's errors are in nynorsk.
    result = post_page(browser, response, "intro", {"report_year": "2025", "employees_count": "12"}, follow=True)
    text = _text(result.content.decode())
    assert "Du må svare på dette spørsmålet." in text
    assert "Response required" not in text and "Svar kreves" not in text

    result = post_page(
        browser, response, "intro",
        {"report_year": "2025", "employees_count": "12", "safety_reps_count": "1", "answered_jointly": "true"},
        follow=True,
    )  # fmt: skip
    text = _text(result.content.decode())
    assert "Mål og organisering" in text
    assert "Har eininga eigne, konkrete HMS-mål for året?" in text
    response.refresh_from_db()
    assert response.answers["safety_reps_count"] == 1 and response.answers["answered_jointly"] is True

    # The overview and review pages are nynorsk too.
    overview = _text(browser.get(f"/besvarelser/{response.pk}/").content.decode())
    assert "Om eininga" in overview
