"""One evaluation of a survey: data, variables, conditions, triggers, navigation, validation.

:class:`SurveyRun` is the runtime counterpart of survey-core's ``SurveyModel`` (the parts that
matter on a server). It is created per request from an immutable
:class:`~surveys.engine.model.SurveyDef` and is cheap to make. The order of operations follows
survey-core exactly, because much of what a survey "decides" depends on it:

* ``set_data`` (``survey.data = ...``) stores values as given, fires no triggers, then re-runs
  every condition;
* ``answer`` (``question.value = ...``) converts the value the way the question does, writes it,
  re-runs only the conditions that depend on the changed keys, runs the triggers and the
  question-level ``setValueIf``/``resetValueIf``;
* ``next``/``prev``/``complete``/``do_complete`` navigate like ``nextPage``/``prevPage``/
  ``tryComplete``/``doComplete``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from surveys.engine.errors import SurveyError
from surveys.engine.exprs import Compiled
from surveys.engine.jsutil import (
    UNDEFINED,
    base_equals,
    deep_copy,
    is_two_value_equals,
    is_value_empty,
)
from surveys.engine.messages import MessageSet, get_string
from surveys.engine.model import (
    SELECT_TYPES,
    ElementDef,
    PanelDef,
    QuestionDef,
    SurveyDef,
)
from surveys.engine.runtime.element import PageRt, PanelRt
from surveys.engine.runtime.keys import is_any_key_changed
from surveys.engine.runtime.question import QuestionRt
from surveys.engine.runtime.scope import MISSING, SurveyScope, ci_get

# types whose objects are immutable (the identity check above is then a value check)
_PRIMITIVES: frozenset[type] = frozenset({str, int, float, bool, type(None), type(UNDEFINED)})


class RunSettings:
    """The process-wide survey-core ``settings`` that change semantics (per run here)."""

    __slots__ = (
        "case_sensitive",
        "change_navigation_buttons_on_complete",
        "comment_suffix",
        "execute_complete_on_value_changed",
        "execute_skip_on_value_changed",
        "max_condition_run_count",
        "read_only_enable_validation",
        "totals_suffix",
        "trim_strings",
    )

    def __init__(self, overrides: Mapping[str, Any] | None = None) -> None:
        self.execute_complete_on_value_changed = False
        self.execute_skip_on_value_changed = True
        self.change_navigation_buttons_on_complete = True
        self.max_condition_run_count = 10
        self.comment_suffix = "-Comment"
        self.totals_suffix = "-total"
        self.case_sensitive = False
        self.trim_strings = True
        self.read_only_enable_validation = False
        for key, val in (overrides or {}).items():
            if key == "triggers.executeCompleteOnValueChanged":
                self.execute_complete_on_value_changed = bool(val)
            elif key == "triggers.executeSkipOnValueChanged":
                self.execute_skip_on_value_changed = bool(val)
            elif key == "triggers.changeNavigationButtonsOnComplete":
                self.change_navigation_buttons_on_complete = bool(val)
            elif key == "maxConditionRunCountOnValueChanged" and isinstance(val, int):
                self.max_condition_run_count = val
            elif key == "commentSuffix" and isinstance(val, str):
                self.comment_suffix = val
            elif key == "matrix.totalsSuffix" and isinstance(val, str):
                self.totals_suffix = val
            elif key == "comparator.caseSensitive":
                self.case_sensitive = bool(val)
            elif key == "comparator.trimStrings":
                self.trim_strings = bool(val)
            elif key == "readOnly.enableValidation":
                self.read_only_enable_validation = bool(val)


class CalculatedValueRt:
    __slots__ = ("d", "is_calculated", "locked", "run")

    def __init__(self, d: Any, run: SurveyRun) -> None:
        self.d = d
        self.run = run
        self.is_calculated = False
        self.locked = False

    @property
    def name(self) -> str:
        return str(self.d.name)

    @property
    def value(self) -> Any:
        return self.run.get_variable(self.d.name)

    def do_calculation(self, all_values: list[CalculatedValueRt]) -> None:
        if self.is_calculated:
            return
        self.run_expression_core(all_values)
        self.is_calculated = True

    def run_expression_core(self, all_values: list[CalculatedValueRt] | None) -> None:
        expr = self.d.expression
        if expr is None or self.locked or not self.d.name:
            return
        self.locked = True
        try:
            if all_values is not None:
                for other in all_values:
                    if other is self or other.d.name not in expr.variables:
                        continue
                    other.do_calculation(all_values)
            if not expr.ok:
                self.run.warn_invalid_expression(expr, None)
                return
            new_value = expr.evaluate(self.run.scope(), self.run.make_ctx(None))
            if not is_two_value_equals(new_value, self.value, False, True, False):
                self.run.set_variable(self.d.name, new_value)
        finally:
            self.locked = False


class SurveyRun:
    """A running survey (survey-core ``SurveyModel``)."""

    def __init__(
        self,
        model: SurveyDef,
        *,
        locale: str | None = None,
        now: datetime | None = None,
        settings: Mapping[str, Any] | None = None,
        messages: MessageSet = "survey-core",
    ) -> None:
        self.model = model
        self.settings = RunSettings(settings)
        self.messages: MessageSet = messages
        self.now = now
        loc = model.locale if locale is None else locale
        # survey-core treats "en" as its default locale, so {"default": .., "en": ..} shows the
        # "default" text for en. Verne's definitions keep Norwegian in "default" and English in
        # "en": with messages="verne" the "en" text wins.
        if loc in (None, "") or (loc == "en" and messages != "verne"):
            self.locale = ""
        else:
            self.locale = str(loc)
        self.values_hash: dict[str, Any] = {}
        self.variables_hash: dict[str, Any] = {}
        self.warnings: list[str] = []
        self.clear_invisible_values = model.clear_invisible_values
        self.check_errors_mode = model.check_errors_mode
        self.is_display_mode = model.read_only
        self.is_started_state = bool(model.first_page_is_start_page) and len(model.pages) > 1
        self.hide_required_errors = model.raw.get("hideRequiredErrors") is True
        self.validation_enabled = True  # a runtime switch in survey-core, not a JSON property
        self.store_others_as_comment = model.store_others_as_comment
        # state flags (survey-core names in comments)
        self.is_loading = True  # isLoadingFromJson
        self.is_loading_from_json = True
        self.end_loading: str | None = None  # isEndLoadingFromJson
        self.is_setting_data = False
        self.is_running_conditions = False
        self.is_value_changed_on_running_condition = False
        self.condition_runner_counter = 0
        self.is_running_condition_on_value_changed = False
        self.question_triggers_keys: dict[str, Any] | None = None
        self.condition_notify_elements = False
        self.is_trigger_running = False
        self.trigger_keys: dict[str, Any] = {}
        self.set_value_on_expression_counter = 0
        self.set_value_from_trigger_counter = 0
        self.notify_question_hash: dict[str, bool] = {}
        self.is_completed = False
        self.current_page: PageRt | None = None
        self.completed_by_triggers: dict[int, tuple[Any, PageRt | None]] = {}
        # (from, to): pages, or elements in questionPerPage mode
        self.skipped_pages: list[tuple[Any, Any]] = []
        # questionsOnPageMode: "singlePage" puts every page into one container page;
        # "questionPerPage" shows one top-level element at a time
        self.questions_on_page_mode = model.questions_on_page_mode
        self.page_container: PageRt | None = None
        self.current_single_element: Any = None
        self.focusing_question: QuestionRt | None = None
        self.is_navigation_button_pressed = False
        self._scope = SurveyScope(self)
        self._ctx: Any = None
        self._ctx_cache: dict[int, Any] = {}
        self._visible_pages_cache: list[PageRt] | None = None
        # elements
        self.pages: list[PageRt] = []
        self.all_questions: list[QuestionRt] = []
        self.all_panels: list[PanelRt] = []
        for pdef in model.pages:
            page = PageRt(pdef, self, self, None)
            page.elements = self._build_elements(pdef, page)
            self.pages.append(page)
        self.questions_by_name: dict[str, QuestionRt] = {}
        self.questions_by_name_lower: dict[str, QuestionRt] = {}
        self.questions_by_value_name: dict[str, list[QuestionRt]] = {}
        self.questions_by_value_name_lower: dict[str, list[QuestionRt]] = {}
        for q in self.all_questions:
            self.questions_by_name.setdefault(q.name, q)
            self.questions_by_name_lower.setdefault(q.name.lower(), q)
            self.questions_by_value_name.setdefault(q.value_name, []).append(q)
            self.questions_by_value_name_lower.setdefault(q.value_name.lower(), []).append(q)
        self.calculated = [CalculatedValueRt(cv, self) for cv in model.calculated_values]
        from surveys.engine.triggers import TriggerRt

        self.triggers = [TriggerRt(t, self, i) for i, t in enumerate(model.triggers)]
        self.depended: dict[str, list[QuestionRt]] = {}
        for q in self.all_questions:
            src = getattr(q.d, "choices_from_question", "")
            if src:
                self.depended.setdefault(src, []).append(q)
        self._end_loading()

    # ------------------------------------------------------------------ construction
    def _build_elements(self, pdef: PanelDef, container: PanelRt) -> list[Any]:
        from surveys.engine.runtime.factory import create_question

        out: list[Any] = []
        for edef in pdef.elements:
            if isinstance(edef, PanelDef):
                panel = PanelRt(edef, self, self, container)
                self.all_panels.append(panel)
                panel.elements = self._build_elements(edef, panel)
                out.append(panel)
            elif isinstance(edef, QuestionDef):
                q = create_question(edef, self, self, container)
                self.all_questions.append(q)
                out.append(q)
        return out

    def build_nested_elements(
        self, pdef: PanelDef, container: PanelRt, data: Any, parent_question: QuestionRt
    ) -> list[Any]:
        """Elements of a dynamic panel or a detail panel: their data owner is ``data``."""
        from surveys.engine.runtime.factory import create_question

        out: list[Any] = []
        for edef in pdef.elements:
            if isinstance(edef, PanelDef):
                panel = PanelRt(edef, self, data, container, parent_question)
                panel.elements = self.build_nested_elements(edef, panel, data, parent_question)
                out.append(panel)
            elif isinstance(edef, QuestionDef):
                out.append(create_question(edef, self, data, container, parent_question))
        return out

    def _end_loading(self) -> None:
        """survey-core ``endLoadingFromJson``: defaults, conditions, the first page."""
        self.is_loading = False
        self.is_loading_from_json = False
        self.end_loading = "processing"
        for page in self.pages:
            page.on_survey_load()
        self.on_questions_on_page_mode_changed()
        self.end_loading = "conditions"
        self.run_conditions()
        self.end_loading = None
        for el in self._all_containers():
            el.is_visible_prop = el.is_visible()
        for q in self.all_questions:
            q.update_is_visible_prop()
        self.update_current_page()
        el = self.current_single_element
        if el is not None and el.page is not self.current_page:
            self.current_single_element = None
            self.set_current_single_element(el)

    def _all_containers(self) -> list[PanelRt]:
        return [*self.pages, *self.all_panels]

    # ------------------------------------------------------------------ messages / warnings
    @property
    def verne(self) -> bool:
        return self.messages == "verne"

    def message(self, key: str) -> str:
        return get_string(key, self.locale, self.messages)

    def warn(self, text: str) -> None:
        self.warnings.append(text)

    def warn_invalid_expression(self, compiled: Compiled, question: QuestionRt | None) -> None:
        extra = (
            f" It is used in the question: '{question.name}'."
            if question is not None and question.name
            else ""
        )
        self.warnings.append(f"Invalid expression: '{compiled.text}'.{extra}")

    # ------------------------------------------------------------------ expression plumbing
    def scope(self) -> Mapping[str, Any]:
        return self._scope

    def make_ctx(self, question: QuestionRt | None) -> Any:
        from surveys.engine.runtime.functions import make_eval_context

        return make_eval_context(self, question)

    def builtin_variable(self, low: str) -> Any:
        if low == "pageno":
            page = self.current_page
            return self.visible_pages().index(page) + 1 if page is not None else 0
        if low == "pagecount":
            return len(self.visible_pages())
        if low == "locale":
            return self.locale or "en"
        if low in ("questioncount",):
            return 0
        if low in (
            "correctedanswers",
            "correctanswers",
            "correctedanswercount",
            "incorrectedanswers",
            "incorrectanswers",
            "incorrectedanswercount",
        ):
            return 0
        return MISSING

    def can_skip_expression_by_keys(
        self, compiled: Compiled, keys: dict[str, Any], variables: Any
    ) -> bool:
        """``Base.canSkipExpressionByKeys`` for expressions whose data owner is the survey."""
        if compiled.has_const_function:
            return False
        vars_ = compiled.variables if variables is None else variables
        if not vars_:
            return False
        return not is_any_key_changed(keys, vars_)

    def get_value_changed_keys(self) -> dict[str, Any] | None:
        if not self.is_running_condition_on_value_changed:
            return None
        return self.question_triggers_keys

    # ------------------------------------------------------------------ data access (ISurveyData)
    @property
    def is_changing_via_default_value(self) -> bool:
        return False

    def get_value(self, name: str) -> Any:
        if not name:
            return None
        return deep_copy(self.values_hash.get(name, UNDEFINED))

    def get_comment(self, name: str) -> Any:
        res = self.get_value(name + self.settings.comment_suffix)
        return res if res not in (None, UNDEFINED, "") else ""

    def get_filtered_properties(self) -> dict[str, Any]:
        return {"survey": self}

    @property
    def data(self) -> dict[str, Any]:
        """``survey.data``: the values, plus calculated values with ``includeIntoResult``."""
        res = {k: v for k, v in self.values_hash.items() if v is not UNDEFINED}
        for cv in self.calculated:
            if cv.d.include_into_result and cv.d.name:
                v = self.get_variable(cv.d.name)
                if v is not UNDEFINED:
                    res[cv.d.name] = v
        return res

    def get_question_by_name(self, name: str, case_insensitive: bool = False) -> QuestionRt | None:
        q = self.questions_by_name.get(name)
        if q is None and case_insensitive:
            q = self.questions_by_name_lower.get(name.lower())
        return q

    def find_question_by_name(self, name: str) -> QuestionRt | None:
        return self.get_question_by_name(name)

    def get_question_by_value_name(
        self, name: str, case_insensitive: bool = False
    ) -> QuestionRt | None:
        qs = self.questions_by_value_name.get(name)
        if not qs and case_insensitive:
            qs = self.questions_by_value_name_lower.get(name.lower())
        return qs[0] if qs else None

    def get_questions_by_value_name(self, name: str) -> list[QuestionRt]:
        return self.questions_by_value_name.get(name, [])

    def get_page_by_name(self, name: str) -> PageRt | None:
        for p in self.pages:
            if p.name == name:
                return p
        return None

    def get_panel_by_name(self, name: str) -> PanelRt | None:
        for p in self.all_panels:
            if p.name == name:
                return p
        return None

    # ------------------------------------------------------------------ variables
    def get_variable(self, name: str) -> Any:
        if not name:
            return None
        low = name.lower()
        res = self.variables_hash.get(low, UNDEFINED)
        if not is_value_empty(res):
            return res
        if "." in low or "[" in low:
            from surveys.engine.runtime.keys import _value_from_object

            return _value_from_object(self.variables_hash, low)
        return res

    def set_variable(self, name: str, new_value: Any) -> None:
        if not name or name.lower() == "__proto__":
            return
        old_value = self.get_variable(name)
        self.values_hash.pop(name, None)
        low = name.lower()
        self.variables_hash[low] = new_value
        self.notify_elements_on_any_value_or_variable_changed(low)
        if not is_two_value_equals(old_value, new_value):
            changed = {low: {"newValue": new_value, "oldValue": old_value}}
            self.run_condition_on_values_changed({low: new_value}, low)
            self.check_triggers(changed, False, False, False, low)

    # ------------------------------------------------------------------ setting data
    def set_data(self, data: Mapping[str, Any] | None) -> None:
        """``survey.data = data``: no triggers, no conversion; conditions re-run."""
        self.values_hash = {}
        self.set_data_core(data, not data)

    def merge_data(self, data: Mapping[str, Any] | None) -> None:
        if not data:
            return
        new_data = self.data
        _merge_values(data, new_data)
        self.set_data_core(new_data)

    def set_data_core(self, data: Mapping[str, Any] | None, clear_data: bool = False) -> None:
        if clear_data:
            self.values_hash = {}
        if data:
            for key, val in data.items():
                k = key.strip() if isinstance(key, str) else key
                if k == "__proto__":
                    continue
                self.values_hash[k] = val
        self.is_setting_data = True
        self.update_all_questions_value(clear_data)
        marks = self._unchanged_marks()
        self.notify_all_questions_on_value_changed()
        self.notify_elements_on_any_value_or_variable_changed("")
        self.is_setting_data = False
        self.run_conditions()
        self.update_all_questions_value(clear_data, marks)

    def update_all_questions_value(
        self, clear_data: bool, unchanged: dict[int, tuple[Any, Any, Any]] | None = None
    ) -> None:
        values = self.values_hash
        suffix = self.settings.comment_suffix
        for q in self.all_questions:
            vn = q.value_name
            if unchanged is not None:
                mark = unchanged.get(id(q))
                if (
                    mark is not None
                    and values.get(vn, UNDEFINED) is mark[0]
                    and q.question_value is mark[1]
                    and values.get(vn + suffix, UNDEFINED) is mark[2]
                ):
                    # survey-core updates every question again after running the conditions;
                    # for a question whose data, value and comment are the very same objects
                    # (primitives) and whose update depends on nothing else, that is a no-op
                    continue
            q.update_value_from_survey(self.get_value(vn), clear_data)
            if q.requires_update_comment_value:
                q.update_comment_from_survey(self.get_comment(vn))

    def _unchanged_marks(self) -> dict[int, tuple[Any, Any, Any]]:
        values = self.values_hash
        suffix = self.settings.comment_suffix
        marks: dict[int, tuple[Any, Any, Any]] = {}
        for q in self.all_questions:
            vn = q.value_name
            dv = values.get(vn, UNDEFINED)
            qv = q.question_value
            if (
                type(dv) in _PRIMITIVES
                and type(qv) in _PRIMITIVES
                and q.stable_update_from_survey()
            ):
                marks[id(q)] = (dv, qv, values.get(vn + suffix, UNDEFINED))
        return marks

    def notify_all_questions_on_value_changed(self) -> None:
        for q in self.all_questions:
            q.on_survey_value_changed(self.get_value(q.value_name))

    def notify_elements_on_any_value_or_variable_changed(
        self, name: str, question_name: str | None = None
    ) -> None:
        if self.end_loading == "processing":
            return
        if self.is_running_conditions:
            self.condition_notify_elements = True
            return
        for q in self.all_questions:
            q.on_any_value_changed(name, question_name)

    # ------------------------------------------------------------------ setValue
    def set_value(
        self,
        name: str,
        new_question_value: Any,
        loc_notification: Any = False,
        allow_notify_value_changed: bool = True,
        question_name: str | None = None,
    ) -> None:
        """``survey.setValue``: writes data, re-runs dependent conditions, runs triggers."""
        new_value = new_question_value
        if self.is_validate_on_value_changing and not self.validate_on_value_changing(
            name, new_value
        ):
            return
        if self.is_value_equal(name, new_value) and base_equals(new_value, new_question_value):
            return
        old_value = self.get_value(name)
        if is_value_empty(new_value):
            self.values_hash.pop(name, None)
        else:
            new_value = deep_copy(new_value)
            self.values_hash[name] = new_value
        if loc_notification is False and is_two_value_equals(
            new_value, old_value, False, True, False
        ):
            loc_notification = True
        self.update_on_set_value(
            name, new_value, old_value, loc_notification, allow_notify_value_changed, question_name
        )

    def is_value_equal(self, name: str, new_value: Any) -> bool:
        if new_value == "" or new_value is UNDEFINED:
            new_value = None
        old_value = self.get_value(name)
        if old_value == "" or old_value is UNDEFINED:
            old_value = None
        if new_value is None or old_value is None:
            return new_value is None and old_value is None
        return base_equals(new_value, old_value)

    def update_on_set_value(
        self,
        name: str,
        new_value: Any,
        old_value: Any,
        loc_notification: Any = False,
        allow_notify_value_changed: bool = True,
        question_name: str | None = None,
    ) -> None:
        self.update_question_value(name, new_value)
        if loc_notification is True:
            return
        question_name = question_name or name
        self.notify_question_hash[name] = True
        self.check_triggers_and_run_conditions(name, new_value, old_value)
        if self.notify_question_hash.get(name):
            if allow_notify_value_changed:
                self.notify_question_on_value_changed(name, new_value, question_name)
            self.notify_question_hash.pop(name, None)

    def update_question_value(self, value_name: str, new_value: Any) -> None:
        if self.is_loading:
            return
        for q in self.get_questions_by_value_name(value_name):
            q_value = q.value
            if not base_equals(q_value, new_value):
                q.update_value_from_survey(new_value, False)

    def notify_question_on_value_changed(
        self, value_name: str, new_value: Any, question_name: str | None
    ) -> None:
        if self.is_loading:
            return
        for q in self.get_questions_by_value_name(value_name):
            self.validate_question_on_value_changed(q)
            q.on_survey_value_changed(new_value)
        self.notify_elements_on_any_value_or_variable_changed(value_name, question_name)

    def validate_question_on_value_changed(self, question: QuestionRt) -> None:
        if self.is_navigation_button_pressed:
            return
        if self.is_validate_on_value_changed or question.get_all_errors():
            self.validate_question_on_value_changed_core(question)
            return
        parent = question.parent
        while parent is not None:
            if parent.errors:
                parent.validate_container_only()
                return
            parent = parent.parent

    def validate_question_on_value_changed_core(self, question: QuestionRt) -> bool:
        return question.validate(True, not self.is_validate_on_value_changing)

    def validate_on_value_changing(self, value_name: str, new_value: Any) -> bool:
        if self.is_loading:
            return False
        qs = self.get_questions_by_value_name(value_name)
        if not qs:
            return False
        res = True
        for q in qs:
            if not base_equals(q.value_for_survey(), new_value):
                q.value = new_value
            res = self.validate_question_on_value_changed_core(q) and res and not q.errors
        return res

    def set_comment(self, name: str, new_value: Any, loc_notification: Any = False) -> None:
        if not new_value:
            new_value = ""
        if base_equals(new_value, self.get_comment(name)):
            return
        comment_name = name + self.settings.comment_suffix
        old_value = self.get_comment(name)
        if loc_notification is False and is_two_value_equals(
            new_value, old_value, False, True, False
        ):
            loc_notification = True
        if is_value_empty(new_value):
            self.values_hash.pop(comment_name, None)
        else:
            self.values_hash[comment_name] = new_value
        for q in self.get_questions_by_value_name(name):
            q.update_comment_from_survey(new_value)
            self.validate_question_on_value_changed(q)
        if not loc_notification:
            self.check_triggers_and_run_conditions(comment_name, new_value, old_value, name)
        question = self.get_question_by_value_name(name)
        if question is not None:
            question.comment = new_value
            if question.comment != new_value:
                question.comment = new_value

    def clear_value(self, name: str) -> None:
        self.set_value(name, None)
        self.set_comment(name, None)

    # ------------------------------------------------------------------ conditions
    def check_triggers_and_run_conditions(
        self, name: str, new_value: Any, old_value: Any, related_name: str | None = None
    ) -> None:
        trigger_keys: dict[str, Any] = {name: {"newValue": new_value, "oldValue": old_value}}
        if related_name:
            related_value = self.get_value(related_name)
            trigger_keys[related_name] = {"newValue": related_value, "oldValue": related_value}
            if self.question_triggers_keys is None:
                self.question_triggers_keys = {}
            self.question_triggers_keys[related_name] = related_value
        self.run_condition_on_value_changed(name, new_value)
        self.check_triggers(trigger_keys, False, False, False, related_name or name)

    def run_condition_on_value_changed(self, name: str, value: Any) -> None:
        self.run_condition_on_values_changed({name: value}, name)

    def run_condition_on_values_changed(self, values: dict[str, Any], name: str | None) -> None:
        if self.question_triggers_keys is None:
            self.question_triggers_keys = {}
        for k, v in values.items():
            self.question_triggers_keys[k] = v
        if self.is_running_conditions:
            self.is_value_changed_on_running_condition = True
        else:
            self.is_running_condition_on_value_changed = True
            self.run_conditions()
            self.is_running_condition_on_value_changed = False
            self.run_questions_triggers(name, values.get(name) if name else UNDEFINED)
            self.question_triggers_keys = None

    def run_conditions(self) -> None:
        if self.is_completed or self.end_loading == "processing" or self.is_running_conditions:
            return
        self.is_running_conditions = True
        self.run_conditions_core()
        self.is_running_conditions = False
        if (
            self.is_value_changed_on_running_condition
            and self.condition_runner_counter < self.settings.max_condition_run_count
        ):
            self.is_value_changed_on_running_condition = False
            self.condition_runner_counter += 1
            if not self.is_running_condition_on_value_changed and self.question_triggers_keys:
                # survey-core re-runs every condition because a value changed while they ran
                # (an expression question, a calculated value ...). Only expressions reading
                # one of the changed values can give a different result, so the re-run is keyed
                # like a value-change run (same skipping rules: functions without variable
                # arguments and everything that is not visibleIf/enableIf/requiredIf/expression
                # always run).
                self.is_running_condition_on_value_changed = True
                try:
                    self.run_conditions()
                finally:
                    self.is_running_condition_on_value_changed = False
                    self.question_triggers_keys = None
            else:
                self.run_conditions()
        else:
            self.is_value_changed_on_running_condition = False
            self.condition_runner_counter = 0
            if self.condition_notify_elements:
                self.condition_notify_elements = False
                self.notify_elements_on_any_value_or_variable_changed("")
            if not self.is_running_condition_on_value_changed:
                self.question_triggers_keys = None

    def run_conditions_core(self) -> None:
        for cv in self.calculated:
            cv.is_calculated = False
        for cv in self.calculated:
            cv.do_calculation(self.calculated)
        for page in self.pages:
            page.run_condition()

    def run_questions_triggers(self, name: str | None, value: Any) -> None:
        if self.is_display_mode:
            return
        keys = self.question_triggers_keys
        for q in self.all_questions:
            q.run_triggers(name, value, keys)

    def start_set_value_on_expression(self) -> None:
        self.set_value_on_expression_counter += 1

    def finish_set_value_on_expression(self) -> None:
        self.set_value_on_expression_counter -= 1

    # ------------------------------------------------------------------ triggers
    def check_triggers(
        self,
        key: dict[str, Any],
        is_on_next_page: bool,
        is_on_complete: bool = False,
        is_on_navigation: bool = False,
        name: str | None = None,
    ) -> None:
        if self.is_completed or not self.triggers or self.is_display_mode:
            return
        if self.is_trigger_running:
            for k, v in key.items():
                self.trigger_keys[k] = v
            return
        is_question_invalid = False
        if not is_on_complete and name and self.has_required_valid_question_trigger():
            q = self.get_question_by_value_name(name)
            is_question_invalid = q is not None and not q.validate(False)
        self.is_trigger_running = True
        self.trigger_keys = key
        original_keys = dict(self.trigger_keys)
        for _ in range(3):
            for trigger in self.triggers:
                if is_question_invalid and trigger.require_valid_question():
                    continue
                trigger.check_expression(
                    is_on_next_page, is_on_complete, is_on_navigation, self.trigger_keys
                )
            if self.is_completed or _keys_equal(original_keys, self.trigger_keys):
                break
            self.trigger_keys = _create_diff(self.trigger_keys, original_keys)
            original_keys = dict(self.trigger_keys)
        self.is_trigger_running = False

    def has_required_valid_question_trigger(self) -> bool:
        return any(t.require_valid_question() for t in self.triggers)

    def set_trigger_value(self, name: str, value: Any, is_variable: bool) -> None:
        if not name:
            return
        if is_variable:
            self.set_variable(name, value)
            return
        self.set_value_from_trigger_counter += 1
        try:
            q = self._question_for_trigger_path(name)
            if q is not None:
                q.value = value
            elif "." not in name:
                self.set_value(name, value)
        finally:
            self.set_value_from_trigger_counter -= 1

    def _question_for_trigger_path(self, name: str) -> QuestionRt | None:
        q = self.get_question_by_value_name(name, True)
        if q is not None:
            return q
        return None

    def copy_trigger_value(self, name: str, from_name: str, copy_display_value: bool) -> None:
        if not name or not from_name:
            return
        from surveys.engine.textproc import get_value_info

        found, value = get_value_info(self, from_name, is_text=copy_display_value)
        if found:
            self.set_trigger_value(name, deep_copy(value), False)

    def can_be_completed(self, trigger: Any, is_completed: bool) -> None:
        if not self.settings.change_navigation_buttons_on_complete:
            return
        if is_completed:
            self.completed_by_triggers[trigger.uid] = (trigger, self.current_page)
        else:
            self.completed_by_triggers.pop(trigger.uid, None)

    @property
    def can_be_completed_by_trigger(self) -> bool:
        if not self.completed_by_triggers:
            return False
        page = self.current_page
        if page is None:
            return True
        return any(p is page for _t, p in self.completed_by_triggers.values())

    def completed_trigger(self) -> Any:
        if not self.can_be_completed_by_trigger:
            return None
        return next(iter(self.completed_by_triggers.values()))[0]

    def set_completed(self, trigger: Any) -> None:
        self.do_complete(True, trigger)

    def focus_question(self, name: str) -> bool:
        """The skip trigger: ``survey.focusQuestion(gotoName)``."""
        q = self.get_question_by_name(name, True)
        if q is None:
            return False
        return self.focus_question_by_instance(q)

    def get_objects(self, pages: tuple[str, ...], questions: tuple[str, ...]) -> list[Any]:
        res: list[Any] = []
        for n in pages:
            p = self.get_page_by_name(n)
            if p is not None:
                res.append(p)
        for n in questions:
            q = self.get_question_by_name(n)
            if q is not None:
                res.append(q)
        return res

    # ------------------------------------------------------------------ visibility callbacks
    def question_visibility_changed(self, question: QuestionRt, new_value: bool) -> None:
        if not new_value and self.current_single_element is not None:
            self.change_current_single_element_on_visibility_changed()

    def panel_visibility_changed(self, panel: PanelRt, new_value: bool) -> None:
        if not new_value and self.current_single_element is not None and panel.page is not None:
            self.change_current_single_element_on_visibility_changed()

    def page_visibility_changed(self, page: PanelRt, new_value: bool) -> None:
        if self.is_loading:
            return
        if (new_value and self.current_page is None) or page is self.current_page:
            self.update_current_page()
        if self.current_single_element is not None:
            if not new_value:
                self.change_current_single_element_on_visibility_changed()
            el = self.current_single_element
            cur = self.current_page
            if el is not None and cur is not None and el.page is not cur:
                first = next((e for e in cur.elements if e.is_visible()), None)
                self.set_current_single_element(first)

    def update_depended_questions(self, question: QuestionRt) -> None:
        deps = self.depended.get(question.name)
        if not deps:
            return
        for dq in deps:
            if dq is not question:
                dq.update_depended_question()  # type: ignore[attr-defined]  # select questions only

    def has_visible_question_by_value_name(self, question: QuestionRt) -> bool:
        qs = self.get_questions_by_value_name(question.value_name)
        if len(qs) < 2:
            return False
        for q in qs:
            if (
                q is not question
                and q.is_visible()
                and q.is_parent_visible()
                and q.parent_question is None
                and q.parent_question is question.parent_question
            ):
                return True
        return False

    def get_question_clear_if_invisible(self, question_clear_if: str) -> str:
        if question_clear_if != "default":
            return question_clear_if
        return self.clear_invisible_values

    # ------------------------------------------------------------------ pages and navigation
    def start_page(self) -> PageRt | None:
        if self.model.first_page_is_start_page and len(self.pages) > 1:
            return self.pages[0]
        return None

    def is_page_in_visible_list(self, page: PanelRt) -> bool:
        return page.is_visible() and not page.is_start_page()

    def visible_pages(self) -> list[PageRt]:
        if self.page_container is not None:
            return [self.page_container]
        return [p for p in self.pages if self.is_page_in_visible_list(p)]

    def first_visible_page(self) -> PageRt | None:
        if self.page_container is not None:
            return self.page_container
        for p in self.pages:
            if self.is_page_in_visible_list(p):
                return p
        return None

    def last_visible_page(self) -> PageRt | None:
        if self.page_container is not None:
            return self.page_container
        for p in reversed(self.pages):
            if self.is_page_in_visible_list(p):
                return p
        return None

    def is_current_page_available(self) -> bool:
        page = self.current_page
        if page is None:
            return False
        if self.page_container is not None:
            return page is self.page_container
        return self.is_page_in_visible_list(page)

    # ------------------------------------------------------------------ questionsOnPageMode
    @property
    def is_single_page(self) -> bool:
        return self.questions_on_page_mode == "singlePage"

    @property
    def is_single_visible_input(self) -> bool:
        return self.questions_on_page_mode == "inputPerPage"

    @property
    def is_single_visible_question(self) -> bool:
        return (
            self.questions_on_page_mode in ("questionPerPage", "questionOnPage")
            or self.is_single_visible_input
        )

    def on_questions_on_page_mode_changed(self) -> None:
        """``onQuestionsOnPageModeChanged`` at the end of loading."""
        self.skipped_pages = []
        self.current_single_element = None
        if self.is_single_page:
            self._build_page_container()
        if self.is_single_visible_question:
            els = self.get_single_elements()
            if els:
                # still loading: the page follows in update_current_page()
                self.current_single_element = self._top_element(els[0])

    def _build_page_container(self) -> None:
        # survey-core moves the (non-start) pages into one page named "single-page"; inside it
        # they behave as panels, so every question's page is the container
        from surveys.engine.model import PageDef

        container = PageRt(PageDef({"name": "single-page"}, "single-page"), self, self, None)
        for page in self.pages:
            if not page.is_start_page():
                page.parent = container
                page.is_page = False
                container.elements.append(page)
        self.page_container = container
        self.current_page = None

    def get_single_elements(self, include: Any = None) -> list[Any]:
        """The elements questionPerPage steps through: top-level elements of visible pages
        (questions for inputPerPage)."""
        res: list[Any] = []
        for page in self.pages:
            if page.is_start_page() or not page.is_visible():
                continue
            els = page.visible_questions_deep() if self.is_single_visible_input else page.elements
            for el in els:
                if el is include or el.is_visible():
                    res.append(el)
        return res

    def set_current_single_element(self, val: Any) -> None:
        """``currentSingleElement = val``: a question inside a panel selects the top-level panel."""
        val = self._top_element(val)
        if val is self.current_single_element or self.is_completed:
            return
        self.current_single_element = val
        if val is not None:
            page = val.page
            if page is not None and page is not self.current_page:
                self.set_current_page(page)

    def _top_element(self, val: Any) -> Any:
        if (
            val is not None
            and not val.is_panel
            and self.questions_on_page_mode in ("questionPerPage", "questionOnPage")
        ):
            while val.parent is not None and val.parent.is_panel and not val.parent.is_page:
                val = val.parent
        return val

    def change_current_single_element_on_visibility_changed(self) -> None:
        el = self.current_single_element
        if el is None or el.is_visible():
            return
        els = self.get_single_elements(el)
        index = els.index(el) if el in els else -1
        if index > 0:
            new_el = els[index - 1]
        elif index < len(els) - 1:
            new_el = els[index + 1]
        else:
            new_el = None
        self.set_current_single_element(new_el)

    def _single_element_pos(self) -> tuple[bool | None, bool | None]:
        q = self.current_single_element
        if q is None:
            return None, None
        els = self.get_single_elements()
        if q not in els:
            return None, None
        index = els.index(q)
        return index == 0, index == len(els) - 1

    def perform_next(self) -> bool:
        q = self.current_single_element
        self.is_navigation_button_pressed = False
        if not self.validation_enabled:
            self.perform_next_after_validation(q)
            return True
        from surveys.engine.errors import ValidationContext

        ctx = ValidationContext(fire_callback=True, focus_on_first_error=False)
        q.validate_element(ctx)
        if ctx.result:
            self.perform_next_after_validation(q)
        return ctx.result

    def perform_next_after_validation(self, q: Any) -> None:
        els = self.get_single_elements()
        if q not in els or els.index(q) == len(els) - 1:
            return
        index = els.index(q)
        if q.is_panel:
            keys: dict[str, Any] = {
                x.get_value_name(): x.value for x in q.questions if not x.is_empty()
            }
        else:
            keys = {q.name: q.value}
        self.check_triggers(keys, True, False, True, q.name)
        if q is self.current_single_element:
            self.set_current_single_element(els[index + 1])

    def update_current_page(self) -> None:
        if self.is_current_page_available():
            return
        self.set_current_page(self.first_visible_page())

    def set_current_page(self, new_page: PageRt | None) -> None:
        """``survey.currentPage = page``: only to a visible page."""
        if self.is_loading:
            return
        if new_page is None and self.is_current_page_available():
            return
        if new_page is not None and new_page not in self.visible_pages():
            return
        if new_page is self.current_page:
            return
        cur_el = self.current_single_element
        if cur_el is not None and new_page is not None and new_page is not cur_el.page:
            # questionPerPage: moving to a page means moving to its first visible element
            first = next((el for el in new_page.elements if el.is_visible()), None)
            self.set_current_single_element(first)
            return
        old = self.current_page
        self.current_page = new_page
        if new_page is not None:
            new_page.on_first_rendering()
        self.current_page_changed(new_page, old)

    def current_page_changed(self, new_page: PageRt | None, old_page: PageRt | None) -> None:
        if old_page is not None:
            for q in old_page.questions:
                q.on_hiding_content()
            if not old_page.passed and old_page.validate(False):
                old_page.passed = True

    @property
    def state(self) -> str:
        if self.is_completed:
            return "completed"
        # isStartedState is fixed at the end of loading (firstPageIsStartPage with 2+ pages)
        # and only cleared by start(); survey-core still reports the first non-start page as
        # currentPage meanwhile.
        if self.is_started_state and not self.is_display_mode and self.start_page() is not None:
            return "starting"
        return "running" if self.current_page is not None else "empty"

    def is_first_page(self) -> bool:
        cur = self.current_page
        if cur is None or cur is not self.first_visible_page():
            return False
        first, _ = self._single_element_pos()
        return self.current_single_element is None or first is True

    def is_last_page(self) -> bool:
        """``survey.isLastPage``: the current page is the last visible page (and, in
        questionPerPage mode, the current element is the last one)."""
        cur = self.current_page
        if cur is None or cur is not self.last_visible_page():
            return False
        _, last = self._single_element_pos()
        return self.current_single_element is None or last is True

    @property
    def is_validate_on_value_changing(self) -> bool:
        return self.check_errors_mode == "onValueChanging"

    @property
    def is_validate_on_value_changed(self) -> bool:
        return self.check_errors_mode == "onValueChanged"

    @property
    def is_validate_on_complete(self) -> bool:
        return self.check_errors_mode == "onComplete"

    def next_page(self) -> bool:
        """``survey.nextPage()``: validates the current page and moves to the next visible page."""
        if self.current_single_element is not None:
            return self.perform_next()
        if self.is_last_page():
            return False
        return self.do_current_page_complete(False)

    def prev_page(self) -> bool:
        if self.is_first_page() or self.state == "starting":
            return False
        self.is_navigation_button_pressed = False
        cur_el = self.current_single_element
        if self._do_skip_on_prev_page(cur_el):
            return True
        if cur_el is not None:
            els = self.get_single_elements()
            index = els.index(cur_el) if cur_el in els else -1
            if index <= 0:
                return False
            self.set_current_single_element(els[index - 1])
            return True
        vpages = self.visible_pages()
        cur = self.current_page
        if cur is None or cur not in vpages:
            return False
        index = vpages.index(cur)
        if index - 1 < 0:
            return False
        self.set_current_page(vpages[index - 1])
        return True

    def _do_skip_on_prev_page(self, cur_el: Any) -> bool:
        to_el = cur_el if cur_el is not None else self.current_page
        for i, (frm, to) in enumerate(self.skipped_pages):
            if to is to_el:
                del self.skipped_pages[i]
                if frm.is_visible():
                    if cur_el is not None:
                        self.set_current_single_element(frm)
                    else:
                        self.set_current_page(frm)
                    return True
                return False
        return False

    def try_complete(self) -> bool:
        """``survey.tryComplete()``: validates the current page, completes **from any page**."""
        self.do_current_page_complete(True)
        return self.is_completed

    def do_current_page_complete(self, do_complete: bool) -> bool:
        self.is_navigation_button_pressed = False
        return self.validate_on_navigate(do_complete) is True

    def validate_on_navigate(self, do_complete: bool) -> bool:
        skip_validation = (not self.validation_enabled or self.is_display_mode) or (
            not do_complete and self.is_validate_on_complete
        )

        def do_func() -> None:
            self.do_current_page_complete_core(do_complete)

        if skip_validation:
            do_func()
            return True
        if self.is_validate_on_complete:
            if not self.is_last_page():
                do_func()
                return True
            ok = self.validate_all(fire_callback=True, change_current_page=True)
            if ok:
                do_func()
            return ok
        ok = self.validate_page(None)
        if ok:
            do_func()
        return ok

    def do_current_page_complete_core(self, do_complete: bool) -> None:
        if do_complete:
            if self.current_page is not None:
                self.current_page.passed = True
            self.do_complete(self.can_be_completed_by_trigger, self.completed_trigger())
            return
        self.do_next_page()

    def do_next_page(self) -> None:
        cur = self.current_page
        self.check_on_page_triggers(False)
        if not self.is_completed:
            if cur is self.current_page:
                vpages = self.visible_pages()
                if cur in vpages:
                    i = vpages.index(cur)
                    if i + 1 < len(vpages):
                        self.set_current_page(vpages[i + 1])
        else:
            self.do_complete(True)

    def check_on_page_triggers(self, is_on_complete: bool) -> None:
        page = self.current_page
        values: dict[str, Any] = {}
        if page is not None:
            for q in page.questions:
                if not q.name:
                    continue
                vn = q.value_name
                values[vn] = self.get_value(vn)
        for cv in self.calculated:
            values[cv.d.name] = cv.value
        self.check_triggers(values, True, is_on_complete)

    def do_complete(
        self, is_complete_on_trigger: bool = False, complete_trigger: Any = None
    ) -> bool:
        """``survey.doComplete()``: completes without validation; clears invisible values."""
        if self.is_completed:
            return False
        self.check_on_page_triggers(True)
        if self.current_page is not None:
            for q in self.current_page.questions:
                q.on_hiding_content()
        self.is_completed = True
        self.clear_unused_values()
        return True

    def clear_unused_values(self) -> None:
        for q in self.all_questions:
            q.clear_unused_values()
        reason = "none" if self.clear_invisible_values == "none" else "onComplete"
        for q in self.all_questions:
            q.clear_value_if_invisible(reason)

    # ------------------------------------------------------------------ validation
    def start(self) -> bool:
        """``survey.start()``: leave the start page (firstPageIsStartPage) if it is valid."""
        start_page = self.start_page()
        if not self.model.first_page_is_start_page or start_page is None:
            return False
        if not start_page.validate(True, True):
            return False
        self.is_started_state = False
        for q in start_page.questions:
            q.on_hiding_content()
        self.set_current_page(self.first_visible_page())
        return True

    def validate_page(self, page: PanelRt | None) -> bool:
        """``survey.validatePage(page)`` (``None``: the current page); focuses the first error,
        which makes its page current."""
        if page is None:
            page = self.active_page()
        if page is None:
            return True
        return page.validate(True, True)

    def active_page(self) -> PageRt | None:
        """``activePage``: the start page while the survey is starting, else the current page."""
        if self.state == "starting":
            return self.start_page()
        return self.current_page

    def validate_all(
        self,
        fire_callback: bool = True,
        change_current_page: bool = False,
        focus_first_error: bool = True,
    ) -> bool:
        """``survey.validate(fireCallback, focusOnFirstError, ..., changeCurrentPage)``."""
        from surveys.engine.errors import ValidationContext

        ctx = ValidationContext(
            fire_callback=fire_callback,
            focus_on_first_error=focus_first_error,
            change_current_page=change_current_page,
        )
        for page in self.visible_pages():
            page.validate_element(ctx)
        return ctx.result

    def focus_question_by_instance(self, q: QuestionRt) -> bool:
        """survey-core ``focusQuestionByInstance`` (headless: the focus stays pending)."""
        if not q.is_visible() or q.page is None:
            return False
        if self.focusing_question is q:
            return False
        self.focusing_question = q
        page = q.page
        cur_el = self.current_single_element
        frm = cur_el if cur_el is not None else self.current_page
        if frm is not None:
            self.skipped_pages.append((frm, q if cur_el is not None else page))
        wait_for_page = self.active_page() is not page and not page.is_start_page()
        if wait_for_page:
            self.set_current_page(page)
        if self.is_single_visible_question:
            self.set_current_single_element(q)
        if not wait_for_page:
            self.focusing_question = None
        return True

    def page_errors(self, page: PanelRt) -> list[SurveyError]:
        return list(page.errors)

    def message_locale(self) -> str:
        return self.locale


def _nested_errors(q: QuestionRt) -> list[SurveyError]:
    out: list[SurveyError] = []
    for nq in q.nested_questions():
        out.extend(nq.errors)
    return out


def _merge_values(src: Mapping[str, Any], dest: dict[str, Any]) -> None:
    for key, val in src.items():
        if isinstance(val, dict):
            d = dest.get(key)
            if not isinstance(d, dict):
                d = {}
                dest[key] = d
            _merge_values(val, d)
        else:
            dest[key] = val


def _keys_equal(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return is_two_value_equals(a, b)


def _create_diff(changed: dict[str, Any], original: dict[str, Any]) -> dict[str, Any]:
    res: dict[str, Any] = {}
    for k, v in changed.items():
        if not is_two_value_equals(v, original.get(k, UNDEFINED)):
            res[k] = v
    return res


__all__ = [
    "SELECT_TYPES",
    "CalculatedValueRt",
    "ElementDef",
    "RunSettings",
    "SurveyRun",
    "ci_get",
    "math",
]
