"""Compile a syntax tree into Python closures, once per expression text.

Each node becomes a function ``(values, ctx) -> value``; evaluating an expression is then a
handful of plain calls, with no tree walking and no per-node dispatch.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any, Final

from surveys.engine.expressions.context import EvalContext
from surveys.engine.expressions.errors import ExpressionSyntaxError
from surveys.engine.expressions.functions import DEFAULT_FUNCTIONS, CallInfo, FunctionRegistry
from surveys.engine.expressions.nodes import (
    ArrayNode,
    Binary,
    Const,
    FunctionCall,
    Operand,
    Unary,
    Variable,
)
from surveys.engine.expressions.ops import BINARY_OPERATORS, UNARY_OPERATORS
from surveys.engine.expressions.parser import parse
from surveys.engine.expressions.paths import NOT_FOUND, VariablePath, correct_value, get_member
from surveys.engine.values import UNDEFINED, JSError, ValuesDict, loose_true

__all__ = ["Expression", "compile_expression"]

Evaluator = Callable[[Any, EvalContext], Any]

# Object.prototype members: survey-core's function table is a plain object, so these names
# "exist" there and calling them throws instead of warning about an unknown function.
_PROTO_NAMES: Final = frozenset(
    {
        "constructor",
        "hasOwnProperty",
        "isPrototypeOf",
        "propertyIsEnumerable",
        "toLocaleString",
        "toString",
        "valueOf",
        "__proto__",
        "__defineGetter__",
        "__defineSetter__",
        "__lookupGetter__",
        "__lookupSetter__",
    }
)


class _DiscardingList(list[str]):
    """Warnings of evaluations run without a context go nowhere."""

    def append(self, item: str) -> None:
        return None


_DEFAULT_CTX: Final = EvalContext(warnings=_DiscardingList())


def _null_operand(values: Any, ctx: EvalContext) -> Any:
    return None


def _null_evaluate(values: Any, ctx: EvalContext) -> Any:
    raise JSError("TypeError: Cannot read properties of null (reading 'evaluate')")


def _compile(node: Operand, *, null_ok: bool) -> Evaluator:
    if node is None:
        # a null literal is fine as a binary operand, but survey-core crashes on it elsewhere
        return _null_operand if null_ok else _null_evaluate
    if isinstance(node, Variable):
        return _compile_variable(node)
    if isinstance(node, Const):
        return _compile_const(node)
    if isinstance(node, Binary):
        return _compile_binary(node)
    if isinstance(node, Unary):
        return _compile_unary(node)
    if isinstance(node, FunctionCall):
        return _compile_function(node)
    if isinstance(node, ArrayNode):
        return _compile_array(node)
    raise TypeError(f"unknown node {node!r}")  # pragma: no cover


def _compile_const(node: Const) -> Evaluator:
    value = correct_value(node.raw)  # literals are immutable scalars: convert once

    def const(values: Any, ctx: EvalContext) -> Any:
        return value

    return const


def _compile_variable(node: Variable) -> Evaluator:
    path = VariablePath(node.name)
    convert = not node.no_conversion
    simple = path.simple
    if simple is not None and simple[0]:
        key, low = simple

        def simple_variable(values: Any, ctx: EvalContext) -> Any:
            tv = type(values)
            if tv is dict:
                v = values.get(key, NOT_FOUND)
                if v is NOT_FOUND or v is UNDEFINED:
                    v = get_member(values, key, low)  # case-insensitive fallback
            elif tv is ValuesDict:
                found = values.find_key(low)
                v = NOT_FOUND if found is None else values[found]
                if v is UNDEFINED:
                    v = NOT_FOUND
            else:
                v = path.resolve(values)  # ValuesDict, ChainedValues, other mappings
            if v is NOT_FOUND:
                return path.missing_value()
            return correct_value(v) if convert else v

        return simple_variable

    def variable(values: Any, ctx: EvalContext) -> Any:
        v = path.resolve(values)
        if v is NOT_FOUND:
            return path.missing_value()
        return correct_value(v) if convert else v

    return variable


def _compile_binary(node: Binary) -> Evaluator:
    first, chain = node.spine()
    head = _compile(first, null_ok=True)
    steps = tuple((BINARY_OPERATORS[b.op], _compile(b.right, null_ok=True)) for b in chain)
    if len(steps) == 1:
        op, right = steps[0]
        if isinstance(chain[0].right, Const):
            const = right(None, _DEFAULT_CTX)

            def binary_const(values: Any, ctx: EvalContext) -> Any:
                return op(head(values, ctx), const, ctx)

            return binary_const

        def binary(values: Any, ctx: EvalContext) -> Any:
            return op(head(values, ctx), right(values, ctx), ctx)

        return binary

    def binary_chain(values: Any, ctx: EvalContext) -> Any:
        acc = head(values, ctx)
        for op, right in steps:
            acc = op(acc, right(values, ctx), ctx)
        return acc

    return binary_chain


def _compile_unary(node: Unary) -> Evaluator:
    op = UNARY_OPERATORS[node.op]
    inner = _compile(node.operand, null_ok=False)

    def unary(values: Any, ctx: EvalContext) -> Any:
        return op(inner(values, ctx))

    return unary


def _compile_array(node: ArrayNode) -> Evaluator:
    items = tuple(_compile(item, null_ok=False) for item in node.items)

    def array(values: Any, ctx: EvalContext) -> Any:
        return [f(values, ctx) for f in items]

    return array


def _compile_function(node: FunctionCall) -> Evaluator:
    name = node.name
    args = tuple(_compile(item, null_ok=False) for item in node.args.items)
    operands = tuple(node.args.items)

    def call(values: Any, ctx: EvalContext) -> Any:
        params = [f(values, ctx) for f in args]
        spec = ctx.functions.get(name)
        if spec is None:
            if name in _PROTO_NAMES:
                raise JSError("TypeError: classRunner.func is not a function")
            ctx.warnings.append(f"Unknown function name: '{name}'.")
            return None
        if spec.needs_context:
            return spec.fn(params, CallInfo(ctx, values, operands))
        return spec.fn(params)

    return call


class Expression:
    """A compiled expression. Build it with :func:`compile_expression` (cached by text)."""

    __slots__ = ("_run", "_string", "functions", "root", "text", "variables")

    def __init__(self, text: str, root: Operand) -> None:
        self.text = text
        self.root = root
        names: list[str] = []
        if root is not None:
            root.collect_variables(names)
        self.variables: tuple[str, ...] = tuple(names)
        fnames: list[str] = []
        if root is not None:
            root.collect_functions(fnames)
        self.functions: tuple[str, ...] = tuple(dict.fromkeys(fnames))
        self._run: Evaluator = _compile(root, null_ok=True)
        self._string: str | None = None

    def to_string(self) -> str:
        """survey-core ``Operand.toString()``: fully parenthesised, e.g. ``(({a} + 1) > 2)``."""
        if self._string is None:
            try:
                self._string = "" if self.root is None else self.root.to_string()
            except JSError as e:
                self._string = "<toString failed: " + e.js_message.split(": ", 1)[-1] + ">"
        return self._string

    def __str__(self) -> str:
        return self.to_string()

    def __repr__(self) -> str:
        return f"Expression({self.text!r})"

    def evaluate_raw(self, values: Mapping[str, Any], ctx: EvalContext | None = None) -> Any:
        """Evaluate; a ``JSError`` escapes where survey-core itself would throw."""
        return self._run(values, _DEFAULT_CTX if ctx is None else ctx)

    def evaluate(
        self, values: Mapping[str, Any], ctx: EvalContext | None = None, *, catch: bool = True
    ) -> Any:
        """``ExpressionRunner.runValues``: the expression's value. Never raises: where
        survey-core would throw, the result is ``None`` and a warning is recorded."""
        if ctx is None:
            ctx = _DEFAULT_CTX
        if not catch:
            return self._run(values, ctx)
        try:
            return self._run(values, ctx)
        except JSError as e:
            ctx.warnings.append(f"Expression '{self.text}' failed: {e.js_message}")
        except RecursionError:
            ctx.warnings.append(f"Expression '{self.text}' is nested too deeply")
        except Exception as e:
            ctx.warnings.append(f"Expression '{self.text}' failed: {type(e).__name__}: {e}")
        return None

    def evaluate_condition(
        self, values: Mapping[str, Any], ctx: EvalContext | None = None, *, catch: bool = True
    ) -> bool:
        """``ConditionRunner.runValues``: ``result == true`` (so ``2`` is false, ``"true"``
        and ``1`` are true)."""
        return loose_true(self.evaluate(values, ctx, catch=catch))

    def has_function(self) -> bool:
        try:
            return self.root is not None and self.root.has_function()
        except JSError:
            return False

    def has_const_function(self) -> bool:
        """survey-core ``hasFunction(true)``: some call has no variable among its arguments
        (``today()``), so the value can change although no variable changed."""
        try:
            return self.root is not None and self.root.has_function(True)
        except JSError:
            return False

    def is_async(self, registry: FunctionRegistry | None = None) -> bool:
        """Whether survey-core treats the expression as asynchronous (``displayValue``)."""
        reg = DEFAULT_FUNCTIONS if registry is None else registry
        try:
            return (
                self.root is not None
                and self.root.has_function()
                and self.root.has_async_function(reg.is_async)
            )
        except JSError:
            return False


def _build(text: str) -> Expression | ExpressionSyntaxError:
    try:
        result = parse(text)
    except ExpressionSyntaxError as e:
        return e
    root = result.root
    if root is None:
        return ExpressionSyntaxError(
            "The expression is only a null literal", 0, text, js_position=None, js_message=None
        )
    try:
        # survey-core builds its runner like this and crashes on a misplaced null literal
        if root.has_function():
            root.has_async_function(DEFAULT_FUNCTIONS.is_async)
        return Expression(text, root)
    except JSError as e:
        return ExpressionSyntaxError(
            f"survey-core cannot run this expression ({e.js_message})",
            0,
            text,
            js_exception=e.js_message,
        )
    except RecursionError:
        return ExpressionSyntaxError("The expression is nested too deeply", 0, text)


@lru_cache(maxsize=8192)
def _compile_cached(text: str) -> Expression | ExpressionSyntaxError:
    return _build(text)


def compile_expression(text: str) -> Expression:
    """Parse and compile ``text`` (LRU-cached). Raises :class:`ExpressionSyntaxError`."""
    if type(text) is not str:
        raise ExpressionSyntaxError("An expression must be a string", 0, repr(text))
    res = _compile_cached(text)
    if isinstance(res, ExpressionSyntaxError):
        raise ExpressionSyntaxError(
            res.message,
            res.position,
            res.text,
            js_position=res.js_position,
            js_message=res.js_message,
            js_exception=res.js_exception,
        )
    return res
