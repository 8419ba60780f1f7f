"""Malformed definitions: each must give the exact JSON path, a stable code and a helpful message."""

from __future__ import annotations

from typing import Any

import pytest

from surveys.engine.definition import validate_definition
from tests.engine.definition_fixtures.helpers import error_at, survey, warning_at

TEXT = {"type": "text", "name": "a"}

# --------------------------------------------------------------------------------------------
# Input that is not a questionnaire at all


def test_bad_json_text_names_line_and_column() -> None:
    report = validate_definition('{\n  "pages": [\n    {"name": "p1",}\n  ]\n}')
    assert not report.ok and report.definition is None
    [problem] = report.errors
    assert problem.path == "$"
    assert problem.code == "invalid_json"
    assert "line 3, column 18" in problem.message
    assert "linje 3, kolonne 18" in problem.message_nb
    assert problem.position == 32


def test_bad_json_bytes() -> None:
    problem = error_at(b'{"pages": [}', "$", "invalid_json")
    assert "line 1, column 12" in problem.message
    assert "forventet en verdi" in problem.message_nb


def test_bytes_that_are_not_utf8() -> None:
    problem = error_at(b'{"title": "\xff"}', "$", "invalid_json")
    assert "UTF-8" in problem.message


def test_utf8_bytes_with_bom_are_fine() -> None:
    report = validate_definition(
        '\ufeff{"pages": [{"name": "p", "elements": [{"type": "text", "name": "a"}]}]}'.encode()
    )
    assert report.ok, str(report)


def test_empty_text() -> None:
    assert error_at("", "$", "invalid_json").message.startswith(
        "The questionnaire is not valid JSON"
    )


def test_nan_is_not_json() -> None:
    problem = error_at('{"pages": [], "x": NaN}', "$", "invalid_json")
    assert "NaN" in problem.message


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("[1, 2]", "a list"),
        ('"hello"', "a text"),
        ("42", "a single value"),
        ("null", "a single value"),
    ],
)
def test_root_must_be_an_object(raw: str, kind: str) -> None:
    problem = error_at(raw, "$", "not_an_object")
    assert (
        problem.message
        == f'A questionnaire must be a JSON object such as {{"pages": [...]}}, not {kind}.'
    )


def test_root_object_given_as_python_list() -> None:
    error_at([TEXT], "$", "not_an_object")  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# Structure: types, enums, required properties (from the curated JSON Schema)

