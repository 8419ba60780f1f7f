"""Survey triggers (survey-core ``SurveyTrigger*``).

Triggers run only when a value changes and only when the changed key is one of the trigger's
variables (``copyvalue`` also watches ``fromName``). They run in array order; a chain settles in
up to three passes (see ``SurveyRun.check_triggers``). ``setvalue`` is never undone. ``complete``
only arms ``canBeCompletedByTrigger`` on a value change; the survey completes on the next
``nextPage()``. ``skip`` moves the current page at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from surveys.engine.jsutil import UNDEFINED, deep_copy
from surveys.engine.model import TriggerDef
from surveys.engine.runtime.keys import is_any_key_changed

if TYPE_CHECKING:
    from surveys.engine.exprs import Compiled
    from surveys.engine.runtime.survey import SurveyRun


class TriggerRt:
    def __init__(self, d: TriggerDef, run: SurveyRun, uid: int) -> None:
        self.d = d
        self.run = run
        self.uid = uid
        self.is_executing_on_next_page = False
        self.is_executing_on_navigation = False
        self.running = False

    # ------------------------------------------------------------------ per-type rules
    def can_be_executed(self, is_on_next_page: bool) -> bool:
        t = self.d.type
        if t == "setvalue":
            return not is_on_next_page and bool(self.d.set_to_name)
        if t == "copyvalue":
            return not is_on_next_page and bool(self.d.set_to_name) and bool(self.d.from_name)
        if t == "runexpression":
            return not is_on_next_page
        if t == "skip":
            return is_on_next_page == (not self.run.settings.execute_skip_on_value_changed)
        return True

    def require_valid_question(self) -> bool:
        t = self.d.type
        if t == "complete":
            return True
        if t == "skip":
            return self.can_be_executed(False)
        return False

    def can_be_execute_on_keys_change(self, keys: list[str]) -> bool:
        if self.d.type in ("setvalue", "copyvalue"):
            return not (len(keys) == 1 and keys[0] == self.d.set_to_name)
        return True

    def used_variables(self, runner: Compiled | None) -> list[str]:
        res = list(runner.variables) if runner is not None else []
        if self.d.type == "copyvalue" and self.d.from_name and self.d.from_name not in res:
            res.append(self.d.from_name)
        return res

    def is_check_required(self, runner: Compiled | None, keys: dict[str, Any] | None) -> bool:
        if keys is None:
            return False
        if runner is not None and runner.has_const_function:
            return True
        vars_ = self.used_variables(runner)
        if not vars_:
            return True
        return is_any_key_changed(keys, vars_)

    # ------------------------------------------------------------------ running
    def check_expression(
        self,
        is_on_next_page: bool,
        is_on_complete: bool,
        is_on_navigation: bool,
        keys: dict[str, Any],
    ) -> None:
        self.is_executing_on_next_page = is_on_next_page
        self.is_executing_on_navigation = is_on_navigation or is_on_next_page
        if not self.can_be_executed(is_on_next_page):
            return
        if is_on_complete:
            return  # no trigger type runs on completion (canBeExecutedOnComplete is false)
        if not self.can_be_execute_on_keys_change(list(keys)):
            return
        expr = self.d.expression
        if expr is None or not expr.ok:
            # survey-core: nothing ran (no or a broken expression); copyvalue then always copies
            if expr is not None:
                self.run.warn_invalid_expression(expr, None)
            if self.d.type == "copyvalue" and self.is_check_required(None, keys):
                self.trigger_result(True)
            return
        if self.running or not self.is_check_required(expr, keys):
            return
        self.running = True
        try:
            val = expr.evaluate(self.run.scope(), self.run.make_ctx(None))
        finally:
            self.running = False
        self.trigger_result(val is True)

    def trigger_result(self, res: bool) -> None:
        if res:
            self.on_success()
        else:
            self.on_failure()

    def is_real_execution(self) -> bool:
        if self.d.type == "complete":
            return (
                not self.run.settings.execute_complete_on_value_changed
            ) == self.is_executing_on_navigation
        return True

    def on_success(self) -> None:
        t = self.d.type
        run = self.run
        if t == "setvalue":
            if self.d.set_to_name:
                run.set_trigger_value(
                    self.d.set_to_name, deep_copy(self.d.set_value), self.d.is_variable
                )
        elif t == "copyvalue":
            run.copy_trigger_value(self.d.set_to_name, self.d.from_name, self.d.copy_display_value)
        elif t == "runexpression":
            rexp = self.d.run_expression
            if rexp is None:
                return
            if not rexp.ok:
                run.warn_invalid_expression(rexp, None)
                return
            val = rexp.evaluate(run.scope(), run.make_ctx(None))
            if self.d.set_to_name and val is not UNDEFINED:
                from surveys.engine.runtime.question import convert_val_to_question_val

                run.set_trigger_value(
                    self.d.set_to_name, convert_val_to_question_val(val, None), False
                )
        elif t == "skip":
            if self.d.goto_name:
                run.focus_question(self.d.goto_name)
        elif t == "complete":
            if self.is_real_execution():
                run.set_completed(self)
            else:
                run.can_be_completed(self, True)
        elif t == "visible":
            for obj in run.get_objects(self.d.pages, self.d.questions):
                obj.set_visible(True)

    def on_failure(self) -> None:
        t = self.d.type
        if t == "complete":
            self.run.can_be_completed(self, False)
        elif t == "visible":
            for obj in self.run.get_objects(self.d.pages, self.d.questions):
                obj.set_visible(False)
