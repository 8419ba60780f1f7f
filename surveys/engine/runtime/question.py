"""Questions at run time: value lifecycle, conditions, defaults, clearing and validation.

This follows survey-core's ``Question`` closely (method names are kept in snake_case so the two
can be read side by side): a question holds its own value (``question_value``) and writes it to
its *data owner* (the survey, a dynamic-panel item, a matrix row, a multiple-text question).
The two usually agree; they differ where survey-core lets them differ (a number outside
``min``/``max`` is kept on the question but not written to data).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, ClassVar

from surveys.engine.errors import SurveyError
from surveys.engine.jsutil import (
    UNDEFINED,
    base_equals,
    deep_copy,
    get_number,
    is_number,
    is_value_empty,
    is_value_empty_trim,
    js_to_number,
    js_truthy,
    num_value,
    number_to_string,
    to_js_string,
)
from surveys.engine.model import (
    BooleanDef,
    ExpressionQDef,
    QuestionDef,
    RatingDef,
    TextDef,
    loc_text,
)
from surveys.engine.runtime.scope import LayeredScope

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from surveys.engine.exprs import Compiled
    from surveys.engine.runtime.element import PanelRt
    from surveys.engine.runtime.survey import SurveyRun


class QuestionRt:
    """survey-core ``Question``."""

    is_question: ClassVar[bool] = True
    is_panel: ClassVar[bool] = False
    is_page: ClassVar[bool] = False
    is_value_array: ClassVar[bool] = False
    is_select: ClassVar[bool] = False

    def __init__(
        self,
        d: QuestionDef,
        run: SurveyRun,
        data: Any,
        parent: PanelRt | None,
        parent_question: QuestionRt | None = None,
    ) -> None:
        self.d = d
        self.run = run
        self.data = data
        self.parent = parent
        self.parent_question = parent_question
        self.name = d.name
        self.value_name = d.value_name
        self.visible = d.visible
        self.read_only = d.read_only
        self.is_required = d.is_required
        self.question_value: Any = UNDEFINED
        self.question_comment: Any = UNDEFINED
        self.is_value_changed_directly = False
        self.is_changing_via_default_value = False
        self.is_setting_question_value = False
        self.is_updating_value_from_survey = False
        self.is_value_changed_in_survey = False
        self.allow_notify_value_changed = True
        self.is_old_answered: bool | None = None
        self.is_answered = False
        self.errors: list[SurveyError] = []
        self._validation_deps: list[str] | None = None
        self.is_visible_prop: bool | None = None
        self.running_props: set[str] = set()
        self.prev_other_error_value: Any = None
        self.read_only_callback: Callable[[], bool] | None = None
        self.was_rendered = False
        self._ctx: Any = None

    # ------------------------------------------------------------------ identity / helpers
    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"

    @property
    def type(self) -> str:
        return self.d.type

    def get_value_name(self) -> str:
        return self.value_name

    @property
    def survey(self) -> SurveyRun:
        return self.run

    @property
    def page(self) -> Any:
        if self.parent_question is not None:
            return self.parent_question.page
        p = self.parent
        while p is not None and not p.is_page:
            p = p.parent
        return p

    def loc(self) -> str:
        return self.run.locale

    def message(self, key: str) -> str:
        return self.run.message(key)

    # ------------------------------------------------------------------ expressions
    def scope(self) -> Mapping[str, Any]:
        """survey-core ``QuestionValueGetterContext``: own object value, ``panel``, then the data owner."""
        base: Mapping[str, Any] = self.data.scope()
        local: dict[str, Any] | None = None
        parent = self.parent
        if parent is not None and parent.is_panel and not parent.is_page:
            local = {"panel": parent.questions_value_view()}
        val = self.question_value
        if isinstance(val, dict) and val and not self.is_empty():
            local = dict(val) if local is None else {**val, **local}
        if local is None:
            return base
        return LayeredScope(local, base)

    def eval_ctx(self) -> Any:
        ctx = self._ctx
        if ctx is None:
            ctx = self.run.make_ctx(self)
            self._ctx = ctx
        return ctx

    def run_expression_by_property(
        self,
        prop: str,
        compiled: Compiled | None,
        on_execute: Callable[[Any], None],
        can_run: Callable[[Compiled], bool] | None = None,
    ) -> bool:
        """survey-core ``Base.runExpressionByProperty`` (False when there is nothing to run)."""
        if compiled is None:
            return False
        if prop in self.running_props:
            return True
        if can_run is not None and not can_run(compiled):
            return True
        if not compiled.ok:
            self.run.warn_invalid_expression(compiled, self)
            return False
        self.running_props.add(prop)
        try:
            res = compiled.evaluate(self.scope(), self.eval_ctx())
            on_execute(res)
        finally:
            self.running_props.discard(prop)
        return True

    def can_skip(self, compiled: Compiled) -> bool:
        """survey-core ``canSkipRunningExpression``: no input of the expression changed."""
        keys = self.run.get_value_changed_keys()
        if keys is None:
            return False
        return bool(self.data.can_skip_expression_by_keys(compiled, keys, None))

    def run_condition_item(
        self,
        prop: str,
        compiled: Compiled | None,
        on_execute: Callable[[Any], None],
        *,
        strict: bool,
    ) -> None:
        if compiled is None:
            return
        if strict and self.can_skip(compiled):
            return
        self.run_expression_by_property(prop, compiled, on_execute)

    def run_condition(self) -> None:
        """``Question.runCondition``: visibleIf/enableIf/requiredIf, then the default expression."""
        self.run_condition_core()
        if (
            self.d.default_value_expression is not None
            and not self.is_value_changed_directly
            and (not self.is_clear_value_on_hidden() or self.is_visible_in_survey())
        ):
            self.run_default_value_expression()

    def run_condition_core(self) -> None:
        d = self.d
        if d.visible_if is not None:
            self.run_condition_item("visibleIf", d.visible_if, self._on_visible_if, strict=True)
        if d.enable_if is not None:
            self.run_condition_item("enableIf", d.enable_if, self._on_enable_if, strict=True)
        if d.required_if is not None:
            self.run_condition_item("requiredIf", d.required_if, self._on_required_if, strict=True)

    # survey-core: ``visible = res === true``, ``readOnly = res === false``, ``isRequired = res === true``
    # (strict: a visibleIf that evaluates to 1 hides the element).
    def _on_visible_if(self, res: Any) -> None:
        self.set_visible(res is True)

    def _on_enable_if(self, res: Any) -> None:
        self.set_read_only(res is False)

    def _on_required_if(self, res: Any) -> None:
        self.set_is_required(res is True)

    # ------------------------------------------------------------------ visibility
    def is_visible_core(self) -> bool:
        return self.visible

    def is_visible(self) -> bool:
        return self.is_visible_core()

    def is_parent_visible(self) -> bool:
        pq = self.parent_question
        if pq is not None and not pq.is_visible():
            return False
        p = self.parent
        while p is not None:
            if not p.is_visible():
                return False
            p = p.parent
        return True

    def is_visible_in_survey(self) -> bool:
        return self.is_visible() and self.is_parent_visible()

    def set_visible(self, val: bool) -> None:
        if self.visible == val:
            return
        self.visible = val
        self.on_visible_changed_core()
        self.notify_survey_visibility_changed()
        if self.parent is not None:
            self.parent.on_element_visibility_changed(self)

    def update_is_visible_prop(self) -> None:
        val = self.is_visible()
        if self.is_visible_prop != val:
            self.is_visible_prop = val

    def on_visible_changed_core(self) -> None:
        self.update_is_visible_prop()
        if not self.is_visible() and self.errors:
            self.errors = []

    def on_visible_changed(self) -> None:
        """Visibility may have changed without ``visible`` changing (choices, parent)."""
        prev = self.is_visible_prop
        self.on_visible_changed_core()
        if prev is not None and prev != self.is_visible_prop:
            self.notify_survey_visibility_changed()
            if self.parent is not None:
                self.parent.on_element_visibility_changed(self)

    def can_update_value_on_visible_changed(self) -> bool:
        return not self.run.is_loading and not self.run.is_setting_data

    def notify_survey_visibility_changed(self) -> None:
        if not self.can_update_value_on_visible_changed():
            return
        self.run.question_visibility_changed(self, self.is_visible())
        is_clear_on_hidden = self.is_clear_value_on_hidden()
        if not self.visible:
            self.clear_value_on_hidding(is_clear_on_hidden)
        if is_clear_on_hidden and self.is_visible_in_survey():
            self.update_value_with_defaults()

    def clear_value_on_hidding(self, is_clear_on_hidden: bool) -> None:
        if is_clear_on_hidden:
            self.clear_value_if_invisible()

    # ------------------------------------------------------------------ read-only / required
    def set_read_only(self, val: bool) -> None:
        if self.read_only == val:
            return
        self.read_only = val
        self.on_read_only_changed()

    def on_read_only_changed(self) -> None:
        if self.is_read_only():
            self.errors = []

    def is_read_only(self) -> bool:
        if self.read_only:
            return True
        p = self.parent
        if p is not None and p.is_read_only():
            return True
        if self.run.is_display_mode:
            return True
        pq = self.parent_question
        if pq is not None and pq.is_read_only():
            return True
        cb = self.read_only_callback
        return cb is not None and cb()

    def set_is_required(self, val: bool) -> None:
        if self.is_required == val:
            return
        self.is_required = val
        if not val and self.errors:
            self.validate(fire_callback=True)

    # ------------------------------------------------------------------ value
    @property
    def value(self) -> Any:
        return self.get_value_core()

    @value.setter
    def value(self, new_value: Any) -> None:
        self.set_new_value(new_value)

    def get_value_core(self) -> Any:
        return self.question_value

    def get_filtered_value(self) -> Any:
        """What ``{name}`` gives an expression."""
        return self.value

    def value_for_survey(self) -> Any:
        return self.value

    def value_from_data_core(self, val: Any) -> Any:
        return val

    def value_from_data(self, val: Any) -> Any:
        return val

    def value_to_data(self, val: Any) -> Any:
        return val

    def convert_to_correct_value(self, val: Any) -> Any:
        return val

    def is_empty(self) -> bool:
        return is_value_empty_trim(self.value)

    def get_is_answered(self) -> bool:
        return not self.is_empty()

    def update_is_answered(self) -> None:
        self.is_answered = self.get_is_answered()

    def is_new_value_correct(self, val: Any) -> bool:
        return True

    def check_is_value_correct(self, val: Any) -> bool:
        res = is_value_empty_trim(val) or self.is_new_value_correct(val)
        if not res:
            self.run.warn(
                "An attempt to assign an incorrect value"
                + _json_pretty(val)
                + ' to the following question: "'
                + self.name
                + '"'
            )
        return res

    def is_new_value_equals_to_value(self, new_value: Any) -> bool:
        val = self.value
        if not base_equals(new_value, val):
            return False
        is_obj = new_value is val and val is not None and isinstance(val, (list, dict))
        return not is_obj

    def set_new_value(self, new_value: Any) -> None:
        """``question.value = v``: what a respondent's answer does."""
        if self.is_new_value_equals_to_value(new_value):
            return
        if not self.check_is_value_correct(new_value):
            return
        self.is_old_answered = self.is_answered
        self.is_setting_question_value = True
        self.set_new_value_in_data(new_value)
        if self.allow_notify_value_changed:
            self.on_value_changed()
        self.is_setting_question_value = False
        self.is_old_answered = None

    def on_value_changed(self) -> None:
        pass

    def set_new_value_in_data(self, new_value: Any) -> None:
        new_value = self.value_to_data(new_value)
        if not self.is_value_changed_in_survey:
            self.set_value_core(new_value)

    def set_value_core(self, new_value: Any) -> None:
        self.set_question_value(new_value)
        if self.data is not None and self.can_set_value_to_survey():
            self.data.set_value(
                self.value_name,
                self.value_for_survey(),
                False,
                self.allow_notify_value_changed,
                self.name,
            )

    def can_set_value_to_survey(self) -> bool:
        return True

    def set_question_value(self, new_value: Any, update_is_answered: bool = True) -> None:
        new_value = self.convert_to_correct_value(new_value)
        is_equal = base_equals(self.question_value, new_value)
        if (
            not is_equal
            and not self.is_changing_via_default_value
            and not self.is_parent_changing_via_default_value()
        ):
            self.set_value_changed_directly(True)
        old = self.question_value
        if isinstance(old, list) and (isinstance(new_value, list) or not js_truthy(new_value)):
            # Base.setPropertyValue refills an existing array property in place instead of
            # replacing it: clearing an array-valued question leaves [] rather than undefined.
            if not is_equal:
                new_value = list(new_value) if isinstance(new_value, list) else []
                self.question_value = new_value
        else:
            self.question_value = new_value
        if not is_equal:
            self.on_change_question_value(new_value)
        if update_is_answered:
            self.update_is_answered()

    def on_change_question_value(self, new_value: Any) -> None:
        pass

    def is_parent_changing_via_default_value(self) -> bool:
        return (
            bool(getattr(self.data, "is_changing_via_default_value", False))
            and self.data is not self.run
        )

    def set_value_changed_directly(self, val: bool) -> None:
        self.is_value_changed_directly = val

    def update_value_from_survey(self, new_value: Any, clear_data: bool = False) -> None:
        new_value = deep_copy(new_value)
        new_value = self.value_from_data_core(new_value)
        if not self.check_is_value_correct(new_value):
            return
        is_empty = is_value_empty_trim(new_value)
        self.is_updating_value_from_survey = True
        if not is_empty and self.d.default_value_expression is not None:

            def setter(val: Any) -> None:
                self.update_value_from_survey_core(new_value, base_equals(new_value, val))

            self.set_default_value_core(setter)
        else:
            self.update_value_from_survey_core(new_value, self.data is not self.run)
            if clear_data and is_empty:
                self.is_value_changed_directly = False
        self.is_updating_value_from_survey = False
        self.on_value_updated_from_survey()
        self.update_is_answered()

    def stable_update_from_survey(self) -> bool:
        """Whether ``update_value_from_survey`` depends only on the data value, the question
        value and the comment (so repeating it with those unchanged changes nothing)."""
        return False

    def on_value_updated_from_survey(self) -> None:
        """survey-core ``updateDependedQuestions`` (choicesFromQuestion users)."""
        self.run.update_depended_questions(self)

    def update_value_from_survey_core(self, new_value: Any, via_default: bool) -> None:
        self.is_changing_via_default_value = via_default
        new_value = self.value_from_data(new_value)
        is_equal = base_equals(self.question_value, self.convert_to_correct_value(new_value))
        self.set_question_value(new_value)
        if not is_equal:
            self.revalidate_on_value_changed_from_survey()
        self.is_changing_via_default_value = False

    def revalidate_on_value_changed_from_survey(self) -> None:
        run = self.run
        if run.is_loading or not run.is_setting_data or not self.errors:
            return
        self.validate(fire_callback=True, is_on_value_changed=not run.is_validate_on_value_changing)

    def update_comment_from_survey(self, new_value: Any) -> None:
        self.question_comment = new_value

    def on_survey_value_changed(self, new_value: Any) -> None:
        pass

    def on_any_value_changed(self, name: str, question_name: str | None) -> None:
        if self.d.validators:
            self.validate_on_any_question_value_changed(name, question_name)

    def validation_dependent_names(self) -> list[str]:
        """Variables of the expression validators, except the question's own value."""
        deps = self._validation_deps
        if deps is None:
            own = self.value_name
            skip = {own, "panel." + own, "row." + own}
            deps = []
            for v in self.d.validators:
                if v.type == "expression" and v.expression is not None:
                    for var in v.expression.variables:
                        if var not in skip and var not in deps:
                            deps.append(var)
            self._validation_deps = deps
        return deps

    def validate_on_any_question_value_changed(self, name: str, question_name: str | None) -> None:
        # survey-core re-validates (in on-value-changed mode, so no "required" error for a
        # never-answered question) a question with errors when a value its expression
        # validators read changes.
        deps = self.validation_dependent_names()
        if not deps:
            return
        prefix = name + "."
        if name not in deps and not any(d.startswith(prefix) for d in deps):
            return
        has_to_validate = bool(self.get_all_errors())
        if not has_to_validate and self.run.is_validate_on_value_changed:
            finder = getattr(self.data, "find_question_by_name", None)
            changed = finder(question_name or "") if finder is not None else None
            has_to_validate = changed is None or not changed.get_all_errors()
        if has_to_validate:
            self.validate(True, True)

    # ------------------------------------------------------------------ comments
    @property
    def requires_update_comment_value(self) -> bool:
        return self.d.show_comment_area

    @property
    def comment(self) -> Any:
        return self.get_question_comment()

    @comment.setter
    def comment(self, new_value: Any) -> None:
        new_value = _trimmed_comment(new_value)
        if self.comment != new_value or type(self.comment) is not type(new_value):
            self.set_new_comment(new_value)

    def get_question_comment(self) -> Any:
        return self.question_comment

    def set_new_comment(self, new_value: Any) -> None:
        if self.question_comment == new_value and type(self.question_comment) is type(new_value):
            return
        self.question_comment = new_value
        self.set_comment_into_data(new_value)

    def set_comment_into_data(self, new_value: Any) -> None:
        if self.data is not None:
            self.data.set_comment(self.value_name, new_value, False)

    def init_comment_from_survey(self) -> None:
        if self.data is not None and self.requires_update_comment_value:
            self.update_comment_from_survey(self.data.get_comment(self.value_name))
        else:
            self.update_comment_from_survey("")

    # ------------------------------------------------------------------ load / defaults
    def on_survey_load(self) -> None:
        self.update_value_with_defaults()
        if self.is_empty():
            self.init_data_from_survey()

    def init_data_from_survey(self) -> None:
        if self.data is not None:
            val = self.data.get_value(self.value_name)
            if (
                val is UNDEFINED
                and self.question_value is UNDEFINED
                and self.data is self.run
                and self.stable_update_from_survey()
            ):
                # an untouched question updated from an empty value: nothing changes but the
                # "answered" flag and the questions that take their choices from this one
                self.update_is_answered()
                self.run.update_depended_questions(self)
            elif not is_value_empty(val) or not self.run.is_loading_from_json:
                self.update_value_from_survey(val)
            self.init_comment_from_survey()

    def is_default_value_empty(self) -> bool:
        return self.d.default_value_expression is None and is_value_empty_trim(self.d.default_value)

    def get_default_value(self) -> Any:
        return self.d.default_value

    def is_clear_value_on_hidden(self) -> bool:
        clear_if = self.get_clear_if_invisible()
        if clear_if in ("none", "onComplete"):
            return False
        return clear_if in ("onHidden", "onHiddenContainer")

    def get_clear_if_invisible(self) -> str:
        return self.run.get_question_clear_if_invisible(self.d.clear_if_invisible)

    def update_value_with_defaults(self) -> None:
        if self.run.is_loading_from_json or self.is_default_value_empty():
            return
        if not self.is_empty():
            return
        if self.is_clear_value_on_hidden() and not self.is_visible():
            return
        self.set_default_value()

    def set_default_value(self) -> None:
        def setter(val: Any) -> None:
            val = self.convert_to_correct_value(val)
            if not base_equals(self.value, val):
                self.set_default_into_value(val)

        self.set_default_value_core(setter)

    def set_default_into_value(self, val: Any) -> None:
        self.value = val

    def set_default_value_core(self, set_func: Callable[[Any], None]) -> None:
        def func(val: Any) -> None:
            self.run_expression_set_value_core(val, set_func)

        if not self.run_default_value_expression(func):
            func(deep_copy(self.get_default_value()))

    def update_value_with_defaults_or_clear(self) -> None:
        if self.is_default_value_empty():
            self.clear_value()
        else:
            self.set_default_value()

    def convert_func_value_to_question_value(self, val: Any) -> Any:
        return convert_val_to_question_val(val, None)

    def run_expression_set_value_core(self, val: Any, set_func: Callable[[Any], None]) -> None:
        set_func(self.convert_func_value_to_question_value(val))

    def run_expression_set_value(self, val: Any) -> None:
        def setter(v: Any) -> None:
            if not base_equals(self.value, v):
                self.run.start_set_value_on_expression()
                self.value = v
                self.run.finish_set_value_on_expression()

        self.run_expression_set_value_core(val, setter)

    def run_default_value_expression(self, set_func: Callable[[Any], None] | None = None) -> bool:
        if self.data is None or self.d.default_value_expression is None:
            return False
        func = set_func if set_func is not None else self.run_expression_set_value

        def on_exec(res: Any) -> None:
            if res is None or res is UNDEFINED:
                res = self.d.default_value
                if res is None:
                    res = UNDEFINED
            self.is_changing_via_default_value = True
            func(res)
            self.is_changing_via_default_value = False

        return self.run_expression_by_property(
            "defaultValueExpression", self.d.default_value_expression, on_exec
        )

    # ------------------------------------------------------------------ question triggers
    def run_triggers(self, name: str | None, value: Any, keys: dict[str, Any] | None) -> None:
        """resetValueIf / setValueIf / setValueExpression (survey-core ``Question.runTriggers``)."""
        if self.is_setting_question_value:
            return
        pq = self.parent_question
        if pq is not None and pq.get_value_name() == name:
            return
        d = self.d
        if d.reset_value_if is None and d.set_value_if is None and d.set_value_expression is None:
            return
        if keys is None:
            keys = {name: value} if name is not None else {}
        # resetValueIf
        if d.reset_value_if is not None:

            def on_reset(res: Any) -> None:
                if res is True:
                    self.run.start_set_value_on_expression()
                    self.update_value_with_defaults_or_clear()
                    self.run.finish_set_value_on_expression()

            self._run_trigger_info(
                "resetValueIf", d.reset_value_if, None, keys, lambda: not self.is_empty(), on_reset
            )
        # setValueIf
        if d.set_value_if is not None:

            def on_set_if(res: Any) -> None:
                if res is not None and res is not UNDEFINED and res is not False and _truthy(res):
                    if d.set_value_expression is None:
                        self.clear_value()
                    else:
                        self.run_expression_by_property(
                            "setValueExpression",
                            d.set_value_expression,
                            self.run_expression_set_value,
                        )

            self._run_trigger_info(
                "setValueIf", d.set_value_if, d.set_value_expression, keys, lambda: True, on_set_if
            )
        # setValueExpression (only without setValueIf)
        if d.set_value_expression is not None and d.set_value_if is None:
            self._run_trigger_info(
                "setValueExpression",
                d.set_value_expression,
                None,
                keys,
                lambda: True,
                self.run_expression_set_value,
            )

    def _run_trigger_info(
        self,
        prop: str,
        compiled: Compiled,
        second: Compiled | None,
        keys: dict[str, Any],
        can_run: Callable[[], bool],
        on_exec: Callable[[Any], None],
    ) -> None:
        def can(runner: Compiled) -> bool:
            if not can_run():
                return False
            return self.can_execute_trigger_by_keys(keys, runner, second)

        self.run_expression_by_property(prop, compiled, on_exec, can)

    def can_execute_trigger_by_keys(
        self, keys: dict[str, Any], runner: Compiled, second: Compiled | None
    ) -> bool:
        r1 = self._can_execute_core(keys, runner)
        if r1 == "var":
            return True
        if second is None:
            return r1 in ("func", "const")
        return self._can_execute_core(keys, second) != ""

    def _can_execute_core(self, keys: dict[str, Any], runner: Compiled) -> str:
        if not runner.text:
            return ""
        if runner.has_const_function:
            return "func"
        if not runner.variables:
            return "const"
        from surveys.engine.runtime.keys import is_any_key_changed

        return "var" if is_any_key_changed(keys, runner.variables) else ""

    # ------------------------------------------------------------------ clearing
    def clear_value(self, keep_comment: bool = False, from_ui: bool = False) -> None:
        if self.value is not UNDEFINED:
            self.value = UNDEFINED
        if self.comment and keep_comment is not True:
            self.comment = UNDEFINED
        self.set_value_changed_directly(from_ui is True)
        self.on_clear_value()

    def on_clear_value(self) -> None:
        pass

    def can_clear_value_as_invisible(self, reason: str) -> bool:
        if reason == "onHiddenContainer" and not self.is_parent_visible():
            return True
        if self.is_visible_in_survey():
            return False
        page = self.page
        if page is not None and page.is_start_page():
            return False
        return not self.run.has_visible_question_by_value_name(self)

    def clear_value_if_invisible(self, reason: str = "onHidden") -> None:
        clear_if = self.get_clear_if_invisible()
        if clear_if == "none":
            return
        if reason == "onHidden" and clear_if == "onComplete":
            return
        if reason == "onHiddenContainer" and clear_if != reason:
            return
        self.clear_value_if_invisible_core(reason)

    def clear_value_if_invisible_core(self, reason: str) -> None:
        if self.can_clear_value_as_invisible(reason):
            self.clear_value()

    def clear_unused_values(self) -> None:
        pass

    def clear_incorrect_values(self) -> None:
        pass

    def on_hiding_content(self) -> None:
        pass

    def on_first_rendering(self) -> None:
        """The question's page became current for the first time (survey-core ``onFirstRendering``)."""
        if not self.was_rendered and not self.run.is_loading:
            self.was_rendered = True
            self.on_first_rendering_core()

    def on_first_rendering_core(self) -> None:
        pass

    # ------------------------------------------------------------------ validation
    def validate(
        self,
        fire_callback: bool = True,
        is_on_value_changed: bool = False,
        focus_first_error: bool = False,
    ) -> bool:
        """``Question.validate``: True when there is no blocking error."""
        from surveys.engine.errors import ValidationContext

        if is_on_value_changed and self.parent is not None:
            self.parent.validate_container_only()
        ctx = ValidationContext(
            fire_callback=fire_callback,
            is_on_value_changed=is_on_value_changed,
            focus_on_first_error=focus_first_error,
        )
        self.validate_element(ctx)
        return ctx.result

    def validate_element(self, ctx: Any) -> bool:
        errors = self.check_for_errors(ctx.is_on_value_changed)
        if ctx.fire_callback:
            self.errors = errors
        ctx.set_error_element(self, errors)
        return not errors

    def focus(self, on_error: bool = False) -> None:
        """Focusing a question on another page makes that page current (survey-core ``focus``)."""
        if not self.is_visible() or self.is_read_only():
            return
        page = self.page
        if page is not None and self.run.active_page() is not page:
            self.run.focus_question_by_instance(self)

    def check_for_errors(self, is_on_value_changed: bool = False) -> list[SurveyError]:
        q_errors: list[SurveyError] = []
        if self.is_visible() and self.can_collect_errors():
            self.collect_errors(q_errors, is_on_value_changed)
        return q_errors

    def can_collect_errors(self) -> bool:
        return not self.is_read_only() or self.run.settings.read_only_enable_validation

    def collect_errors(self, q_errors: list[SurveyError], is_on_value_changed: bool) -> None:
        self.on_check_for_errors(q_errors, is_on_value_changed)
        if q_errors or not self.can_run_validators(is_on_value_changed):
            return
        from surveys.engine.validation import run_validators

        errors = run_validators(self)
        if errors:
            q_errors.clear()
            q_errors.extend(errors)

    def can_run_validators(self, is_on_value_changed: bool) -> bool:
        return True

    def on_check_for_errors(self, errors: list[SurveyError], is_on_value_changed: bool) -> None:
        if (not is_on_value_changed or self.is_old_answered) and self.has_required_error():
            errors.append(SurveyError("required", self.required_error_text()))

    def required_error_text(self) -> str:
        t = loc_text(self.d.required_error_text, self.loc(), verne=self.run.verne)
        return t or self.message("requiredError")

    def has_required_error(self) -> bool:
        return self.is_required and self.is_empty()

    def validated_value(self) -> Any:
        return self.value

    def get_validator_title(self) -> str | None:
        return None

    def get_all_errors(self) -> list[SurveyError]:
        return list(self.errors)

    # ------------------------------------------------------------------ display
    def get_display_value(self, keys_as_text: bool, value: Any = UNDEFINED) -> Any:
        val = deep_copy(self.value) if value is UNDEFINED or value is None else value
        if is_value_empty_trim(val):
            return self.get_display_value_empty()
        return self.get_display_value_core(keys_as_text, val)

    def get_display_value_core(self, keys_as_text: bool, value: Any) -> Any:
        return value

    def get_display_value_empty(self) -> Any:
        return ""

    def title(self) -> str:
        """``processedTitle``: the localised title with ``{placeholders}`` filled in."""
        text = loc_text(self.d.title, self.loc(), verne=self.run.verne)
        if text and "{" in text:
            from surveys.engine.textproc import process_text

            text = process_text(self, text)
        return text or self.name

    # ------------------------------------------------------------------ nesting hooks
    def nested_questions(self) -> list[QuestionRt]:
        return []

    def get_comment_value_for_function(self, item_value: Any) -> Any:
        return self.comment


