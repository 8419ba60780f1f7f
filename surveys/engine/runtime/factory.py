"""Creates the runtime object for a question definition."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from surveys.engine.model import CHECKBOX_TYPES, NON_VALUE_TYPES, SELECT_TYPES, QuestionDef
from surveys.engine.runtime.question import (
    BooleanQuestionRt,
    ExpressionQuestionRt,
    NonValueQuestionRt,
    QuestionRt,
    RatingQuestionRt,
    TextQuestionRt,
)

if TYPE_CHECKING:
    from surveys.engine.runtime.element import PanelRt
    from surveys.engine.runtime.survey import SurveyRun


def create_question(
    d: QuestionDef,
    run: SurveyRun,
    data: Any,
    parent: PanelRt | None,
    parent_question: QuestionRt | None = None,
) -> QuestionRt:
    t = d.type
    cls: type[QuestionRt]
    if t in ("text", "comment"):
        cls = TextQuestionRt
    elif t in SELECT_TYPES:
        from surveys.engine.runtime.select import CheckboxQuestionRt, SelectQuestionRt

        if t in CHECKBOX_TYPES or (t == "imagepicker" and d.raw.get("multiSelect") is True):
            cls = CheckboxQuestionRt
        else:
            cls = SelectQuestionRt
    elif t == "boolean":
        cls = BooleanQuestionRt
    elif t == "expression":
        cls = ExpressionQuestionRt
    elif t == "rating":
        cls = RatingQuestionRt
    elif t == "matrix":
        from surveys.engine.runtime.matrix import MatrixQuestionRt

        cls = MatrixQuestionRt
    elif t in ("matrixdropdown", "matrixdynamic"):
        from surveys.engine.runtime.matrixdropdown import (
            MatrixDropdownQuestionRt,
            MatrixDynamicQuestionRt,
        )

        cls = MatrixDropdownQuestionRt if t == "matrixdropdown" else MatrixDynamicQuestionRt
    elif t == "multipletext":
        from surveys.engine.runtime.multipletext import MultipleTextQuestionRt

        cls = MultipleTextQuestionRt
    elif t == "paneldynamic":
        from surveys.engine.runtime.paneldynamic import PanelDynamicQuestionRt

        cls = PanelDynamicQuestionRt
    elif t in NON_VALUE_TYPES:
        cls = NonValueQuestionRt
    else:
        cls = QuestionRt
    return cls(d, run, data, parent, parent_question)
