"""The reference runner's contract in Python: ``run_case`` (one input) and ``run_input`` (batch).

Survey mode runs, in the runner's order: load (cached) -> ``locale`` -> ``variables`` ->
``data`` -> ``answers`` -> ``actions`` -> snapshot -> validation. Function mode hands the case
to ``surveys.engine.expressions.run_function_case``. Output keys are sorted; special values are
encoded with ``surveys.engine.values.to_json``. Nothing raises: a bad definition or input gives
``{"exception": ..., "error": {...}}`` with a JSON path or position.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from surveys.engine.jsutil import json_clone
from surveys.engine.loader import DefinitionError, load_survey_lenient
from surveys.engine.runtime.dates import set_local_zone
from surveys.engine.runtime.matrixdropdown import MatrixDynamicQuestionRt
from surveys.engine.runtime.paneldynamic import PanelDynamicQuestionRt
from surveys.engine.runtime.survey import SurveyRun
from surveys.engine.snapshot import (
    collect_errors,
    data_json,
    page_errors_now,
    snapshot,
    validate_all,
)


def parse_now(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt


def sort_keys_deep(v: Any) -> Any:
    if isinstance(v, list):
        return [sort_keys_deep(x) for x in v]
    if isinstance(v, dict):
        return {k: sort_keys_deep(v[k]) for k in sorted(v)}
    return v


def answer(run: SurveyRun, name: str, value: Any) -> str:
    """What a respondent does: ``question.value = v`` (or ``survey.setValue`` for other names)."""
    q = run.get_question_by_name(name) or run.get_question_by_value_name(name)
    if q is not None:
        q.value = value
        return "question"
    run.set_value(name, value)
    return "survey"


def _json_value(v: Any) -> Any:
    """Inputs are plain JSON (no special-value encoding): a private copy is enough."""
    return json_clone(v) if isinstance(v, (dict, list)) else v


def run_action(run: SurveyRun, a: Mapping[str, Any]) -> dict[str, Any]:
    do = a.get("do")
    rec: dict[str, Any] = {"do": do}
    if do in ("setValue", "answer"):
        rec["via"] = answer(run, str(a.get("name")), _json_value(a.get("value")))
    elif do == "surveySetValue":
        run.set_value(str(a.get("name")), _json_value(a.get("value")))
    elif do == "setComment":
        run.set_comment(str(a.get("name")), _json_value(a.get("value")))
    elif do == "clearValue":
        run.clear_value(str(a.get("name")))
    elif do == "setVariable":
        run.set_variable(str(a.get("name")), _json_value(a.get("value")))
    elif do == "mergeData":
        data = a.get("data")
        run.merge_data(_json_value(data) if isinstance(data, dict) else None)
    elif do == "next":
        rec["result"] = run.next_page()
        rec["pageErrors"] = page_errors_now(run)
    elif do == "prev":
        rec["result"] = run.prev_page()
    elif do == "complete":
        rec["result"] = run.try_complete()
        if not run.is_completed:
            rec["pageErrors"] = page_errors_now(run)
    elif do == "doComplete":
        run.do_complete()
        rec["result"] = run.is_completed
    elif do == "goToPage":
        page = run.get_page_by_name(str(a.get("name")))
        run.set_current_page(page)
        rec["result"] = run.current_page is page
    elif do == "addPanel":
        q = run.get_question_by_name(str(a.get("name")))
        if not isinstance(q, PanelDynamicQuestionRt):
            raise RuntimeError(f"TypeError: cannot addPanel to {a.get('name')!r}")
        q.add_panel()
        rec["result"] = q.panel_count
    elif do == "addRow":
        q = run.get_question_by_name(str(a.get("name")))
        if not isinstance(q, MatrixDynamicQuestionRt):
            raise RuntimeError(f"TypeError: cannot addRow to {a.get('name')!r}")
        q.add_row()
        rec["result"] = q.row_count
    elif do == "validatePage":
        name = a.get("name")
        page = run.get_page_by_name(str(name)) if name else run.current_page
        rec["result"] = run.validate_page(page) is not False
        rec["pageErrors"] = collect_errors(run, [page]) if page is not None else {}
    elif do == "snapshot":
        pass
    else:
        raise RuntimeError(f"Error: unknown action: {do}")
    rec["state"] = run.state
    rec["currentPage"] = run.current_page.name if run.current_page is not None else None
    rec["values"] = data_json(run)
    if do == "snapshot":
        rec["snapshot"] = snapshot(run)
    return rec


def run_survey_case(case: Mapping[str, Any], *, messages: str = "survey-core") -> dict[str, Any]:
    try:
        model, problems = load_survey_lenient(json_clone(case["survey"]))
    except DefinitionError as exc:
        return {"exception": str(exc), "error": {"message": str(exc), "problems": exc.errors}}
    locale = case.get("locale")
    run = SurveyRun(
        model,
        locale=locale if isinstance(locale, str) else None,
        now=parse_now(case.get("now")),
        settings=case.get("settings") if isinstance(case.get("settings"), dict) else None,
        messages="verne" if messages == "verne" else "survey-core",
    )
    out: dict[str, Any] = {}
    if model.json_errors:
        out["jsonErrors"] = [dict(e) for e in model.json_errors]
    if problems:
        out["definitionProblems"] = problems
    variables = case.get("variables")
    if isinstance(variables, dict):
        for k, v in variables.items():
            run.set_variable(k, _json_value(v))
    if "data" in case:
        data = case.get("data")
        run.set_data(_json_value(data) if isinstance(data, dict) else None)
    answers = case.get("answers")
    if answers:
        pairs = list(answers.items()) if isinstance(answers, dict) else list(answers)
        for pair in pairs:
            name, value = pair[0], pair[1]
            answer(run, str(name), _json_value(value))
    actions = case.get("actions")
    if isinstance(actions, list):
        out["actions"] = [run_action(run, a) for a in actions]
    out.update(snapshot(run))
    if case.get("validate") is not False:
        before = json.dumps(json_clone(run.data), sort_keys=True, default=str)
        page_valid, errors = validate_all(run)
        out["pageValid"] = page_valid
        out["errors"] = errors
        after = json.dumps(json_clone(run.data), sort_keys=True, default=str)
        if before != after:
            out["valuesAfterValidation"] = data_json(run)
    if run.warnings:
        out["warnings"] = list(run.warnings)
    return out


def run_case(case: Mapping[str, Any], *, messages: str = "survey-core") -> dict[str, Any]:
    """One runner input -> one output (survey or function mode)."""
    tz = case.get("tz") if isinstance(case, Mapping) else None
    set_local_zone(tz if isinstance(tz, str) else None)
    try:
        if not isinstance(case, Mapping):
            out: dict[str, Any] = {"exception": "Error: a case must be a JSON object"}
        elif "expression" in case:
            from surveys.engine.expressions import run_function_case

            out = dict(run_function_case(dict(case)))
        elif "survey" not in case:
            out = {"exception": "Error: a survey-mode case needs a 'survey' object"}
        else:
            out = run_survey_case(case, messages=messages)
    except Exception as exc:
        out = {"exception": f"{type(exc).__name__}: {exc}"}
    finally:
        set_local_zone(None)
    result: dict[str, Any] = sort_keys_deep(out)
    return result


def run_input(inputs: Any, *, messages: str = "survey-core") -> Any:
    """An array of cases gives an array of outputs; one object gives one output."""
    if isinstance(inputs, list):
        return [run_case(c, messages=messages) for c in inputs]
    return run_case(inputs, messages=messages)


def iter_cases(inputs: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [run_case(c) for c in inputs]
