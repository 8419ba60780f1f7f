"""JavaScript ``RegExp.prototype.test`` in Python.

The regex validator's ``regex`` is JavaScript syntax and survey-core calls ``test``, which is
not anchored (``re.search``). The translation below covers the differences that matter for
validation patterns:

* ``$`` means end of input (Python's ``$`` also matches before a final ``\\n``) -> ``(?!\\n)\\Z``
  is not needed: ``\\Z`` is used outside multiline mode;
* ``\\d`` is ASCII-only in JavaScript -> ``[0-9]``; ``\\w``/``\\b`` are ASCII too -> explicit classes;
* ``(?<name>...)`` -> ``(?P<name>...)``, ``\\k<name>`` -> ``(?P=name)``;
* ``[^]`` (any character) and ``[]`` (nothing);
* ``\\/`` is just ``/``; ``\\cX`` control escapes; ``\\u{...}`` with the ``u`` flag;
* flags ``i``, ``m``, ``s``, ``u`` map to Python flags; ``g``/``y`` do not change ``test`` here.

Known gaps (documented in docs/engine-contract.md): Unicode property escapes (``\\p{L}``) are
not supported by Python's ``re``; a pattern that does not translate is treated as matching
nothing, and a warning is recorded by the caller. Case-insensitive matching uses Python's
Unicode case folding, which agrees with JavaScript for Norwegian letters.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from surveys.engine.jsutil import to_js_string

_W = "a-zA-Z0-9_"


def translate(pattern: str, flags: str = "") -> str:
    out: list[str] = []
    i = 0
    n = len(pattern)
    in_class = False
    multiline = "m" in flags
    unicode = "u" in flags
    while i < n:
        ch = pattern[i]
        if ch == "\\" and i + 1 < n:
            nxt = pattern[i + 1]
            i += 2
            if nxt == "d":
                out.append("0-9" if in_class else "[0-9]")
            elif nxt == "D":
                out.append("\\D" if in_class else "[^0-9]")
            elif nxt == "w":
                out.append(_W if in_class else f"[{_W}]")
            elif nxt == "W":
                out.append("\\W" if in_class else f"[^{_W}]")
            elif nxt == "b" and not in_class:
                out.append(f"(?:(?<=[{_W}])(?![{_W}])|(?<![{_W}])(?=[{_W}]))")
            elif nxt == "B" and not in_class:
                out.append(f"(?:(?<=[{_W}])(?=[{_W}])|(?<![{_W}])(?![{_W}]))")
            elif nxt == "b" and in_class:
                out.append("\\x08")
            elif nxt == "k" and i < n and pattern[i] == "<":
                j = pattern.find(">", i)
                if j < 0:
                    raise ValueError("bad named back-reference")
                out.append(f"(?P={pattern[i + 1 : j]})")
                i = j + 1
            elif nxt == "c" and i < n and pattern[i].isalpha():
                out.append("\\x%02x" % (ord(pattern[i]) % 32))
                i += 1
            elif nxt == "u" and i < n and pattern[i] == "{" and unicode:
                j = pattern.find("}", i)
                if j < 0:
                    raise ValueError("bad unicode escape")
                out.append(f"\\U{int(pattern[i + 1 : j], 16):08x}")
                i = j + 1
            elif nxt == "u" and i + 4 <= n and re.fullmatch(r"[0-9a-fA-F]{4}", pattern[i : i + 4]):
                out.append("\\u" + pattern[i : i + 4])
                i += 4
            elif nxt == "x" and i + 2 <= n and re.fullmatch(r"[0-9a-fA-F]{2}", pattern[i : i + 2]):
                out.append("\\x" + pattern[i : i + 2])
                i += 2
            elif nxt in "pP":
                raise ValueError("Unicode property escapes are not supported")
            elif nxt == "/":
                out.append("/")
            elif nxt.isdigit() and nxt != "0" and not in_class:
                out.append("\\" + nxt)
            elif nxt == "0":
                out.append("\\x00")
            elif nxt.isalnum() and nxt not in "sStnrvfSBW":
                # an identity escape of a letter means the letter itself in JavaScript (non-u mode)
                out.append(re.escape(nxt))
            elif nxt == "v":
                out.append("\\x0b")
            else:
                out.append("\\" + nxt)
            continue
        if in_class:
            if ch == "]":
                in_class = False
                out.append("]")
            elif ch == "[":
                out.append("\\[")
            else:
                out.append(ch)
            i += 1
            continue
        if ch == "[":
            if pattern.startswith("[^]", i):
                out.append("[\\s\\S]")
                i += 3
                continue
            if pattern.startswith("[]", i):
                out.append("(?!)")
                i += 2
                continue
            in_class = True
            out.append("[")
            i += 1
            if i < n and pattern[i] == "^":
                out.append("^")
                i += 1
            if i < n and pattern[i] == "]":
                # JavaScript: "[]...]" is not special; a leading ] closes an empty class
                out.append("\\]")
                i += 1
            continue
        if ch == "(" and pattern.startswith("(?<", i) and i + 3 < n and pattern[i + 3] not in "=!":
            out.append("(?P<")
            i += 3
            continue
        if ch == "$":
            out.append("(?=\\n|\\Z)" if multiline else "\\Z")
            i += 1
            continue
        out.append(ch)
        i += 1
    return "".join(out)


@lru_cache(maxsize=512)
def compile_js(pattern: str, flags: str = "") -> re.Pattern[str] | None:
    pyflags = 0
    if "i" in flags:
        pyflags |= re.IGNORECASE
    if "m" in flags:
        pyflags |= re.MULTILINE
    if "s" in flags:
        pyflags |= re.DOTALL
    try:
        return re.compile(translate(pattern, flags), pyflags)
    except (re.error, ValueError, OverflowError):
        return None


def js_regex_test(pattern: str, flags: str, value: Any) -> bool:
    """``new RegExp(pattern, flags).test(value)`` (an untranslatable pattern never matches)."""
    rx = compile_js(pattern, flags)
    if rx is None:
        return False
    return rx.search(to_js_string(value)) is not None
