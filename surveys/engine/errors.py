"""Validation errors, named and worded exactly as survey-core names and words them.

``type`` is survey-core's ``getErrorType()``; every validator error, the text min/max errors
and the min-selected-choices error are ``custom`` (check those by ``text``).
``notification_type`` is ``error`` (blocks the page), ``warning`` or ``info`` (reported only).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(slots=True)
class SurveyError:
    type: str
    text: str
    notification_type: str = "error"
    visible: bool = True

    @property
    def is_error(self) -> bool:
        return self.notification_type not in ("warning", "info")

    @property
    def blocks(self) -> bool:
        """True when this error makes its page invalid (survey-core ``isError && visible``)."""
        return self.is_error and self.visible

    def to_json(self) -> dict[str, Any]:
        res: dict[str, Any] = {"type": self.type, "text": self.text}
        if self.notification_type != "error":
            res["notificationType"] = self.notification_type
        return res


def blocking(errors: list[SurveyError]) -> bool:
    return any(e.blocks for e in errors)


class ValidationContext:
    """survey-core ``ValidationContext``: the overall result and the first question with an error.

    With ``focus_on_first_error`` (``survey.validatePage`` always asks for it) the first question
    with a blocking error is "focused", which moves the current page to that question's page.
    """

    __slots__ = (
        "change_current_page",
        "error_count",
        "fire_callback",
        "first_error_question",
        "focus_on_first_error",
        "is_on_value_changed",
        "result",
    )

    def __init__(
        self,
        *,
        fire_callback: bool = True,
        is_on_value_changed: bool = False,
        focus_on_first_error: bool = False,
        change_current_page: bool = False,
    ) -> None:
        self.fire_callback = fire_callback
        self.is_on_value_changed = is_on_value_changed
        self.focus_on_first_error = focus_on_first_error
        self.change_current_page = change_current_page
        self.first_error_question: Any = None
        self.result = True
        self.error_count = 0

    def set_error_element(self, element: Any, errors: list[SurveyError] | None) -> None:
        if errors is not None and not blocking(errors):
            return
        self.error_count += 1
        self.result = False
        if element is not None and element.is_question:
            self.set_question_error(element)

    def set_question_error(self, question: Any) -> None:
        if self.first_error_question is not None:
            return
        self.first_error_question = question
        if self.focus_on_first_error:
            question.focus(True)
        elif self.change_current_page:
            page = question.page
            if page is not None:
                question.run.set_current_page(page)
