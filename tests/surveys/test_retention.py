"""Retention of anonymous-survey data, with a frozen clock (time_machine)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import time_machine
from django.core.management import call_command
from django.test import Client

from core.models import AuditEvent, Role
from reports import anonymity
from surveys.models import (
    AnonymousAnswer,
    AnonymousComment,
    Participation,
    QuestionnaireVersion,
    ResponseRateSnapshot,
    ResultArchive,
)
from tests.conftest import Org
from tests.surveys.anon_support import (
    add_employees,
    barometer,  # noqa: F401 - fixture
    barometer_answer,
    close,
    codes_by_email,
    issue,
    submit_direct,
)
from tests.surveys.conftest import client_for

START = dt.datetime(2026, 2, 2, 10, 0, tzinfo=dt.UTC)


def _run(day: dt.datetime, *args: str) -> str:
    out = io.StringIO()
    with time_machine.travel(day, tick=False):
        call_command("apply_survey_retention", *args, stdout=out)
    return out.getvalue()


def test_retention_deletes_on_schedule_keeps_aggregates_and_is_idempotent(
    org: Org, barometer: QuestionnaireVersion, django_capture_on_commit_callbacks: Any, settings: Any  # noqa: F811
) -> None:
    settings.VERNE_SURVEY_PARTICIPATION_RETENTION_DAYS = 14
    settings.VERNE_SURVEY_FREE_TEXT_RETENTION_DAYS = 365
    settings.VERNE_SURVEY_ANSWER_RETENTION_DAYS = 5 * 365
    with time_machine.travel(START, tick=False):
        staff = add_employees(org.a, 11)
        campaign = issue(org, barometer, [org.a], django_capture_on_commit_callbacks)
        code = codes_by_email()[staff[10].email]
        for i, person in enumerate(staff[:10]):
            submit_direct(campaign, person, barometer_answer(b_improve=f"Tekst {i}" if i < 3 else None))
    with time_machine.travel(START + dt.timedelta(days=20), tick=False):
        campaign = close(org, campaign)
        # Closing revoked every link at once.
        assert "ugyldig" in Client().post("/undersokelse/", {"token": code}).content.decode()
        comments = list(AnonymousComment.objects.filter(campaign=campaign).order_by("id"))
        from surveys.anon import services as anon_services

        anon_services.comments_review(actor=org.person(Role.HMS_ADMIN), campaign=campaign, decisions={
            str(comments[0].pk): ("released", "Tekst (redigert)"), str(comments[1].pk): ("withheld", ""),
        })  # fmt: skip
        results_before = anonymity.campaign_results(campaign)
    closed = START + dt.timedelta(days=20)

    # Day 13 after closing: nothing yet.
    assert "Nothing to do" in _run(closed + dt.timedelta(days=13))
    assert Participation.objects.filter(campaign=campaign).count() == 12
    # Day 14: participation records go; the rate history stays (as counts).
    out = _run(closed + dt.timedelta(days=14))
    assert "delete 12 participations" in out
    assert not Participation.objects.filter(campaign=campaign).exists()
    assert ResponseRateSnapshot.objects.filter(campaign=campaign).exists()
    assert "Nothing to do" in _run(closed + dt.timedelta(days=15))  # idempotent
    with time_machine.travel(closed + dt.timedelta(days=15), tick=False):
        rates = anonymity.campaign_rates(campaign)
        assert rates.nodes["u:A"].invited == 12 and rates.nodes["u:A"].answered == 10
    # A dry run a year later changes nothing.
    assert "would" in _run(closed + dt.timedelta(days=365), "--dry-run")
    assert AnonymousComment.objects.filter(campaign=campaign).exclude(text="").count() == 3
    # One year: raw free text is erased; withheld and unscreened comments are deleted.
    _run(closed + dt.timedelta(days=365))
    left = list(AnonymousComment.objects.filter(campaign=campaign))
    assert len(left) == 1 and left[0].text == "" and left[0].released_text == "Tekst (redigert)"
    # Five years: results are archived as shown, then the raw answers are deleted.
    _run(closed + dt.timedelta(days=5 * 365))
    assert not AnonymousAnswer.objects.filter(campaign=campaign).exists()
    assert not AnonymousComment.objects.filter(campaign=campaign).exists()
    archive = ResultArchive.objects.get(campaign=campaign)
    after = anonymity.campaign_results(campaign)
    assert after.archived and after.order == results_before.order
    assert after.nodes["u:A"].measures["b_vo_trained"].n == 10
    assert [c.text for c in after.nodes["u:A"].comments] == ["Tekst (redigert)"]
    assert archive.data["nodes"]["u:A"]["respondents"] == 10
    # The page still shows the archived results.
    html = client_for(org.person(Role.HMS_ADMIN)).get(f"/undersokelser/{campaign.pk}/A/").content.decode()
    assert "data-result-shown" in html and "Tekst (redigert)" in html
    assert "Nothing to do" in _run(closed + dt.timedelta(days=5 * 365 + 1))
    events = AuditEvent.objects.filter(verb="survey.retention", target_id=str(campaign.pk))
    assert events.count() == 3 and all(e.actor is None for e in events)
