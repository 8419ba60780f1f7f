"""Expressions in definitions: syntax errors with JSON path and position, references, functions."""

from __future__ import annotations

from typing import Any

import pytest

from surveys.engine.definition import validate_definition
from surveys.engine.expressions import ExpressionSyntaxError, compile_expression
from tests.engine.definition_fixtures.helpers import error_at, problems, survey, warning_at

A = {"type": "text", "name": "a"}
B = {"type": "text", "name": "b"}


def parser_position(text: str) -> int:
    with pytest.raises(ExpressionSyntaxError) as info:
        compile_expression(text)
    return info.value.position


# --------------------------------------------------------------------------------------------
# Syntax errors: every expression property, with the parser's position


def test_syntax_error_has_path_and_position() -> None:
    problem = error_at(
        survey(A, {**B, "visibleIf": "{a} = = 1"}),
        "pages[0].elements[1].visibleIf",
        "expression_syntax",
    )
    assert problem.position == parser_position("{a} = = 1") == 6
    assert problem.message == (
        "'visibleIf' is not a valid expression: '{a} = = 1': Unexpected '=' at position 6: expected an operand."
    )
    assert problem.message_nb == (
        "«visibleIf» er ikke et gyldig uttrykk: '{a} = = 1': Uventet '=' ved posisjon 6: forventet en verdi."
    )


def test_not_is_not_an_operator() -> None:
    problem = error_at(
        survey(A, {**B, "enableIf": "not {a} = 1"}),
        "pages[0].elements[1].enableIf",
        "expression_syntax",
    )
    assert problem.position == 4


def test_null_literal_in_function_arguments() -> None:
    problem = error_at(
        survey(A, {"type": "expression", "name": "e", "expression": "iif({a} > 0, 1, null)"}),
        "pages[0].elements[1].expression",
        "expression_syntax",
    )
    assert "use '' instead" in problem.message


def _pd(**template_props: Any) -> dict[str, Any]:
    return {"type": "paneldynamic", "name": "pd", "templateElements": [{**A, **template_props}]}


