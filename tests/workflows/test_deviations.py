"""Deviations (avvik): reporting, handling per role, the legal branch, AMU, receipts, learning reports."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
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
from workflows.models import ActionItem, Deviation, LearningReport

S = Deviation.Status


def _client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _in_review(org: Org, side: str = "a", **kw: Any) -> Deviation:
    d = f.deviation(org, side, **kw)
    return services.deviation_start_review(actor=org.person(Role.CASE_HANDLER, side), deviation=d,
                                           deadline=timezone.localdate() + dt.timedelta(days=14))  # fmt: skip


REPORT_FORM = {
    "unit": None, "category": "near_miss", "what": "Kabel over gangvei", "location": "Lab 2",
    "occurred_at": "2026-01-05T09:30", "involved_party": "own",
}  # fmt: skip


# ----------------------------------------------------------------------------- reporting


def test_everyone_with_a_role_in_the_unit_may_report_and_nobody_else(org: Org) -> None:
    for role, person in people_by_role(org):
        kwargs = {"category": "other", "what": "x", "location": "y", "occurred_at": timezone.now()}
        if role_has(role, Perm.DEVIATION_REPORT):
            deviation, _ = services.deviation_report(actor=person, unit=org.a, **kwargs)
            assert deviation.reporter == person
        else:
            with pytest.raises(PermissionDenied):
                services.deviation_report(actor=person, unit=org.a, **kwargs)


def test_a_named_report_records_the_reporter_in_history_and_audit(org: Org) -> None:
    reporter = org.person(Role.EMPLOYEE, "a")
    d = f.deviation(org, "a", anonymous=False, reporter=reporter)
    assert d.reporter == reporter and not d.anonymous and d.receipt_hash == ""
    assert d.history.get().history_user == reporter
    assert AuditEvent.objects.get(verb="deviation.report", target_id=str(d.pk)).actor == reporter


def test_a_report_from_the_phone_form_redirects_a_named_reporter_to_their_case(org: Org) -> None:
    reporter = org.person(Role.EMPLOYEE, "a")
    response = _client(reporter).post(reverse("deviation_report"), {**REPORT_FORM, "unit": org.a.pk})
    d = Deviation.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("deviation_detail", kwargs={"pk": d.pk})
    page = _client(reporter).get(response["Location"])
    assert page.status_code == 200 and "Status for avviket du meldte" in page.text
    # another employee of the unit does not see it
    other = org.person(Role.EMPLOYEE, "b")
    assert _client(other).get(response["Location"]).status_code == 404


def test_the_report_form_shows_errors_in_a_summary_at_the_top(org: Org) -> None:
    response = _client(org.person(Role.EMPLOYEE, "a")).post(reverse("deviation_report"), {"unit": org.a.pk})
    assert response.status_code == 200
    text = response.text
    assert text.index("ds-error-summary") < text.index('name="what"')
    assert 'href="#id_what"' in text and 'href="#id_category"' in text
    assert not Deviation.objects.exists()


def test_an_injury_needs_its_injury_class(org: Org) -> None:
    response = _client(org.person(Role.EMPLOYEE, "a")).post(
        reverse("deviation_report"), {**REPORT_FORM, "unit": org.a.pk, "category": "injury"}
    )
    assert response.status_code == 200 and 'href="#id_injury_class"' in response.text


def test_someone_cannot_report_into_a_unit_they_have_no_role_in(org: Org) -> None:
    response = _client(org.person(Role.EMPLOYEE, "b")).post(reverse("deviation_report"), {**REPORT_FORM, "unit": org.a.pk})
    assert response.status_code == 200 and not Deviation.objects.exists()


def test_new_reports_notify_case_handler_leaders_and_verneombud_by_reference_only(
    org: Org, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        d = f.deviation(org, "a", anonymous=False, what="Kari Nordmann skled på gulvet")
    recipients = sorted(m.to[0] for m in mail.outbox)
    expected = [org.person(r, "a").email for r in (Role.CASE_HANDLER, Role.LEADER, Role.DEPUTY_LEADER, Role.VERNEOMBUD)]
    assert recipients == sorted(expected)
    for message in mail.outbox:
        assert f"AVVIK-{d.pk}" in message.subject
        assert "Kari" not in message.subject + message.body
        assert "Ansatt" not in message.body  # the reporter's name is not in the email


# ----------------------------------------------------------------------------- handling per role


HANDLING = {
    "start_review": (lambda u, d: services.deviation_start_review(
        actor=u, deviation=d, deadline=timezone.localdate() + dt.timedelta(days=3))),
    "update": lambda u, d: services.deviation_update(actor=u, deviation=d, cause_analysis="Glatt"),
    "reject": lambda u, d: services.deviation_reject(actor=u, deviation=d, reason="Gjelder renhold, sendt videre"),
    "add_measure": None,  # needs the review first (below)
}  # fmt: skip


@pytest.mark.parametrize("name", ["start_review", "update", "reject"])
def test_handling_is_allowed_exactly_for_the_roles_the_spec_gives(org: Org, name: str) -> None:
    for role, person in people_by_role(org):
        d = f.deviation(org, "a")
        if role_has(role, Perm.DEVIATION_HANDLE):
            HANDLING[name](person, d)  # type: ignore[misc]
        else:
            with pytest.raises(PermissionDenied):
                HANDLING[name](person, d)  # type: ignore[misc]
            assert Deviation.objects.get(pk=d.pk).status == S.REPORTED


def test_a_case_handler_of_the_division_handles_the_units_below(org: Org) -> None:
    from core import services as core_services

    handler = core_services.person_create(actor=None, username="div_handler", email="dh@example.no")
    core_services.membership_grant(actor=None, user=handler, role=Role.CASE_HANDLER, unit=org.div)
    d = f.deviation(org, "a")
    assert services.deviation_start_review(actor=handler, deviation=d, deadline=timezone.localdate()).status == S.UNDER_REVIEW


def test_the_full_handling_to_closure_with_a_measure(org: Org, django_capture_on_commit_callbacks: Any) -> None:
    reporter = org.person(Role.EMPLOYEE, "a")
    handler = org.person(Role.CASE_HANDLER, "a")
    owner = org.person(Role.LEADER, "a")
    d = f.deviation(org, "a", anonymous=False, reporter=reporter)
    with django_capture_on_commit_callbacks(execute=True):
        d = services.deviation_start_review(actor=handler, deviation=d, deadline=timezone.localdate() + dt.timedelta(days=5))
    assert [m.to for m in mail.outbox if "under behandling" in m.subject] == [[reporter.email]]
    with pytest.raises(ValidationError):  # no cause analysis yet
        services.deviation_plan_measures(actor=handler, deviation=d)
    services.deviation_update(actor=handler, deviation=d, cause_analysis="Manglende matte")
    with pytest.raises(ValidationError):  # neither a measure nor a reason
        services.deviation_plan_measures(actor=handler, deviation=d)
    action = services.deviation_add_measure(actor=handler, deviation=d, title="Legg ut matte", owner=owner,
                                            due_date=timezone.localdate() + dt.timedelta(days=3))  # fmt: skip
    assert action.source_deviation == d and action.status == ActionItem.Status.OPEN
    d = services.deviation_plan_measures(actor=handler, deviation=d)
    assert d.status == S.MEASURES
    with pytest.raises(ValidationError):  # the measure is not done
        services.deviation_close(actor=handler, deviation=d, closing_comment="ok", lessons_learned="ok")
    services.action_complete(actor=owner, action=action, note="Matte lagt ut")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        d = services.deviation_close(actor=handler, deviation=d, closing_comment="Matten hindrer nye fall",
                                     lessons_learned="Matte ved alle innganger", feedback_to_reporter="Takk!")  # fmt: skip
    assert d.status == S.CLOSED and d.closed_by == handler
    assert [m.to for m in mail.outbox] == [[reporter.email]] and "lukket" in mail.outbox[0].subject
    assert [h.status for h in d.history.order_by("history_date", "history_id")] == [
        "reported", "under_review", "under_review", "measures", "closed"]


def test_closing_with_no_measures_needs_the_reason(org: Org) -> None:
    handler = org.person(Role.CASE_HANDLER, "a")
    d = _in_review(org)
    d = services.deviation_plan_measures(actor=handler, deviation=d, cause_analysis="Engangstilfelle",
                                         no_measures_reason="Utstyret er tatt ut av bruk")  # fmt: skip
    d = services.deviation_close(actor=handler, deviation=d, closing_comment="Ok", lessons_learned="Ok")
    assert d.status == S.CLOSED


def test_a_high_potential_event_needs_a_learning_report_before_closing(org: Org) -> None:
    handler = org.person(Role.CASE_HANDLER, "a")
    d = _in_review(org, high_potential=True)
    d = services.deviation_plan_measures(actor=handler, deviation=d, cause_analysis="x", no_measures_reason="y")
    with pytest.raises(ValidationError, match="læringsrapport"):
        services.deviation_close(actor=handler, deviation=d, closing_comment="Ok", lessons_learned="Ok")
    services.learning_report_save(actor=handler, deviation=d, title="T", summary="S", potential="P", causes="C",
                                  measures="M", learning_points="L")  # fmt: skip
    assert services.deviation_close(actor=handler, deviation=d, closing_comment="Ok", lessons_learned="Ok").status == S.CLOSED


def test_a_closed_deviation_can_be_reopened_with_a_reason(org: Org) -> None:
    handler = org.person(Role.CASE_HANDLER, "a")
    d = services.deviation_reject(actor=handler, deviation=f.deviation(org), reason="Ikke HMS")
    with pytest.raises(ValidationError):
        services.deviation_reopen(actor=handler, deviation=d, reason="")
    assert services.deviation_reopen(actor=handler, deviation=d, reason="Var likevel HMS").status == S.UNDER_REVIEW


# ----------------------------------------------------------------------------- legal branch (aml. § 5-2)


def test_a_serious_injury_alerts_the_leader_at_once_and_copies_the_verneombud(
    org: Org, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        d = f.deviation(org, "a", category="injury", injury_class="lost_time", serious_injury=True, absence_days=30)
    assert d.legal_notice_required and d.leader_alerted_at is not None
    alerts = [m for m in mail.outbox if m.subject.startswith("STRAKS")]
    assert sorted(m.to[0] for m in alerts) == sorted(
        [org.person(Role.LEADER, "a").email, org.person(Role.DEPUTY_LEADER, "a").email])
    assert all("§ 5-2" in m.body and "Arbeidstilsynet" in m.body for m in alerts)
    copies = [m for m in mail.outbox if m.subject.startswith("Kopi til verneombud")]
    assert [m.to for m in copies] == [[org.person(Role.VERNEOMBUD, "a").email]]
    assert AuditEvent.objects.filter(verb="deviation.legal_alert", target_id=str(d.pk)).exists()


def test_a_death_starts_the_legal_branch_and_a_first_aid_injury_does_not(org: Org) -> None:
    assert f.deviation(org, category="injury", injury_class="fatal").legal_notice_required
    assert not f.deviation(org, category="injury", injury_class="first_aid").legal_notice_required


def test_who_notified_the_authorities_and_when_is_recorded(org: Org) -> None:
    leader = org.person(Role.LEADER, "a")
    d = f.deviation(org, "a", category="injury", injury_class="fatal")
    at = timezone.now() - dt.timedelta(minutes=20)
    services.deviation_record_notice(actor=leader, deviation=d, authority="arbeidstilsynet", notified_at=at)
    d = services.deviation_record_notice(actor=leader, deviation=d, authority="police")
    assert (d.arbeidstilsynet_notified_by, d.arbeidstilsynet_notified_at) == (leader, at)
    assert d.police_notified_by == leader and not d.legal_notice_outstanding
    with pytest.raises(PermissionDenied):
        services.deviation_record_notice(actor=org.person(Role.EMPLOYEE, "a"), deviation=d, authority="police")
    with pytest.raises(ValidationError):
        services.deviation_record_notice(actor=leader, deviation=f.deviation(org), authority="police")


def test_classifying_as_a_serious_injury_later_also_alerts(org: Org, django_capture_on_commit_callbacks: Any) -> None:
    d = f.deviation(org, "a", category="injury", injury_class="medical_treatment")
    assert not d.legal_notice_required
    with django_capture_on_commit_callbacks(execute=True):
        d = services.deviation_update(actor=org.person(Role.CASE_HANDLER, "a"), deviation=d, serious_injury=True)
    assert d.legal_notice_required and any(m.subject.startswith("STRAKS") for m in mail.outbox)


# ----------------------------------------------------------------------------- AMU (aml. § 6-2)


def test_a_verneombud_raises_an_unanswered_deviation_with_amu(org: Org, django_capture_on_commit_callbacks: Any) -> None:
    vo = org.person(Role.VERNEOMBUD, "a")
    with time_machine.travel(timezone.now() - dt.timedelta(days=20), tick=False):
        d = f.deviation(org, "a")
    with django_capture_on_commit_callbacks(execute=True):
        d = services.deviation_escalate_to_amu(actor=vo, deviation=d, reason="Ingen har svart på tre uker")
    assert d.escalated_to_amu_by == vo and d.escalated_to_amu_at is not None
    assert [m.to for m in mail.outbox if "AMU" in m.subject or "arbeidsmiljøutvalget" in m.body] == [
        [org.person(Role.AMU_SECRETARY).email]]


def test_raising_with_amu_waits_for_the_organisation_s_waiting_time(org: Org) -> None:
    d = f.deviation(org, "a")
    with pytest.raises(ValidationError):
        services.deviation_escalate_to_amu(actor=org.person(Role.VERNEOMBUD, "a"), deviation=d, reason="x")
    with time_machine.travel(timezone.now() + dt.timedelta(days=15), tick=False):
        assert services.escalation_possible(Deviation.objects.get(pk=d.pk))


def test_a_passed_deadline_allows_raising_it_with_amu(org: Org) -> None:
    d = _in_review(org)
    with time_machine.travel(timezone.now() + dt.timedelta(days=20), tick=False):
        services.deviation_escalate_to_amu(actor=org.person(Role.HOVEDVERNEOMBUD), deviation=d, reason="Frist passert")


def test_only_verneombud_roles_may_raise_it_with_amu(org: Org) -> None:
    with time_machine.travel(timezone.now() - dt.timedelta(days=30), tick=False):
        deviations = {role: f.deviation(org, "a") for role, _ in people_by_role(org)}
    for role, person in people_by_role(org):
        if role_has(role, Perm.DEVIATION_ESCALATE):
            services.deviation_escalate_to_amu(actor=person, deviation=deviations[role], reason="Ingen svar")
        else:
            with pytest.raises(PermissionDenied):
                services.deviation_escalate_to_amu(actor=person, deviation=deviations[role], reason="Ingen svar")


# ----------------------------------------------------------------------------- receipts


def test_an_anonymous_reporter_follows_the_case_with_the_receipt_code_without_logging_in(org: Org) -> None:
    response = _client(org.person(Role.EMPLOYEE, "a")).post(
        reverse("deviation_report"), {**REPORT_FORM, "unit": org.a.pk, "anonymous": "on"}
    )
    assert response.status_code == 200
    code = response.context["code"]
    assert code in response.text and "no-cache" in response["Cache-Control"]
    d = Deviation.objects.get()
    services.deviation_start_review(actor=org.person(Role.CASE_HANDLER, "a"), deviation=d,
                                    deadline=timezone.localdate() + dt.timedelta(days=7))  # fmt: skip
    services.deviation_update(actor=org.person(Role.CASE_HANDLER, "a"), deviation=d,
                              feedback_to_reporter="Vi har lagt ut matte.")  # fmt: skip
    anonymous = _client()
    assert anonymous.get(reverse("deviation_receipt")).status_code == 200
    page = anonymous.post(reverse("deviation_receipt"), {"code": code.lower().replace("-", " ")})
    assert page.status_code == 200
    assert "Under behandling" in page.text and "Vi har lagt ut matte." in page.text
    assert "Kabel over gangvei" not in page.text  # the status page shows the handling, not the report
    wrong = anonymous.post(reverse("deviation_receipt"), {"code": "AAAA-BBBB-CCCC-DDDD"})
    assert "Fant ingen sak" in wrong.text


def test_anonymous_reporting_can_be_switched_off(org: Org) -> None:
    services.workflow_settings_update(actor=org.person(Role.HMS_ADMIN), anonymous_reporting=False)
    with pytest.raises(ValidationError):
        f.deviation(org, anonymous=True)
    page = _client(org.person(Role.EMPLOYEE, "a")).get(reverse("deviation_report"))
    assert 'name="anonymous"' not in page.text


# ----------------------------------------------------------------------------- learning reports


def test_a_learning_report_is_visible_to_everyone_once_shared(org: Org) -> None:
    report = f.learning_report(org, "a")
    url = reverse("learning_report", kwargs={"pk": report.deviation_id})
    other_unit = _client(org.person(Role.EMPLOYEE, "b"))
    assert other_unit.get(url).status_code == 404
    assert report.title not in other_unit.get(reverse("learning_report_list")).text
    services.learning_report_share(actor=org.person(Role.LEADER, "a"), report=report)
    assert other_unit.get(url).status_code == 200
    assert report.title in other_unit.get(reverse("learning_report_list")).text
    assert LearningReport.objects.get(pk=report.pk).shared_by == org.person(Role.LEADER, "a")


def test_only_handlers_write_and_share_learning_reports(org: Org) -> None:
    report = f.learning_report(org, "a")
    with pytest.raises(PermissionDenied):
        services.learning_report_share(actor=org.person(Role.VERNEOMBUD, "a"), report=report)
    with pytest.raises(PermissionDenied):
        services.learning_report_save(actor=org.person(Role.EMPLOYEE, "a"), deviation=report.deviation, title="x")
