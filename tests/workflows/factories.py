"""Small builders for follow-up objects in the test organisation (through the services)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.utils import timezone
from PIL import Image

from core.models import OrgUnit, Role, SafetyArea, User
from tests.conftest import Org
from workflows import services
from workflows.models import (
    ActionItem,
    AnnualCycleItem,
    Deviation,
    HmsRound,
    LearningReport,
    Photo,
    RiskAssessment,
    RiskRow,
)


def unit_of(org: Org, side: str) -> OrgUnit:
    return org.a if side == "a" else org.b


def area_of(org: Org, side: str) -> SafetyArea:
    return org.sa_a if side == "a" else org.sa_b


def action(org: Org, side: str = "a", *, status: str = "open", title: str = "Sett opp rekkverk",
           owner: User | None = None, due: dt.date | None = None, **kw: Any) -> ActionItem:  # fmt: skip
    """An action in the given state, moved there through the services."""
    unit = unit_of(org, side)
    leader = org.person(Role.LEADER, side)
    owner = owner or org.person(Role.EMPLOYEE, side)
    due = due or timezone.localdate() + dt.timedelta(days=30)
    if status == "proposed":
        return services.action_create(actor=org.person(Role.VERNEOMBUD, side), unit=unit, title=title, **kw)
    a = services.action_create(actor=leader, unit=unit, title=title, owner=owner, due_date=due, confirm=True, **kw)
    if status in ("in_progress",):
        a = services.action_start(actor=owner, action=a)
    if status in ("done", "verified"):
        a = services.action_complete(actor=owner, action=a, note="Gjort.")
    if status == "verified":
        a = services.action_verify(actor=org.person(Role.VERNEOMBUD, side), action=a)
    if status == "cancelled":
        a = services.action_cancel(actor=leader, action=a, reason="Ikke lenger aktuelt.")
    return a


def deviation(org: Org, side: str = "a", *, anonymous: bool = True, reporter: User | None = None,
              **kw: Any) -> Deviation:  # fmt: skip
    values: dict[str, Any] = {
        "category": "near_miss", "what": "Glatt gulv ved inngangen", "location": "Inngang",
        "occurred_at": timezone.now() - dt.timedelta(hours=2),
    }  # fmt: skip
    values.update(kw)
    d, _code = services.deviation_report(
        actor=reporter or org.person(Role.EMPLOYEE, side), unit=unit_of(org, side), anonymous=anonymous, **values
    )
    return d


def learning_report(org: Org, side: str = "a") -> LearningReport:
    d = deviation(org, side, high_potential=True)
    handler = org.person(Role.CASE_HANDLER, side)
    services.deviation_start_review(actor=handler, deviation=d, deadline=timezone.localdate() + dt.timedelta(days=7))
    return services.learning_report_save(
        actor=handler, deviation=d, title="Nesten fall", summary="Glatt gulv.", potential="Brudd.",
        causes="Vann.", measures="Matte.", learning_points="Tørk opp.",
    )  # fmt: skip


def jpeg_with_exif(size: tuple[int, int] = (64, 48)) -> bytes:
    """A JPEG with EXIF that names a camera owner and a GPS position."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x013B] = "Kari Nordmann"  # Artist
    exif[0x8298] = "Kari Nordmann"  # Copyright
    gps = {1: "N", 2: (63.0, 25.0, 10.0), 3: "E", 4: (10.0, 24.0, 5.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def photo(org: Org, side: str = "a") -> Photo:
    d = deviation(org, side, photos=[jpeg_with_exif()])
    return d.photos.get()


def hms_round(org: Org, side: str = "a", **kw: Any) -> HmsRound:
    values: dict[str, Any] = {"planned_date": timezone.localdate() + dt.timedelta(days=10)}
    values.update(kw)
    return services.round_plan(actor=None, safety_area=area_of(org, side), unit=unit_of(org, side), **values)


def risk_assessment(org: Org, side: str = "a", *, rows: int = 1) -> RiskAssessment:
    ra = services.risk_create(actor=org.person(Role.LEADER, side), unit=unit_of(org, side), title="Løft av fat")
    for i in range(rows):
        services.risk_row_add(actor=org.person(Role.LEADER, side), assessment=ra, activity="Lager",
                              hazard=f"Klemskade {i}", probability=2, consequence=2)  # fmt: skip
    return ra


def risk_row(org: Org, side: str = "a") -> RiskRow:
    return risk_assessment(org, side).rows.get()


def cycle_item(org: Org, **kw: Any) -> AnnualCycleItem:
    values: dict[str, Any] = {"kind": "amu_meeting", "title": "AMU-møte", "month": 3, "day": 1}
    values.update(kw)
    return services.cycle_item_create(actor=org.person(Role.HMS_ADMIN), **values)


def calendar_token(org: Org) -> str:
    return services.calendar_token_create(actor=org.person(Role.LEADER, "a"))
