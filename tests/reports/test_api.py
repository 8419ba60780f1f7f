"""The read-only JSON API: its OpenAPI schema describes every endpoint and every answer, it
needs a session (401 without), and each unit's figures are for those who may see them (404 for
everyone else), walked for every role on their own and another unit."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse

from core.models import Role
from reports import openapi
from tests.conftest import Org
from tests.core.test_url_permissions import _expected, _people
from tests.reports import support
from tests.surveys.conftest import client_for
from tests.url_access import SPECS

API_NAMES = ["api_unit_trends_index", "api_unit_trend", "api_unit_annual", "api_unit_injuries", "api_unit_goals"]


def _api_patterns() -> dict[str, str]:
    out = {}
    for p in get_resolver().url_patterns:
        for sub in getattr(p, "url_patterns", [p]):
            if isinstance(sub, URLPattern) and sub.name and sub.name.startswith("api_"):
                out[sub.name] = "/" + str(sub.pattern)
    return out


def _schema_for(name: str) -> dict[str, Any]:
    s = openapi.schema()
    path = "/" + _api_patterns()[name].strip("/").replace("<str:code>", "{code}").replace("<slug:questionnaire>", "{questionnaire}") + "/"
    ref = s["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    return {"$ref": ref, "components": s["components"]}


def test_every_api_url_is_in_the_schema() -> None:
    paths = set(openapi.schema()["paths"])
    for name, pattern in _api_patterns().items():
        if name == "api_schema":
            continue
        path = pattern.replace("<str:code>", "{code}").replace("<slug:questionnaire>", "{questionnaire}")
        assert path in paths, name
    assert openapi.schema()["openapi"].startswith("3.1")


def test_the_schema_is_public_json() -> None:
    r = Client().get(reverse("api_schema"))
    assert r.status_code == 200 and r.json()["info"]["title"] == "Verne reports API"


def test_without_a_session_the_api_answers_401(org: Org) -> None:
    for url in (reverse("api_units"), reverse("api_unit_trend", args=[org.a.code, "hms_barometer"])):
        r = Client().get(url)
        assert r.status_code == 401 and r.json()["error"]["code"] == "not_authenticated"


def test_answers_follow_the_schema(org: Org, barometer_years: list) -> None:
    from reports import services
    from reports.models import HmsGoal

    y = support.this_year()
    support.joint_campaign(org, "hms_annual_report", y, [org.a, org.b], sign=[org.a])
    support.joint_campaign(org, "injury_stats", y - 1, [org.a], sign=[org.a], answers={org.a: support.injury_values(y - 1, hours=100_000, lti=1)})
    services.goal_create(actor=org.person(Role.HMS_ADMIN), unit=org.a, year=y, indicator=HmsGoal.Indicator.H2_BELOW, target_value=5)
    client = client_for(org.person(Role.LEADER, "a"))
    validator = jsonschema.Draft202012Validator
    cases = {
        "api_units": [],
        "api_unit_trends_index": [org.a.code],
        "api_unit_trend": [org.a.code, "hms_barometer"],
        "api_unit_annual": [org.a.code],
        "api_unit_injuries": [org.a.code],
        "api_unit_goals": [org.a.code],
    }
    for name, args in cases.items():
        r = client.get(reverse(name, args=args))
        assert r.status_code == 200, name
        validator(_schema_for(name)).validate(r.json())
    trend = client.get(reverse("api_unit_trend", args=[org.a.code, "work_env_survey"])).json()
    validator(_schema_for("api_unit_trend")).validate(trend)
    units = client.get(reverse("api_units")).json()["units"]
    assert {u["code"] for u in units} == {"A", "A1"}


@pytest.mark.parametrize("name", API_NAMES)
def test_each_role_sees_its_own_units_figures_and_gets_404_elsewhere(org: Org, name: str) -> None:
    spec = SPECS[name]
    for side, own in (("a", True), ("b", False)):
        url = reverse(name, kwargs=spec.kwargs(org, side))
        for role, user in _people(org):
            client = Client()
            client.force_login(user)
            status = client.get(url).status_code
            if _expected(role, spec.perm, own):
                assert status == 200, (role, url)
            else:
                assert status == 404, (role, url, status)


def test_the_api_is_read_only(org: Org) -> None:
    client = client_for(org.person(Role.HMS_ADMIN))
    assert client.post(reverse("api_unit_goals", args=[org.a.code])).status_code == 405
