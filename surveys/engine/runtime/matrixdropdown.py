"""``matrixdropdown`` and ``matrixdynamic`` (survey-core ``QuestionMatrixDropdownModelBase``).

Every cell is a full question built from its column (``cellType``, ``visibleIf``, ``enableIf``,
``requiredIf``, validators, ``expression`` ...) whose data owner is its row. Rows are built
lazily, the first time something reads them (a snapshot, validation), exactly as survey-core
does: until then cell conversions (``"50"`` -> 50 in a number cell) and expression columns have
not run, which is observable in the data. Expression columns write into every row. Totals
(``totalType``/``totalExpression``) are a row of expression questions whose values are stored
as ``<name>-total``.

Expression contexts: ``{row.x}`` is the cell x of the same row, ``{rowIndex}`` is 1-based,
``{rowName}``/``{item}`` the row value (matrixdropdown), ``{matrix}`` the matrix's visible data;
other names are looked up in the matrix value and then in the survey.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from surveys.engine.errors import SurveyError
from surveys.engine.jsutil import (
    UNDEFINED,
    base_equals,
    deep_copy,
    get_number,
    is_two_value_equals,
    is_value_empty,
    is_value_empty_trim,
    js_truthy,
    to_js_string,
)
from surveys.engine.model import ColumnDef, ExpressionQDef, MatrixDropdownDef, loc_text
from surveys.engine.runtime.keys import is_any_key_changed
from surveys.engine.runtime.question import QuestionRt, TextQuestionRt
from surveys.engine.runtime.scope import LayeredScope
from surveys.engine.runtime.select import ItemRt, SelectQuestionRt

if TYPE_CHECKING:
    from surveys.engine.exprs import Compiled
    from surveys.engine.runtime.element import PanelRt
    from surveys.engine.runtime.survey import SurveyRun

_ROW_ITEM_NAMES = ("rowIndex", "visibleRowIndex", "item", "rowName", "rowValue", "rowTitle")


class ColumnRt:
    __slots__ = ("d", "has_visible_cell", "index", "is_columns_visible_if")

    def __init__(self, d: ColumnDef, index: int) -> None:
        self.d = d
        self.index = index
        self.has_visible_cell = True
        self.is_columns_visible_if = True

    @property
    def name(self) -> str:
        return self.d.name

    def is_column_visible(self) -> bool:
        return self.d.visible and self.has_visible_cell

    @property
    def has_total(self) -> bool:
        return self.d.total_type != "none" or self.d.total_expression is not None


class CellRt:
    __slots__ = ("column", "question", "row")

    def __init__(self, column: ColumnRt, row: MatrixRowRt, question: QuestionRt) -> None:
        self.column = column
        self.row = row
        self.question = question


class MatrixRowRt:
    """A row: the data owner of its cells (survey-core ``MatrixDropdownRowModelBase``)."""

    is_total = False

    def __init__(
        self,
        matrix: MatrixDropdownBaseRt,
        value: Any,
        *,
        item: ItemRt | None = None,
        index: int = 0,
    ) -> None:
        self.matrix = matrix
        self.run = matrix.run
        self.item = item
        self.index = index
        self.cells: list[CellRt] = []
        self.visible_value = True
        self.visible_index = -1
        self.is_setting_value = False
        self.is_changing_via_default_value = False
        self.detail_panel: Any = None
        self.is_creating_detail_panel = False
        self.build_cells(value)

    # ------------------------------------------------------------------ identity
    @property
    def row_name(self) -> Any:
        if self.item is not None:
            return self.item.value
        return f"srow{self.index}"

    def row_title(self) -> Any:
        if self.item is not None:
            return self.item.text(self.matrix)
        return self.row_name

    def key(self) -> str:
        """The runner's key: the row value (matrixdropdown) or the 0-based index (matrixdynamic)."""
        if self.item is not None:
            return to_js_string(self.item.value)
        return str(self.get_item_index() - 1)

    def get_item_index(self) -> int:
        rows = self.matrix.generated_rows
        if rows is not None and self in rows:
            return rows.index(self) + 1
        return self.index + 1

    def is_row_enabled(self) -> bool:
        return self.item.is_enabled if self.item is not None else True

    def is_visible(self) -> bool:
        return self.visible_value and (self.item.is_visible if self.item is not None else True)

    # ------------------------------------------------------------------ cells / values
    @property
    def questions(self) -> list[QuestionRt]:
        res = [c.question for c in self.cells]
        if self.detail_panel is not None:
            res.extend(self.detail_panel.questions)
        return res

    def has_panel(self) -> bool:
        d = self.matrix.d
        return d.detail_panel_mode != "none" and d.detail is not None and bool(d.detail.elements)

    def ensure_detail_panel(self) -> None:
        if self.is_creating_detail_panel or self.detail_panel is not None or not self.has_panel():
            return
        from surveys.engine.runtime.element import PanelRt

        self.is_creating_detail_panel = True
        pdef = self.matrix.d.detail
        assert pdef is not None  # has_panel()
        panel = PanelRt(pdef, self.run, self, None, self.matrix)
        panel.elements = self.run.build_nested_elements(pdef, panel, self, self.matrix)
        if not self.is_row_enabled() or self.matrix.is_read_only():
            panel.read_only = True
        value = self.get_data_row_value()
        if isinstance(value, dict):
            for q in panel.questions:
                v = value.get(q.value_name, UNDEFINED)
                if not is_value_empty(v):
                    q.value = v
        self.detail_panel = panel
        for q in panel.questions:
            q.on_survey_load()
        self.is_creating_detail_panel = False

    def build_cells(self, value: Any) -> None:
        from surveys.engine.runtime.factory import create_question

        self.is_setting_value = True
        for col in self.matrix.columns:
            cdef = self.matrix.cell_def(col)
            q = create_question(cdef, self.run, self, None, self.matrix)
            q.read_only_callback = self.is_row_disabled
            if isinstance(q, SelectQuestionRt):
                # survey-core copies the column's choices onto the cell question, which computes
                # its visible choices at once (the "none" item must exist before the value is set)
                q.update_visible_choices()
            elif isinstance(q, TextQuestionRt):
                # likewise min/max: renderedMin/renderedMax follow the copied properties
                q.set_rendered_min_max()
            cell = CellRt(col, self, q)
            self.cells.append(cell)
            # attaching the cell to its row applies its default (survey-core onSetData)
            q.update_value_with_defaults()
            cell_value = value.get(col.name, UNDEFINED) if isinstance(value, dict) else UNDEFINED
            if not is_value_empty(cell_value):
                q.value = cell_value
                comment = (
                    value.get(col.name + self.run.settings.comment_suffix)
                    if isinstance(value, dict)
                    else None
                )
                if not is_value_empty(comment):
                    q.comment = comment
        self.is_setting_value = False

    def is_row_disabled(self) -> bool:
        return not self.is_row_enabled()

    @property
    def value(self) -> dict[str, Any]:
        res: dict[str, Any] = {}
        suffix = self.run.settings.comment_suffix
        for q in self.questions:
            vn = q.value_name
            if vn in res:
                continue
            if not q.is_empty():
                res[vn] = q.value
            if js_truthy(q.comment) and self.run.store_others_as_comment:
                res[vn + suffix] = q.comment
        return res

    def filtered_value(self) -> dict[str, Any]:
        res: dict[str, Any] = {}
        for cell in self.cells:
            q = cell.question
            if not q.is_empty():
                res[q.value_name] = q.get_filtered_value()
        return res

    def set_row_value(self, value: Any) -> None:
        """``row.value = ...``: pushes a row value into the cells."""
        self.is_setting_value = True
        suffix = self.run.settings.comment_suffix
        for q in self.questions:
            val = value.get(q.value_name, UNDEFINED) if isinstance(value, dict) else UNDEFINED
            old_comment = q.comment
            comment = value.get(q.value_name + suffix, "") if isinstance(value, dict) else ""
            if comment is None or comment is UNDEFINED:
                comment = ""
            q.update_value_from_survey(val)
            if js_truthy(comment) or is_two_value_equals(
                old_comment, q.comment, False, True, False
            ):
                q.update_comment_from_survey(comment)
            q.on_survey_value_changed(val)
        self.is_setting_value = False

    def is_empty(self) -> bool:
        val = self.value
        if is_value_empty(val):
            return True
        return all(v is None or v is UNDEFINED for v in val.values())

    def get_data_row_value(self) -> Any:
        return self.matrix.get_item_data(self)

    def all_values(self) -> dict[str, Any]:
        res = self.value
        row_val = self.get_data_row_value()
        if isinstance(row_val, dict):
            for k, v in row_val.items():
                if k not in res:
                    res[k] = v
        return res

    def get_question_by_name(self, name: str) -> QuestionRt | None:
        for c in self.cells:
            if c.column.name == name:
                q: QuestionRt = c.question
                return q
        if self.detail_panel is not None:
            found: QuestionRt | None = self.detail_panel.get_question_by_name(name)
            return found
        return None

    # ------------------------------------------------------------------ data owner protocol
    def get_value(self, name: str) -> Any:
        return self.all_values().get(name, UNDEFINED)

    def get_comment(self, name: str) -> Any:
        q = self.get_question_by_name(name)
        return q.comment if q is not None else ""

    def set_value(
        self,
        name: str,
        value: Any,
        loc_notification: Any = False,
        allow_notify: bool = True,
        question_name: str | None = None,
    ) -> None:
        self.set_value_core(name, value, False)

    def set_comment(self, name: str, value: Any, loc_notification: Any = False) -> None:
        self.set_value_core(name, value, True)

    def set_value_core(self, name: str, new_column_value: Any, is_comment: bool) -> None:
        if self.is_setting_value or self.is_creating_detail_panel:
            return
        changed_q = self.get_question_by_name(name)
        new_value = self.value
        changed_name = name + self.run.settings.comment_suffix if is_comment else name
        old_item = self.matrix.get_item_data(self)
        old_value = (
            old_item.get(changed_name, UNDEFINED) if isinstance(old_item, dict) else UNDEFINED
        )
        if is_two_value_equals(new_value, old_value, False, True, False):
            return
        is_deleting = (new_column_value is None and changed_q is None) or (
            is_comment and not js_truthy(new_column_value) and changed_q is not None
        )
        self.matrix.update_item_value(self, changed_name, new_value, is_deleting)
        self.run_triggers_on_set_value(changed_name, new_column_value)
        for q in self.questions:
            q.on_any_value_changed("row", "")

    def run_triggers_on_set_value(self, name: str, new_value: Any) -> None:
        suffix = self.run.settings.comment_suffix
        if name.endswith(suffix):
            base = name[: -len(suffix)]
            cq = self.get_question_by_name(base)
            if cq is not None:
                new_value = cq.value
                name = base
        trigger_name = "row." + name
        for q in self.questions:
            q.run_triggers(trigger_name, new_value, None)

    def run_triggers(self, name: str | None, value: Any, keys: dict[str, Any] | None) -> None:
        if not name and not keys:
            return
        for q in self.questions:
            q.run_triggers(name, value, keys)

    def find_question_by_name(self, name: str) -> QuestionRt | None:
        if name.startswith("row."):
            return self.get_question_by_name(name[4:])
        return self.run.get_question_by_name(name)

    def get_filtered_properties(self) -> dict[str, Any]:
        return {"survey": self.run, "row": self}

    # ------------------------------------------------------------------ expressions
    def row_view(self) -> dict[str, Any]:
        """``{row.x}``: the cells' values (the question values), then the stored row value."""
        res: dict[str, Any] = {}
        for q in self.questions:
            res.setdefault(q.value_name, q.get_filtered_value())
        row_val = self.get_data_row_value()
        if isinstance(row_val, dict):
            for k, v in row_val.items():
                if k not in res:
                    res[k] = v
        return res

    def context_locals(self) -> dict[str, Any]:
        m = self.matrix
        res: dict[str, Any] = {
            "row": self.row_view(),
            "rowIndex": self.get_item_index(),
            "matrix": m.get_filtered_data(),
        }
        vis = m.visible_rows_if_generated()
        if vis is not None and self in vis:
            vi = vis.index(self)
            res["visibleRowIndex"] = vi + 1
            if vi > 0:
                res["prevRow"] = vis[vi - 1].row_view()
            if vi + 1 < len(vis):
                res["nextRow"] = vis[vi + 1].row_view()
        name = self.row_name
        if name is not None and name is not UNDEFINED:
            res["item"] = name
            res["rowName"] = name
            res["rowValue"] = name
            res["rowTitle"] = self.row_title()
        total = m.total_row
        if total is not None and not self.is_total:
            res["totalRow"] = total.value
        return res

    def scope(self) -> Mapping[str, Any]:
        return LayeredScope(self.context_locals(), self.matrix.matrix_scope())

    def context_keys(self, keys: Mapping[str, Any] | None) -> dict[str, Any]:
        names = list(_ROW_ITEM_NAMES)
        if keys is None or self.is_total or self.matrix.is_container_value_changed(keys):
            names += ["row", "matrix", "prevRow", "nextRow", "totalRow"]
        res: dict[str, Any] = {}
        for n in names:
            res[n] = self
            low = n.lower()
            if low != n:
                res[low] = self
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

    # ------------------------------------------------------------------ conditions / validation
    def run_condition(self, rows_visible_if: Compiled | None, always_visible: bool = False) -> None:
        self.set_visible(always_visible or self._row_visible_by_expression(rows_visible_if))
        if self.item is not None and self.item.enable_if is not None:
            self.item.is_enabled = self._cond(self.item.enable_if)
        for cell in self.cells:
            cell.question.run_condition()
        if self.detail_panel is not None:
            self.detail_panel.run_condition()

    def _cond(self, compiled: Compiled) -> bool:
        if not compiled.ok:
            self.run.warn_invalid_expression(compiled, None)
            return False
        return bool(compiled.condition(self.scope(), self.run.make_ctx(None)))

    def _row_visible_by_expression(self, rows_visible_if: Compiled | None) -> bool:
        exps = [rows_visible_if] if rows_visible_if is not None else []
        if self.item is not None and self.item.visible_if is not None:
            exps.append(self.item.visible_if)
        for e in exps:
            if not self._cond(e):
                return False
        return True

    def set_visible(self, val: bool) -> None:
        self.visible_value = val

    def validate(self, ctx: Any) -> bool:
        res = True
        for cell in self.cells:
            q = cell.question
            if not q.is_visible():
                continue
            if ctx.is_on_value_changed and q.is_empty():
                continue
            res = q.validate_element(ctx) and res
        if self.has_panel():
            self.ensure_detail_panel()
            if self.detail_panel is not None:
                res = self.detail_panel.validate_element(ctx) and res
        return res