def js_loose_eq_str(a: Any, b: str) -> bool:
    from surveys.engine.jsutil import js_loose_eq

    return js_loose_eq(a, b)


def base_equals_strict_any(a: Any, b: Any) -> bool:
    from surveys.engine.jsutil import is_strict_equal

    return is_strict_equal(a, b)


def _truthy(v: Any) -> bool:
    from surveys.engine.jsutil import js_truthy

    return js_truthy(v)


def _loose_true(v: Any) -> bool:
    if v is True:
        return True
    if isinstance(v, bool) or v is None or v is UNDEFINED:
        return False
    if isinstance(v, (int, float)):
        return bool(v == 1)
    if isinstance(v, (str, list)):
        return js_to_number(v) == 1
    return False


def _loose_false(v: Any) -> bool:
    """JavaScript ``v === false``: only the boolean."""
    return v is False


def _trimmed_comment(v: Any) -> Any:
    if isinstance(v, str) and not v.strip():
        return ""
    return v


def _json_pretty(v: Any) -> str:
    import json

    from surveys.engine.values import to_json

    try:
        return json.dumps(to_json(v), indent=3, ensure_ascii=False)
    except (TypeError, ValueError):
        return str(v)


def convert_val_to_question_val(val: Any, input_type: str | None) -> Any:
    """``Helpers.convertValToQuestionVal``: dates become ``yyyy-mm-dd`` strings, objects are copied."""
    from surveys.engine.values import JSDate

    if isinstance(val, JSDate):
        from surveys.engine.runtime.dates import date_to_question_string

        return date_to_question_string(val, input_type)
    return deep_copy(val)