EXPRESSION_SITES: list[tuple[str, dict[str, Any], str]] = [
    ("enableIf", survey(A, {**B, "enableIf": "{a} >"}), "pages[0].elements[1].enableIf"),
    ("requiredIf", survey(A, {**B, "requiredIf": "{a} >"}), "pages[0].elements[1].requiredIf"),
    ("setValueIf", survey(A, {**B, "setValueIf": "{a} >"}), "pages[0].elements[1].setValueIf"),
    (
        "resetValueIf",
        survey(A, {**B, "resetValueIf": "{a} >"}),
        "pages[0].elements[1].resetValueIf",
    ),
    (
        "defaultValueExpression",
        survey(A, {**B, "defaultValueExpression": "{a} >"}),
        "pages[0].elements[1].defaultValueExpression",
    ),
    (
        "setValueExpression",
        survey(A, {**B, "setValueExpression": "{a} >"}),
        "pages[0].elements[1].setValueExpression",
    ),
    (
        "minValueExpression",
        survey(A, {**B, "minValueExpression": "{a} >"}),
        "pages[0].elements[1].minValueExpression",
    ),
    (
        "maxValueExpression",
        survey(A, {**B, "maxValueExpression": "{a} >"}),
        "pages[0].elements[1].maxValueExpression",
    ),
    (
        "choicesVisibleIf",
        survey(
            A, {"type": "checkbox", "name": "c", "choices": ["x"], "choicesVisibleIf": "{item} >"}
        ),
        "pages[0].elements[1].choicesVisibleIf",
    ),
    (
        "choicesEnableIf",
        survey(
            A, {"type": "dropdown", "name": "c", "choices": ["x"], "choicesEnableIf": "{item} >"}
        ),
        "pages[0].elements[1].choicesEnableIf",
    ),
    (
        "item-visibleIf",
        survey(
            A,
            {
                "type": "radiogroup",
                "name": "r",
                "choices": ["x", {"value": "y", "visibleIf": "{a} >"}],
            },
        ),
        "pages[0].elements[1].choices[1].visibleIf",
    ),
    (
        "item-enableIf",
        survey(
            A, {"type": "checkbox", "name": "r", "choices": [{"value": "y", "enableIf": "{a} >"}]}
        ),
        "pages[0].elements[1].choices[0].enableIf",
    ),
    (
        "rowsVisibleIf",
        survey(
            A,
            {
                "type": "matrix",
                "name": "m",
                "rows": ["r"],
                "columns": [1],
                "rowsVisibleIf": "{item} >",
            },
        ),
        "pages[0].elements[1].rowsVisibleIf",
    ),
    (
        "columnsVisibleIf",
        survey(
            A,
            {
                "type": "matrix",
                "name": "m",
                "rows": ["r"],
                "columns": [1],
                "columnsVisibleIf": "{item} >",
            },
        ),
        "pages[0].elements[1].columnsVisibleIf",
    ),
    (
        "matrix-row-visibleIf",
        survey(
            A,
            {
                "type": "matrix",
                "name": "m",
                "rows": [{"value": "r", "visibleIf": "{a} >"}],
                "columns": [1],
            },
        ),
        "pages[0].elements[1].rows[0].visibleIf",
    ),
    (
        "expression-question",
        survey(A, {"type": "expression", "name": "e", "expression": "sum({a}, )"}),
        "pages[0].elements[1].expression",
    ),
    (
        "calculated-value",
        survey(A, calculatedValues=[{"name": "c", "expression": "{a} *"}]),
        "calculatedValues[0].expression",
    ),
    (
        "column-visibleIf",
        survey(
            {
                "type": "matrixdynamic",
                "name": "m",
                "columns": [{"name": "c", "visibleIf": "{row.c} >"}],
            }
        ),
        "pages[0].elements[0].columns[0].visibleIf",
    ),
    (
        "column-totalExpression",
        survey(
            {
                "type": "matrixdynamic",
                "name": "m",
                "columns": [{"name": "c", "totalExpression": "sum(1 +"}],
            }
        ),
        "pages[0].elements[0].columns[0].totalExpression",
    ),
    (
        "column-cell-expression",
        survey(
            {
                "type": "matrixdropdown",
                "name": "m",
                "rows": ["r"],
                "columns": [{"name": "c", "cellType": "expression", "expression": "{row.c} +"}],
            }
        ),
        "pages[0].elements[0].columns[0].expression",
    ),
    (
        "panelCountExpression",
        survey(
            A,
            {
                "type": "paneldynamic",
                "name": "pd",
                "templateElements": [B],
                "panelCountExpression": "{a} +",
            },
        ),
        "pages[0].elements[1].panelCountExpression",
    ),
    (
        "rowCountExpression",
        survey(
            A,
            {
                "type": "matrixdynamic",
                "name": "m",
                "columns": [{"name": "c"}],
                "rowCountExpression": "{a} +",
            },
        ),
        "pages[0].elements[1].rowCountExpression",
    ),
    (
        "template-element-visibleIf",
        survey(_pd(visibleIf="{panel.a} =")),
        "pages[0].elements[0].templateElements[0].visibleIf",
    ),
    (
        "template-validator",
        survey(_pd(validators=[{"type": "expression", "expression": "{panel.a} >"}])),
        "pages[0].elements[0].templateElements[0].validators[0].expression",
    ),
    (
        "nested-panel",
        survey(
            {
                "type": "panel",
                "name": "p",
                "elements": [A, {"type": "panel", "name": "q", "visibleIf": "{a} ="}],
            }
        ),
        "pages[0].elements[0].elements[1].visibleIf",
    ),
    (
        "page-visibleIf",
        {"pages": [{"name": "p", "visibleIf": "{a} =", "elements": [A]}]},
        "pages[0].visibleIf",
    ),
    (
        "multipletext-item",
        survey(
            {
                "type": "multipletext",
                "name": "mt",
                "items": [{"name": "i", "defaultValueExpression": "1 +"}],
            }
        ),
        "pages[0].elements[0].items[0].defaultValueExpression",
    ),
    (
        "trigger-expression",
        survey(A, triggers=[{"type": "complete", "expression": "{a} = 'x"}]),
        "triggers[0].expression",
    ),
    (
        "trigger-runExpression",
        survey(
            A,
            triggers=[
                {
                    "type": "runexpression",
                    "expression": "{a} = 1",
                    "runExpression": "{a} +",
                    "setToName": "a",
                }
            ],
        ),
        "triggers[0].runExpression",
    ),
    (
        "completedHtmlOnCondition",
        survey(A, completedHtmlOnCondition=[{"expression": "{a} =", "html": "x"}]),
        "completedHtmlOnCondition[0].expression",
    ),
    (
        "navigateToUrlOnCondition",
        survey(A, navigateToUrlOnCondition=[{"expression": "{a} =", "url": "https://example.org"}]),
        "navigateToUrlOnCondition[0].expression",
    ),
    (
        "follow-up-when",
        survey({**A, "verneFollowUps": [{"code": "c", "when": "{a} <", "title": "T"}]}),
        "pages[0].elements[0].verneFollowUps[0].when",
    ),
    (
        "survey-follow-up-when",
        survey(A, verneFollowUps=[{"code": "c", "when": "{a} <", "title": "T"}]),
        "verneFollowUps[0].when",
    ),
    (
        "detail-element",
        survey(
            {
                "type": "matrixdynamic",
                "name": "m",
                "columns": [{"name": "c"}],
                "detailElements": [{**B, "visibleIf": "{row.c} ="}],
            }
        ),
        "pages[0].elements[0].detailElements[0].visibleIf",
    ),
    (
        "templateVisibleIf",
        survey({**_pd(), "templateVisibleIf": "{panel.a} ="}),
        "pages[0].elements[0].templateVisibleIf",
    ),
]


