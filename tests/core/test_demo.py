from __future__ import annotations

import pytest

from core import demo
from core.models import Membership, OrgUnit, Role, User
from core.selectors import unit_role_holders


@pytest.mark.django_db
def test_the_demo_organisation_is_realistic_and_idempotent() -> None:
    first = demo.build_organisation()
    assert 28 <= first["units"] <= 34
    assert 280 <= first["people"] <= 340
    for unit in OrgUnit.objects.active().exclude(parent=None):
        assert unit_role_holders(unit, Role.LEADER), f"{unit.code} has no leader"
        assert unit_role_holders(unit, Role.VERNEOMBUD), f"{unit.code} has no verneombud"
    root = OrgUnit.objects.get(parent=None)
    for role in (Role.HOVEDVERNEOMBUD, Role.HMS_ADMIN, Role.TOP_MANAGER, Role.AMU_SECRETARY):
        assert unit_role_holders(root, role), role
    assert len(unit_role_holders(root, Role.AMU_MEMBER)) == 6
    # One unit is deliberately below the minimum group size; one was merged into a successor.
    small = OrgUnit.objects.get(code="UB-SAML")
    assert Membership.objects.active().filter(unit=small, role=Role.EMPLOYEE).count() < 5
    assert OrgUnit.objects.get(code=demo.CLOSED_UNIT.code).successor.code == demo.CLOSED_UNIT_SUCCESSOR
    # Norwegian names, working logins.
    assert User.objects.filter(last_name__in=["Hansen", "Johansen", "Olsen", "Larsen"]).exists()
    assert User.objects.get(username="leder.kjemi").check_password(demo.DEMO_PASSWORD)

    second = demo.build_organisation()
    assert second["people_created"] == 0
    assert (second["units"], second["people"], second["memberships"]) == (
        first["units"], first["people"], first["memberships"],
    )  # fmt: skip
