"""A person's own data (export), and anonymising or deleting a person who has left."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client

from core import services as core_services
from core.models import AuditEvent, Membership, Role, User
from core.privacy import selectors, services
from surveys import services as survey_services
from surveys.models import AnonymousAnswer, AnonymousComment, Campaign, Response, ResponseSignature
from tests.conftest import Org
from tests.surveys import anon_support
from tests.surveys.conftest import SMALL
from tests.workflows import factories as f
from workflows import services as wf_services
from workflows.models import ActionItem, CalendarFeedToken, Deviation

SECRET_ANON_TEXT = "Hemmelig anonym kommentar 7731"


def _joint_response_signed(org: Org) -> tuple[Response, User, User]:
    """Unit A's joint response: the leader answers and both sign (it is submitted)."""
    version = survey_services.questionnaire_import(actor=None, raw=SMALL)
    admin = org.person(Role.HMS_ADMIN)
    today = dt.date.today()
    campaign = survey_services.campaign_create(
        actor=admin, version=version, title="Årsrapport test", year=today.year, mode="joint",
        opens_on=today, closes_on=today + dt.timedelta(days=30), units=[org.a],
    )  # fmt: skip
    survey_services.campaign_open(actor=admin, campaign=campaign)
    response = Response.objects.get(campaign=campaign, unit=org.a)
    leader, vo = org.person(Role.LEADER, "a"), org.person(Role.VERNEOMBUD, "a")
    answers = {"answered_jointly": True, "leader_vo_meetings": 6, "arenas": ["staff"], "remarks": "Ryddig år."}
    survey_services.response_save_answers(
        actor=leader, response=response, answers=answers, base_version=response.lock_version,
        questions=list(answers),
    )  # fmt: skip
    response.refresh_from_db()
    survey_services.response_sign(actor=leader, response=response, capacity="leader")
    survey_services.response_sign(actor=vo, response=response, capacity="verneombud")
    response.refresh_from_db()
    return response, leader, vo


def _anonymous_answer_by(org: Org, person: User, capture: Any) -> Campaign:
    version = anon_support.load_version("hms_barometer")
    anon_support.add_employees(org.a, 5)
    campaign = anon_support.issue(org, version, [org.a], capture)
    anon_support.submit_direct(campaign, person, anon_support.barometer_answer(b_improve=SECRET_ANON_TEXT))
    return campaign


def test_a_person_sees_and_downloads_their_data_but_never_anonymous_answers(
    org: Org, django_capture_on_commit_callbacks: Any
) -> None:
    response, leader, _vo = _joint_response_signed(org)
    owner = org.person(Role.EMPLOYEE, "a")
    action = f.action(org, "a", owner=owner, title="Sett opp rekkverk")
    named = f.deviation(org, "a", anonymous=False, reporter=owner, what="Glatt trapp i bygg 3")
    anonymous = f.deviation(org, "a", anonymous=True, reporter=owner, what="Anonymt meldt 5521")
    campaign = _anonymous_answer_by(org, owner, django_capture_on_commit_callbacks)
    assert AnonymousAnswer.objects.filter(campaign=campaign).exists()
    assert AnonymousComment.objects.filter(text__contains=SECRET_ANON_TEXT).exists()

    client = Client()
    client.force_login(owner)
    page = client.get("/meg/data/")
    assert page.status_code == 200 and "Det Verne har lagret om deg" in page.content.decode()
    download = client.get("/meg/data.json")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="verne-mine-data-')
    text = download.content.decode()
    data = json.loads(text)
    assert data["format"] == "verne-personal-data/1"
    assert data["profile"]["username"] == owner.username and data["profile"]["email"] == owner.email
    assert [m["role"] for m in data["memberships"]] == ["employee"]
    assert [a["id"] for a in data["actions"]] == [action.pk] and data["actions"][0]["your_part"] == ["owner"]
    assert [d["reference"] for d in data["deviations_reported_by_name"]] == [named.reference]
    assert "Glatt trapp i bygg 3" in text
    # Never anonymous things: not the anonymous deviation, not the survey answer or comment.
    assert anonymous.reference not in text and "Anonymt meldt 5521" not in text
    assert SECRET_ANON_TEXT not in text
    assert "b_improve" not in text and "b_role" not in text
    assert data["anonymous_survey_invitations"] == [
        {"campaign": "HMS-barometer", "year": campaign.year,
         "invited_at": data["anonymous_survey_invitations"][0]["invited_at"], "answered": True}
    ]  # fmt: skip
    assert any(e["verb"] == "deviation.report" for e in data["audit_events"])
    assert AuditEvent.objects.filter(verb="person.export", actor=owner).count() == 1

    # The leader: answers saved in the joint response, the signature, history of their changes.
    leader_data = selectors.person_data(leader)
    given = leader_data["answers_in_joint_responses"]
    assert [g["id"] for g in given] == [str(response.pk)]
    assert given[0]["answers"]["leader_vo_meetings"]["value"] == 6
    assert [s["capacity"] for s in leader_data["signatures"]] == ["leader"]
    assert leader_data["responses"] == []  # a joint response is the unit's, not the person's
    assert any(h["record"] == "surveys.response" for h in leader_data["change_history"])


def test_my_data_needs_a_login() -> None:
    assert Client().get("/meg/data.json").status_code == 302


