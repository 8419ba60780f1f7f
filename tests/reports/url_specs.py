"""The reports URLs for tests/url_access.py: who may open each one, on unit A's and B's objects.

Called as `report_specs(UrlSpec)` from tests/url_access.py. The JSON API answers 401 (not a
redirect) without a session, so its URLs are walked for every role in tests/reports/test_api.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.models import Role
from core.permissions import Perm
from tests.conftest import Org


def _code(org: Org, side: str) -> dict[str, Any]:
    return {"code": (org.a if side == "a" else org.b).code}


def _trend(org: Org, side: str) -> dict[str, Any]:
    return {**_code(org, side), "questionnaire": "hms_barometer"}


def _amu(org: Org, side: str) -> dict[str, Any]:
    return {**_code(org, side), "year": dt.date.today().year}


def _amu_chart(org: Org, side: str) -> dict[str, Any]:
    return {**_amu(org, side), "name": "deviations"}


def _goal(org: Org, side: str) -> dict[str, Any]:
    from reports import services
    from reports.models import HmsGoal

    unit = org.a if side == "a" else org.b
    goal = HmsGoal.objects.filter(unit=unit).first() or services.goal_create(
        actor=org.person(Role.HMS_ADMIN), unit=unit, year=dt.date.today().year - 1,
        indicator=HmsGoal.Indicator.OVERDUE_ACTIONS_CLOSED,
    )  # fmt: skip
    return {"pk": goal.pk}


def _response(org: Org, side: str) -> dict[str, Any]:
    from tests.surveys.url_specs import _response as survey_response

    return survey_response(org, side)


def _export(org: Org, side: str) -> dict[str, Any]:
    from tests.surveys.url_specs import _campaign

    return {"campaign_id": _campaign(org).pk, **_code(org, side)}


def _kind(org: Org, side: str) -> dict[str, Any]:
    return {"kind": "amu_report"}


API = "JSON API: 401 without a session; every role on own/other unit is walked in tests/reports/test_api.py"


def report_specs(UrlSpec: Any) -> dict[str, Any]:
    P = Perm
    return {
        "reports_index": UrlSpec(),
        "unit_reports": UrlSpec(perm=P.REPORT_VIEW, kwargs=_code),
        "unit_trend": UrlSpec(perm=P.REPORT_VIEW, kwargs=_trend),
        "unit_trend_chart": UrlSpec(perm=P.REPORT_VIEW, kwargs=_trend),
        "goal_list": UrlSpec(perm=P.REPORT_VIEW, kwargs=_code),
        "goal_create": UrlSpec(perm=P.ACTION_MANAGE, kwargs=_code),
        "goal_edit": UrlSpec(perm=P.ACTION_MANAGE, kwargs=_goal),
        "goal_delete": UrlSpec(perm=P.ACTION_MANAGE, kwargs=_goal, method="POST",
                               skip="deletes the goal; every role is tried in tests/reports/test_goals.py"),
        "goal_action": UrlSpec(perm=P.ACTION_PROPOSE, kwargs=_goal, method="POST"),
        "amu_start": UrlSpec(perm=P.REPORT_AMU),
        "amu_report": UrlSpec(perm=P.REPORT_AMU, kwargs=_amu),
        "amu_report_docx": UrlSpec(perm=P.REPORT_AMU, kwargs=_amu),
        "amu_chart": UrlSpec(perm=P.REPORT_AMU, kwargs=_amu_chart),
        "unit_report_docx": UrlSpec(perm=P.RESPONSE_VIEW, kwargs=_response),
        "export_index": UrlSpec(),
        "export_csv": UrlSpec(perm=P.EXPORT_RESPONSES, kwargs=_export),
        "export_xlsx": UrlSpec(perm=P.EXPORT_RESPONSES, kwargs=_export),
        "report_templates": UrlSpec(perm=P.ORG_ADMINISTER),
        "report_template_download": UrlSpec(perm=P.ORG_ADMINISTER, kwargs=_kind),
        "report_template_reset": UrlSpec(perm=P.ORG_ADMINISTER, kwargs=_kind, method="POST"),
        "api_schema": UrlSpec(public=True),
        "api_units": UrlSpec(skip=API),
        "api_unit_trends_index": UrlSpec(perm=P.REPORT_VIEW, kwargs=_code, skip=API),
        "api_unit_trend": UrlSpec(perm=P.REPORT_VIEW, kwargs=_trend, skip=API),
        "api_unit_annual": UrlSpec(perm=P.REPORT_VIEW, kwargs=_code, skip=API),
        "api_unit_injuries": UrlSpec(perm=P.REPORT_VIEW, kwargs=_code, skip=API),
        "api_unit_goals": UrlSpec(perm=P.REPORT_VIEW, kwargs=_code, skip=API),
    }
