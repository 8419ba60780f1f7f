"""Every role against every permission, on its own unit, the unit below it, and a sibling.

The expectations are written per role (what a person in this role may do), independently
of core.permissions, which is written per permission. If the two disagree, a test fails.
"""

from __future__ import annotations

import pytest

from core.models import Role
from core.permissions import RULES, Perm, forget_access, has_perm, units_with_perm
from tests.conftest import ORG_WIDE_ROLES, Org

P = Perm

EVERYONE_READ = {P.UNIT_VIEW, P.ACTION_VIEW, P.DEVIATION_REPORT, P.ROUND_VIEW, P.RISK_VIEW}
LEADER_ALL = {
    P.UNIT_VIEW, P.RESPONSE_VIEW, P.RESPONSE_EDIT, P.RESPONSE_SIGN, P.RESULTS_VIEW,
    P.ACTION_VIEW, P.ACTION_PROPOSE, P.ACTION_MANAGE, P.ACTION_VERIFY, P.DEVIATION_REPORT,
    P.DEVIATION_VIEW, P.DEVIATION_HANDLE, P.ROUND_VIEW, P.ROUND_MANAGE, P.RISK_VIEW,
    P.RISK_MANAGE, P.REPORT_VIEW, P.EXPORT_RESPONSES,
}  # fmt: skip
VO_ALL = {
    P.UNIT_VIEW, P.RESPONSE_VIEW, P.RESPONSE_EDIT, P.RESPONSE_SIGN, P.RESULTS_VIEW,
    P.ACTION_VIEW, P.ACTION_PROPOSE, P.ACTION_VERIFY, P.DEVIATION_REPORT, P.DEVIATION_VIEW,
    P.DEVIATION_ESCALATE, P.ROUND_VIEW, P.ROUND_MANAGE, P.RISK_VIEW, P.RISK_MANAGE, P.REPORT_VIEW,
}  # fmt: skip

# role -> (permissions on its own unit, permissions on the section below its unit).
# Verneombud roles come through safety area SA-A, which also covers A1 (A1 has no area).
UNIT_ROLE_SPEC: dict[Role, tuple[set[Perm], set[Perm]]] = {
    Role.LEADER: (LEADER_ALL, LEADER_ALL - {P.RESPONSE_EDIT, P.RESPONSE_SIGN}),
    Role.DEPUTY_LEADER: (LEADER_ALL, LEADER_ALL - {P.RESPONSE_EDIT, P.RESPONSE_SIGN}),
    Role.VERNEOMBUD: (VO_ALL, VO_ALL),
    Role.DEPUTY_VERNEOMBUD: (VO_ALL, VO_ALL),
    Role.HMS_COORDINATOR: (
        {P.UNIT_VIEW, P.RESPONSE_VIEW, P.RESULTS_VIEW, P.ACTION_VIEW, P.ACTION_PROPOSE,
         P.DEVIATION_REPORT, P.DEVIATION_VIEW, P.ROUND_VIEW, P.ROUND_MANAGE, P.RISK_VIEW,
         P.RISK_MANAGE, P.REPORT_VIEW, P.EXPORT_RESPONSES},
        {P.UNIT_VIEW, P.RESPONSE_VIEW, P.RESULTS_VIEW, P.ACTION_VIEW, P.ACTION_PROPOSE,
         P.DEVIATION_REPORT, P.DEVIATION_VIEW, P.ROUND_VIEW, P.ROUND_MANAGE, P.RISK_VIEW,
         P.RISK_MANAGE, P.REPORT_VIEW, P.EXPORT_RESPONSES},
    ),  # fmt: skip
    Role.CASE_HANDLER: (
        {P.UNIT_VIEW, P.ACTION_VIEW, P.ACTION_PROPOSE, P.DEVIATION_REPORT, P.DEVIATION_VIEW,
         P.DEVIATION_HANDLE},
        {P.DEVIATION_VIEW, P.DEVIATION_HANDLE},
    ),  # fmt: skip
    Role.EMPLOYEE: (EVERYONE_READ, set()),
}

