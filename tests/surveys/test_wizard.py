from __future__ import annotations

from core.models import Role
from surveys.models import Response
from tests.conftest import Org
from tests.surveys.conftest import client_for, current_step, post_page, wizard_url


def test_the_wizard_starts_at_the_first_page_with_the_unit_prefilled(org: Org, response: Response) -> None:
    html = client_for(org.person(Role.LEADER, "a")).get(wizard_url(response)).content.decode()
    assert current_step(html) == "intro"
    assert 'value="Avdeling A"' in html and "Forhåndsutfylt" in html
    assert "Side 1 av 3" in html  # the conditional page is not counted


def test_a_required_answer_is_refused_with_the_engines_message(org: Org, response: Response) -> None:
    client = client_for(org.person(Role.LEADER, "a"))
    html = post_page(client, response, "intro", {}).content.decode()
    assert current_step(html) == "intro"
    assert 'class="ds-error-summary"' in html
    assert "Du må svare på dette spørsmålet." in html  # Verne's bokmål text for survey-core's required error
    assert 'href="#q-answered_jointly"' in html
    response.refresh_from_db()
    assert "answered_jointly" not in response.answers


def test_answers_are_saved_on_every_step_and_converted_like_survey_core(org: Org, response: Response) -> None:
    client = client_for(org.person(Role.LEADER, "a"))
    post_page(client, response, "intro", {"answered_jointly": "true"})
    html = post_page(client, response, "meetings", {"leader_vo_meetings": "2"}).content.decode()
    response.refresh_from_db()
    assert response.answers["answered_jointly"] is True
    assert response.answers["leader_vo_meetings"] == 2  # inputType number: "2" -> 2
    assert response.answers["unit_name"] == "Avdeling A"
    assert current_step(html) == "last"  # the conditional page "extra" is skipped
    assert response.lock_version == 2


def test_a_conditional_page_is_shown_when_its_condition_holds(org: Org, response: Response) -> None:
    client = client_for(org.person(Role.LEADER, "a"))
    post_page(client, response, "intro", {"answered_jointly": "true"})
    html = post_page(client, response, "meetings", {"leader_vo_meetings": "12"}).content.decode()
    assert current_step(html) == "extra"


def test_a_question_revealed_on_the_same_page_is_shown_before_moving_on(org: Org, response: Response) -> None:
    client = client_for(org.person(Role.LEADER, "a"))
    html = post_page(client, response, "intro", {"answered_jointly": "false"}, shown=["answered_jointly"]).content.decode()
    assert current_step(html) == "intro"
    assert 'data-question="why_not"' in html and "nye spørsmål" in html
    # The revealed question is visible now (no hidden attribute on its container).
    assert 'data-question="why_not" data-type="comment" >' in html or 'data-question="why_not" data-type="comment">' in html


def test_resume_after_logout_lands_on_the_first_page_with_a_missing_required_answer(org: Org, response: Response) -> None:
    leader = org.person(Role.LEADER, "a")
    client = client_for(leader)
    post_page(client, response, "intro", {"answered_jointly": "true"})
    client.post("/logg-ut/")
    again = client_for(leader)
    assert current_step(again.get(wizard_url(response)).content.decode()) == "meetings"
    # The verneombud opening the same response resumes at the same place.
    vo = client_for(org.person(Role.VERNEOMBUD, "a"))
    assert current_step(vo.get(wizard_url(response)).content.decode()) == "meetings"


def test_back_keeps_what_was_typed_on_the_current_page(org: Org, response: Response) -> None:
    client = client_for(org.person(Role.LEADER, "a"))
    post_page(client, response, "intro", {"answered_jointly": "true"})
    html = post_page(client, response, "meetings", {"leader_vo_meetings": "7"}, wizard_goto_step="intro").content.decode()
    assert current_step(html) == "intro"
    response.refresh_from_db()
    assert response.answers["leader_vo_meetings"] == 7


def test_the_page_script_endpoint_evaluates_without_saving(org: Org, response: Response) -> None:
    client = client_for(org.person(Role.LEADER, "a"))
    r = client.post(f"/besvarelser/{response.pk}/evaluer/", {"page": "intro", "intro-answered_jointly": "false"})
    state = r.json()
    assert state["questions"]["why_not"]["visible"] is True
    r = client.post(f"/besvarelser/{response.pk}/evaluer/", {"page": "intro", "intro-answered_jointly": "true"})
    assert r.json()["questions"]["why_not"]["visible"] is False
    response.refresh_from_db()
    assert response.answers == {}


def test_people_of_another_unit_cannot_open_or_save_the_response(org: Org, response: Response) -> None:
    client = client_for(org.person(Role.LEADER, "b"))
    assert client.get(wizard_url(response)).status_code == 404
    assert post_page(client, response, "intro", {"answered_jointly": "true"}).status_code == 404
    response.refresh_from_db()
    assert response.answers == {}


def test_the_home_page_lists_the_response_to_answer(org: Org, response: Response) -> None:
    html = client_for(org.person(Role.VERNEOMBUD, "a")).get("/").content.decode()
    assert "Testrapport – Avdeling A" in html and wizard_url(response) in html
