"""Small helpers for writing the English and Norwegian (bokmål) messages."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = [
    "Text",
    "closest",
    "describe",
    "expected_types",
    "join_en",
    "join_nb",
    "label",
    "quoted",
]

# (English, Norwegian bokmål)
Text = tuple[str, str]

_TYPE_NAMES: dict[str, Text] = {
    "string": ("a text", "en tekst"),
    "number": ("a number", "et tall"),
    "integer": ("a whole number", "et heltall"),
    "boolean": ("true or false", "true eller false"),
    "array": ("a list", "en liste"),
    "object": ("an object", "et objekt"),
    "null": ("null", "null"),
}


def quoted(value: Any, limit: int = 60) -> str:
    """A short JSON rendering of a value for messages: 'radio', 12, true, null."""
    if isinstance(value, str):
        text = value if len(value) <= limit else value[: limit - 1] + "…"
        return "'" + text + "'"
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):  # pragma: no cover - json values always dump
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(value: Any) -> Text:
    """ "got ..." for a value: the value itself when short, its kind otherwise."""
    if isinstance(value, bool) or value is None:
        return quoted(value), quoted(value)
    if isinstance(value, (int, float)):
        return f"the number {quoted(value)}", f"tallet {quoted(value)}"
    if isinstance(value, str):
        return quoted(value), quoted(value)
    if isinstance(value, list):
        return "a list", "en liste"
    if isinstance(value, dict):
        return "an object", "et objekt"
    return quoted(value), quoted(value)


def join_en(items: Sequence[str], word: str = "or") -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def join_nb(items: Sequence[str], word: str = "eller") -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def expected_types(types: str | Iterable[str]) -> Text:
    names = [types] if isinstance(types, str) else list(types)
    en = [_TYPE_NAMES.get(t, (t, t))[0] for t in names]
    nb = [_TYPE_NAMES.get(t, (t, t))[1] for t in names]
    return join_en(en), join_nb(nb)


def label(path: Sequence[str | int]) -> Text:
    """How a message names the thing at ``path``: 'visibleIf', item 2 of 'choices', ..."""
    if not path:
        return "The questionnaire", "Spørreskjemaet"
    last = path[-1]
    if isinstance(last, int):
        owner = next((p for p in reversed(path[:-1]) if isinstance(p, str)), "list")
        return f"Item {last} of '{owner}'", f"Element {last} i «{owner}»"
    return f"'{last}'", f"«{last}»"


def closest(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The candidate that looks most like ``word`` (case-insensitive), if any is close enough."""
    pool = list(dict.fromkeys(candidates))
    lowered = {c.lower(): c for c in pool}
    if word.lower() in lowered:
        return lowered[word.lower()]
    match = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=cutoff)
    if match:
        return lowered[match[0]]
    # "radio" -> "radiogroup": a prefix is a strong hint even when the ratio is low.
    prefixed = [c for c in pool if len(word) >= 3 and c.lower().startswith(word.lower())]
    return prefixed[0] if len(prefixed) == 1 else None
