"""List pages: a fixed number of queries however many rows; filters; 'Mine oppgaver' on the home page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from tests.conftest import Org
from tests.workflows import factories as f
from workflows import services

MAX_QUERIES = 30


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _make_actions(org: Org, n: int) -> None:
    for i in range(n):
        f.action(org, "a", title=f"Tiltak {i}", due=timezone.localdate() + dt.timedelta(days=i - 3))


def _make_deviations(org: Org, n: int) -> None:
    for _ in range(n):
        f.deviation(org, "a", anonymous=False)


def _make_rounds(org: Org, n: int) -> None:
    for i in range(n):
        r = f.hms_round(org, "a")
        services.finding_add(actor=org.person(Role.VERNEOMBUD, "a"), round_=r, title=f"Funn {i}")


def _make_risk(org: Org, n: int) -> None:
    for _ in range(n):
        f.risk_assessment(org, "a", rows=2)


def _make_learning(org: Org, n: int) -> None:
    for _ in range(n):
        services.learning_report_share(actor=org.person(Role.LEADER, "a"), report=f.learning_report(org, "a"))


PAGES: dict[str, tuple[str, dict[str, Any], Callable[[Org, int], None]]] = {
    "action plan": ("action_plan", {"code": "A"}, _make_actions),
    "action plan xlsx": ("action_plan_xlsx", {"code": "A"}, _make_actions),
    "deviations": ("deviation_list", {"code": "A"}, _make_deviations),
    "rounds": ("round_list", {"code": "A"}, _make_rounds),
    "risk assessments": ("risk_list", {"code": "A"}, _make_risk),
    "learning reports": ("learning_report_list", {}, _make_learning),
    "calendar": ("unit_calendar", {"code": "A"}, _make_rounds),
    "home": ("home", {}, _make_actions),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_list_pages_use_the_same_number_of_queries_for_3_or_30_rows(
    org: Org, page: str, django_assert_max_num_queries: Any
) -> None:
    name, kwargs, make = PAGES[page]
    url = reverse(name, kwargs=kwargs or None)
    leader = org.person(Role.LEADER, "a")
    make(org, 3)
    client = _client(leader)
    client.get(url)  # warm up (session, caches)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    make(org, 27)
    with django_assert_max_num_queries(min(len(few.captured_queries), MAX_QUERIES)):
        response = client.get(url)
    assert response.status_code == 200


def test_the_action_plan_filters_and_highlights_overdue_actions(org: Org) -> None:
    f.action(org, "a", title="Over frist", due=timezone.localdate() - dt.timedelta(days=2))
    f.action(org, "a", title="I rute", due=timezone.localdate() + dt.timedelta(days=2))
    f.action(org, "a", title="Verifisert", status="verified")
    client = _client(org.person(Role.EMPLOYEE, "a"))
    page = client.get(reverse("action_plan", kwargs={"code": "A"}))
    assert page.text.count('class="wf-row--overdue"') == 1
    assert page.text.index("Over frist") < page.text.index("I rute")  # sorted by deadline
    overdue = client.get(reverse("action_plan", kwargs={"code": "A"}), {"overdue": "on"})
    assert "Over frist" in overdue.text and "I rute" not in overdue.text
    done = client.get(reverse("action_plan", kwargs={"code": "A"}), {"status": "verified"})
    assert "Verifisert" in done.text and "Over frist" not in done.text
    by_title = client.get(reverse("action_plan", kwargs={"code": "A"}), {"sort": "title"})
    assert by_title.text.index("I rute") < by_title.text.index("Over frist")


def test_the_action_plan_can_include_the_units_below(org: Org) -> None:
    services.action_create(actor=org.person(Role.LEADER, "a"), unit=org.a1, title="I seksjonen")
    client = _client(org.person(Role.LEADER, "a"))
    assert "I seksjonen" not in client.get(reverse("action_plan", kwargs={"code": "A"})).text
    assert "I seksjonen" in client.get(reverse("action_plan", kwargs={"code": "A"}), {"subunits": "on"}).text


def test_mine_oppgaver_lists_actions_deviations_rounds_and_reviews_for_the_right_people(org: Org) -> None:
    owner = org.person(Role.EMPLOYEE, "a")
    f.action(org, "a", owner=owner, title="Mitt tiltak", due=timezone.localdate() - dt.timedelta(days=1))
    f.action(org, "a", status="proposed", title="Forslag til leder")
    deviation = f.deviation(org, "a", category="injury", injury_class="fatal")
    f.hms_round(org, "a", title="Vårrunden")
    home = _client(owner).get(reverse("home")).text
    assert "Mitt tiltak" in home and "forfalt" in home
    assert "Forslag til leder" not in home and deviation.reference not in home
    leader_home = _client(org.person(Role.LEADER, "a")).get(reverse("home")).text
    assert "Forslag til leder" in leader_home and "bekreft forslaget" in leader_home
    assert deviation.reference in leader_home and "varsle Arbeidstilsynet og politiet" in leader_home
    assert "Vårrunden" in leader_home
    handler_home = _client(org.person(Role.CASE_HANDLER, "a")).get(reverse("home")).text
    assert deviation.reference in handler_home and "Vårrunden" not in handler_home
    assert "Mitt tiltak" not in _client(org.person(Role.EMPLOYEE, "b")).get(reverse("home")).text


def test_the_unit_pages_link_to_each_other_for_what_the_person_may_see(org: Org) -> None:
    page = _client(org.person(Role.EMPLOYEE, "a")).get(reverse("action_plan", kwargs={"code": "A"})).text
    for name in ("action_plan", "round_list", "risk_list", "unit_calendar"):
        assert reverse(name, kwargs={"code": "A"}) in page
    assert reverse("deviation_list", kwargs={"code": "A"}) not in page  # employees do not see the case list


def test_the_partials_for_the_lead_render(org: Org) -> None:
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = org.person(Role.LEADER, "a")
    links = render_to_string("workflows/partials/unit_links.html", {"unit": org.a, "request": request})
    assert reverse("action_plan", kwargs={"code": "A"}) in links
    nav = render_to_string("workflows/partials/nav_links.html", {"request": request})
    assert reverse("deviation_report") in nav and reverse("cycle_calendar") in nav