ORG_ROLE_SPEC: dict[Role, set[Perm]] = {
    Role.HMS_ADMIN: set(Perm) - {P.RESPONSE_EDIT, P.RESPONSE_SIGN, P.DEVIATION_ESCALATE},
    Role.TOP_MANAGER: {
        P.UNIT_VIEW, P.RESPONSE_VIEW, P.RESULTS_VIEW, P.ACTION_VIEW, P.DEVIATION_REPORT,
        P.DEVIATION_VIEW, P.ROUND_VIEW, P.RISK_VIEW, P.REPORT_VIEW, P.REPORT_AMU,
    },  # fmt: skip
    Role.HOVEDVERNEOMBUD: {
        P.UNIT_VIEW, P.RESPONSE_VIEW, P.RESULTS_VIEW, P.ACTION_VIEW, P.DEVIATION_REPORT,
        P.DEVIATION_VIEW, P.DEVIATION_ESCALATE, P.ROUND_VIEW, P.RISK_VIEW, P.REPORT_VIEW,
        P.REPORT_AMU,
    },  # fmt: skip
    Role.AMU_MEMBER: {P.UNIT_VIEW, P.RESULTS_VIEW, P.ACTION_VIEW, P.DEVIATION_REPORT, P.ROUND_VIEW,
                      P.RISK_VIEW, P.REPORT_VIEW, P.REPORT_AMU},  # fmt: skip
    Role.AMU_SECRETARY: {P.UNIT_VIEW, P.RESULTS_VIEW, P.ACTION_VIEW, P.DEVIATION_REPORT,
                         P.ROUND_VIEW, P.RISK_VIEW, P.REPORT_VIEW, P.REPORT_AMU},  # fmt: skip
    Role.HR: {P.UNIT_VIEW, P.RESULTS_VIEW, P.ACTION_VIEW, P.DEVIATION_REPORT, P.DEVIATION_VIEW,
              P.REPORT_VIEW},  # fmt: skip
    Role.BHT: {P.UNIT_VIEW, P.ACTION_VIEW, P.DEVIATION_REPORT, P.DEVIATION_VIEW, P.ROUND_VIEW,
               P.RISK_VIEW},  # fmt: skip
}


def test_the_spec_covers_every_role_and_permission() -> None:
    assert set(UNIT_ROLE_SPEC) | set(ORG_ROLE_SPEC) == set(Role)
    assert set(RULES) == set(Perm)


@pytest.mark.parametrize("role", list(UNIT_ROLE_SPEC), ids=lambda r: r.value)
def test_unit_role_permissions_on_own_unit_below_and_sibling(org: Org, role: Role) -> None:
    own, below = UNIT_ROLE_SPEC[role]
    user = org.person(role, "a")
    for perm in Perm:
        assert has_perm(user, perm, org.a) is (perm in own), f"{role} {perm} on own unit"
        assert has_perm(user, perm, org.a1) is (perm in below), f"{role} {perm} on the unit below"
        assert has_perm(user, perm, org.b) is False, f"{role} {perm} on a sibling unit"
        # Parent units are never reachable through a role held below them.
        assert has_perm(user, perm, org.div) is False, f"{role} {perm} on the parent unit"


@pytest.mark.parametrize("role", list(ORG_ROLE_SPEC), ids=lambda r: r.value)
def test_organisation_roles_apply_everywhere(org: Org, role: Role) -> None:
    assert role in ORG_WIDE_ROLES
    allowed = ORG_ROLE_SPEC[role]
    user = org.person(role)
    for perm in Perm:
        for unit in (org.root, org.div, org.a, org.a1, org.b):
            assert has_perm(user, perm, unit) is (perm in allowed), f"{role} {perm} on {unit.code}"


def test_organisation_level_questions_only_for_root_roles(org: Org) -> None:
    assert has_perm(org.person(Role.HMS_ADMIN), P.ORG_ADMINISTER)
    assert not has_perm(org.person(Role.LEADER, "a"), P.ORG_ADMINISTER)
    assert has_perm(org.person(Role.TOP_MANAGER), P.REPORT_AMU)
    assert not has_perm(org.person(Role.LEADER, "a"), P.REPORT_AMU)


def test_people_without_roles_and_anonymous_visitors_get_nothing(org: Org) -> None:
    from django.contrib.auth.models import AnonymousUser

    for user in (org.outsider, AnonymousUser()):
        for perm in Perm:
            assert not has_perm(user, perm, org.a)
            assert not units_with_perm(user, perm).exists()


def test_units_with_perm_agrees_with_has_perm(org: Org) -> None:
    from core.models import OrgUnit

    units = list(OrgUnit.objects.all())
    for user in org.people.values():
        for perm in (P.UNIT_VIEW, P.RESPONSE_SIGN, P.DEVIATION_HANDLE, P.RESULTS_VIEW):
            listed = set(units_with_perm(user, perm).values_list("code", flat=True))
            expected = {u.code for u in units if has_perm(user, perm, u)}
            assert listed == expected, (user.username, perm)


def test_an_ended_membership_grants_nothing(org: Org) -> None:
    import datetime as dt

    from core import services

    leader = org.person(Role.LEADER, "a")
    for m in leader.memberships.all():
        services.membership_end(actor=None, membership=m, on=dt.date(2021, 1, 1))
    forget_access(leader)
    assert not has_perm(leader, P.UNIT_VIEW, org.a)


def test_a_section_with_its_own_safety_area_is_not_covered_by_the_parent_area(org: Org) -> None:
    from core import services

    services.safety_area_create(actor=None, code="SA-A1", name="Verneområde A1", units=[org.a1])
    vo_a = org.person(Role.VERNEOMBUD, "a")
    forget_access(vo_a)
    assert has_perm(vo_a, P.RESPONSE_SIGN, org.a)
    assert not has_perm(vo_a, P.RESPONSE_SIGN, org.a1)


def test_a_superuser_may_do_everything(org: Org) -> None:
    org.outsider.is_superuser = True
    assert all(has_perm(org.outsider, perm, org.b) for perm in Perm)
