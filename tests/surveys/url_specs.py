"""The questionnaire URLs for tests/url_access.py: who may open each one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.models import Role
from core.permissions import Perm
from surveys import services
from surveys.models import Campaign, Response
from tests.conftest import Org


def _campaign(org: Org) -> Campaign:
    cached = getattr(org, "_url_campaign", None)
    if cached is None:
        from tests.surveys.conftest import SMALL

        version = services.questionnaire_import(actor=None, raw=SMALL)
        admin = org.person(Role.HMS_ADMIN)
        today = dt.date.today()
        cached = services.campaign_create(
            actor=admin, version=version, title="URL-test", year=today.year, mode="joint",
            opens_on=today, closes_on=today + dt.timedelta(days=10), units=[org.a, org.b],
        )  # fmt: skip
        services.campaign_open(actor=admin, campaign=cached)
        org._url_campaign = cached  # type: ignore[attr-defined]
    return cached


def _response(org: Org, side: str) -> dict[str, Any]:
    unit = org.a if side == "a" else org.b
    return {"response_id": Response.objects.get(campaign=_campaign(org), unit=unit).pk}


def _campaign_id(org: Org, side: str) -> dict[str, Any]:
    return {"campaign_id": _campaign(org).pk}


def _version(org: Org, side: str) -> dict[str, Any]:
    return {"version_id": _campaign(org).version_id}


def _anon_campaign(org: Org) -> Campaign:
    """A closed anonymous barometer for units A and B, with five answers in each."""
    cached = getattr(org, "_url_anon_campaign", None)
    if cached is None:
        from surveys.anon import services as anon_services
        from tests.surveys.anon_support import (
            add_employees,
            barometer_answer,
            close,
            load_version,
            submit_direct,
        )

        version = load_version("hms_barometer")
        admin = org.person(Role.HMS_ADMIN)
        today = dt.date.today()
        cached = services.campaign_create(
            actor=admin, version=version, title="URL-test anonym", year=today.year, mode="anonymous",
            opens_on=today, closes_on=today + dt.timedelta(days=10), units=[org.a, org.b],
        )  # fmt: skip
        services.campaign_open(actor=admin, campaign=cached)
        staff = add_employees(org.a, 5, prefix="url") + add_employees(org.b, 5, prefix="url")
        anon_services.anonymous_campaign_invite(actor=admin, campaign=cached)
        for person in staff:
            submit_direct(cached, person, barometer_answer())
        close(org, cached)
        org._url_anon_campaign = cached  # type: ignore[attr-defined]
    return cached


def _anon_id(org: Org, side: str) -> dict[str, Any]:
    return {"campaign_id": _anon_campaign(org).pk}


def _anon_unit(org: Org, side: str) -> dict[str, Any]:
    return {"campaign_id": _anon_campaign(org).pk, "code": (org.a if side == "a" else org.b).code}


def anonymous_specs(UrlSpec: Any) -> dict[str, Any]:
    """Anonymous surveys (surveys/anon): answering, results, follow-up, the admin's pages."""
    return {
        "anon_start": UrlSpec(public=True),
        "anon_page": UrlSpec(public=True, method="POST", skip="POST with a one-time code: test_anonymous_flow"),
        "anon_evaluate": UrlSpec(public=True, method="POST", skip="POST with a one-time code: test_anonymous_flow"),
        "anon_done": UrlSpec(public=True),
        "anon_home": UrlSpec(kwargs=_anon_id),  # everyone logged in; the page says if they are invited
        "anon_results_index": UrlSpec(),  # lists what the person may see
        "anon_results": UrlSpec(perm=Perm.RESULTS_VIEW, kwargs=_anon_unit),
        "anon_results_csv": UrlSpec(perm=Perm.RESULTS_VIEW, kwargs=_anon_unit),
        "anon_followup": UrlSpec(perm=Perm.RESULTS_VIEW, kwargs=_anon_unit),
        "anon_campaign_invite": UrlSpec(perm=Perm.ORG_ADMINISTER, kwargs=_anon_id, method="POST"),
        "anon_campaign_remind": UrlSpec(perm=Perm.ORG_ADMINISTER, kwargs=_anon_id, method="POST"),
        "anon_comments": UrlSpec(perm=Perm.ORG_ADMINISTER, kwargs=_anon_id),
    }


def survey_specs(UrlSpec: Any) -> dict[str, Any]:
    return {
        **anonymous_specs(UrlSpec),
        "questionnaire_list": UrlSpec(perm=Perm.ORG_ADMINISTER),
        "questionnaire_version_export": UrlSpec(perm=Perm.ORG_ADMINISTER, kwargs=_version),
        "campaign_list": UrlSpec(perm=Perm.ORG_ADMINISTER),
        "campaign_create": UrlSpec(perm=Perm.ORG_ADMINISTER),
        "campaign_issue_annual_report": UrlSpec(perm=Perm.ORG_ADMINISTER, method="POST"),
        "campaign_detail": UrlSpec(perm=Perm.ORG_ADMINISTER, kwargs=_campaign_id),
        "campaign_set_status": UrlSpec(perm=Perm.ORG_ADMINISTER, kwargs=_campaign_id, method="POST"),
        "response_overview": UrlSpec(perm=Perm.RESPONSE_VIEW, kwargs=_response),
        "response_audit": UrlSpec(perm=Perm.RESPONSE_VIEW, kwargs=_response),
        "response_wizard": UrlSpec(perm=Perm.RESPONSE_EDIT, kwargs=_response),
        "response_review": UrlSpec(perm=Perm.RESPONSE_EDIT, kwargs=_response),
        "response_evaluate": UrlSpec(perm=Perm.RESPONSE_EDIT, kwargs=_response, method="POST",
                                     data=lambda org, side: {"page": "intro"}),  # fmt: skip
        "response_followups_save": UrlSpec(perm=Perm.RESPONSE_EDIT, kwargs=_response, method="POST"),
        "response_sign": UrlSpec(perm=Perm.RESPONSE_SIGN, kwargs=_response, method="POST"),
        "response_reopen": UrlSpec(perm=Perm.RESPONSE_REOPEN, kwargs=_response, method="POST"),
        # Named responses belong to one person, not to a role: tested in test_signoff.
        "response_submit": UrlSpec(method="POST", skip="named responses: only their person (test_signoff)"),
        "campaign_answer": UrlSpec(skip="named campaigns: people with a role in its units (test_signoff)"),
    }
