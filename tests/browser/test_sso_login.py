"""Single sign-on in the browser: Verne's login page → the provider's login page → back to
Verne, logged in (a real OpenID provider on loopback, see tests/sso). axe runs on every page,
the provider's too."""

from __future__ import annotations

from typing import Any

import pytest

from core.models import Membership, User
from tests.conftest import build_org
from tests.sso.provider_process import start_provider


@pytest.fixture
def provider(live_server: Any, tmp_path: Any) -> Any:
    users = [{
        "username": "ida", "password": "ida-pw", "sub": "browser-sub-ida", "oid": "oid-ida",
        "email": "ida.berg@example.no", "first_name": "Ida", "last_name": "Berg", "groups": ["a-ansatte"],
    }]  # fmt: skip
    p = start_provider(tmp_path / "oidc", redirect_uris=[f"{live_server.url}/oidc/callback/"], users=users)
    yield p
    p.stop()


def test_logging_in_with_the_organisations_provider_in_the_browser(
    transactional_db: None, live_server: Any, checked_page: Any, provider: Any, settings: Any
) -> None:
    build_org()
    for key, value in provider.settings_for_verne().items():
        setattr(settings, key, value)
    settings.OIDC_GROUP_ROLES = {"a-ansatte": ["employee@A"]}
    page = checked_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/logg-inn/")
    page.get_by_role("link", name="Logg inn med Testleverandør").click()
    page.wait_for_url(f"{provider.url}/login/**")
    page.get_by_label("Brukernavn hos leverandøren").fill("ida")
    page.get_by_label("Passord hos leverandøren").fill("ida-pw")
    page.get_by_role("button", name="Fortsett").click()
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("heading", name="Hei, Ida").wait_for()
    assert page.get_by_role("link", name="Avdeling A").is_visible()
    ida = User.objects.get(external_id="browser-sub-ida")
    assert Membership.objects.active().filter(user=ida, role="employee", unit__code="A").exists()
