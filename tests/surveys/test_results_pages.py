"""Results pages and CSV export for the barometer and the working-environment survey."""

from __future__ import annotations

import csv
import io
import random
from typing import Any

from core.models import Role
from surveys.anon import services as anon_services
from surveys.models import Campaign, QuestionnaireVersion, SurveyFollowUp
from tests.conftest import Org
from tests.surveys.anon_support import (
    add_employees,
    ark,  # noqa: F401 - fixture
    barometer,  # noqa: F401 - fixture
    barometer_answer,
    close,
    issue,
    submit_direct,
)
from tests.surveys.conftest import client_for


def _answer_all(campaign: Campaign, people: list[Any], make: Any) -> None:
    for i, person in enumerate(people):
        submit_direct(campaign, person, make(i))


def test_no_results_while_the_survey_is_open(org: Org, barometer: QuestionnaireVersion, django_capture_on_commit_callbacks: Any) -> None:  # noqa: F811
    staff = add_employees(org.a, 6)
    campaign = issue(org, barometer, [org.a], django_capture_on_commit_callbacks)
    _answer_all(campaign, staff, lambda i: barometer_answer())
    admin = client_for(org.person(Role.HMS_ADMIN))
    html = admin.get(f"/undersokelser/{campaign.pk}/A/").content.decode()
    assert "vises når undersøkelsen er lukket" in html
    assert "data-result-shown" not in html
    assert admin.get(f"/undersokelser/{campaign.pk}/A/csv/").status_code == 404


def test_a_unit_page_shows_distributions_and_the_organisation_next_to_it(
    org: Org, barometer: QuestionnaireVersion, django_capture_on_commit_callbacks: Any  # noqa: F811
) -> None:
    a = add_employees(org.a, 6)
    b = add_employees(org.b, 6)
    campaign = issue(org, barometer, [org.a, org.b], django_capture_on_commit_callbacks)
    _answer_all(campaign, a, lambda i: barometer_answer(b_vo_trained="yes"))
    _answer_all(campaign, b, lambda i: barometer_answer(b_vo_trained="no"))
    close(org, campaign)
    leader = client_for(org.person(Role.LEADER, "a"))
    html = leader.get(f"/undersokelser/{campaign.pk}/A/").content.decode()
    assert "data-result-shown" in html
    assert "Hele organisasjonen" in html
    assert "Verneombudet har fått opplæring (ja)" in html  # key indicators
    # The leader of A may not open B's page.
    assert leader.get(f"/undersokelser/{campaign.pk}/B/").status_code == 404
    rows = list(csv.reader(io.StringIO(leader.get(f"/undersokelser/{campaign.pk}/A/csv/").content.decode("utf-8-sig")), delimiter=";"))
    groups = {r[0] for r in rows[1:]}
    assert any("Avdeling A" in g for g in groups) and any("Testorganisasjonen" in g for g in groups)
    assert not any("Avdeling B" in g for g in groups)


def test_the_working_environment_survey_shows_dimension_scores(
    org: Org, ark: QuestionnaireVersion, django_capture_on_commit_callbacks: Any  # noqa: F811
) -> None:
    staff = add_employees(org.a, 7)
    campaign = issue(org, ark, [org.a], django_capture_on_commit_callbacks, title="Arbeidsmiljøundersøkelse")
    rng = random.Random(3)

    def answer(i: int) -> dict[str, Any]:
        def pick() -> int:
            return rng.choice([2, 3, 4, 4, 5])

        return {
            "role_group": "employee",
            "workload_pace_extent": {"wl_1": pick(), "pace_3": pick()},
            "workload_pace_frequency": {"wl_2": pick(), "wl_3": pick(), "pace_1": pick(), "pace_2": pick()},
            "roles_control_extent": {k: pick() for k in ("rc_1", "rc_2", "rc_3", "ctl_1", "ctl_2", "ctl_3")},
            "exp_bullying": "never",
            "overall_satisfaction": 4,
        }

    _answer_all(campaign, staff, answer)
    close(org, campaign)
    html = client_for(org.person(Role.HMS_ADMIN)).get(f"/undersokelser/{campaign.pk}/A/").content.decode()
    assert "Dimensjoner (0–100)" in html
    assert "Arbeidsmengde" in html and "Rolleklarhet" in html
    # Exposure questions need at least ten answers: seven is not enough.
    assert "Skjult: spørsmålet vises bare når minst 10 har svart." in html