@pytest.mark.parametrize(
    ("definition", "path"), [pytest.param(d, p, id=i) for i, d, p in EXPRESSION_SITES]
)
def test_every_expression_property_is_parsed(definition: dict[str, Any], path: str) -> None:
    report = validate_definition(definition)
    found = problems(report, path, "expression_syntax")
    assert len(found) == 1, str(report)
    assert found[0].position is not None
    # The path is the only error: a broken expression does not cascade.
    assert [p.code for p in report.errors] == ["expression_syntax"], str(report)


def test_empty_expression_is_fine() -> None:
    report = validate_definition(survey({**A, "visibleIf": "", "enableIf": "   "}))
    assert report.ok and not report.warnings, str(report)


# --------------------------------------------------------------------------------------------
# References


def test_typo_in_a_question_name_is_an_error() -> None:
    definition = survey(
        {"type": "text", "name": "leader_vo_meetings"},
        {**B, "visibleIf": "{leader_vo_meeting} < 4"},
    )
    problem = error_at(definition, "pages[0].elements[1].visibleIf", "unknown_reference")
    assert problem.message == (
        "'{leader_vo_meeting}' refers to 'leader_vo_meeting', which is not a question, calculated value or "
        "known variable. Did you mean 'leader_vo_meetings'?"
    )
    assert problem.position == 0


def test_unknown_name_is_a_warning_unless_known() -> None:
    definition = survey(A, {**B, "visibleIf": "{a} = {unit_name}"})
    problem = warning_at(definition, "pages[0].elements[1].visibleIf", "unknown_variable")
    assert "add it to known_variables" in problem.message
    assert problem.position == 6
    report = validate_definition(definition, known_variables={"unit_name"})
    assert report.ok and not report.warnings, str(report)


def test_known_variables_are_case_insensitive() -> None:
    definition = survey({**A, "visibleIf": "{Report_Year} > 2020"})
    assert not validate_definition(definition, known_variables=["report_year"]).warnings


