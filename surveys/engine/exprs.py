"""The runtime's view of an expression: compiled once, with what dependency checks need.

survey-core keeps one ``ExpressionRunner`` per expression property. The runtime keeps one
:class:`Compiled` per expression text (shared by every run of a parsed survey):

* ``ok`` is false when the text does not parse. survey-core then never calls the property's
  handler (a broken ``visibleIf`` leaves the element visible), but a ``ConditionRunner`` used
  directly returns ``false`` (a broken item ``visibleIf`` hides the item). Call sites decide.
* ``variables`` are survey-core's ``getVariables()`` (used to skip expressions whose inputs did
  not change, exactly where survey-core skips them).
* ``has_const_function`` is survey-core's ``hasFunction(true)``: some function call has no
  variable among its arguments (``today()``), so the expression can change without any value
  changing and is never skipped.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from surveys.engine.jsutil import UNDEFINED


class ExpressionThrows(RuntimeError):
    """survey-core itself throws on this expression (e.g. a null literal in an argument list)."""


class Compiled:
    __slots__ = ("_run", "expr", "has_const_function", "ok", "text", "throws", "variables")

    def __init__(self, text: str) -> None:
        from surveys.engine import expressions

        self.text = text
        self.expr: Any = None
        self.ok = False
        self.variables: tuple[str, ...] = ()
        self.has_const_function = False
        self.throws: str | None = None
        self._run: Any = None
        try:
            self.expr = expressions.compile_expression(text)
        except Exception as exc:
            self.expr = None
            js_exc = getattr(exc, "js_exception", None)
            if js_exc:
                # survey-core parses it but throws when it builds the runner: the whole run fails
                self.throws = str(js_exc)
                self.ok = True
            return
        self.ok = True
        self._run = self.expr.evaluate_raw  # JS errors escape, like evaluate(catch=False)
        self.variables = tuple(self.expr.variables)
        self.has_const_function = _has_const_function(self.expr)

    def evaluate(self, values: Mapping[str, Any], ctx: Any) -> Any:
        """The value; a JavaScript exception survey-core would throw propagates (the run fails)."""
        run = self._run
        if run is None:
            if self.throws is not None:
                raise ExpressionThrows(self.throws)
            return None
        return run(values, ctx)

    def condition(self, values: Mapping[str, Any], ctx: Any) -> bool:
        """``ConditionRunner.runContext``: ``result == true`` (false for an invalid expression)."""
        if self.expr is None:
            if self.throws is not None:
                raise ExpressionThrows(self.throws)
            return False
        res = self.expr.evaluate(values, ctx, catch=False)
        return res is True or _loose_true(res)

    def __repr__(self) -> str:
        return f"Compiled({self.text!r})"


def _loose_true(v: Any) -> bool:
    """JavaScript ``v == true``."""
    if v is True:
        return True
    if v is False or v is None or v is UNDEFINED:
        return False
    if isinstance(v, (int, float)):
        return bool(v == 1)
    if isinstance(v, str):
        from surveys.engine.jsutil import js_string_to_number

        return js_string_to_number(v) == 1
    if isinstance(v, list):
        from surveys.engine.jsutil import to_js_string

        return _loose_true(to_js_string(v))
    return False


def _has_const_function(expr: Any) -> bool:
    """survey-core ``Operand.hasFunction(true)``.

    Uses the expression's own answer when the expressions package offers one; otherwise a
    function call counts as "constant" when the expression has functions but no variables at
    all, which is right for every expression that uses functions only at the top level.
    """
    fn = getattr(expr, "has_const_function", None)
    if fn is not None:
        return bool(fn() if callable(fn) else fn)
    functions = tuple(getattr(expr, "functions", ()) or ())
    if not functions:
        return False
    if not tuple(getattr(expr, "variables", ()) or ()):
        return True
    return _const_call_in_text(str(getattr(expr, "text", "")), functions)


def _const_call_in_text(text: str, functions: tuple[str, ...]) -> bool:
    """A textual check: some ``name(...)`` call whose argument text has no ``{``."""
    low = text.lower()
    for name in set(functions):
        start = 0
        key = name.lower() + "("
        while True:
            i = low.find(key, start)
            if i < 0:
                break
            # find the matching parenthesis, skipping quoted strings
            depth = 0
            j = i + len(key) - 1
            quote = ""
            has_var = False
            while j < len(text):
                ch = text[j]
                if quote:
                    if ch == quote:
                        quote = ""
                elif ch in "'\"":
                    quote = ch
                elif ch == "(":
                    depth += 1
                elif ch == ")":
                    depth -= 1
                    if depth == 0:
                        break
                elif ch == "{":
                    has_var = True
                j += 1
            if not has_var:
                return True
            start = i + 1
    return False


@lru_cache(maxsize=8192)
def compile_cached(text: str) -> Compiled:
    return Compiled(text)


def compile_opt(text: Any) -> Compiled | None:
    """A compiled expression for a JSON property value, or None when the property is empty."""
    if not isinstance(text, str) or not text:
        return None
    return compile_cached(text)
