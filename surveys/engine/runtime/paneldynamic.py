"""``paneldynamic`` (survey-core ``QuestionPanelDynamicModel``).

The value is an array of objects, one per panel. Panels are built lazily (the first time
something reads them: a snapshot, validation), like survey-core; until then ``panelCount``
follows the value. Each panel is a copy of the template whose data owner is a panel item:
``{panel.x}`` reads the same panel, ``{panelIndex}`` is 0-based, ``{visiblePanelIndex}``
counts visible panels, ``{prevPanel.x}``/``{nextPanel.x}`` the neighbours; other names are
the survey's (outer questions are visible from inside panels). ``templateVisibleIf`` hides
single panels. Errors are reported as ``<name>[i].<question>``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from surveys.engine.errors import SurveyError
from surveys.engine.jsutil import (
    UNDEFINED,
    deep_copy,
    get_number,
    is_two_value_equals,
    is_value_empty,
    is_value_empty_trim,
    js_loose_eq,
    js_truthy,
)
from surveys.engine.model import PanelDynamicDef, loc_text
from surveys.engine.runtime.element import PanelRt
from surveys.engine.runtime.keys import is_any_key_changed
from surveys.engine.runtime.question import QuestionRt
from surveys.engine.runtime.scope import LayeredScope

if TYPE_CHECKING:
    from surveys.engine.exprs import Compiled
    from surveys.engine.runtime.survey import SurveyRun


class PanelItemRt:
    """The data owner of one dynamic panel (survey-core ``QuestionPanelDynamicItem``)."""

    is_changing_via_default_value = False

    def __init__(self, q: PanelDynamicQuestionRt) -> None:
        self.q = q
        self.run = q.run
        self.is_setting_value = False
        tmpl_def = q.d.template
        assert tmpl_def is not None
        self.panel: PanelRt = PanelRt(tmpl_def, q.run, self, None, q)
        self.panel.name = ""
        tmpl = q.d.template
        assert tmpl is not None
        self.panel.elements = q.run.build_nested_elements(tmpl, self.panel, self, q)
        self.panel.visible_if_override = q.d.template_visible_if

    @property
    def questions(self) -> list[QuestionRt]:
        return self.panel.questions

    def panel_value(self) -> dict[str, Any]:
        """``panel.getValue()``: the non-empty values of the panel's questions (and comments)."""
        res: dict[str, Any] = {}
        suffix = self.run.settings.comment_suffix
        for q in self.questions:
            if not q.is_empty():
                res[q.value_name] = deep_copy(q.value)
                comment = self.get_comment(q.value_name)
                if js_truthy(comment):
                    res[q.value_name + suffix] = comment
        return res

    def index(self) -> int:
        items = self.q.items()
        return items.index(self) if self in items else len(items)

    def all_values(self) -> dict[str, Any]:
        data = self.q.get_item_data(self)
        return dict(data) if isinstance(data, dict) else {}

    # ------------------------------------------------------------------ data owner protocol
    def get_value(self, name: str) -> Any:
        return self.all_values().get(name, UNDEFINED)

    def get_comment(self, name: str) -> Any:
        res = self.get_value(name + self.run.settings.comment_suffix)
        return res if js_truthy(res) else ""

    def set_value(
        self,
        name: str,
        value: Any,
        loc_notification: Any = False,
        allow_notify: bool = True,
        question_name: str | None = None,
    ) -> None:
        if self.is_setting_value:
            return
        old = self.all_values().get(name, UNDEFINED)
        if is_two_value_equals(value, old, False, True, False):
            return
        self.q.update_item_value(self, name, deep_copy(value))
        self.run_triggers_on_set_value(name, value)

    def set_comment(self, name: str, value: Any, loc_notification: Any = False) -> None:
        self.set_value(name + self.run.settings.comment_suffix, value)

    def run_triggers_on_set_value(self, name: str, new_value: Any) -> None:
        suffix = self.run.settings.comment_suffix
        if name.endswith(suffix):
            base = name[: -len(suffix)]
            cq = self.panel.get_question_by_name(base)
            if cq is not None:
                new_value = cq.value
                name = base
        for q in self.questions:
            q.run_triggers("panel." + name, new_value, None)

    def run_triggers(self, name: str | None, value: Any, keys: dict[str, Any] | None) -> None:
        if not name and not keys:
            return
        for q in self.questions:
            q.run_triggers(name, value, keys)

    def find_question_by_name(self, name: str) -> QuestionRt | None:
        if name.startswith("panel."):
            return self.panel.get_question_by_name(name[6:])
        return self.run.get_question_by_name(name)

    # ------------------------------------------------------------------ expressions
    def panel_view(self) -> dict[str, Any]:
        res: dict[str, Any] = {}
        for q in self.questions:
            res.setdefault(q.value_name, q.get_filtered_value())
        for k, v in self.all_values().items():
            res.setdefault(k, v)
        return res

    def context_locals(self) -> dict[str, Any]:
        q = self.q
        panels = q.panels_core
        vis = q.visible_panels()
        res: dict[str, Any] = {
            "panel": self.panel_view(),
            "panelIndex": panels.index(self.panel) if self.panel in panels else -1,
            "visiblePanelIndex": vis.index(self.panel) if self.panel in vis else -1,
        }
        if self.panel in vis:
            vi = vis.index(self.panel)
            if vi > 0:
                res["prevPanel"] = vis[vi - 1].data.panel_view()
            if vi + 1 < len(vis):
                res["nextPanel"] = vis[vi + 1].data.panel_view()
        outer = q.data
        if isinstance(outer, PanelItemRt):
            res["parentPanel"] = outer.panel_view()
        return res

    def scope(self) -> Mapping[str, Any]:
        return LayeredScope(self.context_locals(), self.q.owner_scope())

    def context_keys(self, keys: Mapping[str, Any] | None) -> dict[str, Any]:
        names = ["panelIndex", "visiblePanelIndex"]
        if keys is None or self.q.is_container_value_changed(keys):
            names += ["panel", "prevPanel", "nextPanel", "parentPanel"]
        res: dict[str, Any] = {}
        for n in names:
            res[n] = self
            if n.lower() != n:
                res[n.lower()] = self
        return res

    def can_skip_expression_by_keys(
        self, compiled: Compiled, keys: dict[str, Any], variables: Any
    ) -> bool:
        if compiled.has_const_function:
            return False
        vars_ = compiled.variables if variables is None else variables
        if not vars_:
            return False
        merged = {**keys, **self.context_keys(keys)}
        return not is_any_key_changed(merged, vars_)