RESOLVING: list[tuple[str, str]] = [
    ("question", "{a} = 1"),
    ("case-insensitive", "{A} = 1"),
    ("path", "{a.length} > 1 and {a[0]} = 1"),
    ("no-conversion", "{#a} = '01'"),
    ("comment-suffix", "{a-Comment} notempty"),
    ("unwrapped", "{a-unwrapped} notempty"),
    ("item", "{item} = 1"),
    ("choice", "{choice} = 1"),
    ("self", "{self} notempty"),
    ("property", "{$title} notempty"),
    ("builtin", "{pageno} > 1 and {locale} = 'nb'"),
    ("calculated", "{calc} > 1"),
    ("functions", "today() > getDate({a}) and age({a}) > 18 and sumInArray({m}, 'c') > 0"),
    ("matrix-cell", "{m.r.c} > 1 and {m-total.c} > 0"),
    ("dynamic-panel", "{pd[0].x} notempty and {pd.length} > 0"),
]


@pytest.mark.parametrize("expression", [pytest.param(e, id=i) for i, e in RESOLVING])
def test_references_that_resolve(expression: str) -> None:
    definition = survey(
        A,
        {"type": "matrixdropdown", "name": "m", "rows": ["r"], "columns": [{"name": "c"}]},
        {"type": "paneldynamic", "name": "pd", "templateElements": [{"type": "text", "name": "x"}]},
        {**B, "visibleIf": expression},
        calculatedValues=[{"name": "calc", "expression": "{a} * 2"}],
    )
    report = validate_definition(definition)
    assert report.ok and not report.warnings, str(report)


def test_row_outside_a_matrix() -> None:
    problem = error_at(
        survey(A, {**B, "visibleIf": "{row.a} = 1"}),
        "pages[0].elements[1].visibleIf",
        "unknown_reference",
    )
    assert problem.message.startswith(
        "'{row.a}' can only be used inside the columns of a matrixdropdown or matrixdynamic question"
    )


def test_unknown_column_in_row() -> None:
    definition = survey(
        {
            "type": "matrixdynamic",
            "name": "m",
            "columns": [{"name": "hours"}, {"name": "lti", "visibleIf": "{row.hour} > 0"}],
        }
    )
    problem = error_at(definition, "pages[0].elements[0].columns[1].visibleIf", "unknown_reference")
    assert problem.message == (
        "'{row.hour}' refers to 'hour', but the matrix 'm' has no column 'hour'. Did you mean '{row.hours}'?"
    )


def test_row_context_values_inside_columns() -> None:
    definition = survey(
        {
            "type": "matrixdynamic",
            "name": "m",
            "columns": [
                {"name": "c", "cellType": "expression", "expression": "{rowIndex} + {row.d}"},
                {"name": "d", "visibleIf": "{rowName} notempty and {visibleRowIndex} > 0"},
            ],
        }
    )
    report = validate_definition(definition)
    assert report.ok and not report.warnings, str(report)


def test_template_question_without_panel_prefix() -> None:
    definition = survey(
        {
            "type": "paneldynamic",
            "name": "hazards",
            "templateElements": [{"type": "text", "name": "x"}, {**B, "visibleIf": "{x} = 1"}],
        }
    )
    problem = error_at(
        definition, "pages[0].elements[0].templateElements[1].visibleIf", "unknown_reference"
    )
    assert problem.message == (
        "'{x}' does not find 'x', which is inside the dynamic panel 'hazards'; write '{panel.x}'."
    )


def test_template_question_from_outside() -> None:
    definition = survey(
        {
            "type": "paneldynamic",
            "name": "hazards",
            "templateElements": [{"type": "text", "name": "x"}],
        },
        {**B, "visibleIf": "{x} = 1"},
    )
    problem = error_at(definition, "pages[0].elements[1].visibleIf", "unknown_reference")
    assert "it is inside the dynamic panel 'hazards'" in problem.message
    assert "'{hazards[0].x}'" in problem.message


