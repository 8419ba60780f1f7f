"""Writes for the organisation: units, safety areas, people, roles, and the audit trail.

Every function is keyword-only, atomic, takes the acting person and records an
AuditEvent in the same transaction. Views, admin actions and commands call these.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from .models import SAFETY_AREA_ROLES, AuditEvent, Membership, OrgUnit, Role, SafetyArea, User


def audit_record(
    *,
    actor: User | None,
    verb: str,
    target: models.Model,
    unit: OrgUnit | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit event. Call it inside the service's transaction."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        verb=verb,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        unit=unit,
        data=data or {},
    )


def _with_history(obj: models.Model, actor: User | None, reason: str) -> None:
    obj._history_user = actor  # type: ignore[attr-defined]
    obj._change_reason = reason  # type: ignore[attr-defined]


def _set_path(unit: OrgUnit) -> None:
    parent_path = unit.parent.path if unit.parent_id and unit.parent else "/"
    unit.path = f"{parent_path}{unit.pk}/"
    unit.depth = unit.path.count("/") - 2


@transaction.atomic
def unit_create(
    *,
    actor: User | None,
    code: str,
    name: str,
    kind: str,
    parent: OrgUnit | None = None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> OrgUnit:
    unit = OrgUnit(
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        valid_from=valid_from or dt.date(2000, 1, 1),
        valid_to=valid_to,
    )
    unit.full_clean(exclude=["path"])
    _with_history(unit, actor, "created")
    unit.save()
    _set_path(unit)
    OrgUnit.objects.filter(pk=unit.pk).update(path=unit.path, depth=unit.depth)
    audit_record(actor=actor, verb="unit.create", target=unit, unit=unit, data={"code": code})
    return unit


@transaction.atomic
def unit_update(
    *, actor: User | None, unit: OrgUnit, name: str | None = None, kind: str | None = None
) -> OrgUnit:
    changes: dict[str, Any] = {}
    if name is not None and name != unit.name:
        changes["name"] = [unit.name, name]
        unit.name = name
    if kind is not None and kind != unit.kind:
        changes["kind"] = [unit.kind, kind]
        unit.kind = kind
    if changes:
        unit.full_clean()
        _with_history(unit, actor, "updated")
        unit.save()
        audit_record(actor=actor, verb="unit.update", target=unit, unit=unit, data=changes)
    return unit


@transaction.atomic
def unit_move(*, actor: User | None, unit: OrgUnit, new_parent: OrgUnit) -> OrgUnit:
    """Move a unit (and its subtree) under another parent."""
    old_path = unit.path
    old_parent_id = unit.parent_id
    unit.parent = new_parent
    unit.full_clean()
    _with_history(unit, actor, "moved")
    unit.save()
    _set_path(unit)
    OrgUnit.objects.filter(pk=unit.pk).update(path=unit.path, depth=unit.depth)
    # Descendants: rewrite the path prefix. Few rows; done one by one so depth stays right.
    for child in OrgUnit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk):
        child.path = unit.path + child.path[len(old_path) :]
        child.depth = child.path.count("/") - 2
        OrgUnit.objects.filter(pk=child.pk).update(path=child.path, depth=child.depth)
    audit_record(
        actor=actor,
        verb="unit.move",
        target=unit,
        unit=unit,
        data={"from_parent": old_parent_id, "to_parent": new_parent.pk},
    )
    return unit


@transaction.atomic
def unit_close(
    *, actor: User | None, unit: OrgUnit, valid_to: dt.date, successor: OrgUnit | None = None
) -> OrgUnit:
    """End a unit (reorganisation). Its history stays; trends follow `successor`."""
    unit.valid_to = valid_to
    unit.successor = successor
    unit.full_clean()
    _with_history(unit, actor, "closed")
    unit.save()
    audit_record(
        actor=actor,
        verb="unit.close",
        target=unit,
        unit=unit,
        data={"valid_to": valid_to.isoformat(), "successor": successor.code if successor else None},
    )
    return unit


@transaction.atomic
def safety_area_create(
    *, actor: User | None, code: str, name: str, units: list[OrgUnit]
) -> SafetyArea:
    area = SafetyArea(code=code, name=name)
    area.full_clean()
    _with_history(area, actor, "created")
    area.save()
    area.units.set(units)
    audit_record(
        actor=actor,
        verb="safety_area.create",
        target=area,
        data={"code": code, "units": [u.code for u in units]},
    )
    return area


@transaction.atomic
def safety_area_set_units(*, actor: User | None, area: SafetyArea, units: list[OrgUnit]) -> SafetyArea:
    before = sorted(area.units.values_list("code", flat=True))
    area.units.set(units)
    after = sorted(u.code for u in units)
    if before != after:
        audit_record(
            actor=actor, verb="safety_area.units", target=area, data={"from": before, "to": after}
        )
    return area


@transaction.atomic
def person_create(
    *,
    actor: User | None,
    username: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    password: str | None = None,
    language: str = "",
    external_id: str = "",
) -> User:
    user = User(
        username=username, first_name=first_name, last_name=last_name, email=email, language=language,
        external_id=external_id,
    )  # fmt: skip
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    data: dict[str, Any] = {"username": username}
    if external_id:
        data["via"] = "sso"
    audit_record(actor=actor, verb="person.create", target=user, data=data)
    return user


@transaction.atomic
def person_link_external_id(*, actor: User | None, person: User, external_id: str) -> User:
    """Tie a person to their identity at the organisation's identity provider (single sign-on)."""
    if person.external_id != external_id:
        person.external_id = external_id
        person.full_clean(exclude=["password"])
        person.save(update_fields=["external_id"])
        audit_record(actor=actor, verb="person.link_identity", target=person, data={"via": "sso"})
    return person


