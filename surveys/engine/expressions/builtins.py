"""survey-core's built-in functions, except the date functions (see ``datefuncs``).

Each function takes ``(params, call)``: the evaluated arguments and a ``CallInfo``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final

from surveys.engine.expressions.ops import js_get_prop
from surveys.engine.values import (
    NAN,
    UNDEFINED,
    correct_after_plus_minus,
    get_number,
    is_empty,
    is_number,
    js_add,
    js_divide,
    js_less_than,
    js_loose_equals,
    js_multiply,
    js_pow,
    js_truthy,
    norm_number,
    string_to_number,
    to_js_string,
    to_number,
)

if TYPE_CHECKING:
    from surveys.engine.expressions.functions import CallInfo, FunctionRegistry

__all__ = ["register_all"]

_EPSILON: Final = 2.0**-52


def _flatten(value: Any, out: list[Any]) -> None:
    """``getParamsAsArray``: nested arrays flattened, null/undefined skipped, numeric strings
    turned into numbers."""
    if value is None or value is UNDEFINED:
        return
    if isinstance(value, list):
        for v in value:
            _flatten(v, out)
        return
    if is_number(value):
        value = get_number(value)
    out.append(value)


def _flat(params: list[Any]) -> list[Any]:
    out: list[Any] = []
    _flatten(params, out)
    return out


# ---------------------------------------------------------------------------------------------
# Aggregates
# ---------------------------------------------------------------------------------------------
def _sum_values(params: list[Any]) -> Any:
    res: Any = 0
    for v in _flat(params):
        res = correct_after_plus_minus(res, v, js_add(res, v))
    return res


def fn_sum(params: list[Any], call: CallInfo) -> Any:
    return _sum_values(params)


def _min_max(params: list[Any], is_min: bool) -> Any:
    res: Any = UNDEFINED
    for v in _flat(params):
        if res is UNDEFINED:
            res = v
        if is_min:
            if js_less_than(v, res):
                res = v
        elif js_less_than(res, v):
            res = v
    return res


def fn_min(params: list[Any], call: CallInfo) -> Any:
    return _min_max(params, True)


def fn_max(params: list[Any], call: CallInfo) -> Any:
    return _min_max(params, False)


def fn_count(params: list[Any], call: CallInfo) -> Any:
    return len(_flat(params))


def fn_avg(params: list[Any], call: CallInfo) -> Any:
    n = len(_flat(params))
    total = _sum_values(params)
    return js_divide(total, n) if n > 0 else 0


def _js_math_round(x: int | float) -> int | float:
    """JavaScript ``Math.round``: halves go towards +Infinity."""
    if type(x) is int:
        return x
    if x != x or math.isinf(x):
        return x
    f = math.floor(x)
    r = f + 1 if x - f >= 0.5 else f
    if r == 0 and x < 0:
        return -0.0
    return norm_number(float(r))


def fn_round(params: list[Any], call: CallInfo) -> Any:
    arr = _flat(params)
    if arr:
        num = arr[0]
        precision = arr[1] if len(arr) > 1 and js_truthy(arr[1]) else 0
        if is_number(num) and is_number(precision):
            p = js_pow(10, precision)
            n = js_multiply(js_multiply(num, p), 1 + _EPSILON)
            return js_divide(_js_math_round(to_number(n)), p)
    return NAN


def fn_trunc(params: list[Any], call: CallInfo) -> Any:
    arr = _flat(params)
    if arr:
        num = arr[0]
        precision = arr[1] if len(arr) > 1 and js_truthy(arr[1]) else -1
        if is_number(num) and is_number(precision):
            # survey-core matches /^-?\d+(?:.\d{0,P})?/ against String(num). With a negative or
            # fractional P the "{0,P}" is not a quantifier and the group never matches.
            text = to_js_string(num)
            i = 1 if text.startswith("-") else 0
            while i < len(text) and "0" <= text[i] <= "9":
                i += 1
            head = text[:i]
            rest = text[i:]
            p_text = to_js_string(precision)
            if rest and p_text.isascii() and p_text.isdigit() and rest[0] not in "\n\r\u2028\u2029":
                limit = int(p_text)
                j = 1
                while j < len(rest) and j <= limit and "0" <= rest[j] <= "9":
                    j += 1
                head += rest[:j]
            return string_to_number(head)
    return NAN


# ---------------------------------------------------------------------------------------------
# xxxInArray
# ---------------------------------------------------------------------------------------------
def _js_for_in_values(data: Any) -> list[Any]:
    """The values a ``for (key in data)`` loop visits (integer-like keys first, ascending)."""
    if isinstance(data, list):
        return list(data)
    if isinstance(data, Mapping):
        keys = list(data)
        index_keys = [k for k in keys if type(k) is str and k.isascii() and k.isdigit() and (k == "0" or k[0] != "0") and int(k) < 2**32 - 1]
        if index_keys:
            rest = [k for k in keys if k not in set(index_keys)]
            keys = sorted(index_keys, key=int) + rest
        return [data[k] for k in keys]
    if type(data) is str:
        return [js_get_prop(data, str(i)) for i in range(len(data.encode("utf-16-le", "surrogatepass")) // 2)]
    return []


def _is_return_column(param: Any, operand: Any) -> bool:
    if operand is None or getattr(operand, "kind", "") != "const":
        return False
    return type(param) is str and not any(ch in param for ch in "{}><=!")


class _InArray:
    __slots__ = ("condition", "data", "name", "return_name")

    def __init__(self, data: Any, name: str, return_name: str, condition: Callable[[Any], bool] | None) -> None:
        self.data = data
        self.name = name
        self.return_name = return_name
        self.condition = condition


def _in_array_params(params: list[Any], call: CallInfo) -> _InArray | None:
    if len(params) < 2 or len(params) > 4:
        return None
    data = params[0]
    if not js_truthy(data):
        return None
    name = params[1]
    if type(name) is not str:
        return None
    operands = call.operands
    return_name = name
    expr_index = 2
    if len(params) > 2:
        operand = operands[2] if len(operands) > 2 else None
        if _is_return_column(params[2], operand):
            return_name = params[2]
            expr_index = 3
    expression: Any = params[expr_index] if len(params) > expr_index else UNDEFINED
    if type(expression) is not str:
        expression = UNDEFINED
    if not expression:
        operand = operands[expr_index] if len(operands) > expr_index else None
        if operand is not None:
            text = operand.to_string()
            if text:
                expression = text
    condition = _row_condition(expression, call) if expression else None
    return _InArray(data, name, return_name, condition)


def _row_condition(text: str, call: CallInfo) -> Callable[[Any], bool] | None:
    """A ``ConditionRunner`` for each row: the row's values first, then (with a survey) the
    survey's values."""
    from surveys.engine.expressions.compiler import compile_expression
    from surveys.engine.expressions.errors import ExpressionSyntaxError
    from surveys.engine.expressions.paths import ChainedValues

    ctx = call.ctx
    try:
        expr = compile_expression(text)
    except ExpressionSyntaxError:

        def invalid(row: Any) -> bool:
            ctx.warnings.append(f"Invalid expression: '{text}'.")
            return False

        return invalid
    if expr.is_async(ctx.functions):
        return None  # survey-core drops an async row condition
    outer = call.values if call.survey is not None else None

    def run(row: Any) -> bool:
        values = ChainedValues(row, outer) if outer is not None else row
        return expr.evaluate_condition(values, ctx, catch=False)

    return run


