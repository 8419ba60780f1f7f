"""Answering an anonymous survey: one-time links by email, page by page, from the home page."""

from __future__ import annotations

import json
from typing import Any

from django.core import mail
from django.test import Client

from core.models import Role
from surveys.models import AnonymousAnswer, AnonymousComment, Participation, QuestionnaireVersion
from tests.conftest import Org
from tests.surveys.anon_support import (
    add_employees,
    answer_by_link,
    answer_logged_in,
    barometer,  # noqa: F401 - fixture
    barometer_answer,
    codes_by_email,
    current_page,
    field_data,
    hidden,
    issue,
)
from tests.surveys.conftest import client_for


def test_everyone_employed_in_the_units_gets_a_personal_link_by_email(
    org: Org, barometer: QuestionnaireVersion, django_capture_on_commit_callbacks: Any  # noqa: F811
) -> None:
    staff = add_employees(org.a, 3) + add_employees(org.a1, 2) + add_employees(org.b, 2)
    campaign = issue(org, barometer, [org.a, org.b], django_capture_on_commit_callbacks)
    invited = set(Participation.objects.filter(campaign=campaign).values_list("person__username", flat=True))
    assert {u.username for u in staff} | {"employee_a", "employee_b"} == invited
    codes = codes_by_email()
    assert set(codes) == {u.email for u in staff} | {"employee_a@example.no", "employee_b@example.no"}
    body = mail.outbox[0].body
    assert "/undersokelse/#" in body  # the code travels in the fragment, never in a path or query
    # Only hashes are stored.
    for p in Participation.objects.filter(campaign=campaign):
        assert p.token_hash and len(p.token_hash) == 64
        assert p.token_hash not in codes.values()
        assert p.link_sent_at is not None


def test_answering_through_the_link_page_by_page_stores_one_anonymous_answer(
    org: Org, barometer: QuestionnaireVersion, django_capture_on_commit_callbacks: Any  # noqa: F811
) -> None:
    staff = add_employees(org.a, 4)  # five invited in A with employee_a
    campaign = issue(org, barometer, [org.a], django_capture_on_commit_callbacks)
    code = codes_by_email()[staff[0].email]
    answers = barometer_answer(b_routines_followed="rarely", b_routines_barriers=["time_pressure", "culture"],
                               b_improve="Mer tid til opplæring.")  # fmt: skip
    r = answer_by_link(Client(), code, barometer, answers)
    assert r.status_code == 302 and r["Location"].startswith("/undersokelse/takk/")
    answer = AnonymousAnswer.objects.get(campaign=campaign)
    assert answer.unit == org.a
    assert answer.background == {"b_role": "employee"}
    assert answer.answers["b_routines_barriers"] == ["time_pressure", "culture"]
    assert "b_improve" not in answer.answers  # free text is kept apart
    comment = AnonymousComment.objects.get(campaign=campaign)
    assert comment.text == "Mer tid til opplæring." and comment.status == "pending"
    p = Participation.objects.get(campaign=campaign, person=staff[0])
    assert p.answered and p.token_hash is None and p.previous_token_hash is None
    assert not Participation.objects.get(campaign=campaign, person=staff[1]).answered


def test_a_link_cannot_be_used_twice(org: Org, barometer: QuestionnaireVersion, django_capture_on_commit_callbacks: Any) -> None:  # noqa: F811
    staff = add_employees(org.a, 1)
    issue(org, barometer, [org.a], django_capture_on_commit_callbacks)
    code = codes_by_email()[staff[0].email]
    client = Client()
    r = client.post("/undersokelse/", {"token": code, "drafts": "{}"})
    first_page = r.content.decode()
    answer_by_link(client, code, barometer, barometer_answer())
    assert AnonymousAnswer.objects.count() == 1
    # Opening the link again.
    again = Client().post("/undersokelse/", {"token": code}).content.decode()
    assert "allerede brukt" in again
    # Replaying a page or the submit from before is refused too.
    replay = Client().post("/undersokelse/side/", {"token": code, "state": hidden(first_page, "state"),
                                                  "page": "__summary__", "nav": "submit"})  # fmt: skip
    assert replay.status_code == 400
    assert AnonymousAnswer.objects.count() == 1


def test_the_same_participation_can_answer_from_the_home_page(
    org: Org, barometer: QuestionnaireVersion, django_capture_on_commit_callbacks: Any  # noqa: F811
) -> None:
    staff = add_employees(org.a, 1)
    campaign = issue(org, barometer, [org.a], django_capture_on_commit_callbacks)
    client = client_for(staff[0])
    home = client.get("/").content.decode()
    assert f"/undersokelse/{campaign.pk}/" in home and "HMS-barometer" in home
    r = answer_logged_in(client, campaign, barometer_answer())
    assert r.status_code == 302
    assert AnonymousAnswer.objects.filter(campaign=campaign).count() == 1
    assert f"/undersokelse/{campaign.pk}/" not in client.get("/").content.decode()
    # ... and then the emailed link is spent as well.
    code = codes_by_email()[staff[0].email]
    assert "allerede brukt" in Client().post("/undersokelse/", {"token": code}).content.decode()
    assert "Du har allerede svart" in client.get(f"/undersokelse/{campaign.pk}/").content.decode()


def test_people_who_are_not_invited_get_an_explanation(
    org: Org, barometer: QuestionnaireVersion, django_capture_on_commit_callbacks: Any  # noqa: F811
) -> None:
    campaign = issue(org, barometer, [org.a], django_capture_on_commit_callbacks)
    html = client_for(org.person(Role.LEADER, "b")).get(f"/undersokelse/{campaign.pk}/").content.decode()
    assert "ikke invitert" in html