class TotalRowRt(MatrixRowRt):
    """The totals row: expression questions over ``{matrix}``, stored as ``<name>-total``."""

    is_total = True

    def __init__(self, matrix: MatrixDropdownBaseRt) -> None:
        super().__init__(matrix, None)

    def build_cells(self, value: Any) -> None:
        from surveys.engine.runtime.question import ExpressionQuestionRt

        for col in self.matrix.columns:
            d = col.d
            if d.total_expression is not None:
                text = d.total_expression.text
            elif d.total_type == "none":
                text = "''"
            else:
                text = f"{d.total_type}InArray({{matrix}}, '{col.name}')"
            qdef = ExpressionQDef(
                {"type": "expression", "name": col.name, "expression": text}, "expression", col.name
            )
            q = ExpressionQuestionRt(qdef, self.run, self, None, self.matrix)
            q.run_if_read_only = True
            self.cells.append(CellRt(col, self, q))

    @property
    def row_name(self) -> Any:
        return None

    def set_value_core(self, name: str, new_column_value: Any, is_comment: bool) -> None:
        if not self.is_setting_value:
            self.matrix.on_total_value_changed()

    def run_condition(self, rows_visible_if: Compiled | None, always_visible: bool = False) -> None:
        counter = 0
        while True:
            prev = deep_copy(self.value)
            super().run_condition(None, always_visible)
            counter += 1
            if is_two_value_equals(prev, self.value) or counter >= 3:
                break


