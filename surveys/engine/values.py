"""The engine's value model: JavaScript values in Python, with survey-core's coercion rules.

survey-core runs on JavaScript values, and its answers depend on JavaScript's conversions
(``"1" == 1``, ``[5] + 1 == "51"``, ``0.1 + 0.2``...). Everything here mirrors those rules:

* ``UNDEFINED`` is JavaScript ``undefined`` (a falsy singleton); ``None`` is ``null``.
* Numbers are ``int`` or ``float``. ``bool`` is never treated as a number by accident: every
  check uses ``type(x) is int`` style tests, because ``True == 1`` in Python.
* ``JSDate`` is a JavaScript ``Date`` (epoch milliseconds, possibly invalid, local time through
  an optional IANA time zone; local time is UTC when no zone is given).
* ``JSError`` stands for an exception that survey-core itself would throw (a ``TypeError`` on a
  null operand, ``toFixed`` on a string...). Expression evaluation catches it.

The survey-core helpers (``Helpers.getNumber``, ``isValueEmpty``, ``checkIfValuesEqual``,
``sumAnyValues``...) are re-implemented from their observable behaviour in survey-core 3.1.1.
"""

from __future__ import annotations

import json
import math
import re
import struct
import time
from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Context, Decimal
from functools import lru_cache
from typing import Any, Final
from zoneinfo import ZoneInfo

__all__ = [
    "NAN",
    "UNDEFINED",
    "JSDate",
    "JSError",
    "ValuesDict",
    "correct_after_multiple",
    "correct_after_plus_minus",
    "count_decimals",
    "get_number",
    "is_convertible_to_number",
    "is_empty",
    "is_js_number",
    "is_number",
    "is_object",
    "js_add",
    "js_less_than",
    "js_loose_equals",
    "js_parse_float",
    "js_parse_int",
    "js_strict_equals",
    "js_trim",
    "js_truthy",
    "js_typeof",
    "loose_true",
    "norm_number",
    "number_to_string",
    "string_to_number",
    "sum_any_values",
    "to_fixed",
    "to_js_string",
    "to_json",
    "to_number",
    "to_primitive",
    "utf16_len",
    "values_equal",
]


# ---------------------------------------------------------------------------------------------
# undefined, errors
# ---------------------------------------------------------------------------------------------
class _Undefined:
    """JavaScript ``undefined``: one falsy instance, distinct from ``None`` (``null``)."""

    __slots__ = ()
    _instance: _Undefined | None = None

    def __new__(cls) -> _Undefined:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "UNDEFINED"

    def __reduce__(self) -> str:
        return "UNDEFINED"


UNDEFINED: Final = _Undefined()

NAN: Final = math.nan
_INF: Final = math.inf
_MAX_SAFE: Final = 2**53


class JSError(Exception):
    """An exception survey-core would throw, e.g. ``TypeError: res.toFixed is not a function``."""

    def __init__(self, js_message: str) -> None:
        super().__init__(js_message)
        self.js_message = js_message


def _type_error(msg: str) -> JSError:
    return JSError("TypeError: " + msg)


# ---------------------------------------------------------------------------------------------
# Type tests
# ---------------------------------------------------------------------------------------------
def is_js_number(x: Any) -> bool:
    """``typeof x === "number"`` (``bool`` excluded)."""
    t = type(x)
    return t is int or t is float


def is_object(x: Any) -> bool:
    """``x instanceof Object``: arrays, plain objects and dates."""
    return isinstance(x, (list, dict, JSDate, tuple))


def js_typeof(x: Any) -> str:
    if x is UNDEFINED:
        return "undefined"
    if x is None:
        return "object"
    t = type(x)
    if t is bool:
        return "boolean"
    if t is int or t is float:
        return "number"
    if t is str:
        return "string"
    return "object"


def js_truthy(x: Any) -> bool:
    """JavaScript truthiness: ``[]`` and ``{}`` are true, ``NaN`` is false."""
    if x is None or x is UNDEFINED or x is False:
        return False
    t = type(x)
    if t is str or t is int:
        return bool(x)
    if t is float:
        f: float = x
        return f == f and f != 0.0
    return True


# ---------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------
def norm_number(x: int | float) -> int | float:
    """A JS number in canonical Python form: integral values as ``int`` (but ``-0.0`` stays)."""
    if type(x) is float:
        if x.is_integer() and -_MAX_SAFE <= x <= _MAX_SAFE:
            if x == 0.0 and math.copysign(1.0, x) < 0:
                return x
            return int(x)
        return x
    if -_MAX_SAFE <= x <= _MAX_SAFE:
        return x
    return float(x)  # beyond 2**53 JavaScript has only doubles


# JS WhiteSpace + LineTerminator (String.prototype.trim / StringToNumber).
_JS_WS: Final = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)


def js_trim(s: str) -> str:
    return s.strip(_JS_WS)


def _js_trim_start(s: str) -> str:
    return s.lstrip(_JS_WS)


_STR_DECIMAL: Final = re.compile(
    r"[+-]?(?:Infinity|[0-9]+\.?[0-9]*(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)"
)
_STR_NONDECIMAL: Final = re.compile(r"0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+")


def string_to_number(s: str) -> int | float:
    """JavaScript ``Number(string)``."""
    s = js_trim(s)
    if not s:
        return 0
    if _STR_DECIMAL.fullmatch(s):
        return norm_number(float(s))
    if _STR_NONDECIMAL.fullmatch(s):
        base = {"x": 16, "o": 8, "b": 2}[s[1].lower()]
        return norm_number(int(s[2:], base))
    return NAN


def js_parse_float(x: Any) -> int | float:
    """JavaScript ``parseFloat(x)`` (the longest decimal prefix after leading white space)."""
    s = x if type(x) is str else to_js_string(x)
    m = _STR_DECIMAL.match(_js_trim_start(s))
    if m is None:
        return NAN
    return norm_number(float(m.group(0)))


_INT_DIGITS: Final = {16: re.compile(r"[0-9a-fA-F]+"), 10: re.compile(r"[0-9]+")}


def js_parse_int(x: Any) -> int | float:
    """JavaScript ``parseInt(x)`` without a radix (``0x`` prefixes mean hexadecimal)."""
    s = _js_trim_start(x if type(x) is str else to_js_string(x))
    sign = 1
    if s[:1] in ("+", "-"):
        sign = -1 if s[0] == "-" else 1
        s = s[1:]
    radix = 10
    if s[:2] in ("0x", "0X"):
        radix = 16
        s = s[2:]
    m = _INT_DIGITS[radix].match(s)
    if m is None:
        return NAN
    value = int(m.group(0), radix)
    if value == 0 and sign < 0:
        return -0.0
    return norm_number(sign * value)


def number_to_string(x: int | float) -> str:
    """JavaScript ``Number.prototype.toString()`` (``1e+21``, ``1e-7``, ``0.30000000000000004``)."""
    if type(x) is int:
        if -(10**21) < x < 10**21 and -_MAX_SAFE <= x <= _MAX_SAFE:
            return str(x)
        x = float(x)
    if x != x:
        return "NaN"
    if x == 0.0:
        return "0"
    if x == _INF:
        return "Infinity"
    if x == -_INF:
        return "-Infinity"
    r = repr(x)  # shortest round-trip digits, like JavaScript
    sign = ""
    if r[0] == "-":
        sign, r = "-", r[1:]
    mant, _, exp = r.partition("e")
    ip, _, fp = mant.partition(".")
    digits = ip + fp
    point = len(ip) + (int(exp) if exp else 0)
    stripped = digits.lstrip("0")
    point -= len(digits) - len(stripped)
    digits = stripped.rstrip("0") or "0"
    k, n = len(digits), point
    if k <= n <= 21:
        body = digits + "0" * (n - k)
    elif 0 < n <= 21:
        body = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        body = "0." + "0" * (-n) + digits
    else:
        e = n - 1
        es = ("+" if e >= 0 else "-") + str(abs(e))
        body = (digits if k == 1 else digits[0] + "." + digits[1:]) + "e" + es
    return sign + body


_DEC_CONTEXT: Final = Context(prec=400)


