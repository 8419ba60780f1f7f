"""Behavioural tests of the runtime's public API (what the Django wizard uses).

The expected values were checked against the reference runner (survey-core 3.1.1); the parity
corpus (test_parity.py) covers the semantics in depth, these tests pin the API surface.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from surveys import engine
from surveys.engine import (
    DefinitionError,
    Error,
    PanelInfo,
    QuestionState,
    SurveyRun,
    evaluate,
    load_survey,
    text,
)
from surveys.engine.loader import cache_info, clear_cache, load_survey_lenient

SURVEY: dict[str, Any] = {
    "pages": [
        {
            "name": "p1",
            "elements": [
                {
                    "type": "text",
                    "name": "name",
                    "title": {"default": "Navn", "en": "Name"},
                    "isRequired": True,
                },
                {"type": "text", "name": "employees", "inputType": "number", "min": 1, "max": 500},
                {
                    "type": "radiogroup",
                    "name": "has_chem",
                    "title": {"default": "Kjemikalier?", "en": "Chemicals?"},
                    "choices": [
                        {"value": "yes", "text": {"default": "Ja", "en": "Yes"}},
                        {"value": "no", "text": {"default": "Nei", "en": "No"}},
                    ],
                },
            ],
        },
        {
            "name": "p2",
            "visibleIf": "{has_chem} = 'yes'",
            "elements": [
                {
                    "type": "checkbox",
                    "name": "chems",
                    "isRequired": True,
                    "choices": ["acid", "lye", "solvent"],
                    "showNoneItem": True,
                },
                {"type": "comment", "name": "chem_note", "enableIf": "{chems} notempty"},
            ],
        },
        {
            "name": "p3",
            "elements": [
                {
                    "type": "expression",
                    "name": "per_100",
                    "expression": "{employees} / 100",
                    "precision": 1,
                },
                {"type": "boolean", "name": "done", "requiredIf": "{employees} > 10"},
            ],
        },
    ]
}


# ------------------------------------------------------------------ loading and caching
def test_load_survey_accepts_text_bytes_and_dict_and_caches_by_content() -> None:
    clear_cache()
    a = load_survey(SURVEY)
    b = load_survey(json.dumps(SURVEY, indent=2))
    c = load_survey(json.dumps(SURVEY).encode())
    assert a is b is c
    assert cache_info()["size"] == 1
    # key order does not matter: the key is the SHA-256 of the canonical JSON
    reordered = json.loads(json.dumps(SURVEY), object_pairs_hook=lambda kv: dict(reversed(kv)))
    assert load_survey(reordered) is a


def test_definition_error_has_paths_and_codes() -> None:
    bad = {
        "pages": [
            {"name": "p1", "elements": [{"type": "text", "name": "a", "visibleIf": "{a} = "}]}
        ]
    }
    with pytest.raises(DefinitionError) as info:
        load_survey(bad)
    err = info.value
    assert err.errors, err
    first = err.errors[0]
    assert first["path"] == "pages[0].elements[0].visibleIf"
    assert first["code"] == "expression_syntax"
    assert "visibleIf" in str(err)


def test_definition_error_for_malformed_json() -> None:
    with pytest.raises(DefinitionError) as info:
        load_survey('{"pages": [')
    assert info.value.errors[0]["code"] == "invalid_json"


def test_lenient_loading_reports_problems_but_builds_the_model() -> None:
    # survey-core never rejects a definition: the runner/CLI path loads leniently
    model, problems = load_survey_lenient(
        {"elements": [{"type": "text", "name": "a", "visibleIf": "{a} ="}]}
    )
    assert [q.name for q in model.questions] == ["a"]
    assert any(p["code"] == "expression_syntax" for p in problems)


def test_lazy_public_exports() -> None:
    for name in engine.__all__:
        assert getattr(engine, name) is not None
    with pytest.raises(AttributeError):
        engine.does_not_exist  # noqa: B018


# ------------------------------------------------------------------ answering
def test_answer_converts_like_question_value() -> None:
    run = SurveyRun(SURVEY)
    run.answer("employees", "15")
    # the expression question writes its result into the data too
    assert run.values == {"employees": 15, "per_100": 0.1}
    run.answer("employees", "abc")  # not a number: removed
    assert "employees" not in run.values
    run.answer("employees", "900")  # out of range: kept on the question, not in the data
    assert "employees" not in run.values
    assert run.question_state("employees").value == 900


def test_set_data_stores_as_given_without_conversion() -> None:
    run = SurveyRun(SURVEY)
    run.set_data({"employees": "15", "unknown": 1})
    assert run.values["employees"] == "15"
    assert run.values["unknown"] == 1


def test_none_item_is_exclusive_and_expression_precision() -> None:
    run = SurveyRun(SURVEY)
    run.answers(
        [("has_chem", "yes"), ("chems", ["acid", "lye"]), ("chems", ["acid", "lye", "none"])]
    )
    assert run.values["chems"] == ["none"]
    run.answer("employees", 37)
    assert run.values["per_100"] == 0.4
    assert run.result(validate=False).expressions["per_100"] == 0.4


def test_visibility_enable_required_follow_answers() -> None:
    run = SurveyRun(SURVEY)
    assert run.visible_pages() == ["p1", "p3"]
    run.answer("has_chem", "yes")
    assert run.visible_pages() == ["p1", "p2", "p3"]
    assert run.question_state("chem_note").enabled is False
    run.answer("chems", ["acid"])
    assert run.question_state("chem_note").enabled is True
    assert run.question_state("done").required is False
    run.answer("employees", 11)
    assert run.question_state("done").required is True


# ------------------------------------------------------------------ structure for the wizard
def test_question_state_is_localised_and_typed() -> None:
    # survey-core treats "en" as its default locale: "default" wins over "en"
    assert SurveyRun(SURVEY, locale="en").question_state("has_chem").title == "Kjemikalier?"
    # Verne keeps Norwegian in "default": with messages="verne" the "en" text is used
    run = SurveyRun(SURVEY, locale="en", messages="verne")
    st = run.question_state("has_chem")
    assert isinstance(st, QuestionState)
    assert (st.type, st.title) == ("radiogroup", "Chemicals?")
    assert [(c.value, c.text) for c in st.choices] == [("yes", "Yes"), ("no", "No")]
    nb = SurveyRun(SURVEY, locale="nb").question_state("has_chem")
    assert nb.title == "Kjemikalier?"
    emp = run.question_state("employees")
    assert (emp.input_type, emp.min, emp.max) == ("number", 1, 500)
    chems = run.question_state("chems")
    assert chems.multiple and chems.has_none and not chems.shown


def test_page_elements_and_pages() -> None:
    run = SurveyRun(SURVEY)
    names = [el.name for el in run.page_elements("p1")]
    assert names == ["name", "employees", "has_chem"]
    pages = run.pages()
    assert [(p.name, p.visible) for p in pages] == [("p1", True), ("p2", False), ("p3", True)]
    assert [q.name for q in pages[2].questions()] == ["per_100", "done"]
    assert not any(isinstance(el, PanelInfo) for el in run.page_elements())


def test_text_helper_fallbacks() -> None:
    loc = {"default": "Standard", "nb": "Bokmål", "en": "English"}
    assert text(loc, "nn") == "Bokmål"  # Verne: nn -> nb -> default
    assert text(loc, "en") == "English"
    assert text(loc, "de") == "Standard"
    assert text("plain", "en") == "plain"
    assert SurveyRun(SURVEY, locale="nn").text(loc) == "Bokmål"


# ------------------------------------------------------------------ navigation
def test_navigation_validates_and_skips_invisible_pages() -> None:
    run = SurveyRun(SURVEY)
    assert run.current_page == "p1" and run.is_first_page() and not run.is_last_page()
    assert run.next() is False  # "name" is required
    run.answer("name", "Verksted")
    assert run.next() is True
    assert run.current_page == "p3"  # p2 is invisible
    assert run.is_last_page()
    assert run.prev() is True and run.current_page == "p1"
    assert run.go_to_page("p2") is False  # not visible
    assert run.go_to_page("p3") is True
    assert run.complete() is True
    assert run.state == "completed"


def test_complete_works_from_any_page_like_survey_core() -> None:
    run = SurveyRun(SURVEY)
    run.answer("name", "x")
    assert run.current_page == "p1" and not run.is_last_page()
    assert run.complete() is True


def test_clear_invisible_values_on_complete() -> None:
    run = SurveyRun(SURVEY)
    run.answers([("name", "x"), ("has_chem", "yes"), ("chems", ["acid"]), ("has_chem", "no")])
    assert run.values["chems"] == ["acid"]  # kept while running (clearInvisibleValues: onComplete)
    run.do_complete()
    assert "chems" not in run.values


def test_start_page() -> None:
    survey = dict(SURVEY, firstPageIsStartPage=True)
    run = SurveyRun(survey)
    assert run.state == "starting"
    assert run.visible_pages() == ["p3"]
    assert run.start() is False  # the start page has a required question
    run.answer("name", "x")
    assert run.start() is True
    assert run.state == "running" and run.current_page == "p3"


# ------------------------------------------------------------------ validation and messages
REQ = {
    "elements": [
        {"type": "text", "name": "a", "isRequired": True},
        {"type": "text", "name": "e", "inputType": "email"},
    ]
}


@pytest.mark.parametrize(
    ("locale", "messages", "required", "email"),
    [
        ("en", "survey-core", "Response required.", "Please enter a valid e-mail address."),
        (
            "no",
            "survey-core",
            "Vennligst svar på spørsmålet.",
            "Vennligst skriv inn en gyldig e-post adresse.",
        ),
        # survey-core has no "nb": it shows English, and the parity corpus expects that
        ("nb", "survey-core", "Response required.", "Please enter a valid e-mail address."),
        ("nb", "verne", "Du må svare på dette spørsmålet.", "Skriv inn en gyldig e-postadresse."),
        ("nn", "verne", "Du må svare på dette spørsmålet.", "Skriv inn ei gyldig e-postadresse."),
    ],
)
def test_validation_messages(locale: str, messages: Any, required: str, email: str) -> None:
    run = SurveyRun(REQ, locale=locale, messages=messages)
    run.answer("e", "nope")
    errors = run.validate_page()
    assert [(e.key, e.type, e.text) for e in errors] == [
        ("a", "required", required),
        ("e", "custom", email),
    ]
    assert all(isinstance(e, Error) and e.blocking for e in errors)


def test_required_semantics() -> None:
    survey = {
        "elements": [
            {"type": "text", "name": "t", "isRequired": True},
            {"type": "boolean", "name": "b", "isRequired": True},
            {"type": "text", "name": "n", "inputType": "number", "isRequired": True},
            {"type": "text", "name": "hidden", "isRequired": True, "visible": False},
            {"type": "text", "name": "ro", "isRequired": True, "readOnly": True},
        ]
    }
    run = SurveyRun(survey)
    run.answers([("t", "   "), ("b", False), ("n", 0)])
    assert [e.key for e in run.validate()] == ["t"]  # whitespace fails; false and 0 pass


def test_warning_validators_do_not_block() -> None:
    survey = {
        "elements": [
            {
                "type": "text",
                "name": "n",
                "inputType": "number",
                "validators": [
                    {
                        "type": "numeric",
                        "maxValue": 5,
                        "notificationType": "warning",
                        "text": "Høyt",
                    }
                ],
            }
        ]
    }
    run = SurveyRun(survey)
    run.answer("n", 9)
    errors = run.validate()
    assert [(e.key, e.text, e.notification, e.blocking) for e in errors] == [
        ("n", "Høyt", "warning", False)
    ]
    assert run.next() is False or run.is_last_page()  # single page: next() is False
    assert run.complete() is True


def test_error_keys_inside_containers() -> None:
    survey = {
        "elements": [
            {
                "type": "paneldynamic",
                "name": "pd",
                "panelCount": 2,
                "templateElements": [{"type": "text", "name": "x", "isRequired": True}],
            },
            {"type": "multipletext", "name": "mt", "items": [{"name": "i1", "isRequired": True}]},
        ]
    }
    run = SurveyRun(survey)
    run.answer("pd", [{"x": "ok"}, {}])
    keys = [e.key for e in run.validate()]
    assert keys == ["pd[1].x", "mt.i1"]
    assert Error("pd[1].x", "required", "").question == "pd"


# ------------------------------------------------------------------ evaluate / Result
def test_evaluate_convenience() -> None:
    res = evaluate(SURVEY, {"name": "x", "employees": 20}, answers={"has_chem": "yes"}, locale="en")
    assert res.visible_pages == ["p1", "p2", "p3"]
    assert res.values["per_100"] == 0.2
    assert [e.key for e in res.errors] == ["chems", "done"]
    assert res.page_valid == {"p1": True, "p2": False, "p3": False}
    assert not res.valid


def test_variables_and_now() -> None:
    survey = {
        "elements": [
            {"type": "expression", "name": "unit", "expression": "{unit_name}"},
            {"type": "expression", "name": "year", "expression": "getYear(today())"},
        ]
    }
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    res = evaluate(survey, variables={"unit_name": "Lager"}, now=now)
    assert res.expressions == {"unit": "Lager", "year": 2026}
    assert res.variables == {"unit_name": "Lager"}


def test_calculated_values_include_into_result() -> None:
    survey = {
        "elements": [{"type": "text", "name": "a", "inputType": "number"}],
        "calculatedValues": [
            {"name": "double", "expression": "{a} * 2", "includeIntoResult": True},
            {"name": "hidden", "expression": "{a} + 1"},
        ],
    }
    run = SurveyRun(survey)
    run.answer("a", 4)
    assert run.values == {"a": 4, "double": 8}
    assert run.calculated_values() == {"double": 8, "hidden": 5}


def test_runs_are_independent() -> None:
    model = load_survey(SURVEY)
    r1, r2 = SurveyRun(model), SurveyRun(model)
    r1.answer("name", "one")
    assert "name" not in r2.values


def test_posted_containers_are_typed_like_a_browser_would() -> None:
    survey = {
        "elements": [
            {
                "type": "matrixdropdown",
                "name": "md",
                "rows": ["r1"],
                "columns": [
                    {"name": "count", "cellType": "text", "inputType": "number"},
                    {"name": "grade", "cellType": "dropdown", "choices": [1, 2]},
                ],
            },
            {
                "type": "paneldynamic",
                "name": "pd",
                "templateElements": [{"type": "text", "name": "n", "inputType": "number"}],
            },
        ]
    }
    run = SurveyRun(survey)
    run.question_state("md")  # the rows exist already, as on a rendered page
    run.answer("md", {"r1": {"count": "5", "grade": "2"}})
    run.answer("pd", [{"n": "7"}])
    assert run.values == {"md": {"r1": {"count": 5, "grade": 2}}, "pd": [{"n": 7}]}