# ======================================================================================
# simple question types
# ======================================================================================
class TextQuestionRt(QuestionRt):
    """``text`` and ``comment`` (survey-core ``QuestionTextModel``/``QuestionCommentModel``)."""

    d: TextDef

    def stable_update_from_survey(self) -> bool:
        return self.d.default_value_expression is None

    def __init__(
        self,
        d: QuestionDef,
        run: SurveyRun,
        data: Any,
        parent: PanelRt | None,
        parent_question: QuestionRt | None = None,
    ) -> None:
        super().__init__(d, run, data, parent, parent_question)
        self.rendered_min: Any = UNDEFINED
        self.rendered_max: Any = UNDEFINED

    @property
    def input_type(self) -> str:
        return self.d.input_type if self.d.type == "text" else "text"

    def is_min_max_type(self) -> bool:
        return self.d.type == "text" and self.input_type in _MIN_MAX_TYPES

    def is_date_input_type(self) -> bool:
        return self.input_type in ("date", "datetime-local")

    def on_survey_load(self) -> None:
        super().on_survey_load()
        self.set_rendered_min_max()

    def run_condition_core(self) -> None:
        super().run_condition_core()
        d = self.d
        if d.type == "text" and (
            d.min_value_expression is not None or d.max_value_expression is not None
        ):
            self.set_rendered_min_max()

    def set_rendered_min_max(self) -> None:
        d = self.d
        if d.type != "text":
            return
        min_v = d.min if self.is_min_max_type() else None
        max_v = d.max if self.is_min_max_type() else None
        if self.is_min_max_type() and min_v is not None and is_value_empty(min_v) is False:
            numeric = self.input_type in ("number", "range")
            if is_number(min_v) != numeric:
                min_v = None
        if self.is_min_max_type() and max_v is not None and is_value_empty(max_v) is False:
            numeric = self.input_type in ("number", "range")
            if is_number(max_v) != numeric:
                max_v = None

        def set_min(v: Any) -> None:
            self.rendered_min = self.convert_func_value_to_question_value(v)

        def set_max(v: Any) -> None:
            if not _js_truthy(v) and self.is_date_input_type():
                v = "2999-12-31"
            self.rendered_max = self.convert_func_value_to_question_value(v)

        if not self.run_expression_by_property(
            "minValueExpression", d.min_value_expression, set_min
        ):
            set_min(min_v if min_v is not None else UNDEFINED)
        if not self.run_expression_by_property(
            "maxValueExpression", d.max_value_expression, set_max
        ):
            set_max(max_v if max_v is not None else UNDEFINED)

    def convert_func_value_to_question_value(self, val: Any) -> Any:
        mask = self.d.mask
        if mask is None:
            return convert_val_to_question_val(val, self.input_type)
        res = convert_val_to_question_val(val, mask.type_for_expressions())
        if mask.save_masked_value and isinstance(res, str):
            preserved = mask.try_preserve_masked_string(res)
            return preserved if preserved is not UNDEFINED else mask.masked(res)
        return res

    def update_value_from_survey(self, new_value: Any, clear_data: bool = False) -> None:
        super().update_value_from_survey(new_value, clear_data)
        # a masked question writes its converted (masked or unmasked) value back into the data
        if self.d.mask is not None and not is_value_empty_trim(new_value):
            val = self.value
            if not base_equals(val, new_value):
                self.set_value_core(val)

    def get_filtered_value(self) -> Any:
        # with saveMaskedValue the data holds the masked text; expressions see it unmasked
        mask = self.d.mask
        if mask is not None and mask.save_masked_value:
            return mask.unmasked(self.value)
        return self.value

    def set_new_value(self, new_value: Any) -> None:
        new_value = self.correct_value_type(new_value)
        super().set_new_value(new_value)

    def convert_to_correct_value(self, val: Any) -> Any:
        mask = self.d.mask
        if (
            mask is not None
            and val is not None
            and val is not UNDEFINED
            and not (isinstance(val, str) and val == "")
        ):
            if mask.save_masked_value:
                preserved = mask.try_preserve_masked_string(val)
                return preserved if preserved is not UNDEFINED else mask.masked(val)
            if mask.mask_type == "pattern" and isinstance(val, str) and val == mask.masked(val):
                # an answer typed with the mask's decorations is stored without them
                return mask.unmasked(val)
        # survey-core QuestionTextBase: an array becomes "a, b"
        if isinstance(val, list):
            return ", ".join("" if x is None or x is UNDEFINED else to_js_string(x) for x in val)
        return val

    def is_empty(self) -> bool:
        v = self.value
        return is_value_empty_trim(v) or (isinstance(v, str) and v == "")

    def correct_value_type(self, new_value: Any) -> Any:
        if not _js_truthy(new_value):
            return new_value
        if self.input_type in ("number", "range"):
            return num_value(get_number(new_value)) if is_number(new_value) else ""
        return new_value

    def can_set_value_to_survey(self) -> bool:
        if not self.is_min_max_type():
            return True
        is_valid = not self.is_value_less_min() and not self.is_value_greater_max()
        run = self.run
        if (not is_valid or self.errors) and (
            run.is_validate_on_value_changing or run.is_validate_on_value_changed
        ):
            self.validate()
        return is_valid

    def _calc(self, v: Any) -> Any:
        if is_value_empty_trim(v):
            return v
        if self.is_date_input_type():
            from surveys.engine.runtime.dates import create_date_ms

            return create_date_ms(v)
        return v

    def is_value_less_min(self) -> bool:
        rmin = self.rendered_min
        if is_value_empty_trim(rmin) or self.is_empty():
            return False
        return _js_lt(self._calc(self.value), self._calc(rmin))

    def is_value_greater_max(self) -> bool:
        rmax = self.rendered_max
        if is_value_empty_trim(rmax) or self.is_empty():
            return False
        return _js_lt(self._calc(rmax), self._calc(self.value))

    def is_step_number_incorrect(self) -> bool:
        step = self.d.step
        if (
            self.input_type != "number"
            or self.is_empty()
            or not is_number(step)
            or not is_number(self.value)
        ):
            return False
        val = get_number(self.value)
        st = get_number(step)
        pw = 1.0
        while (_js_round(st * pw) / pw != st or _js_round(val * pw) / pw != val) and pw < 1000000:
            pw *= 10
        v2 = _js_round(val * pw)
        s2 = _js_round(st * pw)
        return s2 > 0 and math.fmod(v2, s2) != 0

    def on_check_for_errors(self, errors: list[SurveyError], is_on_value_changed: bool) -> None:
        super().on_check_for_errors(errors, is_on_value_changed)
        d = self.d
        if d.type != "text":
            return
        if self.is_value_less_min():
            errors.append(
                SurveyError(
                    "custom", self._min_max_text(d.min_error_text, "minError", self.rendered_min)
                )
            )
        if self.is_value_greater_max():
            errors.append(
                SurveyError(
                    "custom", self._min_max_text(d.max_error_text, "maxError", self.rendered_max)
                )
            )
        if self.is_step_number_incorrect():
            t = loc_text(d.step_error_text, self.loc(), verne=self.run.verne) or self.message(
                "stepError"
            )
            errors.append(SurveyError("custom", t.replace("{0}", to_js_string(d.step), 1)))
        if self.input_type == "email" and not any(v.type == "email" for v in d.validators):
            from surveys.engine.validation import email_error

            err = email_error(self, self.value)
            if err is not None:
                errors.append(err)

    def _min_max_text(self, custom: Any, key: str, value: Any) -> str:
        text = loc_text(custom, self.loc(), verne=self.run.verne) or self.message(key)
        if is_value_empty(value):
            return text
        if self.input_type == "date":
            from surveys.engine.runtime.dates import to_date_string

            shown = to_date_string(value)
        else:
            shown = to_js_string(value)
        return text.replace("{0}", shown, 1)

    def get_validator_title(self) -> str | None:
        return None