def to_fixed(x: Any, digits: int) -> str:
    """JavaScript ``Number.prototype.toFixed(digits)`` (exact decimal value, ties away from 0)."""
    if not is_js_number(x):
        raise _type_error("res.toFixed is not a function")
    if digits < 0 or digits > 100:
        raise JSError("RangeError: toFixed() digits argument must be between 0 and 100")
    f = float(x)
    if f != f:
        return "NaN"
    if abs(f) >= 1e21:
        return number_to_string(f)
    q = Decimal(f).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP, context=_DEC_CONTEXT)
    s = format(q, "f")
    if s.startswith("-") and q == 0:
        # JavaScript prints (-0.0001).toFixed(2) as "-0.00"; only an exact -0 loses its sign.
        return s if f != 0.0 else s[1:]
    return s


def _js_div(a: float | int, b: float | int) -> int | float:
    try:
        return norm_number(a / b) if type(a) is not int or type(b) is not int or a % b else a // b
    except ZeroDivisionError:
        if a != a or a == 0:
            return NAN
        neg = (a < 0) != (math.copysign(1.0, float(b)) < 0)
        return -_INF if neg else _INF


def js_divide(a: Any, b: Any) -> int | float:
    """JavaScript ``a / b``."""
    return _js_div(to_number(a), to_number(b))


def js_modulo(a: Any, b: Any) -> int | float:
    """JavaScript ``a % b`` (the sign follows the dividend)."""
    x, y = to_number(a), to_number(b)
    if type(x) is int and type(y) is int and y != 0:
        r = abs(x) % abs(y)
        return -r if x < 0 else r
    xf, yf = float(x), float(y)
    if xf != xf or yf != yf or math.isinf(xf) or yf == 0.0:
        return NAN
    if math.isinf(yf):
        return norm_number(xf)
    return norm_number(math.fmod(xf, yf))


def js_pow(a: Any, b: Any) -> int | float:
    """JavaScript ``Math.pow(a, b)``, bit-identical to V8 (see ``_fdlibm_pow``)."""
    x, y = float(to_number(a)), float(to_number(b))
    if y != y:
        return NAN
    if y == 0:
        return 1
    if math.isinf(y) and abs(x) == 1.0:
        return NAN
    return norm_number(_fdlibm_pow(x, y))


def js_multiply(a: Any, b: Any) -> int | float:
    x, y = to_number(a), to_number(b)
    if type(x) is int and type(y) is int:
        return norm_number(x * y)
    try:
        return norm_number(float(x) * float(y))
    except OverflowError:  # pragma: no cover - float * float never overflows to an exception
        return _INF


def js_subtract(a: Any, b: Any) -> int | float:
    x, y = to_number(a), to_number(b)
    if type(x) is int and type(y) is int:
        return norm_number(x - y)
    return norm_number(float(x) - float(y))


def _num_add(x: int | float, y: int | float) -> int | float:
    if type(x) is int and type(y) is int:
        return norm_number(x + y)
    return norm_number(float(x) + float(y))


# ---------------------------------------------------------------------------------------------
# Math.pow: V8 (Node 20) computes it with its port of fdlibm's e_pow.c, which is not always
# correctly rounded (7 ** 1.5 is 18.520259177452132 there, 18.520259177452136 in C's pow).
# The same algorithm in Python gives bit-identical results. fdlibm: Copyright (C) 1993 by Sun
# Microsystems, Inc.; "Permission to use, copy, modify, and distribute this software is freely
# granted, provided that this notice is preserved."
# ---------------------------------------------------------------------------------------------
_D: Final = struct.Struct("<d")
_Q: Final = struct.Struct("<Q")


def _hi_lo(x: float) -> tuple[int, int]:
    bits = _Q.unpack(_D.pack(x))[0]
    hi = bits >> 32
    return (hi - 0x100000000 if hi >= 0x80000000 else hi), bits & 0xFFFFFFFF


def _from_words(hi: int, lo: int) -> float:
    return float(_D.unpack(_Q.pack(((hi & 0xFFFFFFFF) << 32) | (lo & 0xFFFFFFFF)))[0])


def _with_low(x: float, lo: int) -> float:
    return _from_words(_hi_lo(x)[0], lo)


def _int32(v: int) -> int:
    v &= 0xFFFFFFFF
    return v - 0x100000000 if v >= 0x80000000 else v


_BP: Final = (1.0, 1.5)
_DP_H: Final = (0.0, 5.84962487220764160156e-01)
_DP_L: Final = (0.0, 1.35003920212974897128e-08)
_TWO53: Final = 9007199254740992.0
_HUGE: Final = 1.0e300
_TINY: Final = 1.0e-300
_L1, _L2, _L3 = 5.99999999999994648725e-01, 4.28571428578550184252e-01, 3.33333329818377432918e-01
_L4, _L5, _L6 = 2.72728123808534006489e-01, 2.30660745775561754067e-01, 2.06975017800338417784e-01
_P1, _P2, _P3 = 1.66666666666666019037e-01, -2.77777777770155933842e-03, 6.61375632143793436117e-05
_P4, _P5 = -1.65339022054652515390e-06, 4.13813679705723846039e-08
_LG2, _LG2_H, _LG2_L = 6.93147180559945286227e-01, 6.93147182464599609375e-01, -1.90465429995776804525e-09
_OVT: Final = 8.0085662595372944372e-0017
_CP, _CP_H, _CP_L = 9.61796693925975554329e-01, 9.61796700954437255859e-01, -7.02846165095275826516e-09
_IVLN2, _IVLN2_H, _IVLN2_L = 1.44269504088896338700e00, 1.44269502162933349609e00, 1.92596299112661746887e-08


def _divide(a: float, b: float) -> float:
    try:
        return a / b
    except ZeroDivisionError:
        if a != a or a == 0:
            return NAN
        return _INF if (a > 0) == (math.copysign(1.0, b) > 0) else -_INF


