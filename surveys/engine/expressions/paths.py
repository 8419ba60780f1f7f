"""Variable lookup: how ``{name}`` finds its value (survey-core's ``ValueGetter``).

* Names are case-insensitive: the exact key is tried first, then a lower-cased scan.
* A name is split on ``.`` and each part may end with ``[index]`` (``{pd[0].q}``,
  ``{a[-1]}`` counts from the end). survey-core tries the longest dotted key first, so a value
  stored under the literal key ``"m.row"`` wins over ``m`` → ``row``.
* ``{a.length}`` is the length of an array or string, and ``0`` when nothing is found.
* ``{$name}`` reads ``name`` (survey-core's element-property prefix; in plain values it is
  an ordinary lookup).
* An unknown name gives ``null``, except that a name like ``"a": 1`` (with a colon) is read
  as a JSON object literal, ``{"a": 1}``.
* Found values are converted (``"10"`` → 10, ``"true"`` → true, ``"'x'"`` → ``x``) unless the
  variable is written ``{#name}``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Final

from surveys.engine.values import (
    UNDEFINED,
    ValuesDict,
    get_number,
    js_truthy,
    parse_js_json,
    utf16_len,
)

__all__ = ["ChainedValues", "VariablePath", "correct_value"]


class _NotFound:
    __slots__ = ()


NOT_FOUND: Final = _NotFound()

_MAX_SAFE: Final = 2**53
# First characters a string needs for survey-core to read it as a number (after trimming).
_NUMBER_START: Final = frozenset("0123456789+-.,")
_QUOTES: Final = frozenset("'\"")


def correct_value(value: Any) -> Any:
    """survey-core ``Const.getCorrectValue``: how a variable's value (or a literal) is read."""
    if type(value) is not str:
        if type(value) is int and not -_MAX_SAFE <= value <= _MAX_SAFE:
            return float(value)  # JavaScript has only doubles
        return value
    if not value:
        return value
    n = len(value)
    if (n == 4 or n == 5) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if n > 1 and value[0] in _QUOTES and value[-1] in _QUOTES:
        return value[1:-1]
    first = value[0]
    if first not in _NUMBER_START and not first.isspace() and first != "\ufeff":
        return value
    number = get_number(value)
    if number != number:
        return value
    if first == "0" and not value.startswith("0x") and n > 1 and value[1] not in ".,":
        return value  # "007" stays a string
    return number


class ChainedValues(Mapping[str, Any]):
    """Values looked up in ``first`` and then, when not found there, in ``second``.

    survey-core's ``VariableGetterContextEx``: a row condition of ``sumInArray`` sees the row
    first and the survey's values second.
    """

    __slots__ = ("first", "second")

    def __init__(self, first: Any, second: Any) -> None:
        self.first = first
        self.second = second

    def __getitem__(self, key: str) -> Any:
        for src in (self.first, self.second):
            if isinstance(src, Mapping) and key in src:
                return src[key]
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        seen: set[str] = set()
        for src in (self.first, self.second):
            if isinstance(src, Mapping):
                for k in src:
                    if k not in seen:
                        seen.add(k)
                        yield k

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _array_key_index(name: str, length: int) -> int | None:
    if name.isdigit() and name.isascii() and (name == "0" or name[0] != "0"):
        i = int(name)
        if i < length:
            return i
    return None


def get_member(obj: Any, name: str, name_lower: str) -> Any:
    """``getValueByItemCore``: one case-insensitive member of an object (or NOT_FOUND)."""
    if not name or not js_truthy(obj):
        return NOT_FOUND
    if type(obj) is ValuesDict:
        # the first key (in insertion order) equal to the name ignoring case, as survey-core
        key = obj.find_key(name_lower)
        v = obj[key] if key is not None else NOT_FOUND
        return NOT_FOUND if v is UNDEFINED else v
    if isinstance(obj, Mapping):
        # exact case first (one lookup); survey-core would take the first key that matches
        # ignoring case, which differs only when two keys differ by case alone
        v = obj.get(name, NOT_FOUND)
        if v is NOT_FOUND:
            for key in obj:
                if type(key) is str and key.lower() == name_lower:
                    v = obj[key]
                    break
        return NOT_FOUND if v is UNDEFINED else v
    if isinstance(obj, list):
        if name == "length":
            return len(obj)
        i = _array_key_index(name, len(obj))
        if i is None:
            return NOT_FOUND
        v = obj[i]
        return NOT_FOUND if v is UNDEFINED else v
    if type(obj) is str and name == "length":
        return utf16_len(obj)
    return NOT_FOUND


class VariablePath:
    """A variable name, split once at compile time into the parts survey-core looks up."""

    __slots__ = ("ends_with_length", "fallback_json", "indexes", "joined", "name", "simple")

    def __init__(self, name: str) -> None:
        self.name = name
        parts: list[str] = []
        indexes: list[int | float | None] = []
        for raw in name.split("."):
            part, index = _split_index(raw)
            parts.append(part)
            indexes.append(index)
        if parts and parts[0][:1] == "$":
            parts[0] = parts[0][1:]  # settings.expressionElementPropertyPrefix
        self.indexes = indexes
        # joined[(i, j)] = "parts[i]. ... .parts[j]" and its lower-case form
        self.joined: dict[tuple[int, int], tuple[str, str]] = {}
        for i in range(len(parts)):
            for j in range(i, len(parts)):
                text = ".".join(parts[i : j + 1])
                self.joined[(i, j)] = (text, text.lower())
        self.simple: tuple[str, str] | None = None
        if len(parts) == 1 and indexes[0] is None:
            self.simple = (parts[0], parts[0].lower())
        self.ends_with_length = name.endswith(".length")
        self.fallback_json = len(name) >= 2 and name.find(":") >= 1

    def resolve(self, root: Any) -> Any:
        """The value found for this path in ``root``, or NOT_FOUND."""
        if type(root) is ChainedValues:
            res = self.resolve(root.first)
            return self.resolve(root.second) if res is NOT_FOUND else res
        simple = self.simple
        if simple is not None:
            return get_member(root, simple[0], simple[1])
        indexes = self.indexes
        n = len(indexes)
        value = root
        p = 0
        while p < n:
            end = p
            while end < n - 1 and indexes[end] is None:
                end += 1
            found: Any = NOT_FOUND
            i = end
            while i >= p:  # the longest dotted name first (isSearchNameRevert)
                text, low = self.joined[(p, i)]
                found = get_member(value, text, low)
                if found is not NOT_FOUND:
                    break
                i -= 1
            if found is NOT_FOUND:
                return NOT_FOUND
            value = found
            index = indexes[i]
            p = i + 1
            if index is not None:
                if not isinstance(value, list):
                    return NOT_FOUND
                if index < 0:
                    index = len(value) + index
                if not -1 < index < len(value):
                    return NOT_FOUND
                value = value[int(index)] if float(index).is_integer() else UNDEFINED
        return value

    def missing_value(self) -> Any:
        """What an unresolved variable evaluates to."""
        if self.ends_with_length:
            return 0
        if self.fallback_json:
            try:
                return parse_js_json("{" + self.name + "}")
            except (ValueError, RecursionError):
                return None
        return None


def _split_index(part: str) -> tuple[str, int | float | None]:
    """``getValueItem``: ``name[3]`` → ("name", 3); a non-numeric index stays in the name."""
    if part.endswith("]"):
        k = part.rfind("[")
        if k > -1:
            index = get_number(part[k + 1 : -1])
            if index == index:
                return part[:k], index
    return part, None