_MIN_MAX_TYPES = frozenset({"number", "range", "date", "datetime-local", "month", "time", "week"})


def _js_truthy(v: Any) -> bool:
    from surveys.engine.jsutil import js_truthy

    return js_truthy(v)


def _js_round(x: float) -> float:
    return math.floor(x + 0.5)


def _js_lt(a: Any, b: Any) -> bool:
    """JavaScript ``a < b`` for numbers, strings and dates (as epoch ms)."""
    if isinstance(a, str) and isinstance(b, str):
        return a < b
    na, nb = js_to_number(a), js_to_number(b)
    if math.isnan(na) or math.isnan(nb):
        return False
    return na < nb


class BooleanQuestionRt(QuestionRt):
    d: BooleanDef

    def stable_update_from_survey(self) -> bool:
        return self.d.default_value_expression is None

    def get_display_value_core(self, keys_as_text: bool, value: Any) -> Any:
        if value == self.get_value_true():
            t = loc_text(self.d.label_true, self.loc(), verne=self.run.verne)
            return t or self.message("booleanCheckedLabel")
        if value == self.get_value_false():
            t = loc_text(self.d.label_false, self.loc(), verne=self.run.verne)
            return t or self.message("booleanUncheckedLabel")
        return value

    def get_value_true(self) -> Any:
        v = self.d.value_true
        return v if v is not None else True

    def get_value_false(self) -> Any:
        v = self.d.value_false
        return v if v is not None else False

    def set_question_value(self, new_value: Any, update_is_answered: bool = True) -> None:
        # survey-core converts "true"/"false" (unless they are valueTrue/valueFalse) and drops
        # "indeterminate"/null
        if new_value == "true" and isinstance(new_value, str) and self.d.value_true != "true":
            new_value = True
        if new_value == "false" and isinstance(new_value, str) and self.d.value_false != "false":
            new_value = False
        if new_value is None or (isinstance(new_value, str) and new_value == "indeterminate"):
            new_value = UNDEFINED
        super().set_question_value(new_value, update_is_answered)

    def _raw_default(self) -> Any:
        val = self.d.default_value
        if val is True:
            return "true"
        if val is False:
            return "false"
        return val

    def get_default_value(self) -> Any:
        val = self._raw_default()
        if val is None or val == "indeterminate":
            return UNDEFINED
        return self.get_value_true() if js_loose_eq_str(val, "true") else self.get_value_false()

    def set_default_value(self) -> None:
        val = self._raw_default()
        vt, vf = self.d.value_true, self.d.value_false
        if js_loose_eq_str(val, "true") or (vt is not None and base_equals_strict_any(val, vt)):
            self.set_boolean_value(True)
        if js_loose_eq_str(val, "false") or (vf is not None and base_equals_strict_any(val, vf)):
            self.set_boolean_value(False)
        if val is None or (isinstance(val, str) and val == "indeterminate"):
            self.set_boolean_value(None)

    def set_boolean_value(self, val: Any) -> None:
        if is_value_empty_trim(val):
            self.value = UNDEFINED
        else:
            self.value = (
                self.get_value_true() if val is True or val == 1 else self.get_value_false()
            )


