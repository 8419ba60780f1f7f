"""Import the organisation (units, safety areas, people, roles) from one CSV file.

Every row has a `record` column saying what it describes:

    record,code,name,parent,kind,units,username,first_name,last_name,email,role,scope,valid_from,valid_to,successor
    unit,NHU,Nordhavn universitet,,organisation,,,,,,,,,,
    unit,HF,Helsefakultetet,NHU,division,,,,,,,,,,
    safety_area,VO-HF,Verneområde Helsefakultetet,,,HF;HF-IKM,,,,,,,,,
    person,,,,,,kari.nordmann,Kari,Nordmann,kari@example.no,,,,,
    role,,,,,,kari.nordmann,,,,leader,HF,2024-01-01,,

The whole file is checked first; any bad row is reported with its line number and
reason and nothing is written. The import is additive and idempotent: existing units,
areas and people (matched by code or username) are updated, roles already held are kept.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from . import services
from .models import SAFETY_AREA_ROLES, Membership, OrgUnit, Role, SafetyArea, User

COLUMNS = [
    "record", "code", "name", "parent", "kind", "units", "username", "first_name", "last_name",
    "email", "role", "scope", "valid_from", "valid_to", "successor",
]  # fmt: skip
RECORDS = {"unit", "safety_area", "person", "role"}


class ImportFailed(Exception):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class ImportResult:
    units: int = 0
    safety_areas: int = 0
    people: int = 0
    roles: int = 0
    messages: list[str] = field(default_factory=list)


@dataclass
class _Row:
    line: int
    data: dict[str, str]

    def __getitem__(self, key: str) -> str:
        return (self.data.get(key) or "").strip()


def _date(value: str, line: int, column: str, errors: list[str]) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        errors.append(f"line {line}: {column} '{value}' is not a date (use YYYY-MM-DD)")
        return None


def _parse(text: str) -> tuple[list[_Row], list[str]]:
    errors: list[str] = []
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        return [], ["line 1: the file is empty (expected a header row)"]
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        errors.append(f"line 1: unknown column(s) {', '.join(unknown)}; allowed: {', '.join(COLUMNS)}")
    if "record" not in header:
        errors.append("line 1: the column 'record' is required")
    rows: list[_Row] = []
    for raw in reader:
        line = reader.line_num
        if None in raw:
            errors.append(f"line {line}: more values than columns in the header")
            continue
        data = {(k or "").strip(): (v or "") for k, v in raw.items()}
        if not any(v.strip() for v in data.values()):
            continue
        rows.append(_Row(line=line, data=data))
    return rows, errors


@transaction.atomic
def organisation_import(*, actor: User | None, text: str) -> ImportResult:
    rows, errors = _parse(text)
    if errors:
        raise ImportFailed(errors)

    # Pass 1: check every row against the file and the database; collect the plan.
    unit_rows: dict[str, _Row] = {}
    area_rows: dict[str, _Row] = {}
    person_rows: dict[str, _Row] = {}
    role_rows: list[_Row] = []
    existing_units = {u.code: u for u in OrgUnit.objects.all()}
    existing_areas = {a.code: a for a in SafetyArea.objects.all()}
    existing_users = set(User.objects.values_list("username", flat=True))

    for row in rows:
        record = row["record"]
        if record not in RECORDS:
            errors.append(
                f"line {row.line}: record '{record}' is not one of {', '.join(sorted(RECORDS))}"
            )
            continue
        if record == "unit":
            code, name, kind = row["code"], row["name"], row["kind"]
            if not code or not name:
                errors.append(f"line {row.line}: a unit needs both code and name")
            elif code in unit_rows:
                errors.append(
                    f"line {row.line}: unit code '{code}' appears twice (first on line {unit_rows[code].line})"
                )
            if kind not in OrgUnit.Kind.values:
                errors.append(
                    f"line {row.line}: kind '{kind}' is not one of {', '.join(OrgUnit.Kind.values)}"
                )
            vf = _date(row["valid_from"], row.line, "valid_from", errors)
            vt = _date(row["valid_to"], row.line, "valid_to", errors)
            if vf and vt and vt < vf:
                errors.append(f"line {row.line}: valid_to is before valid_from")
            if code:
                unit_rows[code] = row
        elif record == "safety_area":
            code, name = row["code"], row["name"]
            if not code or not name:
                errors.append(f"line {row.line}: a safety area needs both code and name")
            elif code in area_rows:
                errors.append(f"line {row.line}: safety area code '{code}' appears twice")
            else:
                area_rows[code] = row
        elif record == "person":
            username = row["username"]
            if not username:
                errors.append(f"line {row.line}: a person needs a username")
                continue
            if username in person_rows:
                errors.append(f"line {row.line}: person '{username}' appears twice")
            if row["email"]:
                try:
                    validate_email(row["email"])
                except ValidationError:
                    errors.append(f"line {row.line}: '{row['email']}' is not an email address")
            person_rows[username] = row
        else:
            role_rows.append(row)

    all_units = set(existing_units) | set(unit_rows)
    roots = [c for c, r in unit_rows.items() if r["kind"] == "organisation"]
    existing_root = next((u for u in existing_units.values() if u.parent_id is None), None)
    if len(roots) > 1 or (roots and existing_root and existing_root.code not in roots):
        errors.append("the organisation can have only one unit of kind 'organisation' (the root)")
    for code, row in unit_rows.items():
        parent = row["parent"]
        if row["kind"] == "organisation":
            if parent:
                errors.append(f"line {row.line}: the organisation unit cannot have a parent")
        elif not parent:
            errors.append(f"line {row.line}: unit '{code}' needs a parent")
        elif parent not in all_units:
            errors.append(f"line {row.line}: parent '{parent}' is not a unit in the file or the database")
        if row["successor"] and row["successor"] not in all_units:
            errors.append(f"line {row.line}: successor '{row['successor']}' is not a known unit")
    # Cycles among the file's parent references.
    for code, row in unit_rows.items():
        seen, current = {code}, row["parent"]
        while current and current in unit_rows:
            if current in seen:
                errors.append(f"line {row.line}: unit '{code}' is part of a parent cycle")
                break
            seen.add(current)
            current = unit_rows[current]["parent"]
    for code, row in area_rows.items():
        unit_codes = [c.strip() for c in row["units"].split(";") if c.strip()]
        if not unit_codes:
            errors.append(f"line {row.line}: safety area '{code}' needs units (codes separated by ';')")
        for c in unit_codes:
            if c not in all_units:
                errors.append(f"line {row.line}: unit '{c}' in safety area '{code}' is not known")
    all_areas = set(existing_areas) | set(area_rows)
    all_people = existing_users | set(person_rows)
    for row in role_rows:
        username, role, scope = row["username"], row["role"], row["scope"]
        if username not in all_people:
            errors.append(f"line {row.line}: person '{username}' is not in the file or the database")
        if role not in Role.values:
            errors.append(f"line {row.line}: role '{role}' is not one of {', '.join(Role.values)}")
            continue
        if role in SAFETY_AREA_ROLES:
            if scope not in all_areas:
                errors.append(
                    f"line {row.line}: role '{role}' needs a safety area code in 'scope' (got '{scope}')"
                )
        elif scope not in all_units:
            errors.append(f"line {row.line}: role '{role}' needs a unit code in 'scope' (got '{scope}')")
        vf = _date(row["valid_from"], row.line, "valid_from", errors)
        vt = _date(row["valid_to"], row.line, "valid_to", errors)
        if vf and vt and vt < vf:
            errors.append(f"line {row.line}: valid_to is before valid_from")
    if errors:
        raise ImportFailed(errors)

    # Pass 2: write, parents before children. Any failure rolls the whole import back.
    result = ImportResult()
    units = dict(existing_units)
    pending = dict(unit_rows)
    while pending:
        progressed = False
        for code, row in list(pending.items()):
            parent_code = row["parent"]
            if parent_code and parent_code not in units:
                continue
            parent = units.get(parent_code) if parent_code else None
            _apply_unit(actor, row, parent, units, result)
            del pending[code]
            progressed = True
        if not progressed:  # pragma: no cover - cycles are caught above
            raise ImportFailed([f"line {r.line}: unresolved parent" for r in pending.values()])
    for code, row in unit_rows.items():
        if row["successor"]:
            unit = units[code]
            succ = units[row["successor"]]
            if unit.successor_id != succ.pk:
                services.unit_close(
                    actor=actor, unit=unit, valid_to=unit.valid_to or dt.date.today(), successor=succ
                )

    areas = dict(existing_areas)
    for code, row in area_rows.items():
        area_units = [units[c.strip()] for c in row["units"].split(";") if c.strip()]
        area = areas.get(code)
        if area is None:
            area = services.safety_area_create(actor=actor, code=code, name=row["name"], units=area_units)
            result.safety_areas += 1
        else:
            if area.name != row["name"]:
                area.name = row["name"]
                area.save(update_fields=["name"])
            services.safety_area_set_units(actor=actor, area=area, units=area_units)
        areas[code] = area

    people = {u.username: u for u in User.objects.filter(username__in=all_people)}
    for username, row in person_rows.items():
        try:
            if username in people:
                services.person_update(
                    actor=actor,
                    person=people[username],
                    first_name=row["first_name"],
                    last_name=row["last_name"],
                    email=row["email"],
                )
            else:
                people[username] = services.person_create(
                    actor=actor,
                    username=username,
                    first_name=row["first_name"],
                    last_name=row["last_name"],
                    email=row["email"],
                )
                result.people += 1
        except ValidationError as exc:
            raise ImportFailed([f"line {row.line}: {'; '.join(exc.messages)}"]) from exc

    for row in role_rows:
        role = Role(row["role"])
        unit = None if role in SAFETY_AREA_ROLES else units[row["scope"]]
        area = areas[row["scope"]] if role in SAFETY_AREA_ROLES else None
        person = people[row["username"]]
        held = Membership.objects.active().filter(
            user=person, role=role, unit=unit, safety_area=area
        ).exists()
        try:
            services.membership_grant(
                actor=actor,
                user=person,
                role=role,
                unit=unit,
                safety_area=area,
                valid_from=dt.date.fromisoformat(row["valid_from"]) if row["valid_from"] else None,
                valid_to=dt.date.fromisoformat(row["valid_to"]) if row["valid_to"] else None,
            )
        except ValidationError as exc:
            raise ImportFailed([f"line {row.line}: {'; '.join(exc.messages)}"]) from exc
        if not held:
            result.roles += 1
    return result


def _apply_unit(
    actor: User | None,
    row: _Row,
    parent: OrgUnit | None,
    units: dict[str, OrgUnit],
    result: ImportResult,
) -> None:
    code = row["code"]
    unit = units.get(code)
    vf = dt.date.fromisoformat(row["valid_from"]) if row["valid_from"] else None
    vt = dt.date.fromisoformat(row["valid_to"]) if row["valid_to"] else None
    try:
        if unit is None:
            unit = services.unit_create(
                actor=actor, code=code, name=row["name"], kind=row["kind"], parent=parent,
                valid_from=vf, valid_to=vt,
            )  # fmt: skip
            result.units += 1
        else:
            services.unit_update(actor=actor, unit=unit, name=row["name"], kind=row["kind"])
            if parent is not None and unit.parent_id != parent.pk:
                services.unit_move(actor=actor, unit=unit, new_parent=parent)
            if vt and unit.valid_to != vt:
                services.unit_close(actor=actor, unit=unit, valid_to=vt, successor=unit.successor)
    except ValidationError as exc:
        raise ImportFailed([f"line {row.line}: {'; '.join(exc.messages)}"]) from exc
    units[code] = unit
