"""Parsing: survey-core's grammar, its text patching, toString() and getVariables()."""

from __future__ import annotations

import pytest

from surveys.engine.expressions import ExpressionSyntaxError, compile_expression
from surveys.engine.expressions.parser import patch_expression


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("{a} + 1", "({a} + 1)"),
        ("1 + 2 * 3", "(1 + (2 * 3))"),
        ("2^3^2", "((2 ^ 3) ^ 2)"),  # left-associative
        ("2 power 3", "(2 ^ 3)"),
        ("! {a} = 1", "(! {a} == 1)"),  # ! binds tighter than =
        ("negate {a}", "! {a}"),
        ("{a} and {b} or {c}", "(({a} and {b}) or {c})"),
        ("{a} or {b} and {c}", "({a} or ({b} and {c}))"),
        ("{a} && {b} || {c}", "(({a} and {b}) or {c})"),
        ("{a} contains 'x' = true", "(({a} contains 'x') == true)"),
        ("{a} ^ {b} contains 1", "({a} ^ ({b} contains 1))"),  # contains binds tighter than ^
        ("{a} empty", "{a} empty"),
        ("{a} notempty and {b} empty", "({a} notempty and {b} empty)"),
        ("[1, 'a', {b}]", "[1, 'a', {b}]"),
        ("\"dq\"", "'dq'"),
        ("''", "''"),
        ("0x10", "16"),
        ("-2.5", "-2.5"),
        ("sum(1, 2", "sum(1, 2)"),  # the closing parenthesis is optional
        ("(1 + 2", "(1 + 2)"),
        ("{a} contains", "({a} contains )"),
        ("{a} = null", "({a} == )"),
        ("sum(null, 1)", "sum()"),  # a null first argument drops the whole list
        ("[,1]", "[]"),
        ("{#a}", "{#a}"),
        ("{ a }", "{ a }"),
        ("TRUE", "true"),
        ("abc", "abc"),
        ("{a} equals 1", "({a} == 1)"),
        ("{a} <> 1", "({a} != 1)"),
        ("{a} => 1", "({a} >= 1)"),
        ("{a} =< 1", "({a} <= 1)"),
        ("{a} greaterorequal 1", "({a} >= 1)"),
        ("{a} *= 'x'", "({a} contains 'x')"),
    ],
)
def test_to_string_matches_survey_core(text: str, parsed: str) -> None:
    assert compile_expression(text).to_string() == parsed


def test_patching_happens_inside_strings_too() -> None:
    assert patch_expression("{a} = 'x<>y'") == "{a} = 'x!=y'"
    assert patch_expression("'equals notequals'") == "'equal  notequal '"
    assert compile_expression("'a=>b'").evaluate({}) == "a>=b"


def test_variables_are_listed_in_order_with_repeats() -> None:
    expr = compile_expression("{a} + {B} > sum({a}, {c.d}, {#e})")
    assert expr.variables == ("a", "B", "a", "c.d", "e")
    assert expr.functions == ("sum",)


def test_has_const_function() -> None:
    assert compile_expression("today() > {d}").has_const_function()
    assert not compile_expression("age({d}) > 18").has_const_function()
    assert compile_expression("age({d}) > 18").has_function()
    assert not compile_expression("{a} > 1").has_function()


def test_async_functions_are_detected() -> None:
    assert compile_expression("displayValue('q') = 'x'").is_async()
    assert not compile_expression("{a} = 'x'").is_async()


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("not {a}", 4),
        ("{a} = 1 or", 10),
        ("007", 3),
        ("0xff", 2),
        ("-{a}", 1),
        ("", 0),
        ("{a} = 'x", 8),
        ("'😀' = 1 +", 9),  # positions count characters, not UTF-16 units
    ],
)
def test_syntax_errors_report_a_position(text: str, position: int) -> None:
    with pytest.raises(ExpressionSyntaxError) as info:
        compile_expression(text)
    err = info.value
    assert err.position == position
    assert err.text == text
    assert err.message.startswith("Unexpected ")
    assert f"at position {position}" in err.message


def test_survey_core_positions_count_utf16_units() -> None:
    with pytest.raises(ExpressionSyntaxError) as info:
        compile_expression("'😀' = 1 +")
    assert info.value.position == 9
    assert info.value.js_position == 10


def test_syntax_error_messages_are_plain() -> None:
    with pytest.raises(ExpressionSyntaxError) as info:
        compile_expression("{a} = )")
    assert info.value.message == "Unexpected ')' at position 6: expected an operand"
    with pytest.raises(ExpressionSyntaxError) as info:
        compile_expression("not {a}")
    assert "expected an operator or the end of the expression" in info.value.message
    assert info.value.js_message is not None and info.value.js_message.startswith("Expected ")


def test_not_is_not_an_operator() -> None:
    with pytest.raises(ExpressionSyntaxError):
        compile_expression("not {a}")


@pytest.mark.parametrize("text", ["null", "undefined", "sum(1, 2, null)", "! null", "[1, null]"])
def test_texts_survey_core_cannot_run_are_rejected(text: str) -> None:
    with pytest.raises(ExpressionSyntaxError):
        compile_expression(text)


def test_non_strings_are_rejected() -> None:
    with pytest.raises(ExpressionSyntaxError):
        compile_expression(123)  # type: ignore[arg-type]


def test_deep_nesting_is_a_syntax_error_not_a_crash() -> None:
    with pytest.raises(ExpressionSyntaxError):
        compile_expression("(" * 2000 + "1" + ")" * 2000)


def test_long_flat_chains_are_fine() -> None:
    expr = compile_expression(" + ".join(["1"] * 3000))
    assert expr.evaluate({}) == 3000
    assert expr.to_string().startswith("(" * 2999)


def test_compilation_is_cached() -> None:
    assert compile_expression("{x} + 1") is compile_expression("{x} + 1")
    with pytest.raises(ExpressionSyntaxError) as first:
        compile_expression("1 +")
    with pytest.raises(ExpressionSyntaxError) as second:
        compile_expression("1 +")
    assert first.value is not second.value  # a fresh exception every time
