"""Every access question in Verne is answered here.

"May this person <verb> this unit's <thing>?" is `has_perm(user, Perm.X, unit)`.

A person holds roles through memberships:
* a role in a unit applies to that unit, and for the roles a permission marks as
  *inherited*, also to every unit below it (a faculty leader reads the institutes'
  action plans, but signs only the faculty's own annual report);
* a verneombud (or deputy) holds the role in the units their safety area covers and,
  where the permission is inherited, below them;
* organisation-wide roles (HMS admin, top manager, hovedverneombud, AMU) are held on
  the root unit, so "inherited" makes them organisation-wide.

Views use `has_perm` through their `_get_x_for_user` helpers; selectors use
`units_with_perm` to list what a person may see. Nothing else decides access.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import Membership, OrgUnit, Role, SafetyArea

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import User


class Perm(StrEnum):
    # Organisation and units
    UNIT_VIEW = "unit.view"
    UNIT_ADMINISTER = "unit.administer"
    ORG_ADMINISTER = "org.administer"  # questionnaires, campaigns, imports, the årshjul
    # Joint and named questionnaire responses (the annual HMS report, injury statistics)
    RESPONSE_VIEW = "response.view"
    RESPONSE_EDIT = "response.edit"
    RESPONSE_SIGN = "response.sign"
    RESPONSE_REOPEN = "response.reopen"
    # Anonymous survey results (barometer, working-environment survey), response rates
    RESULTS_VIEW = "results.view"
    # Action plan (tiltak)
    ACTION_VIEW = "action.view"
    ACTION_PROPOSE = "action.propose"
    ACTION_MANAGE = "action.manage"  # confirm, reject, cancel, reassign
    ACTION_VERIFY = "action.verify"
    # Deviations (avvik)
    DEVIATION_REPORT = "deviation.report"
    DEVIATION_VIEW = "deviation.view"
    DEVIATION_HANDLE = "deviation.handle"
    DEVIATION_ESCALATE = "deviation.escalate"  # a verneombud raises it to AMU
    # HMS rounds and risk assessments
    ROUND_VIEW = "round.view"
    ROUND_MANAGE = "round.manage"
    RISK_VIEW = "risk.view"
    RISK_MANAGE = "risk.manage"
    # Trends, AMU report, exports
    REPORT_VIEW = "report.view"
    REPORT_AMU = "report.amu"
    EXPORT_RESPONSES = "export.responses"


R = Role


@dataclass(frozen=True)
class Rule:
    """Roles that grant a permission on the unit itself, and roles that also grant it below."""

    local: frozenset[Role]
    inherited: frozenset[Role] = field(default_factory=frozenset)

    @classmethod
    def of(cls, local: Iterable[Role], inherited: Iterable[Role] = ()) -> Rule:
        inherited_set = frozenset(inherited)
        return cls(local=frozenset(local) | inherited_set, inherited=inherited_set)


_LEADERS = {R.LEADER, R.DEPUTY_LEADER}
_VO = {R.VERNEOMBUD, R.DEPUTY_VERNEOMBUD}
_ORG_READERS = {R.HMS_ADMIN, R.TOP_MANAGER, R.HOVEDVERNEOMBUD}
_AMU = {R.AMU_MEMBER, R.AMU_SECRETARY}

RULES: dict[Perm, Rule] = {
    Perm.UNIT_VIEW: Rule.of(
        {R.EMPLOYEE, R.CASE_HANDLER, *_VO},
        {*_LEADERS, R.HMS_COORDINATOR, R.HR, R.BHT, *_ORG_READERS, *_AMU},
    ),
    Perm.UNIT_ADMINISTER: Rule.of((), {R.HMS_ADMIN}),
    Perm.ORG_ADMINISTER: Rule.of((), {R.HMS_ADMIN}),
    Perm.RESPONSE_VIEW: Rule.of(_VO, {*_LEADERS, R.HMS_COORDINATOR, *_ORG_READERS}),
    Perm.RESPONSE_EDIT: Rule.of({*_LEADERS, *_VO}),
    Perm.RESPONSE_SIGN: Rule.of({*_LEADERS, *_VO}),
    Perm.RESPONSE_REOPEN: Rule.of((), {R.HMS_ADMIN}),
    Perm.RESULTS_VIEW: Rule.of(_VO, {*_LEADERS, R.HMS_COORDINATOR, R.HR, *_ORG_READERS, *_AMU}),
    Perm.ACTION_VIEW: Rule.of(
        {R.EMPLOYEE, *_VO, R.CASE_HANDLER},
        {*_LEADERS, R.HMS_COORDINATOR, R.HR, R.BHT, *_ORG_READERS, *_AMU},
    ),
    Perm.ACTION_PROPOSE: Rule.of({*_VO, R.CASE_HANDLER}, {*_LEADERS, R.HMS_COORDINATOR, R.HMS_ADMIN}),
    Perm.ACTION_MANAGE: Rule.of((), {*_LEADERS, R.HMS_ADMIN}),
    Perm.ACTION_VERIFY: Rule.of(_VO, {*_LEADERS, R.HMS_ADMIN}),
    Perm.DEVIATION_REPORT: Rule.of(
        {R.EMPLOYEE, *_VO, R.CASE_HANDLER},
        {*_LEADERS, R.HMS_COORDINATOR, R.HR, R.BHT, *_ORG_READERS, *_AMU},
    ),
    Perm.DEVIATION_VIEW: Rule.of(_VO, {*_LEADERS, R.CASE_HANDLER, R.HMS_COORDINATOR, R.HR, R.BHT, *_ORG_READERS}),
    Perm.DEVIATION_HANDLE: Rule.of((), {*_LEADERS, R.CASE_HANDLER, R.HMS_ADMIN}),
    Perm.DEVIATION_ESCALATE: Rule.of(_VO, {R.HOVEDVERNEOMBUD}),
    Perm.ROUND_VIEW: Rule.of(
        {R.EMPLOYEE, *_VO}, {*_LEADERS, R.HMS_COORDINATOR, R.BHT, *_ORG_READERS, *_AMU}
    ),
    Perm.ROUND_MANAGE: Rule.of(_VO, {*_LEADERS, R.HMS_COORDINATOR, R.HMS_ADMIN}),
    Perm.RISK_VIEW: Rule.of(
        {R.EMPLOYEE, *_VO}, {*_LEADERS, R.HMS_COORDINATOR, R.BHT, *_ORG_READERS, *_AMU}
    ),
    Perm.RISK_MANAGE: Rule.of(_VO, {*_LEADERS, R.HMS_COORDINATOR, R.HMS_ADMIN}),
    Perm.REPORT_VIEW: Rule.of(_VO, {*_LEADERS, R.HMS_COORDINATOR, R.HR, *_ORG_READERS, *_AMU}),
    Perm.REPORT_AMU: Rule.of((), {R.HMS_ADMIN, R.TOP_MANAGER, R.HOVEDVERNEOMBUD, *_AMU}),
    Perm.EXPORT_RESPONSES: Rule.of((), {*_LEADERS, R.HMS_COORDINATOR, R.HMS_ADMIN}),
}


@dataclass
class _Grant:
    """One active membership: a role on units (unit roles) or on a safety area (verneombud)."""

    role: Role
    unit_ids: frozenset[int]
    unit_paths: tuple[str, ...]
    area_id: int | None = None


class Access:
    """A person's grants, loaded once per request (a handful of queries, then in memory).

    A verneombud holds their role in every unit whose *nearest* safety area (on the unit
    itself or, failing that, its closest ancestor that has one) is their area.
    """

    def __init__(self, user: User | AnonymousUser) -> None:
        self.user = user
        self.grants: list[_Grant] = []
        self._areas_by_unit: dict[int, frozenset[int]] | None = None
        self._covering: dict[int, frozenset[int]] = {}
        if not user.is_authenticated:
            return
        today = timezone.localdate()
        memberships = Membership.objects.active(today).filter(user_id=user.pk).select_related("unit")
        for m in memberships:
            if m.unit_id is not None:
                self.grants.append(
                    _Grant(role=Role(m.role), unit_ids=frozenset({m.unit.pk}), unit_paths=(m.unit.path,))
                )
            else:
                self.grants.append(
                    _Grant(role=Role(m.role), unit_ids=frozenset(), unit_paths=(), area_id=m.safety_area_id)
                )

    def _area_map(self) -> dict[int, frozenset[int]]:
        """unit id -> ids of the active safety areas listing that unit."""
        if self._areas_by_unit is None:
            pairs: dict[int, set[int]] = {}
            through = SafetyArea.units.through.objects.filter(
                safetyarea__in=SafetyArea.objects.active(timezone.localdate())
            ).values_list("orgunit_id", "safetyarea_id")
            for unit_id, area_id in through:
                pairs.setdefault(unit_id, set()).add(area_id)
            self._areas_by_unit = {k: frozenset(v) for k, v in pairs.items()}
        return self._areas_by_unit

    def covering_areas(self, unit: OrgUnit) -> frozenset[int]:
        """Safety areas of the unit itself, or of its nearest ancestor that has one."""
        if unit.pk not in self._covering:
            areas = self._area_map()
            found: frozenset[int] = frozenset()
            for unit_id in [unit.pk, *reversed(unit.ancestor_ids)]:
                if unit_id in areas:
                    found = areas[unit_id]
                    break
            self._covering[unit.pk] = found
        return self._covering[unit.pk]

    def roles_on(self, unit: OrgUnit) -> tuple[set[Role], set[Role]]:
        """(roles held on the unit itself, roles held on one of its ancestors)."""
        local: set[Role] = set()
        above: set[Role] = set()
        ancestors = set(unit.ancestor_ids)
        for g in self.grants:
            if g.area_id is not None:
                if g.area_id in self.covering_areas(unit):
                    local.add(g.role)
                continue
            if unit.pk in g.unit_ids:
                local.add(g.role)
            if ancestors & g.unit_ids:
                above.add(g.role)
        return local, above

    def has(self, perm: Perm, unit: OrgUnit | None) -> bool:
        if self.user.is_authenticated and self.user.is_superuser:
            return True
        rule = RULES[perm]
        if unit is None:
            # Organisation-level question: only roles inherited from the root answer it.
            return any(g.role in rule.inherited and _holds_root(g) for g in self.grants)
        local, above = self.roles_on(unit)
        return bool(local & rule.local) or bool(above & rule.inherited)

    def all_roles(self) -> set[Role]:
        return {g.role for g in self.grants}

    def unit_filter(self, perm: Perm) -> Q:
        """A Q over OrgUnit selecting every unit where `perm` holds."""
        if self.user.is_authenticated and self.user.is_superuser:
            return Q()
        rule = RULES[perm]
        q = Q(pk__in=[])
        area_roles = [g for g in self.grants if g.area_id is not None and g.role in rule.local]
        if area_roles:
            wanted = {g.area_id for g in area_roles}
            covered = [
                u.pk
                for u in OrgUnit.objects.only("pk", "path")
                if self.covering_areas(u) & wanted
            ]
            q |= Q(pk__in=covered)
        for g in self.grants:
            if g.area_id is not None:
                continue
            if g.role in rule.local and g.unit_ids:
                q |= Q(pk__in=g.unit_ids)
            if g.role in rule.inherited:
                for path in g.unit_paths:
                    q |= Q(path__startswith=path)
        return q


def _holds_root(grant: _Grant) -> bool:
    return any(path.count("/") == 2 for path in grant.unit_paths)


def access_for(user: User | AnonymousUser) -> Access:
    """The person's Access, cached on the user object for the rest of the request."""
    cached: Access | None = getattr(user, "_verne_access", None)
    if cached is None:
        cached = Access(user)
        try:
            user._verne_access = cached  # type: ignore[union-attr]
        except AttributeError:  # pragma: no cover - AnonymousUser is a plain object
            pass
    return cached


def has_perm(user: User | AnonymousUser, perm: Perm, unit: OrgUnit | None = None) -> bool:
    """May this person do `perm` on this unit's things? `unit=None` asks about the organisation."""
    if not user.is_authenticated or not user.is_active:
        return False
    return access_for(user).has(perm, unit)


def units_with_perm(user: User | AnonymousUser, perm: Perm) -> QuerySet[OrgUnit]:
    if not user.is_authenticated or not user.is_active:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(access_for(user).unit_filter(perm))


def forget_access(user: User | AnonymousUser) -> None:
    """Drop the cached grants (after a membership change in the same request or test)."""
    if hasattr(user, "_verne_access"):
        del user._verne_access  # type: ignore[union-attr]