STRUCTURE_CASES: list[tuple[str, dict[str, Any], str, str, str]] = [
    (
        "pages-not-a-list",
        {"pages": {"name": "p1"}},
        "pages",
        "wrong_type",
        "'pages' must be a list (got an object).",
    ),
    (
        "visibleif-number",
        survey({**TEXT, "visibleIf": 123}),
        "pages[0].elements[0].visibleIf",
        "wrong_type",
        "'visibleIf' must be an expression written as text, such as \"{q1} = 'yes'\" (got the number 123).",
    ),
    (
        "isrequired-string",
        survey({**TEXT, "isRequired": "yes"}),
        "pages[0].elements[0].isRequired",
        "wrong_type",
        "'isRequired' must be true or false (got 'yes').",
    ),
    (
        "missing-name",
        survey({"type": "text", "title": "No name"}),
        "pages[0].elements[0]",
        "missing_property",
        "Item 0 of 'elements' is missing 'name'. Every question needs a unique 'name'",
    ),
    (
        "empty-name",
        survey({"type": "text", "name": ""}),
        "pages[0].elements[0].name",
        "empty_value",
        "'name' must not be empty.",
    ),
    (
        "missing-type",
        survey({"name": "a"}),
        "pages[0].elements[0]",
        "missing_property",
        "is missing 'type'. Every element needs a 'type' such as 'text' or 'radiogroup'.",
    ),
    (
        "unknown-type",
        survey({"type": "radio", "name": "a", "choices": ["x"]}),
        "pages[0].elements[0].type",
        "unknown_type",
        "'type' must be a question type Verne supports: text, comment, radiogroup, checkbox,",
    ),
    (
        "unknown-type-suggestion",
        survey({"type": "radio", "name": "a", "choices": ["x"]}),
        "pages[0].elements[0].type",
        "unknown_type",
        "(got 'radio'). Did you mean 'radiogroup'?",
    ),
    (
        "unknown-type-in-nested-panel",
        survey(
            {
                "type": "panel",
                "name": "outer",
                "elements": [
                    TEXT,
                    {
                        "type": "panel",
                        "name": "inner",
                        "elements": [{"type": "ratings", "name": "r"}],
                    },
                ],
            }
        ),
        "pages[0].elements[0].elements[1].elements[0].type",
        "unknown_type",
        "(got 'ratings'). Did you mean 'rating'?",
    ),
    (
        "unknown-type-in-paneldynamic-template",
        survey(
            {
                "type": "paneldynamic",
                "name": "pd",
                "templateElements": [{"type": "textbox", "name": "x"}],
            }
        ),
        "pages[0].elements[0].templateElements[0].type",
        "unknown_type",
        "(got 'textbox'). Did you mean 'text'?",
    ),
    (
        "custom-component",
        survey({"type": "my-address", "name": "adr"}),
        "pages[0].elements[0].type",
        "unknown_type",
        "Custom components are not supported.",
    ),
    (
        "unknown-column-celltype",
        survey(
            {
                "type": "matrixdynamic",
                "name": "m",
                "columns": [{"name": "c1"}, {"name": "c2", "cellType": "signature"}],
            }
        ),
        "pages[0].elements[0].columns[1].cellType",
        "unknown_type",
        "'cellType' must be one of default, dropdown, checkbox, radiogroup, tagbox, text, comment, boolean, expression, rating or slider (got 'signature').",
    ),
    (
        "unknown-matrix-celltype",
        survey(
            {
                "type": "matrixdropdown",
                "name": "m",
                "cellType": "number",
                "columns": [{"name": "c"}],
                "rows": ["r"],
            }
        ),
        "pages[0].elements[0].cellType",
        "unknown_type",
        "(got 'number')",
    ),
    (
        "signaturepad",
        survey({"type": "signaturepad", "name": "sign"}),
        "pages[0].elements[0].type",
        "unsupported_type",
        "Verne does not support the question type 'signaturepad'. Verne collects signatures in its own sign-off step",
    ),
    (
        "buttongroup",
        survey({"type": "buttongroup", "name": "b", "choices": ["a"]}),
        "pages[0].elements[0].type",
        "unsupported_type",
        "use 'radiogroup' instead",
    ),
    (
        "choices-by-url",
        survey(
            {"type": "dropdown", "name": "d", "choicesByUrl": {"url": "https://example.org/units"}}
        ),
        "pages[0].elements[0].choicesByUrl",
        "unsupported_feature",
        "Verne does not load choices from a web service on the server; list the choices in 'choices' instead.",
    ),
    (
        "file-store-data-as-text",
        survey({"type": "file", "name": "f", "storeDataAsText": True}),
        "pages[0].elements[0].storeDataAsText",
        "unsupported_feature",
        "Verne stores uploaded files as files, never as data URLs inside the answers",
    ),
    (
        "question-per-page",
        survey(TEXT, questionsOnPageMode="questionPerPage"),
        "questionsOnPageMode",
        "unsupported_feature",
        "'questionsOnPageMode' must be 'standard' or 'singlePage' (got 'questionPerPage')",
    ),
    (
        "bindings",
        survey({"type": "paneldynamic", "name": "pd", "bindings": {"panelCount": "n"}}),
        "pages[0].elements[0].bindings",
        "unsupported_feature",
        "Verne does not run 'bindings' between questions",
    ),
    (
        "choice-with-nested-elements",
        survey(
            {"type": "radiogroup", "name": "r", "choices": [{"value": "a", "elements": [TEXT]}]}
        ),
        "pages[0].elements[0].choices[0].elements",
        "unsupported_feature",
        "Questions nested inside a choice are not supported by Verne",
    ),
    (
        "lazy-loaded-choices",
        survey({"type": "dropdown", "name": "d", "choices": ["a"], "choicesLazyLoadEnabled": True}),
        "pages[0].elements[0].choicesLazyLoadEnabled",
        "unsupported_feature",
        "Verne does not load choices lazily",
    ),
    (
        "validator-type",
        survey({**TEXT, "validators": [{"type": "numbers", "minValue": 1}]}),
        "pages[0].elements[0].validators[0].type",
        "unknown_type",
        "'type' must be a validator type Verne supports: numeric, text, regex, email, expression, answercount (got 'numbers'). Did you mean 'numeric'?",
    ),
    (
        "regex-validator-without-regex",
        survey({**TEXT, "validators": [{"type": "regex", "text": "Digits only"}]}),
        "pages[0].elements[0].validators[0]",
        "missing_property",
        "Item 0 of 'validators' is missing 'regex'.",
    ),
    (
        "validator-in-matrix-column",
        survey(
            {
                "type": "matrixdynamic",
                "name": "m",
                "columns": [
                    {
                        "name": "c",
                        "cellType": "text",
                        "validators": [{"type": "numeric", "minValue": "zero"}],
                    }
                ],
            }
        ),
        "pages[0].elements[0].columns[0].validators[0].minValue",
        "wrong_type",
        "'minValue' must be a number (got 'zero').",
    ),
    (
        "trigger-type-case",
        survey(
            TEXT,
            triggers=[
                {"type": "setValue", "expression": "{a} = 1", "setToName": "a", "setValue": 2}
            ],
        ),
        "triggers[0].type",
        "unknown_type",
        "(got 'setValue'). Did you mean 'setvalue'?",
    ),
    (
        "setvalue-without-target",
        survey(TEXT, triggers=[{"type": "setvalue", "expression": "{a} = 1", "setValue": 2}]),
        "triggers[0]",
        "missing_property",
        "Item 0 of 'triggers' is missing 'setToName'.",
    ),
    (
        "legacy-trigger",
        survey(
            TEXT, triggers=[{"type": "complete", "name": "a", "operator": "equal", "value": "stop"}]
        ),
        "triggers[0]",
        "legacy_trigger",
        "write the condition as 'expression' such as \"expression\": \"{a} = 'stop'\".",
    ),
    (
        "localized-text-with-number",
        survey({**TEXT, "title": {"default": "Unit", "nb": 1}}),
        "pages[0].elements[0].title.nb",
        "wrong_type",
        "'nb' must be a text (got the number 1).",
    ),
    (
        "localized-text-bad-language",
        survey({**TEXT, "title": {"default": "Unit", "Norsk": "Enhet"}}),
        "pages[0].elements[0].title",
        "invalid_language",
        "has the language key 'Norsk'; use 'default' or a language code such as 'nb', 'nn' or 'en'.",
    ),
    (
        "localized-text-as-list",
        survey({**TEXT, "title": ["Unit"]}),
        "pages[0].elements[0].title",
        "wrong_type",
        '\'title\' must be a text, or an object with one text per language such as {"default": "…", "nb": "…"} (got a list).',
    ),
    (
        "choice-object-without-value",
        survey({"type": "checkbox", "name": "c", "choices": ["a", {"text": "B"}]}),
        "pages[0].elements[0].choices[1]",
        "missing_property",
        "Item 1 of 'choices' is missing 'value'. An item written as an object needs a 'value'.",
    ),
    (
        "choice-null",
        survey({"type": "dropdown", "name": "d", "choices": ["a", None]}),
        "pages[0].elements[0].choices[1]",
        "wrong_type",
        "Item 1 of 'choices' must be a value (text or number) or an object with a 'value' (got null).",
    ),
    (
        "rate-step-zero",
        survey({"type": "rating", "name": "r", "rateStep": 0}),
        "pages[0].elements[0].rateStep",
        "out_of_range",
        "'rateStep' must be greater than 0 (got the number 0).",
    ),
    (
        "negative-min-selected",
        survey({"type": "checkbox", "name": "c", "choices": ["a"], "minSelectedChoices": -1}),
        "pages[0].elements[0].minSelectedChoices",
        "out_of_range",
        "'minSelectedChoices' must be at least 0 (got the number -1).",
    ),
    (
        "multipletext-without-items",
        survey({"type": "multipletext", "name": "mt", "items": []}),
        "pages[0].elements[0].items",
        "empty_value",
        "'items' must not be empty.",
    ),
    (
        "clear-invisible-values",
        survey(TEXT, clearInvisibleValues="always"),
        "clearInvisibleValues",
        "invalid_value",
        "'clearInvisibleValues' must be one of none, onComplete, onHidden or onHiddenContainer (got 'always').",
    ),
    (
        "input-type",
        survey({**TEXT, "inputType": "numeric"}),
        "pages[0].elements[0].inputType",
        "invalid_value",
        "(got 'numeric'). Did you mean 'number'?",
    ),
    (
        "calculated-value-without-expression",
        survey(TEXT, calculatedValues=[{"name": "total"}]),
        "calculatedValues[0]",
        "missing_property",
        "Item 0 of 'calculatedValues' is missing 'expression'.",
    ),
    (
        "element-not-an-object",
        survey("just text"),  # type: ignore[arg-type]
        "pages[0].elements[0]",
        "wrong_type",
        "Item 0 of 'elements' must be an object with a 'type' (got 'just text').",
    ),
]