def _fdlibm_pow(x: float, y: float) -> float:
    hx, lx = _hi_lo(x)
    hy, ly = _hi_lo(y)
    ix = hx & 0x7FFFFFFF
    iy = hy & 0x7FFFFFFF
    if (iy | ly) == 0:
        return 1.0
    if ix > 0x7FF00000 or (ix == 0x7FF00000 and lx != 0) or iy > 0x7FF00000 or (iy == 0x7FF00000 and ly != 0):
        return x + y
    # yisint: 0 = not an integer, 1 = odd integer, 2 = even integer (only needed for x < 0)
    yisint = 0
    if hx < 0:
        if iy >= 0x43400000:
            yisint = 2
        elif iy >= 0x3FF00000:
            k = (iy >> 20) - 0x3FF
            if k > 20:
                j = ly >> (52 - k)
                if ((j << (52 - k)) & 0xFFFFFFFF) == ly:
                    yisint = 2 - (j & 1)
            elif ly == 0:
                j = iy >> (20 - k)
                if (j << (20 - k)) == iy:
                    yisint = 2 - (j & 1)
    if ly == 0:
        if iy == 0x7FF00000:
            if ((ix - 0x3FF00000) | lx) == 0:
                return y - y
            if ix >= 0x3FF00000:
                return y if hy >= 0 else 0.0
            return -y if hy < 0 else 0.0
        if iy == 0x3FF00000:
            return _divide(1.0, x) if hy < 0 else x
        if hy == 0x40000000:
            return x * x
        if hy == 0x3FE00000 and hx >= 0:
            return math.sqrt(x)
    ax = abs(x)
    if lx == 0 and (ix == 0x7FF00000 or ix == 0 or ix == 0x3FF00000):
        z = ax
        if hy < 0:
            z = _divide(1.0, z)
        if hx < 0:
            if ((ix - 0x3FF00000) | yisint) == 0:
                z = NAN
            elif yisint == 1:
                z = -z
        return z
    n = (hx >> 31) + 1
    if (n | yisint) == 0:
        return NAN
    s = 1.0
    if (n | (yisint - 1)) == 0:
        s = -1.0
    if iy > 0x41E00000:  # |y| > 2**31
        if iy > 0x43F00000:
            if ix <= 0x3FEFFFFF:
                return _HUGE * _HUGE if hy < 0 else _TINY * _TINY
            if ix >= 0x3FF00000:
                return _HUGE * _HUGE if hy > 0 else _TINY * _TINY
        if ix < 0x3FEFFFFF:
            return s * _HUGE * _HUGE if hy < 0 else s * _TINY * _TINY
        if ix > 0x3FF00000:
            return s * _HUGE * _HUGE if hy > 0 else s * _TINY * _TINY
        t = ax - 1.0
        w = (t * t) * (0.5 - t * (0.3333333333333333333333 - t * 0.25))
        u = _IVLN2_H * t
        v = t * _IVLN2_L - w * _IVLN2
        t1 = _with_low(u + v, 0)
        t2 = v - (t1 - u)
    else:
        n = 0
        if ix < 0x00100000:
            ax *= _TWO53
            n -= 53
            ix = _hi_lo(ax)[0]
        n += (ix >> 20) - 0x3FF
        j = ix & 0x000FFFFF
        ix = j | 0x3FF00000
        if j <= 0x3988E:
            k = 0
        elif j < 0xBB67A:
            k = 1
        else:
            k = 0
            n += 1
            ix -= 0x00100000
        ax = _from_words(ix, _hi_lo(ax)[1])
        u = ax - _BP[k]
        v = 1.0 / (ax + _BP[k])
        ss = u * v
        s_h = _with_low(ss, 0)
        t_h = _from_words(((ix >> 1) | 0x20000000) + 0x00080000 + (k << 18), 0)
        t_l = ax - (t_h - _BP[k])
        s_l = v * ((u - s_h * t_h) - s_h * t_l)
        s2 = ss * ss
        r = s2 * s2 * (_L1 + s2 * (_L2 + s2 * (_L3 + s2 * (_L4 + s2 * (_L5 + s2 * _L6)))))
        r += s_l * (s_h + ss)
        s2 = s_h * s_h
        t_h = _with_low(3.0 + s2 + r, 0)
        t_l = r - ((t_h - 3.0) - s2)
        u = s_h * t_h
        v = s_l * t_h + t_l * ss
        p_h = _with_low(u + v, 0)
        p_l = v - (p_h - u)
        z_h = _CP_H * p_h
        z_l = _CP_L * p_h + p_l * _CP + _DP_L[k]
        t = float(n)
        t1 = _with_low(((z_h + z_l) + _DP_H[k]) + t, 0)
        t2 = z_l - (((t1 - t) - _DP_H[k]) - z_h)
    y1 = _with_low(y, 0)
    p_l = (y - y1) * t1 + y * t2
    p_h = y1 * t1
    z = p_l + p_h
    j, i = _hi_lo(z)
    if j >= 0x40900000:
        if ((j - 0x40900000) | i) != 0:
            return s * _HUGE * _HUGE
        if p_l + _OVT > z - p_h:
            return s * _HUGE * _HUGE
    elif (j & 0x7FFFFFFF) >= 0x4090CC00:
        if (((j & 0xFFFFFFFF) - 0xC090CC00) | i) != 0:
            return s * _TINY * _TINY
        if p_l <= z - p_h:
            return s * _TINY * _TINY
    i = j & 0x7FFFFFFF
    k = (i >> 20) - 0x3FF
    n = 0
    if i > 0x3FE00000:
        n = _int32(j + (0x00100000 >> (k + 1)))
        k = ((n & 0x7FFFFFFF) >> 20) - 0x3FF
        t = _from_words(n & ~(0x000FFFFF >> k), 0)
        n = ((n & 0x000FFFFF) | 0x00100000) >> (20 - k)
        if j < 0:
            n = -n
        p_h -= t
    t = _with_low(p_l + p_h, 0)
    u = t * _LG2_H
    v = (p_l - (t - p_h)) * _LG2 + t * _LG2_L
    z = u + v
    w = v - (z - u)
    t = z * z
    t1 = z - t * (_P1 + t * (_P2 + t * (_P3 + t * (_P4 + t * _P5))))
    r = _divide(z * t1, (t1 - 2.0) - (w + z * w))
    z = 1.0 - (r - z)
    zh, zl = _hi_lo(z)
    j = _int32(zh + ((n << 20) & 0xFFFFFFFF))
    if (j >> 20) <= 0:
        z = math.ldexp(z, n)
    else:
        z = _from_words(j, zl)
    return s * z


# ---------------------------------------------------------------------------------------------
# Conversions: ToPrimitive, ToString, ToNumber
# ---------------------------------------------------------------------------------------------
def to_primitive(x: Any, hint: str = "default") -> Any:
    """JavaScript ``ToPrimitive`` for JSON-like values, arrays and dates."""
    t = type(x)
    if t is str or t is int or t is float or t is bool or x is None or x is UNDEFINED:
        return x
    if isinstance(x, (list, tuple)):
        return _array_join(x, ",")
    if isinstance(x, dict):
        # A JSON object with its own "toString" key has no callable toString: JS throws.
        if "toString" in x:
            raise _type_error("Cannot convert object to primitive value")
        return "[object Object]"
    if isinstance(x, JSDate):
        return x.ms if hint == "number" else x.to_string()
    if x is None or x is UNDEFINED or type(x) in (bool, int, float, str):
        return x
    return str(x)  # a foreign Python object: its text is the best primitive we have


def _array_join(arr: list[Any] | tuple[Any, ...], sep: str) -> str:
    return sep.join("" if v is None or v is UNDEFINED else to_js_string(v) for v in arr)


def to_js_string(x: Any) -> str:
    """JavaScript ``String(x)``."""
    t = type(x)
    if t is str:
        return x  # type: ignore[no-any-return]
    if x is None:
        return "null"
    if x is UNDEFINED:
        return "undefined"
    if t is bool:
        return "true" if x else "false"
    if t is int or t is float:
        return number_to_string(x)
    return to_js_string(to_primitive(x, "string"))


def to_number(x: Any) -> int | float:
    """JavaScript ``Number(x)``."""
    t = type(x)
    if t is int or t is float:
        return x  # type: ignore[no-any-return]
    if t is str:
        return string_to_number(x)
    if x is None or x is False:
        return 0
    if x is True:
        return 1
    if x is UNDEFINED:
        return NAN
    if isinstance(x, JSDate):
        return norm_number(x.ms)
    if isinstance(x, dict):
        to_primitive(x)
        return NAN
    return to_number(to_primitive(x, "number"))


def utf16_len(s: str) -> int:
    """``string.length`` in JavaScript (UTF-16 code units)."""
    if s.isascii():
        return len(s)
    return len(s) + sum(1 for ch in s if ord(ch) > 0xFFFF)


def _utf16_key(s: str) -> bytes:
    return s.encode("utf-16-be", "surrogatepass")


def _str_less(a: str, b: str) -> bool:
    """JavaScript string ``<``: UTF-16 code unit order."""
    if a.isascii() and b.isascii():
        return a < b
    return _utf16_key(a) < _utf16_key(b)


def js_less_than(a: Any, b: Any) -> bool:
    """JavaScript ``a < b`` (``false`` whenever JS gives ``undefined``, i.e. NaN is involved)."""
    ta, tb = type(a), type(b)
    if (ta is int or ta is float) and (tb is int or tb is float):
        return bool(a < b)
    pa = to_primitive(a, "number")
    pb = to_primitive(b, "number")
    if type(pa) is str and type(pb) is str:
        return _str_less(pa, pb)
    x, y = to_number(pa), to_number(pb)
    return bool(x < y)


def js_add(a: Any, b: Any) -> Any:
    """JavaScript ``a + b``: string concatenation when either primitive is a string."""
    ta, tb = type(a), type(b)
    if (ta is int or ta is float) and (tb is int or tb is float):
        return _num_add(a, b)
    pa = to_primitive(a)
    pb = to_primitive(b)
    if type(pa) is str or type(pb) is str:
        return to_js_string(pa) + to_js_string(pb)
    return _num_add(to_number(pa), to_number(pb))


def js_strict_equals(x: Any, y: Any) -> bool:
    """JavaScript ``x === y``."""
    if x is y:
        return not (type(x) is float and x != x)
    tx, ty = type(x), type(y)
    if (tx is int or tx is float) and (ty is int or ty is float):
        return bool(x == y)
    if tx is str and ty is str:
        return bool(x == y)
    return False  # booleans, null and undefined are singletons; objects compare by identity


def _loose_equals_primitive(x: Any, y: Any) -> bool:
    """JavaScript ``x == y`` when neither side is an object."""
    if x is None or x is UNDEFINED:
        return y is None or y is UNDEFINED
    if y is None or y is UNDEFINED:
        return False
    tx, ty = type(x), type(y)
    if tx is bool:
        return _loose_equals_primitive(1 if x else 0, y)
    if ty is bool:
        return _loose_equals_primitive(x, 1 if y else 0)
    if tx is str and ty is str:
        return bool(x == y)
    return bool(to_number(x) == to_number(y))


