"""JavaScript value semantics the runtime needs (survey-core's ``Helpers``, ``Base`` and JS itself).

survey-core compares, empties and converts values with JavaScript rules. The runtime uses these
small helpers everywhere a Python operator would give a different answer: ``True == 1``,
``"1" == 1``, ``0 or x``, ``str(1.0)`` and so on. ``UNDEFINED`` is JavaScript ``undefined``.
"""

from __future__ import annotations

import copy
import math
import re
from typing import Any

from surveys.engine.values import UNDEFINED, JSDate

__all__ = [
    "UNDEFINED",
    "check_if_values_equal",
    "deep_copy",
    "get_number",
    "is_array",
    "is_convertible_to_number",
    "is_number",
    "is_object",
    "is_strict_equal",
    "is_two_value_equals",
    "is_value_empty",
    "is_value_empty_trim",
    "js_loose_eq",
    "js_parse_float",
    "js_parse_int",
    "js_to_number",
    "js_truthy",
    "number_to_string",
    "to_js_string",
]

_JS_WS = " \t\n\r\x0b\x0c\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"


def js_trim(s: str) -> str:
    return s.strip(_JS_WS)


def is_undef(v: Any) -> bool:
    return v is UNDEFINED


def is_nullish(v: Any) -> bool:
    return v is None or v is UNDEFINED


def is_num(v: Any) -> bool:
    """A JavaScript number (bool is not a number)."""
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def is_array(v: Any) -> bool:
    return isinstance(v, list)


def is_object(v: Any) -> bool:
    """``v instanceof Object`` for JSON-like values (arrays and dates included)."""
    return isinstance(v, (dict, list, JSDate))


def is_plain_object(v: Any) -> bool:
    return isinstance(v, dict)


def js_truthy(v: Any) -> bool:
    if v is None or v is UNDEFINED or v is False:
        return False
    if isinstance(v, bool):
        return True
    if isinstance(v, (int, float)):
        return not (v == 0 or (isinstance(v, float) and math.isnan(v)))
    if isinstance(v, str):
        return v != ""
    return True


# --------------------------------------------------------------------------------------------
# numbers
# --------------------------------------------------------------------------------------------
_DEC_LITERAL = re.compile(r"^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|Infinity)$")
_PARSE_FLOAT = re.compile(r"^[+-]?(?:Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)")
_PARSE_FLOAT_NOEXP = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)")


def js_string_to_number(s: str) -> float:
    t = js_trim(s)
    if t == "":
        return 0.0
    low = t[:2].lower()
    if low in ("0x", "0o", "0b") and len(t) > 2:
        base = {"0x": 16, "0o": 8, "0b": 2}[low]
        try:
            return float(int(t[2:], base))
        except ValueError:
            return math.nan
    if _DEC_LITERAL.match(t):
        if t.endswith("Infinity"):
            return -math.inf if t.startswith("-") else math.inf
        try:
            return float(t)
        except ValueError:  # pragma: no cover - regex guarantees a literal
            return math.nan
    return math.nan


def js_to_number(v: Any) -> float:
    """JavaScript ``Number(v)``."""
    if v is UNDEFINED:
        return math.nan
    if v is None or v is False:
        return 0.0
    if v is True:
        return 1.0
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str):
        return js_string_to_number(v)
    if isinstance(v, JSDate):
        return float(v.ms) if hasattr(v, "ms") else math.nan
    if isinstance(v, list):
        if len(v) == 0:
            return 0.0
        if len(v) == 1:
            return js_to_number(to_js_string(v[0]) if not isinstance(v[0], list) else v[0])
        return math.nan
    return math.nan


def js_parse_float(v: Any) -> float:
    s = js_trim(to_js_string(v)) if not isinstance(v, str) else js_trim(v)
    m = _PARSE_FLOAT.match(s)
    if not m:
        return math.nan
    txt = m.group(0)
    if txt.endswith("Infinity"):
        return -math.inf if txt.startswith("-") else math.inf
    try:
        return float(txt)
    except ValueError:
        m2 = _PARSE_FLOAT_NOEXP.match(s)
        return float(m2.group(0)) if m2 else math.nan


