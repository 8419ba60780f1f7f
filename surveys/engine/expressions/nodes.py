"""The syntax tree of an expression, shaped like survey-core's operands.

``None`` stands for the ``null``/``undefined`` literal: survey-core's parser returns a JS
``null`` for it instead of an operand, and several of its methods then crash on it. Those
crashes are part of the observable behaviour, so the methods below reproduce them by raising
``JSError`` where survey-core would dereference ``null``.

Long left-associative chains (``1 + 2 + ... + 500``) are walked iteratively, so a deep tree of
binary operands never hits Python's recursion limit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from surveys.engine.values import JSError, number_to_string

__all__ = [
    "OPERATOR_SIGNS",
    "ArrayNode",
    "Binary",
    "Const",
    "FunctionCall",
    "Node",
    "Operand",
    "Unary",
    "Variable",
]

# OperandMaker.signs: how operators are printed by toString().
OPERATOR_SIGNS: Final = {
    "less": "<",
    "lessorequal": "<=",
    "greater": ">",
    "greaterorequal": ">=",
    "equal": "==",
    "notequal": "!=",
    "plus": "+",
    "minus": "-",
    "mul": "*",
    "div": "/",
    "and": "and",
    "or": "or",
    "power": "^",
    "mod": "%",
    "negate": "!",
}


def _null_error(member: str) -> JSError:
    return JSError(f"TypeError: Cannot read properties of null (reading '{member}')")


class Node:
    """Base class of every operand."""

    __slots__ = ()
    kind: str = ""

    def to_string(self) -> str:
        raise NotImplementedError

    def collect_variables(self, out: list[str]) -> None:
        raise NotImplementedError

    def collect_functions(self, out: list[str]) -> None:
        raise NotImplementedError

    def has_function(self, no_params_only: bool = False) -> bool:
        return False

    def has_async_function(self, is_async: Callable[[str], bool]) -> bool:
        return False

    def __str__(self) -> str:
        return self.to_string()


# An operand slot: a node, or None for the null literal.
Operand = Node | None


def operand_to_string(op: Operand) -> str:
    """``OperandMaker.safeToString`` (an absent binary side prints as nothing)."""
    return "" if op is None else op.to_string()


def _child_variables(op: Operand, out: list[str], member: str = "setVariables") -> None:
    if op is None:
        raise _null_error(member)
    op.collect_variables(out)


class Binary(Node):
    __slots__ = ("arithmetic", "left", "op", "right")
    kind = "binary"

    def __init__(self, op: str, left: Operand, right: Operand, arithmetic: bool) -> None:
        self.op = op
        self.left = left
        self.right = right
        self.arithmetic = arithmetic

    def spine(self) -> tuple[Operand, list[Binary]]:
        """The leftmost operand and the chain of binaries above it, innermost first."""
        chain: list[Binary] = []
        node: Operand = self
        while isinstance(node, Binary):
            chain.append(node)
            node = node.left
        chain.reverse()
        return node, chain

    def to_string(self) -> str:
        first, chain = self.spine()
        text = operand_to_string(first)
        for b in chain:
            sign = OPERATOR_SIGNS.get(b.op, b.op)
            text = "(" + text + " " + sign + " " + operand_to_string(b.right) + ")"
        return text

    def collect_variables(self, out: list[str]) -> None:
        first, chain = self.spine()
        if first is not None:
            first.collect_variables(out)
        for b in chain:
            if b.right is not None:
                b.right.collect_variables(out)

    def collect_functions(self, out: list[str]) -> None:
        first, chain = self.spine()
        if first is not None:
            first.collect_functions(out)
        for b in chain:
            if b.right is not None:
                b.right.collect_functions(out)

    def has_function(self, no_params_only: bool = False) -> bool:
        first, chain = self.spine()
        if first is not None and first.has_function(no_params_only):
            return True
        return any(b.right is not None and b.right.has_function(no_params_only) for b in chain)

    def has_async_function(self, is_async: Callable[[str], bool]) -> bool:
        first, chain = self.spine()
        if first is not None and first.has_async_function(is_async):
            return True
        return any(b.right is not None and b.right.has_async_function(is_async) for b in chain)


class Unary(Node):
    """``! x`` (op ``negate``), ``x empty``, ``x notempty``."""

    __slots__ = ("op", "operand")
    kind = "unary"

    def __init__(self, op: str, operand: Operand) -> None:
        self.op = op
        self.operand = operand

    def to_string(self) -> str:
        if self.operand is None:
            raise _null_error("toString")
        inner = self.operand.to_string()
        if self.op in ("empty", "notempty"):
            return inner + " " + self.op
        return OPERATOR_SIGNS.get(self.op, self.op) + " " + inner

    def collect_variables(self, out: list[str]) -> None:
        _child_variables(self.operand, out)

    def collect_functions(self, out: list[str]) -> None:
        if self.operand is not None:
            self.operand.collect_functions(out)

    def has_function(self, no_params_only: bool = False) -> bool:
        if self.operand is None:
            raise _null_error("hasFunction")
        return self.operand.has_function(no_params_only)

    def has_async_function(self, is_async: Callable[[str], bool]) -> bool:
        if self.operand is None:
            raise _null_error("hasAsyncFunction")
        return self.operand.has_async_function(is_async)


class ArrayNode(Node):
    """``[a, b]`` literals and function argument lists."""

    __slots__ = ("items",)
    kind = "array"

    def __init__(self, items: list[Operand]) -> None:
        self.items = items

    def to_string(self) -> str:
        return "[" + self.items_to_string() + "]"

    def items_to_string(self) -> str:
        parts = []
        for item in self.items:
            if item is None:
                raise _null_error("toString")
            parts.append(item.to_string())
        return ", ".join(parts)

    def collect_variables(self, out: list[str]) -> None:
        for item in self.items:
            _child_variables(item, out)

    def collect_functions(self, out: list[str]) -> None:
        for item in self.items:
            if item is not None:
                item.collect_functions(out)

    def has_function(self, no_params_only: bool = False) -> bool:
        for item in self.items:
            if item is None:
                raise _null_error("hasFunction")
            if item.has_function(no_params_only):
                return True
        return False

    def has_async_function(self, is_async: Callable[[str], bool]) -> bool:
        for item in self.items:
            if item is None:
                raise _null_error("hasAsyncFunction")
            if item.has_async_function(is_async):
                return True
        return False


class Const(Node):
    """A literal as the parser produced it: a number, a boolean, a bare word or ``'quoted'``.

    Quoted strings keep their quotes here (survey-core strips them when evaluating), which is
    why ``to_string`` prints them quoted.
    """

    __slots__ = ("raw",)
    kind = "const"

    def __init__(self, raw: Any) -> None:
        self.raw = raw

    def to_string(self) -> str:
        raw = self.raw
        if raw == "" and type(raw) is str:
            return "''"
        if raw is True:
            return "true"
        if raw is False:
            return "false"
        if type(raw) is int or type(raw) is float:
            return number_to_string(raw)
        return str(raw)

    def collect_variables(self, out: list[str]) -> None:
        return None

    def collect_functions(self, out: list[str]) -> None:
        return None


class Variable(Node):
    """``{name}``; ``{#name}`` sets ``no_conversion`` (the value is used as it is)."""

    __slots__ = ("name", "no_conversion")
    kind = "variable"

    def __init__(self, name: str, no_conversion: bool = False) -> None:
        self.name = name
        self.no_conversion = no_conversion

    @classmethod
    def from_text(cls, text: str) -> Variable:
        # survey-core: a leading '#' (settings.expressionDisableConversionChar) switches off
        # the conversion of the value, but only when something follows it.
        if len(text) > 1 and text[0] == "#":
            return cls(text[1:], True)
        return cls(text, False)

    def to_string(self) -> str:
        return "{" + ("#" if self.no_conversion else "") + self.name + "}"

    def collect_variables(self, out: list[str]) -> None:
        out.append(self.name)

    def collect_functions(self, out: list[str]) -> None:
        return None


class FunctionCall(Node):
    __slots__ = ("args", "name")
    kind = "function"

    def __init__(self, name: str, args: ArrayNode) -> None:
        self.name = name
        self.args = args

    def to_string(self) -> str:
        return self.name + "(" + self.args.items_to_string() + ")"

    def collect_variables(self, out: list[str]) -> None:
        self.args.collect_variables(out)

    def collect_functions(self, out: list[str]) -> None:
        out.append(self.name)
        self.args.collect_functions(out)

    def has_function(self, no_params_only: bool = False) -> bool:
        if no_params_only:
            if not self.args.items:
                return True
            names: list[str] = []
            self.args.collect_variables(names)
            return not names
        return True

    def has_async_function(self, is_async: Callable[[str], bool]) -> bool:
        return is_async(self.name) or self.args.has_async_function(is_async)
