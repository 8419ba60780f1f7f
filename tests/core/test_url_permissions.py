"""Generated from the URL configuration: every URL × every role × own and other unit.

A leader of unit A must neither read nor change anything of unit B. Expectations come
from the per-role tables in test_permissions, not from core.permissions itself.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.models import Role
from tests.conftest import ORG_WIDE_ROLES, Org
from tests.core.test_permissions import ORG_ROLE_SPEC, UNIT_ROLE_SPEC
from tests.url_access import SPECS

EXCLUDED_NAMESPACES = {"admin"}


def named_patterns() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list, namespace: str | None) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace in EXCLUDED_NAMESPACES:
                    continue
                ns = p.namespace or namespace
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name:
                names.add(f"{namespace}:{p.name}" if namespace else p.name)

    walk(get_resolver().url_patterns, None)
    return names - {"set_language"}


def test_every_named_url_says_who_may_open_it() -> None:
    missing = named_patterns() - set(SPECS)
    assert not missing, f"add these URLs to tests/url_access.py: {sorted(missing)}"


def _expected(role: Role | None, perm, own: bool) -> bool:
    if role is None:
        return False
    if role in ORG_WIDE_ROLES:
        return perm in ORG_ROLE_SPEC[role]
    return own and perm in UNIT_ROLE_SPEC[role][0]


def _people(org: Org):
    for key, user in org.people.items():
        role = Role(key.rsplit("_", 1)[0]) if key.endswith(("_a", "_b")) else Role(key)
        side = key.rsplit("_", 1)[1] if key.endswith(("_a", "_b")) else "a"
        if role not in ORG_WIDE_ROLES and side != "a":
            continue  # the B-side people mirror the A side
        yield role, user
    yield None, org.outsider


@pytest.mark.parametrize("name", sorted(n for n, s in SPECS.items() if not s.skip))
def test_url_access_for_every_role(org: Org, name: str) -> None:
    spec = SPECS[name]
    anonymous = Client()
    if spec.perm is None:
        url = reverse(name, kwargs=spec.kwargs(org, "a") if spec.kwargs else None)
        response = anonymous.get(url)
        if spec.public:
            assert response.status_code == 200, url
        else:
            assert response.status_code == 302 and "logg-inn" in response["Location"], url
        for role, user in _people(org):
            client = Client()
            client.force_login(user)
            assert client.get(url).status_code == 200, (name, role)
        return
    for side, own in (("a", True), ("b", False)):
        url = reverse(name, kwargs=spec.kwargs(org, side) if spec.kwargs else None)
        response = anonymous.get(url) if spec.method == "GET" else anonymous.post(url)
        assert response.status_code in (302, 403, 404), f"anonymous got {response.status_code} on {url}"
        for role, user in _people(org):
            client = Client()
            client.force_login(user)
            data = spec.data(org, side) if spec.data else {}
            response = client.get(url) if spec.method == "GET" else client.post(url, data)
            allowed = _expected(role, spec.perm, own)
            if allowed:
                assert response.status_code in (200, 302), f"{role} refused on {url}"
            else:
                assert response.status_code in (403, 404), (
                    f"{role} got {response.status_code} on {'own' if own else 'other'} {url}"
                )


def test_the_admin_is_for_staff_only(org: Org) -> None:
    client = Client()
    client.force_login(org.person(Role.HMS_ADMIN))
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
