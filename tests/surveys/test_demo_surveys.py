"""The surveys demo (`manage.py load_demo`): questionnaires, three years of answers, one
campaign open now, valid for the engine, idempotent, no email."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from core.models import OrgUnit, Role, User
from core.permissions import Perm, has_perm
from reports import anonymity
from surveys import engine_api, services
from surveys.models import (
    AnonymousAnswer,
    AnonymousComment,
    Campaign,
    Participation,
    Questionnaire,
    Response,
    SurveyFollowUp,
)
from tests.surveys.conftest import client_for

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock():
        mail.outbox = []
        out = io.StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        from django.core.management import call_command as cc

        cc("flush", interactive=False, verbosity=0)


@pytest.mark.django_db
def test_the_seven_questionnaires_are_imported(demo: str) -> None:
    keys = set(Questionnaire.objects.values_list("key", flat=True))
    assert {"hms_annual_report", "hms_barometer", "work_env_survey", "injury_stats", "hms_round",
            "risk_assessment", "ark_fact_sheet"} <= keys  # fmt: skip
    assert "surveys: questionnaires 7" in demo


@pytest.mark.django_db
def test_three_past_years_and_one_campaign_open_now(demo: str) -> None:
    year = Campaign.objects.order_by("-year").first().year
    annual = Campaign.objects.filter(version__questionnaire__key="hms_annual_report")
    assert sorted(annual.filter(status="closed").values_list("year", flat=True)) == [year - 3, year - 2, year - 1]
    assert annual.filter(status="open", year=year).count() == 1
    barometer = Campaign.objects.filter(version__questionnaire__key="hms_barometer")
    assert sorted(barometer.filter(status="closed").values_list("year", flat=True)) == [year - 3, year - 2, year - 1]
    assert barometer.filter(status="open").count() == 1
    assert Campaign.objects.filter(version__questionnaire__key="work_env_survey", status="closed").count() == 2
    assert Campaign.objects.filter(version__questionnaire__key="injury_stats", status="closed").count() == 3


@pytest.mark.django_db
def test_past_annual_reports_are_signed_by_leader_and_verneombud(demo: str) -> None:
    for response in Response.objects.filter(campaign__status="closed", campaign__mode="joint").prefetch_related("signatures"):
        assert response.status == "submitted", response
        caps = sorted(s.capacity for s in response.signatures.all() if s.voided_at is None)
        assert caps == ["leader", "verneombud"]
        assert response.submitted_at.year in (response.campaign.year, response.campaign.year + 1)
    answers = [r.answers for r in Response.objects.filter(campaign__version__questionnaire__key="hms_annual_report",
                                                          campaign__status="closed")]  # fmt: skip
    # Varied, not one answer copied 87 times.
    assert len({a.get("leader_vo_meetings") for a in answers}) > 4
    assert len({a.get("hse_goals") for a in answers}) >= 2


@pytest.mark.django_db
def test_this_years_report_can_be_finished_by_the_chemistry_leader_and_verneombud(demo: str) -> None:
    year = Campaign.objects.order_by("-year").first().year
    campaign = Campaign.objects.get(version__questionnaire__key="hms_annual_report", year=year)
    statuses = set(Response.objects.filter(campaign=campaign).values_list("status", flat=True))
    assert {"draft", "signed_by_one", "submitted"} <= statuses
    kjemi = Response.objects.get(campaign=campaign, unit__code="NT-KJE")
    assert kjemi.status == "draft" and kjemi.answers
    leader, vo = User.objects.get(username="leder.kjemi"), User.objects.get(username="vo.kjemi")
    assert has_perm(leader, Perm.RESPONSE_SIGN, kjemi.unit) and has_perm(vo, Perm.RESPONSE_SIGN, kjemi.unit)
    assert {c for c, _ in services.signing_capacities(leader, kjemi)} == {"leader"}
    assert {c for c, _ in services.signing_capacities(vo, kjemi)} == {"verneombud"}
    assert engine_api.completion_problems(kjemi)  # still something to answer
    home = client_for(leader).get("/").content.decode()
    assert f"/besvarelser/{kjemi.pk}/svar/" in home


@pytest.mark.django_db
def test_every_stored_answer_is_valid_for_the_engine(demo: str) -> None:
    for response in Response.objects.filter(status="submitted").select_related("version"):
        session = engine_api.Session(response.version, response.answers, locale="nb")
        blocking = [e for errs in session.errors().values() for e in errs if e.blocking]
        assert not blocking, (response, blocking[:2])
    checked = 0
    for answer in AnonymousAnswer.objects.select_related("campaign__version").iterator():
        session = engine_api.Session(answer.campaign.version, answer.answers, locale="nb")
        assert not [e for errs in session.errors().values() for e in errs if e.blocking]
        checked += 1
    assert checked > 1000


@pytest.mark.django_db
def test_ub_saml_is_below_the_minimum_and_rolled_up(demo: str) -> None:
    saml = OrgUnit.objects.get(code="UB-SAML")
    campaign = Campaign.objects.filter(version__questionnaire__key="hms_barometer", status="closed").order_by("-year").first()
    # Fewer than five invited: its people's answers are stored under Universitetsbiblioteket.
    assert not AnonymousAnswer.objects.filter(unit=saml).exists()
    open_campaign = Campaign.objects.get(version__questionnaire__key="hms_barometer", status="open")
    assert 0 < Participation.objects.filter(campaign=open_campaign, unit=saml).count() < 5
    results = anonymity.campaign_results(campaign)
    node = results.node_for_unit(saml.pk)
    assert node.unit.code == "UB" and "UB-SAML" in [u.code for u in node.rolled_up]
    assert "u:UB-SAML" not in results.nodes
    html = client_for(User.objects.get(username="leder.saml")).get(f"/undersokelser/{campaign.pk}/UB-SAML/").content.decode()
    assert "for få svar til å vises for seg" in html and "data-result-shown" not in html
    rates = anonymity.campaign_rates(open_campaign)
    assert rates.node_for_unit(saml.pk).unit.code == "UB"


@pytest.mark.django_db
def test_the_open_barometer_has_rates_and_can_be_answered_from_home(demo: str) -> None:
    campaign = Campaign.objects.get(version__questionnaire__key="hms_barometer", status="open")
    ansatt = User.objects.get(username="ansatt.kjemi")
    assert not Participation.objects.get(campaign=campaign, person=ansatt).answered
    assert f"/undersokelse/{campaign.pk}/" in client_for(ansatt).get("/").content.decode()
    rates = anonymity.campaign_rates(campaign)
    root = rates.nodes[rates.root]
    assert root.shown and 0.3 < root.answered / root.invited < 0.55
    admin = client_for(User.objects.get(username="hms.admin"))
    assert "Send påminnelse" in admin.get(f"/kampanjer/{campaign.pk}/").content.decode()


@pytest.mark.django_db
def test_free_text_was_screened_and_retention_has_run(demo: str) -> None:
    closed = Campaign.objects.filter(mode="anonymous", status="closed")
    assert AnonymousComment.objects.filter(campaign__in=closed, status="released").exists()
    assert not AnonymousComment.objects.filter(campaign__in=closed, status="released", released_text__contains="Ole").exists()
    # Participation records of closed surveys are gone (14 days after closing).
    assert not Participation.objects.filter(campaign__in=closed).exists()


@pytest.mark.django_db
def test_ark_follow_up_in_some_units(demo: str) -> None:
    followups = SurveyFollowUp.objects.select_related("unit", "fact_sheet")
    by_unit = {f.unit.code: f for f in followups}
    assert by_unit["HF-IKM"].fact_sheet.status == "submitted" and by_unit["HF-IKM"].action_ids
    assert by_unit["NT-KJE"].fact_sheet.status == "draft"
    leader = User.objects.get(username="leder.kjemi")
    assert has_perm(leader, Perm.RESPONSE_EDIT, by_unit["NT-KJE"].unit)
    assert Role.LEADER  # the leader fills it in with vo.kjemi


@pytest.mark.django_db
def test_loading_again_changes_nothing_and_no_email_was_sent(demo: str) -> None:
    counts = (Campaign.objects.count(), AnonymousAnswer.objects.count(), Response.objects.count())
    from surveys import demo as survey_demo

    assert survey_demo.load(None) == {}
    assert (Campaign.objects.count(), AnonymousAnswer.objects.count(), Response.objects.count()) == counts
    assert mail.outbox == []
