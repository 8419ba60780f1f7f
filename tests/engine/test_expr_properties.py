"""Property tests: the parser and the evaluator never raise anything unexpected."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys.engine.expressions import (
    EvalContext,
    Expression,
    ExpressionSyntaxError,
    compile_expression,
    run_function_case,
)
from surveys.engine.values import to_json

TOKENS = [
    "{a}", "{b}", "{c.d}", "{e[0]}", "{e[-1]}", "{e.length}", "{#a}", "{$b}", "{A}", "{ toString }",
    "1", "0", "-2.5", "0x1F", "0.1", "true", "false", "null", "undefined", "'x'", "''", "\"y\"", "'1,5'",
    "[1, 'a']", "[]", "abc", " ", "(", ")", "[", "]", ",", "+", "-", "*", "/", "%", "^", "=", "!=", "<>",
    "<", ">", "<=", ">=", "=>", "and", "or", "&&", "||", "!", "negate", "empty", "notempty", "contains",
    "notcontains", "anyof", "allof", "noneof", "sum(", "iif(", "round(", "dateAdd(", "age(", "today()",
    "sumInArray({e}, 'v', ", "substring(", "min(", "max(", "count(", "avg(", "trunc(", "unknownFn(",
    "displayValue(", "propertyValue(", "getDate(", "diffDays(", "'2024-06-15'", "equals", "not",
]

expression_soup = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=12).map(" ".join)

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(["", " ", "007", "1,5", "true", "0x10", "2024-06-15", "toString", "'q'", "1e400"]),
)
json_keys = st.one_of(st.text(max_size=6), st.sampled_from(["toString", "equals", "length", "valueOf", "v", "0"]))
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(json_keys, children, max_size=4),
    ),
    max_leaves=12,
)
value_maps = st.fixed_dictionaries(
    {},
    optional={"a": json_values, "b": json_values, "c": json_values, "e": json_values, "A": json_values},
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=60))
def test_parser_never_raises_on_arbitrary_text(text: str) -> None:
    try:
        expr = compile_expression(text)
    except ExpressionSyntaxError as e:
        assert 0 <= e.position <= len(text)
        return
    assert isinstance(expr, Expression)
    expr.to_string()
    list(expr.variables)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expression_soup)
def test_parser_never_raises_on_token_soup(text: str) -> None:
    try:
        compile_expression(text).to_string()
    except ExpressionSyntaxError:
        pass


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expression_soup, value_maps)
def test_evaluation_never_raises_on_json_values(text: str, values: dict[str, Any]) -> None:
    try:
        expr = compile_expression(text)
    except ExpressionSyntaxError:
        return
    ctx = EvalContext(tz="Europe/Oslo")
    result = expr.evaluate(values, ctx)
    to_json(result)
    assert isinstance(expr.evaluate_condition(values, ctx), bool)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(expression_soup, st.text(max_size=30)), value_maps)
def test_function_mode_never_raises(text: str, values: dict[str, Any]) -> None:
    out = run_function_case({"expression": text, "values": values, "now": "2025-06-15T12:00:00Z"})
    assert ("exception" in out) or {"parsed", "variables", "result", "condition"} <= set(out)
