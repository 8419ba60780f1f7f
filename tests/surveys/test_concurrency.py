"""Two people editing one joint response: merges, conflicts, nothing lost."""

from __future__ import annotations

import random
import threading

import pytest
from django.db import close_old_connections

from core.models import Role
from surveys import services
from surveys.models import Response
from tests.conftest import Org
from tests.surveys.conftest import client_for, post_page


def test_answers_to_different_questions_merge(org: Org, response: Response) -> None:
    leader, vo = client_for(org.person(Role.LEADER, "a")), client_for(org.person(Role.VERNEOMBUD, "a"))
    base = response.lock_version
    post_page(leader, response, "last", {"remarks": "Leders merknad"}, lock=base)
    reply = post_page(vo, response, "last", {"arenas": ["amu"]}, lock=base, follow=False)
    assert reply.status_code == 302  # the last page leads to the review page
    response.refresh_from_db()
    assert response.answers["remarks"] == "Leders merknad"
    assert response.answers["arenas"] == ["amu"]
    assert "Den andre har lagret i mellomtiden" in vo.get(reply["Location"]).content.decode()


def test_answers_to_the_same_question_are_shown_side_by_side_not_overwritten(org: Org, response: Response) -> None:
    leader, vo = client_for(org.person(Role.LEADER, "a")), client_for(org.person(Role.VERNEOMBUD, "a"))
    base = response.lock_version
    post_page(leader, response, "last", {"remarks": "Leders versjon"}, lock=base)
    html = post_page(vo, response, "last", {"remarks": "Verneombudets versjon"}, lock=base).content.decode()
    response.refresh_from_db()
    assert response.answers["remarks"] == "Leders versjon"  # nothing overwritten silently
    assert "Noen andre har endret de samme spørsmålene" in html
    assert "Leders versjon" in html and "Verneombudets versjon" in html
    assert 'name="resolve-remarks"' in html
    # The verneombud chooses their own answer deliberately.
    post_page(vo, response, "last", {"remarks": "Verneombudets versjon"}, **{"resolve-remarks": "mine"})
    response.refresh_from_db()
    assert response.answers["remarks"] == "Verneombudets versjon"


def test_a_merged_answer_that_hides_the_other_editors_question_keeps_its_value_until_completion(
    org: Org, response: Response
) -> None:
    leader, vo = client_for(org.person(Role.LEADER, "a")), client_for(org.person(Role.VERNEOMBUD, "a"))
    post_page(leader, response, "intro", {"answered_jointly": "false"})
    base = Response.objects.get(pk=response.pk).lock_version
    post_page(leader, response, "intro", {"answered_jointly": "false", "why_not": "Verneombudet var syk"}, lock=base)
    post_page(vo, response, "intro", {"answered_jointly": "true"}, lock=base)
    response.refresh_from_db()
    assert response.answers["answered_jointly"] is True
    assert response.answers["why_not"] == "Verneombudet var syk"  # hidden, but kept (survey-core)
    post_page(leader, response, "meetings", {"leader_vo_meetings": "5"})
    services.response_sign(actor=org.person(Role.LEADER, "a"), response=response, capacity="leader")
    response.refresh_from_db()
    assert "why_not" not in response.answers  # cleared on completion, as survey-core does


def test_interleaved_saves_lose_nothing_and_report_every_collision(org: Org, response: Response) -> None:
    """Two editors save the same page many times from stale versions in random order."""
    rng = random.Random(4)
    people = {"leader": client_for(org.person(Role.LEADER, "a")), "vo": client_for(org.person(Role.VERNEOMBUD, "a"))}
    loaded = {who: Response.objects.get(pk=response.pk).lock_version for who in people}
    expected_remarks = None
    collisions = reported = 0
    for step in range(40):
        who = rng.choice(list(people))
        other = "vo" if who == "leader" else "leader"
        current = Response.objects.get(pk=response.pk)
        text = f"{who} {step}"
        html = post_page(people[who], response, "last", {"remarks": text}, lock=loaded[who]).content.decode()
        stale = loaded[who] != current.lock_version
        after = Response.objects.get(pk=response.pk)
        if stale and current.answers.get("remarks") not in (None, text) and current.answers.get("remarks") != _base_remarks(response, loaded[who]):
            collisions += 1
            assert after.answers.get("remarks") == current.answers.get("remarks"), "overwritten silently"
            if "Noen andre har endret de samme spørsmålene" in html:
                reported += 1
        else:
            expected_remarks = text
            assert after.answers["remarks"] == text
        loaded[who] = after.lock_version
        if rng.random() < 0.3:
            loaded[other] = after.lock_version  # the other editor reloads the page
    assert collisions > 0 and reported == collisions
    assert expected_remarks is not None


def _base_remarks(response: Response, version: int) -> object:
    row = response.history.filter(lock_version=version).order_by("-history_date").first()
    return (row.answers or {}).get("remarks") if row else None


@pytest.mark.django_db(transaction=True)
def test_two_threads_saving_at_once_lose_no_answer(org: Org, response: Response) -> None:
    """Real concurrency (threads, separate connections) on SQLite and PostgreSQL."""
    leader, vo = org.person(Role.LEADER, "a"), org.person(Role.VERNEOMBUD, "a")
    base = response.lock_version
    errors: list[BaseException] = []
    results: dict[str, services.SaveResult] = {}

    def save(who: str, actor: object, answers: dict[str, object]) -> None:
        try:
            close_old_connections()
            results[who] = services.response_save_answers(
                actor=actor, response=response, answers=answers, base_version=base, page="last",
                questions=list(answers),
            )  # fmt: skip
        except BaseException as exc:
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [
        threading.Thread(target=save, args=("leader", leader, {"remarks": "fra leder"})),
        threading.Thread(target=save, args=("vo", vo, {"arenas": ["amu"]})),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors
    response.refresh_from_db()
    assert response.answers["remarks"] == "fra leder" and response.answers["arenas"] == ["amu"]
    assert response.lock_version == base + 2
    assert sum(r.merged for r in results.values()) == 1
