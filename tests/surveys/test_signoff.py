from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import AuditEvent, Role
from surveys import services
from surveys.models import Response
from tests.conftest import Org
from tests.surveys.conftest import client_for, post_page


def answer_everything(org: Org, response: Response, meetings: str = "2") -> None:
    client = client_for(org.person(Role.LEADER, "a"))
    post_page(client, response, "intro", {"answered_jointly": "true"})
    post_page(client, response, "meetings", {"leader_vo_meetings": meetings})
    post_page(client, response, "last", {"arenas": ["staff"]})


def test_signing_is_refused_while_a_required_answer_is_missing(org: Org, response: Response) -> None:
    client = client_for(org.person(Role.LEADER, "a"))
    post_page(client, response, "intro", {"answered_jointly": "true"})
    html = client.get(f"/besvarelser/{response.pk}/oppsummering/").content.decode()
    assert "må rettes før besvarelsen kan signeres" in html
    client.post(f"/besvarelser/{response.pk}/signer/", {"capacity": "leader"})
    response.refresh_from_db()
    assert response.status == Response.Status.DRAFT and not response.signatures.exists()


def test_both_sign_and_the_second_signature_submits(org: Org, response: Response) -> None:
    answer_everything(org, response)
    leader, vo = client_for(org.person(Role.LEADER, "a")), client_for(org.person(Role.VERNEOMBUD, "a"))
    html = leader.get(f"/besvarelser/{response.pk}/oppsummering/").content.decode()
    assert "Signer som leder" in html and "Signer som verneombud" not in html
    leader.post(f"/besvarelser/{response.pk}/signer/", {"capacity": "leader"})
    response.refresh_from_db()
    assert response.status == Response.Status.SIGNED_BY_ONE
    vo.post(f"/besvarelser/{response.pk}/signer/", {"capacity": "verneombud"})
    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED and response.submitted_at is not None
    signatures = {s.capacity: s for s in response.active_signatures()}
    assert signatures["leader"].signer == org.person(Role.LEADER, "a")
    assert signatures["verneombud"].role == "verneombud"
    assert AuditEvent.objects.filter(verb="response.submit", target_id=str(response.pk)).count() == 1
    assert response.history.filter(history_change_reason="submitted").exists()
    # Read-only after submission: the wizard sends people to the overview, saves are refused.
    assert leader.get(f"/besvarelser/{response.pk}/svar/").status_code == 302
    with pytest.raises(ValidationError):
        services.response_save_answers(actor=org.person(Role.LEADER, "a"), response=response,
                                       answers={"remarks": "x"}, base_version=response.lock_version)  # fmt: skip


def test_a_change_after_the_first_signature_voids_it(org: Org, response: Response) -> None:
    answer_everything(org, response)
    leader = client_for(org.person(Role.LEADER, "a"))
    leader.post(f"/besvarelser/{response.pk}/signer/", {"capacity": "leader"})
    vo = client_for(org.person(Role.VERNEOMBUD, "a"))
    post_page(vo, response, "last", {"arenas": ["staff"], "remarks": "Vi legger til en merknad"})
    response.refresh_from_db()
    assert response.status == Response.Status.DRAFT
    assert not response.active_signatures().exists()
    voided = response.signatures.get()
    assert voided.voided_at is not None and "endret" in voided.void_reason
    html = leader.get(f"/besvarelser/{response.pk}/oppsummering/").content.decode()
    assert "Signer som leder" in html


def test_one_person_cannot_sign_for_both_leader_and_verneombud(org: Org, response: Response) -> None:
    answer_everything(org, response)
    both = org.person(Role.LEADER, "a")
    from core import services as core_services

    core_services.membership_grant(actor=None, user=both, role=Role.VERNEOMBUD, safety_area=org.sa_a)
    from core.permissions import forget_access

    forget_access(both)
    services.response_sign(actor=both, response=response, capacity="leader")
    with pytest.raises(ValidationError):
        services.response_sign(actor=both, response=response, capacity="verneombud")


def test_an_employee_cannot_sign(org: Org, response: Response) -> None:
    answer_everything(org, response)
    with pytest.raises(PermissionDenied):
        services.response_sign(actor=org.person(Role.EMPLOYEE, "a"), response=response, capacity="leader")


