"""survey-core's date functions, on ``JSDate`` (JavaScript ``Date`` semantics).

"Now" comes from ``EvalContext.now`` and local time from ``EvalContext.tz`` (UTC when unset).
Date-only strings are local midnight; month arithmetic overflows like JavaScript
(``dateAdd('2024-01-31', 1, 'months')`` is 2024-03-02).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

from surveys.engine.values import (
    NAN,
    UNDEFINED,
    JSDate,
    js_add,
    js_subtract,
    js_truthy,
    norm_number,
)

if TYPE_CHECKING:
    from surveys.engine.expressions.functions import CallInfo, FunctionRegistry

__all__ = ["register_all"]

_MS_PER_DAY: Final = 86_400_000


def _int32(x: float) -> int:
    """JavaScript ``~~x`` (ToInt32)."""
    if x != x or math.isinf(x):
        return 0
    n = math.trunc(x) & 0xFFFFFFFF
    return n - 0x100000000 if n >= 0x80000000 else n


def _ceil(x: float) -> int | float:
    if x != x or math.isinf(x):
        return x
    return norm_number(float(math.ceil(x)))


def _today(call: CallInfo, params: list[Any] | None) -> JSDate:
    res = call.now()
    res.set_hours(0, 0, 0, 0)
    if params is not None and len(params) == 1:
        res.set_date(js_add(res.get_date(), params[0]))
    return res


def fn_today(params: list[Any], call: CallInfo) -> Any:
    return _today(call, params)


def fn_current_date(params: list[Any], call: CallInfo) -> Any:
    return call.now()


def fn_current_year(params: list[Any], call: CallInfo) -> Any:
    return call.now().get_full_year()


def fn_get_date(params: list[Any], call: CallInfo) -> Any:
    if not params or not js_truthy(params[0]):
        return None
    return call.create_date(params[0])


def fn_get_year(params: list[Any], call: CallInfo) -> Any:
    if len(params) != 1 or not js_truthy(params[0]):
        return UNDEFINED
    return call.create_date(params[0]).get_full_year()


def _diff_days(params: list[Any], call: CallInfo) -> Any:
    if len(params) != 2 or not js_truthy(params[0]) or not js_truthy(params[1]):
        return 0
    d1 = call.create_date(params[0])
    d2 = call.create_date(params[1])
    u1 = _utc_day(d1)
    u2 = _utc_day(d2)
    if u1 != u1 or u2 != u2:
        return NAN
    return _ceil(abs(u2 - u1) / _MS_PER_DAY)


def _utc_day(d: JSDate) -> float:
    """``Date.UTC(d.getFullYear(), d.getMonth(), d.getDate())``."""
    y, m, day = d.get_full_year(), d.get_month(), d.get_date()
    if y != y:
        return NAN
    return JSDate.utc(y, m, day)


def fn_diff_days(params: list[Any], call: CallInfo) -> Any:
    return _diff_days(params, call)


def _date_diff_months(d1: Any, d2: Any, kind: Any, call: CallInfo) -> Any:
    if type(kind) is str and kind == "days":
        return _diff_days([d1, d2], call)
    date1 = call.create_date(d1)
    date2 = call.create_date(d2)
    y1, y2 = date1.get_full_year(), date2.get_full_year()
    months: float = (y2 - y1) * 12 + date2.get_month() - date1.get_month()
    if date2.get_date() < date1.get_date():
        months -= 1
    kind = kind if js_truthy(kind) else "years"
    if type(kind) is str and kind == "months":
        return norm_number(months) if months == months else NAN
    return _int32(months / 12)


def fn_age(params: list[Any], call: CallInfo) -> Any:
    if not params or not js_truthy(params[0]):
        return None
    kind = params[1] if len(params) > 1 else ""
    return _date_diff_months(params[0], UNDEFINED, kind if js_truthy(kind) else "years", call)


def fn_date_diff(params: list[Any], call: CallInfo) -> Any:
    if len(params) < 2 or not js_truthy(params[0]) or not js_truthy(params[1]):
        return None
    kind = params[2] if len(params) > 2 else ""
    if not js_truthy(kind):
        kind = "days"
    if type(kind) is str and kind in ("hours", "minutes", "seconds"):
        d1 = call.create_date(params[0])
        d2 = call.create_date(params[1])
        diff = abs(float(js_subtract(d2, d1)))
        unit = {"hours": 3_600_000, "minutes": 60_000, "seconds": 1000}[kind]
        return _ceil(diff / unit)
    return _date_diff_months(params[0], params[1], kind, call)


def fn_date_add(params: list[Any], call: CallInfo) -> Any:
    if len(params) < 2 or not js_truthy(params[0]) or not js_truthy(params[1]):
        return None
    date = call.create_date(params[0])
    add = params[1]
    interval = params[2] if len(params) > 2 and js_truthy(params[2]) else "days"
    # survey-core uses date.getX() + value, so a string value concatenates ("15" + "5")
    if interval == "days":
        date.set_date(js_add(date.get_date(), add))
    elif interval == "months":
        date.set_month(js_add(date.get_month(), add))
    elif interval == "years":
        date.set_full_year(js_add(date.get_full_year(), add))
    elif interval == "hours":
        date.set_hours(js_add(date.get_hours(), add))
    elif interval == "minutes":
        date.set_minutes(js_add(date.get_minutes(), add))
    elif interval == "seconds":
        date.set_seconds(js_add(date.get_seconds(), add))
    return date


def _date_or_today(params: list[Any], call: CallInfo) -> JSDate:
    date = _today(call, None)
    if params and js_truthy(params[0]):
        date = call.create_date(params[0])
    return date


def fn_year(params: list[Any], call: CallInfo) -> Any:
    return _date_or_today(params, call).get_full_year()


def fn_month(params: list[Any], call: CallInfo) -> Any:
    m = _date_or_today(params, call).get_month()
    return m + 1 if m == m else m


def fn_day(params: list[Any], call: CallInfo) -> Any:
    return _date_or_today(params, call).get_date()


def fn_weekday(params: list[Any], call: CallInfo) -> Any:
    return _date_or_today(params, call).get_day()


_DATE_FUNCTIONS: Final[dict[str, Callable[[list[Any], CallInfo], Any]]] = {
    "today": fn_today,
    "currentDate": fn_current_date,
    "currentYear": fn_current_year,
    "getDate": fn_get_date,
    "getYear": fn_get_year,
    "diffDays": fn_diff_days,
    "age": fn_age,
    "dateDiff": fn_date_diff,
    "dateAdd": fn_date_add,
    "year": fn_year,
    "month": fn_month,
    "day": fn_day,
    "weekday": fn_weekday,
}


def register_all(registry: FunctionRegistry) -> None:
    for name, fn in _DATE_FUNCTIONS.items():
        registry.register(name, fn, needs_context=True)
