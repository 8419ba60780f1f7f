"""The engine's public API for the Django side (re-exported by :mod:`surveys.engine`).

A :class:`SurveyRun` wraps one evaluation of a parsed definition. Every read is cheap (no
re-evaluation happens on reads) and returns plain, typed Python values: dataclasses whose
values are JSON-compatible (JavaScript ``undefined`` becomes ``None``).

    survey = load_survey(definition_json)            # cached by content
    run = SurveyRun(survey, locale="nb", messages="verne")
    run.set_data(saved_draft)                          # restore: no triggers, no conversion
    run.answer("antall_ansatte", "15")                 # a respondent's answer: "15" -> 15
    page = run.page(run.current_page)                  # what the wizard renders
    errors = run.validate_page()                       # before moving on
    if not errors and not run.is_last_page():
        run.next()
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from surveys.engine.errors import SurveyError
from surveys.engine.jsutil import UNDEFINED, base_equals, is_value_empty, json_clone
from surveys.engine.loader import DefinitionError, load_survey
from surveys.engine.messages import MessageSet
from surveys.engine.model import LocStr, SurveyDef
from surveys.engine.runtime import survey as _rt
from surveys.engine.runtime.matrixdropdown import MatrixDropdownBaseRt, MatrixDynamicQuestionRt
from surveys.engine.runtime.paneldynamic import PanelDynamicQuestionRt, PanelItemRt

__all__ = [
    "ChoiceInfo",
    "ColumnInfo",
    "DefinitionError",
    "ElementInfo",
    "Error",
    "PageInfo",
    "PanelInfo",
    "QuestionState",
    "Result",
    "SurveyRun",
    "evaluate",
    "text",
]


# ============================================================================================
# value types
# ============================================================================================
@dataclass(frozen=True, slots=True)
class Error:
    """A validation error.

    ``key`` is the runner's key: ``"q"`` for a question, ``"pd[0].q"`` inside a dynamic panel
    (0-based), ``"m[row].col"`` for a matrix cell (row value, or 0-based index in a
    matrixdynamic), ``"mt.item"`` for a multiple-text item, ``"panel:x"``/``"page:x"`` for a
    container. ``type`` is survey-core's error type (``required``, ``custom`` ...).
    """

    key: str
    type: str
    text: str
    notification: str = "error"

    @property
    def blocking(self) -> bool:
        """Only ``error`` notifications make a page invalid (``warning``/``info`` do not)."""
        return self.notification not in ("warning", "info")

    @property
    def question(self) -> str:
        """The top-level question (or container key) the error belongs to."""
        key = self.key
        for sep in ("[", "."):
            if sep in key and not key.startswith(("panel:", "page:")):
                key = key.split(sep, 1)[0]
        return key


@dataclass(frozen=True, slots=True)
class ChoiceInfo:
    value: Any
    text: str
    visible: bool = True
    enabled: bool = True


@dataclass(frozen=True, slots=True)
class ColumnInfo:
    name: str
    title: str
    cell_type: str
    input_type: str = "text"
    choices: tuple[ChoiceInfo, ...] = ()
    required: bool = False
    visible: bool = True
    min: Any = None
    max: Any = None


@dataclass(slots=True)
class QuestionState:
    """Everything the wizard needs to render and check one question, localised."""

    name: str
    type: str
    title: str
    description: str = ""
    visible: bool = True
    shown: bool = True  # visible, with every container and the page visible
    enabled: bool = True
    required: bool = False
    value: Any = None
    comment: str = ""
    value_name: str = ""
    # text / comment
    input_type: str = "text"
    min: Any = None
    max: Any = None
    step: Any = None
    max_length: int | None = None
    placeholder: str = ""
    # choices (select types, rating, boolean)
    choices: tuple[ChoiceInfo, ...] = ()
    multiple: bool = False
    has_other: bool = False
    other_value: str = "other"
    other_text: str = ""
    has_none: bool = False
    none_value: str = "none"
    has_select_all: bool = False
    select_all_text: str = ""
    has_comment: bool = False
    comment_title: str = ""
    min_selected: int | None = None
    max_selected: int | None = None
    label_true: str = ""
    label_false: str = ""
    value_true: Any = True
    value_false: Any = False
    # matrices
    rows: tuple[ChoiceInfo, ...] = ()
    columns: tuple[ColumnInfo, ...] = ()
    cells: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    row_count: int = 0
    min_row_count: int = 0
    max_row_count: int | None = None
    can_add_rows: bool = False
    # multipletext items / paneldynamic panels
    items: tuple[QuestionState, ...] = ()
    panels: tuple[tuple[ElementInfo, ...], ...] = ()
    min_panel_count: int = 0
    max_panel_count: int | None = None
    can_add_panels: bool = False
    # expression / html
    display_value: str = ""
    html: str = ""
    # Verne extension properties (verneSensitivity, vernePrefill, verneTrendKey, ...)
    verne: dict[str, Any] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return "question"


@dataclass(slots=True)
class PanelInfo:
    name: str
    title: str
    description: str = ""
    visible: bool = True
    shown: bool = True
    enabled: bool = True
    required: bool = False
    elements: tuple[ElementInfo, ...] = ()

    @property
    def kind(self) -> str:
        return "panel"


ElementInfo = QuestionState | PanelInfo


@dataclass(slots=True)
class PageInfo:
    name: str
    title: str
    description: str = ""
    visible: bool = True
    enabled: bool = True
    elements: tuple[ElementInfo, ...] = ()

    def questions(self, *, shown_only: bool = False) -> list[QuestionState]:
        out: list[QuestionState] = []

        def walk(els: Iterable[ElementInfo]) -> None:
            for el in els:
                if isinstance(el, PanelInfo):
                    walk(el.elements)
                elif not shown_only or el.shown:
                    out.append(el)

        walk(self.elements)
        return out


@dataclass(slots=True)
class Result:
    """A snapshot of a run (what :func:`evaluate` returns)."""

    values: dict[str, Any]
    state: str
    current_page: str | None
    visible_pages: list[str]
    visible_questions: list[str]
    enabled_questions: list[str]
    required_questions: list[str]
    calculated_values: dict[str, Any]
    expressions: dict[str, Any]
    variables: dict[str, Any]
    errors: list[Error]
    page_valid: dict[str, bool]
    can_be_completed_by_trigger: bool = False
    warnings: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return all(self.page_valid.values())


# ============================================================================================
# helpers
# ============================================================================================
def text(locstr: Any, locale: str | None = None, *, verne: bool = True) -> str:
    """Resolve a localisable string (``"x"`` or ``{"default": .., "nb": .., "nn": ..}``).

    With ``verne=True`` (default) the fallbacks are Verne's: ``nn -> nb -> default``,
    ``nb -> no -> default``, ``en -> default -> en``. With ``verne=False`` it is survey-core's
    ``pureText`` (``nb`` falls straight back to ``default``).
    """
    ls = locstr if isinstance(locstr, LocStr) else LocStr.from_json(locstr)
    if ls is None:
        return ""
    loc = "" if locale in (None, "en") and not verne else (locale or "")
    return ls.text(loc, verne=verne)


def _plain(v: Any) -> Any:
    """A JSON-compatible copy (``undefined`` -> ``None``, NaN/Infinity -> ``None``)."""
    if v is UNDEFINED:
        return None
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, (dict, list)):
        res = json_clone(v)
        return None if res is UNDEFINED else res
    if hasattr(v, "to_iso_string"):
        return v.to_iso_string() if getattr(v, "is_valid", False) else None
    return v


def _num_or_none(v: Any) -> Any:
    if v is None or v is UNDEFINED or isinstance(v, bool):
        return None
    return v


def _error(key: str, e: SurveyError) -> Error:
    return Error(key=key, type=e.type, text=e.text, notification=e.notification_type)


# ============================================================================================
# the run
# ============================================================================================
class SurveyRun:
    """One evaluation of a survey (see the module docstring)."""

    def __init__(
        self,
        survey: SurveyDef | str | bytes | Mapping[str, Any],
        *,
        locale: str | None = None,
        now: datetime | None = None,
        messages: MessageSet = "survey-core",
        variables: Mapping[str, Any] | None = None,
        settings: Mapping[str, Any] | None = None,
    ) -> None:
        model = (
            survey
            if isinstance(survey, SurveyDef)
            else load_survey(dict(survey) if isinstance(survey, Mapping) else survey)
        )
        self.model = model
        self.rt = _rt.SurveyRun(model, locale=locale, now=now, settings=settings, messages=messages)
        for k, v in (variables or {}).items():
            self.rt.set_variable(k, v)

    # ------------------------------------------------------------------ writing
    def set_data(self, data: Mapping[str, Any] | None) -> None:
        """Restore saved data (``survey.data = data``): stored as given, no triggers."""
        self.rt.set_data(json_clone(dict(data)) if data else None)

    def merge_data(self, data: Mapping[str, Any]) -> None:
        self.rt.merge_data(json_clone(dict(data)))

    def answer(self, name: str, value: Any) -> None:
        """A respondent's answer (``question.value = value``): converted like survey-core does
        (``inputType: number`` ``"15"`` -> 15, exclusive "none", ...), triggers run."""
        from surveys.engine.runner import answer

        answer(self.rt, name, json_clone(value) if isinstance(value, (dict, list)) else value)
        q = self.rt.get_question_by_name(name)
        if q is not None and q.d.type in _CONTAINER_TYPES:
            _retype_nested(q)

    def answers(self, answers: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> None:
        pairs = answers.items() if isinstance(answers, Mapping) else answers
        for name, value in pairs:
            self.answer(name, value)

    def set_comment(self, name: str, comment: str | None) -> None:
        self.rt.set_comment(name, comment)

    def clear_value(self, name: str) -> None:
        self.rt.clear_value(name)

    def set_variable(self, name: str, value: Any) -> None:
        self.rt.set_variable(name, value)

    # ------------------------------------------------------------------ reading
    @property
    def values(self) -> dict[str, Any]:
        """The data (``survey.data``): answers, comments, totals, included calculated values."""
        res = _plain(self.rt.data)
        return res if isinstance(res, dict) else {}

    @property
    def state(self) -> str:
        return self.rt.state

    @property
    def current_page(self) -> str | None:
        page = self.rt.current_page
        return page.name if page is not None else None

    @property
    def can_be_completed_by_trigger(self) -> bool:
        return self.rt.can_be_completed_by_trigger

    @property
    def warnings(self) -> list[str]:
        return list(self.rt.warnings)

    def visible_pages(self) -> list[str]:
        return [p.name for p in self.rt.visible_pages()]

    def is_first_page(self) -> bool:
        return self.rt.is_first_page()

    def is_last_page(self) -> bool:
        """Whether the current page is the last visible page (survey-core completes from any page;
        the server decides whether "complete" is offered)."""
        return self.rt.is_last_page()

    def variable(self, name: str) -> Any:
        return _plain(self.rt.get_variable(name))

    def calculated_values(self) -> dict[str, Any]:
        return {cv.name: _plain(cv.value) for cv in self.rt.calculated}

    def text(self, locstr: Any, locale: str | None = None) -> str:
        """A localisable string in ``locale`` (the run's locale by default), Verne fallbacks."""
        return text(locstr, self.rt.locale if locale is None else locale, verne=True)

    # ------------------------------------------------------------------ structure
    def pages(self) -> list[PageInfo]:
        return [self._page_info(p) for p in self.rt.pages]

    def page(self, name: str | None = None) -> PageInfo:
        """A page with its elements (the current page by default)."""
        p = self.rt.current_page if name is None else self.rt.get_page_by_name(name)
        if p is None:
            raise KeyError(name)
        return self._page_info(p)

    def page_elements(
        self, page: str | None = None, *, shown_only: bool = False
    ) -> list[ElementInfo]:
        info = self.page(page)
        if not shown_only:
            return list(info.elements)
        return [el for el in info.elements if el.shown]

    def question_state(self, name: str) -> QuestionState:
        q = self.rt.get_question_by_name(name) or self.rt.get_question_by_value_name(name)
        if q is None:
            raise KeyError(name)
        return _question_state(q)

    def _page_info(self, p: Any) -> PageInfo:
        return PageInfo(
            name=p.name,
            title=p.title(),
            description=self._loc(p.d.description),
            visible=p.is_visible(),
            enabled=not p.is_read_only(),
            elements=tuple(_element_info(el, p.is_visible()) for el in p.elements),
        )

    def _loc(self, ls: LocStr | None) -> str:
        return ls.text(self.rt.locale, verne=self.rt.verne) if ls is not None else ""

    # ------------------------------------------------------------------ navigation
    def next(self) -> bool:
        """``nextPage()``: validates the current page; moves on when it is valid."""
        return self.rt.next_page()

    def prev(self) -> bool:
        return self.rt.prev_page()

    def complete(self) -> bool:
        """``tryComplete()``: validates the current page and completes (from any page)."""
        return self.rt.try_complete()

    def start(self) -> bool:
        """Leave the start page (``firstPageIsStartPage``) when it is valid."""
        return self.rt.start()

    def do_complete(self) -> None:
        """Complete without validation (runs the on-complete clearing)."""
        self.rt.do_complete()

    def go_to_page(self, name: str) -> bool:
        page = self.rt.get_page_by_name(name)
        self.rt.set_current_page(page)
        return self.rt.current_page is page and page is not None

    def add_row(self, name: str) -> int:
        q = self.rt.get_question_by_name(name)
        if not isinstance(q, MatrixDynamicQuestionRt):
            raise KeyError(name)
        q.add_row()
        return int(q.row_count)

    def add_panel(self, name: str) -> int:
        q = self.rt.get_question_by_name(name)
        if not isinstance(q, PanelDynamicQuestionRt):
            raise KeyError(name)
        q.add_panel()
        return int(q.panel_count)

    # ------------------------------------------------------------------ validation
    def validate_page(self, name: str | None = None) -> list[Error]:
        """Errors on one page (the current page by default), survey-core's validatePage."""
        from surveys.engine.snapshot import collect_errors

        page = self.rt.active_page() if name is None else self.rt.get_page_by_name(name)
        if page is None:
            return []
        self.rt.validate_page(page)
        return _errors(collect_errors(self.rt, [page]), self.rt)

    def validate(self) -> list[Error]:
        """Errors on every visible page (``survey.validate()``: the current page stays)."""
        from surveys.engine.snapshot import collect_errors

        self.rt.validate_all(fire_callback=True, focus_first_error=False)
        return _errors(collect_errors(self.rt), self.rt)

    def result(self, *, validate: bool = True) -> Result:
        from surveys.engine.snapshot import snapshot, validate_all

        snap = snapshot(self.rt)
        errors: list[Error] = []
        page_valid: dict[str, bool] = {}
        if validate:
            page_valid, raw = validate_all(self.rt)
            errors = _errors(raw, self.rt)
        return Result(
            values=self.values,
            state=snap["state"],
            current_page=snap["currentPage"],
            visible_pages=snap["visiblePages"],
            visible_questions=snap["visibleQuestions"],
            enabled_questions=snap["enabledQuestions"],
            required_questions=snap["requiredQuestions"],
            calculated_values=self.calculated_values(),
            expressions={
                q.name: _plain(q.value) for q in self.rt.all_questions if q.type == "expression"
            },
            variables={n: _plain(self.rt.get_variable(n)) for n in self.rt.variables_hash},
            errors=errors,
            page_valid=page_valid,
            can_be_completed_by_trigger=self.rt.can_be_completed_by_trigger,
            warnings=list(self.rt.warnings),
        )


_CONTAINER_TYPES = frozenset({"matrixdropdown", "matrixdynamic", "paneldynamic", "multipletext"})


def _retype_nested(q: Any) -> None:
    """Give the cells / panel questions / items of a container the values a browser would.

    ``question.value = {...}`` on a matrix, dynamic panel or multiple-text question stores the
    object as given; in a browser the respondent types into each cell, whose editor converts
    the value (``"5"`` -> 5 in a number column, ``"2"`` -> 2 for a numeric choice). The wizard
    posts whole containers, so :meth:`SurveyRun.answer` re-assigns every visible, editable
    nested value through its own question, as typing it would.
    """
    if isinstance(q, MatrixDropdownBaseRt):
        q.visible_rows()  # built when rendered
    elif isinstance(q, PanelDynamicQuestionRt):
        q.visible_panels()
    for nq in q.nested_questions():
        if nq.d.type in _CONTAINER_TYPES:
            _retype_nested(nq)
            continue
        if nq.d.type == "expression" or not nq.is_visible() or nq.is_read_only():
            continue
        val = nq.value
        if val is UNDEFINED or val is None or val == "":
            continue
        nq.value = json_clone(val)
        owner = nq.data
        if isinstance(owner, PanelItemRt):
            # a panel item compares loosely ("7" equals 7) and keeps the stored text: a browser
            # would have written the typed value into an empty field, so store the converted one
            cur = nq.value
            stored = owner.all_values().get(nq.value_name, UNDEFINED)
            if not is_value_empty(cur) and (
                type(stored) is not type(cur) or not base_equals(stored, cur)
            ):
                owner.q.update_item_value(owner, nq.value_name, json_clone(cur))


def _errors(raw: Mapping[str, list[dict[str, Any]]], rt: Any) -> list[Error]:
    out: list[Error] = []
    for key, lst in raw.items():
        for e in lst:
            out.append(
                Error(
                    key=key,
                    type=e["type"],
                    text=e["text"],
                    notification=e.get("notificationType", "error"),
                )
            )
    return out


def _verne_props(raw: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in raw.items() if k.startswith("verne")}


def _choice_infos(q: Any) -> tuple[ChoiceInfo, ...]:
    return tuple(
        ChoiceInfo(_plain(c.value), c.text(q), True, c.is_enabled) for c in q.visible_choices
    )


def _question_state(q: Any) -> QuestionState:
    from surveys.engine.model import loc_text

    run = q.run
    d = q.d
    loc = run.locale
    verne = run.verne
    page = q.page
    st = QuestionState(
        name=q.name,
        type=q.type,
        title=q.title(),
        description=loc_text(d.description, loc, verne=verne),
        visible=q.is_visible(),
        shown=q.is_visible_in_survey() and (page is None or page.is_visible()),
        enabled=not q.is_read_only(),
        required=q.is_required,
        value=_plain(q.value),
        comment=q.comment if isinstance(q.comment, str) else "",
        value_name=q.value_name,
        has_comment=d.show_comment_area,
        comment_title=loc_text(d.comment_text, loc, verne=verne)
        or (run.message("commentText") if d.show_comment_area else ""),
        placeholder=loc_text(
            LocStr.from_json(d.raw.get("placeholder", d.raw.get("placeHolder"))), loc, verne=verne
        ),
        verne=_verne_props(d.raw),
    )
    t = q.type
    if t in ("text", "comment"):
        st.input_type = getattr(q, "input_type", "text")
        st.min = _plain(getattr(q, "rendered_min", None))
        st.max = _plain(getattr(q, "rendered_max", None))
        st.step = _num_or_none(d.raw.get("step"))
        ml = d.raw.get("maxLength")
        st.max_length = ml if isinstance(ml, int) and not isinstance(ml, bool) and ml > 0 else None
    elif getattr(q, "is_select", False):
        st.choices = _choice_infos(q)
        st.multiple = bool(q.is_value_array)
        st.has_other = d.show_other_item
        st.other_text = q.other_item.text(q)
        st.has_none = d.show_none_item
        st.has_select_all = d.show_select_all_item
        st.select_all_text = q.select_all_item.text(q) if q.select_all_item is not None else ""
        st.min_selected = _num_or_none(d.min_selected_choices) or None
        st.max_selected = _num_or_none(d.max_selected_choices) or None
        if q.is_other_selected():
            ov = q.other_value()
            st.comment = ov if isinstance(ov, str) else st.comment
    elif t == "boolean":
        st.label_true = q.get_display_value_core(False, q.get_value_true())
        st.label_false = q.get_display_value_core(False, q.get_value_false())
        st.value_true = _plain(q.get_value_true())
        st.value_false = _plain(q.get_value_false())
    elif t == "rating":
        st.choices = tuple(
            ChoiceInfo(v, str(q.get_display_value_core(False, v))) for v in q.visible_rate_values()
        )
    elif t == "matrix":
        st.rows = tuple(
            ChoiceInfo(_plain(r.value), r.text(q), r.is_visible, r.is_enabled) for r in q.rows
        )
        st.columns = tuple(
            ColumnInfo(
                name=str(c.value),
                title=c.text(q),
                cell_type="checkbox" if q.is_multi_select else "radiogroup",
                visible=c.is_visible,
            )
            for c in q.columns
        )
        st.multiple = q.is_multi_select
    elif t in ("matrixdropdown", "matrixdynamic"):
        rows = q.visible_rows()
        if t == "matrixdropdown":
            st.rows = tuple(
                ChoiceInfo(
                    _plain(r.row_name), str(r.row_title()), r.is_visible(), r.is_row_enabled()
                )
                for r in rows
            )
        cols: list[ColumnInfo] = []
        for c in q.columns:
            cd = c.d.cell_def
            col_choices: tuple[ChoiceInfo, ...] = ()
            if rows:
                cell_q = rows[0].cells[c.index].question
                if getattr(cell_q, "is_select", False):
                    col_choices = _choice_infos(cell_q)
            cols.append(
                ColumnInfo(
                    name=c.name,
                    title=loc_text(c.d.title, loc, verne=verne) or c.name,
                    cell_type=cd.type if cd is not None else "dropdown",
                    input_type=getattr(cd, "input_type", "text") if cd is not None else "text",
                    choices=col_choices,
                    required=bool(cd.is_required) if cd is not None else False,
                    visible=c.is_column_visible(),
                    min=_num_or_none(cd.raw.get("min")) if cd is not None else None,
                    max=_num_or_none(cd.raw.get("max")) if cd is not None else None,
                )
            )
        st.columns = tuple(cols)
        cells: dict[str, dict[str, dict[str, Any]]] = {}
        for r in rows:
            rc: dict[str, dict[str, Any]] = {}
            for cell in r.cells:
                cq = cell.question
                rc[cell.column.name] = {
                    "visible": cq.is_visible(),
                    "enabled": not cq.is_read_only(),
                    "required": cq.is_required,
                    "value": _plain(cq.value),
                }
            cells[r.key()] = rc
        st.cells = cells
        if t == "matrixdynamic":
            st.row_count = q.row_count
            st.min_row_count = q.min_row_count
            st.max_row_count = q.max_row_count
            st.can_add_rows = q.can_add_row()
        else:
            st.row_count = len(rows)
    elif t == "multipletext":
        st.items = tuple(_question_state(it.editor) for it in q.items)
    elif t == "paneldynamic":
        st.panels = tuple(
            tuple(_element_info(el, p.is_visible()) for el in p.elements) for p in q.panels
        )
        st.min_panel_count = q.min_panel_count
        st.max_panel_count = q.max_panel_count
        st.can_add_panels = q.can_add_panel()
    elif t == "expression":
        st.display_value = str(q.get_display_value(False))
    elif t == "html":
        st.html = loc_text(LocStr.from_json(d.raw.get("html")), loc, verne=verne)
    return st


def _element_info(el: Any, page_visible: bool) -> ElementInfo:
    if el.is_panel:
        from surveys.engine.model import loc_text

        shown = el.is_visible() and el.is_parent_visible() and page_visible
        return PanelInfo(
            name=el.name,
            title=el.title(),
            description=loc_text(el.d.description, el.run.locale, verne=el.run.verne),
            visible=el.is_visible(),
            shown=shown,
            enabled=not el.is_read_only(),
            required=el.is_required,
            elements=tuple(_element_info(c, page_visible) for c in el.elements),
        )
    return _question_state(el)


# ============================================================================================
# one-shot evaluation
# ============================================================================================
def evaluate(
    survey: SurveyDef | str | bytes | Mapping[str, Any],
    data: Mapping[str, Any] | None = None,
    *,
    answers: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
    locale: str | None = None,
    variables: Mapping[str, Any] | None = None,
    now: datetime | None = None,
    messages: MessageSet = "survey-core",
    validate: bool = True,
) -> Result:
    """Load (cached), apply ``data`` then ``answers``, and snapshot (validating every visible page)."""
    run = SurveyRun(survey, locale=locale, now=now, messages=messages, variables=variables)
    if data is not None:
        run.set_data(data)
    if answers:
        run.answers(answers)
    return run.result(validate=validate)