def js_parse_int(v: Any) -> float:
    s = js_trim(to_js_string(v)) if not isinstance(v, str) else js_trim(v)
    sign = 1
    if s[:1] in ("+", "-"):
        sign = -1 if s[0] == "-" else 1
        s = s[1:]
    base = 10
    if s[:2].lower() == "0x":
        base = 16
        s = s[2:]
    digits = "0123456789abcdef"[:base]
    n = 0
    i = 0
    for ch in s.lower():
        d = digits.find(ch)
        if d < 0:
            break
        n = n * base + d
        i += 1
    if i == 0:
        return math.nan
    return float(sign * n)


def is_convertible_to_number(v: Any) -> bool:
    """survey-core ``Helpers.isConvertibleToNumber``: ``!isNaN(value)`` for non-arrays."""
    if v is None or v is UNDEFINED or isinstance(v, list):
        return False
    if isinstance(v, dict):
        return False
    return not math.isnan(js_to_number(v))


def _is_string_has_operator(s: str) -> bool:
    if s.rfind("-") > 0:
        return False
    if s.rfind("+") > 0:
        return False
    return any(op in s for op in "*^/%")


def get_number(v: Any) -> float:
    """survey-core ``Helpers.getNumber``: NaN when the value is not numeric."""
    if isinstance(v, bool) or v is None or v is UNDEFINED:
        return math.nan
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str):
        s = js_trim(v)
        if not s:
            return math.nan
        if s.startswith("0x"):
            if len(s) > 32:
                return math.nan
            return js_parse_int(s)
        if len(s) > 15 and s.isdigit() and s.isascii():
            return math.nan
        if _is_string_has_operator(s):
            return math.nan
        i = s.find(",")
        if i > -1 and s.find(",", i + 1) < 0:
            s = s.replace(",", ".", 1)
        res = js_parse_float(s)
        if math.isnan(res) or not math.isfinite(js_string_to_number(s)):
            return math.nan
        return res
    if isinstance(v, list):
        res = js_parse_float(to_js_string(v))
        n = js_to_number(v)
        if math.isnan(res) or not math.isfinite(n):
            return math.nan
        return res
    return math.nan


def is_number(v: Any) -> bool:
    return not math.isnan(get_number(v))


def num_value(f: float) -> int | float:
    """A float that holds an integer becomes an int (JSON prints it the way JavaScript does)."""
    if math.isfinite(f) and f == int(f) and abs(f) < 2**53:
        return int(f)
    return f


def number_to_string(n: int | float) -> str:
    """JavaScript ``Number.prototype.toString()``."""
    if isinstance(n, bool):
        return "true" if n else "false"
    if isinstance(n, int):
        if abs(n) < 10**21:
            return str(n)
        n = float(n)
    if math.isnan(n):
        return "NaN"
    if math.isinf(n):
        return "Infinity" if n > 0 else "-Infinity"
    if n == 0:
        return "0"
    if n == int(n) and abs(n) < 1e21:
        return str(int(n))
    r = repr(n)
    if "e" in r or "E" in r:
        mant, exp = r.split("e")
        e = int(exp)
        digits = mant.replace(".", "").replace("-", "")
        digits = digits.rstrip("0") or "0"
        sign = "-" if n < 0 else ""
        # JavaScript uses exponent notation only for exponents >= 21 or <= -7.
        if -7 < e < 21:
            point = e + 1
            if point <= 0:
                return sign + "0." + "0" * (-point) + digits
            if point >= len(digits):
                return sign + digits + "0" * (point - len(digits))
            return sign + digits[:point] + "." + digits[point:]
        m = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{m}e{'+' if e > 0 else '-'}{abs(e)}"
    if abs(n) < 1e-6:
        # Python prints e.g. 1e-07 above; anything else that small uses plain digits in repr.
        return r
    return r


