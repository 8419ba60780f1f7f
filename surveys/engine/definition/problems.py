"""The validation report: problems with a JSON path, a stable code and messages in en/nb.

Paths are written like ``pages[2].elements[0].visibleIf``; the root object itself is ``$``
(used for "not JSON", "not an object" and survey-wide problems without a better place).
Keys that are not plain identifiers are quoted: ``elements[0]["my key"]``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

__all__ = ["ROOT", "Collector", "Path", "Problem", "Report", "Severity", "format_path"]

ROOT = "$"

Severity = Literal["error", "warning"]
Path = tuple[str | int, ...]

_IDENT = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$-]*$")


def format_path(parts: Iterable[str | int]) -> str:
    """``("pages", 2, "elements", 0, "visibleIf")`` -> ``pages[2].elements[0].visibleIf``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _IDENT.match(part):
            out += f".{part}" if out else part
        else:
            out += "[" + _quote(part) + "]"
    return out or ROOT


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass(frozen=True)
class Problem:
    """One finding. ``position`` is the 0-based character offset inside an expression."""

    path: str
    code: str
    message: str
    message_nb: str
    position: int | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if self.position is None:
            del data["position"]
        return data

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass
class Report:
    """The result of ``validate_definition``. ``definition`` is the parsed dict (or ``None``)."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    definition: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def problems(self) -> Sequence[Problem]:
        return [*self.errors, *self.warnings]

    def codes(self, severity: Severity | None = None) -> list[str]:
        """The codes of the errors, the warnings, or both (handy in tests and logs)."""
        source = {"error": self.errors, "warning": self.warnings}.get(severity or "", self.problems)
        return [p.code for p in source]

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "errors": [p.to_dict() for p in self.errors],
            "warnings": [p.to_dict() for p in self.warnings],
        }

    def __str__(self) -> str:
        lines = [f"error: {p}" for p in self.errors] + [f"warning: {p}" for p in self.warnings]
        return "\n".join(lines) if lines else "ok"


class Collector:
    """Gathers problems while checking; drops exact duplicates and stops at a sane limit."""

    LIMIT = 500

    def __init__(self) -> None:
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self._seen: set[tuple[str, str, str, str]] = set()
        self.truncated = False

    def add(
        self,
        severity: Severity,
        path: Path | str,
        code: str,
        text: tuple[str, str],
        position: int | None = None,
    ) -> None:
        where = path if isinstance(path, str) else format_path(path)
        key = (severity, where, code, text[0])
        if key in self._seen:
            return
        if len(self.errors) + len(self.warnings) >= self.LIMIT:
            self.truncated = True
            return
        self._seen.add(key)
        problem = Problem(where, code, text[0], text[1], position)
        (self.errors if severity == "error" else self.warnings).append(problem)

    def error(
        self, path: Path | str, code: str, text: tuple[str, str], position: int | None = None
    ) -> None:
        self.add("error", path, code, text, position)

    def warning(
        self, path: Path | str, code: str, text: tuple[str, str], position: int | None = None
    ) -> None:
        self.add("warning", path, code, text, position)

    def finish(self) -> None:
        """Add the "too many problems" note when the limit cut the list short."""
        if self.truncated:
            self.warnings.append(
                Problem(
                    ROOT,
                    "too_many_problems",
                    f"Only the first {self.LIMIT} problems are listed.",
                    f"Bare de første {self.LIMIT} problemene er listet.",
                )
            )
            self.truncated = False