def _strings(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(_strings(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_strings(v) for v in value)) if value else set()
    return set()


def test_anonymising_a_leaver_keeps_the_records_under_a_pseudonym(
    org: Org, django_capture_on_commit_callbacks: Any
) -> None:
    response, leader, _vo = _joint_response_signed(org)
    action = f.action(org, "a", owner=leader, title="Kurs for verneombud")
    deviation = f.deviation(org, "a", anonymous=False, reporter=leader)
    wf_services.calendar_token_create(actor=leader)
    core_services.person_link_external_id(actor=None, person=leader, external_id="entra-oid-leader")
    leader_client = Client()
    leader_client.force_login(leader)
    old = (leader.username, leader.email, leader.get_full_name())
    assert old[0] in _strings(list(AuditEvent.objects.values_list("data", flat=True)))
    assert any(m.get("name") == old[2] for m in response.answer_meta.values())

    admin = org.person(Role.HMS_ADMIN)
    admin_client = Client()
    admin_client.force_login(admin)
    page = admin_client.get(f"/personvern/admin/personer/{leader.pk}/")
    assert page.status_code == 200 and "kan derfor bare anonymiseres" in page.content.decode()
    refused = admin_client.post(f"/personvern/admin/personer/{leader.pk}/", {"action": "anonymise"})
    assert refused.status_code == 200  # the confirmation box is required
    done = admin_client.post(
        f"/personvern/admin/personer/{leader.pk}/", {"action": "anonymise", "confirm": "on", "reason": "Sluttet"}
    )
    assert done.status_code == 302

    leader.refresh_from_db()
    assert (leader.username, leader.first_name, leader.last_name) == (f"tidligere-ansatt-{leader.pk}", "Tidligere ansatt", f"#{leader.pk}")
    assert str(leader) == f"Tidligere ansatt #{leader.pk}"
    assert leader.email == "" and leader.external_id == "" and not leader.is_active
    assert not leader.has_usable_password()
    # The organisation's records stay, attributed to the pseudonym.
    assert ResponseSignature.objects.filter(response=response, signer=leader, voided_at__isnull=True).exists()
    assert ActionItem.objects.get(pk=action.pk).owner_id == leader.pk
    assert Deviation.objects.get(pk=deviation.pk).reporter_id == leader.pk
    assert Response.objects.get(pk=response.pk).status == Response.Status.SUBMITTED
    # Memberships ended (history kept), sessions and the calendar feed gone.
    assert not Membership.objects.active().filter(user=leader).exists()
    assert Membership.objects.filter(user=leader).exists()
    assert not CalendarFeedToken.objects.filter(user=leader).exists()
    assert leader_client.get("/").status_code == 302
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(leader.pk)]
    # No copy of the name, username or email is left: audit details, answer notes, history rows.
    audit_strings = _strings(list(AuditEvent.objects.values_list("data", flat=True)))
    assert not set(old) & audit_strings
    for model in (Response, Response.history.model):
        for meta in model.objects.values_list("answer_meta", flat=True):
            assert not set(old) & _strings(meta)
    event = AuditEvent.objects.get(verb="person.anonymise")
    assert event.actor == admin and event.data["memberships_ended"] == 1 and event.data["reason"] == "Sluttet"
    # The person's own export now shows only the pseudonym.
    assert not set(old) & _strings(selectors.person_data(leader))

    # Idempotent.
    services.person_anonymise(actor=admin, person=leader)
    assert AuditEvent.objects.filter(verb="person.anonymise").count() == 1


def test_a_person_without_records_can_be_deleted_with_their_history(org: Org) -> None:
    admin = org.person(Role.HMS_ADMIN)
    person = core_services.person_create(actor=admin, username="kortvarig", first_name="Kort", last_name="Varig",
                                         email="kort@example.no")  # fmt: skip
    membership = core_services.membership_grant(
        actor=admin, user=person, role=Role.EMPLOYEE, unit=org.a, valid_from=dt.date(2024, 1, 1)
    )
    core_services.membership_end(actor=admin, membership=membership, on=dt.date(2024, 6, 1))
    pk = person.pk
    client = Client()
    client.force_login(admin)
    page = client.get(f"/personvern/admin/personer/{pk}/")
    assert "Slett helt" in page.content.decode()
    assert client.post(f"/personvern/admin/personer/{pk}/", {"action": "delete", "confirm": "on"}).status_code == 302
    assert not User.objects.filter(pk=pk).exists()
    assert not Membership.history.filter(user_id=pk).exists()
    assert not {"kortvarig", "kort@example.no"} & _strings(list(AuditEvent.objects.values_list("data", flat=True)))
    assert AuditEvent.objects.filter(verb="person.delete", target_id=str(pk), actor=admin).exists()


def test_a_person_with_records_cannot_be_deleted_only_anonymised(org: Org) -> None:
    owner = org.person(Role.EMPLOYEE, "a")
    f.action(org, "a", owner=owner)
    admin = org.person(Role.HMS_ADMIN)
    with pytest.raises(ValidationError):
        services.person_delete(actor=admin, person=owner)
    assert User.objects.filter(pk=owner.pk).exists()
    assert AuditEvent.objects.filter(verb="person.delete").count() == 0


def test_only_the_hms_admin_may_remove_people_and_never_themselves(org: Org) -> None:
    target = org.person(Role.EMPLOYEE, "b")
    for role in (Role.LEADER, Role.HR):
        client = Client()
        client.force_login(org.person(role, "a"))
        response = client.post(f"/personvern/admin/personer/{target.pk}/", {"action": "anonymise", "confirm": "on"})
        assert response.status_code == 403
    admin = org.person(Role.HMS_ADMIN)
    with pytest.raises(ValidationError):
        services.person_anonymise(actor=admin, person=admin)
    client = Client()
    client.force_login(admin)
    assert "Du kan ikke anonymisere eller slette deg selv" in client.get(f"/personvern/admin/personer/{admin.pk}/").content.decode()
    search = client.get("/personvern/admin/?q=Ansatt").content.decode()
    assert f"/personvern/admin/personer/{target.pk}/" in search