class ExpressionQuestionRt(QuestionRt):
    """``expression``: computed even when hidden; ``precision`` rounds the stored value."""

    d: ExpressionQDef

    def stable_update_from_survey(self) -> bool:
        return self.d.default_value_expression is None

    def __init__(
        self,
        d: QuestionDef,
        run: SurveyRun,
        data: Any,
        parent: PanelRt | None,
        parent_question: QuestionRt | None = None,
    ) -> None:
        super().__init__(d, run, data, parent, parent_question)
        self.is_execution_locked = False
        self.run_if_read_only = False

    def run_condition_core(self) -> None:
        super().run_condition_core()
        d = self.d
        if d.expression is None:
            return
        if self.is_execution_locked or (not self.run_if_read_only and self.is_read_only()):
            return
        if self.can_skip(d.expression):
            return
        self.run_expression_by_property("expression", d.expression, self._on_expression)

    def _on_expression(self, res: Any) -> None:
        self.value = self.round_value(res)

    def round_value(self, val: Any) -> Any:
        if isinstance(val, float) and val == math.inf:
            return UNDEFINED
        p = self.d.precision
        if not isinstance(p, (int, float)) or p < 0:
            return val
        if not is_number(val):
            return val
        from surveys.engine.runtime.numfmt import to_fixed

        return num_value(float(to_fixed(get_number(val), int(p))))

    def can_collect_errors(self) -> bool:
        return True

    def has_required_error(self) -> bool:
        return False

    def get_display_value_core(self, keys_as_text: bool, value: Any) -> Any:
        if is_value_empty(value):
            return ""
        return to_js_string(value)


