"""Choice questions: radiogroup, dropdown, checkbox, tagbox, ranking, imagepicker.

Follows survey-core's ``QuestionSelectBase``/``QuestionCheckboxModel``: visible choices
(``choicesVisibleIf``, item ``visibleIf``, ``choicesFromQuestion``), the special items
(``none``, ``other``, ``refused``, ``dontknow``, select-all ``""``), "other" stored as
``<name>-Comment``, exclusive "none" handling, and clearing of values that are no longer among
the visible choices.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from surveys.engine.errors import SurveyError
from surveys.engine.jsutil import (
    UNDEFINED,
    base_equals,
    deep_copy,
    is_value_empty,
    is_value_empty_trim,
    js_loose_eq,
    to_js_string,
)
from surveys.engine.model import ChoiceDef, LocStr, SelectDef, loc_text
from surveys.engine.runtime.question import QuestionRt, _trimmed_comment
from surveys.engine.runtime.scope import LayeredScope

if TYPE_CHECKING:
    from collections.abc import Mapping

    from surveys.engine.exprs import Compiled
    from surveys.engine.runtime.element import PanelRt
    from surveys.engine.runtime.survey import SurveyRun

OTHER = "other"
NONE = "none"
REFUSED = "refused"
DONTKNOW = "dontknow"


class ItemRt:
    """A choice at run time (survey-core ``ItemValue``)."""

    __slots__ = (
        "d",
        "enable_if",
        "is_comment_required",
        "is_enabled",
        "is_exclusive",
        "is_visible",
        "kind",
        "loc_key",
        "show_comment_area",
        "text_ls",
        "text_str",
        "value",
        "visible_if",
    )

    def __init__(
        self,
        value: Any,
        text_ls: LocStr | None = None,
        *,
        kind: str = "choice",
        d: ChoiceDef | None = None,
        loc_key: str = "",
        text_str: str | None = None,
    ) -> None:
        self.value = value
        self.text_ls = text_ls
        self.text_str = text_str
        self.kind = kind
        self.d = d
        self.loc_key = loc_key
        self.visible_if: Compiled | None = d.visible_if if d is not None else None
        self.enable_if: Compiled | None = d.enable_if if d is not None else None
        self.is_visible = True
        self.is_enabled = True
        self.show_comment_area = d.show_comment_area if d is not None else False
        self.is_comment_required = d.is_comment_required if d is not None else False
        self.is_exclusive = d.is_exclusive if d is not None else False
        if kind == "other":
            self.show_comment_area = True
            self.is_comment_required = True
        if kind in ("none", "refuse", "dontknow"):
            self.is_exclusive = True

    def __repr__(self) -> str:
        return f"ItemRt({self.value!r})"

    def text(self, q: QuestionRt) -> str:
        run = q.run
        if self.text_str is not None:
            return self.text_str
        t = loc_text(self.text_ls, run.locale, verne=run.verne)
        if not t and self.loc_key:
            t = run.message(self.loc_key)
        if t and "{" in t:
            from surveys.engine.textproc import process_text

            t = process_text(q, t)
        if not t:
            v = self.value
            return "" if is_value_empty(v) else to_js_string(v)
        return t


def get_item_by_value(items: list[ItemRt], val: Any) -> ItemRt | None:
    """``ItemValue.getItemByValue``: case-sensitive, untrimmed, numbers converted (``"1"`` finds 1)."""
    if is_value_empty(val):
        # an empty value only equals an empty item value
        for item in items:
            if is_value_empty(item.value):
                return item
        return None
    from surveys.engine.jsutil import check_if_values_equal

    for item in items:
        if check_if_values_equal(item.value, val, case_sensitive=True, trim_strings=False):
            return item
    return None


class SelectQuestionRt(QuestionRt):
    """survey-core ``QuestionSelectBase`` (radiogroup, dropdown, imagepicker, buttongroup)."""

    d: SelectDef
    is_select = True

    def __init__(
        self,
        d: Any,
        run: SurveyRun,
        data: Any,
        parent: PanelRt | None,
        parent_question: QuestionRt | None = None,
    ) -> None:
        super().__init__(d, run, data, parent, parent_question)
        sd: SelectDef = d
        self._stable_update: bool | None = None
        self._items_settled = False
        self.choices = [ItemRt(c.value, c.text, d=c) for c in sd.choices]
        self._extra_choices()
        self.other_item = ItemRt(OTHER, sd.other_text, kind="other", loc_key="otherItemText")
        self.none_item = ItemRt(NONE, sd.none_text, kind="none", loc_key="noneItemText")
        self.refuse_item = ItemRt(REFUSED, sd.refuse_text, kind="refuse", loc_key="refuseItemText")
        self.dont_know_item = ItemRt(
            DONTKNOW, sd.dont_know_text, kind="dontknow", loc_key="dontKnowItemText"
        )
        self.select_all_item: ItemRt | None = None
        self.rendered_value: Any = None
        self.other_value_core: Any = UNDEFINED
        self.filtered_choices: list[ItemRt] | None = None
        self.visible_choices: list[ItemRt] = []
        self.make_comment_empty = False
        self.is_setting_comment = False
        self.carry_items: list[ItemRt] | None = None
        self.prev_is_other_selected = False
        self.is_lock_visible_choices = False

    def _extra_choices(self) -> None:
        """Dropdown ``choicesMin``/``choicesMax``/``choicesStep`` add generated numeric choices."""
        if self.d.type != "dropdown":
            return
        raw = self.d.raw
        cmin, cmax, cstep = (
            raw.get("choicesMin", 0),
            raw.get("choicesMax", 0),
            raw.get("choicesStep", 1),
        )
        if not all(
            isinstance(x, (int, float)) and not isinstance(x, bool) for x in (cmin, cmax, cstep)
        ):
            return
        if cmax <= cmin or cstep <= 0:
            return
        i = cmin
        while i <= cmax:
            self.choices.append(ItemRt(i, None))
            i += cstep

    # ------------------------------------------------------------------ choices
    @property
    def show_other_item(self) -> bool:
        return self.d.show_other_item

    def get_store_others_as_comment(self) -> bool:
        if self.d.show_comment_area:
            return False
        if any(c.show_comment_area for c in self.choices):
            return True
        soc = self.d.store_others_as_comment
        return soc is True or (soc == "default" and self.run.store_others_as_comment)

    def carry_forward_question(self) -> QuestionRt | None:
        src = self.d.choices_from_question
        if not src:
            return None
        q = (
            self.data.find_question_by_name(src)
            if hasattr(self.data, "find_question_by_name")
            else None
        )
        if q is None or q is self:
            return None
        found: QuestionRt = q
        return found

    def carry_forward_type(self, q: QuestionRt | None) -> str:
        if q is None:
            return ""
        if getattr(q, "is_select", False):
            return "select"
        if q.is_value_array:
            return "array"
        return ""

    def active_choices(self) -> list[ItemRt]:
        q = self.carry_forward_question()
        kind = self.carry_forward_type(q)
        if kind == "select":
            assert isinstance(q, SelectQuestionRt)
            return self._choices_from_select_question(q)
        if kind == "array":
            assert q is not None
            return self._choices_from_array_question(q)
        return self.choices

    def _carried(self, value: Any, text: Any) -> ItemRt:
        key = (to_js_string(value), text if isinstance(text, str) else None)
        cache: dict[tuple[str, str | None], ItemRt] = self.__dict__.setdefault("_carry_cache", {})
        item = cache.get(key)
        if item is None:
            item = ItemRt(value, None, text_str=text if isinstance(text, str) else None)
            cache[key] = item
        item.value = value
        return item

    def _choices_from_select_question(self, q: SelectQuestionRt) -> list[ItemRt]:
        mode = self.d.choices_from_question_mode
        is_selected: bool | None = (
            True if mode == "selected" else False if mode == "unselected" else None
        )
        res: list[ItemRt] = []
        for ch in q.visible_choices:
            if q.is_built_in_choice(ch):
                continue
            if is_selected is None or q.is_item_selected(ch) == is_selected:
                res.append(self._carried(ch.value, ch.text(q)))
        if (
            mode == "selected"
            and not self.show_other_item
            and q.is_other_selected()
            and q.other_value()
        ):
            res.append(self._carried(q.other_item.value, q.other_value()))
        return res

    def _choices_from_array_question(self, q: QuestionRt) -> list[ItemRt]:
        val = q.value
        if not isinstance(val, list):
            return []
        res: list[ItemRt] = []
        for obj in val:
            if not isinstance(obj, dict):
                continue
            key = self.d.choice_values_from_question or (next(iter(obj)) if obj else None)
            if key and not is_value_empty_trim(obj.get(key, UNDEFINED)):
                text = (
                    obj.get(self.d.choice_texts_from_question)
                    if self.d.choice_texts_from_question
                    else None
                )
                res.append(self._carried(obj[key], text if isinstance(text, str) else None))
        return res

    def get_filtered_choices(self) -> list[ItemRt]:
        return self.filtered_choices if self.filtered_choices is not None else self.active_choices()

    def is_built_in_choice(self, item: ItemRt) -> bool:
        return item.kind != "choice"

    def supports_none(self) -> bool:
        return self.d.type != "ranking"

    def calc_visible_choices(self) -> list[ItemRt]:
        res = list(self.get_filtered_choices())
        res = self.sort_by_choices_order(res)
        head: list[ItemRt] = []
        foot: list[ItemRt] = []
        if self.select_all_item is not None and self.d.show_select_all_item:
            head.append(self.select_all_item)
        d = self.d
        if d.show_none_item and self.supports_none():
            foot.append(self.none_item)
        if d.show_refuse_item:
            foot.append(self.refuse_item)
        if d.show_dont_know_item:
            foot.append(self.dont_know_item)
        if d.show_other_item and self.supports_none():
            foot.append(self.other_item)
        return head + res + foot

    def sort_by_choices_order(self, items: list[ItemRt]) -> list[ItemRt]:
        order = self.d.choices_order
        if order in ("asc", "desc"):
            import functools

            from surveys.engine.runtime.compare import compare_strings

            mult = 1 if order == "asc" else -1

            def cmp(a: ItemRt, b: ItemRt) -> int:
                return compare_strings(a.text(self), b.text(self)) * mult

            return sorted(items, key=functools.cmp_to_key(cmp))
        return items

    def update_visible_choices(self) -> None:
        self.visible_choices = self.calc_visible_choices()

    def on_visible_choices_changed(self) -> None:
        if self.run.is_loading or self.is_lock_visible_choices:
            return
        self.update_visible_choices()
        if self.is_other_value(self.rendered_value):
            self.set_rendered_value(self.rendered_value_from_data(self.value), False)
        self.on_visible_changed()
        self.update_choices_depended_questions()

    def update_choices_depended_questions(self) -> None:
        if self.run.is_loading:
            return
        self.run.update_depended_questions(self)

    def update_depended_question(self) -> None:
        self.on_visible_choices_changed()
        self.clear_incorrect_values()

    def is_visible_core(self) -> bool:
        sup = self.visible
        if not self.d.hide_if_choices_empty or not sup:
            return sup
        choices = (
            self.visible_choices
            if self.carry_forward_question() is not None
            else self.get_filtered_choices()
        )
        return len(choices) > 0

    def item_scope(self, item: ItemRt) -> Mapping[str, Any]:
        v = item.value
        return LayeredScope({"item": v, "choice": v, "self": v}, self.scope())

    def _item_condition(self, compiled: Compiled, item: ItemRt) -> bool:
        if not compiled.ok:
            self.run.warn_invalid_expression(compiled, self)
            return False
        return compiled.condition(self.item_scope(item), self.eval_ctx())

    # ------------------------------------------------------------------ conditions
    def run_condition_core(self) -> None:
        super().run_condition_core()
        if self._items_settled:
            return
        self.run_items_enable_condition()
        self.run_items_condition()
        # Static choices of a single-select question (no item/choices conditions, no carry
        # forward): once run, every item is visible and enabled for good, so later runs are
        # no-ops.
        if type(self) is SelectQuestionRt and self.stable_update_from_survey():
            self._items_settled = True

    def on_enable_item_callback(self, item: ItemRt) -> bool:
        return True

    def run_items_enable_condition(self) -> None:
        cond = self.d.choices_enable_if
        has_changed = False
        for item in self.active_choices():
            runner = item.enable_if or cond
            new = True if runner is None else self._item_condition(runner, item)
            new = new and self.on_enable_item_callback(item)
            if new != item.is_enabled:
                has_changed = True
                item.is_enabled = new
        if has_changed:
            self.clear_disabled_values()
        self.on_after_run_items_enable_condition()

    def on_after_run_items_enable_condition(self) -> None:
        pass

    def clear_disabled_values(self) -> None:
        if (
            self.run.model.raw.get(
                "clearDisabledChoices", self.run.model.raw.get("clearValueOnDisableItems")
            )
            is True
        ):
            self.clear_disabled_values_core()

    def clear_disabled_values_core(self) -> None:
        if self.is_value_disabled(self.value):
            self.clear_value(True)

    def is_value_disabled(self, val: Any) -> bool:
        item = get_item_by_value(self.get_filtered_choices(), val)
        return item is not None and not item.is_enabled

    def run_items_condition(self) -> bool:
        has_changes = self.run_conditions_for_items()
        if self.filtered_choices is not None and len(self.filtered_choices) == len(
            self.active_choices()
        ):
            self.filtered_choices = None
        if has_changes:
            self.on_visible_choices_changed()
            self.clear_incorrect_values()
        return has_changes

    def run_conditions_for_items(self) -> bool:
        filtered: list[ItemRt] = []
        self.filtered_choices = filtered
        cond = self.d.choices_visible_if
        choices = self.active_choices()
        changed = False
        for item in choices:
            runner = item.visible_if or cond
            new = True if runner is None else self._item_condition(runner, item)
            if new:
                filtered.append(item)
            if new != item.is_visible:
                changed = True
                item.is_visible = new
        return changed or self.is_carry_forward_changed(choices)

    def is_carry_forward_changed(self, choices: list[ItemRt]) -> bool:
        if self.carry_forward_question() is None:
            return False
        vis = self.visible_choices
        if len(vis) != len(choices):
            return True
        return any(vis[i].value != choices[i].value for i in range(len(choices)))

    def on_survey_load(self) -> None:
        self.on_visible_choices_changed()
        super().on_survey_load()

    def on_any_value_changed(self, name: str, question_name: str | None) -> None:
        super().on_any_value_changed(name, question_name)
        src = self.d.choices_from_question
        if name and src and (name == src or question_name == src):
            self.on_visible_choices_changed()
            self.clear_incorrect_values()

    # ------------------------------------------------------------------ other / comments
    def is_other_value(self, val: Any) -> bool:
        if isinstance(val, list):
            return any(base_equals_strict(x, OTHER) for x in val)
        return base_equals_strict(val, OTHER)

    def is_other_selected(self) -> bool:
        return self.show_other_item and self.is_other_value(self.rendered_value)

    def is_none_selected(self) -> bool:
        return self.d.show_none_item and self.get_is_item_value(self.rendered_value, self.none_item)

    def get_is_item_value(self, val: Any, item: ItemRt) -> bool:
        return base_equals_strict(val, item.value)

    def other_value(self) -> Any:
        if self.get_store_others_as_comment():
            return self.get_question_comment()
        return self.other_value_core

    def set_other_value(self, val: Any) -> None:
        val = _trimmed_comment(val)
        if self.is_setting_comment or _same(self.other_value(), val):
            return
        self.update_prev_other_error_value(val)
        self.is_setting_comment = True
        if self.get_store_others_as_comment():
            self.set_new_comment(val)
        else:
            self.other_value_core = val
            if self.is_other_selected():
                self.value = self.get_value_on_setting_other(val)
        self.is_setting_comment = False
        self.update_choices_depended_questions()

    def update_prev_other_error_value(self, val: Any) -> None:
        old = self.other_value()
        if not _same(val, old):
            self.prev_other_error_value = old

    def get_value_on_setting_other(self, other_value: Any) -> Any:
        val = self.rendered_value_to_data(self.rendered_value)
        if self.d.show_comment_area or self.get_store_others_as_comment():
            return val
        item = get_item_by_value(self.visible_choices, other_value)
        if item is None or item is self.other_item:
            return val
        self.other_value_core = ""
        if not isinstance(val, list):
            return other_value
        val = [v for v in val if not base_equals_strict(v, OTHER)]
        if other_value not in val:
            val.append(other_value)
        return val

    def get_question_comment(self) -> Any:
        if self.d.show_comment_area:
            return self.question_comment
        if _truthy(self.other_value_core):
            return self.other_value_core
        if self.get_store_others_as_comment():
            return self.question_comment
        return self.other_value_core

    def set_new_comment(self, new_value: Any) -> None:
        if self.is_other_selected() and self.get_store_others_as_comment():
            self.update_prev_other_error_value(new_value)
        super().set_new_comment(new_value)

    @property
    def requires_update_comment_value(self) -> bool:
        return self.d.show_comment_area or self.show_other_item

    def is_comment_showing(self, item: ItemRt) -> bool:
        return item.show_comment_area and self.is_item_selected(item)

    def get_comment_value(self, item: ItemRt) -> Any:
        if not self.is_comment_showing(item):
            return ""
        if item.kind == "other" or self.is_other_value(item.value):
            return self.other_value() or ""
        return ""

    def get_comment_value_for_function(self, item_value: Any) -> Any:
        if item_value is not None and item_value is not UNDEFINED:
            item = get_item_by_value(self.visible_choices, item_value)
            return self.get_comment_value(item) if item is not None else UNDEFINED
        return self.get_comment_value(self.other_item) or self.comment

    def has_empty_comments(self) -> bool:
        for ch in self.visible_choices:
            if (
                ch.is_comment_required
                and self.is_comment_showing(ch)
                and not _truthy(self.get_comment_value(ch))
            ):
                return True
        return False

    # ------------------------------------------------------------------ selection
    def is_item_selected(self, item: ItemRt) -> bool:
        if item is self.other_item:
            return self.is_other_selected()
        return self.is_item_selected_core(item)

    def is_item_selected_core(self, item: ItemRt) -> bool:
        return base_equals_strict(item.value, self.rendered_value)

    def set_rendered_value(self, val: Any, change_value: bool) -> None:
        self.rendered_value = val
        if change_value and not self.is_read_only():
            v = self.rendered_value_to_data(val)
            if not base_equals(v, self.value):
                self.value = v
        self.on_rendered_value_changed(change_value)

    def on_rendered_value_changed(self, update_comment: bool) -> None:
        for item in [*self.choices, *([self.other_item] if self.show_other_item else [])]:
            if item.show_comment_area and not self.is_comment_showing(item) and update_comment:
                if item is self.other_item:
                    self.set_other_value(UNDEFINED)

    def rendered_value_from_data(self, val: Any) -> Any:
        if isinstance(val, dict) and not is_value_empty(val.get("value")):
            item = get_item_by_value(self.visible_choices, val["value"])
            if item is not None:
                val = val["value"]
        if self.get_store_others_as_comment() or not self.show_other_item:
            return val
        return self.rendered_value_from_data_core(val)

    def rendered_value_from_data_core(self, val: Any) -> Any:
        if not self.has_unknown_value(val, True, False):
            return self.value_from_data(val)
        self.set_other_value(val)
        return OTHER

    def rendered_value_to_data(self, val: Any) -> Any:
        if self.get_store_others_as_comment():
            return val
        return self.rendered_value_to_data_core(val)

    def rendered_value_to_data_core(self, val: Any) -> Any:
        if self.is_other_value(val) and self.need_convert_rendered_other_to_data_value():
            val = self.other_value()
        return val

    def need_convert_rendered_other_to_data_value(self) -> bool:
        val = self.other_value()
        if not _trimmed_comment(val):
            return False
        return self.has_unknown_value(val, True, False)

    def value_from_data(self, val: Any) -> Any:
        item = get_item_by_value(self.active_choices(), val)
        if item is not None:
            return item.value
        return val

    def value_to_data(self, val: Any) -> Any:
        if is_value_empty(val):
            return val
        if isinstance(val, list):
            return val[0] if val else UNDEFINED
        return val

    def get_filtered_value(self) -> Any:
        v = self.value
        if isinstance(v, dict) and not is_value_empty(v.get("value")):
            return v["value"]
        return v

    def set_question_value(
        self, new_value: Any, update_is_answered: bool = True, update_comment: bool = True
    ) -> None:
        if self.run.is_loading or base_equals(self.value, new_value):
            return
        self.set_rendered_value(self.rendered_value_from_data(new_value), False)
        super().set_question_value(new_value, update_is_answered)
        self.update_choices_depended_questions()
        if (
            not self.d.show_comment_area
            and update_comment
            and not self.is_other_selected()
            and _truthy(self.other_value())
        ):
            self.make_comment_empty = True
            self.other_value_core = ""
            self.question_comment = ""

    def set_value_core(self, new_value: Any) -> None:
        super().set_value_core(new_value)
        if self.make_comment_empty:
            self.set_comment_into_data("")
            self.make_comment_empty = False

    def set_new_value(self, new_value: Any) -> None:
        new_value = self.value_from_data(new_value)
        super().set_new_value(new_value)

    def set_default_into_value(self, val: Any) -> None:
        if not is_value_empty(val) and self.show_other_item and self.has_unknown_value(val, True):
            self.set_default_unknown_value(val)
        else:
            super().set_default_into_value(val)

    def set_default_unknown_value(self, val: Any) -> None:
        self.set_rendered_value(self.set_other_value_into_value(val), True)
        self.set_other_value(val)

    def stable_update_from_survey(self) -> bool:
        # static choices only: otherwise the visible choices (and with them the value read from
        # the data and the "other" handling) may change while the conditions run
        stable = self._stable_update
        if stable is None:
            d = self.d
            stable = (
                d.default_value_expression is None
                and not d.choices_from_question
                and d.choices_visible_if is None
                and d.choices_enable_if is None
                and not any(c.visible_if is not None or c.enable_if is not None for c in d.choices)
            )
            self._stable_update = stable
        return stable

    def update_value_from_survey(self, new_value: Any, clear_data: bool = False) -> None:
        new_comment: Any = ""
        if self.show_other_item and self.active_choices() and self.get_store_others_as_comment():
            if self.has_unknown_value(new_value) and not self.is_other_value(new_value):
                new_comment = self.get_comment_from_value(new_value)
                new_value = self.set_other_value_into_value(new_value)
            elif self.data is not None:
                new_comment = self.data.get_comment(self.value_name)
        super().update_value_from_survey(new_value, clear_data)
        if _truthy(new_comment):
            self.is_updating_value_from_survey = True
            self.set_new_comment(new_comment)
            self.is_updating_value_from_survey = False

    def get_comment_from_value(self, new_value: Any) -> Any:
        return new_value

    def set_other_value_into_value(self, new_value: Any) -> Any:
        return OTHER

    # ------------------------------------------------------------------ unknown / incorrect values
    def has_unknown_value(
        self,
        val: Any,
        include_other: bool = False,
        is_filtered: bool = True,
        check_empty: bool = False,
    ) -> bool:
        if not isinstance(val, list):
            return self.has_unknown_value_item(val, include_other, is_filtered, check_empty)
        return any(
            self.has_unknown_value_item(v, include_other, is_filtered, check_empty) for v in val
        )

    def has_unknown_value_item(
        self,
        val: Any,
        include_other: bool = False,
        is_filtered: bool = True,
        check_empty: bool = False,
    ) -> bool:
        val = self._plain(val) if isinstance(self, CheckboxQuestionRt) else val
        if not check_empty and is_value_empty_trim(val):
            return False
        if include_other and self.is_other_value(val):
            return False
        if not self.has_unknown_value_item_in_choices(val, is_filtered):
            return False
        return not self.is_value_in_shared_questions(val, is_filtered)

    def has_unknown_value_item_in_choices(self, val: Any, is_filtered: bool) -> bool:
        d = self.d
        if d.show_none_item and js_loose_eq(val, self.none_item.value):
            return False
        if d.show_refuse_item and js_loose_eq(val, self.refuse_item.value):
            return False
        if d.show_dont_know_item and js_loose_eq(val, self.dont_know_item.value):
            return False
        choices = self.get_filtered_choices() if is_filtered else self.active_choices()
        return get_item_by_value(choices, val) is None

    def is_value_in_shared_questions(self, val: Any, is_filtered: bool) -> bool:
        if self.d.raw.get("valueName") is None:
            return False
        for q in self.run.get_questions_by_value_name(self.value_name):
            if (
                q is not self
                and isinstance(q, SelectQuestionRt)
                and not q.has_unknown_value_item_in_choices(val, is_filtered)
            ):
                return True
        return False

    def can_clear_incorrect_values(self) -> bool:
        if self.d.allow_custom_choices:
            return False
        return not len(self.run.get_questions_by_value_name(self.value_name)) > 1

    def has_value_to_clear_incorrect_values(self) -> bool:
        return not self.is_empty()

    def clear_incorrect_values(self) -> None:
        if not self.can_clear_incorrect_values() or not self.has_value_to_clear_incorrect_values():
            return
        self.clear_incorrect_values_core()

    def clear_incorrect_values_core(self) -> None:
        if self.can_clear_value_an_unknown(self.value):
            self.clear_value(True)

    def can_clear_value_an_unknown(self, val: Any) -> bool:
        if not self.get_store_others_as_comment() and self.is_other_selected():
            return False
        return self.has_unknown_value(val, True, True, True)

    def clear_value_if_invisible_core(self, reason: str) -> None:
        super().clear_value_if_invisible_core(reason)
        self.clear_incorrect_values()

    def on_clear_value(self) -> None:
        pass

    def clear_unused_values(self) -> None:
        if self.is_other_value_unused():
            self.set_other_value("")

    def is_other_value_unused(self) -> bool:
        if self.d.type in ("radiogroup", "dropdown"):
            item = self.selected_item()
            return not (item is not None and item.show_comment_area)
        return not self.is_other_selected()

    def selected_item(self) -> ItemRt | None:
        if self.is_empty():
            return None
        item = get_item_by_value(self.visible_choices, self.value)
        if item is not None:
            return item
        return self.other_item if self.is_other_selected() else None

    # ------------------------------------------------------------------ validation / display
    def validate_element(self, ctx: Any) -> bool:
        # survey-core validateElementCore: values no longer among the visible choices are dropped
        if not ctx.is_on_value_changed and self.get_clear_if_invisible() != "none":
            self.clear_incorrect_values()
        return super().validate_element(ctx)

    def on_check_for_errors(self, errors: list[SurveyError], is_on_value_changed: bool) -> None:
        super().on_check_for_errors(errors, is_on_value_changed)
        if self.has_empty_comments() and (not is_on_value_changed or self.prev_other_error_value):
            text = loc_text(
                self.d.other_error_text, self.loc(), verne=self.run.verne
            ) or self.message("otherRequiredError")
            errors.append(SurveyError("otherempty", text))

    def get_display_value_core(self, keys_as_text: bool, value: Any) -> Any:
        if isinstance(value, dict) and not is_value_empty(value.get("value")):
            value = value["value"]
        if not self.d.use_display_values:
            return value
        return self.get_choices_display_value(value)

    def get_choices_display_value(self, val: Any) -> Any:
        if self.is_other_value(val) and self.is_other_selected():
            ov = self.other_value()
            return ov if _truthy(ov) else self.other_item.text(self)
        item = get_item_by_value(self.visible_choices, val)
        if item is None:
            item = get_item_by_value(self.active_choices(), val)
        if item is not None:
            return item.text(self)
        return "" if is_value_empty(val) else val

    def choices_snapshot(self) -> dict[str, Any]:
        from surveys.engine.values import to_json

        vis = self.visible_choices
        return {
            "visible": to_json([c.value for c in vis]),
            "enabled": to_json([c.value for c in vis if c.is_enabled]),
            "texts": [c.text(self) for c in vis],
        }


class CheckboxQuestionRt(SelectQuestionRt):
    """survey-core ``QuestionCheckboxModel`` (also tagbox and ranking)."""

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
        self.select_all_item = ItemRt(
            "", d.select_all_text, kind="selectall", loc_key="selectAllItemText"
        )
        self.invisible_old_values: dict[str, Any] = {}
        self.is_changing_value_on_clear_incorrect = False
        # valuePropertyName: the value is an array of {name: item} objects
        self.vpn: str = d.value_property_name

    def _plain(self, item: Any) -> Any:
        vpn = self.vpn
        if vpn and isinstance(item, dict):
            return item.get(vpn, UNDEFINED)
        return item

    def _plain_list(self, val: Any) -> Any:
        if not self.vpn or not isinstance(val, list):
            return val
        return [self._plain(x) for x in val]

    def _named(self, item: Any) -> Any:
        vpn = self.vpn
        if not vpn or (isinstance(item, dict) and vpn in item):
            return item
        return {vpn: item}

    def get_store_others_as_comment(self) -> bool:
        if self.vpn:
            return False
        return super().get_store_others_as_comment()

    def is_item_selected_core(self, item: ItemRt) -> bool:
        if item is self.select_all_item:
            return self.is_all_selected()
        val = self.rendered_value
        if not isinstance(val, list):
            return False
        return any(base_equals(v, item.value) for v in val)

    def get_is_item_value(self, val: Any, item: ItemRt) -> bool:
        if not isinstance(val, list):
            return False
        return any(base_equals_strict(v, item.value) for v in val)

    def none_items(self) -> list[ItemRt]:
        return [it for it in self.visible_choices if it.is_exclusive]

    def is_none_items_selected(self) -> bool:
        return any(self.is_item_selected(it) for it in self.none_items())

    def visible_enable_items(self, include_disabled: bool = False) -> list[ItemRt]:
        return [
            it
            for it in self.visible_choices
            if (include_disabled or it.is_enabled)
            and not self.is_built_in_choice(it)
            and not it.is_exclusive
        ]

    def is_all_selected(self) -> bool:
        if self.is_none_items_selected():
            return False
        items = self.visible_enable_items()
        if not items:
            return False
        val = self.value
        if not isinstance(val, list) or not val or len(val) < len(items):
            return False
        return all(any(base_equals_strict(v, it.value) for v in val) for it in items)

    def should_check_max_selected_choices(self) -> bool:
        mx = self.d.max_selected_choices
        if not isinstance(mx, (int, float)) or mx < 1:
            return False
        val = self.value
        n = len(val) if isinstance(val, list) else 0
        return n >= mx

    def on_enable_item_callback(self, item: ItemRt) -> bool:
        if not self.should_check_max_selected_choices():
            return True
        return self.is_item_selected(item)

    def on_after_run_items_enable_condition(self) -> None:
        mx = self.d.max_selected_choices
        enabled = (
            (not isinstance(mx, (int, float)) or mx < 1)
            or self.is_other_selected()
            or not self.should_check_max_selected_choices()
        )
        if self.show_other_item:
            self.other_item.is_enabled = enabled

    def check_min_selected_choices_unreached(self) -> bool:
        mn = self.d.min_selected_choices
        if not isinstance(mn, (int, float)) or mn < 1:
            return False
        val = self.value
        n = len(val) if isinstance(val, list) else 0
        if n == 1 and self.is_none_items_selected():
            return False
        return n < mn

    def on_check_for_errors(self, errors: list[SurveyError], is_on_value_changed: bool) -> None:
        super().on_check_for_errors(errors, is_on_value_changed)
        if is_on_value_changed:
            return
        if self.check_min_selected_choices_unreached():
            from surveys.engine.messages import js_format

            errors.append(
                SurveyError(
                    "custom",
                    js_format(
                        self.message("minSelectError"), to_js_string(self.d.min_selected_choices)
                    ),
                )
            )

    # ------------------------------------------------------------------ value
    def update_value_from_survey(self, new_value: Any, clear_data: bool = False) -> None:
        super().update_value_from_survey(new_value, clear_data)
        self.invisible_old_values = {}

    def set_new_value(self, new_value: Any) -> None:
        if not self.is_changing_value_on_clear_incorrect:
            self.invisible_old_values = {}
        new_value = self.value_from_data(new_value)
        value = self.value
        if not _truthy(new_value):
            new_value = []
        if not _truthy(value):
            value = []
        if base_equals(value, new_value):
            return
        if isinstance(new_value, list):
            new_value = list(new_value)
            self.remove_none_items_values(value if isinstance(value, list) else [], new_value)
        SelectQuestionRt.set_new_value(self, new_value)

    def remove_none_items_values(self, value: list[Any], new_value: list[Any]) -> None:
        if base_equals(value, new_value):
            return
        none_values = [it.value for it in self.none_items()]
        if not none_values:
            return
        prev_idx, prev_val = _none_index(value, none_values)
        new_idx, new_val = _none_index(new_value, none_values)
        if prev_idx > -1:
            if base_equals_strict(prev_val, new_val) or (prev_val is new_val):
                if new_value and new_idx > -1:
                    del new_value[new_idx]
            else:
                pn_idx, _ = _none_index(new_value, [prev_val])
                if -1 < pn_idx < len(new_value) - 1:
                    del new_value[pn_idx]
        elif new_idx > -1 and len(new_value) > 1:
            new_value[:] = [new_val]

    def value_from_data(self, val: Any) -> Any:
        if not _truthy(val):
            return val
        if not isinstance(val, list):
            return [SelectQuestionRt.value_from_data(self, val)]
        res = []
        for v in val:
            item = get_item_by_value(self.visible_choices, v)
            res.append(item.value if item is not None else v)
        return res

    def value_to_data(self, val: Any) -> Any:
        if is_value_empty(val):
            return val
        if not isinstance(val, list):
            val = [val]
        if self.vpn:
            return [self._named(x) for x in val]
        return val

    def get_filtered_value(self) -> Any:
        if self.vpn:
            return self.rendered_value
        return self.value

    def rendered_value_from_data(self, val: Any) -> Any:
        return SelectQuestionRt.rendered_value_from_data(self, self._plain_list(val))

    def rendered_value_from_data_core(self, val: Any) -> Any:
        if not _truthy(val) or not isinstance(val, list):
            val = []
        if not self.active_choices():
            return val
        for i, v in enumerate(val):
            if self.is_other_value(v):
                return val
            if self.has_unknown_value_item(v, True, False):
                self.set_other_value(v)
                new_val = list(val)
                new_val[i] = OTHER
                return new_val
        return val

    def rendered_value_to_data_core(self, val: Any) -> Any:
        if not _truthy(val) or not isinstance(val, list) or not val:
            return val
        res = []
        q_val = deep_copy(self.value)
        q_val = q_val if isinstance(q_val, list) else []
        for v in val:
            if self.is_other_value(v) and self.need_convert_rendered_other_to_data_value():
                idx = self._first_unknown_index(q_val)
                v = self.other_value()
                if idx > -1:
                    q_val[idx] = self._named(v)
            else:
                idx = next(
                    (i for i, x in enumerate(q_val) if base_equals_strict(self._plain(x), v)), -1
                )
            res.append(q_val[idx] if idx > -1 else self._named(v))
        return res

    def get_comment_from_value(self, new_value: Any) -> Any:
        idx = self._first_unknown_index(new_value)
        return new_value[idx] if idx >= 0 else ""

    def set_other_value_into_value(self, new_value: Any) -> Any:
        idx = self._first_unknown_index(new_value)
        if idx < 0:
            return new_value
        new_value = list(new_value)
        new_value[idx] = OTHER
        return new_value

    def _first_unknown_index(self, new_value: Any) -> int:
        if not isinstance(new_value, list):
            return -1
        for i, v in enumerate(new_value):
            if self.has_unknown_value_item(v, False, False):
                return i
        return -1

    def set_default_unknown_value(self, val: Any) -> None:
        if not isinstance(val, list):
            super().set_default_unknown_value(val)
            return
        if not self.has_active_choices():
            for v in val:
                self.invisible_old_values[to_js_string(v)] = v
            self.value = val
            return
        new_val: list[Any] = []
        other_val: Any = ""
        for v in val:
            if not self.has_unknown_value(v):
                new_val.append(v)
            elif not other_val:
                other_val = v
                new_val.append(OTHER)
        self.set_rendered_value(new_val, True)
        self.set_other_value(other_val)

    def has_active_choices(self) -> bool:
        return any(not self.is_built_in_choice(c) for c in self.visible_choices)

    def has_value_to_clear_incorrect_values(self) -> bool:
        return super().has_value_to_clear_incorrect_values() or bool(self.invisible_old_values)

    def clear_incorrect_values_core(self) -> None:
        self.clear_incorrect_and_disabled_values(False)

    def clear_disabled_values_core(self) -> None:
        self.clear_incorrect_and_disabled_values(True)

    def clear_incorrect_and_disabled_values(self, clear_disabled: bool) -> None:
        val = self.value
        has_changed = False
        restored = self.restore_values_from_invisible()
        if not _truthy(val) and not restored:
            return
        if not isinstance(val, list) or not val:
            self.is_changing_value_on_clear_incorrect = True
            if not clear_disabled:
                if self.d.show_comment_area:
                    self.value = None
                else:
                    self.clear_value(True)
            self.is_changing_value_on_clear_incorrect = False
            if not restored:
                return
            val = []
        new_value = []
        for v in val:
            is_unknown = self.can_clear_value_an_unknown(v)
            if (not clear_disabled and not is_unknown) or (
                clear_disabled and not self.is_value_disabled(v)
            ):
                new_value.append(v)
            else:
                has_changed = True
                if is_unknown:
                    self.invisible_old_values[to_js_string(v)] = v
        for v in restored:
            new_value.append(v)
            has_changed = True
        if not has_changed:
            return
        self.is_changing_value_on_clear_incorrect = True
        if not new_value:
            self.clear_value(True)
        else:
            self.value = new_value
        self.is_changing_value_on_clear_incorrect = False

    def restore_values_from_invisible(self) -> list[Any]:
        res: list[Any] = []
        for item in self.visible_choices:
            if item is self.select_all_item:
                continue
            key = to_js_string(item.value)
            if key in self.invisible_old_values and check_eq(
                item.value, self.invisible_old_values[key]
            ):
                if not self.is_item_selected(item):
                    res.append(item.value)
                del self.invisible_old_values[key]
        return res

    def select_other_value_from_comment(self, val: bool) -> None:
        new_val = [v for v in (self.rendered_value or []) if not self.is_other_value(v)]
        if val:
            new_val.append(OTHER)
        self.value = new_val

    def is_other_value_unused(self) -> bool:
        return not self.is_other_selected()

    def get_display_value_core(self, keys_as_text: bool, value: Any) -> Any:
        if not isinstance(value, list):
            return super().get_display_value_core(keys_as_text, value)
        if not self.d.use_display_values:
            return value
        return ", ".join(to_js_string(self.get_choices_display_value(v)) for v in value)

    def get_display_value_empty(self) -> Any:
        return ""


def _none_index(val: Any, none_values: list[Any]) -> tuple[int, Any]:
    if not isinstance(val, list):
        return -1, UNDEFINED
    for i in range(len(val) - 1, -1, -1):
        for nv in none_values:
            if base_equals_strict(val[i], nv):
                return i, nv
    return -1, UNDEFINED


def base_equals_strict(a: Any, b: Any) -> bool:
    """JavaScript ``===`` for primitives (arrays/objects by identity)."""
    from surveys.engine.jsutil import is_strict_equal

    return is_strict_equal(a, b)


def check_eq(a: Any, b: Any) -> bool:
    from surveys.engine.jsutil import is_two_value_equals

    return is_two_value_equals(a, b)


def _truthy(v: Any) -> bool:
    from surveys.engine.jsutil import js_truthy

    return js_truthy(v)


def _same(a: Any, b: Any) -> bool:
    return base_equals_strict(a, b) or (a is b)


__all__ = ["CheckboxQuestionRt", "ItemRt", "SelectQuestionRt", "deep_copy", "get_item_by_value"]