@transaction.atomic
def person_update(
    *,
    actor: User | None,
    person: User,
    first_name: str | None = None,
    last_name: str | None = None,
    email: str | None = None,
) -> User:
    changed: list[str] = []
    for field_name, value in (("first_name", first_name), ("last_name", last_name), ("email", email)):
        if value is not None and getattr(person, field_name) != value:
            setattr(person, field_name, value)
            changed.append(field_name)
    if changed:
        person.full_clean(exclude=["password"])
        person.save(update_fields=changed)
        audit_record(actor=actor, verb="person.update", target=person, data={"fields": changed})
    return person


@transaction.atomic
def person_set_language(*, actor: User, person: User, language: str) -> User:
    if language not in User.Language.values:
        raise ValueError(f"unknown language {language!r}")
    if person.language != language:
        person.language = language
        person.save(update_fields=["language"])
        audit_record(actor=actor, verb="person.language", target=person, data={"language": language})
    return person


@transaction.atomic
def membership_grant(
    *,
    actor: User | None,
    user: User,
    role: Role | str,
    unit: OrgUnit | None = None,
    safety_area: SafetyArea | None = None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> Membership:
    """Give a person a role. Granting a role they already hold (active) returns that one."""
    role = Role(role)
    existing = (
        Membership.objects.active()
        .filter(user=user, role=role, unit=unit, safety_area=safety_area)
        .first()
    )
    if existing is not None:
        return existing
    membership = Membership(
        user=user,
        role=role,
        unit=unit,
        safety_area=safety_area,
        valid_from=valid_from or dt.date(2000, 1, 1),
        valid_to=valid_to,
    )
    membership.full_clean()
    _with_history(membership, actor, "granted")
    membership.save()
    audit_record(
        actor=actor,
        verb="membership.grant",
        target=membership,
        unit=unit,
        data={
            "user": user.username,
            "role": role.value,
            "unit": unit.code if unit else None,
            "safety_area": safety_area.code if safety_area else None,
        },
    )
    return membership


@transaction.atomic
def membership_end(*, actor: User | None, membership: Membership, on: dt.date | None = None) -> Membership:
    """End a role. The membership stays as history; it is valid up to and including `on`."""
    on = on or timezone.localdate()
    membership.valid_to = max(on, membership.valid_from)
    membership.full_clean()
    _with_history(membership, actor, "ended")
    membership.save()
    audit_record(
        actor=actor,
        verb="membership.end",
        target=membership,
        unit=membership.unit,
        data={"user": membership.user.username, "role": membership.role, "on": on.isoformat()},
    )
    return membership


@transaction.atomic
def membership_withdraw(*, actor: User | None, membership: Membership) -> None:
    """Remove a membership that has not begun yet or began today (a mistake, or a group change
    on the same day). Older memberships are ended with `membership_end`, never withdrawn."""
    if membership.valid_from < timezone.localdate():
        raise ValueError("only memberships that begin today or later can be withdrawn")
    audit_record(
        actor=actor, verb="membership.withdraw", target=membership, unit=membership.unit,
        data={"user": membership.user.username, "role": membership.role},
    )  # fmt: skip
    _with_history(membership, actor, "withdrawn")
    membership.delete()


def _scope_for(role: Role, code: str) -> tuple[OrgUnit | None, SafetyArea | None] | None:
    if role in SAFETY_AREA_ROLES:
        area = SafetyArea.objects.filter(code=code).first()
        return (None, area) if area else None
    unit = OrgUnit.objects.filter(code=code).first()
    return (unit, None) if unit else None


@transaction.atomic
def membership_sync_groups(
    *,
    actor: User | None,
    person: User,
    groups: list[str],
    mapping: dict[str, list[tuple[str, str]]],
) -> dict[str, list[str]]:
    """Keep the memberships an identity provider decides in step with the person's groups.

    `mapping` is {group: [(role, unit or safety-area code)]}. Only the (role, scope) pairs named
    in the mapping are managed: a pair is granted while the person is in one of its groups and
    ended (from yesterday, so at once) when they are in none. Other memberships are untouched.
    Unknown roles or codes are skipped. Returns {"granted": [...], "ended": [...]}.
    """
    managed: dict[tuple[str, str], bool] = {}
    member_of = set(groups)
    for group, pairs in mapping.items():
        for role, code in pairs:
            key = (role, code)
            managed[key] = managed.get(key, False) or group in member_of
    today = timezone.localdate()
    granted: list[str] = []
    ended: list[str] = []
    for (role_value, code), wanted in sorted(managed.items()):
        if role_value not in Role.values:
            continue
        role = Role(role_value)
        scope = _scope_for(role, code)
        if scope is None:
            continue
        unit, area = scope
        active = Membership.objects.active(today).filter(user=person, role=role, unit=unit, safety_area=area)
        if wanted and not active.exists():
            membership_grant(actor=actor, user=person, role=role, unit=unit, safety_area=area, valid_from=today)
            granted.append(f"{role.value}@{code}")
        elif not wanted:
            for membership in active:
                if membership.valid_from >= today:
                    # Granted today and gone today: it cannot end before it began, so it is
                    # withdrawn (the history table keeps the row as it was).
                    membership_withdraw(actor=actor, membership=membership)
                else:
                    membership_end(actor=actor, membership=membership, on=today - dt.timedelta(days=1))
                ended.append(f"{role.value}@{code}")
    if granted or ended:
        audit_record(
            actor=actor, verb="person.sync_groups", target=person, data={"granted": granted, "ended": ended}
        )
    return {"granted": granted, "ended": ended}