class RatingQuestionRt(QuestionRt):
    """``rating``: generated rate values (rateMin..rateMax by rateStep, at most 20) or rateValues."""

    d: RatingDef

    def __init__(
        self,
        d: QuestionDef,
        run: SurveyRun,
        data: Any,
        parent: PanelRt | None,
        parent_question: QuestionRt | None = None,
    ) -> None:
        super().__init__(d, run, data, parent, parent_question)
        rd: RatingDef = self.d
        raw = rd.raw
        auto = rd.auto_generate
        if (
            "autoGenerate" not in raw
            and "rateValues" in raw
            and isinstance(raw.get("rateValues"), list)
        ):
            auto = not raw["rateValues"]
        self.auto_generate = auto is not False and auto != "false"
        step = rd.rate_step if isinstance(rd.rate_step, (int, float)) else 1
        rmin, rmax, count = rd.rate_min, rd.rate_max, rd.rate_count
        if "rateMin" in raw and "rateCount" in raw and "rateMax" not in raw:
            rmax = rmin + step * (count - 1)
        if "rateMax" in raw and "rateCount" in raw and "rateMin" not in raw:
            rmin = rmax - step * (count - 1)
        if self.auto_generate and rmin > rmax:
            rmin = rmax
        self.rate_min, self.rate_max, self.rate_step = rmin, rmax, step
        from surveys.engine.runtime.select import ItemRt

        self.rate_items = [ItemRt(c.value, c.text, d=c) for c in rd.rate_values]

    def use_rate_values(self) -> bool:
        return bool(self.rate_items) and not self.auto_generate

    def _generated(self) -> list[Any]:
        res: list[Any] = []
        value: Any = self.rate_min
        step = self.rate_step
        while value <= self.rate_max and len(res) < 20:
            res.append(value)
            value = _correct_rate(value + step, step)
        return res

    def visible_rate_values(self) -> list[Any]:
        if self.use_rate_values():
            return [it.value for it in self.rate_items if it.is_visible]
        return self._generated()

    def run_condition_core(self) -> None:
        super().run_condition_core()
        if not self.use_rate_values():
            return
        changed = False
        for item in self.rate_items:
            runner = item.visible_if
            new = True if runner is None else _item_cond(self, runner, item.value)
            if new != item.is_visible:
                changed = True
                item.is_visible = new
        if changed and not self.is_empty() and not self.is_read_only():
            from surveys.engine.runtime.select import get_item_by_value

            hit = get_item_by_value(self.rate_items, self.value)
            if hit is not None and not hit.is_visible:
                self.clear_value()

    def value_to_data(self, val: Any) -> Any:
        if self.use_rate_values():
            from surveys.engine.runtime.select import get_item_by_value

            item = get_item_by_value([it for it in self.rate_items if it.is_visible], val)
            return item.value if item is not None else val
        if isinstance(val, (dict, list)) and not (isinstance(val, list) and len(val) == 1):
            return val
        if not math.isnan(js_to_number(val)):
            from surveys.engine.jsutil import js_parse_float

            f = js_parse_float(val)
            return num_value(f) if not math.isnan(f) else f
        return val

    def get_display_value_core(self, keys_as_text: bool, value: Any) -> Any:
        for c in self.d.rate_values:
            if base_equals(c.value, value) and c.text is not None:
                return loc_text(c.text, self.loc(), verne=self.run.verne)
        return value