def test_a_page_with_errors_is_shown_again_with_an_error_summary(
    org: Org, barometer: QuestionnaireVersion, django_capture_on_commit_callbacks: Any  # noqa: F811
) -> None:
    staff = add_employees(org.a, 1)
    issue(org, barometer, [org.a], django_capture_on_commit_callbacks)
    code = codes_by_email()[staff[0].email]
    client = Client()
    html = client.post("/undersokelse/", {"token": code}).content.decode()
    pages_seen = []
    answers = barometer_answer(b_routines_followed="rarely",
                               b_routines_barriers=["time_pressure", "culture", "impractical", "missing_equipment"])  # fmt: skip
    so_far: dict[str, Any] = {}
    for _ in range(3):
        page = current_page(html)
        pages_seen.append(page)
        from surveys import engine_api

        on_page = {q.name for q in engine_api.Session(barometer, so_far).page(page).questions()}
        values = {k: v for k, v in answers.items() if k in on_page}
        so_far.update(values)
        data = {"token": code, "state": hidden(html, "state"), "page": page, "nav": "next",
                **field_data(barometer, page, values, so_far)}  # fmt: skip
        html = client.post("/undersokelse/side/", data).content.decode()
    assert current_page(html) == "b_routines"
    assert 'class="ds-error-summary"' in html  # more than three reasons chosen


def test_the_draft_travels_signed_and_is_restored_from_the_browser(
    org: Org, barometer: QuestionnaireVersion, django_capture_on_commit_callbacks: Any  # noqa: F811
) -> None:
    staff = add_employees(org.a, 2)
    campaign = issue(org, barometer, [org.a], django_capture_on_commit_callbacks)
    codes = codes_by_email()
    client = Client()
    html = client.post("/undersokelse/", {"token": codes[staff[0].email]}).content.decode()
    data = {"token": codes[staff[0].email], "state": hidden(html, "state"), "page": "b_background", "nav": "next",
            **field_data(barometer, "b_background", {"b_role": "leader"}, {})}  # fmt: skip
    html = client.post("/undersokelse/side/", data).content.decode()
    state = hidden(html, "state")
    assert current_page(html) == "b_training"
    # Later, the browser sends the draft it kept: the person continues where they left off.
    drafts = json.dumps({str(campaign.pk): {"state": state}})
    resumed = Client().post("/undersokelse/", {"token": codes[staff[0].email], "drafts": drafts}).content.decode()
    assert current_page(resumed) == "b_training" and "hentet fram" in resumed
    # Somebody else's link cannot use that draft (it is signed for one participation).
    other = Client().post("/undersokelse/", {"token": codes[staff[1].email], "drafts": drafts}).content.decode()
    assert current_page(other) == "b_background"
    # Nothing was stored on the server while answering.
    assert not AnonymousAnswer.objects.exists()


def test_the_hms_admin_issues_an_anonymous_survey_from_the_campaign_pages(
    org: Org, barometer: QuestionnaireVersion, django_capture_on_commit_callbacks: Any  # noqa: F811
) -> None:
    import datetime as dt

    from surveys.models import Campaign

    staff = add_employees(org.a1, 3)
    admin = client_for(org.person(Role.HMS_ADMIN))
    today = dt.date.today()
    with django_capture_on_commit_callbacks(execute=True):
        r = admin.post("/kampanjer/ny/", {
            "version": barometer.pk, "title": "Barometer", "year": today.year, "mode": "anonymous",
            "opens_on": today.isoformat(), "closes_on": (today + dt.timedelta(days=20)).isoformat(),
            "units": [org.a.pk], "open_now": "on",
        })  # fmt: skip
    assert r.status_code == 302
    campaign = Campaign.objects.get(title="Barometer")
    # Everyone employed in A and the units below it.
    invited = set(Participation.objects.filter(campaign=campaign).values_list("person__username", flat=True))
    assert invited == {"employee_a", *(u.username for u in staff)}
    assert len(mail.outbox) == 4
    page = admin.get(f"/kampanjer/{campaign.pk}/").content.decode()
    assert "Send påminnelse til dem som ikke har svart" in page
    for person in staff:
        assert person.email not in page and person.username not in page


def test_a_leaders_answer_counts_in_the_unit_above(
    org: Org, barometer: QuestionnaireVersion, django_capture_on_commit_callbacks: Any  # noqa: F811
) -> None:
    import datetime as dt

    from core import services as core_services

    leader = org.person(Role.LEADER, "a")
    core_services.membership_grant(actor=None, user=leader, role=Role.EMPLOYEE, unit=org.a, valid_from=dt.date(2020, 1, 1))
    campaign = issue(org, barometer, [org.a], django_capture_on_commit_callbacks)
    assert Participation.objects.get(campaign=campaign, person=leader).unit == org.div
    assert Participation.objects.get(campaign=campaign, person=org.person(Role.EMPLOYEE, "a")).unit == org.a


def test_answers_from_a_unit_with_fewer_than_n_invited_are_stored_under_the_unit_above(
    org: Org, barometer: QuestionnaireVersion, django_capture_on_commit_callbacks: Any  # noqa: F811
) -> None:
    from tests.surveys.anon_support import submit_direct

    a = add_employees(org.a, 5)
    small = add_employees(org.a1, 2)  # A1: two invited
    campaign = issue(org, barometer, [org.a], django_capture_on_commit_callbacks)
    submit_direct(campaign, small[0], barometer_answer())
    submit_direct(campaign, a[0], barometer_answer())
    # The database never marks an answer with A1: its one respondent would be plain to see.
    assert set(AnonymousAnswer.objects.filter(campaign=campaign).values_list("unit__code", flat=True)) == {"A"}
    assert Participation.objects.get(campaign=campaign, person=small[0]).unit == org.a1