def js_loose_equals(x: Any, y: Any) -> bool:
    """JavaScript ``x == y`` (objects compare by identity, or through ToPrimitive)."""
    xo, yo = is_object(x), is_object(y)
    if xo and yo:
        return x is y
    if xo:
        if y is None or y is UNDEFINED:
            return False
        return _loose_equals_primitive(to_primitive(x), y)
    if yo:
        if x is None or x is UNDEFINED:
            return False
        return _loose_equals_primitive(x, to_primitive(y))
    return _loose_equals_primitive(x, y)


def loose_true(x: Any) -> bool:
    """JavaScript ``x == true``: how ``ConditionRunner`` reads a result (``2`` is not true)."""
    if x is True:
        return True
    if x is False or x is None or x is UNDEFINED:
        return False
    t = type(x)
    if t is int or t is float:
        return bool(x == 1)
    if t is str:
        return string_to_number(x) == 1
    try:
        return js_loose_equals(x, 1)
    except JSError:
        return False


# ---------------------------------------------------------------------------------------------
# survey-core Helpers
# ---------------------------------------------------------------------------------------------
def _is_digits_only(s: str) -> bool:
    return bool(s) and all("0" <= ch <= "9" for ch in s)


def _has_operator(s: str) -> bool:
    if s.rfind("-") > 0 or s.rfind("+") > 0:
        return False
    return any(op in s for op in "*^/%")


_SIMPLE_NUMBER: Final = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")
_NUMBER_START: Final = frozenset("0123456789+-.,")


def get_number(value: Any) -> int | float:
    """survey-core ``Helpers.getNumber``: ``"1,5"`` is 1.5, ``"0x10"`` is 16, junk is NaN."""
    t = type(value)
    if t is int or t is float:
        return value  # type: ignore[no-any-return]
    if t is str:
        if len(value) <= 15 and _SIMPLE_NUMBER.fullmatch(value):
            return norm_number(float(value)) if "." in value else norm_number(int(value))
        if not value or (value[0] not in _NUMBER_START and value[0] not in _JS_WS):
            return NAN  # parseFloat needs a digit, a sign, "." or white space first
        value = js_trim(value)
        if not value:
            return NAN
        if value.startswith("0x"):
            if len(value) > 32:
                return NAN
            return js_parse_int(value)
        if len(value) > 15 and _is_digits_only(value):
            return NAN
        if _has_operator(value):
            return NAN
        i = value.find(",")
        if i > -1 and value.find(",", i + 1) < 0:
            value = value.replace(",", ".", 1)
    res = js_parse_float(value)
    if res != res:
        return NAN
    fin = to_number(value)
    if fin != fin or fin in (_INF, -_INF):
        return NAN
    return res


def is_number(value: Any) -> bool:
    """survey-core ``Helpers.isNumber``."""
    t = type(value)
    if t is int:
        return True
    if t is float:
        return value == value and value not in (_INF, -_INF)
    n = get_number(value)
    return n == n


def is_convertible_to_number(value: Any) -> bool:
    """survey-core ``Helpers.isConvertibleToNumber``: ``!isNaN(value)`` (``""`` is convertible)."""
    if value is None or value is UNDEFINED or isinstance(value, (list, tuple)):
        return False
    try:
        n = to_number(value)
    except JSError:
        return False
    return n == n


def is_empty(value: Any) -> bool:
    """survey-core ``Helpers.isValueEmpty``: ``null``, ``""``, ``[]``, ``{}``, NaN; not 0/false."""
    if value is None or value is UNDEFINED:
        return True
    t = type(value)
    if t is str or t is list or t is tuple:
        return not value
    if t is dict:
        for v in value.values():
            if not is_empty(v):
                return False
        return True
    if t is float:
        f: float = value
        return f != f
    return False


def count_decimals(value: Any) -> int:
    """survey-core ``Helpers.countDecimals``: digits after the point of ``String(value)``."""
    t = type(value)
    if t is int:
        return 0
    if t is float:
        if value != value or value.is_integer() or value in (_INF, -_INF):
            return 0
        r = repr(value)
        if "e" not in r:  # without an exponent repr() and JS print the same digits
            return len(r) - r.index(".") - 1
    elif not is_number(value):
        return 0
    parts = to_js_string(value).split(".")
    return len(parts[1]) if len(parts) > 1 else 0


def _parse_fixed(res: Any, digits: int) -> int | float:
    """``parseFloat(res.toFixed(digits))``."""
    if type(res) is float and 0 <= digits <= 100 and res == res and abs(res) < 1e21:
        # exact arithmetic on the double's value: round half away from zero, as toFixed does
        num, den = res.as_integer_ratio()
        q, r = divmod(abs(num) * 10**digits, den)
        if 2 * r >= den:
            q += 1
        if q == 0:
            return -0.0 if res < 0 else 0
        return norm_number(q / 10**digits if res > 0 else -(q / 10**digits))
    if type(res) is int and 0 <= digits <= 100:
        return norm_number(res)
    return js_parse_float(to_fixed(res, digits))


def correct_after_plus_minus(a: Any, b: Any, res: Any) -> Any:
    """survey-core ``Helpers.correctAfterPlusMinis``: round to the operands' decimals."""
    da = count_decimals(a)
    db = count_decimals(b)
    if da > 0 or db > 0:
        return _parse_fixed(res, max(da, db))
    return res


def correct_after_multiple(a: Any, b: Any, res: Any) -> Any:
    """survey-core ``Helpers.correctAfterMultiple``: round to the sum of the decimals."""
    digits = count_decimals(a) + count_decimals(b)
    if digits > 0:
        return _parse_fixed(res, digits)
    return res


def sum_any_values(a: Any, b: Any) -> Any:
    """survey-core ``Helpers.sumAnyValues``: the ``+`` operator of expressions."""
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        return norm_number(a + b)
    if (ta is int or ta is float) and (tb is int or tb is float):
        if is_number(a) and is_number(b):
            return correct_after_plus_minus(a, b, _num_add(a, b))
    if not is_number(a) or not is_number(b):
        a_arr = isinstance(a, list)
        b_arr = isinstance(b, list)
        if a_arr and b_arr:
            return [*a, *b]
        if a_arr or b_arr:
            arr: list[Any] = a if a_arr else b
            val = b if a_arr else a
            if type(val) is str:
                joined = ", ".join(to_js_string(v) if v is not None and v is not UNDEFINED else "" for v in arr)
                return joined + val if a_arr else val + joined
            if is_js_number(val):
                total: Any = 0
                for item in arr:
                    if is_js_number(item):
                        total = correct_after_plus_minus(total, item, _num_add(total, item))
                return correct_after_plus_minus(total, val, js_add(total, val))
        return js_add(a, b)
    if ta is str or tb is str:
        return js_add(a, b)
    return correct_after_plus_minus(a, b, js_add(a, b))


def _default_sort_key(v: Any) -> tuple[int, bytes]:
    # Array.prototype.sort() without a comparator: undefined last, the rest by String(v).
    if v is UNDEFINED:
        return (1, b"")
    return (0, _utf16_key(to_js_string(v)))


def _own_keys(x: Any) -> list[str]:
    if isinstance(x, dict):
        return [str(k) for k in x]
    if isinstance(x, (list, tuple)):
        return [str(i) for i in range(len(x))]
    return []


def _own_get(x: Any, key: str) -> Any:
    if isinstance(x, dict):
        return x.get(key, UNDEFINED)
    if isinstance(x, (list, tuple)):
        return x[int(key)]
    return UNDEFINED