def test_an_hms_admin_reopens_with_a_reason_and_both_must_sign_again(org: Org, response: Response) -> None:
    answer_everything(org, response)
    services.response_sign(actor=org.person(Role.LEADER, "a"), response=response, capacity="leader")
    services.response_sign(actor=org.person(Role.VERNEOMBUD, "a"), response=response, capacity="verneombud")
    admin = client_for(org.person(Role.HMS_ADMIN))
    admin.post(f"/besvarelser/{response.pk}/gjenapne/", {"reason": ""})
    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED  # no reason, no reopening
    admin.post(f"/besvarelser/{response.pk}/gjenapne/", {"reason": "Feil antall møter"})
    response.refresh_from_db()
    assert response.status == Response.Status.REOPENED and response.reopen_reason == "Feil antall møter"
    assert not response.active_signatures().exists()
    html = client_for(org.person(Role.LEADER, "a")).get(f"/besvarelser/{response.pk}/").content.decode()
    assert "Feil antall møter" in html
    event = AuditEvent.objects.get(verb="response.reopen")
    assert event.data["reason"] == "Feil antall møter" and event.actor == org.person(Role.HMS_ADMIN)


def test_a_leader_cannot_reopen(org: Org, response: Response) -> None:
    answer_everything(org, response)
    services.response_sign(actor=org.person(Role.LEADER, "a"), response=response, capacity="leader")
    services.response_sign(actor=org.person(Role.VERNEOMBUD, "a"), response=response, capacity="verneombud")
    with pytest.raises(PermissionDenied):
        services.response_reopen(actor=org.person(Role.LEADER, "a"), response=response, reason="x")


def test_the_review_page_proposes_follow_up_actions_from_the_rules(org: Org, response: Response) -> None:
    answer_everything(org, response, meetings="2")
    html = client_for(org.person(Role.LEADER, "a")).get(f"/besvarelser/{response.pk}/oppsummering/").content.decode()
    assert "Sett opp minst fire møter" in html and "IK-forskriften § 5 nr. 3" in html
    answer_everything(org, response, meetings="6")
    html = client_for(org.person(Role.LEADER, "a")).get(f"/besvarelser/{response.pk}/oppsummering/").content.decode()
    assert "Sett opp minst fire møter" not in html


def test_a_named_response_is_started_from_the_home_page_and_submitted_by_its_person(org: Org) -> None:
    import datetime as dt

    from surveys.models import Campaign
    from tests.surveys.conftest import SMALL

    version = services.questionnaire_import(actor=None, raw=SMALL)
    admin = org.person(Role.HMS_ADMIN)
    today = dt.date.today()
    campaign = services.campaign_create(actor=admin, version=version, title="Personlig", year=today.year,
                                        mode="individual", opens_on=today, closes_on=today + dt.timedelta(days=9),
                                        units=[org.a])  # fmt: skip
    services.campaign_open(actor=admin, campaign=campaign)
    employee = org.person(Role.EMPLOYEE, "a")
    client = client_for(employee)
    assert f"/kampanjer/{campaign.pk}/svar/" in client.get("/").content.decode()
    r = client.get(f"/kampanjer/{campaign.pk}/svar/")
    response = Response.objects.get(campaign=campaign, person=employee)
    assert r["Location"] == f"/besvarelser/{response.pk}/svar/"
    assert client_for(org.person(Role.EMPLOYEE, "b")).get(f"/kampanjer/{campaign.pk}/svar/").status_code == 404
    client.post(f"/besvarelser/{response.pk}/lever/")
    response.refresh_from_db()
    assert response.status == Response.Status.DRAFT  # required answers missing
    post_page(client, response, "intro", {"answered_jointly": "true"})
    post_page(client, response, "meetings", {"leader_vo_meetings": "5"})
    r = client.post(f"/besvarelser/{response.pk}/lever/", follow=True)
    assert "Besvarelsen er levert" in r.content.decode(), r.content.decode()[-3000:]
    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED and not response.signatures.exists()
    assert Campaign.objects.get(pk=campaign.pk).responses.count() == 1
    # Another person's named response stays private to them.
    assert client_for(org.person(Role.EMPLOYEE, "a")).get(f"/besvarelser/{response.pk}/").status_code == 200
    assert client_for(org.person(Role.LEADER, "b")).get(f"/besvarelser/{response.pk}/").status_code == 404
