"""Reads about the organisation that span relations. Other apps call these."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import Membership, OrgUnit, Role, SafetyArea, User
from .permissions import Perm, units_with_perm


def organisation_root() -> OrgUnit | None:
    return OrgUnit.objects.filter(parent__isnull=True).first()


def unit_subtree(unit: OrgUnit, *, active_on: dt.date | None = None) -> QuerySet[OrgUnit]:
    """The unit and everything below it (ordered by path, i.e. depth-first)."""
    qs = OrgUnit.objects.filter(path__startswith=unit.path)
    if active_on is not None:
        qs = qs.active(active_on)
    return qs.order_by("path")


def unit_ancestors(unit: OrgUnit) -> list[OrgUnit]:
    """Root first, parent last."""
    ids = unit.ancestor_ids
    by_id = OrgUnit.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def unit_successor_chain(unit: OrgUnit) -> list[OrgUnit]:
    """The unit and the units that succeeded it, oldest first (for year-to-year trends)."""
    chain = [unit]
    seen = {unit.pk}
    current = unit
    while current.successor_id and current.successor_id not in seen:
        current = OrgUnit.objects.get(pk=current.successor_id)
        chain.append(current)
        seen.add(current.pk)
    return chain


def safety_areas_covering(unit: OrgUnit, *, on: dt.date | None = None) -> QuerySet[SafetyArea]:
    """Safety areas that cover the unit itself or, failing that, its nearest ancestor."""
    on = on or timezone.localdate()
    for unit_id in [unit.pk, *reversed(unit.ancestor_ids)]:
        areas = SafetyArea.objects.active(on).filter(units__pk=unit_id)
        if areas.exists():
            return areas
    return SafetyArea.objects.none()


def unit_role_holders(unit: OrgUnit, role: Role, *, on: dt.date | None = None) -> list[User]:
    """People holding a role in the unit (for verneombud: via the covering safety areas)."""
    on = on or timezone.localdate()
    memberships = Membership.objects.active(on).filter(role=role).select_related("user")
    if role in (Role.VERNEOMBUD, Role.DEPUTY_VERNEOMBUD):
        memberships = memberships.filter(safety_area__in=safety_areas_covering(unit, on=on))
    else:
        memberships = memberships.filter(unit=unit)
    return sorted({m.user for m in memberships if m.user.is_active}, key=lambda u: (u.last_name, u.first_name))


def unit_employee_count(unit: OrgUnit, *, on: dt.date | None = None, subtree: bool = False) -> int:
    on = on or timezone.localdate()
    units = unit_subtree(unit) if subtree else OrgUnit.objects.filter(pk=unit.pk)
    return (
        Membership.objects.active(on)
        .filter(role=Role.EMPLOYEE, unit__in=units, user__is_active=True)
        .values("user")
        .distinct()
        .count()
    )


@dataclass
class UnitRoles:
    unit: OrgUnit
    roles: list[str] = field(default_factory=list)
    via_safety_area: list[SafetyArea] = field(default_factory=list)


def person_units(user: User, *, on: dt.date | None = None) -> list[UnitRoles]:
    """The units a person belongs to, each with the roles held there (home page)."""
    on = on or timezone.localdate()
    by_unit: dict[int, UnitRoles] = {}
    memberships = (
        Membership.objects.active(on)
        .filter(user=user)
        .select_related("unit", "safety_area")
        .prefetch_related("safety_area__units")
        .order_by("role")
    )
    for m in memberships:
        if m.unit is not None:
            entry = by_unit.setdefault(m.unit.pk, UnitRoles(unit=m.unit))
            entry.roles.append(m.get_role_display())
        else:
            for unit in m.safety_area.units.all():
                entry = by_unit.setdefault(unit.pk, UnitRoles(unit=unit))
                entry.roles.append(f"{m.get_role_display()} ({m.safety_area.name})")
                if m.safety_area not in entry.via_safety_area:
                    entry.via_safety_area.append(m.safety_area)
    return sorted(by_unit.values(), key=lambda e: e.unit.path)


@dataclass
class UnitPerson:
    user: User
    roles: list[str]


def unit_people(unit: OrgUnit, *, on: dt.date | None = None) -> list[UnitPerson]:
    """Everyone holding a role in the unit, with their roles, leaders first."""
    on = on or timezone.localdate()
    areas = list(SafetyArea.objects.active(on).filter(units=unit))
    memberships = (
        Membership.objects.active(on)
        .filter(Q(unit=unit) | Q(safety_area__in=areas))
        .select_related("user")
    )
    order = {r.value: i for i, r in enumerate(Role)}
    people: dict[int, UnitPerson] = {}
    for m in sorted(memberships, key=lambda m: order[m.role]):
        entry = people.setdefault(m.user_id, UnitPerson(user=m.user, roles=[]))
        label = m.get_role_display()
        if label not in entry.roles:
            entry.roles.append(str(label))
    return sorted(
        people.values(),
        key=lambda p: (
            0 if set(p.roles) - {str(Role.EMPLOYEE.label)} else 1,
            p.user.last_name,
            p.user.first_name,
        ),
    )


def units_visible_to(user: User) -> QuerySet[OrgUnit]:
    return units_with_perm(user, Perm.UNIT_VIEW).order_by("path")


def unit_by_code(code: str) -> OrgUnit | None:
    return OrgUnit.objects.filter(code=code).first()