def test_panel_outside_a_dynamic_panel() -> None:
    definition = survey(
        {"type": "panel", "name": "p", "elements": [A, {**B, "visibleIf": "{panel.a} = 1"}]}
    )
    error_at(definition, "pages[0].elements[0].elements[1].visibleIf", "unknown_reference")


def test_unknown_member_of_panel() -> None:
    definition = survey(
        {
            "type": "paneldynamic",
            "name": "pd",
            "templateElements": [A, {**B, "visibleIf": "{panel.aa} = 1 and {prevPanel.a} = 1"}],
        }
    )
    report = validate_definition(definition)
    assert [(p.path, p.code) for p in report.errors] == [
        ("pages[0].elements[0].templateElements[1].visibleIf", "unknown_reference")
    ]
    assert "the dynamic panel 'pd' has no question 'aa'" in report.errors[0].message


def test_parent_panel_needs_a_nested_dynamic_panel() -> None:
    inner = {
        "type": "paneldynamic",
        "name": "inner",
        "templateElements": [{**B, "visibleIf": "{parentPanel.a} = 1"}],
    }
    nested = survey({"type": "paneldynamic", "name": "outer", "templateElements": [A, inner]})
    assert validate_definition(nested).ok
    flat = survey(
        {
            "type": "paneldynamic",
            "name": "outer",
            "templateElements": [A, {**B, "visibleIf": "{parentPanel.a} = 1"}],
        }
    )
    problem = error_at(
        flat, "pages[0].elements[0].templateElements[1].visibleIf", "unknown_reference"
    )
    assert "inside a dynamic panel that is itself inside a dynamic panel" in problem.message


def test_panel_index_only_in_a_dynamic_panel() -> None:
    error_at(
        survey({**A, "visibleIf": "{panelIndex} = 0"}),
        "pages[0].elements[0].visibleIf",
        "unknown_reference",
    )
    inside = survey(
        {
            "type": "paneldynamic",
            "name": "pd",
            "templateElements": [{**A, "visibleIf": "{panelIndex} = 0"}],
        }
    )
    assert validate_definition(inside).ok


def test_a_question_named_like_a_context_variable() -> None:
    definition = survey({"type": "text", "name": "row"}, {**B, "visibleIf": "{row} = 1"})
    assert validate_definition(definition).ok


def test_outer_questions_are_visible_inside_templates_and_rows() -> None:
    definition = survey(
        A,
        {"type": "paneldynamic", "name": "pd", "templateElements": [{**B, "visibleIf": "{a} = 1"}]},
        {"type": "matrixdynamic", "name": "m", "columns": [{"name": "c", "visibleIf": "{a} = 1"}]},
    )
    assert validate_definition(definition).ok


def test_follow_up_when_in_a_template_sees_the_panel() -> None:
    template = {**A, "verneFollowUps": [{"code": "c", "when": "{panel.a} = 'x'", "title": "T"}]}
    assert validate_definition(
        survey({"type": "paneldynamic", "name": "pd", "templateElements": [template]})
    ).ok


# --------------------------------------------------------------------------------------------
# Functions


def test_unknown_function() -> None:
    problem = error_at(
        survey({**A, "visibleIf": "isWeekend({a})"}),
        "pages[0].elements[0].visibleIf",
        "unknown_function",
    )
    assert problem.message.startswith(
        "The function 'isWeekend' does not exist, so the expression would give null."
    )
    assert problem.position == 0


def test_function_names_are_case_sensitive() -> None:
    problem = error_at(
        survey({**A, "defaultValueExpression": "Today()"}),
        "pages[0].elements[0].defaultValueExpression",
        "unknown_function",
    )
    assert problem.message.endswith("Did you mean 'today'?")


def test_known_functions_can_be_extended() -> None:
    from surveys.engine.expressions import DEFAULT_FUNCTIONS

    definition = survey({**A, "visibleIf": "isWeekend({a})"})
    report = validate_definition(
        definition, known_functions={*DEFAULT_FUNCTIONS.names(), "isWeekend"}
    )
    assert report.ok
