"""Loading a definition: validation, the parsed model, and the cache.

:func:`load_survey` accepts JSON text, bytes or a dict, runs
``surveys.engine.definition.validate_definition`` and raises :class:`DefinitionError` when the
report has errors. The parsed :class:`~surveys.engine.model.SurveyDef` is cached in an LRU keyed
by the SHA-256 of the canonical JSON, so the server and the CLI parse a definition once.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from typing import Any

from surveys.engine.exprs import compile_opt
from surveys.engine.model import (
    KNOWN_QUESTION_TYPES,
    SELECT_TYPES,
    BooleanDef,
    CalculatedValueDef,
    ChoiceDef,
    ColumnDef,
    ElementDef,
    ExpressionQDef,
    LocStr,
    MatrixDef,
    MatrixDropdownDef,
    MultipleTextDef,
    MultipleTextItemDef,
    PageDef,
    PanelDef,
    PanelDynamicDef,
    QuestionDef,
    RatingDef,
    SelectDef,
    SurveyDef,
    TextDef,
    TriggerDef,
    ValidatorDef,
)

__all__ = [
    "DefinitionError",
    "build_model",
    "canonical_hash",
    "clear_cache",
    "load_survey",
    "load_survey_lenient",
]


class DefinitionError(ValueError):
    """The definition is not valid JSON or fails ``validate_definition``.

    ``report`` is the definition validator's report (``.errors`` is a list of problems with a
    ``path`` such as ``pages[2].elements[0].visibleIf``, a ``code`` and messages), or ``None``
    when the text is not JSON at all; ``errors`` is always a list of plain dicts.
    """

    def __init__(
        self, message: str, report: Any = None, errors: list[dict[str, Any]] | None = None
    ) -> None:
        super().__init__(message)
        self.report = report
        self.errors: list[dict[str, Any]] = errors if errors is not None else _report_errors(report)


def _report_errors(report: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for p in getattr(report, "errors", None) or []:
        item: dict[str, Any] = {
            "path": getattr(p, "path", ""),
            "code": getattr(p, "code", ""),
            "message": getattr(p, "message", str(p)),
        }
        position = getattr(p, "position", None)
        if position is not None:
            item["position"] = position  # offset inside the expression (or the JSON text)
        out.append(item)
    return out


# --------------------------------------------------------------------------------------------
# cache
# --------------------------------------------------------------------------------------------
_CACHE_SIZE = 256
_cache: OrderedDict[str, _Entry] = OrderedDict()
# sha256 of a definition's exact text -> its canonical key (text inputs skip parsing on a hit)
_raw_index: OrderedDict[str, str] = OrderedDict()
_lock = threading.Lock()


def clear_cache() -> None:
    with _lock:
        _cache.clear()
        _raw_index.clear()


def cache_info() -> dict[str, int]:
    with _lock:
        return {"size": len(_cache), "maxsize": _CACHE_SIZE}


def canonical_hash(definition: Any) -> str:
    text = json.dumps(definition, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _parse(raw: str | bytes | dict[str, Any]) -> dict[str, Any]:
    if isinstance(raw, dict):
        return raw
    try:
        data = json.loads(raw)
    except (ValueError, TypeError) as exc:
        pos = getattr(exc, "pos", None)
        where = f" at position {pos}" if pos is not None else ""
        raise DefinitionError(
            f"the definition is not valid JSON{where}: {exc}",
            errors=[{"path": "$", "code": "invalid_json", "message": str(exc), "position": pos}],
        ) from exc
    if not isinstance(data, dict):
        raise DefinitionError(
            "the definition must be a JSON object",
            errors=[
                {
                    "path": "$",
                    "code": "not_an_object",
                    "message": "the definition must be a JSON object",
                }
            ],
        )
    return data


def _validate(data: dict[str, Any]) -> tuple[dict[str, Any], Any, list[dict[str, Any]]]:
    """(definition to build, report, error dicts); the report is None without the validator."""
    try:
        from surveys.engine.definition import validate_definition
    except ImportError:  # pragma: no cover - the definitions package is part of the engine
        return data, None, []
    report = validate_definition(data)
    errs = _report_errors(report)
    ok = bool(getattr(report, "ok", True)) and not errs
    definition = getattr(report, "definition", None)
    if ok and isinstance(definition, dict):
        return definition, report, []
    return data, report, errs


class _Entry:
    __slots__ = ("errors", "model", "report")

    def __init__(self, model: SurveyDef, report: Any, errors: list[dict[str, Any]]) -> None:
        self.model = model
        self.report = report
        self.errors = errors


def _load(raw: str | bytes | dict[str, Any]) -> _Entry:
    # Fast path for text: the exact same bytes were seen before (hashing the text is much cheaper
    # than parsing it and hashing its canonical form).
    raw_key = None
    if isinstance(raw, (str, bytes)):
        raw_key = hashlib.sha256(raw.encode("utf-8") if isinstance(raw, str) else raw).hexdigest()
        with _lock:
            known = _raw_index.get(raw_key)
            if known is not None:
                hit = _cache.get(known)
                if hit is not None:
                    _cache.move_to_end(known)
                    return hit
    data = _parse(raw)
    key = canonical_hash(data)
    with _lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
            if raw_key is not None:
                _remember_raw(raw_key, key)
            return hit
    definition, report, errs = _validate(data)
    model = build_model(definition)
    model.hash = key
    entry = _Entry(model, report, errs)
    with _lock:
        _cache[key] = entry
        _cache.move_to_end(key)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
        if raw_key is not None:
            _remember_raw(raw_key, key)
    return entry


def _remember_raw(raw_key: str, key: str) -> None:
    _raw_index[raw_key] = key
    _raw_index.move_to_end(raw_key)
    while len(_raw_index) > 4 * _CACHE_SIZE:
        _raw_index.popitem(last=False)


def load_survey(raw: str | bytes | dict[str, Any]) -> SurveyDef:
    """The parsed model of a valid definition (cached by content).

    Raises :class:`DefinitionError` when the text is not a JSON object or when
    ``validate_definition`` reports errors.
    """
    entry = _load(raw)
    if entry.errors:
        first = entry.errors[0]
        raise DefinitionError(
            f"invalid survey definition: {first.get('path') or '<root>'}: {first.get('message')}",
            entry.report,
            entry.errors,
        )
    return entry.model


def load_survey_lenient(
    raw: str | bytes | dict[str, Any],
) -> tuple[SurveyDef, list[dict[str, Any]]]:
    """Like survey-core's loader: the model even when the validator complains, plus the problems.

    The reference runner's contract (CLI, parity tests) needs this: survey-core never rejects a
    definition, it reports ``jsonErrors`` and runs what it understood.
    """
    entry = _load(raw)
    return entry.model, entry.errors


# --------------------------------------------------------------------------------------------
# building the model
# --------------------------------------------------------------------------------------------
class _Builder:
    def __init__(self, survey: SurveyDef) -> None:
        self.survey = survey
        self.questions: list[QuestionDef] = []
        self.panels: list[PanelDef] = []
        self.elements: list[ElementDef] = []
        self.question_names: set[str] = set()
        self.panel_names: set[str] = set()
        self.json_errors: list[dict[str, str]] = []

    def gen_name(self, used: set[str], base: str) -> str:
        i = 1
        while f"{base}{i}" in used:
            i += 1
        return f"{base}{i}"

    def element(self, raw: Any, *, nested: bool = False) -> ElementDef | None:
        if not isinstance(raw, dict):
            return None
        etype = raw.get("type")
        if not isinstance(etype, str):
            self.json_errors.append({"type": "missingtypeproperty", "message": "missing type"})
            return None
        etype = etype.lower()
        if etype == "panel":
            name = _name(raw.get("name"))
            if not name:
                name = self.gen_name(self.panel_names, "panel")
            self.panel_names.add(name)
            panel = PanelDef(raw, "panel", name)
            panel.index = len(self.elements)
            self.elements.append(panel)
            if not nested:
                self.panels.append(panel)
            panel.elements = self.children(raw, nested=nested)
            return panel
        if etype not in KNOWN_QUESTION_TYPES:
            self.json_errors.append(
                {"type": "incorrecttypeproperty", "message": f"unknown element type {etype!r}"}
            )
            return None
        name = _name(raw.get("name"))
        if not name:
            name = self.gen_name(self.question_names, "question")
            self.json_errors.append(
                {
                    "type": "requiredproperty",
                    "message": f"The property 'name' is required in class '{etype}'.",
                }
            )
        q = self.question(raw, etype, name)
        if not nested:
            self.question_names.add(name)
            q.index = len(self.elements)
            self.elements.append(q)
            self.questions.append(q)
        return q

    def children(self, raw: dict[str, Any], *, nested: bool = False) -> tuple[ElementDef, ...]:
        items = raw.get("elements")
        if items is None:
            items = raw.get("questions")
        out: list[ElementDef] = []
        if isinstance(items, list):
            for item in items:
                el = self.element(item, nested=nested)
                if el is not None:
                    out.append(el)
        return tuple(out)

    def question(self, raw: dict[str, Any], etype: str, name: str) -> QuestionDef:
        q: QuestionDef
        if etype in ("text", "comment"):
            q = TextDef(raw, etype, name)
        elif etype in SELECT_TYPES:
            sq = SelectDef(raw, etype, name)
            sq.choices = choices_from_json(raw.get("choices"))
            q = sq
        elif etype == "boolean":
            q = BooleanDef(raw, etype, name)
        elif etype == "rating":
            rq = RatingDef(raw, etype, name)
            rq.rate_values = choices_from_json(raw.get("rateValues"))
            q = rq
        elif etype == "expression":
            q = ExpressionQDef(raw, etype, name)
        elif etype == "matrix":
            mq = MatrixDef(raw, etype, name)
            mq.rows = choices_from_json(raw.get("rows"))
            mq.columns = choices_from_json(raw.get("columns"))
            q = mq
        elif etype in ("matrixdropdown", "matrixdynamic"):
            md = MatrixDropdownDef(raw, etype, name)
            md.rows = choices_from_json(raw.get("rows")) if etype == "matrixdropdown" else ()
            md.choices = choices_from_json(raw.get("choices"))
            md.columns = self.columns(raw.get("columns"), md)
            if isinstance(raw.get("detailElements"), list):
                det_raw = {"elements": raw.get("detailElements")}
                det = PanelDef(det_raw, "panel", "")
                det.elements = self.children(det_raw, nested=True)
                md.detail = det
            q = md
        elif etype == "multipletext":
            mt = MultipleTextDef(raw, etype, name)
            items: list[MultipleTextItemDef] = []
            for it in raw.get("items") or []:
                if isinstance(it, str):
                    it = {"name": it}
                if not isinstance(it, dict):
                    continue
                iname = _name(it.get("name"))
                if not iname:
                    continue
                ed_raw = dict(it)
                ed_raw["type"] = "text"
                ed = TextDef(ed_raw, "text", iname)
                ed.validators = validators_from_json(it.get("validators"))
                items.append(MultipleTextItemDef(it, iname, ed))
            mt.items = tuple(items)
            q = mt
        elif etype == "paneldynamic":
            pd = PanelDynamicDef(raw, etype, name)
            tmpl_raw = {"elements": raw.get("templateElements", raw.get("questions")) or []}
            tmpl = PanelDef(tmpl_raw, "panel", "")
            tmpl.elements = self.children(tmpl_raw, nested=True)
            pd.template = tmpl
            q = pd
        else:
            q = QuestionDef(raw, etype, name)
        q.validators = validators_from_json(raw.get("validators"))
        return q

    def columns(self, raw: Any, matrix: MatrixDropdownDef) -> tuple[ColumnDef, ...]:
        out: list[ColumnDef] = []
        if not isinstance(raw, list):
            return ()
        for c in raw:
            if isinstance(c, str):
                c = {"name": c}
            if not isinstance(c, dict):
                continue
            cname = _name(c.get("name"))
            if not cname:
                continue
            col = ColumnDef(c, cname)
            col.cell_def = self.cell_def(col, matrix)
            out.append(col)
        return tuple(out)

    def cell_def(self, col: ColumnDef, matrix: MatrixDropdownDef) -> QuestionDef:
        ctype = col.cell_type
        if ctype == "default":
            ctype = matrix.cell_type or "dropdown"
        if ctype == "default":
            ctype = "dropdown"
        raw = dict(col.raw)
        raw["type"] = ctype
        # the column's visibleIf/enableIf/requiredIf/validators ... belong to every cell question
        raw.pop("visible", None)
        matrix_choices = matrix.raw.get("choices")
        if ctype in SELECT_TYPES and (
            not raw.get("choices")
            or (col.cell_type == "default" and isinstance(matrix_choices, list) and matrix_choices)
        ):
            # a cell without its own choices (or of the default type) uses the matrix choices
            raw["choices"] = matrix_choices or []
        q = self.question(raw, ctype, col.name)
        return q


def _name(v: Any) -> str:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        from surveys.engine.jsutil import number_to_string

        v = number_to_string(v)
    if not isinstance(v, str):
        return ""
    return v.strip().replace("{", "").replace("}", "").lstrip("#")


def choice_from_json(raw: Any) -> ChoiceDef | None:
    if raw is None:
        return None
    if isinstance(raw, dict):
        if "value" not in raw:
            if "text" in raw and len(raw) == 1:
                raw = {"value": raw["text"], "text": raw["text"]}
            else:
                return None
        value = raw.get("value")
        text = LocStr.from_json(raw.get("text"))
        if isinstance(value, str) and "|" in value:
            value, _, t = value.partition("|")
            if text is None and t:
                text = LocStr({"default": t})
        return ChoiceDef(
            value,
            text,
            compile_opt(raw.get("visibleIf")),
            compile_opt(raw.get("enableIf")),
            raw,
            show_comment_area=raw.get("showCommentArea") is True,
            is_comment_required=raw.get("isCommentRequired") is True,
            is_exclusive=raw.get("isExclusive") is True,
        )
    if isinstance(raw, str) and "|" in raw:
        value, _, t = raw.partition("|")
        return ChoiceDef(value, LocStr({"default": t}) if t else None, raw=raw)
    if isinstance(raw, list):
        return None
    return ChoiceDef(raw, None, raw=raw)


def choices_from_json(raw: Any) -> tuple[ChoiceDef, ...]:
    if not isinstance(raw, list):
        return ()
    out = []
    for item in raw:
        c = choice_from_json(item)
        if c is not None:
            out.append(c)
    return tuple(out)


_VALIDATOR_TYPES = {
    "numeric": "numeric",
    "numericvalidator": "numeric",
    "text": "text",
    "textvalidator": "text",
    "answercount": "answercount",
    "answercountvalidator": "answercount",
    "regex": "regex",
    "regexvalidator": "regex",
    "email": "email",
    "emailvalidator": "email",
    "expression": "expression",
    "expressionvalidator": "expression",
}


def validators_from_json(raw: Any) -> tuple[ValidatorDef, ...]:
    if not isinstance(raw, list):
        return ()
    out = []
    for v in raw:
        if not isinstance(v, dict):
            continue
        t = v.get("type")
        vt = _VALIDATOR_TYPES.get(t.lower()) if isinstance(t, str) else None
        if vt is None:
            continue
        out.append(ValidatorDef(v, vt))
    return tuple(out)


_TRIGGER_TYPES = {
    "setvalue": "setvalue",
    "setvaluetrigger": "setvalue",
    "copyvalue": "copyvalue",
    "copyvaluetrigger": "copyvalue",
    "runexpression": "runexpression",
    "runexpressiontrigger": "runexpression",
    "skip": "skip",
    "skiptrigger": "skip",
    "complete": "complete",
    "completetrigger": "complete",
    "visible": "visible",
    "visibletrigger": "visible",
}


def _trigger_expression(raw: dict[str, Any]) -> Any:
    expr = raw.get("expression")
    if isinstance(expr, str) and expr:
        return compile_opt(expr)
    # legacy form: {name, operator, value}
    name = raw.get("name")
    if not isinstance(name, str) or not name:
        return None
    op = raw.get("operator", "equal")
    op = op.lower() if isinstance(op, str) else "equal"
    value = raw.get("value")
    if op not in ("empty", "notempty"):
        v = value.strip() if isinstance(value, str) else value
        from surveys.engine.jsutil import is_value_empty

        if is_value_empty(v):
            return None
    text = (
        "{" + name + "} " + op + " " + _operand_string(value)
        if op not in ("empty", "notempty")
        else "{" + name + "} " + op
    )
    return compile_opt(text)


def _operand_string(value: Any) -> str:
    from surveys.engine.jsutil import number_to_string

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return number_to_string(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "\\'") + "'"
    if isinstance(value, list):
        return "[" + ", ".join(_operand_string(v) for v in value) + "]"
    return "null"


def build_model(raw: dict[str, Any]) -> SurveyDef:
    survey = SurveyDef(raw)
    b = _Builder(survey)
    pages: list[PageDef] = []
    root_elements = raw.get("elements") if "elements" in raw else raw.get("questions")
    if isinstance(root_elements, list):
        page_raws: list[Any] = [{"name": "page1", "elements": root_elements}]
    else:
        pages_raw = raw.get("pages")
        page_raws = pages_raw if isinstance(pages_raw, list) else []
    page_names: set[str] = set()
    for praw in page_raws:
        if not isinstance(praw, dict):
            continue
        pname = _name(praw.get("name"))
        if not pname:
            pname = b.gen_name(page_names, "page")
        page_names.add(pname)
        page = PageDef(praw, pname)
        page.index = len(b.elements)
        b.elements.append(page)
        page.elements = b.children(praw)
        pages.append(page)
    survey.pages = tuple(pages)
    survey.questions = tuple(b.questions)
    survey.panels = tuple(b.panels)
    survey.all_elements = tuple(b.elements)
    by_name: dict[str, QuestionDef] = {}
    by_value: dict[str, list[QuestionDef]] = {}
    for q in b.questions:
        by_name.setdefault(q.name, q)
        by_value.setdefault(q.value_name, []).append(q)
    survey.questions_by_name = by_name
    survey.questions_by_value_name = {k: tuple(v) for k, v in by_value.items()}
    triggers: list[TriggerDef] = []
    for t in raw.get("triggers") or []:
        if not isinstance(t, dict):
            continue
        tt = t.get("type")
        ttype = _TRIGGER_TYPES.get(tt.lower()) if isinstance(tt, str) else None
        if ttype is None:
            continue
        triggers.append(TriggerDef(t, ttype, _trigger_expression(t)))
    survey.triggers = tuple(triggers)
    cvs: list[CalculatedValueDef] = []
    for cv in raw.get("calculatedValues") or []:
        if not isinstance(cv, dict):
            continue
        name = cv.get("name")
        if not isinstance(name, str) or not name:
            continue
        cvs.append(
            CalculatedValueDef(
                name, compile_opt(cv.get("expression")), cv.get("includeIntoResult") is True
            )
        )
    survey.calculated_values = tuple(cvs)
    survey.json_errors = tuple(b.json_errors)
    return survey