def _item_cond(q: QuestionRt, compiled: Any, item_value: Any) -> bool:
    if not compiled.ok:
        q.run.warn_invalid_expression(compiled, q)
        return False
    scope = LayeredScope({"item": item_value, "choice": item_value, "self": item_value}, q.scope())
    return bool(compiled.condition(scope, q.eval_ctx()))


def _correct_rate(value: Any, step: Any) -> Any:
    if not value or round(value) == value:
        return int(value) if isinstance(value, float) and value.is_integer() else value
    fr = 0
    while round(step) != step:
        step *= 10
        fr += 1
    from surveys.engine.runtime.numfmt import to_fixed

    return num_value(float(to_fixed(value, fr)))


def _round_step(v: float) -> float:
    r = round(v, 10)
    return int(r) if r == int(r) else r


class NonValueQuestionRt(QuestionRt):
    """``html``, ``image``, ``empty``: they take part in visibility only."""

    def has_required_error(self) -> bool:
        return False

    def on_survey_load(self) -> None:
        pass

    def init_data_from_survey(self) -> None:
        pass

    def update_value_from_survey(self, new_value: Any, clear_data: bool = False) -> None:
        pass


def number_text(v: Any) -> str:
    return number_to_string(v) if isinstance(v, (int, float)) else to_js_string(v)
