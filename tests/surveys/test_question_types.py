"""Every question type the engine runs is rendered as real inputs and answered through the wizard."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from core.models import Role
from surveys import services
from surveys.models import Response
from tests.conftest import Org
from tests.surveys.conftest import client_for, current_step, post_page

ALL_TYPES = {
    "verneKey": "all_types",
    "title": "Alle typer",
    "pages": [
        {"name": "simple", "title": "Enkle", "elements": [
            {"type": "text", "name": "t_text", "title": "Tekst"},
            {"type": "text", "name": "t_number", "title": "Tall", "inputType": "number", "min": 0, "max": 100},
            {"type": "text", "name": "t_date", "title": "Dato", "inputType": "date"},
            {"type": "text", "name": "t_email", "title": "E-post", "inputType": "email"},
            {"type": "comment", "name": "t_comment", "title": "Kommentar"},
            {"type": "boolean", "name": "t_bool", "title": "Ja/nei"},
            {"type": "rating", "name": "t_rating", "title": "Vurdering", "rateMin": 1, "rateMax": 5},
            {"type": "slider", "name": "t_slider", "title": "Skyveknapp", "min": 0, "max": 10},
            {"type": "expression", "name": "t_expr", "title": "Dobbelt", "expression": "{t_number} * 2"},
            {"type": "html", "name": "t_html", "html": "Informasjon"},
        ]},
        {"name": "choices", "title": "Valg", "elements": [
            {"type": "radiogroup", "name": "t_radio", "title": "Radio", "choices": [1, 2, 3], "showOtherItem": True},
            {"type": "checkbox", "name": "t_check", "title": "Avkrysning", "choices": ["a", "b", "c"], "showNoneItem": True},
            {"type": "dropdown", "name": "t_drop", "title": "Nedtrekk", "choices": [{"value": "x", "text": "Iks"}, {"value": "y", "text": "Y"}]},
            {"type": "tagbox", "name": "t_tags", "title": "Merker", "choices": ["p", "q"]},
            {"type": "ranking", "name": "t_rank", "title": "Rangering", "choices": ["r1", "r2", "r3"]},
            {"type": "imagepicker", "name": "t_img", "title": "Bilde", "choices": [{"value": "cat", "imageLink": "/static/cat.png"}, {"value": "dog", "imageLink": "/static/dog.png"}]},
        ]},
        {"name": "grids", "title": "Tabeller", "elements": [
            {"type": "matrix", "name": "t_matrix", "title": "Matrise", "rows": ["row1", "row2"], "columns": [1, 2, 3]},
            {"type": "matrixdropdown", "name": "t_mdrop", "title": "Matrise med celler", "rows": ["r1", "r2"],
             "columns": [{"name": "count", "cellType": "text", "inputType": "number"}, {"name": "ok", "cellType": "boolean"},
                         {"name": "grade", "cellType": "dropdown", "choices": ["lav", "høy"]}]},
            {"type": "matrixdynamic", "name": "t_mdyn", "title": "Dynamisk matrise", "rowCount": 1,
             "columns": [{"name": "what", "cellType": "text"}, {"name": "when", "cellType": "text", "inputType": "date"}]},
            {"type": "multipletext", "name": "t_multi", "title": "Flere felt", "items": [{"name": "first"}, {"name": "last"}]},
            {"type": "paneldynamic", "name": "t_panels", "title": "Tiltak", "panelCount": 1,
             "templateElements": [{"type": "text", "name": "measure", "title": "Tiltak"},
                                  {"type": "radiogroup", "name": "prio", "title": "Prioritet", "choices": ["lav", "høy"]}]},
        ]},
    ],
}  # fmt: skip


@pytest.fixture
def any_response(org: Org) -> Response:
    version = services.questionnaire_import(actor=None, raw=ALL_TYPES)
    admin = org.person(Role.HMS_ADMIN)
    today = dt.date.today()
    campaign = services.campaign_create(actor=admin, version=version, title="Typer", year=today.year, mode="joint",
                                        opens_on=today, closes_on=today + dt.timedelta(days=5), units=[org.a])  # fmt: skip
    services.campaign_open(actor=admin, campaign=campaign)
    return Response.objects.get(campaign=campaign)


def names_on(html: str) -> set[str]:
    return set(re.findall(r'name="([^"]+)"', html))


def test_every_type_is_rendered_as_real_inputs_not_json(org: Org, any_response: Response) -> None:
    client = client_for(org.person(Role.LEADER, "a"))
    html = client.get(f"/besvarelser/{any_response.pk}/svar/").content.decode()
    assert "<textarea" in html and 'type="date"' in html and 'type="email"' in html
    assert 'inputmode="decimal"' in html
    assert {"simple-t_text", "simple-t_number", "simple-t_bool", "simple-t_rating", "simple-t_slider"} <= names_on(html)
    assert '<output data-expression="t_expr"' in html
    html = client.get(f"/besvarelser/{any_response.pk}/svar/?side=grids").content.decode()
    names = names_on(html)
    assert {"grids-t_matrix__r0", "grids-t_mdrop__r1__grade", "grids-t_mdyn__r0__what", "grids-t_multi__first",
            "grids-t_panels__p0__measure"} <= names  # fmt: skip
    assert "<fieldset" in html and "<legend" in html
    assert 'name="wizard_add" value="t_mdyn"' in html and 'name="wizard_add" value="t_panels"' in html
    assert "{" not in re.sub(r"<script.*?</script>|<style.*?</style>", "", html, flags=re.S).split("<main")[1].split("</main>")[0].replace("{%", "")


def test_every_type_is_answered_and_stored_as_survey_core_stores_it(org: Org, any_response: Response) -> None:
    r = any_response
    client = client_for(org.person(Role.LEADER, "a"))
    post_page(client, r, "simple", {"t_text": "hei", "t_number": "42", "t_date": "2026-03-01", "t_email": "a@b.no",
                                     "t_comment": "linje 1\nlinje 2", "t_bool": "false", "t_rating": "4", "t_slider": "7"})  # fmt: skip
    post_page(client, r, "choices", {"t_radio": "other", "t_radio-Comment": "noe annet", "t_check": ["a", "none"],
                                      "t_drop": "y", "t_tags": ["p", "q"], "t_rank__k0": "3", "t_rank__k1": "1",
                                      "t_rank__k2": "2", "t_img": "dog"})  # fmt: skip
    post_page(client, r, "grids", {"t_matrix__r0": "2", "t_matrix__r1": "3", "t_mdrop__r0__count": "5",
                                    "t_mdrop__r0__ok": "true", "t_mdrop__r1__grade": "høy", "t_mdyn__r0__what": "Rydde",
                                    "t_mdyn__r0__when": "2026-04-01", "t_multi__first": "Kari", "t_multi__last": "Nordmann",
                                    "t_panels__p0__measure": "Nytt verktøy", "t_panels__p0__prio": "høy"})  # fmt: skip
    r.refresh_from_db()
    a = r.answers
    assert a["t_text"] == "hei" and a["t_number"] == 42 and a["t_date"] == "2026-03-01"
    assert a["t_bool"] is False and a["t_rating"] == 4 and a["t_expr"] == 84
    assert a["t_comment"] == "linje 1\nlinje 2"
    assert a["t_radio"] == "other" and a["t_radio-Comment"] == "noe annet"
    assert a["t_check"] == ["none"]  # "none" is exclusive, as survey-core makes it
    assert a["t_drop"] == "y" and a["t_tags"] == ["p", "q"] and a["t_img"] == "dog"
    assert a["t_rank"] == ["r2", "r3", "r1"]
    assert a["t_matrix"] == {"row1": 2, "row2": 3}
    assert a["t_mdrop"] == {"r1": {"count": 5, "ok": True}, "r2": {"grade": "høy"}}
    assert a["t_mdyn"] == [{"what": "Rydde", "when": "2026-04-01"}]
    assert a["t_multi"] == {"first": "Kari", "last": "Nordmann"}
    assert a["t_panels"] == [{"measure": "Nytt verktøy", "prio": "høy"}]


def test_rows_and_panels_are_added_and_removed_without_javascript(org: Org, any_response: Response) -> None:
    r = any_response
    client = client_for(org.person(Role.LEADER, "a"))
    html = post_page(client, r, "grids", {"t_mdyn__r0__what": "Første"}, wizard_add="t_mdyn").content.decode()
    assert current_step(html) == "grids" and 'name="grids-t_mdyn__r1__what"' in html
    html = post_page(client, r, "grids", {"t_mdyn__r0__what": "Første", "t_mdyn__r1__what": "Andre"},
                     wizard_add="t_panels").content.decode()  # fmt: skip
    assert 'name="grids-t_panels__p1__measure"' in html
    r.refresh_from_db()
    assert [row.get("what") for row in r.answers["t_mdyn"]] == ["Første", "Andre"]
    post_page(client, r, "grids", {"t_mdyn__r0__what": "Første", "t_mdyn__r1__what": "Andre"}, wizard_remove="t_mdyn:0")
    r.refresh_from_db()
    assert [row.get("what") for row in r.answers["t_mdyn"]] == ["Andre"]


def test_a_number_out_of_range_gets_the_engines_message(org: Org, any_response: Response) -> None:
    client = client_for(org.person(Role.LEADER, "a"))
    html = post_page(client, any_response, "simple", {"t_number": "500"}).content.decode()
    assert current_step(html) == "simple" and "ds-error-summary" in html
    assert "100" in re.search(r'id="q-t_number-error">([^<]+)<', html).group(1)


NESTED = {
    "verneKey": "nested",
    "pages": [{"name": "p", "elements": [
        {"type": "paneldynamic", "name": "outer", "panelCount": 1, "templateElements": [
            {"type": "text", "name": "title"},
            {"type": "paneldynamic", "name": "inner", "panelCount": 1,
             "templateElements": [{"type": "text", "name": "x"}, {"type": "radiogroup", "name": "y", "choices": [1, 2]}]},
        ]},
    ]}],
}  # fmt: skip


def test_a_nested_dynamic_panel_keeps_its_shape_through_the_form(db: None) -> None:
    from surveys.engine_api import Session
    from surveys.wizard_forms import build_page_form, initial_for

    version = services.questionnaire_import(actor=None, raw=NESTED)
    answers = {"outer": [{"title": "A", "inner": [{"x": "a", "y": 2}]}]}
    session = Session(version, answers)
    form_class = build_page_form(session.page("p"))
    initial = initial_for(form_class, answers)
    assert initial["outer__p0__inner__p0__x"] == "a" and initial["outer__p0__inner__p0__y"] == "2"
    form = form_class(data={f"p-{k}": v for k, v in initial.items()}, prefix="p")
    assert form.is_valid(), form.errors
    assert form.page_values()["outer"] == answers["outer"]