@pytest.mark.parametrize(
    ("definition", "path", "code", "message"),
    [pytest.param(d, p, c, m, id=i) for i, d, p, c, m in STRUCTURE_CASES],
)
def test_structure(definition: dict[str, Any], path: str, code: str, message: str) -> None:
    problem = error_at(definition, path, code)
    assert message in problem.message
    assert problem.message_nb and problem.message_nb != problem.message


# --------------------------------------------------------------------------------------------
# Properties the schema does not list


def test_misspelled_property_is_an_error() -> None:
    problem = error_at(
        survey({**TEXT, "visibleif": "{b} = 1"}),
        "pages[0].elements[0].visibleif",
        "misspelled_property",
    )
    assert problem.message == (
        "SurveyJS reads property names case-sensitively, so 'visibleif' is ignored; write 'visibleIf'."
    )


def test_logic_property_on_the_wrong_element_is_an_error() -> None:
    problem = error_at(
        survey({**TEXT, "choicesVisibleIf": "{item} != 'a'"}),
        "pages[0].elements[0].choicesVisibleIf",
        "misplaced_property",
    )
    assert "has no effect on a 'text' question" in problem.message


def test_unknown_property_is_only_a_warning() -> None:
    report = validate_definition(survey({**TEXT, "customWidgetHint": "x"}))
    assert report.ok
    [warning] = report.warnings
    assert warning.path == "pages[0].elements[0].customWidgetHint"
    assert warning.code == "unknown_property"
    assert "ignores it" in warning.message


