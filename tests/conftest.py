"""Shared fixtures: a small organisation with one person per role in two sibling units.

    ORG (organisation)            org-wide roles: hms_admin, top_manager, hovedverneombud,
     └─ DIV (division)                            amu_member, amu_secretary, hr, bht
         ├─ A (department) ── A1 (section)        safety area SA-A covers A
         └─ B (department)                        safety area SA-B covers B

For every unit-level role there is `<role>_a` (role in A, or in SA-A for verneombud
roles) and `<role>_b`, each holding only that one role so permission tests see it alone;
plus `outsider` with no role at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest

from core import services
from core.models import ORGANISATION_ROLES, SAFETY_AREA_ROLES, OrgUnit, Role, SafetyArea, User

# Roles held organisation-wide (on the root unit) in the fixture organisation.
ORG_WIDE_ROLES = frozenset(ORGANISATION_ROLES | {Role.HR, Role.BHT})
UNIT_ROLES = [r for r in Role if r not in ORG_WIDE_ROLES]


@dataclass
class Org:
    root: OrgUnit
    div: OrgUnit
    a: OrgUnit
    a1: OrgUnit
    b: OrgUnit
    sa_a: SafetyArea
    sa_b: SafetyArea
    people: dict[str, User] = field(default_factory=dict)
    outsider: User | None = None

    def person(self, role: Role | str, side: str = "a") -> User:
        role = Role(role)
        key = role.value if role in ORG_WIDE_ROLES else f"{role.value}_{side}"
        return self.people[key]


def build_org() -> Org:
    root = services.unit_create(actor=None, code="ORG", name="Testorganisasjonen", kind="organisation")
    div = services.unit_create(actor=None, code="DIV", name="Divisjonen", kind="division", parent=root)
    a = services.unit_create(actor=None, code="A", name="Avdeling A", kind="department", parent=div)
    a1 = services.unit_create(actor=None, code="A1", name="Seksjon A1", kind="section", parent=a)
    b = services.unit_create(actor=None, code="B", name="Avdeling B", kind="department", parent=div)
    sa_a = services.safety_area_create(actor=None, code="SA-A", name="Verneområde A", units=[a])
    sa_b = services.safety_area_create(actor=None, code="SA-B", name="Verneområde B", units=[b])
    org = Org(root=root, div=div, a=a, a1=a1, b=b, sa_a=sa_a, sa_b=sa_b)
    start = dt.date(2020, 1, 1)
    for role in Role:
        if role in ORG_WIDE_ROLES:
            user = services.person_create(
                actor=None, username=role.value, first_name=role.label, last_name="Org",
                email=f"{role.value}@example.no",
            )  # fmt: skip
            services.membership_grant(actor=None, user=user, role=role, unit=root, valid_from=start)
            org.people[role.value] = user
            continue
        for side, unit, area in (("a", a, sa_a), ("b", b, sa_b)):
            username = f"{role.value}_{side}"
            user = services.person_create(
                actor=None, username=username, first_name=str(role.label), last_name=side.upper(),
                email=f"{username}@example.no",
            )  # fmt: skip
            if role in SAFETY_AREA_ROLES:
                services.membership_grant(actor=None, user=user, role=role, safety_area=area, valid_from=start)
            else:
                services.membership_grant(actor=None, user=user, role=role, unit=unit, valid_from=start)
            org.people[username] = user
    org.outsider = services.person_create(actor=None, username="outsider", first_name="Ute", last_name="Stående")
    return org


@pytest.fixture
def org(db: None) -> Org:
    return build_org()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: object, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Uploaded files (deviation photos) go to a temporary folder, never into the checkout."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")  # type: ignore[attr-defined]
