"""The evaluation context: clock, time zone, functions, survey access and warnings."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from surveys.engine.values import JSDate, js_truthy

if TYPE_CHECKING:
    from surveys.engine.expressions.functions import FunctionRegistry

__all__ = ["EvalContext", "is_iso_date_only"]

_DATE_PART = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _default_registry() -> FunctionRegistry:
    from surveys.engine.expressions.functions import DEFAULT_FUNCTIONS

    return DEFAULT_FUNCTIONS


@dataclass(slots=True)
class EvalContext:
    """What an evaluation may read besides the values.

    * ``now``: the current moment for ``today()``, ``age()``, ``currentYear()``... (``None``
      means the real clock; a naive datetime is read as UTC).
    * ``functions``: the function registry (``DEFAULT_FUNCTIONS`` has the 32 built-ins).
    * ``properties``: survey-core's ``properties`` object. ``properties["survey"]`` is an
      object implementing :class:`surveys.engine.expressions.protocols.ExpressionSurvey`; it is
      what ``propertyValue``, ``getComment``, ``isContainerReady``, ``displayValue`` and
      ``isDisplayMode`` talk to. Without it they answer as survey-core does without a survey.
    * ``warnings``: survey-core's console warnings are appended here (unknown function,
      invalid expression inside ``sumInArray``'s condition, an exception while evaluating).
    * ``tz``: the IANA zone that is "local time" for dates (``None`` = UTC, like the reference
      runner). Date-only strings such as ``"2024-06-15"`` are local midnight.
    """

    now: datetime | None = None
    functions: FunctionRegistry = field(default_factory=_default_registry)
    properties: Mapping[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    tz: str | None = None

    @property
    def survey(self) -> Any:
        return self.properties.get("survey")

    def now_date(self) -> JSDate:
        """A fresh ``new Date()`` (callers may mutate it)."""
        return JSDate.now(self.now, self.tz)

    def create_date(self, value: Any) -> JSDate:
        """survey-core ``createDate``: "now" for an empty value; a date-only ISO string is
        local midnight (``settings.storeUtcDates`` is false)."""
        if not js_truthy(value):
            return self.now_date()
        if type(value) is str and is_iso_date_only(value, self.tz):
            value = value + "T00:00:00"
        return JSDate.from_value(value, self.tz)


def is_iso_date_only(text: str, tz: str | None = None) -> bool:
    """survey-core ``isISODateOnly``: no ``T`` after the start, a ``dddd-dd-dd`` somewhere,
    and a valid date."""
    if text.find("T") > 0:
        return False
    if _DATE_PART.search(text) is None:
        return False
    return JSDate.from_value(text, tz).is_valid