def values_equal(x: Any, y: Any, ignore_order: bool = True) -> bool:
    """survey-core ``Helpers.isTwoValueEquals`` with the default comparator settings.

    Strings compare trimmed and case-insensitively; values that both look numeric compare as
    numbers (``"007" == 7``); ``undefined``, ``null`` and ``""`` are all equal; arrays ignore
    order when ``ignore_order`` (the expression ``=`` operator does).
    """
    if x is y and not (type(x) is float and x != x):
        return True
    tx, ty = type(x), type(y)
    if (tx is int or tx is float) and (ty is int or ty is float):
        # two numbers: every rule below reduces to numeric equality (NaN never equal)
        return bool(x == y)
    if tx is str and ty is str:
        if x == y:
            return True
        return bool(js_trim(x).lower() == js_trim(y).lower())
    if js_strict_equals(x, y):
        return True
    if x is UNDEFINED and ty is list and not y:
        return True
    if y is UNDEFINED and tx is list and not x:
        return True
    if (x is None or x is UNDEFINED) and ty is str and y == "":
        return True
    if (y is None or y is UNDEFINED) and tx is str and x == "":
        return True
    if isinstance(x, JSDate) and isinstance(y, JSDate):
        return x.ms == y.ms
    if is_convertible_to_number(x) and is_convertible_to_number(y):
        ix, iy = js_parse_int(x), js_parse_int(y)
        if ix == iy and js_parse_float(x) == js_parse_float(y):
            return True
    ex, ey = is_empty(x), is_empty(y)
    if ex != ey:
        return False
    if tx is bool and ty is str:
        return ("true" if x else "false") == str(y).lower()
    if ty is bool and tx is str:
        return ("true" if y else "false") == str(x).lower()
    xo, yo = is_object(x), is_object(y)
    if not xo and not yo:
        return _loose_equals_primitive(x, y)
    if not xo or not yo:
        return False
    if tx is dict and ty is dict and js_truthy(x.get("equals")) and js_truthy(y.get("equals")):
        raise _type_error("x.equals is not a function")
    if isinstance(x, (list, tuple)) and isinstance(y, (list, tuple)):
        if len(x) != len(y):
            return False
        xs, ys = list(x), list(y)
        if ignore_order:
            xs.sort(key=_default_sort_key)
            ys.sort(key=_default_sort_key)
        return all(values_equal(a, b, ignore_order) for a, b in zip(xs, ys, strict=True))
    x_keys = _own_keys(x)
    y_keys = set(_own_keys(y))
    for k in x_keys:
        if k not in y_keys:
            return False
        if not values_equal(_own_get(x, k), _own_get(y, k), ignore_order):
            return False
    x_set = set(x_keys)
    return all(k in x_set for k in y_keys)


# ---------------------------------------------------------------------------------------------
# A values container with case-insensitive lookup in O(1)
# ---------------------------------------------------------------------------------------------
class ValuesDict(dict[str, Any]):
    """A ``dict`` that also knows its keys in lower case.

    Variable names are case-insensitive in survey-core. With a plain ``dict`` an exact-case hit
    is one lookup, but a miss (an unanswered question, a name written in another case) scans
    every key. A ``ValuesDict`` answers the case-insensitive question with one more lookup.
    When two keys differ only in case, the first one inserted wins (as in survey-core).
    """

    __slots__ = ("_lower",)
    _lower: dict[str, str]

    def __new__(cls, *args: Any, **kwargs: Any) -> ValuesDict:
        self = super().__new__(cls)
        self._lower = {}
        return self

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._reindex()

    def _reindex(self) -> None:
        lower: dict[str, str] = {}
        for k in self:
            if type(k) is str:
                lower.setdefault(k.lower(), k)
        self._lower = lower

    def find_key(self, name_lower: str) -> str | None:
        """The first key whose lower-case form is ``name_lower``."""
        return self._lower.get(name_lower)

    def __setitem__(self, key: str, value: Any) -> None:
        new = key not in self
        super().__setitem__(key, value)
        if new and type(key) is str:
            self._lower.setdefault(key.lower(), key)

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key)
        self._reindex()

    def __ior__(self, other: Any) -> ValuesDict:  # type: ignore[override,misc]
        super().__ior__(other)
        self._reindex()
        return self

    def update(self, *args: Any, **kwargs: Any) -> None:
        super().update(*args, **kwargs)
        self._reindex()

    def setdefault(self, key: str, default: Any = None) -> Any:
        if key not in self:
            self[key] = default
        return self[key]

    def pop(self, key: str, *default: Any) -> Any:
        value = super().pop(key, *default)
        self._reindex()
        return value

    def popitem(self) -> tuple[str, Any]:
        item = super().popitem()
        self._reindex()
        return item

    def clear(self) -> None:
        super().clear()
        self._lower = {}


# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------
_MS_PER_DAY: Final = 86_400_000
_MAX_TIME: Final = 8.64e15
_WEEKDAYS: Final = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")
_MONTHS: Final = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# The long names V8 prints in Date.prototype.toString for a few zones (keyed by abbreviation).
_ZONE_LONG_NAMES: Final = {
    "UTC": "Coordinated Universal Time",
    "GMT": "Greenwich Mean Time",
    "BST": "British Summer Time",
    "CET": "Central European Standard Time",
    "CEST": "Central European Summer Time",
    "EET": "Eastern European Standard Time",
    "EEST": "Eastern European Summer Time",
    "WET": "Western European Standard Time",
    "WEST": "Western European Summer Time",
}
# datetime handles years 1..9999; offsets outside are taken at the nearest supported instant.
_DT_MIN_MS: Final = -62_135_596_800_000 + 2 * _MS_PER_DAY
_DT_MAX_MS: Final = 253_402_300_799_000 - 2 * _MS_PER_DAY
_EPOCH: Final = datetime(1970, 1, 1)


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _days_from_civil(y: int, m: int, d: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date (month 1..12)."""
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _civil_from_days(z: int) -> tuple[int, int, int]:
    """(year, month 1..12, day) of a day number since 1970-01-01."""
    z += 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + (3 if mp < 10 else -9)
    return (y + (m <= 2), m, d)


def _to_integer(x: float) -> float:
    """ToIntegerOrInfinity for a finite or infinite number (NaN gives 0)."""
    if x != x:
        return 0.0
    if math.isinf(x):
        return x
    return float(math.trunc(x))


def _make_day(year: float, month: float, date: float) -> float:
    if not (math.isfinite(year) and math.isfinite(month) and math.isfinite(date)):
        return NAN
    y, m, dt = math.trunc(year), math.trunc(month), math.trunc(date)
    ym = y + m // 12
    mn = m % 12
    if abs(ym) > 400_000:
        return NAN
    return float(_days_from_civil(ym, mn + 1, 1) + dt - 1)


def _make_time(h: float, m: float, s: float, ms: float) -> float:
    isfinite = math.isfinite
    if not (isfinite(h) and isfinite(m) and isfinite(s) and isfinite(ms)):
        return NAN
    trunc = math.trunc
    return float(trunc(h) * 3_600_000 + trunc(m) * 60_000 + trunc(s) * 1000 + trunc(ms))


def _make_date(day: float, time_: float) -> float:
    if not (math.isfinite(day) and math.isfinite(time_)):
        return NAN
    tv = day * _MS_PER_DAY + time_
    return tv if math.isfinite(tv) else NAN


def _time_clip(t: float) -> float:
    if not math.isfinite(t) or abs(t) > _MAX_TIME:
        return NAN
    return float(math.trunc(t)) + 0.0


def _offset_at_utc(t: float, tz: str | None) -> float:
    """The zone's UTC offset (ms) at the UTC instant ``t``."""
    if tz is None:
        return 0.0
    clamped = min(max(t, _DT_MIN_MS), _DT_MAX_MS)
    dt = datetime.fromtimestamp(clamped / 1000, _zone(tz))
    off = dt.utcoffset()
    return off.total_seconds() * 1000 if off is not None else 0.0


def _offset_for_local(t_local: float, tz: str | None) -> float:
    """The offset used to read a local wall time (ECMAScript: the offset before a transition)."""
    if tz is None:
        return 0.0
    clamped = min(max(t_local, _DT_MIN_MS), _DT_MAX_MS)
    naive = _EPOCH + timedelta(milliseconds=clamped)
    off = naive.replace(tzinfo=_zone(tz), fold=0).utcoffset()
    return off.total_seconds() * 1000 if off is not None else 0.0


class JSDate:
    """A JavaScript ``Date``: epoch milliseconds (NaN when invalid) plus the local time zone.

    Methods are named after their JavaScript counterparts; setters mutate, as in JavaScript.
    ``tz`` is an IANA zone name, or ``None`` for UTC (the reference runner's default).
    """

    __slots__ = ("_cache", "ms", "tz")

    def __init__(self, ms: float, tz: str | None = None) -> None:
        self.ms = _time_clip(float(ms))
        self.tz = tz
        self._cache: tuple[float, tuple[int, int, int, int, int, int, int, int]] | None = None

    # -- construction ----------------------------------------------------------------------
    @classmethod
    def now(cls, now: datetime | None = None, tz: str | None = None) -> JSDate:
        if now is None:
            return cls(time.time_ns() // 1_000_000, tz)
        if now.tzinfo is None:
            ms = (now - _EPOCH) / timedelta(milliseconds=1)
        else:
            ms = now.timestamp() * 1000
        return cls(math.floor(ms), tz)

    @classmethod
    def from_value(cls, value: Any, tz: str | None = None) -> JSDate:
        """``new Date(value)``."""
        if isinstance(value, JSDate):
            return cls(value.ms, tz)
        prim = to_primitive(value)
        if type(prim) is str:
            return cls(_parse_date_string(prim, tz), tz)
        return cls(float(to_number(prim)), tz)

    def copy(self) -> JSDate:
        return JSDate(self.ms, self.tz)

    @staticmethod
    def utc(year: Any, month: Any = 0, date: Any = 1) -> float:
        """``Date.UTC(year, month, date)`` (years 0..99 mean 1900..1999, as in JavaScript)."""
        y = float(to_number(year))
        if y == y and 0 <= _to_integer(y) <= 99:
            y = 1900 + _to_integer(y)
        day = _make_day(y, float(to_number(month)), float(to_number(date)))
        return _time_clip(_make_date(day, 0.0))

    # -- helpers ---------------------------------------------------------------------------
    @property
    def is_valid(self) -> bool:
        return self.ms == self.ms

    def _local(self) -> float:
        t = self.ms
        return t + _offset_at_utc(t, self.tz) if t == t else NAN

    def _set_local(self, t_local: float) -> None:
        if t_local != t_local:
            self.ms = NAN
            return
        self.ms = _time_clip(t_local - _offset_for_local(t_local, self.tz))

    @staticmethod
    def _fields(t: float) -> tuple[int, int, int, int, int, int, int, int]:
        days = math.floor(t / _MS_PER_DAY)
        in_day = int(t - days * _MS_PER_DAY)
        y, m, d = _civil_from_days(days)
        return (
            y,
            m - 1,
            d,
            in_day // 3_600_000,
            (in_day // 60_000) % 60,
            (in_day // 1000) % 60,
            in_day % 1000,
            (days + 4) % 7,
        )

    def _get(self, index: int) -> int | float:
        ms = self.ms
        if ms != ms:
            return NAN
        cache = self._cache
        if cache is None or cache[0] != ms:  # the local fields of the current time value
            cache = (ms, self._fields(self._local()))
            self._cache = cache
        return cache[1][index]

    # -- getters (local time) --------------------------------------------------------------
    def get_time(self) -> float:
        return self.ms

    def get_full_year(self) -> int | float:
        return self._get(0)

    def get_month(self) -> int | float:
        return self._get(1)

    def get_date(self) -> int | float:
        return self._get(2)

    def get_hours(self) -> int | float:
        return self._get(3)

    def get_minutes(self) -> int | float:
        return self._get(4)

    def get_seconds(self) -> int | float:
        return self._get(5)

    def get_milliseconds(self) -> int | float:
        return self._get(6)

    def get_day(self) -> int | float:
        return self._get(7)

    # -- setters (local time; arguments go through ToNumber) -------------------------------
    def _split(self) -> tuple[float, float, float, float, float, float, float, float] | None:
        t = self._local()
        if t != t:
            return None
        f = self._fields(t)
        return (
            float(f[0]),
            float(f[1]),
            float(f[2]),
            float(f[3]),
            float(f[4]),
            float(f[5]),
            float(f[6]),
            t,
        )

    def set_date(self, date: Any) -> float:
        dt = float(to_number(date))
        f = self._split()
        if f is None:
            return self.ms
        day = _make_day(f[0], f[1], dt)
        self._set_local(_make_date(day, _make_time(f[3], f[4], f[5], f[6])))
        return self.ms

    def set_month(self, month: Any, date: Any = UNDEFINED) -> float:
        m = float(to_number(month))
        f = self._split()
        if f is None:
            return self.ms
        dt = f[2] if date is UNDEFINED else float(to_number(date))
        day = _make_day(f[0], m, dt)
        self._set_local(_make_date(day, _make_time(f[3], f[4], f[5], f[6])))
        return self.ms

    def set_full_year(self, year: Any, month: Any = UNDEFINED, date: Any = UNDEFINED) -> float:
        y = float(to_number(year))
        f = self._split()
        if f is None:  # an invalid date starts from +0 (local)
            f = (1970.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0)
        m = f[1] if month is UNDEFINED else float(to_number(month))
        dt = f[2] if date is UNDEFINED else float(to_number(date))
        day = _make_day(y, m, dt)
        self._set_local(_make_date(day, _make_time(f[3], f[4], f[5], f[6])))
        return self.ms

    def set_hours(
        self, h: Any, m: Any = UNDEFINED, s: Any = UNDEFINED, ms: Any = UNDEFINED
    ) -> float:
        hh = float(to_number(h))
        f = self._split()
        mm = float(to_number(m)) if m is not UNDEFINED else (f[4] if f else 0.0)
        ss = float(to_number(s)) if s is not UNDEFINED else (f[5] if f else 0.0)
        mss = float(to_number(ms)) if ms is not UNDEFINED else (f[6] if f else 0.0)
        if f is None:
            return self.ms
        day = _make_day(f[0], f[1], f[2])
        self._set_local(_make_date(day, _make_time(hh, mm, ss, mss)))
        return self.ms

    def set_minutes(self, m: Any, s: Any = UNDEFINED, ms: Any = UNDEFINED) -> float:
        mm = float(to_number(m))
        f = self._split()
        if f is None:
            return self.ms
        ss = float(to_number(s)) if s is not UNDEFINED else f[5]
        mss = float(to_number(ms)) if ms is not UNDEFINED else f[6]
        day = _make_day(f[0], f[1], f[2])
        self._set_local(_make_date(day, _make_time(f[3], mm, ss, mss)))
        return self.ms

    def set_seconds(self, s: Any, ms: Any = UNDEFINED) -> float:
        ss = float(to_number(s))
        f = self._split()
        if f is None:
            return self.ms
        mss = float(to_number(ms)) if ms is not UNDEFINED else f[6]
        day = _make_day(f[0], f[1], f[2])
        self._set_local(_make_date(day, _make_time(f[3], f[4], ss, mss)))
        return self.ms

    def set_milliseconds(self, ms: Any) -> float:
        mss = float(to_number(ms))
        f = self._split()
        if f is None:
            return self.ms
        day = _make_day(f[0], f[1], f[2])
        self._set_local(_make_date(day, _make_time(f[3], f[4], f[5], mss)))
        return self.ms

    # -- text ------------------------------------------------------------------------------
    def to_iso_string(self) -> str:
        """``toISOString()`` (``"Invalid Date"`` instead of throwing for an invalid date)."""
        if not self.is_valid:
            return "Invalid Date"
        y, mo, d, h, mi, s, ms, _ = self._fields(self.ms)
        ys = f"{y:04d}" if 0 <= y <= 9999 else ("+" if y > 0 else "-") + f"{abs(y):06d}"
        return f"{ys}-{mo + 1:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}.{ms:03d}Z"

    def to_string(self) -> str:
        """``Date.prototype.toString()``, e.g. ``Sat Jun 15 2024 00:00:00 GMT+0000 (...)``."""
        if not self.is_valid:
            return "Invalid Date"
        t = self._local()
        y, mo, d, h, mi, s, _, wd = self._fields(t)
        off = round((t - self.ms) / 60_000)
        sign = "+" if off >= 0 else "-"
        ys = f"{y:04d}" if y >= 0 else f"-{-y:04d}"
        name = self._zone_name()
        return (
            f"{_WEEKDAYS[wd]} {_MONTHS[mo]} {d:02d} {ys} {h:02d}:{mi:02d}:{s:02d} "
            f"GMT{sign}{abs(off) // 60:02d}{abs(off) % 60:02d} ({name})"
        )

    def _zone_name(self) -> str:
        if self.tz is None:
            return _ZONE_LONG_NAMES["UTC"]
        clamped = min(max(self.ms, _DT_MIN_MS), _DT_MAX_MS)
        abbr = datetime.fromtimestamp(clamped / 1000, _zone(self.tz)).tzname() or self.tz
        return _ZONE_LONG_NAMES.get(abbr, abbr)

    def __repr__(self) -> str:
        return f"JSDate({self.to_iso_string()!r}, tz={self.tz!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JSDate) and self.ms == other.ms and self.tz == other.tz

    __hash__ = None  # type: ignore[assignment]  # mutable, like a JavaScript Date


# --- Date string parsing: the behaviour of V8's Date constructor ------------------------------
# V8 first tries the ES5 ISO format and hands whatever it cannot use to its "legacy" parser,
# which accepts forms like "2024/6/5", "6/5/2024", "Jun 15 2024 10:00 GMT+0200" and even "1,5"
# (2001-01-05). The tokens and the rules for combining them below follow that behaviour.
_T_END, _T_NUM, _T_SYM, _T_WORD, _T_WS, _T_UNKNOWN = range(6)
_K_INVALID, _K_MONTH, _K_ZONE, _K_TSEP, _K_AMPM = range(5)
_KEYWORDS: Final = (
    ("jan", _K_MONTH, 1), ("feb", _K_MONTH, 2), ("mar", _K_MONTH, 3), ("apr", _K_MONTH, 4),
    ("may", _K_MONTH, 5), ("jun", _K_MONTH, 6), ("jul", _K_MONTH, 7), ("aug", _K_MONTH, 8),
    ("sep", _K_MONTH, 9), ("oct", _K_MONTH, 10), ("nov", _K_MONTH, 11), ("dec", _K_MONTH, 12),
    ("am", _K_AMPM, 0), ("pm", _K_AMPM, 12), ("ut", _K_ZONE, 0), ("utc", _K_ZONE, 0),
    ("z", _K_ZONE, 0), ("gmt", _K_ZONE, 0), ("cdt", _K_ZONE, -5), ("cst", _K_ZONE, -6),
    ("edt", _K_ZONE, -4), ("est", _K_ZONE, -5), ("mdt", _K_ZONE, -6), ("mst", _K_ZONE, -7),
    ("pdt", _K_ZONE, -7), ("pst", _K_ZONE, -8), ("t", _K_TSEP, 0),
)
_NONE: Final = 2**31 - 1


class _Tok:
    __slots__ = ("kind", "length", "value")

    def __init__(self, kind: int, value: Any = None, length: int = 0) -> None:
        self.kind = kind
        self.value = value  # number, symbol char, or (keyword type, keyword value)
        self.length = length

    def is_sym(self, ch: str) -> bool:
        return self.kind == _T_SYM and self.value == ch

    def is_num(self, length: int | None = None) -> bool:
        return self.kind == _T_NUM and (length is None or self.length == length)

    def is_sign(self) -> bool:
        return self.kind == _T_SYM and self.value in ("+", "-")

    def kw(self) -> int:
        return self.value[0] if self.kind == _T_WORD else -1

    def is_z(self) -> bool:
        return self.kind == _T_WORD and self.value == (_K_ZONE, 0) and self.length == 1


class _DateScanner:
    def __init__(self, s: str) -> None:
        self.s = s
        self.i = 0
        self.next = self._scan()

    def _scan(self) -> _Tok:
        s, i, n = self.s, self.i, len(self.s)
        if i >= n or s[i] == "\0":
            return _Tok(_T_END)
        ch = s[i]
        if "0" <= ch <= "9":
            j = i
            value = 0
            while j < n and "0" <= s[j] <= "9":
                if j - i < 9:  # only nine significant digits count
                    value = value * 10 + ord(s[j]) - 48
                j += 1
            self.i = j
            return _Tok(_T_NUM, value, j - i)
        if ch in ":-+.)":
            self.i = i + 1
            return _Tok(_T_SYM, ch, 1)
        if ord(ch) >= 65:  # a "word": any run of characters >= 'A'
            j = i
            while j < n and ord(s[j]) >= 65:
                j += 1
            self.i = j
            word = "".join(chr(ord(c) | 0x20) for c in s[i : min(j, i + 3)])
            length = j - i
            for text, kind, value in _KEYWORDS:
                if word == text and (length <= 3 or kind == _K_MONTH):
                    return _Tok(_T_WORD, (kind, value), length)
            return _Tok(_T_WORD, (_K_INVALID, 0), length)
        if ch in _JS_WS:
            self.i = i + 1
            return _Tok(_T_WS, None, 1)
        if ch == "(":
            depth = 0
            j = i
            while True:
                c = s[j] if j < n else "\0"
                if c == ")":
                    depth -= 1
                elif c == "(":
                    depth += 1
                j += 1
                if not (depth > 0 and j < n and s[j] != "\0"):
                    break
            self.i = j
            return _Tok(_T_UNKNOWN)
        self.i = i + 1
        return _Tok(_T_UNKNOWN)

    def take(self) -> _Tok:
        tok = self.next
        self.next = self._scan()
        return tok

    def skip(self, ch: str) -> bool:
        if self.next.is_sym(ch):
            self.next = self._scan()
            return True
        return False


def _millis(tok: _Tok) -> int:
    number, length = tok.value, tok.length
    if length == 1:
        return int(number * 100)
    if length == 2:
        return int(number * 10)
    if length > 3:
        length = min(length, 9)
        return int(number // 10 ** (length - 3))
    return int(number)


class _DateParts:
    def __init__(self) -> None:
        self.day: list[int] = []
        self.named_month = _NONE
        self.iso = False
        self.time: list[int] = []
        self.hour_offset = _NONE
        self.tz_sign = _NONE
        self.tz_hour = _NONE
        self.tz_minute = _NONE

    def day_add(self, n: int) -> bool:
        if len(self.day) < 3:
            self.day.append(n)
            return True
        return False

    def time_add(self, n: int) -> bool:
        if len(self.time) < 4:
            self.time.append(n)
            return True
        return False

    def time_final(self, n: int) -> bool:
        if not self.time_add(n):
            return False
        self.time.extend([0] * (4 - len(self.time)))
        return True

    def time_expecting(self, n: int) -> bool:
        k = len(self.time)
        return (k == 1 and 0 <= n <= 59) or (k == 2 and 0 <= n <= 59) or (k == 3 and 0 <= n <= 999)

    def tz_set(self, hours: int) -> None:
        self.tz_sign = -1 if hours < 0 else 1
        self.tz_hour = hours * self.tz_sign
        self.tz_minute = 0

    def tz_expecting(self, n: int) -> bool:
        return self.tz_hour != _NONE and self.tz_minute == _NONE and 0 <= n <= 59

    def tz_is_utc(self) -> bool:
        return self.tz_hour == 0 and self.tz_minute == 0

    def result(self) -> tuple[int, int, int, int, int, int, int, float] | None:
        comp = self.day + [1] * (3 - len(self.day))
        if not self.day:
            return None
        year = 0
        if self.named_month == _NONE:
            if self.iso or not (1 <= comp[0] <= 31):
                year, month, day = comp
            else:
                month, day, year = comp
        else:
            month = self.named_month
            if len(self.day) == 1:
                day = comp[0]
            elif not (1 <= comp[0] <= 31):
                year, day = comp[0], comp[1]
            else:
                day, year = comp[0], comp[1]
        if not self.iso:
            if 0 <= year <= 49:
                year += 2000
            elif 50 <= year <= 99:
                year += 1900
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return None
        t = self.time + [0] * (4 - len(self.time))
        hour, minute, sec, ms = t
        if self.hour_offset != _NONE:
            if not 0 <= hour <= 12:
                return None
            hour = hour % 12 + self.hour_offset
        if not (0 <= hour <= 23 and 0 <= minute <= 59 and 0 <= sec <= 59 and 0 <= ms <= 999):
            if hour != 24 or minute or sec or ms:
                return None
        offset = NAN
        if self.tz_sign != _NONE:
            h = 0 if self.tz_hour == _NONE else self.tz_hour
            m = 0 if self.tz_minute == _NONE else self.tz_minute
            offset = float(self.tz_sign * (h * 3600 + m * 60))
        return (year, month - 1, day, hour, minute, sec, ms, offset)


def _parse_es5(sc: _DateScanner, p: _DateParts) -> _Tok | None:
    """The ISO part; returns the first token the legacy rules must handle (None = invalid)."""
    if sc.next.is_sign():
        sign_tok = sc.take()
        if not sc.next.is_num(6):
            return sign_tok
        sign = 1 if sign_tok.value == "+" else -1
        year = sc.take().value
        if sign < 0 and year == 0:
            return sign_tok
        p.day_add(sign * year)
    elif sc.next.is_num(4):
        p.day_add(sc.take().value)
    else:
        return sc.take()
    if sc.skip("-"):
        if not sc.next.is_num(2) or not 1 <= sc.next.value <= 12:
            return sc.take()
        p.day_add(sc.take().value)
        if sc.skip("-"):
            if not sc.next.is_num(2) or not 1 <= sc.next.value <= 31:
                return sc.take()
            p.day_add(sc.take().value)
    if sc.next.kw() != _K_TSEP:
        if sc.next.kind != _T_END:
            return sc.take()
    else:
        sc.take()
        if not sc.next.is_num(2) or not 0 <= sc.next.value <= 24:
            return None
        hour_24 = sc.next.value == 24
        p.time_add(sc.take().value)
        if not sc.skip(":"):
            return None
        if not sc.next.is_num(2) or not 0 <= sc.next.value <= 59 or (hour_24 and sc.next.value > 0):
            return None
        p.time_add(sc.take().value)
        if sc.skip(":"):
            if not sc.next.is_num(2) or not 0 <= sc.next.value <= 59 or (hour_24 and sc.next.value > 0):
                return None
            p.time_add(sc.take().value)
            if sc.skip("."):
                if not sc.next.is_num() or (hour_24 and sc.next.value > 0):
                    return None
                p.time_add(_millis(sc.take()))
        if sc.next.is_z():
            sc.take()
            p.tz_set(0)
        elif sc.next.is_sym("+") or sc.next.is_sym("-"):
            p.tz_sign = 1 if sc.take().value == "+" else -1
            if sc.next.is_num(4):
                hm = sc.take().value
                if not (0 <= hm // 100 <= 23 and 0 <= hm % 100 <= 59):
                    return None
                p.tz_hour, p.tz_minute = hm // 100, hm % 100
            else:
                if not sc.next.is_num(2) or not 0 <= sc.next.value <= 23:
                    return None
                p.tz_hour = sc.take().value
                if not sc.skip(":"):
                    return None
                if not sc.next.is_num(2) or not 0 <= sc.next.value <= 59:
                    return None
                p.tz_minute = sc.take().value
        if sc.next.kind != _T_END:
            return None
    if p.tz_hour == _NONE and not p.time:
        p.tz_set(0)  # date-only forms are UTC
    p.iso = True
    return _Tok(_T_END)


def _parse_v8_date(s: str) -> tuple[int, int, int, int, int, int, int, float] | None:
    sc = _DateScanner(s)
    p = _DateParts()
    tok: _Tok | None = _parse_es5(sc, p)
    if tok is None:
        return None
    has_number = bool(p.day)
    while tok.kind != _T_END:
        if tok.kind == _T_NUM:
            has_number = True
            n = tok.value
            if sc.skip(":"):
                if sc.skip(":"):
                    if p.time:
                        return None
                    p.time_add(n)
                    p.time_add(0)
                else:
                    if not p.time_add(n):
                        return None
                    if sc.next.is_sym("."):
                        sc.take()
            elif sc.next.is_sym(".") and p.time_expecting(n):
                sc.take()
                p.time_add(n)
                if not sc.next.is_num():
                    return None
                p.time_final(_millis(sc.take()))
            elif p.tz_expecting(n):
                p.tz_minute = n
            elif p.time_expecting(n):
                p.time_final(n)
                nxt = sc.next
                if nxt.kind not in (_T_END, _T_WS) and not nxt.is_z() and not nxt.is_sign():
                    return None
            else:
                if not p.day_add(n):
                    return None
                sc.skip("-")
        elif tok.kind == _T_WORD:
            kind, value = tok.value
            if kind == _K_AMPM and p.time:
                p.hour_offset = value
            elif kind == _K_MONTH:
                p.named_month = value
                sc.skip("-")
            elif kind == _K_ZONE and has_number:
                p.tz_set(value)
            else:
                if has_number or sc.next.kind == _T_NUM:
                    return None
        elif tok.is_sign() and (p.tz_is_utc() or p.time):
            p.tz_sign = 1 if tok.value == "+" else -1
            n, length = 0, 0
            if sc.next.kind == _T_NUM:
                num = sc.take()
                n, length = num.value, num.length
            has_number = True
            if sc.next.is_sym(":"):
                p.tz_hour, p.tz_minute = n, _NONE
            elif length in (1, 2):
                p.tz_hour, p.tz_minute = n, 0
            elif length in (3, 4):
                p.tz_hour, p.tz_minute = n // 100, n % 100
            else:
                return None
        elif (tok.is_sign() or tok.is_sym(")")) and has_number:
            return None
        tok = sc.take()
    return p.result()


_MAX_BEFORE_UTC: Final = _MAX_TIME + 864_000_000


@lru_cache(maxsize=4096)
def _parse_date_string(s: str, tz: str | None) -> float:
    """``Date.parse(s)`` with ``tz`` as local time (cached: it is a pure function)."""
    parts = _parse_v8_date(s)
    if parts is None:
        return NAN
    year, month, day, hour, minute, sec, ms, offset = parts
    t = _make_date(_make_day(year, month, day), _make_time(hour, minute, sec, ms))
    if offset != offset:
        if t != t or not -_MAX_BEFORE_UTC <= t <= _MAX_BEFORE_UTC:
            return NAN
        return _time_clip(t - _offset_for_local(t, tz))
    t -= offset * 1000
    if t != t or not -_MAX_TIME <= t <= _MAX_TIME:
        return NAN
    return _time_clip(t)


# ---------------------------------------------------------------------------------------------
# JSON encoding, exactly as the reference runner prints values
# ---------------------------------------------------------------------------------------------
def to_json(value: Any) -> Any:
    """Encode a value like the reference runner: special values as ``{"$...": ...}`` objects.

    ``undefined`` → ``{"$undefined": true}``, NaN/±Infinity → ``{"$number": ...}``, a date →
    ``{"$date": "<ISO>"}``; integral floats become ints; object keys are sorted (UTF-16 order)
    and ``undefined`` members of objects are dropped, as ``JSON.stringify`` drops them.
    """
    t = type(value)
    if value is None or t is str or t is bool or t is int:
        return value
    if t is float:
        if value != value:
            return {"$number": "NaN"}
        if value == _INF:
            return {"$number": "Infinity"}
        if value == -_INF:
            return {"$number": "-Infinity"}
        if value.is_integer() and abs(value) < 1e21:
            # JSON.stringify prints the shortest digits padded with zeros (1.2345e19 → 12345...000)
            return int(value) if abs(value) <= _MAX_SAFE else int(number_to_string(value))
        return value
    if value is UNDEFINED:
        return {"$undefined": True}
    if isinstance(value, JSDate):
        return {"$date": value.to_iso_string()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, Mapping):
        src = {str(k): v for k, v in value.items()}
        keys = sorted(src)
        if not all(k.isascii() for k in keys):
            keys.sort(key=_utf16_key)  # JavaScript sorts keys by UTF-16 code units
        return {k: to_json(src[k]) for k in keys if src[k] is not UNDEFINED}
    return str(value)


def from_json_special(value: Any) -> Any:
    """The inverse of :func:`to_json` for the special ``$`` objects (used by tests and tools)."""
    if isinstance(value, list):
        return [from_json_special(v) for v in value]
    if isinstance(value, dict):
        if value == {"$undefined": True}:
            return UNDEFINED
        if len(value) == 1 and "$number" in value:
            return {"NaN": NAN, "Infinity": _INF, "-Infinity": -_INF}[value["$number"]]
        if len(value) == 1 and "$date" in value:
            text = value["$date"]
            return JSDate(NAN) if text == "Invalid Date" else JSDate.from_value(text)
        return {k: from_json_special(v) for k, v in value.items()}
    return value


def parse_js_json(text: str) -> Any:
    """``JSON.parse`` (numbers become JS numbers; ``NaN``/``Infinity`` are rejected)."""

    def _reject(name: str) -> Any:
        raise ValueError(name)

    def _int(s: str) -> int | float:
        return norm_number(int(s)) if s != "-0" else -0.0

    return json.loads(text, parse_int=_int, parse_constant=_reject)
