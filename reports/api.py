"""A read-only JSON API for the reports' aggregates and trends (schema: reports/openapi.py,
served at /api/v1/openapi.json).

Signed-in sessions only (the same login as the site): without one the answer is 401; a unit the
person may not see (Perm.REPORT_VIEW) is 404, never 403, so the API does not reveal which units
exist. Survey figures come from reports.selectors after the group-size rule: a hidden cell is
`{"shown": false, "reason": ...}` with no number.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from core.models import OrgUnit
from core.permissions import Perm, has_perm

from . import selectors
from .openapi import schema

API_QUESTIONNAIRES = (selectors.BAROMETER, selectors.ARK)


def _json(data: Any, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, no-store"
    return response


def _error(status: int, code: str, message: str) -> JsonResponse:
    return _json({"error": {"code": code, "message": message}}, status=status)


def api_view(view: Callable[..., JsonResponse]) -> Callable[..., JsonResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        if not request.user.is_authenticated:
            response = _error(401, "not_authenticated", "Sign in first.")
            response["WWW-Authenticate"] = 'Session realm="verne"'
            return response
        return view(request, *args, **kwargs)

    return require_GET(wrapper)


def _unit(request: HttpRequest, code: str) -> OrgUnit | None:
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None or not has_perm(request.user, Perm.REPORT_VIEW, unit):
        return None
    return unit


def _n(value: Any) -> Any:
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    return value


def _d(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def _locale() -> str:
    return (get_language() or "nb").split("-")[0]


def _cell(cell: selectors.Cell) -> dict[str, Any]:
    if not cell.shown:
        return {"shown": False, "reason": cell.reason or "hidden"}
    return {
        "shown": True, "n": cell.n, "base": cell.base, "share_favourable": cell.share, "mean": cell.mean, "sd": cell.sd,
        "score": cell.score, "via": cell.via or None,
        "options": [{"value": v, "count": c, "percent": p} for v, c, p in cell.options],
    }  # fmt: skip


def _unit_json(unit: OrgUnit) -> dict[str, Any]:
    return {"code": unit.code, "name": unit.name, "kind": unit.kind, "url": reverse("api_unit_trends_index", kwargs={"code": unit.code})}


@require_GET
def api_schema(request: HttpRequest) -> JsonResponse:
    return _json(schema(request.build_absolute_uri("/")))


@api_view
def api_units(request: HttpRequest) -> JsonResponse:
    units = selectors.units_for_reports(request.user).filter(valid_to__isnull=True)
    return _json({"units": [_unit_json(u) for u in units]})


@api_view
def api_unit_trends_index(request: HttpRequest, code: str) -> JsonResponse:
    unit = _unit(request, code)
    if unit is None:
        return _error(404, "not_found", "No such unit.")
    links = {key: reverse("api_unit_trend", kwargs={"code": code, "questionnaire": key}) for key in API_QUESTIONNAIRES}
    links["annual_report"] = reverse("api_unit_annual", kwargs={"code": code})
    links["injuries"] = reverse("api_unit_injuries", kwargs={"code": code})
    links["goals"] = reverse("api_unit_goals", kwargs={"code": code})
    return _json({"unit": _unit_json(unit), "links": links})


@api_view
def api_unit_trend(request: HttpRequest, code: str, questionnaire: str) -> JsonResponse:
    unit = _unit(request, code)
    if unit is None or questionnaire not in API_QUESTIONNAIRES:
        return _error(404, "not_found", "No such unit or questionnaire.")
    trend = selectors.survey_trend(questionnaire, unit, locale=_locale())
    t = trend.limits
    return _json({
        "unit": _unit_json(unit),
        "questionnaire": questionnaire,
        "min_group_size": t.normal,
        "min_group_size_sensitive": t.sensitive,
        "years": [{"year": c.year, "campaign": str(c.campaign.pk), "available": c.available, "shown": c.node_shown,
                   "respondents": c.respondents if c.node_shown else None, "via": c.via or None,
                   "rolled_into": c.rolled_into or None, "organisation_respondents": c.org_respondents} for c in trend.columns],
        "measures": [{
            "key": r.key, "title": r.title, "kind": r.kind, "sensitive": r.sensitive, "has_share_favourable": r.favourable,
            "unit": [_cell(c) for c in r.cells], "organisation": [_cell(c) for c in r.org],
            "change": r.changes, "change_matters": r.matters,
        } for r in trend.rows],
    })  # fmt: skip


@api_view
def api_unit_annual(request: HttpRequest, code: str) -> JsonResponse:
    unit = _unit(request, code)
    if unit is None:
        return _error(404, "not_found", "No such unit.")
    years, _catalog = selectors.annual_report_years(unit, locale=_locale())
    return _json({
        "unit": _unit_json(unit),
        "years": [{
            "year": y.year, "units": y.units, "states": {s: y.states.get(s, 0) for s in selectors.STATES},
            "share_submitted": y.share_submitted, "share_action_plan": y.share_action_plan,
            "share_meetings4": y.share_meetings4,
            "questions": {k: {"favourable": f, "answered": n} for k, (f, n) in sorted(y.question_shares.items())},
            "reports": [{"unit": r.unit_code, "state": r.state, "submitted_at": _d(r.submitted_at),
                         "signatures": [{"name": n, "capacity": c, "signed_at": _d(at)} for n, c, at in r.signatures]} for r in y.rows],
        } for y in years],
    })  # fmt: skip


def _rates(r: selectors.Rates) -> dict[str, Any]:
    return {"hours": r.hours, "lti": r.lti, "mti": r.mti, "fatalities": r.fatalities,
            "days_lost": r.days_lost if r.days_known else None, "h1": r.h1, "h2": r.h2, "f": r.f}  # fmt: skip


@api_view
def api_unit_injuries(request: HttpRequest, code: str) -> JsonResponse:
    unit = _unit(request, code)
    if unit is None:
        return _error(404, "not_found", "No such unit.")
    stats = selectors.injury_stats(unit)
    rolling = stats.rolling
    return _json({
        "unit": _unit_json(unit),
        "years": [{"year": y.year, "reported": y.reported, "own": _rates(y.own), "contractor": _rates(y.contractor),
                   "total": _rates(y.total), "registered": _rates(y.registered), "reconciliation": y.reconciliation}
                  for y in stats.years],
        "rolling_12_months": [] if rolling.empty else [
            {"month": m.isoformat(), "h1": _n(h1), "h2": _n(h2), "f": _n(f), "estimated_hours": bool(e)}
            for m, h1, h2, f, e in zip(rolling["month"], rolling["h1"], rolling["h2"], rolling["f"], rolling["estimated"], strict=True)
        ],
    })  # fmt: skip


@api_view
def api_unit_goals(request: HttpRequest, code: str) -> JsonResponse:
    unit = _unit(request, code)
    if unit is None:
        return _error(404, "not_found", "No such unit.")
    data = selectors.GoalData(locale=_locale())
    out = []
    for g in selectors.goals_for(unit):
        a = selectors.goal_attainment(g, data)
        out.append({"id": g.pk, "year": g.year, "indicator": g.indicator, "measure": g.measure or None,
                    "target_value": float(g.target_value) if g.target_value is not None else None,
                    "target_date": _d(g.target_date), "attainment": a.status, "value": a.value,
                    "action": g.action_id})  # fmt: skip
    return _json({"unit": _unit_json(unit), "goals": out})
