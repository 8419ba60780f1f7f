"""Single sign-on end to end against a real OpenID Connect provider on loopback.

The provider is django-oidc-provider in its own process (tests/sso/provider). Verne is driven
with Django's test client; the "browser" side at the provider is a requests session. Nothing
of mozilla-django-oidc is mocked: Verne redirects to the provider's authorize endpoint, the
person logs in there, the provider redirects back with a code, and Verne's callback exchanges
it over HTTP at the token endpoint, checks the ID token against the provider's JWKS and reads
the userinfo endpoint.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from django.test import Client
from django.utils import timezone

from core import services
from core.models import AuditEvent, Membership, Role, User
from tests.conftest import Org
from tests.sso.provider_process import Provider, start_provider

CALLBACK = "http://testserver/oidc/callback/"
USERS = [
    {
        "username": "kari", "password": "kari-pw", "sub": "idp-sub-kari-7f3a", "oid": "0f1e2d3c-kari",
        "email": "kari.nordmann@example.no", "first_name": "Kari", "last_name": "Nordmann",
        "preferred_username": "kari.nordmann", "groups": ["verne-hms-admin", "a-ledere"],
    },
    {
        "username": "leder-a", "password": "leder-pw", "sub": "idp-sub-leder-a", "oid": "oid-leder-a",
        "email": "leader_a@example.no", "first_name": "Lise", "last_name": "Leder", "groups": [],
    },
    {
        "username": "ola", "password": "ola-pw", "sub": "idp-sub-ola", "oid": "oid-ola",
        "email": "ola@example.no", "first_name": "Ola", "last_name": "Vern", "groups": ["vo-a"],
    },
]  # fmt: skip
GROUP_ROLES = {
    "verne-hms-admin": ["hms_admin@ORG"],
    "a-ledere": ["leader@A"],
    "vo-a": ["verneombud@SA-A", "employee@A"],
}


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    p = start_provider(tmp_path_factory.mktemp("oidc"), redirect_uris=[CALLBACK], users=USERS)
    yield p
    p.stop()


@pytest.fixture
def sso_settings(settings: Any, provider: Provider) -> Any:
    for key, value in provider.settings_for_verne().items():
        setattr(settings, key, value)
    settings.OIDC_GROUP_ROLES = GROUP_ROLES
    settings.OIDC_CLAIM_ID = "sub"
    return settings


def provider_login(provider: Provider, authorize_url: str, username: str, password: str) -> str:
    """What a browser does at the provider: follow to its login page, log in, come back.

    Returns the URL the provider redirects to (Verne's callback with code and state).
    """
    browser = requests.Session()
    r = browser.get(authorize_url, allow_redirects=False, timeout=10)
    assert r.status_code == 302, r.text[:500]
    login_url = requests.compat.urljoin(provider.url, r.headers["Location"])
    assert urlsplit(login_url).path == "/login/"
    page = browser.get(login_url, timeout=10)
    assert page.status_code == 200 and "Brukernavn hos leverandøren" in page.text
    next_value = re.search(r'name="next" value="([^"]*)"', page.text).group(1).replace("&amp;", "&")
    r = browser.post(
        login_url,
        data={"username": username, "password": password, "next": next_value,
              "csrfmiddlewaretoken": browser.cookies["csrftoken"]},
        headers={"Referer": login_url}, allow_redirects=False, timeout=10,
    )  # fmt: skip
    assert r.status_code == 302, "provider login failed"
    r = browser.get(requests.compat.urljoin(provider.url, r.headers["Location"]), allow_redirects=False, timeout=10)
    assert r.status_code == 302, r.text[:500]
    return r.headers["Location"]


def sso_round_trip(client: Client, provider: Provider, username: str, password: str, next_url: str = "") -> Any:
    start = client.get("/oidc/authenticate/" + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302
    authorize_url = start["Location"]
    assert authorize_url.startswith(f"{provider.url}/authorize?")
    assert "code_challenge=" in authorize_url and "nonce=" in authorize_url
    callback = provider_login(provider, authorize_url, username, password)
    assert callback.startswith(CALLBACK + "?")
    return client.get(callback.removeprefix("http://testserver"))


def active_roles(user: User) -> set[str]:
    return {
        f"{m.role}@{(m.unit or m.safety_area).code}"  # type: ignore[union-attr]
        for m in Membership.objects.active().filter(user=user).select_related("unit", "safety_area")
    }


def test_login_page_offers_the_provider_when_configured(client: Client, org: Org, sso_settings: Any) -> None:
    page = client.get("/logg-inn/?next=/enheter/").content.decode()
    assert "Logg inn med Testleverandør" in page
    assert 'href="/oidc/authenticate/?next=/enheter/"' in page
    assert 'name="password"' in page  # local login stays


def test_without_configuration_there_is_no_sso(client: Client, org: Org, settings: Any) -> None:
    settings.OIDC_RP_CLIENT_ID = ""
    assert "Logg inn med" not in client.get("/logg-inn/").content.decode()
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404


def test_round_trip_creates_the_person_by_the_stable_claim_and_syncs_groups(
    client: Client, org: Org, sso_settings: Any, provider: Provider
) -> None:
    response = sso_round_trip(client, provider, "kari", "kari-pw", next_url="/enheter/")
    assert response.status_code == 302 and response["Location"] == "/enheter/"

    kari = User.objects.get(external_id="idp-sub-kari-7f3a")
    assert (kari.username, kari.first_name, kari.last_name, kari.email) == (
        "kari.nordmann", "Kari", "Nordmann", "kari.nordmann@example.no"
    )
    assert not kari.has_usable_password()
    assert int(client.session["_auth_user_id"]) == kari.pk
    assert active_roles(kari) == {"hms_admin@ORG", "leader@A"}
    home = client.get("/")
    assert home.status_code == 200 and "Hei, Kari" in home.content.decode()
    verbs = list(AuditEvent.objects.filter(target_id=str(kari.pk), target_type="core.user").values_list("verb", "data"))
    assert ("person.create", {"username": "kari.nordmann", "via": "sso"}) in verbs
    assert any(v == "person.sync_groups" and set(d["granted"]) == {"hms_admin@ORG", "leader@A"} for v, d in verbs)
    assert AuditEvent.objects.filter(verb="membership.grant", data__user="kari.nordmann").count() == 2

    # Months later the organisation moves Kari out of the leader group: the next login ends
    # that role only, from yesterday, so it no longer counts today.
    Membership.objects.filter(user=kari).update(valid_from=dt.date(2025, 1, 1))
    provider.set_user("kari", groups=["verne-hms-admin"], last_name="Nordmann-Berg")
    client.logout()
    sso_round_trip(client, provider, "kari", "kari-pw")
    kari.refresh_from_db()
    assert User.objects.filter(external_id="idp-sub-kari-7f3a").count() == 1
    assert kari.last_name == "Nordmann-Berg"
    assert active_roles(kari) == {"hms_admin@ORG"}
    ended = Membership.objects.get(user=kari, role=Role.LEADER)
    assert ended.valid_to == timezone.localdate() - dt.timedelta(days=1)
    assert AuditEvent.objects.filter(verb="membership.end", data__user="kari.nordmann").count() == 1

    # Logging in again with the same groups changes nothing.
    client.logout()
    before = AuditEvent.objects.count()
    sso_round_trip(client, provider, "kari", "kari-pw")
    assert AuditEvent.objects.filter(verb__startswith="membership.", data__user="kari.nordmann").count() == 3
    assert AuditEvent.objects.count() - before <= 1  # at most the name update (none here)


def test_an_existing_person_is_matched_by_email_once_then_by_the_claim(
    client: Client, org: Org, sso_settings: Any, provider: Provider
) -> None:
    leader = org.person(Role.LEADER, "a")
    services.membership_grant(actor=None, user=leader, role=Role.EMPLOYEE, unit=org.b)
    sso_settings.OIDC_GROUP_ROLES = {"verne-hms-admin": ["hms_admin@ORG"]}
    sso_round_trip(client, provider, "leder-a", "leder-pw")
    leader.refresh_from_db()
    assert leader.external_id == "idp-sub-leder-a"
    assert int(client.session["_auth_user_id"]) == leader.pk
    assert AuditEvent.objects.filter(verb="person.link_identity", target_id=str(leader.pk)).exists()
    # Memberships the mapping does not name are left alone.
    assert active_roles(leader) == {"leader@A", "employee@B"}

    # Once the organisation lets the identity provider decide who leads A, it does.
    Membership.objects.filter(user=leader).update(valid_from=dt.date(2020, 1, 1))
    sso_settings.OIDC_GROUP_ROLES = GROUP_ROLES
    client.logout()
    sso_round_trip(client, provider, "leder-a", "leder-pw")
    assert active_roles(leader) == {"employee@B"}

    # A new email at the provider: still the same person, found by the stable claim.
    provider.set_user("leder-a", email="lise.leder@example.no")
    client.logout()
    sso_round_trip(client, provider, "leder-a", "leder-pw")
    leader.refresh_from_db()
    assert int(client.session["_auth_user_id"]) == leader.pk
    assert leader.email == "lise.leder@example.no"
    assert User.objects.filter(first_name="Lise").count() == 1


def test_entra_style_oid_claim_discovery_and_safety_area_roles(
    client: Client, org: Org, sso_settings: Any, provider: Provider
) -> None:
    for key, value in provider.settings_for_verne(discovery=True).items():
        setattr(sso_settings, key, value)
    sso_settings.OIDC_CLAIM_ID = "oid"
    sso_round_trip(client, provider, "ola", "ola-pw")
    ola = User.objects.get(external_id="oid-ola")
    assert active_roles(ola) == {"verneombud@SA-A", "employee@A"}

    # Removed from the group the same day: the memberships granted today are withdrawn.
    provider.set_user("ola", groups=[])
    client.logout()
    sso_round_trip(client, provider, "ola", "ola-pw")
    assert active_roles(ola) == set()
    assert AuditEvent.objects.filter(verb="membership.withdraw", data__user=ola.username).count() == 2
    assert Membership.history.filter(user_id=ola.pk, history_type="-").count() == 2


def test_matching_by_email_can_be_turned_off_and_creation_too(
    client: Client, org: Org, sso_settings: Any, provider: Provider
) -> None:
    sso_settings.OIDC_MATCH_EMAIL = False
    sso_settings.OIDC_CREATE_USERS = False
    response = sso_round_trip(client, provider, "leder-a", "leder-pw")
    assert response.status_code == 302 and response["Location"] == "/logg-inn/?sso=feil"
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(external_id="idp-sub-leder-a").exists()
    page = client.get(response["Location"]).content.decode()
    assert "Innloggingen med Testleverandør ble ikke fullført" in page


def test_a_deactivated_person_cannot_log_in_with_sso(
    client: Client, org: Org, sso_settings: Any, provider: Provider
) -> None:
    leader = org.person(Role.LEADER, "a")
    services.person_link_external_id(actor=None, person=leader, external_id="idp-sub-leder-a")
    User.objects.filter(pk=leader.pk).update(is_active=False)
    response = sso_round_trip(client, provider, "leder-a", "leder-pw")
    assert response["Location"] == "/logg-inn/?sso=feil"
    assert "_auth_user_id" not in client.session


def test_a_wrong_client_secret_fails_at_the_token_endpoint(
    client: Client, org: Org, sso_settings: Any, provider: Provider
) -> None:
    sso_settings.OIDC_RP_CLIENT_SECRET = "not-the-secret"
    with pytest.raises(requests.HTTPError):
        sso_round_trip(client, provider, "kari", "kari-pw")
    assert not User.objects.filter(external_id="idp-sub-kari-7f3a").exists()


def test_an_id_token_for_another_audience_or_issuer_is_refused(
    client: Client, org: Org, sso_settings: Any, provider: Provider
) -> None:
    sso_settings.OIDC_ISSUER = "https://login.example.invalid"
    response = sso_round_trip(client, provider, "kari", "kari-pw")
    assert "_auth_user_id" not in client.session
    assert response.status_code in (302, 400)
    assert not User.objects.filter(external_id="idp-sub-kari-7f3a").exists()


def test_password_login_still_works(client: Client, org: Org, sso_settings: Any) -> None:
    user = org.person(Role.EMPLOYEE, "a")
    user.set_password("lokal-passord-123")
    user.save()
    response = client.post("/logg-inn/?code=x&state=y", {"username": user.username, "password": "lokal-passord-123"})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk
