from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from core.models import AuditEvent, Role
from tests.conftest import Org


def test_the_login_page_is_norwegian_and_accessible_in_structure(db: None) -> None:
    html = Client().get(reverse("login")).content.decode()
    assert '<html lang="nb">' in html
    assert 'class="ds-skip-link" href="#main"' in html
    assert "<header" in html and '<main id="main"' in html and "<footer" in html
    assert "Logg inn i Verne" in html
    assert '<label class="ds-label" for="id_username">' in html


def test_a_failed_login_is_summarised_at_the_top_and_linked_to_the_field(org: Org) -> None:
    html = Client().post(reverse("login"), {"username": "leader_a", "password": "wrong"}).content.decode()
    assert 'class="ds-error-summary"' in html
    assert html.index("ds-error-summary") < html.index('for="id_username"')


def test_a_person_logs_in_and_sees_their_units_and_roles(org: Org) -> None:
    leader = org.person(Role.LEADER, "a")
    leader.set_password("s3cret-pass")
    leader.save()
    client = Client()
    response = client.post(reverse("login"), {"username": "leader_a", "password": "s3cret-pass"})
    assert response.status_code == 302
    html = client.get(reverse("home")).content.decode()
    assert "Mine enheter og roller" in html
    assert "Avdeling A" in html and "Leder" in html
    assert "Avdeling B" not in html


def test_a_verneombud_sees_the_units_of_their_safety_area(org: Org) -> None:
    client = Client()
    client.force_login(org.person(Role.VERNEOMBUD, "a"))
    html = client.get(reverse("home")).content.decode()
    assert "Avdeling A" in html and "Verneombud (Verneområde A)" in html


def test_switching_to_english_is_remembered_for_the_person(org: Org) -> None:
    user = org.person(Role.EMPLOYEE, "a")
    client = Client()
    client.force_login(user)
    response = client.post(reverse("language_set"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "en"
    assert AuditEvent.objects.filter(verb="person.language", target_id=str(user.pk)).exists()
    # A fresh browser (no language cookie) still gets English after logging in.
    fresh = Client()
    fresh.force_login(user)
    html = fresh.get(reverse("home")).content.decode()
    assert '<html lang="en">' in html and "My units and roles" in html


def test_an_unsafe_next_url_is_not_followed(org: Org) -> None:
    client = Client()
    client.force_login(org.person(Role.EMPLOYEE, "a"))
    response = client.post(reverse("language_set"), {"language": "nb", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_logging_out_needs_a_post_and_ends_the_session(org: Org) -> None:
    client = Client()
    client.force_login(org.person(Role.EMPLOYEE, "a"))
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_the_unit_page_lists_people_children_and_safety_area(org: Org) -> None:
    client = Client()
    client.force_login(org.person(Role.LEADER, "a"))
    html = client.get(reverse("unit_detail", args=["A"])).content.decode()
    assert "Seksjon A1" in html and "Verneområde A" in html
    assert "Verneombud" in html  # the VO of SA-A is listed with the unit's people


def test_the_unit_list_shows_only_units_the_person_may_see(org: Org) -> None:
    client = Client()
    client.force_login(org.person(Role.LEADER, "a"))
    html = client.get(reverse("unit_list")).content.decode()
    assert "Avdeling A" in html and "Seksjon A1" in html and "Avdeling B" not in html


@pytest.mark.parametrize("url_name", ["home", "unit_list"])
def test_page_query_counts_stay_small(org: Org, url_name: str, django_assert_max_num_queries) -> None:
    client = Client()
    client.force_login(org.person(Role.HMS_ADMIN))
    client.get(reverse(url_name))
    # One query per task section (responses, named campaigns, surveys, actions, deviations,
    # rounds, risk assessments) plus session, user and grants: constant, whatever the data.
    with django_assert_max_num_queries(14):
        client.get(reverse(url_name))
