"""Which expressions must re-run after a value change (survey-core ``ValueGetter.isAnyKeyChanged``).

survey-core 3.x re-runs ``visibleIf``/``enableIf``/``requiredIf`` and expression questions after
a value change only when one of the expression's variables is among the changed keys. This is
observable (an expression that reads a value which changed *without* a key change keeps its old
result), so the runtime reproduces the rule exactly, including its case handling: a key matches
a variable written exactly like it or written in lower case.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from surveys.engine.jsutil import UNDEFINED, is_two_value_equals


def _path(name: str) -> list[tuple[str, int | None]]:
    out: list[tuple[str, int | None]] = []
    for part in name.split("."):
        idx: int | None = None
        if part.endswith("]"):
            i = part.rfind("[")
            if i > -1:
                inner = part[i + 1 : -1]
                try:
                    idx = int(inner.strip())
                except ValueError:
                    idx = None
                if idx is not None:
                    part = part[:i]
        out.append((part, idx))
    return out


def _first_name_by_keys(keys: Mapping[str, Any], name: str) -> str:
    res = ""
    for i, (part, _idx) in enumerate(_path(name)):
        res += ("." if i > 0 else "") + part
        if res in keys:
            return res
        low = res.lower()
        if low != res and low in keys:
            return low
    return ""


def _value_from_object(obj: dict[str, Any], full_name: str) -> Any:
    """A path lookup like survey-core's ``VariableGetterContext`` (case-insensitive keys)."""
    cur: Any = obj
    for part, idx in _path(full_name):
        if isinstance(cur, dict):
            found = UNDEFINED
            low = part.lower()
            for k, v in cur.items():
                if k.lower() == low:
                    found = v
                    break
            cur = found
        elif part == "length" and isinstance(cur, (list, str)):
            cur = len(cur)
        else:
            return UNDEFINED
        if cur is UNDEFINED:
            return UNDEFINED
        if idx is not None:
            if isinstance(cur, list):
                j = idx + len(cur) if idx < 0 else idx
                if 0 <= j < len(cur):
                    cur = cur[j]
                else:
                    return UNDEFINED
            else:
                return UNDEFINED
    return cur


def is_any_key_changed(keys: Mapping[str, Any], used_names: Iterable[str]) -> bool:
    for name in used_names:
        if not name:
            continue
        if name[0] == "$":
            return True
        if name in keys:
            return True
        low = name.lower()
        if low != name and low in keys:
            return True
        first = _path(name)[0][0]
        if first.endswith("-unwrapped"):
            base = first[: -len("-unwrapped")]
            if base in keys or base.lower() in keys:
                return True
        first_name = _first_name_by_keys(keys, name)
        if not first_name:
            continue
        if name == first_name:
            return True
        kv = keys[first_name]
        if kv is None or kv is UNDEFINED:
            continue
        if not isinstance(kv, dict) or "oldValue" not in kv or "newValue" not in kv:
            return True
        old = _value_from_object({first_name: kv["oldValue"]}, name)
        new = _value_from_object({first_name: kv["newValue"]}, name)
        if not is_two_value_equals(old, new, False, True, False):
            return True
    return False
