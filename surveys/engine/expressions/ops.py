"""The operators of the expression language, with survey-core's semantics.

Every binary operator is a function ``(left, right, ctx) -> value``; ``ctx`` is only read by
the comparisons, which may turn a string into a date (survey-core compares a ``Date`` with a
string by parsing the string, and "now" comes from the evaluation context).

Arithmetic operators (and, surprisingly, ``and``/``or``, which the grammar also builds as
arithmetic) first replace an empty operand by ``0``, ``""`` or ``[]`` depending on the other
side (``OperandMaker.binaryFunctions.arithmeticOp``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final

from surveys.engine.values import (
    UNDEFINED,
    JSDate,
    correct_after_multiple,
    correct_after_plus_minus,
    is_empty,
    is_js_number,
    js_divide,
    js_less_than,
    js_modulo,
    js_multiply,
    js_pow,
    js_subtract,
    js_truthy,
    sum_any_values,
    to_js_string,
    utf16_len,
    values_equal,
)

if TYPE_CHECKING:
    from surveys.engine.expressions.context import EvalContext

__all__ = ["BINARY_OPERATORS", "UNARY_OPERATORS", "BinaryOp", "js_get_prop"]

BinaryOp = Callable[[Any, Any, "EvalContext"], Any]


# ---------------------------------------------------------------------------------------------
# Property access (obj[key]) as JavaScript does it for JSON-like values
# ---------------------------------------------------------------------------------------------
def _array_index(key: str) -> int | None:
    if key.isdigit() and key.isascii() and (key == "0" or key[0] != "0"):
        return int(key)
    return None


def js_get_prop(obj: Any, key: str) -> Any:
    """``obj[key]``: own members only (inherited ``Object.prototype`` members read as undefined)."""
    if isinstance(obj, Mapping):
        return obj.get(key, UNDEFINED)
    if isinstance(obj, list):
        if key == "length":
            return len(obj)
        i = _array_index(key)
        return obj[i] if i is not None and i < len(obj) else UNDEFINED
    if isinstance(obj, str):
        if key == "length":
            return utf16_len(obj)
        i = _array_index(key)
        if i is None:
            return UNDEFINED
        if obj.isascii():
            return obj[i] if i < len(obj) else UNDEFINED
        units = obj.encode("utf-16-le", "surrogatepass")
        if i >= len(units) // 2:
            return UNDEFINED
        return units[2 * i : 2 * i + 2].decode("utf-16-le", "surrogatepass")
    return UNDEFINED


# ---------------------------------------------------------------------------------------------
# Arithmetic
# ---------------------------------------------------------------------------------------------
def _arith_operand(val: Any, second: Any) -> Any:
    """``convertForArithmeticOp``: what an empty operand becomes, given the other side."""
    if not is_empty(val):
        return val
    if is_js_number(second):
        return 0
    if type(val) is str:
        return val
    if type(second) is str:
        return ""
    if isinstance(second, list):
        return []
    return 0


def _arithmetic(fn: Callable[[Any, Any], Any]) -> BinaryOp:
    def op(a: Any, b: Any, ctx: EvalContext) -> Any:
        a = _arith_operand(a, b)
        b = _arith_operand(b, a)
        return fn(a, b)

    op.__name__ = fn.__name__
    return op


def _and(a: Any, b: Any) -> Any:
    return b if js_truthy(a) else a


def _or(a: Any, b: Any) -> Any:
    return a if js_truthy(a) else b


def _minus(a: Any, b: Any) -> Any:
    if type(a) is int and type(b) is int:
        return js_subtract(a, b)  # no decimals to correct
    return correct_after_plus_minus(a, b, js_subtract(a, b))


def _mul(a: Any, b: Any) -> Any:
    if type(a) is int and type(b) is int:
        return js_multiply(a, b)
    return correct_after_multiple(a, b, js_multiply(a, b))


def _div(a: Any, b: Any) -> Any:
    # survey-core: division by any falsy value (0, "", NaN...) gives null, not Infinity
    if not js_truthy(b):
        return None
    return js_divide(a, b)


def _mod(a: Any, b: Any) -> Any:
    if not js_truthy(b):
        return None
    return js_modulo(a, b)


# ---------------------------------------------------------------------------------------------
# Comparison
# ---------------------------------------------------------------------------------------------
def _date_operand(val: Any, second: Any, ctx: EvalContext) -> Any:
    """``OperandMaker.convertValForDateCompare`` (it mutates the date operand, like JS)."""
    if isinstance(second, JSDate) and type(val) is str:
        res = ctx.create_date(val)
        second.set_milliseconds(0)
        if second.get_hours() > 0 or second.get_minutes() > 0 or second.get_seconds() > 0:
            return res
        res.set_hours(0, 0, 0)
        return res
    if type(second) is str and isinstance(val, JSDate):
        n = utf16_len(second)
        if n < 17:
            val.set_seconds(0, 0)
        if n < 14:
            val.set_minutes(0, 0)
        if n < 11:
            val.set_hours(0, 0)
    return val


def equal(left: Any, right: Any, ctx: EvalContext) -> bool:
    if isinstance(left, JSDate) or isinstance(right, JSDate):
        left = _date_operand(left, right, ctx)
        right = _date_operand(right, left, ctx)
    # OperandMaker.isTwoValueEquals: the string "undefined" means undefined
    if left == "undefined" and type(left) is str:
        left = UNDEFINED
    if right == "undefined" and type(right) is str:
        right = UNDEFINED
    return values_equal(left, right, True)


def notequal(left: Any, right: Any, ctx: EvalContext) -> bool:
    return not equal(left, right, ctx)


def greater(left: Any, right: Any, ctx: EvalContext) -> bool:
    if left is None or left is UNDEFINED or right is None or right is UNDEFINED:
        return False
    if isinstance(left, JSDate) or isinstance(right, JSDate):
        left = _date_operand(left, right, ctx)
        right = _date_operand(right, left, ctx)
    return js_less_than(right, left)


def less(left: Any, right: Any, ctx: EvalContext) -> bool:
    if left is None or left is UNDEFINED or right is None or right is UNDEFINED:
        return False
    if isinstance(left, JSDate) or isinstance(right, JSDate):
        left = _date_operand(left, right, ctx)
        right = _date_operand(right, left, ctx)
    return js_less_than(left, right)


def greaterorequal(left: Any, right: Any, ctx: EvalContext) -> bool:
    return equal(left, right, ctx) or greater(left, right, ctx)


def lessorequal(left: Any, right: Any, ctx: EvalContext) -> bool:
    return equal(left, right, ctx) or less(left, right, ctx)


# ---------------------------------------------------------------------------------------------
# contains / anyof / allof / noneof
# ---------------------------------------------------------------------------------------------
def _is_zero_or_false(v: Any) -> bool:
    return v is False or (is_js_number(v) and v == 0)


def _item_equal(a: Any, b: Any) -> bool:
    if type(a) is str and a == "undefined":
        a = UNDEFINED
    if type(b) is str and b == "undefined":
        b = UNDEFINED
    return values_equal(a, b, True)


def _contains_core(left: Any, right: Any, is_contains: bool) -> bool:
    if isinstance(left, list) and not left:
        return not is_contains
    if not js_truthy(left) and not _is_zero_or_false(left):
        return False
    length = js_get_prop(left, "length") if isinstance(left, (list, str, Mapping)) else UNDEFINED
    if not js_truthy(length):
        left = to_js_string(left)
    if type(left) is str:
        if not js_truthy(right):
            return False
        found = to_js_string(right).lower() in left.lower()
        return found if is_contains else not found
    items: list[Any]
    if isinstance(left, list):
        items = left
    else:  # an object with a truthy "length" member, read as an array-like
        items = []
        i = 0
        while i < 10_000 and js_less_than(i, length):
            items.append(js_get_prop(left, str(i)))
            i += 1
    rights = right if isinstance(right, list) else [right]
    for r in rights:
        if not any(_item_equal(item, r) for item in items):
            return not is_contains
    return is_contains


def contains(left: Any, right: Any, ctx: EvalContext | None = None) -> bool:
    return _contains_core(left, right, True)


def notcontains(left: Any, right: Any, ctx: EvalContext | None = None) -> bool:
    if not js_truthy(left) and not is_empty(right):
        return True
    return _contains_core(left, right, False)


def anyof(left: Any, right: Any, ctx: EvalContext | None = None) -> bool:
    left_empty = is_empty(left)
    right_empty = is_empty(right)
    if left_empty and right_empty:
        return True
    if left_empty:
        return False
    if not isinstance(left, list):
        length = js_get_prop(left, "length")
        if is_js_number(length) and length == 0:
            return False
    if right_empty:
        return True
    if not isinstance(left, list):
        return contains(right, left)
    if not isinstance(right, list):
        return contains(left, right)
    return any(contains(left, r) for r in right)


def noneof(left: Any, right: Any, ctx: EvalContext | None = None) -> bool:
    return not anyof(left, right)


def allof(left: Any, right: Any, ctx: EvalContext | None = None) -> bool:
    if not js_truthy(left) and not is_empty(right):
        return False
    if not isinstance(right, list):
        return contains(left, right)
    return all(contains(left, r) for r in right)


# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------
BINARY_OPERATORS: Final[dict[str, BinaryOp]] = {
    "and": _arithmetic(_and),
    "or": _arithmetic(_or),
    "plus": _arithmetic(sum_any_values),
    "minus": _arithmetic(_minus),
    "mul": _arithmetic(_mul),
    "div": _arithmetic(_div),
    "mod": _arithmetic(_mod),
    "power": _arithmetic(js_pow),
    "equal": equal,
    "notequal": notequal,
    "greater": greater,
    "less": less,
    "greaterorequal": greaterorequal,
    "lessorequal": lessorequal,
    "contains": contains,
    "notcontains": notcontains,
    "anyof": anyof,
    "allof": allof,
    "noneof": noneof,
}


def _negate(v: Any) -> bool:
    return not js_truthy(v)


def _notempty(v: Any) -> bool:
    return not is_empty(v)


UNARY_OPERATORS: Final[dict[str, Callable[[Any], Any]]] = {
    "negate": _negate,
    "empty": is_empty,
    "notempty": _notempty,
}
