"""Input masks of text questions (``maskType`` / ``maskSettings``), as far as they act headless.

survey-core applies a mask in three places that matter without a browser:

* ``convertToCorrectValue``: with ``saveMaskedValue`` an answer is stored masked; without it a
  *pattern* answer that already looks masked is stored unmasked;
* ``getFilteredValue``: expressions see the unmasked value when the stored one is masked;
* ``convertFuncValuetoQuestionValue``: values computed by expressions are masked as well.

The pattern mask is implemented completely (``9``/``a``/``#`` definitions, ``\\`` escapes,
``_`` placeholders).  The numeric, currency and datetime masks only format what the respondent
types in the browser unless ``saveMaskedValue`` is set; their formatting is locale-dependent and is
not implemented here: their values pass through unchanged (documented gap).
"""

from __future__ import annotations

import re
from typing import Any

from surveys.engine.jsutil import UNDEFINED

PLACEHOLDER = "_"
ESCAPE = "\\"
# settings.maskSettings.patternDefinitions
DEFINITIONS: dict[str, re.Pattern[str]] = {
    "9": re.compile(r"[0-9]"),
    "a": re.compile(r"[a-zA-Z]"),
    "#": re.compile(r"[a-zA-Z0-9]"),
}

Literal = tuple[str, str]  # (type: "regex" | "fixed" | "const", char)


def _matches_any_definition(ch: str) -> bool:
    return any(rx.search(ch) for rx in DEFINITIONS.values())


def get_literals(pattern: str) -> tuple[Literal, ...]:
    res: list[Literal] = []
    escaped = False
    for ch in pattern:
        if ch == ESCAPE:
            escaped = True
        elif escaped:
            escaped = False
            res.append(("fixed", ch))
        elif ch in DEFINITIONS:
            res.append(("regex", ch))
        else:
            # a literal that could be typed (a digit, a letter) is "fixed" and kept in the
            # unmasked value; anything else is a pure decoration ("const")
            res.append(("fixed" if _matches_any_definition(ch) else "const", ch))
    return tuple(res)


def masked_by_pattern(src: Any, literals: tuple[Literal, ...], match_whole: bool) -> str:
    """``getMaskedValueByPattern``; a non-string value has no characters (JS ``undefined``)."""
    text = "" if src is None or src is UNDEFINED else src
    chars: str | None = text if isinstance(text, str) else None
    n = len(chars) if chars is not None else -1
    out: list[str] = []
    i = 0
    for kind, ch in literals:
        if kind == "regex":
            rx = DEFINITIONS[ch]
            if chars is not None and i < n:
                while i < n and not rx.search(chars[i]):
                    i += 1
            if chars is not None and i < n:
                out.append(chars[i])
            elif match_whole:
                out.append(PLACEHOLDER)
            else:
                return "".join(out)
            i += 1
        else:
            out.append(ch)
            if chars is not None and i < n and chars[i] == ch:
                i += 1
    return "".join(out)


def unmasked_by_pattern(src: Any, literals: tuple[Literal, ...], match_whole: bool) -> str:
    """``getUnmaskedValueByPattern``: the masked string is read position by position."""
    if src is None or src is UNDEFINED or src == "" or src is False or src == 0:
        return ""
    chars: str | None = src if isinstance(src, str) else None
    out: list[str] = []
    for index, (kind, ch) in enumerate(literals):
        if kind == "fixed":
            out.append(ch)
        elif kind == "regex":
            c = chars[index] if chars is not None and index < len(chars) else None
            if c is not None and DEFINITIONS[ch].search(c):
                out.append(c)
            elif match_whole:
                return ""
            else:
                break
    return "".join(out)


class Mask:
    """The part of ``InputMaskBase`` and its subclasses that works without an input element."""

    __slots__ = ("literals", "mask_type", "pattern", "save_masked_value")

    def __init__(self, mask_type: str, settings: Any) -> None:
        self.mask_type = mask_type
        s = settings if isinstance(settings, dict) else {}
        self.save_masked_value = s.get("saveMaskedValue") is True
        pattern = s.get("pattern")
        self.pattern = pattern if isinstance(pattern, str) else ""
        self.literals = get_literals(self.pattern) if mask_type == "pattern" else ()

    def masked(self, src: Any) -> Any:
        if self.mask_type == "pattern":
            return masked_by_pattern(src, self.literals, True)
        return src  # numeric/currency/datetime formatting: not implemented (see module docstring)

    def unmasked(self, src: Any) -> Any:
        if self.mask_type == "pattern":
            return unmasked_by_pattern(src, self.literals, True)
        return src

    def type_for_expressions(self) -> str:
        if self.mask_type == "datetime":
            # datetime patterns: HH/hh hours, MM minutes, ss seconds (mm/dd/yyyy are the date)
            has_time = any(c in self.pattern for c in "HhMs")
            if has_time and "s" in self.pattern:
                return "datetime-seconds"
            return "datetime-local" if has_time else "datetime"
        return "text"

    def try_preserve_masked_string(self, val: Any) -> Any:
        """``tryPreserveMaskedStringValue``: keep a string that already is (or cannot be) masked."""
        if not isinstance(val, str):
            return UNDEFINED
        if self.unmasked(val):
            return val
        masked = self.masked(val)
        empty_masked = self.masked("")
        if masked == empty_masked and val != empty_masked:
            return val
        if not self.unmasked(masked):
            return val
        return UNDEFINED