class MatrixDropdownBaseRt(QuestionRt):
    d: MatrixDropdownDef
    is_dynamic = False

    def __init__(
        self,
        d: Any,
        run: SurveyRun,
        data: Any,
        parent: PanelRt | None,
        parent_question: QuestionRt | None = None,
    ) -> None:
        super().__init__(d, run, data, parent, parent_question)
        self.columns = [ColumnRt(c, i) for i, c in enumerate(self.d.columns)]
        self.generated_rows: list[MatrixRowRt] | None = None
        self.total_row: TotalRowRt | None = None
        self.is_row_changing = False
        self.is_generating_rows = False
        self.is_running_cells_condition = False
        self.is_value_changed_without_rows = False
        self.is_doing_on_any_value_changed = False

    # ------------------------------------------------------------------ structure
    def cell_def(self, col: ColumnRt) -> Any:
        return col.d.cell_def

    @property
    def has_total(self) -> bool:
        return any(c.has_total for c in self.columns)

    def create_row(self, value: Any, item: ItemRt | None = None) -> MatrixRowRt:
        raise NotImplementedError

    def generate_rows(self) -> list[MatrixRowRt]:
        raise NotImplementedError

    def generate_rows_if_needed(self) -> None:
        if self.run.is_loading or self.generated_rows is not None:
            return
        self.is_generating_rows = True
        self.generated_rows = self.generate_rows()
        self.is_generating_rows = False
        for i, row in enumerate(self.generated_rows):
            row.visible_index = i
        self.run_cells_condition()
        if self.is_value_changed_without_rows:
            self.is_value_changed_without_rows = False
            self.run_triggers_on_new_rows()
        self.update_value_on_rows_generation(self.generated_rows)
        self.update_is_answered()

    def run_triggers_on_new_rows(self) -> None:
        val = self.value
        for row in self.generated_rows or []:
            rv = self.get_row_value_core(row, val)
            if not is_value_empty(rv) and isinstance(rv, dict):
                row.run_triggers("", UNDEFINED, {f"row.{k}": v for k, v in rv.items()})

    def all_rows(self) -> list[MatrixRowRt]:
        if self.is_generating_rows:
            return []
        self.generate_rows_if_needed()
        return self.generated_rows or []

    def visible_rows(self) -> list[MatrixRowRt]:
        if self.run.is_loading:
            return []
        if self.is_generating_rows:
            return []
        self.generate_rows_if_needed()
        return [r for r in (self.generated_rows or []) if r.is_visible()]

    def visible_rows_if_generated(self) -> list[MatrixRowRt] | None:
        if self.generated_rows is None:
            return None
        return [r for r in self.generated_rows if r.is_visible()]

    def visible_rows_with_keys(self) -> list[tuple[str, MatrixRowRt]]:
        return [(r.key(), r) for r in self.visible_rows()]

    def visible_columns(self) -> list[ColumnRt]:
        return [c for c in self.columns if c.is_column_visible()]

    def is_visible_core(self) -> bool:
        res = self.visible
        if not res or not self.d.hide_if_rows_empty:
            return res
        return len(self.visible_rows()) > 0

    def clear_generated_rows(self) -> None:
        self.generated_rows = None

    # ------------------------------------------------------------------ values
    def create_new_value(self, null_on_empty: bool = False) -> Any:
        raise NotImplementedError

    def get_row_value_core(
        self, row: MatrixRowRt, question_value: Any, create: bool = False
    ) -> Any:
        raise NotImplementedError

    def get_item_data(self, row: MatrixRowRt) -> Any:
        rows = self.generated_rows
        if rows is None or row not in rows:
            return None
        return deep_copy(self.get_row_value_core(row, self.value))

    def get_filtered_data(self) -> Any:
        if self.is_empty() or self.generated_rows is None:
            return self.value
        return self.get_filtered_data_core()

    def get_filtered_data_core(self) -> Any:
        raise NotImplementedError

    def matrix_scope(self) -> Mapping[str, Any]:
        base: Mapping[str, Any] = self.data.scope()
        val = self.value
        if isinstance(val, dict) and val:
            return LayeredScope(dict(val), base)
        return base

    def is_container_value_changed(self, keys: Mapping[str, Any]) -> bool:
        return self.value_name in keys

    def set_question_value(self, new_value: Any, update_is_answered: bool = True) -> None:
        super().set_question_value(new_value, False)
        self.on_set_question_value()
        self.update_is_answered()

    def on_before_value_changed(self, val: Any) -> None:
        pass

    def on_set_question_value(self) -> None:
        if self.is_row_changing:
            return
        self.on_before_value_changed(self.value)
        rows = self.generated_rows
        if not rows:
            return
        self.is_row_changing = True
        val = self.create_new_value()
        for row in rows:
            row.set_row_value(self.get_row_value_core(row, val))
        self.is_row_changing = False

    def update_value_on_rows_generation(self, rows: list[MatrixRowRt]) -> None:
        old_value = self.create_new_value(True)
        new_value = self.create_new_value()
        for i, row in enumerate(rows):
            row_value = self.get_row_value(i)
            r_value = row.value
            # the matrix's own isTwoValueEquals (Base): "5" and 5 differ, so a cell that
            # converted its value on creation writes the converted value back
            if base_equals(row_value, r_value):
                continue
            new_value = self.get_new_value_on_row_changed(row, "", r_value, False, new_value)[0]
        if base_equals(old_value, new_value):
            return
        self.is_row_changing = True
        self.set_new_value(new_value)
        self.is_row_changing = False

    def get_row_value(self, index: int) -> Any:
        rows = self.generated_rows
        if index < 0 or rows is None or index >= len(rows):
            return None
        return deep_copy(self.get_row_value_core(rows[index], self.value))

    def update_item_value(
        self, row: MatrixRowRt, column_name: str, new_row_value: Any, is_deleting: bool
    ) -> None:
        old_value = self.create_new_value(True)
        new_value, _row_value = self.get_new_value_on_row_changed(
            row, column_name, new_row_value, is_deleting, self.create_new_value()
        )
        if not base_equals(old_value, new_value):
            self.is_row_changing = True
            self.set_new_value(new_value)
            self.is_row_changing = False
        if column_name in self.unique_columns_names():
            self.get_duplicated_rows_and_show_errors(column_name, False)

    def get_new_value_on_row_changed(
        self,
        row: MatrixRowRt,
        column_name: str,
        new_row_value: Any,
        is_deleting: bool,
        new_value: Any,
    ) -> tuple[Any, Any]:
        row_value = self.get_row_value_core(row, new_value, True)
        if is_deleting and isinstance(row_value, dict):
            row_value.pop(column_name, None)
        if isinstance(row_value, dict):
            for q in row.questions:
                row_value.pop(q.value_name, None)
            if isinstance(new_row_value, dict):
                for k, v in deep_copy(new_row_value).items():
                    if not is_value_empty_trim(v):
                        row_value[k] = v
            if not row_value:
                new_value = self.delete_row_value(new_value, row)
        new_value = self.correct_value_for_min_max_rows(new_value)
        return new_value, row_value

    def delete_row_value(self, new_value: Any, row: MatrixRowRt) -> Any:
        raise NotImplementedError

    def correct_value_for_min_max_rows(self, new_value: Any) -> Any:
        return new_value

    # ------------------------------------------------------------------ totals
    def visible_total_row(self) -> TotalRowRt | None:
        if self.run.is_loading:
            return None
        if self.has_total:
            if self.total_row is None:
                self.total_row = TotalRowRt(self)
                self.run_totals_condition()
        else:
            self.total_row = None
        return self.total_row

    def total_value(self) -> Any:
        if not self.has_total:
            return {}
        tr = self.visible_total_row()
        if tr is None:
            return {}
        return tr.value

    def run_totals_condition(self) -> None:
        if self.total_row is None:
            return
        self.total_row.run_condition(None)

    def on_total_value_changed(self) -> None:
        if self.data is not None and self.total_row is not None and not self.run.is_loading:
            self.data.set_value(
                self.value_name + self.run.settings.totals_suffix, self.total_value(), False
            )

    # ------------------------------------------------------------------ conditions
    def run_condition_core(self) -> None:
        super().run_condition_core()
        self.run_items_condition()

    def run_conditions_for_columns(self) -> bool:
        expr = self.d.columns_visible_if
        for col in self.columns:
            if expr is None:
                col.is_columns_visible_if = True
            else:
                scope = LayeredScope({"item": col.name, "name": col.name}, self.scope())
                col.is_columns_visible_if = (
                    bool(expr.ok) and expr.evaluate(scope, self.eval_ctx()) is True
                )
        return False

    def run_items_condition(self) -> None:
        counter = 0
        row_vis_changed = False
        self.run_conditions_for_columns()
        while True:
            prev_total = deep_copy(self.total_value())
            row_vis_changed = self.run_cells_condition() or row_vis_changed
            self.run_totals_condition()
            counter += 1
            if is_two_value_equals(prev_total, self.total_value()) or counter >= 3:
                break
        if row_vis_changed and self.is_clear_value_on_hidden():
            self.clear_invisible_values_in_rows()
        if self.d.hide_if_rows_empty:
            self.on_visible_changed()

    def run_cells_condition(self) -> bool:
        changed = False
        self.is_running_cells_condition = True
        rows = self.generated_rows
        if rows:
            for row in rows:
                prev = row.is_visible()
                row.run_condition(self.d.rows_visible_if)
                if prev != row.is_visible():
                    changed = True
        self.check_columns_visibility()
        self.is_running_cells_condition = False
        return changed

    def check_columns_visibility(self) -> None:
        for col in self.columns:
            cells_vis = col.d.visible_if is not None
            if not cells_vis and self.d.columns_visible_if is None and col.is_column_visible():
                continue
            has_vis = not cells_vis
            rows = self.generated_rows
            if cells_vis and rows:
                for row in rows:
                    q = row.cells[col.index].question
                    if q.is_visible():
                        has_vis = True
                        break
            col.has_visible_cell = has_vis and col.is_columns_visible_if

    def run_triggers(self, name: str | None, value: Any, keys: dict[str, Any] | None) -> None:
        super().run_triggers(name, value, keys)
        for row in self.generated_rows or []:
            if row.is_visible():
                for cell in row.cells:
                    cell.question.run_triggers(name, value, keys)

    def on_any_value_changed(self, name: str, question_name: str | None) -> None:
        if self.run.is_loading or self.is_doing_on_any_value_changed:
            return
        if self.generated_rows is None:
            if name == self.value_name:
                self.is_value_changed_without_rows = True
            return
        self.is_doing_on_any_value_changed = True
        for row in self.generated_rows:
            for q in row.questions:
                q.on_any_value_changed(name, question_name)
        tr = self.visible_total_row()
        if tr is not None:
            for q in tr.questions:
                q.on_any_value_changed(name, question_name)
        self.is_doing_on_any_value_changed = False

    # ------------------------------------------------------------------ clearing
    def clear_value_if_invisible_core(self, reason: str) -> None:
        super().clear_value_if_invisible_core(reason)
        self.clear_invisible_values_in_rows()

    def clear_invisible_values_in_rows(self) -> None:
        if self.is_empty() or not self.is_rows_filtered():
            return
        if len(self.run.get_questions_by_value_name(self.value_name)) < 2:
            self.value = self.get_filtered_data()

    def is_rows_filtered(self) -> bool:
        rows = self.visible_rows()
        return len(rows) != len(self.generated_rows or [])

    # ------------------------------------------------------------------ validation
    def validate_element(self, ctx: Any) -> bool:
        rows_ok = self.validate_rows(ctx)
        duplicated = self.is_value_duplicated(ctx)
        own = super().validate_element(ctx)
        return own and rows_ok and not duplicated

    def validate_rows(self, ctx: Any) -> bool:
        res = True
        for row in self.visible_rows():
            res = row.validate(ctx) and res
        return res

    def unique_columns_names(self) -> list[str]:
        return [c.name for c in self.columns if c.d.is_unique]

    def is_value_duplicated(self, ctx: Any) -> bool:
        if self.generated_rows is None:
            return False
        res = False
        for name in self.unique_columns_names():
            rows = self.get_duplicated_rows_and_show_errors(name, True)
            if rows:
                q = rows[0].get_question_by_name(name)
                ctx.set_error_element(q, None)
                res = True
        return res

    def get_duplicated_rows_and_show_errors(
        self, column_name: str, show_errors: bool
    ) -> list[MatrixRowRt]:
        rows = self.get_duplicated_rows(column_name)
        if show_errors:
            for row in rows:
                q = row.get_question_by_name(column_name)
                if q is not None and not any(e.type == "keyduplicationerror" for e in q.errors):
                    text = loc_text(
                        self.d.key_duplication_error, self.loc(), verne=self.run.verne
                    ) or self.message("keyDuplicationError")
                    q.errors.append(SurveyError("keyduplicationerror", text))
        for row in self.generated_rows or []:
            if row not in rows:
                q = row.get_question_by_name(column_name)
                if q is not None:
                    q.errors = [e for e in q.errors if e.type != "keyduplicationerror"]
        return rows

    def get_duplicated_rows(self, column_name: str) -> list[MatrixRowRt]:
        groups: dict[str, list[MatrixRowRt]] = {}
        order: list[str] = []
        for i, row in enumerate(self.generated_rows or []):
            q = row.get_question_by_name(column_name)
            if q is not None:
                val = q.value
            else:
                rv = self.get_row_value(i)
                val = rv.get(column_name, UNDEFINED) if isinstance(rv, dict) else UNDEFINED
            if is_value_empty_trim(val):
                continue
            key = (
                val.lower()
                if isinstance(val, str) and not self.run.settings.case_sensitive
                else to_js_string(val)
                if not isinstance(val, str)
                else val
            )
            if key not in groups:
                groups[key] = []
                order.append(key)
            groups[key].append(row)
        res: list[MatrixRowRt] = []
        for key in order:
            if len(groups[key]) > 1:
                res.extend(groups[key])
        return res

    def nested_questions(self) -> list[QuestionRt]:
        out: list[QuestionRt] = []
        for row in self.generated_rows or []:
            out.extend(row.questions)
        return out

    # ------------------------------------------------------------------ snapshot
    def matrix_snapshot(self) -> dict[str, Any]:
        from surveys.engine.values import to_json

        rows = self.visible_rows()
        cells: dict[str, Any] = {}
        row_keys: list[Any] = []
        for row in rows:
            key = row.key()
            row_keys.append(row.get_item_index() - 1 if self.is_dynamic else row.row_name)
            rc: dict[str, Any] = {}
            for cell in row.cells:
                cq = cell.question
                st: dict[str, Any] = {
                    "visible": cq.is_visible(),
                    "readOnly": cq.is_read_only(),
                    "required": cq.is_required,
                }
                if cq.type == "expression":
                    st["value"] = to_json(cq.value)
                rc[cell.column.name] = st
            cells[key] = rc
        return {
            "visibleRows": to_json(row_keys),
            "visibleColumns": [c.name for c in self.visible_columns()],
            "cells": cells,
        }


