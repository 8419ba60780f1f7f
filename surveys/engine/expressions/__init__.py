"""The SurveyJS expression language in pure Python, with the results of survey-core 3.1.1.

    expr = compile_expression("{age} >= 18 and {consent} = 'ja'")   # cached by text
    expr.evaluate_condition({"age": "20", "consent": "JA "})          # True

See ``docs/engine-contract.md`` ("Expressions API") for the contract with the rest of the
engine, and the module docstrings for the details:

* ``parser``: the grammar (a faithful port of survey-core's PEG) and the text patching;
* ``nodes``: the syntax tree, ``to_string`` and ``variables`` like survey-core;
* ``paths``: how ``{name}`` finds and converts its value;
* ``ops``: the operators; ``builtins`` and ``datefuncs``: the 32 built-in functions;
* ``compiler``: closures and the :class:`Expression` API; ``runner``: the function mode.
"""

from surveys.engine.expressions.compiler import Expression, compile_expression
from surveys.engine.expressions.context import EvalContext
from surveys.engine.expressions.errors import ExpressionSyntaxError
from surveys.engine.expressions.functions import (
    DEFAULT_FUNCTIONS,
    CallInfo,
    FunctionRegistry,
    FunctionSpec,
)
from surveys.engine.expressions.paths import ChainedValues
from surveys.engine.expressions.protocols import ExpressionSurvey
from surveys.engine.expressions.runner import run_function_case

__all__ = [
    "DEFAULT_FUNCTIONS",
    "CallInfo",
    "ChainedValues",
    "EvalContext",
    "Expression",
    "ExpressionSurvey",
    "ExpressionSyntaxError",
    "FunctionRegistry",
    "FunctionSpec",
    "compile_expression",
    "run_function_case",
]