def to_js_string(v: Any) -> str:
    """JavaScript ``String(v)`` for JSON-like values."""
    if v is UNDEFINED:
        return "undefined"
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, (int, float)):
        return number_to_string(v)
    if isinstance(v, str):
        return v
    if isinstance(v, list):
        return ",".join("" if is_nullish(x) else to_js_string(x) for x in v)
    if isinstance(v, dict):
        return "[object Object]"
    return str(v)


# --------------------------------------------------------------------------------------------
# emptiness and equality
# --------------------------------------------------------------------------------------------
def is_value_empty(v: Any) -> bool:
    """``Helpers.isValueEmpty``: undefined, null, "", [] and objects whose values are all empty."""
    if v is None or v is UNDEFINED:
        return True
    t = type(v)  # exact-type fast paths (the isinstance checks below handle subclasses)
    if t is str:
        return bool(v == "")
    if t is bool or t is int:
        return False
    if t is list:
        return len(v) == 0
    if isinstance(v, list):
        return len(v) == 0
    if isinstance(v, dict):
        for x in v.values():
            if not is_value_empty(x):
                return False
        return True
    if isinstance(v, str):
        return v == ""
    if isinstance(v, bool):
        return False
    if isinstance(v, float) and math.isnan(v):
        return True
    return False


def is_value_empty_trim(v: Any) -> bool:
    """``Base.isValueEmpty(value, trimString=true)``: whitespace-only strings are empty too."""
    if v is None or v is UNDEFINED:
        return True
    if type(v) is str:
        return v == "" or js_trim(v) == ""
    if isinstance(v, str):
        return js_trim(v) == ""
    return is_value_empty(v)


def is_strict_equal(a: Any, b: Any) -> bool:
    """JavaScript ``===`` for JSON-like values (objects compare by identity)."""
    if a is b:
        return True
    if isinstance(a, bool) or isinstance(b, bool):
        return False
    if is_num(a) and is_num(b):
        return bool(a == b)
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    return False


def js_loose_eq(a: Any, b: Any) -> bool:
    """JavaScript ``==`` for JSON-like values."""
    if is_nullish(a) or is_nullish(b):
        return is_nullish(a) and is_nullish(b)
    if isinstance(a, (dict, list)) or isinstance(b, (dict, list)):
        if isinstance(a, (dict, list)) and isinstance(b, (dict, list)):
            return a is b
        obj, prim = (a, b) if isinstance(a, (dict, list)) else (b, a)
        return js_loose_eq(to_js_string(obj), prim)
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    if isinstance(a, JSDate) or isinstance(b, JSDate):
        return a is b
    return js_to_number(a) == js_to_number(b)