class PanelDynamicQuestionRt(QuestionRt):
    d: PanelDynamicDef
    is_value_array = True

    def __init__(
        self,
        d: Any,
        run: SurveyRun,
        data: Any,
        parent: PanelRt | None,
        parent_question: QuestionRt | None = None,
    ) -> None:
        super().__init__(d, run, data, parent, parent_question)
        pd = self.d
        self.min_panel_count = max(0, pd.min_panel_count)
        mx = pd.max_panel_count
        self.max_panel_count = mx
        self.panel_count_prop = max(0, pd.panel_count)
        self.panels_core: list[PanelRt] = []
        self.has_panel_build_first_time = False
        self.is_building_panels_first_time = False
        self.is_adding_new_panels = False
        self.adding_new_panels_value: Any = UNDEFINED
        self.is_new_panels_value_changed = False
        self.is_value_changing_internally = False
        self.setting_panel_count_based_on_value = False
        self.is_value_changed_without_panels = False
        self.is_setting_panel_item_data = 0
        self.changing_value_questions: list[QuestionRt] | None = None

    # ------------------------------------------------------------------ panels
    def can_build_panels(self) -> bool:
        return not self.run.is_loading

    def was_not_rendered(self) -> bool:
        return not self.has_panel_build_first_time and not self.was_rendered

    def on_first_rendering_core(self) -> None:
        self.build_panels_first_time()

    def build_panels_first_time(self) -> None:
        if self.has_panel_build_first_time or not self.can_build_panels():
            return
        self.has_panel_build_first_time = True
        self.is_building_panels_first_time = True
        if self.panel_count_prop > 0:
            self.set_panel_count(self.panel_count_prop)
        if self.is_value_changed_without_panels:
            self.is_value_changed_without_panels = False
            for p in self.visible_panels_core():
                item: PanelItemRt = p.data
                val = self.get_item_data(item)
                if isinstance(val, dict) and not is_value_empty(val):
                    item.run_triggers("", UNDEFINED, {f"panel.{k}": v for k, v in val.items()})
        self.is_building_panels_first_time = False

    @property
    def panels(self) -> list[PanelRt]:
        self.build_panels_first_time()
        return self.panels_core

    def visible_panels_core(self) -> list[PanelRt]:
        return [p for p in self.panels_core if p.visible]

    def visible_panels(self) -> list[PanelRt]:
        self.build_panels_first_time()
        return self.visible_panels_core()

    def items(self) -> list[PanelItemRt]:
        return [p.data for p in self.panels_core]

    @property
    def panel_count(self) -> int:
        if not self.can_build_panels() or self.was_not_rendered():
            return self.panel_count_prop
        return len(self.panels_core)

    def set_panel_count(self, val: int) -> None:
        if val < 0:
            return
        if not self.can_build_panels() or self.was_not_rendered():
            self.panel_count_prop = val
            return
        if val == len(self.panels_core):
            return
        self.prepare_value_for_panel_creating()
        for _ in range(len(self.panels_core), val):
            self.panels_core.append(self.create_new_panel())
        if val < len(self.panels_core):
            del self.panels_core[val:]
        self.set_value_after_panels_creating()
        self.set_value_based_on_panel_count()
        self.re_run_condition()

    def create_new_panel(self) -> PanelRt:
        item = PanelItemRt(self)
        for q in item.panel.questions:
            q.on_survey_load()
        item.panel.on_first_rendering()
        return item.panel

    def prepare_value_for_panel_creating(self) -> None:
        self.adding_new_panels_value = self.value
        self.is_adding_new_panels = True
        self.is_new_panels_value_changed = False

    def set_value_after_panels_creating(self) -> None:
        self.is_adding_new_panels = False
        if self.is_new_panels_value_changed:
            self.is_value_changing_internally = True
            self.value = self.adding_new_panels_value
            self.is_value_changing_internally = False

    def get_value_core(self) -> Any:
        return self.adding_new_panels_value if self.is_adding_new_panels else self.question_value

    def set_value_core(self, new_value: Any) -> None:
        if self.is_adding_new_panels:
            self.is_new_panels_value_changed = True
            self.adding_new_panels_value = new_value
        else:
            super().set_value_core(new_value)

    def set_value_based_on_panel_count(self) -> None:
        value = self.value
        if not isinstance(value, list):
            value = []
        else:
            value = deep_copy(value)
        count = self.panel_count
        if len(value) == count:
            return
        for i in range(len(value), count):
            pv = self.panels[i].data.panel_value()
            value.append(pv if not is_value_empty(pv) else {})
        if len(value) > count:
            del value[count:]
        self.is_value_changing_internally = True
        self.value = value
        self.is_value_changing_internally = False

    def re_run_condition(self) -> None:
        if self.data is None:
            return
        self.run_condition()

    # ------------------------------------------------------------------ values
    def is_new_value_correct(self, val: Any) -> bool:
        return isinstance(val, list)

    def is_empty(self) -> bool:
        val = self.value
        if not isinstance(val, list) or not val:
            return True
        return all(not (isinstance(x, dict) and x) for x in val)

    def get_item_data(self, item: PanelItemRt) -> Any:
        items = self.items()
        return self.get_panel_item_data_by_index(items.index(item) if item in items else -1)

    def get_panel_item_data_by_index(self, index: int) -> Any:
        items = self.items()
        q_value = self.value
        if index < 0 and isinstance(q_value, list) and len(q_value) > len(items):
            index = len(items)
        if index < 0:
            return {}
        if not isinstance(q_value, list) or len(q_value) <= index:
            return {}
        return q_value[index]

    def update_item_value(self, item: PanelItemRt, name: str, val: Any) -> None:
        self.is_setting_panel_item_data += 1
        try:
            items = self.items()
            index = items.index(item) if item in items else len(items)
            q_value = deep_copy(self.value)
            if not isinstance(q_value, list):
                q_value = []
            for _ in range(len(q_value), max(index + 1, len(items))):
                q_value.append({})
            if not isinstance(q_value[index], dict) or not q_value[index]:
                q_value[index] = {} if not isinstance(q_value[index], dict) else q_value[index]
            if not is_value_empty_trim(val):
                q_value[index][name] = val
            else:
                q_value[index].pop(name, None)
            if 0 <= index < len(self.panels_core):
                qname = name
                suffix = self.run.settings.comment_suffix
                if qname.endswith(suffix):
                    qname = qname[: -len(suffix)]
                q = _by_value_name(self.panels_core[index], qname)
                self.changing_value_questions = [q] if q is not None else []
            self.value = q_value
            self.changing_value_questions = None
        finally:
            self.is_setting_panel_item_data -= 1

    def set_question_value(self, new_value: Any, update_is_answered: bool = True) -> None:
        if self.setting_panel_count_based_on_value:
            return
        super().set_question_value(new_value, False)
        self.set_panel_count_based_on_value()
        if self.is_setting_panel_item_data <= 0:
            for p in self.panels_core:
                self.panel_update_value_from_survey(p)
        self.update_is_answered()

    def set_panel_count_based_on_value(self) -> None:
        if self.is_value_changing_internally:
            return
        val = self.value
        n = len(val) if isinstance(val, list) else 0
        if n == 0 and self.panel_count_prop > 0:
            n = self.panel_count_prop
        self.setting_panel_count_based_on_value = True
        self.set_panel_count(n)
        self.setting_panel_count_based_on_value = False

    def panel_update_value_from_survey(self, panel: PanelRt) -> None:
        values = self.get_item_data(panel.data)
        values = values if isinstance(values, dict) else {}
        suffix = self.run.settings.comment_suffix
        for q in panel.questions:
            q.update_value_from_survey(values.get(q.value_name, UNDEFINED))
            q.update_comment_from_survey(values.get(q.value_name + suffix, UNDEFINED))

    def on_survey_value_changed(self, new_value: Any) -> None:
        if new_value is UNDEFINED and self.is_all_panels_empty():
            return
        for p in self.panels_core:
            values = self.get_item_data(p.data)
            values = values if isinstance(values, dict) else {}
            for q in p.questions:
                q.on_survey_value_changed(values.get(q.value_name, UNDEFINED))
        if new_value is UNDEFINED:
            self.set_value_based_on_panel_count()

    def is_all_panels_empty(self) -> bool:
        return all(is_value_empty(p.data.panel_value()) for p in self.panels_core)

    def owner_scope(self) -> Mapping[str, Any]:
        scope: Mapping[str, Any] = self.data.scope()
        return scope

    def is_container_value_changed(self, keys: Mapping[str, Any]) -> bool:
        if self.value_name in keys:
            return True
        outer = self.data
        if isinstance(outer, PanelItemRt):
            return outer.q.is_container_value_changed(keys)
        return False

    # ------------------------------------------------------------------ load / conditions
    def on_survey_load(self) -> None:
        if self.panel_count_prop < self.min_panel_count:
            self.panel_count_prop = self.min_panel_count
        elif self.panel_count_prop > self.max_panel_count:
            self.panel_count_prop = self.max_panel_count
        super().on_survey_load()

    def is_default_value_empty(self) -> bool:
        return super().is_default_value_empty() and is_value_empty(self.d.default_panel_value)

    def set_default_value(self) -> None:
        dpv = self.d.default_panel_value
        if is_value_empty(dpv) or not is_value_empty(self.d.default_value):
            super().set_default_value()
            return
        if not self.is_empty() or self.panel_count == 0:
            return
        self.value = [deep_copy(dpv) for _ in range(self.panel_count)]

    def run_condition_core(self) -> None:
        super().run_condition_core()
        expr = self.d.panel_count_expression
        if expr is not None:
            self.run_expression_by_property(
                "panelCountExpression",
                expr,
                lambda v: self.set_panel_count(
                    _item_count(v, self.min_panel_count, self.max_panel_count)
                ),
            )
        prev = self.is_value_changing_internally
        self.is_value_changing_internally = True
        for p in list(self.panels_core):
            p.run_condition()
        self.is_value_changing_internally = prev

    def run_triggers(self, name: str | None, value: Any, keys: dict[str, Any] | None) -> None:
        super().run_triggers(name, value, keys)
        for p in self.visible_panels_core():
            p.data.run_triggers(name, value, keys)

    def on_any_value_changed(self, name: str, question_name: str | None) -> None:
        super().on_any_value_changed(name, question_name)
        if not self.has_panel_build_first_time and name == self.value_name:
            self.is_value_changed_without_panels = True
        for p in self.panels_core:
            for q in p.questions:
                q.on_any_value_changed(name, question_name)
                q.on_any_value_changed("panel", "")

    # ------------------------------------------------------------------ add panel
    def can_add_panel(self) -> bool:
        if self.d.panel_count_expression is not None:
            return False
        allow = self.d.raw.get("allowAddPanel", True) is not False
        return allow and not self.is_read_only() and self.panel_count < self.max_panel_count

    def add_panel(self) -> PanelRt | None:
        """``question.addPanel()`` (programmatic: no allowAddPanel/maxPanelCount check)."""
        index = self.panel_count
        self.update_value_on_adding_panel(self.panel_count - 1, index)
        return self.panels_core[index] if index < len(self.panels_core) else None

    def update_value_on_adding_panel(self, prev_index: int, index: int) -> None:
        self.build_panels_first_time()
        self.set_panel_count(self.panel_count + 1)
        new_value = self.value
        if not isinstance(new_value, list) or len(new_value) != self.panel_count:
            return
        new_value = deep_copy(new_value)
        modified = False
        last = self.panel_count - 1
        if index < last:
            modified = True
            rec = new_value.pop(last)
            new_value.insert(index, rec)
        dpv = self.d.default_panel_value
        if not is_value_empty(dpv) and isinstance(dpv, dict):
            modified = True
            new_value[index].update(deep_copy(dpv))
        copy_last = (
            self.d.raw.get(
                "copyDefaultValueFromLastEntry", self.d.raw.get("defaultValueFromLastPanel")
            )
            is True
        )
        if copy_last and len(new_value) > 1:
            from_index = prev_index if -1 < prev_index <= last else last
            modified = True
            src = new_value[from_index]
            if isinstance(src, dict):
                new_value[index].update(deep_copy(src))
        if modified:
            self.value = new_value

    # ------------------------------------------------------------------ validation / clearing
    def validate_element(self, ctx: Any) -> bool:
        if self.is_building_panels_first_time:
            return True
        res = self.validate_in_panels(ctx)
        return super().validate_element(ctx) and res

    def validate_in_panels(self, ctx: Any) -> bool:
        res = True
        key_values: list[Any] = []
        for p in self.visible_panels():
            ok = p.validate_element(ctx)
            ok = not self.is_value_duplicated(p, key_values, ctx) and ok
            res = ok and res
        return res

    def is_value_duplicated(self, panel: PanelRt, key_values: list[Any], ctx: Any) -> bool:
        kn = self.d.key_name
        if not kn:
            return False
        q = _by_value_name(panel, kn)
        if q is None or q.is_empty():
            return False
        value = q.value
        for kv in key_values:
            if js_loose_eq(value, kv):
                if ctx.fire_callback:
                    text = loc_text(
                        self.d.key_duplication_error, self.loc(), verne=self.run.verne
                    ) or self.message("keyDuplicationError")
                    q.errors.append(SurveyError("keyduplicationerror", text))
                ctx.set_error_element(q, None)
                return True
        key_values.append(value)
        return False

    def clear_value_on_hidding(self, is_clear_on_hidden: bool) -> None:
        if not is_clear_on_hidden:
            if self.run.get_question_clear_if_invisible("onHidden") == "none":
                return
            self.clear_value_in_panels_if_invisible("onHiddenContainer")
        super().clear_value_on_hidding(is_clear_on_hidden)

    def clear_value_if_invisible(self, reason: str = "onHidden") -> None:
        panel_reason = "onHiddenContainer" if reason == "onHidden" else reason
        self.clear_value_in_panels_if_invisible(panel_reason)
        super().clear_value_if_invisible(reason)

    def clear_value_in_panels_if_invisible(self, reason: str) -> None:
        for p in self.panels_core:
            for q in p.questions:
                if q.visible and not p.is_visible():
                    continue
                q.clear_value_if_invisible(reason)

    def nested_questions(self) -> list[QuestionRt]:
        out: list[QuestionRt] = []
        for p in self.panels_core:
            out.extend(p.questions)
        return out

    def get_display_value_core(self, keys_as_text: bool, value: Any) -> Any:
        if not isinstance(value, list):
            return value
        values = deep_copy(value)
        for i, p in enumerate(self.panels_core):
            if i >= len(values) or not js_truthy(values[i]) or not isinstance(values[i], dict):
                continue
            val = values[i]
            for key in list(val):
                q = _by_value_name(p, key)
                if q is None:
                    continue
                dv = q.get_display_value(keys_as_text, val[key])
                val[key] = dv
                title = q.title()
                if keys_as_text and title and title != key:
                    val[title] = dv
                    del val[key]
        return values


def _by_value_name(panel: PanelRt, name: str) -> QuestionRt | None:
    for q in panel.questions:
        if q.value_name == name:
            return q
    return None


def _item_count(value: Any, min_count: int, max_count: int) -> int:
    import math

    n = get_number(value)
    res = math.floor(n) if n == n else 0
    if not (res > 0):
        res = 0
    if res < min_count:
        res = min_count
    if max_count >= 0 and res > max_count:
        res = max_count
    return int(res)


__all__ = ["PanelDynamicQuestionRt", "PanelItemRt"]
