"""Dates in the runtime: JavaScript ``new Date(value)`` for min/max checks, and date to string.

survey-core parses a date-only string (``"2024-06-15"``) as *local* midnight and a string with a
time but no zone as local time too; the run's time zone (the case's ``tz``, UTC by default)
is the "local" zone.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from surveys.engine.jsutil import js_to_number

_ISO = re.compile(
    r"^(\d{4})-(\d{2})(?:-(\d{2}))?(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$"
)

_local_tz: tzinfo = UTC


def set_local_zone(name: str | None) -> None:
    global _local_tz
    _local_tz = ZoneInfo(name) if name and name != "UTC" else UTC


def local_zone() -> tzinfo:
    return _local_tz


def _js_date_ms(v: Any) -> float | None:
    ms = getattr(v, "ms", None)
    if isinstance(ms, (int, float)):
        return float(ms)
    fn = getattr(v, "get_time", None) or getattr(v, "getTime", None)
    if callable(fn):
        res = fn()
        return float(res) if isinstance(res, (int, float)) else None
    return None


def parse_date_ms(v: Any) -> float:
    """``new Date(v).getTime()`` (NaN when invalid)."""
    ms = _js_date_ms(v)
    if ms is not None:
        return ms
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return float(v)
    if not isinstance(v, str):
        return math.nan
    m = _ISO.match(v.strip())
    if not m:
        return math.nan
    y, mo, d, hh, mi, ss, frac, zone = m.groups()
    try:
        dt = datetime(int(y), int(mo), int(d or 1), int(hh or 0), int(mi or 0), int(ss or 0))
    except ValueError:
        return math.nan
    micro = int((frac or "0")[:6].ljust(6, "0"))
    dt = dt + timedelta(microseconds=micro)
    if zone:
        if zone == "Z":
            dt = dt.replace(tzinfo=UTC)
        else:
            sign = 1 if zone[0] == "+" else -1
            z = zone[1:].replace(":", "")
            off = timedelta(hours=int(z[:2]), minutes=int(z[2:]))
            dt = dt.replace(tzinfo=UTC) - sign * off
    elif d is None or hh is not None or True:
        # date-only and date-time strings without a zone are local time in survey-core
        dt = dt.replace(tzinfo=_local_tz)
    return dt.timestamp() * 1000.0


def create_date_ms(v: Any) -> float:
    return parse_date_ms(v)


def _local(ms: float) -> datetime:
    return datetime.fromtimestamp(ms / 1000.0, tz=_local_tz)


def date_to_question_string(v: Any, input_type: str | None) -> Any:
    """``Helpers.convertValToQuestionVal`` for a Date: ``yyyy-mm-dd`` (with time for datetime-local)."""
    ms = _js_date_ms(v)
    if ms is None or math.isnan(ms):
        return v
    dt = _local(ms)
    date = f"{dt.year:04d}-{dt.month:02d}-{dt.day:02d}"
    if input_type == "datetime-local":
        return f"{date}T{dt.hour:02d}:{dt.minute:02d}"
    return date


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def to_date_string(v: Any) -> str:
    """``new Date(v).toDateString()``."""
    ms = parse_date_ms(v) if not isinstance(v, (int, float)) else float(js_to_number(v))
    if math.isnan(ms):
        return "Invalid Date"
    dt = _local(ms)
    return f"{_DAYS[dt.weekday()]} {_MONTHS[dt.month - 1]} {dt.day:02d} {dt.year:04d}"
