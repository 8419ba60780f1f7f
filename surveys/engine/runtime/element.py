"""Panels and pages at run time (survey-core ``PanelModelBase``/``PanelModel``/``PageModel``).

A panel or page is visible when its own ``visible`` is true **and** at least one element in it is
visible. ``readOnly``/``enableIf`` make every element inside read-only. ``isRequired``/
``requiredIf`` on a container means "answer at least one question" (``requireoneanswer``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from surveys.engine.errors import SurveyError
from surveys.engine.model import PanelDef, loc_text

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from surveys.engine.exprs import Compiled
    from surveys.engine.runtime.question import QuestionRt
    from surveys.engine.runtime.survey import SurveyRun

    Element = QuestionRt | "PanelRt"


class PanelRt:
    is_question: ClassVar[bool] = False
    is_panel: ClassVar[bool] = True

    def __init__(
        self,
        d: PanelDef,
        run: SurveyRun,
        data: Any,
        parent: PanelRt | None,
        parent_question: QuestionRt | None = None,
    ) -> None:
        # an instance flag: a page moved into the single-page container acts as a panel
        self.is_page = False
        self.d = d
        self.run = run
        self.data = data
        self.parent = parent
        self.parent_question = parent_question
        self.name = d.name
        self.visible = d.visible
        self.read_only = d.read_only
        self.is_required = d.is_required
        self.elements: list[Any] = []
        self.errors: list[SurveyError] = []
        self.is_visible_prop: bool | None = None
        self.is_running_conditions = False
        self.running_props: set[str] = set()
        self.passed = False
        self.visible_if_override: Compiled | None = None
        self.was_rendered = False
        self._ctx: Any = None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"

    @property
    def type(self) -> str:
        return "panel"

    # ------------------------------------------------------------------ structure
    @property
    def questions(self) -> list[QuestionRt]:
        """Every question inside, nested panels flattened (``PanelModelBase.questions``)."""
        res: list[QuestionRt] = []
        for el in self.elements:
            if el.is_panel:
                res.extend(el.questions)
            else:
                res.append(el)
        return res

    def panels_inside(self) -> list[PanelRt]:
        res: list[PanelRt] = []
        for el in self.elements:
            if el.is_panel:
                res.append(el)
                res.extend(el.panels_inside())
        return res

    def questions_value_view(self) -> dict[str, Any]:
        """``{panel.x}``: the values of the questions in this panel, by value name."""
        res: dict[str, Any] = {}
        for q in self.questions:
            res.setdefault(q.get_value_name(), q.get_filtered_value())
        return res

    def get_question_by_name(self, name: str) -> QuestionRt | None:
        for q in self.questions:
            if q.name == name:
                return q
        return None

    @property
    def page(self) -> PanelRt | None:
        p: PanelRt | None = self
        while p is not None and not p.is_page:
            p = p.parent
        return p

    def is_start_page(self) -> bool:
        return self.is_page and self.run.start_page() is self

    # ------------------------------------------------------------------ expressions
    def scope(self) -> Mapping[str, Any]:
        scope: Mapping[str, Any] = self.data.scope()
        return scope

    def eval_ctx(self) -> Any:
        if self._ctx is None:
            self._ctx = self.run.make_ctx(None)
        return self._ctx

    def run_expression_by_property(
        self, prop: str, compiled: Compiled | None, on_execute: Callable[[Any], None]
    ) -> bool:
        if compiled is None:
            return False
        if prop in self.running_props:
            return True
        if not compiled.ok:
            self.run.warn_invalid_expression(compiled, None)
            return False
        self.running_props.add(prop)
        try:
            on_execute(compiled.evaluate(self.scope(), self.eval_ctx()))
        finally:
            self.running_props.discard(prop)
        return True

    def can_skip(self, compiled: Compiled) -> bool:
        keys = self.run.get_value_changed_keys()
        if keys is None:
            return False
        return bool(self.data.can_skip_expression_by_keys(compiled, keys, None))

    def run_condition(self) -> None:
        """Children first, then this container's own visibleIf/enableIf/requiredIf."""
        prev = self.get_is_page_visible()
        self.is_running_conditions = True
        for el in list(self.elements):
            el.run_condition()
        self.run_condition_core()
        new = self.get_is_page_visible()
        self.is_running_conditions = False
        if prev != new:
            self.child_visibility_changed()

    def run_condition_core(self) -> None:
        d = self.d
        vif = self.visible_if_override or d.visible_if
        if vif is not None and not self.can_skip(vif):
            self.run_expression_by_property("visibleIf", vif, lambda r: self.set_visible(r is True))
        if d.enable_if is not None and not self.can_skip(d.enable_if):
            self.run_expression_by_property(
                "enableIf", d.enable_if, lambda r: self.set_read_only(r is False)
            )
        if d.required_if is not None and not self.can_skip(d.required_if):
            self.run_expression_by_property(
                "requiredIf", d.required_if, lambda r: self.set_is_required(r is True)
            )

    # ------------------------------------------------------------------ visibility
    def get_is_content_visible(self) -> bool:
        for el in self.elements:
            if el.is_visible():
                return True
        return False

    def get_is_page_visible(self) -> bool:
        return self.visible and self.get_is_content_visible()

    def is_visible(self) -> bool:
        return self.get_is_page_visible()

    def is_parent_visible(self) -> bool:
        p = self.parent
        while p is not None:
            if not p.is_visible():
                return False
            p = p.parent
        pq = self.parent_question
        return not (pq is not None and not pq.is_visible())

    def set_visible(self, val: bool) -> None:
        if self.visible == val:
            return
        self.visible = val
        self.on_visible_changed()
        if self.parent is not None:
            self.parent.on_element_visibility_changed(self)

    def on_element_visibility_changed(self, element: Any) -> None:
        if self.run.is_loading:
            return
        self.child_visibility_changed()
        if self.parent is not None:
            self.parent.on_element_visibility_changed(self)

    def child_visibility_changed(self) -> None:
        if self.is_running_conditions:
            return
        new = self.get_is_page_visible()
        old = self.is_visible_prop if self.is_visible_prop is not None else True
        if new != old:
            self.on_visible_changed()

    def can_update_value_on_visible_changed(self) -> bool:
        return not self.run.is_loading and not self.run.is_setting_data

    def on_visible_changed(self) -> None:
        current = self.is_visible()
        self.is_visible_prop = current
        if self.can_update_value_on_visible_changed():
            for q in self.questions:
                if not current:
                    q.clear_value_if_invisible("onHiddenContainer")
                    q.on_hiding_content()
                else:
                    q.update_value_with_defaults()
        if self.is_page:
            self.run.page_visibility_changed(self, current)
        else:
            self.run.panel_visibility_changed(self, current)

    # ------------------------------------------------------------------ read-only / required
    def is_read_only(self) -> bool:
        if self.read_only:
            return True
        p = self.parent
        if p is not None and p.is_read_only():
            return True
        if self.run.is_display_mode:
            return True
        pq = self.parent_question
        return pq is not None and pq.is_read_only()

    def set_read_only(self, val: bool) -> None:
        if self.read_only == val:
            return
        self.read_only = val
        self.on_read_only_changed()

    def on_read_only_changed(self) -> None:
        for el in self.elements:
            el.on_read_only_changed()

    def set_is_required(self, val: bool) -> None:
        if self.is_required == val:
            return
        self.is_required = val
        if not val and self.errors:
            self.validate_container_only()

    # ------------------------------------------------------------------ load / values
    def on_survey_load(self) -> None:
        for el in self.elements:
            el.on_survey_load()

    def on_first_rendering(self) -> None:
        if not self.was_rendered and not self.run.is_loading:
            self.was_rendered = True
            for el in self.elements:
                el.on_first_rendering()

    def has_value_any_question(self) -> bool:
        return any(not q.is_empty() for q in self.questions)

    def on_hiding_content(self) -> None:
        for q in self.questions:
            q.on_hiding_content()

    def update_value_with_defaults(self) -> None:
        for q in self.questions:
            q.update_value_with_defaults()

    # ------------------------------------------------------------------ validation
    def validate(self, fire_callback: bool = True, focus_first_error: bool = False) -> bool:
        """``PanelModelBase.validate``: every visible element, then this container itself."""
        from surveys.engine.errors import ValidationContext

        ctx = ValidationContext(fire_callback=fire_callback, focus_on_first_error=focus_first_error)
        self.validate_core(ctx)
        return ctx.result

    def validate_element(self, ctx: Any) -> bool:
        before: int = ctx.error_count
        self.validate_core(ctx)
        return bool(ctx.error_count <= before)

    def validate_core(self, ctx: Any) -> None:
        for el in self.elements:
            if not el.is_visible():
                continue
            if el.is_panel:
                el.validate_core(ctx)
            else:
                el.validate_element(ctx)
        self.validate_in_panels(ctx)

    def validate_container_only(self) -> None:
        from surveys.engine.errors import ValidationContext

        self.validate_in_panels(ValidationContext(fire_callback=True))
        if self.parent is not None:
            self.parent.validate_container_only()

    def validate_in_panels(self, ctx: Any) -> None:
        if self.is_read_only():
            return
        errors: list[SurveyError] = []
        self.validate_required(ctx, errors)
        if self.run.hide_required_errors:
            for e in errors:
                if e.type in ("required", "requireoneanswer"):
                    e.visible = False
        ctx.set_error_element(self, errors)
        if ctx.fire_callback:
            self.errors = errors

    def visible_questions_deep(self) -> list[QuestionRt]:
        """``addQuestionsToList(list, visibleOnly=true)``: visible questions in visible panels."""
        res: list[QuestionRt] = []
        for el in self.elements:
            if not el.is_visible():
                continue
            if el.is_panel:
                res.extend(el.visible_questions_deep())
            else:
                res.append(el)
        return res

    def validate_required(self, ctx: Any, errors: list[SurveyError]) -> None:
        if not self.is_required:
            return
        vis = self.visible_questions_deep()
        if not vis:
            return
        for q in vis:
            if not q.is_empty():
                return
        text = loc_text(
            self.d.required_error_text, self.run.locale, verne=self.run.verne
        ) or self.run.message("requiredErrorInPanel")
        err = SurveyError("requireoneanswer", text)
        errors.append(err)
        ctx.set_error_element(vis[0], [err])

    def title(self) -> str:
        text = loc_text(self.d.title, self.run.locale, verne=self.run.verne)
        if text and "{" in text:
            from surveys.engine.textproc import process_text

            text = process_text(self, text)
        return text


class PageRt(PanelRt):
    def __init__(self, d: PanelDef, run: SurveyRun, data: Any, parent: PanelRt | None) -> None:
        super().__init__(d, run, data, parent)
        self.is_page = parent is None

    @property
    def type(self) -> str:
        return "page"


def _eq_true(v: Any) -> bool:
    from surveys.engine.runtime.question import _loose_true

    return _loose_true(v)
