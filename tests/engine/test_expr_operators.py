"""Operators and variables, one behaviour (often a survey-core surprise) per test."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

import pytest

from surveys.engine.expressions import ChainedValues, EvalContext, compile_expression
from surveys.engine.values import UNDEFINED, ValuesDict


def ev(text: str, values: dict[str, Any] | None = None) -> Any:
    return compile_expression(text).evaluate(values or {})


def cond(text: str, values: dict[str, Any] | None = None) -> bool:
    return compile_expression(text).evaluate_condition(values or {})


# --- 1. loose equality ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    ["'1' = 1", "'1.0' = 1", "'007' = 7", "'JA' = 'ja'", "' nei ' = 'nei'", "'ØST' = 'øst'",
     "[1, 2] = [2, 1]", "{n} = 1.5", "true = 'true'"],
)
def test_loose_equality(text: str) -> None:
    assert cond(text, {"n": "1,5"})


def test_a_comma_literal_is_not_a_number() -> None:
    assert not cond("'1,5' = 1.5")  # only variables are converted


# --- 2. empty values --------------------------------------------------------------------------
def test_empty_values_equal_each_other_but_not_zero_or_false() -> None:
    assert cond("{missing} = ''")
    assert not cond("{missing} = 0")
    assert cond("{missing} != false")
    assert cond("{e} = {missing}", {"e": ""})


@pytest.mark.parametrize(
    ("value", "empty"),
    [(None, True), ("", True), ([], True), ({}, True), ({"a": None}, True), (0, False),
     (False, False), (" ", False)],
)
def test_empty_and_notempty(value: Any, empty: bool) -> None:
    assert ev("{v} empty", {"v": value}) is empty
    assert ev("{v} notempty", {"v": value}) is (not empty)


# --- 3. variables are converted, literals are not ----------------------------------------------
def test_variable_strings_become_numbers_and_booleans() -> None:
    values = {"a": "9", "b": "10", "t": "True", "q": "'x'", "z": "007"}
    assert cond("{a} < {b}", values)
    assert not cond("'9' < '10'")
    assert ev("{t}", values) is True
    assert ev("{#t}", values) == "True"
    assert ev("{q}", values) == "x"
    assert ev("{z}", values) == "007"


# --- 4. truthiness ----------------------------------------------------------------------------
def test_condition_truthiness_is_double_equals_true() -> None:
    assert cond("{n}", {"n": 1}) and cond("{n}", {"n": True}) and cond("{n}", {"n": "true"})
    assert not cond("{n}", {"n": 2})


def test_and_or_return_an_operand() -> None:
    assert ev("{a} and {b}", {"a": 1, "b": "x"}) == "x"
    assert ev("{a} or {b}", {"a": 0, "b": "y"}) == "y"
    # and/or are arithmetic in survey-core's grammar: an empty side becomes 0 / "" first
    assert ev("{missing} or 5") == 5
    assert ev("{missing} and true") == 0
    assert ev("{missing} or 'x'") == "x"


# --- 5. precedence ----------------------------------------------------------------------------
def test_precedence() -> None:
    assert ev("2^3^2") == 64
    assert ev("1 + 2 * 3") == 7
    assert ev("! {a} = 1", {"a": 0}) is True  # (!0) == 1
    assert ev("true or false and false") is True
    assert ev("0x10 + 1") == 17


# --- 7. arithmetic ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "result"),
    [
        ("{missing} + 1", 1),
        ("{missing} + 'x'", "x"),
        ("1 / 0", None),
        ("5 % 0", None),
        ("'a' + 1 + 2", "a12"),
        ("1 + 2 + 'a'", "3a"),
        ("{arr} + 1", 7),
        ("{arr} + 'x'", "1, 2, 3x"),
        ("0.1 + 0.2", 0.3),
        ("0.1 * 3", 0.3),
        ("0.3 - 0.1", 0.2),
        ("7 / 2", 3.5),
        ("-7 % 3", -1),
        ("2 ^ 0.5", math.sqrt(2)),
        ("{arr} + {arr}", [1, 2, 3, 1, 2, 3]),
    ],
)
def test_arithmetic(text: str, result: Any) -> None:
    assert ev(text, {"arr": [1, 2, 3]}) == result


def test_non_numeric_strings_give_nan() -> None:
    assert math.isnan(ev("'abc' - 1"))


def test_integral_results_are_ints() -> None:
    assert type(ev("1.5 * 2")) is int
    assert type(ev("4 / 2")) is int


# --- 8. names and paths -----------------------------------------------------------------------
def test_names_are_case_insensitive() -> None:
    assert ev("{A}", {"a": 1}) == 1
    assert ev("{a}", {"A": 1}) == 1
    assert ev("{a}", ValuesDict({"A": 1})) == 1


@pytest.mark.parametrize(
    ("text", "result"),
    [
        ("{o.b}", 2),
        ("{O.B}", 2),
        ("{arr[0]}", 1),
        ("{arr[-1]}", 3),
        ("{arr[9]}", None),
        ("{arr.length}", 3),
        ("{s.length}", 5),
        ("{missing.length}", 0),
        ("{m.row.col}", 7),
        ("{pd[1].q}", "y"),
        ("{dotted.key}", "literal"),  # the longest dotted key wins
        ("{$o.b}", 2),
        ("{missing}", None),
        ('{"x": 1}', {"x": 1}),
    ],
)
def test_paths(text: str, result: Any) -> None:
    values = {"o": {"b": 2}, "arr": [1, 2, 3], "s": "Hello", "m": {"row": {"col": 7}},
              "pd": [{"q": "x"}, {"q": "y"}], "dotted.key": "literal", "dotted": {"key": "nested"}}
    assert ev(text, values) == result


def test_chained_values_fall_back_to_the_second_mapping() -> None:
    values = ChainedValues({"a": 1}, {"a": 2, "b": 3})
    assert ev("{a} + {b}", values) == 4  # type: ignore[arg-type]


# --- 9. contains / anyof / allof / noneof ------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "result"),
    [
        ("'215' contains 1", True),
        ("{s} contains 'ELL'", True),
        ("{missing} contains 'a'", False),
        ("{missing} notcontains 'a'", True),
        ("{missing} anyof ['a']", False),
        ("{missing} allof ['a']", False),
        ("{missing} noneof ['a']", True),
        ("'x' anyof []", True),
        ("{arr} anyof [3, 4]", True),
        ("{arr} allof [1, 4]", False),
        ("{arr} noneof [4, 5]", True),
        ("{arr} contains [1, 2]", True),
        ("'a0' contains 0", False),  # a falsy right side never matches a string
    ],
)
def test_membership(text: str, result: bool) -> None:
    assert ev(text, {"s": "Hello", "arr": [1, 2, 3]}) is result


# --- 22. context variables are plain values ----------------------------------------------------
def test_context_variables() -> None:
    values = {"row": {"x": 3}, "rowIndex": 1, "panel": {"q": "a"}, "panelIndex": 0, "prevPanel": {"q": "b"}}
    assert cond("{row.x} > 2 and {rowIndex} = 1 and {panelIndex} = 0", values)
    assert ev("{panel.q} + {prevPanel.q}", values) == "ab"


# --- dates in comparisons -----------------------------------------------------------------------
def test_dates_compare_with_strings() -> None:
    assert cond("getDate('2024-06-15') = '2024-06-15'")
    ctx = EvalContext(now=datetime(2025, 6, 15, 12, tzinfo=UTC))
    assert compile_expression("today() > '2025-06-14'").evaluate_condition({}, ctx)
    assert not compile_expression("today() > '2025-06-15'").evaluate_condition({}, ctx)
    expr = compile_expression("getDate({d}) < '2024-06-16'")
    assert expr.evaluate_condition({"d": "2024-06-15"}, ctx)


# --- never raises -----------------------------------------------------------------------------
def test_evaluation_errors_become_null_with_a_warning() -> None:
    ctx = EvalContext()
    assert compile_expression("{o} + 1").evaluate({"o": {"toString": 1}}, ctx) is None
    assert ctx.warnings and "failed" in ctx.warnings[0]
    assert compile_expression("constructor(1)").evaluate({}, ctx) is None


def test_undefined_values_count_as_missing() -> None:
    assert ev("{a}", {"a": UNDEFINED}) is None
    assert ev("{a} empty", {"a": UNDEFINED}) is True
