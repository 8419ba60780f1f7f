"""Helpers and fixtures for the anonymous-survey tests (import the fixtures into a test module).

The shared test organisation has one employee per department; these helpers add employees,
issue the barometer (or the working-environment survey) to units A and B, and answer it the
way a respondent does: through the one-time link from the email, page by page.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from core import services as core_services
from core.models import OrgUnit, Role, User
from surveys import engine_api, services
from surveys.anon import services as anon_services
from surveys.models import Campaign, QuestionnaireVersion
from surveys.wizard_forms import build_page_form
from tests.conftest import Org

ROOT = Path(__file__).resolve().parents[2]
_counter = itertools.count(1)
CODE = re.compile(r"\b([A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5})\b")


def load_version(key: str) -> QuestionnaireVersion:
    raw = json.loads((ROOT / "surveys" / "questionnaires" / f"{key}.json").read_text(encoding="utf-8"))
    return services.questionnaire_import(actor=None, raw=raw)


def add_employees(unit: OrgUnit, n: int, *, prefix: str = "emp") -> list[User]:
    people = []
    for _ in range(n):
        i = next(_counter)
        user = core_services.person_create(
            actor=None, username=f"{prefix}{i}_{unit.code.lower()}", first_name=f"Ansatt{i}", last_name=unit.code,
            email=f"{prefix}{i}.{unit.code.lower()}@example.no",
        )  # fmt: skip
        core_services.membership_grant(actor=None, user=user, role=Role.EMPLOYEE, unit=unit, valid_from=dt.date(2020, 1, 1))
        people.append(user)
    return people


def issue(org: Org, version: QuestionnaireVersion, units: list[OrgUnit], capture: Any, *, title: str = "HMS-barometer") -> Campaign:
    """Create, open and invite (the invitation emails are sent on commit)."""
    admin = org.person(Role.HMS_ADMIN)
    today = dt.date.today()
    campaign = services.campaign_create(
        actor=admin, version=version, title=title, year=today.year, mode="anonymous",
        opens_on=today, closes_on=today + dt.timedelta(days=21), units=units,
    )  # fmt: skip
    campaign = services.campaign_open(actor=admin, campaign=campaign)
    with capture(execute=True):
        anon_services.anonymous_campaign_invite(actor=admin, campaign=campaign)
    return campaign


def codes_by_email() -> dict[str, str]:
    """The newest one-time code sent to each address."""
    out: dict[str, str] = {}
    for message in mail.outbox:
        match = CODE.search(message.body)
        if match:
            out[message.to[0]] = match.group(1)
    return out


def close(org: Org, campaign: Campaign) -> Campaign:
    admin = org.person(Role.HMS_ADMIN)
    services.campaign_close(actor=admin, campaign=campaign)
    campaign.refresh_from_db()
    anon_services.anonymous_campaign_closed(actor=admin, campaign=campaign)
    return campaign


# ------------------------------------------------------------------------ answering


def field_data(version: QuestionnaireVersion, page: str, values: Mapping[str, Any], answers: Mapping[str, Any]) -> dict[str, Any]:
    """POST data for one page from answer values (as the browser would send them)."""
    session = engine_api.Session(version, dict(answers), locale="nb")
    form_class = build_page_form(session.page(page))
    data: dict[str, Any] = {}
    for name, slot in form_class.slots.items():
        if slot.question not in values:
            continue
        value = values[slot.question]
        if slot.part == "row" and isinstance(value, dict):
            q = next(q for q in form_class.page.questions() if q.name == slot.question)
            row = q.rows[slot.row].value
            if row in value:
                data[f"{page}-{name}"] = str(value[row])
        elif slot.part == "value":
            if isinstance(value, bool):
                data[f"{page}-{name}"] = "true" if value else "false"
            elif isinstance(value, list):
                data[f"{page}-{name}"] = [str(v) for v in value]
            else:
                data[f"{page}-{name}"] = str(value)
    return data


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"no hidden {name} in page"
    return match.group(1).replace("&quot;", '"').replace("&amp;", "&").replace("&#x27;", "'")


def current_page(html: str) -> str:
    return hidden(html, "page")


def answer_by_link(client: Client, code: str, version: QuestionnaireVersion, answers: Mapping[str, Any]) -> Any:
    """Open the link (POST the code), answer every page, submit. Returns the final response."""
    r = client.post("/undersokelse/", {"token": code, "drafts": "{}"})
    assert r.status_code == 200, r.status_code
    return _walk(client, r, {"token": code}, version, answers)


def answer_logged_in(client: Client, campaign: Campaign, answers: Mapping[str, Any]) -> Any:
    r = client.post(f"/undersokelse/{campaign.pk}/", {"drafts": "{}"})
    assert r.status_code == 200
    return _walk(client, r, {"campaign": str(campaign.pk)}, campaign.version, answers)


def _walk(client: Client, r: Any, auth: dict[str, str], version: QuestionnaireVersion, answers: Mapping[str, Any]) -> Any:
    so_far: dict[str, Any] = {}
    for _ in range(40):
        html = r.content.decode()
        page = current_page(html)
        state = hidden(html, "state")
        if page == "__summary__":
            return client.post("/undersokelse/side/", {**auth, "state": state, "page": page, "nav": "submit"})
        session = engine_api.Session(version, so_far, locale="nb")
        on_page = {q.name for q in session.page(page).questions()}
        values = {k: v for k, v in answers.items() if k in on_page}
        so_far.update(values)
        data = {**auth, "state": state, "page": page, "nav": "next", **field_data(version, page, values, so_far)}
        r = client.post("/undersokelse/side/", data)
        assert r.status_code == 200, (page, r.status_code)
    raise AssertionError("the survey did not end")


BAROMETER_ANSWER: dict[str, Any] = {
    "b_role": "employee",
    "b_vo_trained": "yes",
    "b_wec_trained": "dont_know",
    "b_own_training": 4,
    "b_knows_vo": True,
    "b_routines_exist": "yes",
    "b_routines_followed": "often",
    "b_deviation_habit": "often",
    "b_deviation_culture": {"b_safe_to_report": 4, "b_feedback_given": 3, "b_deviations_fixed": 3},
    "b_staff_participate": 4,
    "b_management_priority": 3,
    "b_vo_quality": "good",
    "b_wec_quality": "dont_know",
    "b_overall_quality": "good",
}


def barometer_answer(**changes: Any) -> dict[str, Any]:
    return {**BAROMETER_ANSWER, **changes}


def submit_direct(campaign: Campaign, person: User, answers: Mapping[str, Any]) -> None:
    """Store an answer through the service (no HTTP), as the submit view does."""
    from surveys.models import Participation

    p = Participation.objects.get(campaign=campaign, person=person)
    values = anon_services.completed_values(campaign.version, answers)
    anon_services.anonymous_answer_submit(participation_id=p.pk, values=values)


@pytest.fixture
def barometer(db: None) -> QuestionnaireVersion:
    return load_version("hms_barometer")


@pytest.fixture
def ark(db: None) -> QuestionnaireVersion:
    return load_version("work_env_survey")


def iter_rows(model: Any) -> Iterator[Any]:
    yield from model.objects.all()
