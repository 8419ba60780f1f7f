"""A realistic, fictional Norwegian organisation for the demo: Nordhavn universitet.

About 30 units in three levels below the university, about 300 people with Norwegian
names, a leader and a verneombud per unit, a hovedverneombud, AMU, HMS coordinators,
case handlers and an HMS admin. Deterministic and idempotent: running it again changes
nothing. Other apps add their demo data after this (see load_demo).
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from . import services
from .models import Membership, OrgUnit, Role, SafetyArea, User

DEMO_PASSWORD = "demo"  # noqa: S105 - the demo is public by design

FIRST_NAMES = [
    "Anne", "Kari", "Ingrid", "Marit", "Liv", "Hilde", "Silje", "Ida", "Nora", "Emma", "Sara",
    "Ingeborg", "Solveig", "Astrid", "Randi", "Tone", "Hanne", "Camilla", "Maja", "Thea", "Sigrid",
    "Ragnhild", "Guro", "Vilde", "Linn", "Åse", "Bjørg", "Eli", "Tuva", "Amalie",
    "Ole", "Lars", "Per", "Jan", "Kjell", "Bjørn", "Knut", "Arne", "Svein", "Geir", "Morten",
    "Jon", "Tor", "Even", "Magnus", "Henrik", "Sindre", "Eirik", "Håkon", "Jonas", "Martin",
    "Andreas", "Øyvind", "Trond", "Steinar", "Odd", "Aksel", "Mathias", "Sander", "Ali", "Ahmed",
    "Fatima", "Mona", "Leila", "Piotr", "Agnieszka",
]  # fmt: skip
LAST_NAMES = [
    "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen",
    "Jensen", "Karlsen", "Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen", "Hagen", "Johannessen",
    "Andreassen", "Jacobsen", "Dahl", "Jørgensen", "Halvorsen", "Henriksen", "Lund", "Sørensen",
    "Jakobsen", "Moen", "Gundersen", "Iversen", "Strand", "Solberg", "Svendsen", "Eide", "Knutsen",
    "Martinsen", "Paulsen", "Bakken", "Kristoffersen", "Mathisen", "Lie", "Amundsen", "Nguyen",
    "Rasmussen", "Ali", "Lunde", "Solheim", "Berge", "Moe", "Nygård", "Bakke", "Kristensen",
    "Fredriksen", "Holm", "Lien", "Hauge", "Christensen", "Andresen", "Nielsen", "Knudsen", "Evensen",
    "Sæther", "Aas", "Myhre", "Hanssen", "Ahmed", "Haugland", "Thomassen", "Sivertsen", "Simonsen",
    "Danielsen", "Berntsen", "Sandvik", "Rønning", "Arnesen", "Antonsen", "Næss", "Vik", "Haug",
    "Ellingsen", "Thorsen", "Edvardsen", "Birkeland", "Isaksen", "Gulbrandsen", "Ruud", "Aasen",
    "Strøm", "Myklebust", "Tangen", "Ødegård", "Eliassen", "Helland", "Bøe", "Jenssen", "Aune",
]  # fmt: skip


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    kind: str
    parent: str | None
    employees: int = 0


# (code, name, kind, parent, number of employees besides the leader)
UNITS: list[UnitSpec] = [
    UnitSpec("NHU", "Nordhavn universitet", "organisation", None, 4),
    UnitSpec("HF", "Helsefakultetet", "division", "NHU", 5),
    UnitSpec("HF-IKM", "Institutt for klinisk medisin", "department", "HF", 16),
    UnitSpec("HF-ISM", "Institutt for samfunnsmedisin", "department", "HF", 11),
    UnitSpec("HF-IHO", "Institutt for helse- og omsorgsvitenskap", "department", "HF", 14),
    UnitSpec("HF-IPS", "Institutt for psykologi", "department", "HF", 10),
    UnitSpec("HF-IMB", "Institutt for medisinsk biologi", "department", "HF", 12),
    UnitSpec("NT", "Fakultet for naturvitenskap og teknologi", "division", "NHU", 5),
    UnitSpec("NT-KJE", "Institutt for kjemi", "department", "NT", 9),
    UnitSpec("NT-KJE-LAB", "Laboratorieseksjonen", "section", "NT-KJE", 8),
    UnitSpec("NT-KJE-VERK", "Mekanisk verksted", "section", "NT-KJE", 6),
    UnitSpec("NT-FYS", "Institutt for fysikk og teknologi", "department", "NT", 13),
    UnitSpec("NT-GEO", "Institutt for geovitenskap", "department", "NT", 10),
    UnitSpec("NT-INF", "Institutt for informatikk", "department", "NT", 15),
    UnitSpec("HSL", "Fakultet for humaniora, samfunnsvitenskap og lærerutdanning", "division", "NHU", 5),
    UnitSpec("HSL-SPR", "Institutt for språk og kultur", "department", "HSL", 11),
    UnitSpec("HSL-LER", "Institutt for lærerutdanning og pedagogikk", "department", "HSL", 14),
    UnitSpec("HSL-SOS", "Institutt for sosiologi, statsvitenskap og samfunnsplanlegging", "department", "HSL", 9),
    UnitSpec("HSL-AHR", "Institutt for arkeologi, historie, religionsvitenskap og teologi", "department", "HSL", 10),
    UnitSpec("HSL-MED", "Institutt for medie- og dokumentasjonsvitenskap", "department", "HSL", 7),
    UnitSpec("ADM", "Fellesadministrasjonen", "division", "NHU", 4),
    UnitSpec("ADM-HR", "HR-avdelingen", "department", "ADM", 8),
    UnitSpec("ADM-OKO", "Økonomiavdelingen", "department", "ADM", 9),
    UnitSpec("ADM-IT", "IT-avdelingen", "department", "ADM", 11),
    UnitSpec("ADM-EIA", "Eiendomsavdelingen", "department", "ADM", 5),
    UnitSpec("ADM-EIA-DRIFT", "Driftsseksjonen", "section", "ADM-EIA", 10),
    UnitSpec("ADM-EIA-RENH", "Renholdsseksjonen", "section", "ADM-EIA", 9),
    UnitSpec("UB", "Universitetsbiblioteket", "division", "NHU", 3),
    UnitSpec("UB-FAG", "Fagbiblioteket", "department", "UB", 8),
    # Deliberately below the minimum group size of 5, so anonymity rules have something to do.
    UnitSpec("UB-SAML", "Spesialsamlingene", "department", "UB", 3),
]  # fmt: skip

# A unit closed in a reorganisation; its successor carries the history forward.
CLOSED_UNIT = UnitSpec("HSL-HIS", "Institutt for historie og religionsvitenskap", "department", "HSL")
CLOSED_UNIT_SUCCESSOR = "HSL-AHR"


@dataclass(frozen=True)
class Persona:
    username: str
    first_name: str
    last_name: str
    role: Role
    scope: str  # unit code, or safety-area code for verneombud roles
    description: str


# Named demo logins. Everyone in the demo has the password DEMO_PASSWORD.
PERSONAS: list[Persona] = [
    Persona("hms.admin", "Hanne", "Moe", Role.HMS_ADMIN, "NHU", "HMS-administrator for hele universitetet"),
    Persona("rektor", "Sigrid", "Aune", Role.TOP_MANAGER, "NHU", "Øverste leder (rektor)"),
    Persona("hvo", "Trond", "Bakken", Role.HOVEDVERNEOMBUD, "NHU", "Hovedverneombud"),
    Persona("leder.kjemi", "Ingrid", "Solheim", Role.LEADER, "NT-KJE", "Instituttleder, Institutt for kjemi"),
    Persona("vo.kjemi", "Even", "Lunde", Role.VERNEOMBUD, "VO-NT-KJE", "Verneombud, Institutt for kjemi"),
    Persona("ansatt.kjemi", "Sara", "Nguyen", Role.EMPLOYEE, "NT-KJE", "Ansatt, Institutt for kjemi"),
    Persona("dekan.nt", "Morten", "Haugland", Role.LEADER, "NT", "Dekan, Fakultet for naturvitenskap og teknologi"),
    Persona("avvik.nt", "Camilla", "Strand", Role.CASE_HANDLER, "NT", "Avviksbehandler, NT-fakultetet"),
    Persona("hms.nt", "Jonas", "Birkeland", Role.HMS_COORDINATOR, "NT", "HMS-koordinator, NT-fakultetet"),
    Persona("amu.sekretar", "Liv", "Myhre", Role.AMU_SECRETARY, "NHU", "AMU-sekretær"),
    Persona("leder.saml", "Astrid", "Næss", Role.LEADER, "UB-SAML", "Leder, Spesialsamlingene (liten enhet)"),
    Persona("hr.radgiver", "Ali", "Ahmed", Role.HR, "NHU", "HR-rådgiver"),
    Persona("bht", "Randi", "Ellingsen", Role.BHT, "NHU", "Bedriftshelsetjenesten"),
]  # fmt: skip


def _ascii(text: str) -> str:
    text = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


class _People:
    """Deterministic person factory with unique usernames."""

    def __init__(self, password_hash: str) -> None:
        self.rng = random.Random(20261121)
        self.password_hash = password_hash
        self.existing = {u.username: u for u in User.objects.all()}
        self.allocated: set[str] = set()  # usernames handed out in this run
        self.created = 0

    def get(self, username: str, first: str, last: str) -> User:
        self.allocated.add(username)
        user = self.existing.get(username)
        if user is None:
            user = User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@nordhavn.example",
                password=self.password_hash,
            )
            user.save()
            services.audit_record(actor=None, verb="person.create", target=user, data={"demo": True})
            self.existing[username] = user
            self.created += 1
        return user

    def new(self) -> User:
        first = self.rng.choice(FIRST_NAMES)
        last = self.rng.choice(LAST_NAMES)
        base = _ascii(f"{first}.{last}")
        username, n = base, 1
        while username in self.allocated:
            n += 1
            username = f"{base}{n}"
        # Deterministic when re-run: the same sequence of names gives the same usernames,
        # and get() returns the user created by the earlier run.
        return self.get(username, first, last)


def _grant(user: User, role: Role, *, unit: OrgUnit | None = None, area: SafetyArea | None = None,
           valid_from: dt.date | None = None) -> None:  # fmt: skip
    services.membership_grant(
        actor=None, user=user, role=role, unit=unit, safety_area=area, valid_from=valid_from
    )


@transaction.atomic
def build_organisation(stdout: object = None) -> dict[str, int]:
    today = timezone.localdate()
    founded = dt.date(today.year - 6, 1, 1)
    units: dict[str, OrgUnit] = {u.code: u for u in OrgUnit.objects.all()}
    for spec in UNITS:
        if spec.code not in units:
            units[spec.code] = services.unit_create(
                actor=None,
                code=spec.code,
                name=spec.name,
                kind=spec.kind,
                parent=units[spec.parent] if spec.parent else None,
                valid_from=founded,
            )
    # The reorganisation: the old history institute merged into HSL-AHR 18 months ago.
    merged_on = (today.replace(day=1) - dt.timedelta(days=540)).replace(day=1) - dt.timedelta(days=1)
    if CLOSED_UNIT.code not in units:
        old = services.unit_create(
            actor=None,
            code=CLOSED_UNIT.code,
            name=CLOSED_UNIT.name,
            kind=CLOSED_UNIT.kind,
            parent=units["HSL"],
            valid_from=founded,
        )
        services.unit_close(
            actor=None, unit=old, valid_to=merged_on, successor=units[CLOSED_UNIT_SUCCESSOR]
        )
        ahr = units[CLOSED_UNIT_SUCCESSOR]
        ahr.valid_from = merged_on + dt.timedelta(days=1)
        ahr.save(update_fields=["valid_from"])
        units[CLOSED_UNIT.code] = old

    # One safety area per unit below the university (a division's area covers its own staff).
    areas: dict[str, SafetyArea] = {a.code: a for a in SafetyArea.objects.all()}
    for spec in UNITS[1:]:
        code = f"VO-{spec.code}"
        if code not in areas:
            areas[code] = services.safety_area_create(
                actor=None, code=code, name=f"Verneområde {spec.name}", units=[units[spec.code]]
            )

    people = _People(make_password(DEMO_PASSWORD))
    for p in PERSONAS:
        user = people.get(p.username, p.first_name, p.last_name)
        if p.role in (Role.VERNEOMBUD, Role.DEPUTY_VERNEOMBUD):
            _grant(user, p.role, area=areas[p.scope])
        else:
            _grant(user, p.role, unit=units[p.scope])
    leaders_by_unit = {p.scope: people.get(p.username, p.first_name, p.last_name)
                       for p in PERSONAS if p.role == Role.LEADER}  # fmt: skip
    vo_by_area = {p.scope: people.get(p.username, p.first_name, p.last_name)
                  for p in PERSONAS if p.role == Role.VERNEOMBUD}  # fmt: skip

    # Personas also work somewhere.
    home_units = {
        "hms.admin": "ADM-HR", "rektor": "NHU", "hvo": "ADM-EIA-DRIFT", "leder.kjemi": "NT-KJE",
        "vo.kjemi": "NT-KJE", "ansatt.kjemi": "NT-KJE", "dekan.nt": "NT", "avvik.nt": "NT",
        "hms.nt": "NT", "amu.sekretar": "ADM-HR", "leder.saml": "UB-SAML", "hr.radgiver": "ADM-HR",
        "bht": None,
    }  # fmt: skip
    for username, code in home_units.items():
        if code:
            _grant(people.existing[username], Role.EMPLOYEE, unit=units[code])

    rng = random.Random(7)
    employees_by_unit: dict[str, list[User]] = {}
    for spec in UNITS:
        unit = units[spec.code]
        staff = [people.new() for _ in range(spec.employees)]
        leader = leaders_by_unit.get(spec.code)
        if leader is None and spec.code != "NHU":
            leader = people.new()
        if leader is not None:
            _grant(leader, Role.LEADER, unit=unit)
            _grant(leader, Role.EMPLOYEE, unit=unit)
        for person in staff:
            _grant(person, Role.EMPLOYEE, unit=unit)
        employees_by_unit[spec.code] = staff
        if spec.code == "NHU":
            continue
        area = areas[f"VO-{spec.code}"]
        vo = vo_by_area.get(area.code) or staff[0]
        _grant(vo, Role.VERNEOMBUD, area=area)
        if len(staff) > 2:
            _grant(staff[1], Role.DEPUTY_VERNEOMBUD, area=area)
        if spec.kind == OrgUnit.Kind.DIVISION:
            _grant(staff[-1], Role.HMS_COORDINATOR, unit=unit)
            _grant(staff[-2], Role.CASE_HANDLER, unit=unit)

    # The closed unit had its own staff and leader until the merger (kept as history).
    old = units[CLOSED_UNIT.code]
    if not Membership.objects.filter(unit=old).exists():
        old_leader = people.new()
        m = services.membership_grant(actor=None, user=old_leader, role=Role.LEADER, unit=old,
                                      valid_from=founded)  # fmt: skip
        services.membership_end(actor=None, membership=m, on=merged_on)

    # AMU: three from the employer side, three from the employee side (the HVO among them).
    amu = [leaders_by_unit.get("NT") or people.existing["dekan.nt"], people.existing["hvo"]]
    pool = [u for code in ("HF", "HSL", "ADM") for u in employees_by_unit[code][:2]]
    amu += rng.sample(pool, 4)
    for person in amu:
        _grant(person, Role.AMU_MEMBER, unit=units["NHU"])
    return {
        "units": OrgUnit.objects.count(),
        "safety_areas": SafetyArea.objects.count(),
        "people": User.objects.count(),
        "people_created": people.created,
        "memberships": Membership.objects.count(),
    }