def _to_number_or_undefined(val: Any) -> Any:
    if type(val) is str:
        return get_number(val) if is_number(val) else UNDEFINED
    return val


def _calc_in_array(params: list[Any], call: CallInfo, func: Callable[[Any, Any], Any], convert: bool) -> Any:
    v = _in_array_params(params, call)
    if v is None:
        return UNDEFINED
    res: Any = UNDEFINED
    for item in _js_for_in_values(v.data):
        if not js_truthy(item):
            continue
        cell = js_get_prop(item, v.name)
        if is_empty(cell):
            continue
        if v.condition is not None and not v.condition(item):
            continue
        res = func(res, _to_number_or_undefined(cell) if convert else 1)
    return res


def _sum_step(res: Any, val: Any) -> Any:
    if res is None or res is UNDEFINED:
        res = 0
    if val is None or val is UNDEFINED:
        return res
    return correct_after_plus_minus(res, val, js_add(res, val))


def _count_step(res: Any, val: Any) -> Any:
    if res is None or res is UNDEFINED:
        res = 0
    if val is None or val is UNDEFINED:
        return res
    return js_add(res, 1)


def fn_sum_in_array(params: list[Any], call: CallInfo) -> Any:
    res = _calc_in_array(params, call, _sum_step, True)
    return 0 if res is UNDEFINED else res


def fn_count_in_array(params: list[Any], call: CallInfo) -> Any:
    res = _calc_in_array(params, call, _count_step, False)
    return 0 if res is UNDEFINED else res


def _min_max_in_array(params: list[Any], call: CallInfo, is_min: bool) -> Any:
    v = _in_array_params(params, call)
    if v is None:
        return UNDEFINED
    best_val: Any = UNDEFINED
    best_item: Any = UNDEFINED
    for item in _js_for_in_values(v.data):
        if not js_truthy(item):
            continue
        cell = js_get_prop(item, v.name)
        if is_empty(cell):
            continue
        if v.condition is not None and not v.condition(item):
            continue
        val = _to_number_or_undefined(cell)
        if val is None or val is UNDEFINED:
            continue
        if (
            best_val is None
            or best_val is UNDEFINED
            or (js_less_than(val, best_val) if is_min else js_less_than(best_val, val))
        ):
            best_val = val
            best_item = item
    if not js_truthy(best_item):
        return UNDEFINED
    if v.return_name != v.name:
        return js_get_prop(best_item, v.return_name)
    return best_val


def fn_min_in_array(params: list[Any], call: CallInfo) -> Any:
    return _min_max_in_array(params, call, True)


