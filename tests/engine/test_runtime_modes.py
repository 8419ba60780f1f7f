"""questionsOnPageMode, start pages and input masks (checked against the reference runner)."""

from __future__ import annotations

from typing import Any

from surveys.engine import SurveyRun, run_case

PAGES: list[dict[str, Any]] = [
    {"name": "p1", "elements": [{"type": "text", "name": "a", "isRequired": True}]},
    {
        "name": "p2",
        "elements": [
            {"type": "boolean", "name": "chem"},
            {
                "type": "panel",
                "name": "pn",
                "elements": [{"type": "text", "name": "b"}, {"type": "text", "name": "b2"}],
            },
        ],
    },
    {
        "name": "p3",
        "visibleIf": "{chem} = true",
        "elements": [{"type": "text", "name": "c", "isRequired": True}],
    },
    {"name": "p4", "elements": [{"type": "text", "name": "d"}]},
]


def test_single_page_mode_uses_one_container_page() -> None:
    out = run_case(
        {
            "survey": {"pages": PAGES, "questionsOnPageMode": "singlePage"},
            "answers": [["chem", True]],
            "actions": [{"do": "complete"}],
        }
    )
    assert out["visiblePages"] == ["single-page"]
    assert out["currentPage"] == "single-page"
    assert out["pageValid"] == {"single-page": False}
    assert sorted(out["actions"][0]["pageErrors"]) == ["a", "c"]


def test_question_per_page_steps_through_top_level_elements() -> None:
    # run_case loads leniently like survey-core (Verne's validator rejects this mode)
    out = run_case(
        {
            "survey": {"pages": PAGES, "questionsOnPageMode": "questionPerPage"},
            "answers": [["a", "x"]],
            "actions": [{"do": "next"}, {"do": "next"}, {"do": "next"}, {"do": "prev"}],
        }
    )
    # a -> chem (p2) -> the panel pn (still p2) -> d (p4); prev goes back to the panel
    assert [a["currentPage"] for a in out["actions"]] == ["p2", "p2", "p4", "p2"]


def test_start_page_state_and_active_page_validation() -> None:
    out = run_case(
        {
            "survey": {"pages": PAGES, "firstPageIsStartPage": True},
            "actions": [{"do": "next"}],
        }
    )
    assert out["state"] == "starting"
    assert out["visiblePages"] == ["p2", "p4"]
    # survey-core validates the active page (the start page) while starting
    assert out["actions"][0]["result"] is False
    assert out["actions"][0]["currentPage"] == "p2"


MASKED = {
    "elements": [
        {
            "type": "text",
            "name": "phone",
            "maskType": "pattern",
            "maskSettings": {"pattern": "999 99 999", "saveMaskedValue": True},
        },
        {"type": "expression", "name": "digits", "expression": "{phone}"},
        {
            "type": "text",
            "name": "orgnr",
            "maskType": "pattern",
            "maskSettings": {"pattern": "999 999 999"},
        },
    ]
}


def test_pattern_mask_with_saved_mask() -> None:
    run = SurveyRun(MASKED)
    run.answer("phone", "12345678")
    assert run.values["phone"] == "123 45 678"
    # expressions see the unmasked value (and, like survey-core, read "12345678" as a number)
    assert run.values["digits"] == 12345678


def test_pattern_mask_without_saved_mask_stores_raw_digits() -> None:
    run = SurveyRun(MASKED)
    run.answer("orgnr", "123 456 789")
    assert run.values["orgnr"] == "123456789"
    run2 = SurveyRun(MASKED)
    run2.set_data({"orgnr": "123 456 789", "phone": "12345678"})
    # loading data converts and writes back, as survey-core does
    assert run2.values["orgnr"] == "123456789"
    assert run2.values["phone"] == "123 45 678"


def test_incomplete_pattern_is_kept_without_error_headless() -> None:
    run = SurveyRun(MASKED)
    run.set_data({"orgnr": "1234"})
    assert run.values["orgnr"] == "1234"
    assert run.validate() == []
