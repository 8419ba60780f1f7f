"""The built-in functions, the registry, the clock and the survey protocol."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

import pytest

from surveys.engine.expressions import (
    DEFAULT_FUNCTIONS,
    CallInfo,
    EvalContext,
    ExpressionSurvey,
    compile_expression,
)
from surveys.engine.values import UNDEFINED, JSDate, to_json

NOW = datetime(2025, 6, 15, 12, tzinfo=UTC)


def ev(text: str, values: dict[str, Any] | None = None, **ctx: Any) -> Any:
    context = EvalContext(now=NOW, **ctx)
    return compile_expression(text).evaluate(values or {}, context)


def test_there_are_32_built_ins() -> None:
    assert len(DEFAULT_FUNCTIONS) == 32
    assert "sum" in DEFAULT_FUNCTIONS and "displayValue" in DEFAULT_FUNCTIONS


# --- 10. round / trunc --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "result"),
    [("round(2.5)", 3), ("round(-2.5)", -3), ("round(1.005, 2)", 1.01), ("round(1234.5, -2)", 1200),
     ("trunc(2.7)", 2), ("trunc(-2.7)", -2), ("trunc(1.23456, 2)", 1.23), ("round('2.5')", 3)],
)
def test_round_and_trunc(text: str, result: float) -> None:
    assert ev(text) == result


def test_round_of_text_is_nan() -> None:
    assert math.isnan(ev("round('abc')"))


# --- 11. aggregates -----------------------------------------------------------------------------
ROWS = [{"v": 1, "w": "a", "name": "x"}, {"v": "2", "w": "b", "name": "y"}, {"v": "", "w": "a"},
        {"v": 3.5, "w": "A", "name": "q"}, {"v": 0, "name": "zero"}]


@pytest.mark.parametrize(
    ("text", "result"),
    [
        ("sum(1, 2, 3)", 6),
        ("sum({arr}, '4')", 10),
        ("sum('x', 1)", "0x1"),
        ("max(1, 5, 3)", 5),
        ("min({arr})", 1),
        ("min()", UNDEFINED),
        ("avg()", 0),
        ("avg(1, 2)", 1.5),
        ("count(1, '', {missing}, 'x')", 3),
        ("iif({a} > 1, 'big', 'small')", "big"),
        ("iif(false, 'a')", UNDEFINED),
        ("iif(true)", None),
        ("sumInArray({rows}, 'v')", 6.5),
        ("countInArray({rows}, 'v')", 4),
        ("avgInArray({rows}, 'v')", 1.625),
        ("minInArray({rows}, 'v')", 0),
        ("maxInArray({rows}, 'v', 'name')", "q"),
        ("sumInArray({rows}, 'v', {w} = 'a')", 4.5),
        ("sumInArray({rows}, 'v', '{w} = \\'b\\'')", 2),
        ("sumInArray({keyed}, 'v')", 7),
        ("sumInArray({missing}, 'v')", 0),
        ("substring('Hello', 1, 3)", "el"),
        ("substring('Hello', 3, 1)", "el"),
        ("substring(5, 1)", ""),
        ("unknownFn(1)", None),
        ("SUM(1, 2)", None),
    ],
)
def test_functions(text: str, result: Any) -> None:
    values = {"arr": [1, 2, 3], "a": 5, "rows": ROWS, "keyed": {"r1": {"v": 5}, "r2": {"v": "2"}}}
    got = ev(text, values)
    assert got == result and type(got) is type(result)


def test_unknown_function_warns() -> None:
    ctx = EvalContext()
    assert compile_expression("nope(1)").evaluate({}, ctx) is None
    assert ctx.warnings == ["Unknown function name: 'nope'."]


def test_row_condition_sees_the_survey_values_when_there_is_a_survey() -> None:
    values = {"rows": [{"v": 1}, {"v": 2}], "limit": 1}
    assert ev("sumInArray({rows}, 'v', {v} > {limit})", values) == 0  # no survey: {limit} is null
    assert ev("sumInArray({rows}, 'v', {v} > {limit})", values, properties={"survey": FakeSurvey()}) == 2


# --- 12. dates ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "tz", "iso"),
    [
        ("dateAdd('2024-01-31', 1, 'months')", None, "2024-03-02T00:00:00.000Z"),
        ("dateAdd('2024-01-31', 1, 'months')", "Europe/Oslo", "2024-03-01T23:00:00.000Z"),
        ("dateAdd('2024-06-15', '5')", None, "2024-11-02T00:00:00.000Z"),  # 15 + '5' is '155'
        ("today()", None, "2025-06-15T00:00:00.000Z"),
        ("today()", "Europe/Oslo", "2025-06-14T22:00:00.000Z"),
        ("today(-1)", None, "2025-06-14T00:00:00.000Z"),
        ("getDate('2024-06-15')", "Europe/Oslo", "2024-06-14T22:00:00.000Z"),
        ("currentDate()", None, "2025-06-15T12:00:00.000Z"),
    ],
)
def test_date_functions(text: str, tz: str | None, iso: str) -> None:
    got = ev(text, tz=tz)
    assert isinstance(got, JSDate)
    assert to_json(got) == {"$date": iso}


@pytest.mark.parametrize(
    ("text", "result"),
    [
        ("age('1990-06-16')", 34),
        ("age('1990-06-15')", 35),
        ("age('2000-02-29', 'months')", 303),
        ("age('garbage')", 0),
        ("dateDiff('2024-01-01', '2024-03-01')", 60),
        ("dateDiff('2024-01-31', '2024-03-01', 'months')", 1),
        ("dateDiff('2024-06-15T08:00', '2024-06-15T10:30', 'hours')", 3),
        ("diffDays('2024-01-01', '2023-12-25')", 7),
        ("year('2024-06-15')", 2024),
        ("month('2024-06-15')", 6),
        ("day('2024-06-15')", 15),
        ("weekday('2024-06-15')", 6),
        ("year()", 2025),
        ("currentYear()", 2025),
        ("getYear('2024-06-15')", 2024),
        ("getDate('')", None),
    ],
)
def test_date_numbers(text: str, result: Any) -> None:
    assert ev(text) == result


def test_the_clock_is_injectable() -> None:
    expr = compile_expression("currentYear()")
    assert expr.evaluate({}, EvalContext(now=datetime(1999, 12, 31, 23, tzinfo=UTC))) == 1999
    assert expr.evaluate({}, EvalContext(now=datetime(1999, 12, 31, 23, tzinfo=UTC), tz="Europe/Oslo")) == 2000
    assert expr.evaluate({}) >= 2025  # the real clock


# --- custom functions ---------------------------------------------------------------------------
def test_custom_functions() -> None:
    registry = DEFAULT_FUNCTIONS.copy()
    registry.register("double", lambda params: params[0] * 2)

    def first_value(params: list[Any], call: CallInfo) -> Any:
        return call.values.get(params[0])

    registry.register("valueOf2", first_value, needs_context=True)
    ctx = EvalContext(functions=registry)
    assert compile_expression("double(21)").evaluate({}, ctx) == 42
    assert compile_expression("valueOf2('x')").evaluate({"x": 7}, ctx) == 7
    assert "double" not in DEFAULT_FUNCTIONS
    registry.unregister("double")
    assert compile_expression("double(21)").evaluate({}, ctx) is None


def test_a_failing_custom_function_gives_null() -> None:
    registry = DEFAULT_FUNCTIONS.copy()
    registry.register("boom", lambda params: 1 / 0)
    ctx = EvalContext(functions=registry)
    assert compile_expression("boom() + 1").evaluate({}, ctx) is None
    assert "ZeroDivisionError" in ctx.warnings[0]


# --- survey-aware functions ---------------------------------------------------------------------
class FakeSurvey:
    is_display_mode = False

    def question_property(self, question_name: Any, property_name: Any) -> Any:
        return {"q1": {"title": "First"}}.get(question_name, {}).get(property_name, UNDEFINED)

    def get_comment(self, question_name: Any, item_value: Any) -> Any:
        if question_name != "q1":
            return ""
        return "other text" if item_value is UNDEFINED else UNDEFINED

    def is_container_ready(self, name: Any, panel_index: Any) -> bool:
        return bool(name == "page1")

    def display_value(self, question_name: Any, value: Any) -> Any:
        return {"ja": "Ja", "nei": "Nei"}.get(value if value is not UNDEFINED else "ja", UNDEFINED)


def test_fake_survey_implements_the_protocol() -> None:
    assert isinstance(FakeSurvey(), ExpressionSurvey)


@pytest.mark.parametrize(
    ("text", "with_survey", "without"),
    [
        ("propertyValue('q1', 'title')", "First", UNDEFINED),
        ("propertyValue('q1')", UNDEFINED, UNDEFINED),
        ("getComment('q1')", "other text", UNDEFINED),
        ("getComment('nope')", "", UNDEFINED),
        ("isContainerReady('page1')", True, False),
        ("isContainerReady('')", False, False),
        ("isDisplayMode()", False, UNDEFINED),
        ("displayValue('q1')", "Ja", UNDEFINED),
        ("displayValue('q1', 'nei')", "Nei", UNDEFINED),
    ],
)
def test_survey_functions(text: str, with_survey: Any, without: Any) -> None:
    assert ev(text, properties={"survey": FakeSurvey()}) == with_survey
    assert ev(text) == without
