"""Actions (tiltak): every transition allowed and refused per role, audit and history, emails."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent, Role
from core.permissions import Perm
from tests.conftest import Org
from tests.workflows import factories as f
from tests.workflows.conftest import people_by_role, role_has
from workflows import services
from workflows.models import ActionItem

S = ActionItem.Status
TODAY = timezone.localdate


def _confirm(actor: Any, a: ActionItem) -> ActionItem:
    return services.action_confirm(actor=actor, action=a, owner=_employee_of(a), due_date=TODAY() + dt.timedelta(days=9))


def _employee_of(a: ActionItem) -> Any:
    from core.models import Membership

    return Membership.objects.get(unit=a.unit, role=Role.EMPLOYEE).user


# transition -> (state to start from, permission the spec must give, call)
TRANSITIONS: dict[str, tuple[str, Perm, Callable[[Any, ActionItem], ActionItem]]] = {
    "confirm": ("proposed", Perm.ACTION_MANAGE, _confirm),
    "reject": ("proposed", Perm.ACTION_MANAGE, lambda u, a: services.action_reject(actor=u, action=a, reason="Nei")),
    "cancel": ("open", Perm.ACTION_MANAGE, lambda u, a: services.action_cancel(actor=u, action=a, reason="Utgår")),
    "update": ("open", Perm.ACTION_MANAGE, lambda u, a: services.action_update(
        actor=u, action=a, reason="Ny frist", due_date=TODAY() + dt.timedelta(days=60))),
    "verify": ("done", Perm.ACTION_VERIFY, lambda u, a: services.action_verify(actor=u, action=a)),
    "reopen": ("done", Perm.ACTION_VERIFY, lambda u, a: services.action_reopen(actor=u, action=a, reason="Virker ikke")),
}  # fmt: skip
RESULT = {"confirm": S.OPEN, "reject": S.REJECTED, "cancel": S.CANCELLED, "update": S.OPEN, "verify": S.VERIFIED,
          "reopen": S.IN_PROGRESS}  # fmt: skip


@pytest.mark.parametrize("name", list(TRANSITIONS))
def test_each_transition_is_allowed_exactly_for_the_roles_the_spec_gives(org: Org, name: str) -> None:
    state, perm, run = TRANSITIONS[name]
    for role, person in people_by_role(org):
        action = f.action(org, "a", status=state)
        if role_has(role, perm):
            assert run(person, action).status == RESULT[name], (name, role)
        else:
            with pytest.raises(PermissionDenied):
                run(person, action)
            assert ActionItem.objects.get(pk=action.pk).status == state, (name, role)


@pytest.mark.parametrize("name", list(TRANSITIONS))
def test_nobody_in_unit_b_may_change_unit_a_actions(org: Org, name: str) -> None:
    state, _perm, run = TRANSITIONS[name]
    for role in (Role.LEADER, Role.DEPUTY_LEADER, Role.VERNEOMBUD, Role.HMS_COORDINATOR, Role.CASE_HANDLER):
        with pytest.raises(PermissionDenied):
            run(org.person(role, "b"), f.action(org, "a", status=state))


def test_only_the_owner_starts_and_completes_an_action(org: Org) -> None:
    owner = org.person(Role.EMPLOYEE, "a")
    for _role, person in people_by_role(org):
        if person == owner:
            continue
        action = f.action(org, "a", owner=owner)
        with pytest.raises(PermissionDenied):
            services.action_start(actor=person, action=action)
        with pytest.raises(PermissionDenied):
            services.action_complete(actor=person, action=action, note="Gjort")
    action = f.action(org, "a", owner=owner)
    assert services.action_start(actor=owner, action=action).status == S.IN_PROGRESS
    done = services.action_complete(actor=owner, action=action, note="Rekkverk montert")
    assert done.status == S.DONE and done.completed_by == owner and done.completion_note == "Rekkverk montert"


def test_an_open_action_can_be_completed_without_being_started(org: Org) -> None:
    owner = org.person(Role.EMPLOYEE, "a")
    assert services.action_complete(actor=owner, action=f.action(org, owner=owner), note="Ok").status == S.DONE


def test_the_person_who_completed_it_cannot_verify_it(org: Org) -> None:
    leader = org.person(Role.LEADER, "a")
    action = f.action(org, "a", owner=leader)
    services.action_complete(actor=leader, action=action, note="Gjort")
    with pytest.raises(ValidationError):
        services.action_verify(actor=leader, action=action)
    assert services.action_verify(actor=org.person(Role.VERNEOMBUD, "a"), action=action).status == S.VERIFIED


def test_failed_verification_reopens_with_the_reason_and_tells_the_owner(org: Org, django_capture_on_commit_callbacks: Any) -> None:
    owner = org.person(Role.EMPLOYEE, "a")
    action = f.action(org, "a", status="done", owner=owner)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reopened = services.action_reopen(actor=org.person(Role.VERNEOMBUD, "a"), action=action, reason="Rekkverket er løst")
    assert reopened.status == S.IN_PROGRESS
    assert reopened.status_reason == "Rekkverket er løst"
    assert reopened.completed_at is None
    assert [m.to for m in mail.outbox] == [[owner.email]]
    # and it can be completed again
    assert services.action_complete(actor=owner, action=reopened, note="Skrudd fast").status == S.DONE


@pytest.mark.parametrize("name", ["reject", "cancel", "reopen"])
def test_closing_transitions_need_a_reason(org: Org, name: str) -> None:
    state = {"reject": "proposed", "cancel": "open", "reopen": "done"}[name]
    action = f.action(org, "a", status=state)
    leader = org.person(Role.LEADER, "a")
    fn = {"reject": services.action_reject, "cancel": services.action_cancel, "reopen": services.action_reopen}[name]
    with pytest.raises(ValidationError):
        fn(actor=leader, action=action, reason="  ")
    assert ActionItem.objects.get(pk=action.pk).status == state


def test_completing_needs_a_note(org: Org) -> None:
    owner = org.person(Role.EMPLOYEE, "a")
    with pytest.raises(ValidationError):
        services.action_complete(actor=owner, action=f.action(org, owner=owner), note="")


@pytest.mark.parametrize(
    ("state", "name"),
    [("open", "verify"), ("proposed", "reopen"), ("verified", "cancel"), ("rejected", "confirm"), ("done", "update")],
)
def test_a_transition_from_the_wrong_state_is_refused(org: Org, state: str, name: str) -> None:
    leader = org.person(Role.LEADER, "a")
    if state == "rejected":
        action = services.action_reject(actor=leader, action=f.action(org, status="proposed"), reason="Nei")
    else:
        action = f.action(org, "a", status=state)
    with pytest.raises(ValidationError):
        TRANSITIONS[name][2](org.person(Role.HMS_ADMIN), action)
    assert ActionItem.objects.get(pk=action.pk).status == state


def test_confirming_needs_an_owner_who_can_see_the_plan(org: Org) -> None:
    action = f.action(org, "a", status="proposed")
    with pytest.raises(ValidationError):
        services.action_confirm(actor=org.person(Role.LEADER, "a"), action=action,
                                owner=org.person(Role.EMPLOYEE, "b"), due_date=TODAY())  # fmt: skip


def test_every_transition_writes_history_and_an_audit_event_in_the_same_go(org: Org) -> None:
    leader, vo, owner = org.person(Role.LEADER, "a"), org.person(Role.VERNEOMBUD, "a"), org.person(Role.EMPLOYEE, "a")
    action = services.action_create(actor=vo, unit=org.a, title="Merk rømningsvei")
    services.action_confirm(actor=leader, action=action, owner=owner, due_date=TODAY() + dt.timedelta(days=5))
    services.action_start(actor=owner, action=action)
    services.action_complete(actor=owner, action=action, note="Merket")
    services.action_verify(actor=vo, action=action)
    history = list(action.history.order_by("history_date", "history_id"))
    assert [(h.status, h.history_user, h.history_change_reason) for h in history] == [
        ("proposed", vo, "created"), ("open", leader, "confirmed"), ("in_progress", owner, "started"),
        ("done", owner, "completed"), ("verified", vo, "verified"),
    ]  # fmt: skip
    events = AuditEvent.objects.filter(target_type="workflows.actionitem", target_id=str(action.pk)).order_by("at")
    assert [(e.verb, e.actor) for e in events] == [
        ("action.create", vo), ("action.confirm", leader), ("action.start", owner), ("action.complete", owner),
        ("action.verify", vo),
    ]  # fmt: skip
    assert all(e.unit == org.a for e in events)


def test_a_later_deadline_counts_as_postponed_and_resets_the_reminders(org: Org) -> None:
    action = f.action(org, "a")
    ActionItem.objects.filter(pk=action.pk).update(reminder_sent_at=timezone.now(), overdue_notice_sent_at=timezone.now())
    updated = services.action_update(actor=org.person(Role.LEADER, "a"), action=action, reason="Leveranse forsinket",
                                     due_date=action.due_date + dt.timedelta(days=14))  # fmt: skip
    assert updated.postponed_count == 1
    assert updated.reminder_sent_at is None and updated.overdue_notice_sent_at is None
    event = AuditEvent.objects.filter(verb="action.update", target_id=str(action.pk)).get()
    assert event.data["reason"] == "Leveranse forsinket" and "due_date" in event.data["changes"]


def test_assigning_emails_the_owner_a_reference_and_a_link_in_their_language(org: Org, django_capture_on_commit_callbacks: Any) -> None:
    owner = org.person(Role.EMPLOYEE, "a")
    owner.language = "en"
    owner.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        action = services.action_create(
            actor=org.person(Role.LEADER, "a"), unit=org.a, title="Fix the railing", description="Secret details: Kari",
            owner=owner, due_date=dt.date(2031, 5, 1), confirm=True,
        )  # fmt: skip
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [owner.email]
    assert message.subject == f"You are responsible for action #{action.pk} in Avdeling A"
    assert f"https://verne.example/tiltak/{action.pk}/" in message.body
    assert "2031-05-01" in message.body
    assert "Kari" not in message.body
    assert "railing" not in message.subject + message.body  # no user-written text in emails


def test_a_norwegian_owner_gets_the_email_in_bokmal(org: Org, django_capture_on_commit_callbacks: Any) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        f.action(org, "a")
    assert mail.outbox[0].subject.startswith("Du er ansvarlig for tiltak #")


def test_completing_emails_the_leader_and_verneombud_to_verify(org: Org, django_capture_on_commit_callbacks: Any) -> None:
    owner = org.person(Role.EMPLOYEE, "a")
    action = f.action(org, "a", owner=owner)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.action_complete(actor=owner, action=action, note="Ok")
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([org.person(Role.LEADER, "a").email, org.person(Role.DEPUTY_LEADER, "a").email,
                                 org.person(Role.VERNEOMBUD, "a").email])  # fmt: skip


# ----------------------------------------------------------------------------- the pages


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_detail_page_offers_only_the_allowed_transitions(org: Org) -> None:
    action = f.action(org, "a", status="proposed")
    leader_page = _client(org.person(Role.LEADER, "a")).get(reverse("action_detail", kwargs={"pk": action.pk}))
    assert reverse("action_confirm", kwargs={"pk": action.pk}) in leader_page.text
    assert reverse("action_reject", kwargs={"pk": action.pk}) in leader_page.text
    assert reverse("action_complete", kwargs={"pk": action.pk}) not in leader_page.text
    employee_page = _client(org.person(Role.EMPLOYEE, "a")).get(reverse("action_detail", kwargs={"pk": action.pk}))
    assert employee_page.status_code == 200
    for name in ("action_confirm", "action_reject", "action_cancel", "action_verify", "action_update"):
        assert reverse(name, kwargs={"pk": action.pk}) not in employee_page.text


def test_the_owner_completes_through_the_page_and_the_verneombud_verifies(org: Org) -> None:
    owner = org.person(Role.EMPLOYEE, "a")
    action = f.action(org, "a", owner=owner)
    page = _client(owner).get(reverse("action_detail", kwargs={"pk": action.pk}))
    assert reverse("action_complete", kwargs={"pk": action.pk}) in page.text
    response = _client(owner).post(reverse("action_complete", kwargs={"pk": action.pk}), {"complete-note": "Ferdig"})
    assert response.status_code == 302
    vo = _client(org.person(Role.VERNEOMBUD, "a"))
    assert vo.post(reverse("action_verify", kwargs={"pk": action.pk}), {"verify-note": ""}).status_code == 302
    assert ActionItem.objects.get(pk=action.pk).status == S.VERIFIED


def test_a_transition_posted_without_its_reason_shows_the_error_summary(org: Org) -> None:
    action = f.action(org, "a")
    response = _client(org.person(Role.LEADER, "a")).post(reverse("action_cancel", kwargs={"pk": action.pk}), {})
    assert response.status_code == 200
    assert "ds-error-summary" in response.text and 'href="#id_cancel-reason"' in response.text
    assert ActionItem.objects.get(pk=action.pk).status == S.OPEN


def test_the_owner_only_transitions_are_refused_to_others_over_http(org: Org) -> None:
    action = f.action(org, "a")
    leader = _client(org.person(Role.LEADER, "a"))
    assert leader.post(reverse("action_start", kwargs={"pk": action.pk})).status_code == 403
    assert leader.post(reverse("action_complete", kwargs={"pk": action.pk}), {"complete-note": "x"}).status_code == 403
    outsider = _client(org.person(Role.LEADER, "b"))
    assert outsider.post(reverse("action_complete", kwargs={"pk": action.pk}), {"complete-note": "x"}).status_code == 404


def test_a_leader_creates_a_confirmed_action_from_the_plan(org: Org) -> None:
    owner = org.person(Role.EMPLOYEE, "a")
    response = _client(org.person(Role.LEADER, "a")).post(
        reverse("action_create", kwargs={"code": "A"}),
        {"title": "Ny brannslukker", "owner": owner.pk, "due_date": "2031-01-31", "priority": "high", "confirm": "on"},
    )
    assert response.status_code == 302
    action = ActionItem.objects.get(title="Ny brannslukker")
    assert (action.status, action.owner, action.due_date, action.priority) == ("open", owner, dt.date(2031, 1, 31), "high")


def test_a_verneombud_may_only_propose(org: Org) -> None:
    response = _client(org.person(Role.VERNEOMBUD, "a")).post(
        reverse("action_create", kwargs={"code": "A"}), {"title": "Bedre lys", "priority": "medium", "confirm": "on"}
    )
    assert response.status_code == 302
    assert ActionItem.objects.get(title="Bedre lys").status == S.PROPOSED
