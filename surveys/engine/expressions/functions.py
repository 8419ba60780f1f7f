"""The function registry (survey-core's ``FunctionFactory``) and how functions are called.

A function receives the evaluated arguments as a list. Functions registered with
``needs_context=True`` also receive a :class:`CallInfo` (the evaluation context, the values
and the argument operands). Names are case-sensitive, as in survey-core.

Custom functions::

    registry = DEFAULT_FUNCTIONS.copy()
    registry.register("isOdd", lambda params: bool(params and params[0] % 2))
    expr.evaluate(values, EvalContext(functions=registry))
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from surveys.engine.expressions.context import EvalContext
    from surveys.engine.expressions.nodes import Operand
    from surveys.engine.values import JSDate

__all__ = ["DEFAULT_FUNCTIONS", "CallInfo", "FunctionRegistry", "FunctionSpec"]


@dataclass(frozen=True, slots=True)
class FunctionSpec:
    name: str
    fn: Callable[..., Any]
    needs_context: bool = False
    is_async: bool = False


class CallInfo:
    """What a context-aware function sees besides its arguments."""

    __slots__ = ("ctx", "operands", "values")

    def __init__(self, ctx: EvalContext, values: Mapping[str, Any], operands: tuple[Operand, ...]) -> None:
        self.ctx = ctx
        self.values = values
        self.operands = operands

    @property
    def survey(self) -> Any:
        """``properties["survey"]`` (an ``ExpressionSurvey``) or ``None``."""
        return self.ctx.properties.get("survey")

    @property
    def registry(self) -> FunctionRegistry:
        return self.ctx.functions

    def now(self) -> JSDate:
        return self.ctx.now_date()

    def create_date(self, value: Any) -> JSDate:
        return self.ctx.create_date(value)


class FunctionRegistry:
    """Named functions. ``DEFAULT_FUNCTIONS`` holds survey-core's 32 built-ins."""

    __slots__ = ("_specs",)

    def __init__(self, specs: Iterable[FunctionSpec] = ()) -> None:
        self._specs: dict[str, FunctionSpec] = {s.name: s for s in specs}

    def register(
        self,
        name: str,
        fn: Callable[..., Any],
        *,
        needs_context: bool = False,
        is_async: bool = False,
    ) -> None:
        """Add or replace a function. ``fn(params)``, or ``fn(params, call_info)`` when
        ``needs_context``. ``is_async`` mirrors survey-core's async functions: the reference
        runner then reports ``false`` as the synchronous result."""
        self._specs[name] = FunctionSpec(name, fn, needs_context, is_async)

    def unregister(self, name: str) -> None:
        self._specs.pop(name, None)

    def get(self, name: str) -> FunctionSpec | None:
        return self._specs.get(name)

    def is_async(self, name: str) -> bool:
        spec = self._specs.get(name)
        return spec is not None and spec.is_async

    def names(self) -> list[str]:
        return sorted(self._specs)

    def copy(self) -> FunctionRegistry:
        return FunctionRegistry(self._specs.values())

    def __contains__(self, name: object) -> bool:
        return name in self._specs

    def __len__(self) -> int:
        return len(self._specs)


DEFAULT_FUNCTIONS = FunctionRegistry()


def _install_builtins() -> None:
    from surveys.engine.expressions import builtins, datefuncs

    builtins.register_all(DEFAULT_FUNCTIONS)
    datefuncs.register_all(DEFAULT_FUNCTIONS)


_install_builtins()
