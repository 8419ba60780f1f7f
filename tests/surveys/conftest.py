"""Fixtures for questionnaire tests: a small joint questionnaire issued to unit A."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from core.models import Role
from surveys import services
from surveys.models import Campaign, QuestionnaireVersion, Response
from tests.conftest import Org

SMALL = {
    "verneKey": "test_report",
    "title": {"default": "Testrapport", "en": "Test report"},
    "pages": [
        {"name": "intro", "title": {"default": "Om enheten", "en": "About the unit"}, "elements": [
            {"type": "text", "name": "unit_name", "title": "Enhet", "readOnly": True, "vernePrefill": "unit.name"},
            {"type": "boolean", "name": "answered_jointly", "title": {"default": "Besvart sammen?", "en": "Answered together?"}, "isRequired": True},
            {"type": "comment", "name": "why_not", "title": "Hvorfor ikke?", "visibleIf": "{answered_jointly} = false"},
        ]},
        {"name": "meetings", "title": "Møter", "elements": [
            {"type": "text", "inputType": "number", "name": "leader_vo_meetings", "title": {"default": "Antall møter", "en": "Meetings"},
             "isRequired": True, "min": 0, "max": 52,
             "verneFollowUps": [{"code": "leader_vo_meetings_min4", "when": "{leader_vo_meetings} < 4",
                                 "title": {"nb": "Sett opp minst fire møter", "en": "Schedule at least four meetings"},
                                 "ownerRole": "leader", "due": "P30D", "priority": "high", "legalRef": "IK-forskriften § 5 nr. 3"}]},
        ]},
        {"name": "extra", "title": "Mange møter", "visibleIf": "{leader_vo_meetings} > 10", "elements": [
            {"type": "radiogroup", "name": "too_many", "title": "For mange?", "choices": ["ja", "nei"]},
        ]},
        {"name": "last", "title": "Til slutt", "elements": [
            {"type": "checkbox", "name": "arenas", "title": "Arenaer", "choices": [{"value": "staff", "text": "Personalmøter"}, {"value": "amu", "text": "AMU"}], "showNoneItem": True},
            {"type": "comment", "name": "remarks", "title": "Merknader"},
        ]},
    ],
}  # fmt: skip


@pytest.fixture
def version(db: None) -> QuestionnaireVersion:
    return services.questionnaire_import(actor=None, raw=SMALL)


@pytest.fixture
def campaign(org: Org, version: QuestionnaireVersion) -> Campaign:
    admin = org.person(Role.HMS_ADMIN)
    today = dt.date.today()
    c = services.campaign_create(
        actor=admin, version=version, title="Testrapport", year=today.year, mode="joint",
        opens_on=today, closes_on=today + dt.timedelta(days=30), units=[org.a, org.b],
    )  # fmt: skip
    return services.campaign_open(actor=admin, campaign=c)


@pytest.fixture
def response(campaign: Campaign, org: Org) -> Response:
    return Response.objects.get(campaign=campaign, unit=org.a)


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def wizard_url(response: Response) -> str:
    return f"/besvarelser/{response.pk}/svar/"


def current_step(html: str) -> str:
    match = re.search(r'name="response_[0-9a-f]+-current_step" value="([^"]+)"', html)
    assert match, "not a wizard page"
    return match.group(1)


def post_page(client: Client, response: Response, page: str, data: dict[str, Any], *, lock: int | None = None, shown: list[str] | None = None, follow: bool = True, **extra: Any) -> Any:
    """POST one wizard page; by default follow the redirect (Post/Redirect/Get) to the next page."""
    response.refresh_from_db()
    payload: dict[str, Any] = {
        f"response_{response.pk.hex}-current_step": page,
        "lock_version": str(response.lock_version if lock is None else lock),
        **{f"{page}-{k}": v for k, v in data.items()},
        **extra,
    }
    if shown is not None:
        payload["shown_questions"] = shown
    return client.post(wizard_url(response), payload, follow=follow)
