"""URLs of issue 8 (single sign-on, privacy, operations) for tests/url_access.py."""

from __future__ import annotations

from typing import Any

from core.permissions import Perm
from tests.conftest import Org


def _statement_key(org: Org, side: str) -> dict[str, Any]:
    return {"key": "privacy"}


def _person(org: Org, side: str) -> dict[str, Any]:
    return {"pk": (org.outsider.pk if org.outsider else 0)}


def issue8_specs(UrlSpec: Any) -> dict[str, Any]:
    sso = "single sign-on round trips are tested in tests/sso against a real provider"
    return {
        "oidc_authentication_init": UrlSpec(public=True, skip=sso),
        "oidc_authentication_callback": UrlSpec(public=True, skip=sso),
        "my_data": UrlSpec(),
        "my_data_download": UrlSpec(),
        "privacy_statement": UrlSpec(public=True),
        "accessibility_statement": UrlSpec(public=True),
        "health": UrlSpec(public=True),
        "privacy_admin": UrlSpec(perm=Perm.ORG_ADMINISTER),
        "info_page_edit": UrlSpec(perm=Perm.ORG_ADMINISTER, kwargs=_statement_key),
        "privacy_person": UrlSpec(perm=Perm.ORG_ADMINISTER, kwargs=_person),
    }
