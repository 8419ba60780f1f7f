"""``run_function_case``: the reference runner's function mode, in Python.

Input: ``{"expression": "...", "values": {...}, "now"?: ISO string, "tz"?: zone name}``.
Output: the same keys the Node runner prints — ``parsed``, ``variables``, ``result``,
``condition``, ``parseError`` when the text does not parse, ``warnings`` when there are any,
or only ``exception`` (plus ``warnings``) where survey-core throws.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from surveys.engine.expressions.compiler import compile_expression
from surveys.engine.expressions.context import EvalContext
from surveys.engine.expressions.errors import ExpressionSyntaxError
from surveys.engine.values import JSDate, JSError, ValuesDict, loose_true, to_json

__all__ = ["run_function_case"]


def _parse_now(text: Any, tz: str | None) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    ms = JSDate.from_value(text, tz).ms  # the runner does new Date(now) in the case's zone
    if ms != ms:
        return None
    return datetime.fromtimestamp(ms / 1000, UTC)


def _fresh(values: Any) -> Any:
    """A private copy (survey-core mutates dates while comparing); a ValuesDict at the top, so
    that a name matching several keys ignoring case picks the first, as survey-core does."""
    copied = copy.deepcopy(values)
    return ValuesDict(copied) if isinstance(copied, dict) else copied


def _sorted(out: dict[str, Any]) -> dict[str, Any]:
    return {k: out[k] for k in sorted(out)}


def run_function_case(case: dict[str, Any]) -> dict[str, Any]:
    """Evaluate one function-mode case the way ``surveyjs_eval.mjs`` does."""
    text = case.get("expression", "")
    values = copy.deepcopy(case.get("values") or {})
    warnings: list[str] = []
    tz = case.get("tz") or None
    ctx = EvalContext(now=_parse_now(case.get("now"), tz), tz=tz, warnings=warnings)
    out: dict[str, Any] = {}
    try:
        expr = compile_expression(text)
    except ExpressionSyntaxError as e:
        if e.js_exception is not None:
            out = {"exception": e.js_exception}
        else:
            out["parsed"] = None
            out["parseError"] = (
                {"at": e.js_position, "code": e.js_message} if e.js_position is not None else True
            )
            out["variables"] = []
            out["result"] = None
            out["condition"] = False
            if isinstance(text, str) and text:
                # ExpressionRunner and ConditionRunner each warn once
                warnings.extend([f"Invalid expression: '{text}'."] * 2)
        if warnings:
            out["warnings"] = warnings
        return _sorted(out)
    out["parsed"] = expr.to_string()
    out["variables"] = list(expr.variables)
    is_async = expr.is_async(ctx.functions)
    try:
        result = expr.evaluate_raw(_fresh(values), ctx)
        # survey-core runs an async expression through callbacks and returns false at once
        out["result"] = to_json(False if is_async else result)
        cond = expr.evaluate_raw(_fresh(values), ctx)
        out["condition"] = False if is_async else loose_true(cond)
    except JSError as e:
        out = {"exception": e.js_message}
    if warnings:
        out["warnings"] = warnings
    return _sorted(out)
