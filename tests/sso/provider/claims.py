"""Claims of the test provider's users, read from the JSON file the test wrote (PROVIDER_CONFIG)."""

from __future__ import annotations

import json
import os
from typing import Any

from django.utils.translation import gettext_lazy as _
from oidc_provider.lib.claims import ScopeClaims


def _people() -> dict[str, dict[str, Any]]:
    """Read on every request, so a test can change a person's groups between logins."""
    with open(os.environ["PROVIDER_CONFIG"]) as f:
        return {p["username"]: p for p in json.load(f)["users"]}


def sub_generator(user: Any) -> str:
    return str(_people()[user.username]["sub"])


def userinfo(claims: dict[str, Any], user: Any) -> dict[str, Any]:
    person = _people()[user.username]
    claims["given_name"] = person.get("first_name", "")
    claims["family_name"] = person.get("last_name", "")
    claims["name"] = f"{person.get('first_name', '')} {person.get('last_name', '')}".strip()
    claims["preferred_username"] = person.get("preferred_username", user.username)
    claims["email"] = person.get("email", "")
    claims["email_verified"] = True
    return claims


class GroupScopeClaims(ScopeClaims):
    info_groups = (_("Groups"), _("Your groups and the Entra-like object id."))

    def scope_groups(self) -> dict[str, Any]:
        person = _people()[self.user.username]
        return {"groups": list(person.get("groups", [])), "oid": person.get("oid", "")}