def test_unknown_property_suggests_a_near_name() -> None:
    problem = warning_at(
        survey({**TEXT, "placeholdr": "x"}), "pages[0].elements[0].placeholdr", "unknown_property"
    )
    assert "Did you mean 'placeholder'?" in problem.message


def test_unknown_property_on_a_choice_and_a_column() -> None:
    definition = survey(
        {"type": "radiogroup", "name": "r", "choices": [{"value": "a", "colour": "red"}]},
        {
            "type": "matrixdropdown",
            "name": "m",
            "rows": ["x"],
            "columns": [{"name": "c", "cellType": "text", "choices": ["a"]}],
        },
    )
    report = validate_definition(definition)
    assert report.ok, str(report)
    paths = {p.path for p in report.warnings if p.code == "unknown_property"}
    # survey-core also rejects 'choices' on a text column.
    assert paths == {
        "pages[0].elements[0].choices[0].colour",
        "pages[0].elements[1].columns[0].choices",
    }


def test_pos_is_ignored_silently() -> None:
    report = validate_definition(survey({**TEXT, "pos": {"start": 1, "end": 4}}))
    assert report.ok and not report.warnings, str(report)


# --------------------------------------------------------------------------------------------
# Names


def test_duplicate_question_names() -> None:
    definition = {
        "pages": [
            {"name": "p1", "elements": [TEXT]},
            {"name": "p2", "elements": [{"type": "comment", "name": "a"}]},
        ]
    }
    problem = error_at(definition, "pages[1].elements[0].name", "duplicate_name")
    assert problem.message == (
        "The name 'a' is already used by pages[0].elements[0]; names must be unique in the whole questionnaire."
    )


