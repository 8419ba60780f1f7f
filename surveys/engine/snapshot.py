"""The reference runner's output contract: snapshots, errors and per-action step records.

Everything here reads a :class:`~surveys.engine.runtime.survey.SurveyRun` and produces plain
JSON-ready dicts with exactly the keys and meanings of ``surveyjs_eval.mjs`` (special values are
encoded with :func:`surveys.engine.values.to_json`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from surveys.engine.jsutil import json_clone
from surveys.engine.model import SELECT_TYPES
from surveys.engine.values import to_json

if TYPE_CHECKING:
    from surveys.engine.errors import SurveyError
    from surveys.engine.runtime.element import PanelRt
    from surveys.engine.runtime.question import QuestionRt
    from surveys.engine.runtime.survey import SurveyRun


def encode(v: Any) -> Any:
    return to_json(v)


def data_json(run: SurveyRun) -> Any:
    """``encode(JSON.parse(JSON.stringify(survey.data)))``."""
    return encode(json_clone(run.data))


def _walk(container: PanelRt, cb: Any) -> None:
    for el in container.elements:
        if el.is_panel:
            cb(el, "panel")
            _walk(el, cb)
        else:
            cb(el, "question")


def _chain_visible(panel: PanelRt) -> bool:
    p = panel.parent
    while p is not None:
        if not p.is_visible():
            return False
        p = p.parent
    return True


def question_state(q: QuestionRt) -> dict[str, Any]:
    page = q.page
    return {
        "type": q.type,
        "visible": q.is_visible(),
        "shown": q.is_visible_in_survey() and (page is None or page.is_visible()),
        "readOnly": q.is_read_only(),
        "required": q.is_required,
        "title": q.title(),
    }


def nested_snapshot(questions: list[QuestionRt]) -> dict[str, list[str]]:
    visible: list[str] = []
    enabled: list[str] = []
    required: list[str] = []
    for q in questions:
        if not q.is_visible():
            continue
        visible.append(q.name)
        if not q.is_read_only():
            enabled.append(q.name)
        if q.is_required:
            required.append(q.name)
    return {"visibleQuestions": visible, "enabledQuestions": enabled, "requiredQuestions": required}


def snapshot(run: SurveyRun) -> dict[str, Any]:
    visible_pages = [p.name for p in run.visible_pages()]
    vq: list[str] = []
    eq: list[str] = []
    rq: list[str] = []
    visible_panels: list[str] = []
    questions: dict[str, Any] = {}
    panels: dict[str, Any] = {}
    choices: dict[str, Any] = {}
    dynamic_panels: dict[str, Any] = {}
    matrices: dict[str, Any] = {}
    multiple_text: dict[str, Any] = {}
    pages: dict[str, Any] = {}
    for page in run.pages:
        page_visible = page.is_visible()
        pages[page.name] = {
            "visible": page_visible,
            "readOnly": page.is_read_only(),
            "title": page.title(),
        }

        def cb(el: Any, kind: str, page_visible: bool = page_visible) -> None:
            if kind == "panel":
                shown = el.is_visible() and page_visible and _chain_visible(el)
                panels[el.name] = {
                    "visible": el.is_visible(),
                    "shown": shown,
                    "readOnly": el.is_read_only(),
                    "required": el.is_required,
                }
                if shown:
                    visible_panels.append(el.name)
                return
            q = el
            st = question_state(q)
            questions[q.name] = st
            if st["shown"]:
                vq.append(q.name)
                if not st["readOnly"]:
                    eq.append(q.name)
                if st["required"]:
                    rq.append(q.name)
            t = q.type
            if t in SELECT_TYPES:
                choices[q.name] = q.choices_snapshot()
            elif t == "rating":
                choices[q.name] = {"visible": encode(q.visible_rate_values())}
            elif t == "paneldynamic":
                dynamic_panels[q.name] = [nested_snapshot(p.questions) for p in q.panels]
            elif t in ("matrix", "matrixdropdown", "matrixdynamic"):
                matrices[q.name] = q.matrix_snapshot()
            elif t == "multipletext":
                multiple_text[q.name] = nested_snapshot([it.editor for it in q.items])

        _walk(page, cb)
    calculated = {cv.name: encode(cv.value) for cv in run.calculated}
    expressions = {q.name: encode(q.value) for q in run.all_questions if q.type == "expression"}
    variables = {n: encode(run.get_variable(n)) for n in run.variables_hash}
    out: dict[str, Any] = {
        "state": run.state,
        "currentPage": run.current_page.name if run.current_page is not None else None,
        "visiblePages": visible_pages,
        "visibleQuestions": vq,
        "enabledQuestions": eq,
        "requiredQuestions": rq,
        "visiblePanels": visible_panels,
        "values": data_json(run),
        "calculatedValues": calculated,
        "expressions": expressions,
        "variables": variables,
        "questions": questions,
        "panels": panels,
        "pages": pages,
    }
    if choices:
        out["choices"] = choices
    if dynamic_panels:
        out["dynamicPanels"] = dynamic_panels
    if matrices:
        out["matrices"] = matrices
    if multiple_text:
        out["multipleText"] = multiple_text
    if run.can_be_completed_by_trigger:
        out["canBeCompletedByTrigger"] = True
    return out


def error_list(errors: list[SurveyError]) -> list[dict[str, Any]]:
    return [e.to_json() for e in errors]


def collect_errors(run: SurveyRun, only_pages: list[Any] | None = None) -> dict[str, Any]:
    errors: dict[str, list[dict[str, Any]]] = {}

    def add(key: str, errs: list[SurveyError]) -> None:
        lst = error_list(errs)
        if lst:
            errors[key] = errors.get(key, []) + lst

    pages = only_pages if only_pages is not None else run.visible_pages()
    for page in pages:
        add("page:" + page.name, page.errors)

        def cb(el: Any, kind: str) -> None:
            if kind == "panel":
                add("panel:" + el.name, el.errors)
                return
            q = el
            add(q.name, q.errors)
            t = q.type
            if t == "paneldynamic":
                for i, p in enumerate(q.panels):
                    add(f"{q.name}[{i}]", p.errors)
                    for iq in p.questions:
                        add(f"{q.name}[{i}].{iq.name}", iq.errors)
            elif t in ("matrixdropdown", "matrixdynamic"):
                for key, row in q.visible_rows_with_keys():
                    for cell in row.cells:
                        add(f"{q.name}[{key}].{cell.column.name}", cell.question.errors)
            elif t == "multipletext":
                for it in q.items:
                    add(f"{q.name}.{it.name}", it.editor.errors)

        _walk(page, cb)
    return errors


def validate_all(run: SurveyRun) -> tuple[dict[str, bool], dict[str, Any]]:
    page_valid: dict[str, bool] = {}
    for page in run.visible_pages():
        page_valid[page.name] = run.validate_page(page) is not False
    return page_valid, collect_errors(run)


def page_errors_now(run: SurveyRun) -> dict[str, Any]:
    return collect_errors(run, [run.current_page]) if run.current_page is not None else {}
