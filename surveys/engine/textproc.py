"""``{placeholder}`` processing in titles and texts (survey-core ``TextPreProcessor``).

``{name}`` is replaced by the display text of the question with that value name (a choice's
text, "Yes"/"No" for a boolean ...), or by a variable or data value converted to a string.
An unknown name is left as it is; an empty value becomes "". Paths (``{q.a}``, ``{q[0]}``) read
into the value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from surveys.engine.jsutil import UNDEFINED, is_value_empty, to_js_string
from surveys.engine.runtime.keys import _path
from surveys.engine.runtime.scope import MISSING, ci_get

if TYPE_CHECKING:
    from surveys.engine.runtime.survey import SurveyRun


def _items(text: str) -> list[tuple[int, int]]:
    items: list[tuple[int, int]] = []
    start = -1
    for i, ch in enumerate(text):
        if ch == "{":
            start = i
            continue
        if ch == "}":
            if start > -1:
                name = text[start + 1 : i]
                if name and ":" not in name:
                    items.append((start, i))
            start = -1
    return items


def _navigate(value: Any, rest: list[tuple[str, int | None]]) -> tuple[bool, Any]:
    cur = value
    for part, idx in rest:
        if part:
            if isinstance(cur, dict):
                v = ci_get(cur, part)
                if v is MISSING:
                    return False, UNDEFINED
                cur = v
            elif part == "length" and isinstance(cur, (list, str)):
                cur = len(cur)
            else:
                return False, UNDEFINED
        if idx is not None:
            if isinstance(cur, list) and -len(cur) <= idx < len(cur):
                cur = cur[idx]
            else:
                return False, UNDEFINED
    return True, cur


def get_value_info(
    run: SurveyRun, name: str, *, is_text: bool = False, element: Any = None
) -> tuple[bool, Any]:
    """survey-core ``ValueGetter.getValueInfo`` over the survey context (``found``, ``value``)."""
    path = _path(name)
    low0 = path[0][0].lower()
    if len(path) == 1 and path[0][1] is None:
        b = run.builtin_variable(low0)
        if b is not MISSING:
            return True, to_js_string(b) if is_text else b
    # variables (longest dotted key first)
    for cut in range(len(path), 0, -1):
        key = ".".join(p for p, _ in path[:cut]).lower()
        if key in run.variables_hash and path[cut - 1][1] is None:
            found, val = _navigate(run.variables_hash[key], path[cut:])
            if found:
                return True, _text_of(val) if is_text else val
            break
    # questions (longest value name first)
    for cut in range(len(path), 0, -1):
        key = ".".join(p for p, _ in path[:cut]).lower()
        qs = run.questions_by_value_name_lower.get(key)
        if qs:
            q = qs[0]
            qval = q.get_filtered_value()
            idx = path[cut - 1][1]
            rest = path[cut:]
            if idx is not None:
                rest = [("", idx), *rest]
            if not rest:
                if is_text:
                    return True, _question_text(q, qval, element)
                return True, qval
            found, val = _navigate(qval, rest)
            if found:
                return True, _text_of(val) if is_text else val
            return False, UNDEFINED
    found, val = _navigate(run.values_hash, path)
    if found:
        return True, _text_of(val) if is_text else val
    return False, UNDEFINED


def _text_of(v: Any) -> Any:
    if v is None or v is UNDEFINED:
        return ""
    return to_js_string(v)


def _question_text(q: Any, value: Any, element: Any) -> Any:
    use_display = True
    if element is not None:
        use_display = bool(getattr(getattr(element, "d", None), "use_display_values", True))
    if not use_display:
        return value
    return q.get_display_value(True, value)


def process_text(element: Any, text: str) -> str:
    """Replaces every ``{name}`` in ``text`` as survey-core's text processor does."""
    run = element.run
    items = _items(text)
    for start, end in reversed(items):
        name = text[start + 1 : end].strip()
        if not name:
            continue
        found, val = get_value_info(run, name, is_text=True, element=element)
        if not found:
            continue
        rep = "" if is_value_empty(val) else to_js_string(val) if not isinstance(val, str) else val
        text = text[:start] + rep + text[end + 1 :]
    return text
