"""Validators (survey-core ``NumericValidator``, ``TextValidator``, ``AnswerCountValidator``,
``RegexValidator``, ``EmailValidator``, ``ExpressionValidator``).

Every validator error has the type ``custom`` except a non-numeric value under a numeric
validator (``requirenumeric``). All failing validators are reported, in declaration order. An
empty value never runs validators (except ``answercount``/``expression``, which decide
themselves). Texts are survey-core's, in the run's locale.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from surveys.engine.errors import SurveyError
from surveys.engine.jsregex import js_regex_test
from surveys.engine.jsutil import (
    get_number,
    is_number,
    is_value_empty_trim,
    js_to_number,
    js_truthy,
    to_js_string,
)
from surveys.engine.messages import js_format
from surveys.engine.model import ValidatorDef, loc_text

if TYPE_CHECKING:
    from surveys.engine.runtime.question import QuestionRt

# survey-core's EmailValidator pattern (JavaScript syntax; translated by jsregex).
EMAIL_RE = (
    r"^(([^<>()\[\]\.,;:\s@\"]+(\.[^<>()\[\]\.,;:\s@\"]+)*)|(\".+\"))@(([^<>()=[\]\.,;:\s@\"]+\.)+"
    r"[^<>()=[\]\.,;:\s@\"]{2,})$"
)


def _text(q: QuestionRt, v: ValidatorDef) -> str:
    return loc_text(v.text, q.loc(), verne=q.run.verne)


def _gt(a: Any, b: Any) -> bool:
    """JavaScript ``a > b`` (numbers or numeric strings)."""
    if isinstance(a, str) and isinstance(b, str):
        return a > b
    x, y = js_to_number(a), js_to_number(b)
    if math.isnan(x) or math.isnan(y):
        return False
    return x > y


def _numeric(q: QuestionRt, v: ValidatorDef, value: Any, name: str | None) -> SurveyError | None:
    if is_value_empty_trim(value):
        return None
    if not is_number(value):
        return SurveyError("requirenumeric", _text(q, v) or q.message("numericError"))
    num = get_number(value)
    mn, mx = v.min_value, v.max_value
    failed = (mn is not None and _gt(mn, num)) or (mx is not None and _gt(num, mx))
    if not failed:
        return None
    text = _text(q, v)
    if not text:
        vname = name or q.message("value")
        if mn is not None and mx is not None:
            text = js_format(q.message("numericMinMax"), vname, to_js_string(mn), to_js_string(mx))
        elif mn is not None:
            text = js_format(q.message("numericMin"), vname, to_js_string(mn))
        else:
            text = js_format(q.message("numericMax"), vname, to_js_string(mx))
    return SurveyError("custom", text)


def _length(value: Any) -> int | None:
    if isinstance(value, (str, list)):
        return len(value.encode("utf-16-le")) // 2 if isinstance(value, str) else len(value)
    return None


def _text_validator(
    q: QuestionRt, v: ValidatorDef, value: Any, name: str | None
) -> SurveyError | None:
    if is_value_empty_trim(value):
        return None
    if v.allow_digits is False or v.allow_digits is None or v.allow_digits == 0:
        if js_regex_test(r"\d+$", "", value):
            return SurveyError("custom", _text(q, v) or q.message("textNoDigitsAllow"))
    mn = (
        v.min_length
        if isinstance(v.min_length, (int, float)) and not isinstance(v.min_length, bool)
        else 0
    )
    mx = (
        v.max_length
        if isinstance(v.max_length, (int, float)) and not isinstance(v.max_length, bool)
        else 0
    )
    n = _length(value)
    failed = (mn > 0 and n is not None and n < mn) or (mx > 0 and n is not None and n > mx)
    if not failed:
        return None
    text = _text(q, v)
    if not text:
        if mn > 0 and mx > 0:
            text = js_format(q.message("textMinMaxLength"), to_js_string(mn), to_js_string(mx))
        elif mn > 0:
            text = js_format(q.message("textMinLength"), to_js_string(mn))
        else:
            text = js_format(q.message("textMaxLength"), to_js_string(mx))
    return SurveyError("custom", text)


def _answer_count(
    q: QuestionRt, v: ValidatorDef, value: Any, name: str | None
) -> SurveyError | None:
    if not isinstance(value, list):
        return None
    count = len(value)
    if count == 0:
        return None
    if js_truthy(v.min_count) and _gt(v.min_count, count):
        return SurveyError(
            "custom",
            _text(q, v) or js_format(q.message("minSelectError"), to_js_string(v.min_count)),
        )
    if js_truthy(v.max_count) and _gt(count, v.max_count):
        return SurveyError(
            "custom",
            _text(q, v) or js_format(q.message("maxSelectError"), to_js_string(v.max_count)),
        )
    return None


def _regex(q: QuestionRt, v: ValidatorDef, value: Any, name: str | None) -> SurveyError | None:
    if not js_truthy(v.regex) or is_value_empty_trim(value):
        return None
    pattern = to_js_string(v.regex)
    flags = "i" if v.case_insensitive else ""
    items = value if isinstance(value, list) else []
    for item in items:
        if not js_regex_test(pattern, flags, item):
            return SurveyError("custom", _text(q, v))
    if not js_regex_test(pattern, flags, value):
        return SurveyError("custom", _text(q, v))
    return None


def email_error(q: QuestionRt, value: Any, v: ValidatorDef | None = None) -> SurveyError | None:
    if not js_truthy(value):
        return None
    if js_regex_test(EMAIL_RE, "i", value):
        return None
    text = _text(q, v) if v is not None else ""
    return SurveyError("custom", text or q.message("invalidEmail"))


def _email(q: QuestionRt, v: ValidatorDef, value: Any, name: str | None) -> SurveyError | None:
    return email_error(q, value, v)


def _expression(q: QuestionRt, v: ValidatorDef, value: Any, name: str | None) -> SurveyError | None:
    expr = v.expression
    if expr is None:
        return None
    if not expr.ok:
        q.run.warn_invalid_expression(expr, q)
        res = False
    else:
        res = expr.condition(q.scope(), q.eval_ctx())
    if res:
        return None
    text = _text(q, v)
    if not text:
        text = js_format(q.message("invalidExpression"), expr.text)
    return SurveyError("custom", text)


_VALIDATORS = {
    "numeric": _numeric,
    "text": _text_validator,
    "answercount": _answer_count,
    "regex": _regex,
    "email": _email,
    "expression": _expression,
}


def run_validators(
    q: QuestionRt, validators: tuple[ValidatorDef, ...] | None = None
) -> list[SurveyError]:
    """``ValidatorRunner.run``: every validator of the question, in order."""
    vals = q.d.validators if validators is None else validators
    if not vals:
        return []
    value = q.validated_value()
    title = q.get_validator_title()
    errors: list[SurveyError] = []
    for v in vals:
        fn = _VALIDATORS.get(v.type)
        if fn is None:
            continue
        err = fn(q, v, value, title)
        if err is not None:
            err.notification_type = v.notification_type
            errors.append(err)
    return errors
