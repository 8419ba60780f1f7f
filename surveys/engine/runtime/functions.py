"""The survey as the expression functions see it (``propertyValue``, ``getComment``,
``isContainerReady``, ``displayValue``, ``isDisplayMode``).

Implements :class:`surveys.engine.expressions.protocols.ExpressionSurvey`. survey-core looks a
question name up in the evaluating element's context first (its parent panels, the dynamic
panel or matrix row), then in the survey; one adapter per evaluating question does the same.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from surveys.engine.expressions import DEFAULT_FUNCTIONS, EvalContext
from surveys.engine.jsutil import UNDEFINED, is_value_empty
from surveys.engine.runtime.dates import local_zone

if TYPE_CHECKING:
    from surveys.engine.runtime.question import QuestionRt
    from surveys.engine.runtime.survey import SurveyRun


class SurveyFunctions:
    """One adapter per evaluating element (``None`` = the survey itself)."""

    __slots__ = ("question", "run")

    def __init__(self, run: SurveyRun, question: QuestionRt | None) -> None:
        self.run = run
        self.question = question

    @property
    def is_display_mode(self) -> bool:
        return self.run.is_display_mode

    def _find(self, name: Any) -> Any:
        name = str(name)
        q = self.question
        while q is not None and q.parent is not None:
            res = q.parent.get_question_by_name(name)
            if res is not None:
                return res
            q = q.parent_question
        return self.run.get_question_by_name(name)

    def question_property(self, question_name: Any, property_name: Any) -> Any:
        q = self._find(question_name)
        if q is None:
            return UNDEFINED
        return property_of(q, str(property_name))

    def get_comment(self, question_name: Any, item_value: Any) -> Any:
        q = self.run.get_question_by_name(str(question_name))
        if q is None:
            return ""
        if item_value is not None and item_value is not UNDEFINED:
            return q.get_comment_value_for_function(item_value)
        return q.get_comment_value_for_function(None)

    def is_container_ready(self, name: Any, panel_index: Any) -> bool:
        run = self.run
        n = str(name)
        container: Any = run.get_page_by_name(n) or run.get_panel_by_name(n)
        if container is None:
            q = run.get_question_by_name(n)
            panels = getattr(q, "panels", None)
            if q is None or not isinstance(panels, list):
                return False
            if panel_index is not UNDEFINED and panel_index is not None:
                if isinstance(panel_index, (int, float)) and 0 <= panel_index < len(panels):
                    container = panels[int(panel_index)]
                else:
                    return _container_ready(None)
            else:
                return all(_container_ready(p) for p in panels)
        return _container_ready(container)

    def display_value(self, question_name: Any, value: Any) -> Any:
        q = self._find(question_name)
        if q is None:
            return UNDEFINED
        if value is not UNDEFINED and not is_value_empty(value):
            return q.get_display_value(True, value)
        return q.get_display_value(True)


def _container_ready(container: Any) -> bool:
    if container is None:
        return False
    for q in container.questions:
        panels = getattr(q, "panels", None)
        if isinstance(panels, list):
            if not all(_container_ready(p) for p in panels):
                return False
        elif not q.validate(False):
            return False
    return True


_PROPS: dict[str, Callable[[Any], Any]] = {
    "isVisible": lambda q: q.is_visible(),
    "visible": lambda q: q.visible,
    "isReadOnly": lambda q: q.is_read_only(),
    "readOnly": lambda q: q.read_only,
    "isRequired": lambda q: q.is_required,
    "title": lambda q: q.title(),
    "name": lambda q: q.name,
    "value": lambda q: q.value,
    "comment": lambda q: q.comment,
    "isEmpty": lambda q: q.is_empty(),
    "inputType": lambda q: getattr(q, "input_type", UNDEFINED),
    "valueName": lambda q: q.d.raw.get("valueName", UNDEFINED),
}


def property_of(q: Any, prop: str) -> Any:
    fn = _PROPS.get(prop)
    if fn is not None:
        return fn(q)
    if prop in q.d.raw:
        return q.d.raw[prop]
    return UNDEFINED


def make_eval_context(run: SurveyRun, question: QuestionRt | None) -> EvalContext:
    cache = run._ctx_cache
    key = id(question) if question is not None else 0
    ctx = cache.get(key)
    if ctx is None:
        zone = local_zone()
        tz = getattr(zone, "key", None)
        ctx = EvalContext(
            now=run.now,
            functions=DEFAULT_FUNCTIONS,
            properties={"survey": SurveyFunctions(run, question)},
            warnings=run.warnings,
            tz=tz,
        )
        cache[key] = ctx
    return ctx
