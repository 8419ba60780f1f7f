"""What the survey-aware functions need from the runtime.

Five built-in functions look at the survey itself rather than at values: ``propertyValue``,
``getComment``, ``isContainerReady``, ``displayValue`` and ``isDisplayMode``. They reach the
survey through ``EvalContext.properties["survey"]``, which must implement
:class:`ExpressionSurvey`. Without it (as in the reference runner's function mode) they answer
exactly as survey-core does without a survey: ``undefined``, or ``false`` for
``isContainerReady``.

The functions validate their arguments themselves (survey-core's checks); the protocol methods
are only called with a truthy name. Return ``UNDEFINED`` (from ``surveys.engine.values``) where
survey-core would return ``undefined``.

Scope: survey-core looks a question name up in the evaluating element's context first (the
question's parent panel, then the matrix row or dynamic panel, then the survey). The runtime
should therefore put into ``properties["survey"]`` an adapter already scoped to the element
being evaluated (or the survey itself for survey-level expressions).
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

__all__ = ["ExpressionSurvey"]


@runtime_checkable
class ExpressionSurvey(Protocol):
    """The survey as the expression functions see it."""

    @property
    def is_display_mode(self) -> bool:
        """``survey.isDisplayMode`` (read-only display). The server normally answers false."""
        ...

    def question_property(self, question_name: Any, property_name: Any) -> Any:
        """``propertyValue(q, prop)``: ``question[prop]`` of the question named
        ``question_name``, or ``UNDEFINED`` when there is no such question (or property).
        ``property_name`` is a survey-core property name such as ``"isVisible"``, ``"title"``
        or ``"isRequired"``."""
        ...

    def get_comment(self, question_name: Any, item_value: Any) -> Any:
        """``getComment(q[, item])``:

        * no question with that name: ``""``;
        * ``item_value`` given (not ``None``/``UNDEFINED``): the comment of that choice item,
          or ``UNDEFINED`` when the question has no such item;
        * otherwise the "other" item's comment, or else the question's comment
          (``<name>-Comment``).
        """
        ...

    def is_container_ready(self, name: Any, panel_index: Any) -> bool:
        """``isContainerReady(name[, index])``: validate (without showing errors) the page or
        panel called ``name``; for a dynamic panel question, the panel at ``panel_index`` (or
        every panel when ``panel_index`` is ``UNDEFINED``). False when nothing matches."""
        ...

    def display_value(self, question_name: Any, value: Any) -> Any:
        """``displayValue(q[, value])``: the display text of ``value`` (when given and not
        empty) or of the question's current value; ``UNDEFINED`` for an unknown question."""
        ...