class MatrixDropdownQuestionRt(MatrixDropdownBaseRt):
    def __init__(
        self,
        d: Any,
        run: SurveyRun,
        data: Any,
        parent: PanelRt | None,
        parent_question: QuestionRt | None = None,
    ) -> None:
        super().__init__(d, run, data, parent, parent_question)
        self.rows = [ItemRt(r.value, r.text, d=r) for r in self.d.rows]

    def is_new_value_correct(self, val: Any) -> bool:
        return isinstance(val, dict)

    def generate_rows(self) -> list[MatrixRowRt]:
        val = self.value if isinstance(self.value, dict) else {}
        res: list[MatrixRowRt] = []
        for item in self.rows:
            if is_value_empty(item.value):
                continue
            res.append(MatrixRowRt(self, val.get(to_js_string(item.value), UNDEFINED), item=item))
        return res

    def create_new_value(self, null_on_empty: bool = False) -> Any:
        res = deep_copy(self.value) if js_truthy(self.value) else {}
        if not isinstance(res, dict):
            res = {}
        if null_on_empty and not res:
            return None
        return res

    def get_row_value_core(
        self, row: MatrixRowRt, question_value: Any, create: bool = False
    ) -> Any:
        key = to_js_string(row.row_name)
        res = question_value.get(key) if isinstance(question_value, dict) else None
        if not js_truthy(res):
            res = None
        if res is None and create:
            res = {}
            if isinstance(question_value, dict):
                question_value[key] = res
        return res

    def delete_row_value(self, new_value: Any, row: MatrixRowRt) -> Any:
        if not isinstance(new_value, dict):
            return new_value
        new_value.pop(to_js_string(row.row_name), None)
        return None if not new_value else new_value

    def get_filtered_data_core(self) -> Any:
        res: dict[str, Any] = {}
        for row in self.generated_rows or []:
            if row.is_visible() and not row.is_empty():
                res[to_js_string(row.row_name)] = row.filtered_value()
        return res

    def run_condition_core(self) -> None:
        # row enableIf is evaluated per row (MatrixDropdownRowModel.runRowsEnableCondition)
        super().run_condition_core()

    def clear_incorrect_values(self) -> None:
        if not self.is_empty():
            self.visible_rows()
            val = self.value if isinstance(self.value, dict) else {}
            new_val: dict[str, Any] = {}
            for key, v in val.items():
                row = self._row_by_key(key)
                if row is not None and row.is_visible():
                    new_val[key] = v
            self.value = new_val

    def _row_by_key(self, key: str) -> MatrixRowRt | None:
        for row in self.generated_rows or []:
            if to_js_string(row.row_name) == key:
                return row
        return None

    def get_display_value_core(self, keys_as_text: bool, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        res: dict[str, Any] = {}
        for row in self.visible_rows():
            name = to_js_string(row.row_name)
            val = value.get(name)
            if not js_truthy(val):
                continue
            key = row.row_title() if keys_as_text else name
            res[key or name] = _row_display(row, keys_as_text, val)
        return res


class MatrixDynamicQuestionRt(MatrixDropdownBaseRt):
    is_dynamic = True
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
        self.row_counter = 0
        self.set_row_count_value_from_data = False
        md = self.d
        raw = md.raw
        # On loading survey-core does not clamp rowCount by minRowCount/maxRowCount (those only
        # pad the value to minRowCount once rows exist).
        n = get_number(raw.get("rowCount", 2))
        self.row_count_value = int(n) if n == n and 0 <= n <= 1000 else 2
        self.initial_row_count = self.row_count_value
        self.min_row_count = max(0, int(md.min_row_count))
        mx = int(md.max_row_count)
        self.max_row_count = 1 if mx <= 0 else min(mx, 1000)

    # ------------------------------------------------------------------ rows
    @property
    def row_count(self) -> int:
        return self.row_count_value

    def set_row_count(self, val: Any) -> None:
        n = get_number(val)
        if n != n or n < 0 or n > 1000 or n == self.row_count_value:
            return
        val = int(n)
        self.set_row_count_value_from_data = False
        prev = self.row_count_value
        self.row_count_value = val
        if isinstance(self.value, list) and len(self.value) > val:
            q_val = deep_copy(self.value)
            del q_val[val:]
            self.value = q_val
        if self.run.is_loading:
            self.initial_row_count = val
            return
        if self.generated_rows is not None or prev == 0:
            if self.generated_rows is None:
                self.generated_rows = []
            del self.generated_rows[val:]
            for _ in range(prev, val):
                self.generated_rows.append(self.create_row(None))
            self.run_condition()

    def create_row(self, value: Any, item: ItemRt | None = None) -> MatrixRowRt:
        row = MatrixRowRt(self, value, index=self.row_counter)
        self.row_counter += 1
        return row

    def generate_rows(self) -> list[MatrixRowRt]:
        if self.row_count_value == 0:
            return []
        val = self.create_new_value()
        res = []
        for i in range(self.row_count_value):
            rv = val[i] if isinstance(val, list) and i < len(val) else None
            res.append(self.create_row(rv))
        if not is_value_empty(self.get_default_row_value(False)):
            self.value = val
        return res

    def is_new_value_correct(self, val: Any) -> bool:
        return isinstance(val, list)

    def is_default_value_empty(self) -> bool:
        return super().is_default_value_empty() and is_value_empty(self.d.default_row_value)

    def set_default_value(self) -> None:
        dv = self.d.default_row_value
        if is_value_empty(dv) or not is_value_empty(self.d.default_value):
            super().set_default_value()
            return
        if not self.is_empty() or self.row_count_value == 0:
            return
        self.value = [deep_copy(dv) for _ in range(self.row_count_value)]

    def value_from_data(self, val: Any) -> Any:
        if self.min_row_count < 1 or self.is_empty():
            return val
        return self.correct_value_for_min_max_rows(val)

    def correct_value_for_min_max_rows(self, val: Any) -> Any:
        if not isinstance(val, list):
            val = []
        while len(val) < self.min_row_count:
            val.append({})
        return val

    def update_value_from_survey(self, new_value: Any, clear_data: bool = False) -> None:
        in_process = self.set_row_count_value_from_data
        self.set_row_count_value_from_data = True
        if not in_process and self.min_row_count > 0:
            n = len(new_value) if isinstance(new_value, list) else 0
            if n < self.min_row_count and not is_value_empty(self.d.default_row_value):
                if not isinstance(new_value, list):
                    new_value = []
                for _ in range(n, self.min_row_count):
                    new_value.append(deep_copy(self.d.default_row_value))
        super().update_value_from_survey(new_value, clear_data)
        self.set_row_count_value_from_data = False

    def on_before_value_changed(self, val: Any) -> None:
        if not isinstance(val, list):
            return
        n = len(val)
        if n == self.row_count_value:
            return
        if not self.set_row_count_value_from_data and n < self.initial_row_count:
            return
        self.set_row_count_value_from_data = True
        self.row_count_value = n
        if self.generated_rows is None:
            return
        if n == len(self.generated_rows) + 1:
            new_row = self.create_row(val[n - 1] if n - 1 < len(val) else None)
            self.generated_rows.append(new_row)
        else:
            self.clear_generated_rows()
            self.visible_rows()
        self.set_row_count_value_from_data = False

    def create_new_value(self, null_on_empty: bool = False) -> Any:
        res = deep_copy(self.value)
        if not isinstance(res, list):
            res = []
        del res[self.row_count_value :]
        row_value = self.get_default_row_value(False) or {}
        while len(res) < self.row_count_value:
            res.append(deep_copy(row_value))
        if null_on_empty and all(not (isinstance(x, dict) and x) for x in res):
            return None
        return res

    def get_row_value_core(
        self, row: MatrixRowRt, question_value: Any, create: bool = False
    ) -> Any:
        rows = self.generated_rows
        if rows is None:
            return {}
        idx = rows.index(row) if row in rows else -1
        res = (
            question_value[idx]
            if isinstance(question_value, list) and 0 <= idx < len(question_value)
            else None
        )
        if not js_truthy(res) and create:
            res = {}
        return res

    def delete_row_value(self, new_value: Any, row: MatrixRowRt) -> Any:
        if not isinstance(new_value, list):
            return new_value
        is_empty = not any(isinstance(x, dict) and x for x in new_value)
        return None if is_empty else new_value

    def get_filtered_data_core(self) -> Any:
        return [
            row.filtered_value()
            for row in self.generated_rows or []
            if row.is_visible() and not row.is_empty()
        ]

    def matrix_scope(self) -> Mapping[str, Any]:
        scope: Mapping[str, Any] = self.data.scope()
        return scope

    def get_default_row_value(self, is_row_added: bool) -> Any:
        res: dict[str, Any] | None = None
        for col in self.columns:
            cd = col.d.cell_def
            if cd is not None and not is_value_empty(cd.default_value):
                res = res or {}
                res[col.name] = cd.default_value
        drv = self.d.default_row_value
        if isinstance(drv, dict) and not is_value_empty(drv):
            res = res or {}
            for k, v in drv.items():
                res[k] = v
        if (
            is_row_added
            and self.d.raw.get(
                "copyDefaultValueFromLastEntry", self.d.raw.get("defaultValueFromLastRow")
            )
            is True
        ):
            val = self.value
            if (
                isinstance(val, list)
                and len(val) >= self.row_count_value - 1
                and self.row_count_value >= 2
            ):
                row_value = val[self.row_count_value - 2]
                if isinstance(row_value, dict):
                    for k, v in row_value.items():
                        res = res or {}
                        res[k] = v
        return res

    # ------------------------------------------------------------------ conditions
    def run_condition_core(self) -> None:
        super().run_condition_core()

    def run_items_condition(self) -> None:
        expr = self.d.row_count_expression
        if expr is not None:
            maxc = min(self.max_row_count, 1000)
            self.run_expression_by_property(
                "rowCountExpression",
                expr,
                lambda v: self.set_row_count(_item_count(v, self.min_row_count, maxc)),
            )
        super().run_items_condition()

    def run_conditions_for_columns(self) -> bool:
        return False

    # ------------------------------------------------------------------ add rows
    def can_add_row(self) -> bool:
        allow = self.d.raw.get("allowAddRows", True) is not False
        return (
            allow
            and not self.is_read_only()
            and self.d.row_count_expression is None
            and self.row_count_value < self.max_row_count
        )

    def add_row(self) -> None:
        if not self.can_add_row():
            return
        self.set_value_changed_directly(True)
        prev = self.row_count_value
        self.set_row_count(self.row_count_value + 1)
        default_value = self.get_default_row_value(True)
        new_value: Any = None
        if not is_value_empty(default_value):
            new_value = self.create_new_value()
            if len(new_value) == self.row_count_value:
                new_value[-1] = default_value
                self.value = new_value
        if self.data is not None:
            self.run_cells_condition()
            rows = self.generated_rows or []
            if is_value_empty(default_value) and rows:
                row = rows[-1]
                if not is_value_empty(row.value):
                    if new_value is None:
                        new_value = self.create_new_value()
                    if not base_equals(new_value[-1], row.value):
                        new_value[-1] = row.value
                        self.value = new_value
        rows = self.visible_rows()  # survey-core reads visibleRows here, which builds the rows
        _ = (prev, rows)

    # ------------------------------------------------------------------ validation
    def on_check_for_errors(self, errors: list[SurveyError], is_on_value_changed: bool) -> None:
        super().on_check_for_errors(errors, is_on_value_changed)
        if not is_on_value_changed and not self.validate_min_rows():
            from surveys.engine.messages import js_format

            errors.append(
                SurveyError(
                    "minrowcounterror",
                    js_format(self.message("minRowCountError"), to_js_string(self.min_row_count)),
                )
            )

    def validate_min_rows(self) -> bool:
        if self.min_row_count <= 0 or not self.is_required or self.generated_rows is None:
            return True
        count = sum(1 for r in self.generated_rows if not r.is_empty())
        return count >= self.min_row_count

    def unique_columns_names(self) -> list[str]:
        res = super().unique_columns_names()
        kn = self.d.key_name
        if kn and kn not in res:
            res.append(kn)
        return res

    def get_display_value_core(self, keys_as_text: bool, value: Any) -> Any:
        if not isinstance(value, list):
            return value
        values = deep_copy(value)
        rows = self.visible_rows()
        for i in range(min(len(rows), len(values))):
            if js_truthy(values[i]):
                values[i] = _row_display(rows[i], keys_as_text, values[i])
        return values


def _row_display(row: MatrixRowRt, keys_as_text: bool, row_value: Any) -> Any:
    if not isinstance(row_value, dict):
        return row_value
    res = dict(row_value)
    for key in list(res):
        q = row.get_question_by_name(key)
        if q is None:
            continue
        dv = q.get_display_value(keys_as_text, res[key])
        title = q.title()
        if keys_as_text and title and title != key:
            res[title] = dv
            del res[key]
        else:
            res[key] = dv
    return res


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


__all__ = ["MatrixDropdownQuestionRt", "MatrixDynamicQuestionRt", "base_equals"]
