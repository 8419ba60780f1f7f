"""JavaScript number formatting used by the runtime (``toFixed``)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from surveys.engine.jsutil import number_to_string


def to_fixed(x: float, digits: int) -> str:
    """``Number.prototype.toFixed``: exact binary value, ties away from zero."""
    if x != x or x in (float("inf"), float("-inf")) or abs(x) >= 1e21:
        return number_to_string(x)
    d = Decimal(x).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    s = format(d, "f")
    if s.startswith("-") and Decimal(s) == 0:
        s = s[1:]
    return s
