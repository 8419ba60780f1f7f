"""Template filters that write figures the way the Word reports do (reports.formatting)."""

from __future__ import annotations

from typing import Any

from django import template

from reports import documents
from reports import formatting as fmt

register = template.Library()


@register.filter
def pct(value: Any) -> str:
    return fmt.pct(value)


@register.filter
def rate(value: Any) -> str:
    return fmt.rate(value)


@register.filter
def num(value: Any, decimals: int = 0) -> str:
    return fmt.num(value, int(decimals))


@register.filter
def mean(value: Any) -> str:
    return fmt.mean(value)


@register.filter
def signed(value: Any, decimals: int = 0) -> str:
    return fmt.signed(value, int(decimals))


@register.filter
def cell_text(cell: Any, kind: str) -> str:
    """A trend cell as the Word report writes it ("44 %", "skjult", "–")."""
    return documents.cell_text(cell, kind)


@register.filter
def change_text(row: Any, index: int) -> str:
    value = row.changes[index]
    return fmt.change(value, "score" if row.kind == "score" else ("share" if row.favourable else "mean"))


@register.filter
def at(items: Any, index: int) -> Any:
    return items[index]


@register.filter
def state_label(state: str) -> str:
    return documents.state_label(state)
