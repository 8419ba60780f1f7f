"""``validate_definition``: parse, check the structure, then check the meaning.

It never raises on bad input: everything wrong becomes a :class:`Problem` in the report.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from surveys.engine.definition.problems import ROOT, Collector, Problem, Report
from surveys.engine.definition.references import check_references, default_functions
from surveys.engine.definition.schema_check import check_schema
from surveys.engine.definition.walker import walk

__all__ = ["validate_definition"]

# Python's json module wording -> bokmål, for the "not valid JSON" message.
_JSON_NB = {
    "Expecting value": "forventet en verdi",
    "Expecting ',' delimiter": "forventet komma",
    "Expecting ':' delimiter": "forventet kolon",
    "Expecting property name enclosed in double quotes": "forventet et egenskapsnavn i doble anførselstegn",
    "Unterminated string starting at": "teksten mangler avsluttende anførselstegn",
    "Invalid control character at": "ugyldig kontrolltegn",
    "Invalid \\escape": "ugyldig escape-sekvens",
    "Invalid \\uXXXX escape": "ugyldig \\uXXXX-sekvens",
    "Extra data": "ekstra tegn etter JSON-verdien",
    "Illegal trailing comma before end of object": "komma før slutten av objektet",
    "Illegal trailing comma before end of array": "komma før slutten av listen",
}


class _NotJSON(ValueError):
    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.position = position


def _reject_constant(name: str) -> Any:
    # JSON.parse in the browser rejects NaN/Infinity; so do we.
    raise ValueError(f"{name} is not allowed in JSON")


def _parse(raw: Any, out: Collector) -> dict[str, Any] | None:
    data: Any
    if isinstance(raw, (bytes, bytearray, memoryview)):
        try:
            raw = bytes(raw).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            out.error(
                ROOT,
                "invalid_json",
                (
                    f"The questionnaire is not UTF-8 text (byte {exc.start} cannot be read).",
                    f"Spørreskjemaet er ikke UTF-8-tekst (byte {exc.start} kan ikke leses).",
                ),
                exc.start,
            )
            return None
    if isinstance(raw, str):
        try:
            data = json.loads(raw.lstrip("\ufeff"), parse_constant=_reject_constant)
        except json.JSONDecodeError as exc:
            nb = next((v for k, v in _JSON_NB.items() if exc.msg.startswith(k)), exc.msg)
            out.error(
                ROOT,
                "invalid_json",
                (
                    f"The questionnaire is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}.",
                    f"Spørreskjemaet er ikke gyldig JSON: {nb} på linje {exc.lineno}, kolonne {exc.colno}.",
                ),
                exc.pos,
            )
            return None
        except RecursionError:
            out.error(
                ROOT,
                "invalid_json",
                ("The questionnaire is nested too deeply.", "Spørreskjemaet er nøstet for dypt."),
            )
            return None
        except ValueError as exc:  # NaN / Infinity
            out.error(
                ROOT,
                "invalid_json",
                (
                    f"The questionnaire is not valid JSON: {exc}.",
                    f"Spørreskjemaet er ikke gyldig JSON: {exc}.",
                ),
            )
            return None
    else:
        data = raw
    if not isinstance(data, dict):
        kind: tuple[str, str] = ("a single value", "én enkelt verdi")
        if isinstance(data, list):
            kind = ("a list", "en liste")
        elif isinstance(data, str):
            kind = ("a text", "en tekst")
        out.error(
            ROOT,
            "not_an_object",
            (
                f'A questionnaire must be a JSON object such as {{"pages": [...]}}, not {kind[0]}.',
                f'Et spørreskjema må være et JSON-objekt som {{"pages": [...]}}, ikke {kind[1]}.',
            ),
        )
        return None
    return data


def _sort_key(problem: Problem) -> tuple[Any, ...]:
    # Document-like order: by path segments, indices numerically.
    parts: list[tuple[int, Any]] = []
    token = ""
    text = "" if problem.path == ROOT else problem.path
    for ch in text:
        if ch in ".[]":
            if token:
                parts.append((0, int(token)) if token.isdigit() else (1, token))
            token = ""
        else:
            token += ch
    if token:
        parts.append((0, int(token)) if token.isdigit() else (1, token))
    return (tuple(parts), problem.code)


def validate_definition(
    raw: str | bytes | dict[str, Any],
    *,
    known_variables: Collection[str] = (),
    known_functions: Collection[str] | None = None,
) -> Report:
    """Validate a SurveyJS definition for Verne; never raises.

    ``raw`` is JSON text, UTF-8 bytes or an already parsed dict.
    ``known_variables`` are the variable names Verne sets at run time (prefill variables such as
    ``unit_name`` or ``report_year``): references to them are fine. Other unknown names are a
    warning, or an error when they are clearly wrong (see ``references.py``).
    ``known_functions`` replaces the expression engine's function registry (rarely needed).
    """
    out = Collector()
    data: dict[str, Any] | None = None
    try:
        data = _parse(raw, out)
        if data is not None:
            check_schema(data, out)
            result = walk(data, out)
            functions = default_functions() if known_functions is None else known_functions
            check_references(result, out, known_variables, functions)
    except RecursionError:
        out.error(
            ROOT,
            "too_deep",
            (
                "The questionnaire is nested too deeply to check.",
                "Spørreskjemaet er nøstet for dypt til å sjekkes.",
            ),
        )
    except Exception as exc:
        out.error(
            ROOT,
            "internal_error",
            (
                f"The questionnaire could not be checked ({type(exc).__name__}: {exc}); please report this.",
                f"Spørreskjemaet kunne ikke sjekkes ({type(exc).__name__}: {exc}); meld gjerne fra om dette.",
            ),
        )
    out.finish()
    return Report(
        errors=sorted(out.errors, key=_sort_key),
        warnings=sorted(out.warnings, key=_sort_key),
        definition=data,
    )