def check_if_values_equal(
    x: Any,
    y: Any,
    *,
    ignore_order: bool = False,
    case_sensitive: bool = False,
    trim_strings: bool = True,
    convert_numbers: bool = True,
) -> bool:
    """survey-core ``Helpers.checkIfValuesEqual``."""
    tx = type(x)
    if tx is type(y):
        # fast paths for the common same-type primitives (same results as the general path)
        if tx is str:
            if x == y:
                return True
            if case_sensitive and not trim_strings:
                return False
        elif tx is int or tx is float or tx is bool:
            return bool(x == y)
    if is_strict_equal(x, y):
        return True
    if isinstance(x, list) and len(x) == 0 and y is UNDEFINED:
        return True
    if isinstance(y, list) and len(y) == 0 and x is UNDEFINED:
        return True
    if is_nullish(x) and isinstance(y, str) and y == "":
        return True
    if is_nullish(y) and isinstance(x, str) and x == "":
        return True
    if isinstance(x, str) and isinstance(y, str):
        if trim_strings:
            x = js_trim(x)
            y = js_trim(y)
        if not case_sensitive:
            x = x.lower()
            y = y.lower()
        return bool(x == y)
    if isinstance(x, JSDate) and isinstance(y, JSDate):
        return bool(x == y)
    if convert_numbers and is_convertible_to_number(x) and is_convertible_to_number(y):
        pi_x, pi_y = js_parse_int(x), js_parse_int(y)
        pf_x, pf_y = js_parse_float(x), js_parse_float(y)
        if pi_x == pi_y and pf_x == pf_y:
            return True
    ex, ey = is_value_empty(x), is_value_empty(y)
    if ex != ey:
        return False
    if isinstance(x, bool) and isinstance(y, str):
        return ("true" if x else "false") == y.lower()
    if isinstance(y, bool) and isinstance(x, str):
        return ("true" if y else "false") == x.lower()
    x_obj, y_obj = is_object(x), is_object(y)
    if not x_obj and not y_obj and (convert_numbers or (not is_num(x) and not is_num(y))):
        return js_loose_eq(x, y)
    if not x_obj or not y_obj:
        return False
    if isinstance(x, list) and isinstance(y, list):
        if len(x) != len(y):
            return False
        if ignore_order:
            try:
                xs = sorted(x, key=to_js_string)
                ys = sorted(y, key=to_js_string)
            except TypeError:  # pragma: no cover
                xs, ys = list(x), list(y)
            x, y = xs, ys
        for a, b in zip(x, y, strict=True):
            if not check_if_values_equal(
                a,
                b,
                ignore_order=ignore_order,
                case_sensitive=case_sensitive,
                trim_strings=trim_strings,
                convert_numbers=convert_numbers,
            ):
                return False
        return True
    if isinstance(x, dict) and isinstance(y, dict):
        for k, xv in x.items():
            if xv is UNDEFINED:
                # JSON-cloned data never holds undefined; treat as absent like JSON.stringify.
                pass
            if k not in y:
                return False
            if not check_if_values_equal(
                xv,
                y[k],
                ignore_order=ignore_order,
                case_sensitive=case_sensitive,
                trim_strings=trim_strings,
                convert_numbers=convert_numbers,
            ):
                return False
        return all(k in x for k in y)
    return False


def is_two_value_equals(
    x: Any,
    y: Any,
    ignore_order: bool = False,
    case_sensitive: bool | None = None,
    trim_strings: bool | None = None,
) -> bool:
    """``Helpers.isTwoValueEquals`` (defaults: case-insensitive, trimmed, numbers converted)."""
    return check_if_values_equal(
        x,
        y,
        ignore_order=ignore_order,
        case_sensitive=False if case_sensitive is None else case_sensitive,
        trim_strings=True if trim_strings is None else trim_strings,
    )


def base_equals(x: Any, y: Any, case_insensitive: bool = False, trim: bool = False) -> bool:
    """``Base.isTwoValueEquals``: case-sensitive, untrimmed, no number conversion."""
    return check_if_values_equal(
        x, y, case_sensitive=not case_insensitive, trim_strings=trim, convert_numbers=False
    )


def deep_copy(v: Any) -> Any:
    """``Helpers.getUnbindValue``: a JSON clone of arrays and objects (dates are kept)."""
    if isinstance(v, (dict, list)):
        return _json_clone(v)
    return v


def _json_clone(v: Any) -> Any:
    if isinstance(v, list):
        return [None if (x is UNDEFINED) else _json_clone(x) for x in v]
    if isinstance(v, dict):
        return {k: _json_clone(x) for k, x in v.items() if x is not UNDEFINED}
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, JSDate):
        return copy.copy(v)
    return v


def json_clone(v: Any) -> Any:
    """``JSON.parse(JSON.stringify(v))`` (dates become ISO strings, NaN becomes null)."""
    if v is UNDEFINED:
        return UNDEFINED
    if isinstance(v, list):
        return [None if (x is UNDEFINED) else json_clone(x) for x in v]
    if isinstance(v, dict):
        return {k: json_clone(x) for k, x in v.items() if x is not UNDEFINED}
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, JSDate):
        return v.to_iso_string() if v.is_valid else None
    return v
