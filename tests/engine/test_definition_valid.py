"""Valid definitions: the rich questionnaire, Creator-style JSON and legacy aliases pass."""

from __future__ import annotations

import json
import statistics
import time
import uuid
from typing import Any

from surveys.engine.definition import (
    ELEMENT_TYPES,
    TRIGGER_TYPES,
    VALIDATOR_TYPES,
    VERNE_PROPERTIES,
    validate_definition,
)
from tests.engine.definition_fixtures.helpers import RICH, rich, survey


def _walk(node: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if isinstance(node, dict):
        out.append(node)
        for value in node.values():
            out.extend(_walk(value))
    elif isinstance(node, list):
        for value in node:
            out.extend(_walk(value))
    return out


def test_rich_questionnaire_has_no_problems() -> None:
    report = validate_definition(rich())
    assert report.ok, str(report)
    assert not report.warnings, str(report)
    assert report.definition == rich()


def test_rich_questionnaire_from_text_and_bytes() -> None:
    text = RICH.read_text("utf-8")
    assert validate_definition(text).ok
    assert validate_definition(text.encode("utf-8")).ok


def test_rich_questionnaire_covers_everything() -> None:
    objects = _walk(rich())
    element_types = {
        o["type"] for o in objects if "name" in o and "type" in o and o["type"] in ELEMENT_TYPES
    }
    assert element_types == set(ELEMENT_TYPES)
    validator_types = {v["type"] for o in objects for v in o.get("validators", [])}
    assert validator_types == set(VALIDATOR_TYPES)
    trigger_types = {t["type"] for t in rich()["triggers"]}
    assert trigger_types == set(TRIGGER_TYPES)
    used = {key for o in objects for key in o if key.startswith("verne")}
    assert used == {p.name for p in VERNE_PROPERTIES}
    rules = [r for o in objects for r in o.get("verneFollowUps", [])]
    assert {k for r in rules for k in r} == {
        "code",
        "when",
        "title",
        "description",
        "ownerRole",
        "due",
        "priority",
        "legalRef",
    }


def test_the_definition_is_returned_unchanged() -> None:
    data = rich()
    report = validate_definition(data)
    assert report.definition is data


CREATOR_JSON: dict[str, Any] = {
    "title": "Arbeidsmiljø 2025",
    "description": "Laget i SurveyJS Creator",
    "logo": "https://example.org/logo.svg",
    "logoPosition": "right",
    "logoFit": "cover",
    "headerView": "advanced",
    "widthMode": "responsive",
    "showQuestionNumbers": "off",
    "questionErrorLocation": "bottom",
    "completeText": {"default": "Send", "nb": "Send inn"},
    "showPrevButton": False,
    "autoFocusFirstQuestion": True,
    "showTOC": False,
    "pages": [
        {
            "name": "page1",
            "title": "Side 1",
            "description": "Om deg",
            "navigationTitle": "Start",
            "elements": [
                {
                    "type": "text",
                    "name": "question1",
                    "title": "E-post",
                    "description": "Jobbadresse",
                    "descriptionLocation": "underInput",
                    "titleLocation": "left",
                    "hideNumber": True,
                    "isRequired": True,
                    "requiredErrorText": "Må fylles ut",
                    "inputType": "email",
                    "autocomplete": "email",
                    "placeholder": "navn@example.org",
                    "width": "50%",
                    "minWidth": "300px",
                    "maxWidth": "600px",
                },
                {
                    "type": "dropdown",
                    "name": "question2",
                    "startWithNewLine": False,
                    "title": "Avdeling",
                    "choices": ["Item 1", "Item 2", "Item 3"],
                    "allowClear": False,
                    "searchEnabled": False,
                    "indent": 1,
                },
                {
                    "type": "radiogroup",
                    "name": "question3",
                    "colCount": 0,
                    "choices": [
                        {"value": "Item 1", "text": "Ja"},
                        {"value": "Item 2", "text": "Nei"},
                    ],
                    "showNoneItem": True,
                    "noneText": "Vet ikke",
                    "separateSpecialChoices": True,
                },
                {
                    "type": "rating",
                    "name": "question4",
                    "rateType": "stars",
                    "rateCount": 10,
                    "rateMax": 10,
                    "displayMode": "buttons",
                    "scaleColorMode": "colored",
                },
                {"type": "boolean", "name": "question5", "renderAs": "checkbox", "swapOrder": True},
                {"type": "html", "name": "question6", "html": "<b>Takk</b>"},
                {
                    "type": "comment",
                    "name": "question7",
                    "rows": 6,
                    "autoGrow": True,
                    "allowResize": False,
                    "maxLength": 500,
                },
            ],
        },
        {
            "name": "page2",
            "elements": [
                {
                    "type": "panel",
                    "name": "panel1",
                    "state": "collapsed",
                    "title": "Detaljer",
                    "innerIndent": 1,
                    "showQuestionNumbers": "off",
                    "elements": [
                        {
                            "type": "slider",
                            "name": "question8",
                            "min": 0,
                            "max": 100,
                            "tooltipVisibility": "always",
                        },
                        {
                            "type": "tagbox",
                            "name": "question9",
                            "choices": ["a", "b"],
                            "hideSelectedItems": True,
                        },
                    ],
                },
                {
                    "type": "paneldynamic",
                    "name": "question10",
                    "displayMode": "tab",
                    "templateTitle": "Tiltak #{panelIndex}",
                    "templateTabTitle": "#{panelIndex}",
                    "panelsState": "expanded",
                    "addPanelText": "Legg til",
                    "templateElements": [{"type": "text", "name": "question11"}],
                },
                {
                    "type": "matrixdynamic",
                    "name": "question12",
                    "columns": [
                        {"name": "Column 1", "cellType": "text"},
                        {"name": "Column 2", "cellType": "checkbox", "choices": [1, 2]},
                    ],
                    "choices": [1, 2, 3, 4, 5],
                    "addRowText": "Ny rad",
                    "allowRowReorder": True,
                    "transposeData": False,
                },
            ],
        },
    ],
}


def test_creator_json_with_ui_properties_is_accepted() -> None:
    report = validate_definition(CREATOR_JSON)
    assert report.ok, str(report)
    assert not report.warnings, str(report)


def test_root_elements_without_pages() -> None:
    report = validate_definition(
        {
            "elements": [
                {"type": "text", "name": "a"},
                {"type": "text", "name": "b", "visibleIf": "{a} = 1"},
            ]
        }
    )
    assert report.ok and not report.warnings, str(report)


LEGACY_JSON: dict[str, Any] = {
    "requiredText": "(*)",
    "firstPageIsStarted": False,
    "showCompletedPage": True,
    "goNextPageAutomatic": False,
    "pages": [
        {
            "name": "p1",
            "questions": [
                {
                    "type": "radiogroup",
                    "name": "r",
                    "choices": ["a", "b"],
                    "hasOther": True,
                    "hasComment": True,
                    "otherPlaceHolder": "Annet",
                },
                {
                    "type": "checkbox",
                    "name": "c",
                    "choices": ["a", "none"],
                    "hasNone": True,
                    "hasSelectAll": True,
                },
                {
                    "type": "matrix",
                    "name": "m",
                    "rows": ["x", "y"],
                    "columns": [1, 2],
                    "isAllRowRequired": True,
                    "rowsOrder": "initial",
                },
                {
                    "type": "rating",
                    "name": "rate",
                    "mininumRateDescription": "Lite",
                    "maximumRateDescription": "Mye",
                },
                {
                    "type": "text",
                    "name": "t",
                    "placeHolder": "Navn",
                    "size": 20,
                    "useDisplayValuesInTitle": False,
                },
                {
                    "type": "dropdown",
                    "name": "d",
                    "choices": ["a"],
                    "optionsCaption": "Velg",
                    "showOptionsCaption": True,
                },
                {
                    "type": "paneldynamic",
                    "name": "pd",
                    "panelAddText": "Legg til",
                    "questions": [
                        {"type": "text", "name": "x"},
                        {"type": "text", "name": "y", "visibleIf": "{panel.x} notempty"},
                    ],
                },
            ],
        }
    ],
}


def test_legacy_aliases_are_accepted_with_a_warning() -> None:
    report = validate_definition(LEGACY_JSON)
    assert report.ok, str(report)
    assert set(report.codes("warning")) == {"legacy_property"}
    by_path = {p.path: p for p in report.warnings}
    assert by_path["pages[0].questions[0].hasOther"].message == (
        "'hasOther' is the old name of 'showOtherItem'; it still works, but write 'showOtherItem'."
    )
    assert "pages[0].questions[2].isAllRowRequired" in by_path
    assert "pages[0].questions" in by_path
    assert "pages[0].questions[6].questions" in by_path


def test_alias_and_new_name_together() -> None:
    report = validate_definition(
        survey(
            {
                "type": "radiogroup",
                "name": "r",
                "choices": ["a"],
                "hasOther": True,
                "showOtherItem": True,
            }
        )
    )
    assert report.ok
    assert report.codes("warning") == ["conflicting_alias"]


def test_known_variables_parameter() -> None:
    definition = survey(
        {"type": "text", "name": "a", "visibleIf": "{unit_name} notempty and {report_year} > 2020"}
    )
    assert len(validate_definition(definition).warnings) == 2
    assert not validate_definition(
        definition, known_variables=("unit_name", "report_year")
    ).warnings


def _fifty_questions(token: str) -> dict[str, Any]:
    elements: list[dict[str, Any]] = []
    for i in range(50):
        kind = ["text", "radiogroup", "checkbox", "boolean", "comment"][i % 5]
        element: dict[str, Any] = {
            "type": kind,
            "name": f"q{i}",
            "title": {"default": f"Q {i}", "nb": f"Spm {i}"},
            "isRequired": True,
        }
        if kind in ("radiogroup", "checkbox"):
            element["choices"] = [
                {"value": "a", "text": {"default": "A", "nb": "A"}},
                {"value": "b", "text": "B"},
                "c",
            ]
        if i:
            element["visibleIf"] = (
                f"{{q{i - 1}}} notempty and {{q0}} != '{token}' or {{q{i // 2}}} = {i}"
            )
        elements.append(element)
    return {
        "pages": [{"name": f"p{j}", "elements": elements[j * 10 : (j + 1) * 10]} for j in range(5)]
    }


def test_fifty_questions_validate_quickly() -> None:
    validate_definition(_fifty_questions("warm-up"))  # schema validators are compiled once
    cold: list[float] = []
    warm: list[float] = []
    for _ in range(5):
        definition = _fifty_questions(uuid.uuid4().hex)  # new expression texts: no parse cache
        start = time.perf_counter()
        assert validate_definition(definition).ok
        cold.append(time.perf_counter() - start)
        start = time.perf_counter()
        validate_definition(definition)
        warm.append(time.perf_counter() - start)
    assert statistics.median(cold) < 0.100, cold  # includes parsing 49 new expressions
    assert statistics.median(warm) < 0.050, warm


def test_report_is_json_serialisable() -> None:
    report = validate_definition(survey({"type": "text", "name": "a", "visibleIf": "{a} = = 1"}))
    data = json.loads(json.dumps(report.to_dict()))
    assert data["errors"][0]["position"] == 6
