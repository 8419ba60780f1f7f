"""``multipletext`` (survey-core ``QuestionMultipleTextModel``).

The value is ``{item: text}``. Each item has a text editor (``inputType``, ``isRequired``,
validators, min/max and default-value expressions) whose data owner is the item; the editor's
errors are reported as ``<name>.<item>``. Answering the whole object does not convert the items
(an ``inputType: number`` item keeps a string); answering one item does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from surveys.engine.jsutil import UNDEFINED, deep_copy, is_value_empty, is_value_empty_trim
from surveys.engine.model import MultipleTextDef, MultipleTextItemDef, loc_text
from surveys.engine.runtime.question import QuestionRt, TextQuestionRt

if TYPE_CHECKING:
    from surveys.engine.exprs import Compiled
    from surveys.engine.runtime.element import PanelRt
    from surveys.engine.runtime.survey import SurveyRun


class MultipleTextItemRt:
    """An item: the data owner of its editor."""

    is_changing_via_default_value = False

    def __init__(self, d: MultipleTextItemDef, q: MultipleTextQuestionRt) -> None:
        self.d = d
        self.q = q
        self.run = q.run
        self.name = d.name
        self.editor = ItemEditorRt(d.editor_def, q.run, self, q, q)

    @property
    def value(self) -> Any:
        return self.q.get_multiple_text_value(self.name)

    def get_value(self, name: str) -> Any:
        return self.q.get_multiple_text_value(name)

    def set_value(
        self,
        name: str,
        value: Any,
        loc_notification: Any = False,
        allow_notify: bool = True,
        question_name: str | None = None,
    ) -> None:
        self.q.set_multiple_text_value(name, value)

    def get_comment(self, name: str) -> Any:
        return None

    def set_comment(self, name: str, value: Any, loc_notification: Any = False) -> None:
        pass

    def scope(self) -> Mapping[str, Any]:
        return self.run.scope()

    def can_skip_expression_by_keys(
        self, compiled: Compiled, keys: dict[str, Any], variables: Any
    ) -> bool:
        return self.run.can_skip_expression_by_keys(compiled, keys, variables)

    def find_question_by_name(self, name: str) -> QuestionRt | None:
        return self.run.get_question_by_name(name)


class ItemEditorRt(TextQuestionRt):
    """The text editor of a multipletext item (its parent container is the multipletext)."""

    def __init__(
        self,
        d: Any,
        run: SurveyRun,
        data: Any,
        parent: Any,
        parent_question: QuestionRt | None = None,
    ) -> None:
        super().__init__(d, run, data, parent, parent_question)
        self.item: MultipleTextItemRt = data

    def get_default_value(self) -> Any:
        dv = self.parent_question.d.default_value if self.parent_question is not None else None
        return dv.get(self.name) if isinstance(dv, dict) else None

    def is_default_value_empty(self) -> bool:
        return self.d.default_value_expression is None and is_value_empty_trim(
            self.get_default_value()
        )

    def title(self) -> str:
        t = loc_text(self.item.d.title, self.loc(), verne=self.run.verne)
        return t or self.name


class MultipleTextQuestionRt(QuestionRt):
    d: MultipleTextDef

    def __init__(
        self,
        d: Any,
        run: SurveyRun,
        data: Any,
        parent: PanelRt | None,
        parent_question: QuestionRt | None = None,
    ) -> None:
        super().__init__(d, run, data, parent, parent_question)
        self.is_multiple_item_value_changing = False
        self.items = [MultipleTextItemRt(it, self) for it in self.d.items]

    # the multipletext acts as the editors' container
    def is_visible(self) -> bool:
        return self.is_visible_core()

    def on_element_visibility_changed(self, element: Any) -> None:
        pass

    def validate_container_only(self) -> None:
        pass

    def is_new_value_correct(self, val: Any) -> bool:
        return isinstance(val, dict)

    def get_multiple_text_value(self, name: str) -> Any:
        val = self.value
        if not isinstance(val, dict):
            return None
        return val.get(name, UNDEFINED)

    def set_multiple_text_value(self, name: str, value: Any) -> None:
        self.is_multiple_item_value_changing = True
        if is_value_empty_trim(value):
            value = UNDEFINED
        new_value = deep_copy(self.value) if isinstance(self.value, dict) else {}
        if value is UNDEFINED:
            new_value.pop(name, None)
        else:
            new_value[name] = value
        self.set_new_value(new_value)
        self.is_multiple_item_value_changing = False

    def set_question_value(self, new_value: Any, update_is_answered: bool = True) -> None:
        super().set_question_value(new_value, update_is_answered)
        for it in self.items:
            v = it.value
            it.editor.update_value_from_survey(UNDEFINED if v is None else v)
        self.update_is_answered()

    def on_survey_value_changed(self, new_value: Any) -> None:
        for it in self.items:
            it.editor.on_survey_value_changed(it.value)

    def on_survey_load(self) -> None:
        for it in self.items:
            it.editor.on_survey_load()
        super().on_survey_load()

    def run_condition_core(self) -> None:
        super().run_condition_core()
        for it in self.items:
            it.editor.run_condition()

    def validate_element(self, ctx: Any) -> bool:
        res = True
        for it in self.items:
            if ctx.is_on_value_changed and it.editor.is_empty():
                continue
            res = it.editor.validate_element(ctx) and res
        return super().validate_element(ctx) and res

    def get_is_answered(self) -> bool:
        if not super().get_is_answered():
            return False
        return all(not it.editor.is_visible() or it.editor.is_answered for it in self.items)

    def nested_questions(self) -> list[QuestionRt]:
        return [it.editor for it in self.items]

    def get_display_value_core(self, keys_as_text: bool, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        res: dict[str, Any] = {}
        for it in self.items:
            val = value.get(it.name, UNDEFINED)
            if is_value_empty(val):
                continue
            key = it.editor.title() if keys_as_text else it.name
            res[key] = it.editor.get_display_value(keys_as_text, val)
        return res
