from __future__ import annotations

import csv
import io

from core.models import Role
from surveys import services
from surveys.models import Response
from tests.conftest import Org
from tests.surveys.conftest import client_for, post_page


def fill(org: Org, response: Response) -> None:
    leader, vo = client_for(org.person(Role.LEADER, "a")), client_for(org.person(Role.VERNEOMBUD, "a"))
    post_page(leader, response, "intro", {"answered_jointly": "true"})
    post_page(leader, response, "meetings", {"leader_vo_meetings": "2"})
    post_page(vo, response, "meetings", {"leader_vo_meetings": "3"})
    post_page(vo, response, "last", {"arenas": ["staff", "amu"], "remarks": "=HYPERLINK(\"x\")"})


def test_the_timeline_shows_who_changed_which_question_from_what_to_what(org: Org, response: Response) -> None:
    fill(org, response)
    services.response_sign(actor=org.person(Role.LEADER, "a"), response=response, capacity="leader")
    html = client_for(org.person(Role.LEADER, "a")).get(f"/besvarelser/{response.pk}/logg/").content.decode()
    assert "Antall møter" in html  # the question's title, not only its name
    assert "Verneombud A" in html and "Leder A" in html
    assert "Personalmøter, AMU" in html  # choice texts, not values
    assert "Signerte som Leder" in html


def test_the_timeline_filters_by_person_and_question(org: Org, response: Response) -> None:
    fill(org, response)
    vo = org.person(Role.VERNEOMBUD, "a")
    client = client_for(org.person(Role.LEADER, "a"))
    html = client.get(f"/besvarelser/{response.pk}/logg/?person={vo.pk}").content.decode()
    assert "Verneombud A" in html and "<td>Leder A</td>" not in html
    html = client.get(f"/besvarelser/{response.pk}/logg/?question=leader_vo_meetings").content.decode()
    assert html.count("Antall møter</td>") == 2 and "Merknader" not in html.split("<tbody>")[1]


def test_the_timeline_exports_as_csv_with_formulas_neutralised(org: Org, response: Response) -> None:
    fill(org, response)
    r = client_for(org.person(Role.LEADER, "a")).get(f"/besvarelser/{response.pk}/logg/?format=csv")
    rows = list(csv.reader(io.StringIO(r.content.decode())))
    assert rows[0][:4] == ["time", "person", "event", "question"]
    olds_news = [row for row in rows if row[3] == "leader_vo_meetings"]
    assert [(r[5], r[6]) for r in olds_news] == [("", "2"), ("2", "3")]
    remark = next(row for row in rows if row[3] == "remarks")
    assert remark[6].startswith("'=HYPERLINK")


def test_the_page_queries_do_not_grow_with_questions_or_history(org: Org, response: Response, django_assert_max_num_queries) -> None:
    client = client_for(org.person(Role.LEADER, "a"))
    client.get(f"/besvarelser/{response.pk}/svar/")
    with django_assert_max_num_queries(25) as small:
        client.get(f"/besvarelser/{response.pk}/svar/")
    for i in range(15):  # many history rows
        post_page(client, response, "last", {"remarks": f"versjon {i}"})
    with django_assert_max_num_queries(25) as after_history:
        client.get(f"/besvarelser/{response.pk}/svar/?side=last")
    with django_assert_max_num_queries(40) as post:
        post_page(client, response, "last", {"remarks": "en til"})
    assert len(after_history.captured_queries) <= len(small.captured_queries) + 1
    assert len(post.captured_queries) <= 40
