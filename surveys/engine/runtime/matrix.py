"""Single-select matrix (``matrix``; survey-core ``QuestionMatrixModel``).

The value is ``{rowValue: columnValue}`` (arrays per row with ``cellType: "checkbox"``). Rows and
columns have ``visibleIf``; ``rowsVisibleIf``/``columnsVisibleIf`` run per item with ``{item}``.
``eachRowRequired`` gives ``requiredinallrowserror``, ``eachRowUnique`` ``eachrowuniqueeerror``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from surveys.engine.errors import SurveyError
from surveys.engine.jsutil import (
    UNDEFINED,
    base_equals,
    deep_copy,
    is_strict_equal,
    is_value_empty,
    is_value_empty_trim,
    to_js_string,
)
from surveys.engine.model import MatrixDef
from surveys.engine.runtime.question import QuestionRt
from surveys.engine.runtime.scope import LayeredScope
from surveys.engine.runtime.select import ItemRt, get_item_by_value

if TYPE_CHECKING:
    from surveys.engine.exprs import Compiled
    from surveys.engine.runtime.element import PanelRt
    from surveys.engine.runtime.survey import SurveyRun


class MatrixQuestionRt(QuestionRt):
    d: MatrixDef

    def __init__(
        self,
        d: Any,
        run: SurveyRun,
        data: Any,
        parent: PanelRt | None,
        parent_question: QuestionRt | None = None,
    ) -> None:
        super().__init__(d, run, data, parent, parent_question)
        md: MatrixDef = d
        self.rows = [ItemRt(r.value, r.text, d=r) for r in md.rows]
        self.columns = [ItemRt(c.value, c.text, d=c) for c in md.columns]
        for c, cd in zip(self.columns, md.columns, strict=True):
            c.is_exclusive = bool(cd.raw.get("isExclusive")) if isinstance(cd.raw, dict) else False

    @property
    def is_multi_select(self) -> bool:
        return self.d.raw.get("cellType") == "checkbox"

    def visible_rows(self) -> list[ItemRt]:
        return [r for r in self.rows if not is_value_empty(r.value) and r.is_visible]

    def visible_columns(self) -> list[ItemRt]:
        return [c for c in self.columns if c.is_visible]

    def is_visible_core(self) -> bool:
        res = self.visible
        if not res or not self.d.hide_if_rows_empty:
            return res
        return len(self.visible_rows()) > 0

    def is_new_value_correct(self, val: Any) -> bool:
        return isinstance(val, dict)

    def convert_to_correct_value(self, val: Any) -> Any:
        if not isinstance(val, dict):
            return val
        multi = self.is_multi_select
        for key in list(val):
            obj = val[key]
            if isinstance(obj, list) and not multi:
                if obj:
                    val[key] = obj[0]
                else:
                    del val[key]
            elif not isinstance(obj, list) and multi:
                val[key] = [obj]
        return val

    # ------------------------------------------------------------------ conditions
    def _item_cond(self, compiled: Compiled, item: ItemRt) -> bool:
        if not compiled.ok:
            self.run.warn_invalid_expression(compiled, self)
            return False
        v = item.value
        return compiled.condition(
            LayeredScope({"item": v, "choice": v, "self": v}, self.scope()), self.eval_ctx()
        )

    def _run_items(self, items: list[ItemRt], runner: Compiled | None, visible: bool) -> bool:
        changed = False
        for item in items:
            r = (item.visible_if if visible else item.enable_if) or runner
            new = True if r is None else self._item_cond(r, item)
            old = item.is_visible if visible else item.is_enabled
            if new != old:
                changed = True
                if visible:
                    item.is_visible = new
                else:
                    item.is_enabled = new
        return changed

    def run_condition_core(self) -> None:
        self._run_items(self.rows, None, False)
        super().run_condition_core()
        rows_changed = self._run_items(self.rows, self.d.rows_visible_if, True)
        self._run_items(self.rows, None, False)
        cols_changed = self._run_items(self.columns, self.d.columns_visible_if, True)
        if rows_changed or cols_changed:
            if self.is_clear_value_on_hidden() and cols_changed:
                self.clear_invisible_values_in_rows_and_columns(False, True, False)
            if self.d.hide_if_rows_empty:
                self.on_visible_changed()

    # ------------------------------------------------------------------ errors
    def on_check_for_errors(self, errors: list[SurveyError], is_on_value_changed: bool) -> None:
        super().on_check_for_errors(errors, is_on_value_changed)
        if is_on_value_changed:
            return
        no_value, not_unique = self._check_rows(self.d.each_row_required)
        if no_value:
            errors.append(
                SurveyError("requiredinallrowserror", self.message("requiredInAllRowsError"))
            )
        if not_unique:
            errors.append(SurveyError("eachrowuniqueeerror", self.message("eachRowUniqueError")))

    def _check_rows(self, rows_required: bool) -> tuple[bool, bool]:
        unique = self.d.each_row_unique
        if not rows_required and not unique:
            return False, False
        val = self.value if isinstance(self.value, dict) else {}
        seen: set[str] = set()
        no_value = not_unique = False
        for row in self.visible_rows():
            rv = val.get(_key(row.value), UNDEFINED)
            empty = is_value_empty_trim(rv)
            dup = unique and not empty and to_js_string(rv) in seen
            empty = empty and rows_required
            if not empty:
                seen.add(to_js_string(rv))
            no_value = no_value or empty
            not_unique = not_unique or dup
        return no_value, not_unique

    def get_is_answered(self) -> bool:
        return super().get_is_answered() and not self._check_rows(True)[0]

    # ------------------------------------------------------------------ clearing
    def clear_value_if_invisible_core(self, reason: str) -> None:
        super().clear_value_if_invisible_core(reason)
        self.clear_invisible_values_in_rows_and_columns(True, True, False)

    def clear_incorrect_values(self) -> None:
        self.clear_invisible_values_in_rows_and_columns(True, True, True)

    def clear_invisible_values_in_rows_and_columns(
        self, in_rows: bool, in_columns: bool, in_correct_rows: bool
    ) -> None:
        if self.is_empty():
            return
        updated = deep_copy(self.value)
        if not isinstance(updated, dict):
            return
        new_data: dict[str, Any] = {}
        for row in self.rows:
            key = _key(row.value)
            if key in updated and _truthy(updated[key]):
                if in_rows and not row.is_visible:
                    del updated[key]
                else:
                    if in_columns:
                        self._clear_incorrect_in_row(key, updated)
                    if key in updated and updated[key] is not None:
                        new_data[key] = updated[key]
        if in_correct_rows:
            updated = new_data
        if base_equals(updated, self.value):
            return
        self.value = updated

    def _clear_incorrect_in_row(self, key: str, data: dict[str, Any]) -> None:
        obj = data.get(key, UNDEFINED)
        if obj is UNDEFINED:
            data.pop(key, None)
            return
        if self.is_multi_select and isinstance(obj, list):
            kept = [v for v in obj if self._visible_column_by_value(v) is not None]
            if kept:
                data[key] = kept
            else:
                del data[key]
        elif self._visible_column_by_value(obj) is None:
            del data[key]

    def _visible_column_by_value(self, val: Any) -> ItemRt | None:
        col = get_item_by_value(self.columns, val)
        return col if col is not None and col.is_visible else None

    # ------------------------------------------------------------------ display / snapshot
    def get_display_value_core(self, keys_as_text: bool, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        res: dict[str, Any] = {}
        for key, val in value.items():
            new_key = key
            if keys_as_text:
                row = get_item_by_value(self.rows, key)
                if row is not None:
                    new_key = row.text(self) or key
            if isinstance(val, list):
                new_val: Any = [self._col_text(v) or v for v in val]
            else:
                new_val = self._col_text(val) or val
            res[new_key] = new_val
        return res

    def _col_text(self, v: Any) -> str:
        col = get_item_by_value(self.columns, v)
        return col.text(self) if col is not None else ""

    def matrix_snapshot(self) -> dict[str, Any]:
        from surveys.engine.values import to_json

        return {
            "visibleRows": to_json([r.value for r in self.visible_rows()]),
            "visibleColumns": to_json([c.value for c in self.visible_columns()]),
        }


def _key(v: Any) -> str:
    return v if isinstance(v, str) else to_js_string(v)


def _truthy(v: Any) -> bool:
    from surveys.engine.jsutil import js_truthy

    return js_truthy(v)


__all__ = ["MatrixQuestionRt", "is_strict_equal"]
