"""Fixtures for follow-up tests: photos go to a temporary folder; email to the outbox."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from core import services as core_services
from core.models import Role, User
from core.permissions import Perm
from tests.conftest import ORG_WIDE_ROLES, Org
from tests.core.test_permissions import ORG_ROLE_SPEC, UNIT_ROLE_SPEC


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://verne.example"


@pytest.fixture
def parent_leader(org: Org) -> User:
    """The leader of the division above unit A (escalations go to them)."""
    person = core_services.person_create(actor=None, username="division_head", email="head@example.no")
    core_services.membership_grant(actor=None, user=person, role=Role.LEADER, unit=org.div)
    return person


def people_by_role(org: Org) -> list[tuple[Role | None, User]]:
    """Every role once (unit roles from side A) and the outsider, as (role, person)."""
    result: list[tuple[Role | None, User]] = []
    for role in Role:
        result.append((role, org.person(role, "a")))
    result.append((None, org.outsider))  # type: ignore[arg-type]
    return result


def role_has(role: Role | None, perm: Perm) -> bool:
    """The per-role spec (tests/core/test_permissions.py): does this role have `perm` on unit A?"""
    if role is None:
        return False
    if role in ORG_WIDE_ROLES:
        return perm in ORG_ROLE_SPEC[role]
    return perm in UNIT_ROLE_SPEC[role][0]