def test_duplicate_name_between_panel_and_top_level() -> None:
    definition = survey(
        TEXT, {"type": "panel", "name": "pan", "elements": [{"type": "boolean", "name": "a"}]}
    )
    error_at(definition, "pages[0].elements[1].elements[0].name", "duplicate_name")


def test_templates_and_columns_have_their_own_namespace() -> None:
    definition = survey(
        TEXT,
        {"type": "paneldynamic", "name": "pd1", "templateElements": [TEXT]},
        {"type": "paneldynamic", "name": "pd2", "templateElements": [TEXT]},
        {"type": "matrixdynamic", "name": "m", "columns": [{"name": "a"}]},
    )
    report = validate_definition(definition)
    assert report.ok and not report.warnings, str(report)


def test_duplicate_inside_a_template() -> None:
    definition = survey({"type": "paneldynamic", "name": "pd", "templateElements": [TEXT, TEXT]})
    problem = error_at(
        definition, "pages[0].elements[0].templateElements[1].name", "duplicate_name"
    )
    assert "names must be unique inside the dynamic panel 'pd'" in problem.message


def test_duplicate_column_names() -> None:
    definition = survey(
        {"type": "matrixdynamic", "name": "m", "columns": [{"name": "c"}, {"name": "c"}]}
    )
    problem = error_at(definition, "pages[0].elements[0].columns[1].name", "duplicate_name")
    assert "among the columns of the matrix 'm'" in problem.message


def test_column_and_detail_question_share_the_row() -> None:
    definition = survey(
        {
            "type": "matrixdynamic",
            "name": "m",
            "columns": [{"name": "c"}],
            "detailElements": [{"type": "text", "name": "c"}],
        }
    )
    error_at(definition, "pages[0].elements[0].detailElements[0].name", "duplicate_name")


def test_value_name_sharing_is_allowed() -> None:
    definition = survey(
        {"type": "text", "name": "a1", "valueName": "shared"},
        {"type": "text", "name": "a2", "valueName": "shared", "visibleIf": "{shared} notempty"},
    )
    report = validate_definition(definition)
    assert report.ok and not report.warnings, str(report)


def test_names_that_differ_only_in_case() -> None:
    problem = warning_at(
        survey(TEXT, {"type": "text", "name": "A"}),
        "pages[0].elements[1].name",
        "duplicate_name_case",
    )
    assert "differ only in upper/lower case" in problem.message


def test_duplicate_page_names() -> None:
    definition = {
        "pages": [
            {"name": "p", "elements": [TEXT]},
            {"name": "p", "elements": [{"type": "text", "name": "b"}]},
        ]
    }
    problem = error_at(definition, "pages[1].name", "duplicate_page_name")
    assert "Two pages are named 'p' (the first is pages[0])" in problem.message


def test_duplicate_panel_names() -> None:
    definition = survey(
        {"type": "panel", "name": "x", "elements": [TEXT]}, {"type": "panel", "name": "x"}
    )
    error_at(definition, "pages[0].elements[1].name", "duplicate_name")


def test_duplicate_multipletext_items_and_calculated_values() -> None:
    definition = survey(
        {"type": "multipletext", "name": "mt", "items": [{"name": "i"}, {"name": "i"}]},
        calculatedValues=[{"name": "c", "expression": "1"}, {"name": "c", "expression": "2"}],
    )
    error_at(definition, "pages[0].elements[0].items[1].name", "duplicate_name")
    error_at(definition, "calculatedValues[1].name", "duplicate_name")


