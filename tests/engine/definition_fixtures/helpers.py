"""Small builders and assertions shared by the definition tests."""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

from surveys.engine.definition import Problem, Report, validate_definition

FIXTURES = Path(__file__).resolve().parent
RICH = FIXTURES / "rich_questionnaire.json"


@cache
def _rich_text() -> str:
    return RICH.read_text("utf-8")


def rich() -> dict[str, Any]:
    """A fresh copy of the rich questionnaire (every supported type and Verne property)."""
    data: dict[str, Any] = json.loads(_rich_text())
    return data


def survey(*elements: dict[str, Any], **props: Any) -> dict[str, Any]:
    """A one-page survey with the given elements and survey-level properties."""
    return {"pages": [{"name": "p1", "elements": [copy.deepcopy(e) for e in elements]}], **props}


def problems(report: Report, path: str, code: str | None = None) -> list[Problem]:
    return [p for p in report.problems if p.path == path and (code is None or p.code == code)]


def only_error(definition: Any, **kwargs: Any) -> Problem:
    """Validate and return the single error (fails with the whole report otherwise)."""
    report = validate_definition(definition, **kwargs)
    assert len(report.errors) == 1, str(report)
    return report.errors[0]


def error_at(definition: Any, path: str, code: str, **kwargs: Any) -> Problem:
    """Validate and return the error with this path and code (fails with the report otherwise)."""
    report = validate_definition(definition, **kwargs)
    found = [p for p in report.errors if p.path == path and p.code == code]
    assert found, f"no {code} at {path}:\n{report}"
    return found[0]


def warning_at(definition: Any, path: str, code: str, **kwargs: Any) -> Problem:
    report = validate_definition(definition, **kwargs)
    found = [p for p in report.warnings if p.path == path and p.code == code]
    assert found, f"no {code} warning at {path}:\n{report}"
    return found[0]
