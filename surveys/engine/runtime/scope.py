"""What an expression sees: case-insensitive name lookups like survey-core's value getters.

survey-core resolves ``{name}`` for the survey in this order: built-in variables (``pageno``,
``pagecount``, ``locale`` ...), survey variables (calculated values are variables too), the
question whose ``valueName`` matches (its current value, which can differ from ``data``: an
out-of-range number is kept on the question only), then any other key of ``data``.
Nested contexts (a dynamic panel, a matrix row, an object-valued question) look in their own
values first and then fall back to the survey.

Scopes are read-only :class:`~collections.abc.Mapping` views; nothing is copied per lookup.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from surveys.engine.jsutil import UNDEFINED

if TYPE_CHECKING:
    from surveys.engine.runtime.survey import SurveyRun


_MISSING = object()


def ci_get(d: Mapping[str, Any], name: str) -> Any:
    """Case-insensitive lookup in a plain dict: exact key first, then the first key that matches."""
    v = d.get(name, _MISSING)
    if v is not _MISSING:
        return v
    low = name.lower()
    for k, v in d.items():
        if k.lower() == low:
            return v
    return _MISSING


class SurveyScope(Mapping[str, Any]):
    """The survey's values as expressions read them."""

    __slots__ = ("run",)

    def __init__(self, run: SurveyRun) -> None:
        self.run = run

    def lookup(self, name: str) -> Any:
        run = self.run
        low = name.lower()
        builtin = run.builtin_variable(low)
        if builtin is not _MISSING:
            return builtin
        variables = run.variables_hash
        if variables:
            v = variables.get(low, _MISSING)
            if v is not _MISSING:
                return v
        qs = run.questions_by_value_name_lower.get(low)
        if qs:
            return qs[0].get_filtered_value()
        if low.endswith("-unwrapped"):
            qs = run.questions_by_value_name_lower.get(low[: -len("-unwrapped")])
            if qs:
                return qs[0].get_filtered_value()
        return ci_get(run.values_hash, name)

    def __getitem__(self, name: str) -> Any:
        v = self.lookup(name)
        if v is _MISSING:
            raise KeyError(name)
        return v

    def get(self, name: str, default: Any = None) -> Any:
        # The lookup is already case-insensitive and complete: a missing name reads as
        # undefined (which the expression engine treats as "not found") so that the engine
        # does not fall back to scanning every key of the scope.
        v = self.lookup(name)
        return UNDEFINED if v is _MISSING else v

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.lookup(name) is not _MISSING

    def __iter__(self) -> Iterator[str]:
        run = self.run
        seen: set[str] = set()
        for k in (
            list(run.variables_hash)
            + list(run.questions_by_value_name_lower)
            + list(run.values_hash)
        ):
            low = k.lower()
            if low not in seen:
                seen.add(low)
                yield k

    def __len__(self) -> int:
        return sum(1 for _ in self)


class LayeredScope(Mapping[str, Any]):
    """Local names (``row``, ``panel``, ``rowIndex`` ... or an object value) over a parent scope."""

    __slots__ = ("local", "parent")

    def __init__(self, local: Mapping[str, Any], parent: Mapping[str, Any]) -> None:
        self.local = local
        self.parent = parent

    def lookup(self, name: str) -> Any:
        v = (
            ci_get(self.local, name)
            if isinstance(self.local, dict)
            else _scope_get(self.local, name)
        )
        if v is not _MISSING:
            return v
        return _scope_get(self.parent, name)

    def __getitem__(self, name: str) -> Any:
        v = self.lookup(name)
        if v is _MISSING:
            raise KeyError(name)
        return v

    def get(self, name: str, default: Any = None) -> Any:
        # The lookup is already case-insensitive and complete: a missing name reads as
        # undefined (which the expression engine treats as "not found") so that the engine
        # does not fall back to scanning every key of the scope.
        v = self.lookup(name)
        return UNDEFINED if v is _MISSING else v

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.lookup(name) is not _MISSING

    def __iter__(self) -> Iterator[str]:
        seen: set[str] = set()
        for k in list(self.local) + list(self.parent):
            if k.lower() not in seen:
                seen.add(k.lower())
                yield k

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _scope_get(m: Mapping[str, Any], name: str) -> Any:
    if isinstance(m, (SurveyScope, LayeredScope)):
        return m.lookup(name)
    if isinstance(m, dict):
        return ci_get(m, name)
    try:
        return m[name]
    except KeyError:
        return _MISSING


MISSING = _MISSING
__all__ = ["MISSING", "UNDEFINED", "LayeredScope", "SurveyScope", "ci_get"]