def test_the_ark_follow_up_records_meeting_and_measures_as_actions(
    org: Org, ark: QuestionnaireVersion, django_capture_on_commit_callbacks: Any  # noqa: F811
) -> None:
    staff = add_employees(org.a, 5)
    campaign = issue(org, ark, [org.a], django_capture_on_commit_callbacks, title="Arbeidsmiljøundersøkelse")
    _answer_all(campaign, staff, lambda i: {"role_group": "employee", "overall_satisfaction": 3})
    close(org, campaign)
    leader = client_for(org.person(Role.LEADER, "a"))
    url = f"/undersokelser/{campaign.pk}/A/oppfolging/"
    r = leader.post(url, {"action": "fact_sheet"})
    assert r.status_code == 302 and "/besvarelser/" in r["Location"]
    followup = SurveyFollowUp.objects.get(campaign=campaign, unit=org.a)
    assert followup.fact_sheet is not None and followup.fact_sheet.purpose == "fact_sheet"
    assert followup.fact_sheet.answers["survey_title"] == "Arbeidsmiljøundersøkelse"
    # A measure before the meeting is refused.
    leader.post(url, {"action": "measure", "title": "For tidlig"})
    assert SurveyFollowUp.objects.get(pk=followup.pk).action_ids == []
    import datetime as dt

    r = leader.post(url, {"action": "meeting", "held_on": dt.date.today().isoformat(), "attendees": "6", "summary": "Gikk gjennom resultatene."})
    assert r.status_code == 302, r.content.decode()[-3000:]
    r = leader.post(url, {"action": "measure", "title": "Faste prioriteringsmøter", "description": "", "owner_role": "leader",
                          "due_date": (dt.date.today() + dt.timedelta(days=60)).isoformat()})  # fmt: skip
    assert r.status_code == 302, __import__("re").sub(r"\s+", " ", r.content.decode())[-4000:]
    followup.refresh_from_db()
    assert len(followup.action_ids) == 1
    from workflows.models import ActionItem

    action = ActionItem.objects.get(pk=followup.action_ids[0])
    assert action.source_kind == "survey" and action.unit == org.a and action.title == "Faste prioriteringsmøter"
    # An employee cannot record anything.
    employee = client_for(org.person(Role.EMPLOYEE, "a"))
    assert employee.post(url, {"action": "fact_sheet"}).status_code == 404
    html = leader.get(url).content.decode()
    assert "Faste prioriteringsmøter" in html


def test_the_admin_screens_free_text_before_anyone_sees_it(
    org: Org, barometer: QuestionnaireVersion, django_capture_on_commit_callbacks: Any  # noqa: F811
) -> None:
    from core.models import AuditEvent
    from surveys.models import AnonymousComment

    staff = add_employees(org.a, 10)
    campaign = issue(org, barometer, [org.a], django_capture_on_commit_callbacks)
    _answer_all(campaign, staff, lambda i: barometer_answer(b_improve=f"Kommentar nummer {i}. Kari sier ifra." if i < 2 else None))
    close(org, campaign)
    admin = client_for(org.person(Role.HMS_ADMIN))
    page = f"/undersokelser/{campaign.pk}/A/"
    assert "Kommentar nummer" not in admin.get(page).content.decode()
    comments = list(AnonymousComment.objects.filter(campaign=campaign).order_by("id"))
    html = admin.get(f"/kampanjer/{campaign.pk}/fritekst/").content.decode()
    assert "Kommentar nummer 0" in html and "Avdeling A" not in html  # no unit shown to the reviewer
    data = {f"status-{comments[0].pk}": "released", f"text-{comments[0].pk}": comments[0].text.replace("Kari", "[navn]"),
            f"status-{comments[1].pk}": "withheld", f"text-{comments[1].pk}": comments[1].text}  # fmt: skip
    assert admin.post(f"/kampanjer/{campaign.pk}/fritekst/", data).status_code == 302
    shown = admin.get(page).content.decode()
    assert "[navn] sier ifra" in shown and "Kari" not in shown
    event = AuditEvent.objects.get(verb="survey.comments_review")
    assert event.actor == org.person(Role.HMS_ADMIN)
    assert event.data == {"released": 0, "redacted": 1, "withheld": 1, "pending": 0}
    assert "Kommentar" not in str(event.data) and str(comments[0].pk) not in str(event.data)
    assert anon_services  # imported for the services under test
