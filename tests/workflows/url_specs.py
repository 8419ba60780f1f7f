"""The follow-up URLs for tests/url_access.py: who may open each one, on unit A's and B's objects.

Called as `workflow_specs(UrlSpec)` from tests/url_access.py (no import of it here, so either
module can be imported first).
"""

from __future__ import annotations

from typing import Any

from core.permissions import Perm
from tests.conftest import Org
from tests.workflows import factories as f


def _code(org: Org, side: str) -> dict[str, Any]:
    return {"code": f.unit_of(org, side).code}


def _proposed_action(org: Org, side: str) -> dict[str, Any]:
    return {"pk": f.action(org, side, status="proposed").pk}


def _open_action(org: Org, side: str) -> dict[str, Any]:
    return {"pk": f.action(org, side).pk}


def _deviation(org: Org, side: str) -> dict[str, Any]:
    return {"pk": f.deviation(org, side).pk}  # anonymous: no reporter who could see it as such


def _learning(org: Org, side: str) -> dict[str, Any]:
    return {"pk": f.learning_report(org, side).deviation_id}


def _photo(org: Org, side: str) -> dict[str, Any]:
    return {"photo_id": f.photo(org, side).pk}


def _round(org: Org, side: str) -> dict[str, Any]:
    return {"pk": f.hms_round(org, side).pk}


def _risk(org: Org, side: str) -> dict[str, Any]:
    return {"pk": f.risk_assessment(org, side).pk}


def _risk_row(org: Org, side: str) -> dict[str, Any]:
    row = f.risk_row(org, side)
    return {"pk": row.assessment_id, "row_id": row.pk}


def _cycle_item(org: Org, side: str) -> dict[str, Any]:
    return {"pk": f.cycle_item(org).pk}


def _token(org: Org, side: str) -> dict[str, Any]:
    return {"token": f.calendar_token(org)}


def workflow_specs(UrlSpec: Any) -> dict[str, Any]:
    P = Perm

    def post(perm: Perm, kwargs: Any) -> Any:
        return UrlSpec(perm=perm, kwargs=kwargs, method="POST")

    owner_only = "owner-only transition; tested in tests/workflows/test_actions.py"
    return {
        "action_plan": UrlSpec(perm=P.ACTION_VIEW, kwargs=_code),
        "action_plan_xlsx": UrlSpec(perm=P.ACTION_VIEW, kwargs=_code),
        "action_plan_docx": UrlSpec(perm=P.ACTION_VIEW, kwargs=_code),
        "action_create": UrlSpec(perm=P.ACTION_PROPOSE, kwargs=_code),
        "action_detail": UrlSpec(perm=P.ACTION_VIEW, kwargs=_open_action),
        "action_confirm": post(P.ACTION_MANAGE, _proposed_action),
        "action_update": post(P.ACTION_MANAGE, _proposed_action),
        "action_reject": post(P.ACTION_MANAGE, _proposed_action),
        "action_cancel": post(P.ACTION_MANAGE, _proposed_action),
        "action_verify": post(P.ACTION_VERIFY, _open_action),
        "action_reopen": post(P.ACTION_VERIFY, _open_action),
        "action_start": UrlSpec(perm=P.ACTION_VIEW, kwargs=_open_action, method="POST", skip=owner_only),
        "action_complete": UrlSpec(perm=P.ACTION_VIEW, kwargs=_open_action, method="POST", skip=owner_only),
        "deviation_report": UrlSpec(),
        "deviation_receipt": UrlSpec(public=True),
        "deviation_list": UrlSpec(perm=P.DEVIATION_VIEW, kwargs=_code),
        "deviation_detail": UrlSpec(perm=P.DEVIATION_VIEW, kwargs=_deviation),
        "deviation_review": post(P.DEVIATION_HANDLE, _deviation),
        "deviation_edit": post(P.DEVIATION_HANDLE, _deviation),
        "deviation_measure_add": post(P.DEVIATION_HANDLE, _deviation),
        "deviation_plan": post(P.DEVIATION_HANDLE, _deviation),
        "deviation_close": post(P.DEVIATION_HANDLE, _deviation),
        "deviation_reject": post(P.DEVIATION_HANDLE, _deviation),
        "deviation_reopen": post(P.DEVIATION_HANDLE, _deviation),
        "deviation_notice": post(P.DEVIATION_HANDLE, _deviation),
        "deviation_photos_add": post(P.DEVIATION_HANDLE, _deviation),
        "deviation_escalate": post(P.DEVIATION_ESCALATE, _deviation),
        "photo": UrlSpec(perm=P.DEVIATION_VIEW, kwargs=_photo),
        "learning_report": UrlSpec(perm=P.DEVIATION_VIEW, kwargs=_learning),
        "learning_report_docx": UrlSpec(perm=P.DEVIATION_VIEW, kwargs=_learning),
        "learning_report_edit": UrlSpec(perm=P.DEVIATION_HANDLE, kwargs=_learning),
        "learning_report_share": post(P.DEVIATION_HANDLE, _learning),
        "learning_report_list": UrlSpec(),
        "round_list": UrlSpec(perm=P.ROUND_VIEW, kwargs=_code),
        "round_create": UrlSpec(perm=P.ROUND_MANAGE, kwargs=_code),
        "round_detail": UrlSpec(perm=P.ROUND_VIEW, kwargs=_round),
        "round_edit": UrlSpec(perm=P.ROUND_MANAGE, kwargs=_round),
        "round_checklist": post(P.ROUND_MANAGE, _round),
        "round_finding_add": UrlSpec(perm=P.ROUND_MANAGE, kwargs=_round),
        "round_conducted": post(P.ROUND_MANAGE, _round),
        "round_summarise": UrlSpec(perm=P.ACTION_MANAGE, kwargs=_round),
        "round_close": post(P.ROUND_MANAGE, _round),
        "round_cancel": post(P.ROUND_MANAGE, _round),
        "round_docx": UrlSpec(perm=P.ROUND_VIEW, kwargs=_round),
        "risk_list": UrlSpec(perm=P.RISK_VIEW, kwargs=_code),
        "risk_create": UrlSpec(perm=P.RISK_MANAGE, kwargs=_code),
        "risk_detail": UrlSpec(perm=P.RISK_VIEW, kwargs=_risk),
        "risk_row_add": post(P.RISK_MANAGE, _risk),
        "risk_row_remove": post(P.RISK_MANAGE, _risk_row),
        "risk_complete": post(P.RISK_MANAGE, _risk),
        "risk_review": post(P.RISK_MANAGE, _risk),
        "cycle_calendar": UrlSpec(),
        "unit_calendar": UrlSpec(perm=P.UNIT_VIEW, kwargs=_code),
        "cycle_admin": UrlSpec(perm=P.ORG_ADMINISTER),
        "cycle_item_edit": UrlSpec(perm=P.ORG_ADMINISTER, kwargs=_cycle_item),
        "workflow_settings": UrlSpec(perm=P.ORG_ADMINISTER),
        "calendar_feed_settings": UrlSpec(),
        "calendar_feed": UrlSpec(public=True, kwargs=_token),
    }