def test_duplicate_choice_values_are_a_warning() -> None:
    definition = survey(
        {
            "type": "radiogroup",
            "name": "r",
            "choices": ["ja", {"value": "nei"}, {"value": "ja", "text": "Ja!"}],
        }
    )
    report = validate_definition(definition)
    assert report.ok
    problem = warning_at(definition, "pages[0].elements[0].choices[2]", "duplicate_choice_value")
    assert (
        problem.message
        == "The value 'ja' is used twice (also by item 0); answers cannot tell them apart."
    )


def test_duplicate_matrix_rows_are_a_warning() -> None:
    definition = survey({"type": "matrix", "name": "m", "rows": ["a", "a"], "columns": [1, 2]})
    warning_at(definition, "pages[0].elements[0].rows[1]", "duplicate_choice_value")


# --------------------------------------------------------------------------------------------
# Targets of carry-forward and triggers


def test_skip_trigger_target_must_exist() -> None:
    definition = survey(
        TEXT, triggers=[{"type": "skip", "expression": "{a} = 1", "gotoName": "summry"}]
    )
    problem = error_at(definition, "triggers[0].gotoName", "unknown_target")
    assert problem.message == "'gotoName' names 'summry', but there is no question with that name."


def test_setvalue_target_suggests_is_variable() -> None:
    definition = survey(
        TEXT,
        triggers=[
            {"type": "setvalue", "expression": "{a} = 1", "setToName": "flag", "setValue": 1}
        ],
    )
    problem = error_at(definition, "triggers[0].setToName", "unknown_target")
    assert 'add "isVariable": true' in problem.message


def test_setvalue_variable_is_declared() -> None:
    definition = survey(
        TEXT,
        {"type": "text", "name": "b", "visibleIf": "{flag} = 1"},
        triggers=[
            {
                "type": "setvalue",
                "expression": "{a} = 1",
                "setToName": "flag",
                "setValue": 1,
                "isVariable": True,
            }
        ],
    )
    report = validate_definition(definition)
    assert report.ok and not report.warnings, str(report)


def test_copyvalue_and_runexpression_targets() -> None:
    definition = survey(
        TEXT,
        {"type": "text", "name": "unit_name"},
        triggers=[
            {"type": "copyvalue", "fromName": "unit_nme", "setToName": "a"},
            {
                "type": "runexpression",
                "expression": "{a} = 1",
                "runExpression": "1",
                "setToName": "nope",
            },
        ],
    )
    problem = error_at(definition, "triggers[0].fromName", "unknown_target")
    assert "Did you mean 'unit_name'?" in problem.message
    error_at(definition, "triggers[1].setToName", "unknown_target")


def test_visible_trigger_targets() -> None:
    definition = survey(
        TEXT,
        triggers=[
            {"type": "visible", "expression": "{a} = 1", "pages": ["p2"], "questions": ["a", "b"]}
        ],
    )
    report = validate_definition(definition)
    assert {(p.path, p.code) for p in report.errors} == {
        ("triggers[0].pages[0]", "unknown_target"),
        ("triggers[0].questions[1]", "unknown_target"),
    }


def test_trigger_without_expression_never_runs() -> None:
    definition = survey(TEXT, triggers=[{"type": "complete"}])
    problem = warning_at(definition, "triggers[0]", "trigger_never_runs")
    assert problem.message == "This 'complete' trigger has no 'expression', so it never runs."


def test_choices_from_question_must_exist() -> None:
    definition = survey({"type": "checkbox", "name": "c", "choicesFromQuestion": "arenas"})
    error_at(definition, "pages[0].elements[0].choicesFromQuestion", "unknown_target")


def test_choices_from_question_must_be_a_select_question() -> None:
    definition = survey(TEXT, {"type": "checkbox", "name": "c", "choicesFromQuestion": "a"})
    problem = error_at(definition, "pages[0].elements[1].choicesFromQuestion", "wrong_target_type")
    assert "names 'a', a 'text' question" in problem.message


