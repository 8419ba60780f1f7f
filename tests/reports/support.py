"""Helpers for the reports tests: anonymous surveys answered per unit and year, signed joint
reports (annual report, injury statistics), deviations in the past.

Everything goes through the services, as people would do it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils import timezone

from core.models import OrgUnit, Role
from surveys import engine_api, services
from surveys.anon import services as anon_services
from surveys.models import Campaign, QuestionnaireVersion, Response
from tests.conftest import Org
from tests.surveys.anon_support import add_employees, barometer_answer, load_version, submit_direct

_ids = itertools.count(1)


def version(org: Org, key: str) -> QuestionnaireVersion:
    cache = getattr(org, "_report_versions", None)
    if cache is None:
        cache = org._report_versions = {}  # type: ignore[attr-defined]
    if key not in cache:
        cache[key] = load_version(key)
    return cache[key]


def anon_campaign(org: Org, key: str, year: int, answers: Mapping[OrgUnit, Sequence[Mapping[str, Any]]],
                  *, close: bool = True, v: QuestionnaireVersion | None = None) -> Campaign:  # fmt: skip
    """An anonymous campaign of `year` for the given units, each answered by len(answers) people."""
    admin = org.person(Role.HMS_ADMIN)
    today = dt.date.today()
    campaign = services.campaign_create(
        actor=admin, version=v or version(org, key), title=f"{key} {year}", year=year, mode="anonymous",
        opens_on=today, closes_on=today + dt.timedelta(days=10), units=list(answers),
    )  # fmt: skip
    campaign = services.campaign_open(actor=admin, campaign=campaign)
    people = {unit: add_employees(unit, len(rows), prefix=f"r{next(_ids)}x") for unit, rows in answers.items()}
    anon_services.anonymous_campaign_invite(actor=admin, campaign=campaign, send_links=False)
    for unit, rows in answers.items():
        for person, values in zip(people[unit], rows, strict=True):
            submit_direct(campaign, person, values)
    if close:
        services.campaign_close(actor=admin, campaign=campaign)
        campaign.refresh_from_db()
        anon_services.anonymous_campaign_closed(actor=admin, campaign=campaign)
    return campaign


def barometers(n: int, **changes: Any) -> list[dict[str, Any]]:
    return [barometer_answer(**changes) for _ in range(n)]


def mixed_barometers(n: int, favourable: int) -> list[dict[str, Any]]:
    """n answers of which `favourable` say the routines are followed often (the rest: rarely)."""
    return [barometer_answer(b_routines_followed="often" if i < favourable else "rarely") for i in range(n)]


def joint_campaign(org: Org, key: str, year: int, units: Sequence[OrgUnit], *, answers: Mapping[OrgUnit, Mapping[str, Any]] | None = None,
                   sign: Sequence[OrgUnit] = (), sign_one: Sequence[OrgUnit] = (), draft: Sequence[OrgUnit] = (),
                   signed_on: dt.date | None = None, close: bool = False) -> Campaign:  # fmt: skip
    """A joint campaign (annual report, injury statistics) with responses answered and signed."""
    from surveys.demo import generate

    admin = org.person(Role.HMS_ADMIN)
    today = dt.date.today()
    campaign = services.campaign_create(
        actor=admin, version=version(org, key), title=f"{key} {year}", year=year, mode="joint",
        opens_on=today, closes_on=today + dt.timedelta(days=30), units=list(units),
    )  # fmt: skip
    campaign = services.campaign_open(actor=admin, campaign=campaign)
    rng = random.Random(year)
    for unit in [*sign, *sign_one, *draft]:
        side = "a" if unit.pk in (org.a.pk, org.a1.pk) else "b"
        leader, vo = org.person(Role.LEADER, side), org.person(Role.VERNEOMBUD, side)
        response = Response.objects.get(campaign=campaign, unit=unit)
        session = engine_api.session_for_response(response, "nb")
        fixed = dict((answers or {}).get(unit, {}))
        values = generate(session, rng, 0.0, unit_code=unit.code, fixed=fixed, pages=2 if unit in draft else None)
        response = services.response_save_answers(
            actor=leader, response=response, answers=values, base_version=response.lock_version,
            page=session.visible_pages()[0], questions=list(values),
        ).response  # fmt: skip
        if unit in draft:
            continue
        services.response_sign(actor=leader, response=response, capacity="leader")
        if unit in sign:
            services.response_sign(actor=vo, response=Response.objects.get(pk=response.pk), capacity="verneombud")
        if signed_on is not None:
            when = timezone.make_aware(dt.datetime.combine(signed_on, dt.time(12)))
            Response.objects.filter(pk=response.pk, status=Response.Status.SUBMITTED).update(submitted_at=when)
    if close:
        services.campaign_close(actor=admin, campaign=campaign)
        campaign.refresh_from_db()
    return campaign


def injury_values(year: int, *, hours: int, lti: int = 0, mti: int = 0, days: int = 0, contractor_hours: int = 0,
                  contractor_lti: int = 0, contractor_mti: int = 0, contractor_days: int = 0) -> dict[str, Any]:  # fmt: skip
    values: dict[str, Any] = {
        "period_start": f"{year}-01-01", "period_end": f"{year}-12-31", "own_hours_worked": hours,
        "own_headcount_year_end": max(hours // 1600, 1), "own_fatalities": 0, "own_lti": lti, "own_mti": mti,
        "own_first_aid": 1 if mti else 0, "own_hri_line7": 0, "own_hri_nearmiss_line8": 0, "own_days_lost": days,
        "own_sick_leave_pct": 4.0, "own_sick_leave_self_certified": False, "has_contractors": bool(contractor_hours),
    }  # fmt: skip
    if contractor_hours:
        values.update({"contractor_hours_worked": contractor_hours, "contractor_fatalities": 0, "contractor_lti": contractor_lti,
                       "contractor_mti": contractor_mti, "contractor_first_aid": 1 if contractor_mti else 0,
                       "contractor_hri_line7": 0, "contractor_hri_nearmiss_line8": 0, "contractor_days_lost": contractor_days})  # fmt: skip
    return values


def injury_deviation(org: Org, unit: OrgUnit, when: dt.datetime, injury_class: str, *, absence_days: int | None = None,
                     party: str = "own", side: str = "a") -> Any:  # fmt: skip
    from workflows import services as wf

    d, _code = wf.deviation_report(
        actor=org.person(Role.LEADER, side), unit=unit, category="injury", what="Skade", location="Lab",
        occurred_at=when, injury_class=injury_class, absence_days=absence_days, involved_party=party,
    )  # fmt: skip
    return d


def aware(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def this_year() -> int:
    return dt.date.today().year
