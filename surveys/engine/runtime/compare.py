"""survey-core ``Helpers.compareStrings`` (choicesOrder asc/desc): numbers inside texts compare as numbers."""

from __future__ import annotations

from surveys.engine.jsutil import get_number


def _num_from(s: str, i: int) -> float:
    j = i
    while j < len(s) and "0" <= s[j] <= "9":
        j += 1
    return get_number(s[i:j]) if j > i else float("nan")


def compare_strings(x: str, y: str) -> int:
    x = x.strip() if x else x
    y = y.strip() if y else y
    if not x and not y:
        return 0
    if not x:
        return -1
    if not y:
        return 1
    if x == y:
        return 0
    digit = -1
    for i in range(min(len(x), len(y))):
        if "0" <= x[i] <= "9" and "0" <= y[i] <= "9":
            digit = i
            break
        if x[i] != y[i]:
            break
    if digit > -1:
        nx, ny = _num_from(x, digit), _num_from(y, digit)
        if nx == nx and ny == ny and nx != ny:
            return 1 if nx > ny else -1
    return 1 if _js_gt(x, y) else -1


def _js_gt(a: str, b: str) -> bool:
    """JavaScript string comparison is by UTF-16 code units."""
    return a.encode("utf-16-be") > b.encode("utf-16-be")