def fn_max_in_array(params: list[Any], call: CallInfo) -> Any:
    return _min_max_in_array(params, call, False)


def _run_registered(name: str, params: list[Any], call: CallInfo) -> Any:
    """``FunctionFactory.Instance.run(name, ...)``: through the registry, by name."""
    spec = call.registry.get(name)
    if spec is None:
        call.ctx.warnings.append(f"Unknown function name: '{name}'.")
        return None
    return spec.fn(params, call) if spec.needs_context else spec.fn(params)


def fn_avg_in_array(params: list[Any], call: CallInfo) -> Any:
    count = _run_registered("countInArray", params, call)
    if js_loose_equals(count, 0):
        return 0
    return js_divide(_run_registered("sumInArray", params, call), count)


# ---------------------------------------------------------------------------------------------
# Logic and text
# ---------------------------------------------------------------------------------------------
def fn_iif(params: list[Any], call: CallInfo) -> Any:
    if len(params) < 2:
        return None
    otherwise = params[2] if len(params) > 2 else UNDEFINED
    return params[1] if js_truthy(params[0]) else otherwise


def _to_integer_or_inf(x: Any) -> float:
    n = float(to_number(x))
    if n != n:
        return 0.0
    if math.isinf(n):
        return n
    return float(math.trunc(n))


def js_substring(s: str, start: Any, end: Any = UNDEFINED) -> str:
    """``String.prototype.substring`` (UTF-16 code units)."""
    ascii_only = s.isascii()
    units = s if ascii_only else s.encode("utf-16-le", "surrogatepass")
    length = len(units) if ascii_only else len(units) // 2
    a = min(max(_to_integer_or_inf(start), 0), length)
    b = length if end is UNDEFINED else min(max(_to_integer_or_inf(end), 0), length)
    lo, hi = int(min(a, b)), int(max(a, b))
    if ascii_only:
        return s[lo:hi]
    assert isinstance(units, bytes)
    return units[2 * lo : 2 * hi].decode("utf-16-le", "surrogatepass")


def fn_substring(params: list[Any], call: CallInfo) -> Any:
    if len(params) < 2:
        return ""
    s = params[0]
    if not js_truthy(s) or type(s) is not str:
        return ""
    start = params[1]
    if not is_number(start):
        return ""
    end = params[2] if len(params) > 2 else UNDEFINED
    if not is_number(end):
        return js_substring(s, start)
    return js_substring(s, start, end)


# ---------------------------------------------------------------------------------------------
# Survey-aware functions (see protocols.ExpressionSurvey)
# ---------------------------------------------------------------------------------------------
def fn_property_value(params: list[Any], call: CallInfo) -> Any:
    if len(params) != 2 or not js_truthy(params[0]) or not js_truthy(params[1]):
        return UNDEFINED
    survey = call.survey
    if survey is None:
        return UNDEFINED
    return survey.question_property(params[0], params[1])


def fn_get_comment(params: list[Any], call: CallInfo) -> Any:
    survey = call.survey
    if len(params) < 1 or not js_truthy(params[0]) or survey is None:
        return UNDEFINED
    item = params[1] if len(params) > 1 else UNDEFINED
    return survey.get_comment(params[0], item)


def fn_is_container_ready(params: list[Any], call: CallInfo) -> Any:
    survey = call.survey
    if not params or not js_truthy(params[0]) or survey is None:
        return False
    index = params[1] if len(params) > 1 else UNDEFINED
    return bool(survey.is_container_ready(params[0], index))


def fn_is_display_mode(params: list[Any], call: CallInfo) -> Any:
    survey = call.survey
    if survey is None:
        return UNDEFINED  # survey-core: "this.survey && this.survey.isDisplayMode"
    return survey.is_display_mode


def fn_display_value(params: list[Any], call: CallInfo) -> Any:
    survey = call.survey
    name = params[0] if params else UNDEFINED
    if survey is None or not js_truthy(name):
        return UNDEFINED
    value = params[1] if len(params) > 1 and not is_empty(params[1]) else UNDEFINED
    return survey.display_value(name, value)


_BUILTINS: Final[dict[str, Callable[[list[Any], CallInfo], Any]]] = {
    "sum": fn_sum,
    "min": fn_min,
    "max": fn_max,
    "count": fn_count,
    "avg": fn_avg,
    "round": fn_round,
    "trunc": fn_trunc,
    "sumInArray": fn_sum_in_array,
    "minInArray": fn_min_in_array,
    "maxInArray": fn_max_in_array,
    "countInArray": fn_count_in_array,
    "avgInArray": fn_avg_in_array,
    "iif": fn_iif,
    "substring": fn_substring,
    "propertyValue": fn_property_value,
    "getComment": fn_get_comment,
    "isContainerReady": fn_is_container_ready,
    "isDisplayMode": fn_is_display_mode,
    "displayValue": fn_display_value,
}


def register_all(registry: FunctionRegistry) -> None:
    for name, fn in _BUILTINS.items():
        registry.register(name, fn, needs_context=True, is_async=name == "displayValue")

