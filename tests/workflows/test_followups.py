"""Follow-up rules → actions: `followup_actions_sync` as the surveys wizard calls it at the second signature."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent, OrgUnit, Role
from surveys import services as survey_services
from surveys.models import Campaign, Mode, Questionnaire, QuestionnaireVersion, Response
from tests.conftest import Org
from workflows import services
from workflows.followups import FollowUpProposal, due_days_from_duration
from workflows.models import ActionItem, FollowUpLink

SIGNED = timezone.make_aware(dt.datetime(2027, 1, 20, 23, 30))  # late evening in Oslo: the date is the 20th


def _response(unit: OrgUnit, year: int = 2026) -> Response:
    questionnaire, _ = Questionnaire.objects.get_or_create(key="hms_annual_report", defaults={"title": "HMS-årsrapport"})
    version = questionnaire.latest_version() or QuestionnaireVersion.objects.create(
        questionnaire=questionnaire, number=1, definition={"pages": []}, definition_hash="x"
    )
    campaign = Campaign.objects.create(version=version, title=f"Årsrapport {year}", year=year, mode=Mode.JOINT,
                                       opens_on=dt.date(year, 1, 1), closes_on=dt.date(year, 12, 31))  # fmt: skip
    return survey_services.response_create(actor=None, version=version, unit=unit, campaign=campaign)


def _proposal(code: str = "leader_vo_meetings_min4", **kw: Any) -> FollowUpProposal:
    values: dict[str, Any] = {
        "code": code,
        "title": {"nb": "Sett opp fire møter mellom leder og verneombud", "en": "Schedule four leader–SR meetings"},
        "description": {"nb": "Minst fire i året.", "en": "At least four a year."},
        "owner_role": "leader",
        "priority": "high",
        "legal_ref": "IK-forskriften § 5 nr. 3",
        "question": "leader_vo_meetings",
        "question_title": "Hvor mange møter har leder og verneombud hatt?",
        "due_in_days": 30,
    }
    values.update(kw)
    return FollowUpProposal(**values)


def _sync(org: Org, response: Response, proposals: list[FollowUpProposal], side: str = "a") -> list[ActionItem]:
    return services.followup_actions_sync(
        actor=org.person(Role.VERNEOMBUD, side), response=response, proposals=proposals, signed_at=SIGNED
    )


def test_the_second_signature_creates_an_open_action_for_the_role_with_the_deadline_from_the_signature(org: Org) -> None:
    response = _response(org.a)
    [action] = _sync(org, response, [_proposal()])
    assert action.status == ActionItem.Status.OPEN
    assert action.owner == org.person(Role.LEADER, "a")
    assert action.owner_role == "leader"
    assert action.due_date == dt.date(2027, 2, 19)  # 30 days from 20 January (Oslo time)
    assert (action.title, action.title_en) == ("Sett opp fire møter mellom leder og verneombud",
                                               "Schedule four leader–SR meetings")  # fmt: skip
    assert action.source_kind == "response" and action.source_response == response
    assert (action.rule_code, action.source_question, action.priority, action.year) == (
        "leader_vo_meetings_min4", "leader_vo_meetings", "high", 2027)
    assert action.legal_ref == "IK-forskriften § 5 nr. 3"
    event = AuditEvent.objects.get(verb="action.create_from_rule", target_id=str(action.pk))
    assert event.actor == org.person(Role.VERNEOMBUD, "a")


def test_the_owner_and_deadline_chosen_on_the_review_page_win(org: Org) -> None:
    employee = org.person(Role.EMPLOYEE, "a")
    [action] = _sync(org, _response(org.a), [_proposal(owner=employee, due=dt.date(2027, 3, 1))])
    assert (action.owner, action.due_date) == (employee, dt.date(2027, 3, 1))


def test_signing_again_creates_no_duplicates(org: Org) -> None:
    response = _response(org.a)
    first = _sync(org, response, [_proposal(), _proposal("handler_trained")])
    second = _sync(org, response, [_proposal(), _proposal("handler_trained")])
    assert [a.pk for a in first] == [a.pk for a in second]
    assert ActionItem.objects.count() == 2
    assert FollowUpLink.objects.filter(active=True).count() == 2


def test_an_unfinished_action_with_the_same_code_in_the_unit_is_linked_instead_of_duplicated(org: Org) -> None:
    [first] = _sync(org, _response(org.a, 2026), [_proposal()])
    other_response = _response(org.a, 2027)
    [linked] = _sync(org, other_response, [_proposal()])
    assert linked.pk == first.pk
    assert ActionItem.objects.filter(rule_code="leader_vo_meetings_min4").count() == 1
    link = FollowUpLink.objects.get(response=other_response)
    assert link.action == first and link.created_action is False


def test_the_same_code_in_another_unit_gets_its_own_action(org: Org) -> None:
    [a] = _sync(org, _response(org.a), [_proposal()])
    [b] = _sync(org, _response(org.b), [_proposal()], side="b")
    assert a.pk != b.pk and b.unit == org.b and b.owner == org.person(Role.LEADER, "b")


@pytest.mark.parametrize("final", ["done", "verified", "rejected", "cancelled"])
def test_a_finished_action_with_the_same_code_does_not_block_a_new_one(org: Org, final: str) -> None:
    [old] = _sync(org, _response(org.a, 2026), [_proposal()])
    leader, vo = org.person(Role.LEADER, "a"), org.person(Role.VERNEOMBUD, "a")
    if final in ("done", "verified"):
        services.action_complete(actor=leader, action=old, note="Fire møter er satt opp")
    if final == "verified":
        services.action_verify(actor=vo, action=old)
    if final == "cancelled":
        services.action_cancel(actor=leader, action=old, reason="Feil")
    if final == "rejected":
        ActionItem.objects.filter(pk=old.pk).update(status="proposed")
        old.refresh_from_db()
        services.action_reject(actor=leader, action=old, reason="Ikke aktuelt")
    [new] = _sync(org, _response(org.a, 2027), [_proposal()])
    assert new.pk != old.pk and new.status == ActionItem.Status.OPEN


def test_a_reopened_response_that_no_longer_meets_a_rule_cancels_the_action_it_created(org: Org) -> None:
    response = _response(org.a)
    kept, dropped = _sync(org, response, [_proposal("keep_me"), _proposal("drop_me")])
    survey_services_reopened = _sync(org, response, [_proposal("keep_me")])
    assert [a.pk for a in survey_services_reopened] == [kept.pk]
    dropped.refresh_from_db()
    kept.refresh_from_db()
    assert dropped.status == ActionItem.Status.CANCELLED
    assert dropped.status_reason == "Svaret oppfyller ikke lenger regelen."
    assert dropped.status_reason_code == services.RULE_NO_LONGER_MET
    assert kept.status == ActionItem.Status.OPEN
    assert not FollowUpLink.objects.get(response=response, rule_code="drop_me").active
    assert AuditEvent.objects.filter(verb="action.cancel", target_id=str(dropped.pk), actor__isnull=True).exists()


def test_meeting_the_rule_again_after_it_was_cancelled_creates_a_new_action(org: Org) -> None:
    response = _response(org.a)
    [first] = _sync(org, response, [_proposal()])
    _sync(org, response, [])
    [again] = _sync(org, response, [_proposal()])
    assert again.pk != first.pk and again.status == ActionItem.Status.OPEN


def test_an_action_that_was_only_linked_is_unlinked_not_cancelled(org: Org) -> None:
    [created] = _sync(org, _response(org.a, 2026), [_proposal()])
    linking_response = _response(org.a, 2027)
    _sync(org, linking_response, [_proposal()])
    _sync(org, linking_response, [])
    created.refresh_from_db()
    assert created.status == ActionItem.Status.OPEN
    assert not FollowUpLink.objects.get(response=linking_response).active


def test_a_done_action_stays_done_when_the_rule_is_no_longer_met(org: Org) -> None:
    response = _response(org.a)
    [action] = _sync(org, response, [_proposal()])
    services.action_complete(actor=org.person(Role.LEADER, "a"), action=action, note="Gjort")
    _sync(org, response, [])
    action.refresh_from_db()
    assert action.status == ActionItem.Status.DONE


def test_when_nobody_holds_the_owner_role_the_action_waits_as_a_proposal(org: Org) -> None:
    [action] = services.followup_actions_sync(
        actor=org.person(Role.VERNEOMBUD, "a"), response=_response(org.a1),
        proposals=[_proposal(owner_role="case_handler")], signed_at=SIGNED,
    )  # fmt: skip
    assert action.status == ActionItem.Status.PROPOSED and action.owner is None
    assert action.due_date == dt.date(2027, 2, 19)


def test_the_old_role_names_from_the_questionnaire_sketches_are_understood(org: Org) -> None:
    [action] = _sync(org, _response(org.a), [_proposal(owner_role="safety_rep")])
    assert action.owner == org.person(Role.VERNEOMBUD, "a") and action.owner_role == "verneombud"


def test_a_rule_that_exists_only_in_the_questionnaire_json_creates_its_action(org: Org) -> None:
    code = "brand_new_rule_added_in_the_json"
    [action] = _sync(org, _response(org.a), [_proposal(code, title={"nb": "Nytt tiltak fra JSON"})])
    assert action.rule_code == code and action.title == "Nytt tiltak fra JSON" and action.title_en == ""


def test_the_sync_is_refused_to_someone_who_may_not_sign_for_the_unit(org: Org) -> None:
    with pytest.raises(PermissionDenied):
        services.followup_actions_sync(actor=org.person(Role.EMPLOYEE, "a"), response=_response(org.a),
                                       proposals=[_proposal()], signed_at=SIGNED)  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.followup_actions_sync(actor=org.person(Role.LEADER, "b"), response=_response(org.a),
                                       proposals=[_proposal()], signed_at=SIGNED)  # fmt: skip
    assert not ActionItem.objects.exists()


def test_iso_durations_become_days() -> None:
    assert due_days_from_duration("P30D") == 30
    assert due_days_from_duration("P2W") == 14
    assert due_days_from_duration("P3M") == 90
    assert due_days_from_duration("P1Y") == 365
    assert due_days_from_duration("PT12H") is None
    assert due_days_from_duration("nonsense") is None


def test_the_cancel_reason_is_shown_in_the_reader_s_language(org: Org) -> None:
    response = _response(org.a)
    [action] = _sync(org, response, [_proposal()])
    _sync(org, response, [])
    reader = org.person(Role.EMPLOYEE, "a")
    reader.language = "en"
    reader.save()
    client = Client()
    client.force_login(reader)
    page = client.get(reverse("action_detail", kwargs={"pk": action.pk}))
    assert "The answer no longer meets the rule." in page.text
    assert "Schedule four leader–SR meetings" in page.text
