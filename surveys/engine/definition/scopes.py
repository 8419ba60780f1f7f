"""Name scopes: which names an expression can see, following survey-core's rules.

* The **survey** scope holds every question outside dynamic-panel templates and matrix columns
  (questions in pages and ordinary panels share it), their ``valueName``\\s, calculated values
  and variables. Expressions anywhere see it with plain ``{name}``.
* A **panel** scope holds the questions of one ``paneldynamic`` template. Inside the template
  they are read as ``{panel.x}`` / ``{prevPanel.x}`` (and ``{parentPanel.x}`` from a nested
  dynamic panel); a plain ``{x}`` does *not* find them (checked against survey-core 3.1.1).
* A **row** scope holds the columns (and detail questions) of one ``matrixdropdown`` /
  ``matrixdynamic``; inside the columns they are read as ``{row.x}``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from surveys.engine.definition.problems import Path

__all__ = ["NameEntry", "Scope", "ScopeKind"]

ScopeKind = Literal["survey", "panel", "row"]


@dataclass(frozen=True)
class NameEntry:
    """A declared name: a question, column, calculated value or survey variable."""

    name: str
    path: Path
    kind: Literal["question", "panel", "calculated", "variable", "column"]
    element_type: str | None = None  # question type, or the cell type of a column
    node: Mapping[str, Any] | None = None
    scope: Scope | None = field(default=None, compare=False, repr=False)


@dataclass(eq=False)
class Scope:
    kind: ScopeKind
    parent: Scope | None = None
    owner_name: str | None = None  # the paneldynamic / matrix that opened this scope
    owner_path: Path = ()
    # Declared names (exact spelling) for duplicate detection.
    declared: dict[str, NameEntry] = field(default_factory=dict)
    # Every name an expression may use in this scope, lower-cased (names and valueNames).
    visible: dict[str, NameEntry] = field(default_factory=dict)

    def frames(self) -> Iterator[Scope]:
        scope: Scope | None = self
        while scope is not None:
            yield scope
            scope = scope.parent

    def nearest(self, kind: ScopeKind) -> Scope | None:
        return next((s for s in self.frames() if s.kind == kind), None)

    def survey(self) -> Scope:
        *_, root = self.frames()
        return root

    def describe_owner(self) -> str:
        return self.owner_name or "?"

    def find_question(self, name: str) -> NameEntry | None:
        """A question by name, looking in this scope first and then outwards (for carry-forward)."""
        key = name.lower()
        for scope in self.frames():
            entry = scope.visible.get(key)
            if entry is not None and entry.kind in ("question", "column"):
                return entry
        return None