def test_choices_from_a_matrix_need_the_value_column() -> None:
    matrix = {
        "type": "matrixdynamic",
        "name": "m",
        "columns": [{"name": "label", "cellType": "text"}],
    }
    missing = survey(matrix, {"type": "dropdown", "name": "d", "choicesFromQuestion": "m"})
    error_at(missing, "pages[0].elements[1].choiceValuesFromQuestion", "missing_property")
    wrong = survey(
        matrix,
        {
            "type": "dropdown",
            "name": "d",
            "choicesFromQuestion": "m",
            "choiceValuesFromQuestion": "lable",
        },
    )
    error_at(wrong, "pages[0].elements[1].choiceValuesFromQuestion", "unknown_target")
    right = survey(
        matrix,
        {
            "type": "dropdown",
            "name": "d",
            "choicesFromQuestion": "m",
            "choiceValuesFromQuestion": "label",
        },
    )
    assert validate_definition(right).ok


def test_choices_from_a_sibling_inside_a_template() -> None:
    definition = survey(
        {
            "type": "paneldynamic",
            "name": "pd",
            "templateElements": [
                {"type": "checkbox", "name": "src", "choices": ["a", "b"]},
                {"type": "radiogroup", "name": "pick", "choicesFromQuestion": "src"},
            ],
        }
    )
    assert validate_definition(definition).ok


# --------------------------------------------------------------------------------------------
# Survey-level


def test_ignored_survey_properties_warn() -> None:
    problem = warning_at(survey(TEXT, timeLimit=60), "timeLimit", "ignored_property")
    assert problem.message.startswith("Verne ignores 'timeLimit'")


def test_random_order_warns() -> None:
    warning_at(
        survey(
            {"type": "radiogroup", "name": "r", "choices": ["a", "b"], "choicesOrder": "random"}
        ),
        "pages[0].elements[0].choicesOrder",
        "ignored_value",
    )


def test_empty_questionnaire_warns() -> None:
    report = validate_definition({"pages": []})
    assert report.ok
    assert report.codes("warning") == ["no_questions"]


def test_pages_and_elements_together_warn() -> None:
    warning_at(
        {"pages": [{"name": "p", "elements": [TEXT]}], "elements": [{"type": "text", "name": "b"}]},
        "elements",
        "pages_and_elements",
    )


def test_problems_are_sorted_by_path() -> None:
    definition = survey(
        {**TEXT, "isRequired": 1},
        {"type": "text", "name": "b", "visible": "no"},
        clearInvisibleValues=1,
    )
    report = validate_definition(definition)
    assert [p.path for p in report.errors] == [
        "clearInvisibleValues",
        "pages[0].elements[0].isRequired",
        "pages[0].elements[1].visible",
    ]


def test_report_to_dict_is_json_friendly() -> None:
    report = validate_definition(survey({**TEXT, "isRequired": 1}))
    data = report.to_dict()
    assert data["ok"] is False
    assert data["errors"][0]["path"] == "pages[0].elements[0].isRequired"
    assert set(data["errors"][0]) == {"path", "code", "message", "message_nb"}


def test_mask_settings_follow_the_mask_type() -> None:
    text = {
        "type": "text",
        "name": "t",
        "maskType": "numeric",
        "maskSettings": {"precision": "two"},
    }
    error_at(survey(text), "pages[0].elements[0].maskSettings.precision", "wrong_type")
    item = {"name": "i", "maskType": "pattern", "maskSettings": {"pattern": 999}}
    mt = {"type": "multipletext", "name": "mt", "items": [item]}
    error_at(survey(mt), "pages[0].elements[0].items[0].maskSettings.pattern", "wrong_type")
    unknown = {"type": "text", "name": "t", "maskType": "pattern", "maskSettings": {"precision": 2}}
    warning_at(survey(unknown), "pages[0].elements[0].maskSettings.precision", "unknown_property")


def test_too_many_problems_are_cut_short() -> None:
    elements = [{"type": "text", "name": f"q{i}", "isRequired": "yes"} for i in range(600)]
    report = validate_definition(survey(*elements))
    assert len(report.errors) == 500
    assert report.codes("warning") == ["too_many_problems"]
