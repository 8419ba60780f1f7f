"""How the reports write their numbers. Pages (through the `reports` template filters), Word
documents, exports and charts all format through here, so the same figure reads the same
everywhere ("44 %", "7,1", "+28", "–" for nothing)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.formats import date_format, number_format

DASH = "–"
MINUS = "−"


def num(value: Any, decimals: int = 0) -> str:
    if value is None:
        return DASH
    text = number_format(round(float(value), decimals), decimal_pos=decimals, use_l10n=True, force_grouping=False)
    return text.replace("-", MINUS)


def pct(value: Any, decimals: int = 0) -> str:
    return DASH if value is None else f"{num(value, decimals)} %"


def signed(value: Any, decimals: int = 0) -> str:
    if value is None:
        return DASH
    rounded = round(float(value), decimals)
    if rounded == 0:
        return num(0, decimals)
    return ("+" if rounded > 0 else "") + num(rounded, decimals)


def rate(value: Any) -> str:
    """H1, H2, F: one decimal."""
    return num(value, 1)


def score(value: Any) -> str:
    return num(value, 0)


def mean(value: Any) -> str:
    return num(value, 1)


def date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return DASH
    return date_format(value, "SHORT_DATE_FORMAT")


def figure(value: Any, kind: str) -> str:
    """A trend cell's main figure: kind "share" (%), "score" (0–100), "mean", "rate", "count"."""
    if kind == "share":
        return pct(value)
    if kind == "score":
        return score(value)
    if kind == "rate":
        return rate(value)
    if kind == "count":
        return num(value, 0)
    return mean(value)


def change(value: Any, kind: str) -> str:
    if kind == "rate" or kind == "mean":
        return signed(value, 1)
    return signed(value, 0)
