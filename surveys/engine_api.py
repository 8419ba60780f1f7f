"""The Django side's one door to the engine (surveys.engine, pure Python).

A `Session` is one request's evaluation of a response: the saved answers restored as
survey-core restores a draft, prefilled values applied, and a wizard page's posted values
applied as a respondent would type them. It converts the engine's page model into
`surveys.pagemodel` for forms and templates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from surveys.engine import api as engine
from surveys.engine.definition import Problem, Report
from surveys.engine.definition import validate_definition as _validate

from . import pagemodel as pm
from .models import QuestionnaireVersion, Response

__all__ = ["Problem", "Report", "Session", "localise", "session_for_response", "validate_definition"]

MISSING = object()
# Run-time variables every Verne questionnaire may use (prefill and the unit's context).
KNOWN_VARIABLES = frozenset({"unit_name", "unit_code", "report_year", "employee_count", "campaign_year"})


def validate_definition(raw: str | bytes | dict[str, Any]) -> Report:
    return _validate(raw, known_variables=set(KNOWN_VARIABLES))


def localise(value: Any, locale: str) -> str:
    return engine.text(value, locale)


def _engine_locale(locale: str) -> str:
    return locale.split("-")[0] if locale else "nb"


# ------------------------------------------------------------------------ page model


def _choices(infos: Any) -> list[pm.Choice]:
    return [pm.Choice(value=c.value, text=c.text, visible=c.visible, enabled=c.enabled) for c in infos]


def _question(st: engine.QuestionState) -> pm.Question:
    q = pm.Question(
        name=st.name, type=st.type, title=st.title, description=st.description,
        visible=st.shown, enabled=st.enabled, required=st.required, value=st.value,
        input_type=st.input_type or "text", min=st.min, max=st.max, step=st.step,
        max_length=st.max_length, placeholder=st.placeholder, choices=_choices(st.choices),
        multiple=st.multiple, has_other=st.has_other, other_value=st.other_value,
        other_text=st.other_text, has_none=st.has_none, none_value=st.none_value,
        has_select_all=st.has_select_all, select_all_text=st.select_all_text,
        has_comment=st.has_comment, comment_title=st.comment_title, comment=st.comment,
        min_selected=st.min_selected, max_selected=st.max_selected, label_true=st.label_true,
        label_false=st.label_false, value_true=st.value_true, value_false=st.value_false,
        rows=_choices(st.rows), row_count=st.row_count, min_row_count=st.min_row_count,
        max_row_count=st.max_row_count, can_add_rows=st.can_add_rows,
        min_panel_count=st.min_panel_count, max_panel_count=st.max_panel_count,
        can_add_panels=st.can_add_panels, display_value=st.display_value, html=st.html,
        sensitivity=str(st.verne.get("verneSensitivity", "normal")),
    )  # fmt: skip
    q.columns = [
        pm.Column(name=c.name, title=c.title, cell_type=c.cell_type, input_type=c.input_type,
                  choices=_choices(c.choices), required=c.required, visible=c.visible, min=c.min, max=c.max)
        for c in st.columns
    ]  # fmt: skip
    q.cells = {
        row: {col: pm.Cell(visible=v["visible"], enabled=v["enabled"], required=v["required"], value=v["value"])
              for col, v in cols.items()}
        for row, cols in st.cells.items()
    }  # fmt: skip
    q.items = [_question(item) for item in st.items]
    q.panels = [[_element(el) for el in panel] for panel in st.panels]
    q.can_remove_rows = st.type == "matrixdynamic" and st.row_count > st.min_row_count
    q.can_remove_panels = st.type == "paneldynamic" and len(st.panels) > st.min_panel_count
    return q


def _element(el: engine.ElementInfo) -> pm.Element:
    if isinstance(el, engine.PanelInfo):
        return pm.Panel(name=el.name, title=el.title, description=el.description, visible=el.shown,
                        enabled=el.enabled, elements=[_element(e) for e in el.elements])  # fmt: skip
    return _question(el)


# ------------------------------------------------------------------------ the session


# Keyed by the definition's content hash: versions are immutable, and a hash cannot go stale
# (ids can be reused, e.g. after a rollback).
_SURVEYS: dict[str, Any] = {}
_DEFINITIONS: dict[str, dict[str, Any]] = {}


def definition_of(version: QuestionnaireVersion) -> dict[str, Any]:
    """A version's definition, decoded once per process (versions never change)."""
    key = version.definition_hash
    if not version.pk or not key:
        return version.definition
    cached = _DEFINITIONS.get(key)
    if cached is None:
        if "definition" in version.get_deferred_fields():
            cached = QuestionnaireVersion.objects.values_list("definition", flat=True).get(pk=version.pk)
        else:
            cached = version.definition
        if len(_DEFINITIONS) > 256:
            _DEFINITIONS.clear()
        _DEFINITIONS[key] = cached
    return cached


def _survey_for(version: QuestionnaireVersion) -> Any:
    """The engine's parsed survey for a version. Versions are immutable, so the parsed model
    is kept per version id and the definition JSON is not even loaded again."""
    key = version.definition_hash
    survey = _SURVEYS.get(key) if key else None
    if survey is None:
        survey = engine.load_survey(definition_of(version))
        if key:
            if len(_SURVEYS) > 256:
                _SURVEYS.clear()
            _SURVEYS[key] = survey
    return survey


class Session:
    """One evaluation of a response's answers (see the module docstring)."""

    def __init__(
        self,
        version: QuestionnaireVersion,
        answers: Mapping[str, Any],
        *,
        locale: str = "nb",
        variables: Mapping[str, Any] | None = None,
        prefill: Mapping[str, Any] | None = None,
        now: dt.datetime | None = None,
    ) -> None:
        self.version = version
        self.locale = _engine_locale(locale)
        self.variables = dict(variables or {})
        self.prefill = dict(prefill or {})
        self.now = now
        self.survey = _survey_for(version)
        self.pending_changed: set[str] = set()
        self._applied: dict[str, Any] = {}
        self._pending_mine: dict[str, Any] = {}
        self._prefilled: set[str] = set()
        self.reload(answers)

    def reload(self, answers: Mapping[str, Any]) -> None:
        self.run = engine.SurveyRun(
            self.survey, locale=self.locale, now=self.now, messages="verne", variables=self.variables
        )
        self.run.set_data(dict(answers))
        self._prefilled = set()
        self._applied = {}
        for name, value in self.prefill.items():
            if name not in answers and value is not None:
                self.run.answer(name, value)
                self._prefilled.add(name)
        self._page_cache: dict[str, pm.Page] = {}

    # -- reads -------------------------------------------------------------------------------
    @property
    def values(self) -> dict[str, Any]:
        return self.run.values

    def all_pages(self) -> list[str]:
        return [p.name for p in self.run.pages()]

    def visible_pages(self) -> list[str]:
        return self.run.visible_pages()

    def page(self, name: str) -> pm.Page:
        if name not in self._page_cache:
            info = self.run.page(name)
            page = pm.Page(
                name=info.name, title=info.title, description=info.description,
                elements=[_element(el) for el in info.elements],
            )  # fmt: skip
            for q in page.questions():
                if q.type == "matrix":
                    self._matrix_column_values(q)
                elif q.type in {"matrixdropdown", "matrixdynamic"}:
                    self._column_choices(q)
            self._page_cache[name] = page
        return self._page_cache[name]

    def _column_choices(self, q: pm.Question) -> None:
        """Choices of select columns, from the definition when the engine has no row to ask."""
        raw = next((d for d in _definition_questions(definition_of(self.version)) if d.get("name") == q.name), None) or {}
        shared = raw.get("choices") or []
        by_name = {c.get("name"): c for c in raw.get("columns") or [] if isinstance(c, dict)}
        for col in q.columns:
            if col.choices or col.cell_type not in {"dropdown", "radiogroup", "checkbox", "tagbox", "rating"}:
                continue
            items = (by_name.get(col.name) or {}).get("choices") or shared
            col.choices = [
                pm.Choice(value=i.get("value") if isinstance(i, dict) else i,
                          text=engine.text(i.get("text", i.get("value")), self.locale) if isinstance(i, dict) else str(i))
                for i in items
            ]  # fmt: skip

    def _matrix_column_values(self, q: pm.Question) -> None:
        """A single-select matrix stores the column's value, which may be a number."""
        raw = next((d for d in _definition_questions(definition_of(self.version)) if d.get("name") == q.name), None)
        values = {}
        for col in (raw or {}).get("columns") or []:
            value = col.get("value") if isinstance(col, dict) else col
            values[pm.choice_key(value)] = value
        for col in q.columns:
            col.value = values.get(col.name, col.name)

    def prefilled_names(self) -> set[str]:
        return set(self._prefilled)

    def question_titles(self) -> dict[str, str]:
        titles: dict[str, str] = {}
        for name in self.all_pages():
            for q in self.page(name).questions():
                titles[q.name] = q.title or q.name
        return titles

    def condition(self, expression: str) -> bool:
        """Evaluate a SurveyJS condition against the current answers (e.g. a follow-up rule)."""
        if not expression:
            return False
        from surveys.engine.expressions import ExpressionSyntaxError, compile_expression

        try:
            compiled = compile_expression(expression)
        except ExpressionSyntaxError:
            return False
        values = dict(self.run.calculated_values())
        values.update(self.variables)
        values.update(self.values)
        return bool(compiled.evaluate_condition(values))

    def first_incomplete_page(self) -> str | None:
        """The first visible page with a missing required answer (or another blocking error)."""
        for name in self.visible_pages():
            if any(e.blocking for e in self.run.validate_page(name)):
                return name
        return None

    def errors(self) -> dict[str, list[pm.ErrorItem]]:
        out: dict[str, list[pm.ErrorItem]] = {}
        for name in self.visible_pages():
            errs = [_error(e) for e in self.run.validate_page(name)]
            if errs:
                out[name] = errs
        return out

    def progress(self) -> tuple[int, int]:
        """(required questions answered, required questions) over the visible pages."""
        answered = total = 0
        values = self.values
        for name in self.visible_pages():
            for q in self.page(name).questions(visible_only=True):
                if q.required and q.has_input:
                    total += 1
                    if values.get(q.name) not in (None, "", [], {}):
                        answered += 1
        return answered, total

    # -- writes (in memory; the caller saves) -------------------------------------------------
    def apply_page(self, page: str, values: Mapping[str, Any], *, lenient: bool = False) -> list[str]:
        """Apply a page's posted values in document order, as a respondent would.

        A question is applied only while it is shown and enabled (after the answers above it),
        so read-only and hidden questions, whose inputs the browser does not post, keep their
        values. Returns the data keys that changed (cumulative for this session).

        Applying the same posted page twice is a no-op: survey-core's answer semantics depend
        on the previous value (selecting "none" after items), so a second pass would differ.
        """
        if self._applied.get(page) == values:
            return sorted(self.pending_changed)
        self._applied[page] = dict(values)
        before = self.values
        questions = self._live_questions(page)
        for q in questions:
            if not q.has_input or q.name not in values:
                continue
            state = self.run.question_state(q.name)
            if not (state.shown and state.enabled):
                continue
            value = values[q.name]
            current = before.get(q.name, MISSING)
            if value is None and current is MISSING:
                pass
            elif value != current:
                self.run.answer(q.name, value)
            comment_key = f"{q.name}-Comment"
            if comment_key in values:
                comment = values[comment_key]
                if comment != before.get(comment_key) and not (comment is None and comment_key not in before):
                    self.run.set_comment(q.name, comment)
        after = self.values
        changed = {k for k in set(before) | set(after) if before.get(k, MISSING) != after.get(k, MISSING)}
        # Prefilled values on this page are stored with the page (they were not saved yet).
        on_page = {q.name for q in questions}
        changed |= self._prefilled & on_page
        self.pending_changed |= changed
        self._prefilled -= changed
        self._page_cache = {}
        return sorted(self.pending_changed)

    def _live_questions(self, page: str) -> list[pm.Question]:
        return [q for q in self.page(page).questions()]

    def try_page(self, page: str, values: Mapping[str, Any]) -> list[pm.ErrorItem]:
        """Apply the page and validate it (the wizard's form validation)."""
        self.apply_page(page, values)
        return [_error(e) for e in self.run.validate_page(page)]

    def remember_pending(self, mine: Mapping[str, Any]) -> None:
        self._pending_mine = dict(mine)


def _error(e: engine.Error) -> pm.ErrorItem:
    return pm.ErrorItem(key=e.key, type=e.type, text=e.text, notification=e.notification)


# ------------------------------------------------------------------------ responses


def prefill_for(response: Response) -> tuple[dict[str, Any], dict[str, Any]]:
    """(variables, question prefill values) for a response, from `vernePrefill` sources.

    Sources are computed only when a question asks for them (statistics cost queries).
    """
    from core.selectors import unit_employee_count

    unit = response.unit
    year = response.campaign.year if response.campaign else timezone.localdate().year
    wanted = _prefill_sources(response.version)
    sources_needed = set(wanted.values())
    variables: dict[str, Any] = {
        "unit_name": response.unit_name or unit.name,
        "unit_code": response.unit_code or unit.code,
        "report_year": year,
        "campaign_year": year,
    }
    if "unit.employee_count" in sources_needed or "{employee_count" in _referenced_variables(response.version):
        variables["employee_count"] = unit_employee_count(unit)
    sources: dict[str, Any] = {
        "unit.name": variables["unit_name"],
        "unit.code": variables["unit_code"],
        "report.year": year,
        "unit.employee_count": variables.get("employee_count"),
    }
    if any(str(src).startswith("stats.") for src in sources_needed):
        stats = _workflow_stats(response, year)
        sources.update({f"stats.{k}": v for k, v in stats.items()})
    prefill: dict[str, Any] = {}
    last_year = None
    for name, source in wanted.items():
        if source == "last_year":
            if last_year is None:
                last_year = _last_year_answers(response)
            if name in last_year:
                prefill[name] = last_year[name]
        elif sources.get(source) is not None:
            prefill[name] = sources[source]
    return variables, prefill


def _prefill_sources(version: QuestionnaireVersion) -> dict[str, str]:
    """Question name -> `vernePrefill` source, once per definition."""
    cached = _PREFILL_SOURCES.get(version.definition_hash)
    if cached is None:
        cached = {q["name"]: q["vernePrefill"] for q in _definition_questions(definition_of(version)) if q.get("vernePrefill")}
        _PREFILL_SOURCES[version.definition_hash] = cached
    return cached


_PREFILL_SOURCES: dict[str, dict[str, str]] = {}


def _referenced_variables(version: QuestionnaireVersion) -> str:
    """Cheap check for variables used in expressions (the definition text, cached per version)."""
    cached = _VARIABLE_TEXT.get(version.definition_hash)
    if cached is None:
        import json

        cached = json.dumps(definition_of(version)).lower()
        _VARIABLE_TEXT[version.definition_hash] = cached
    return cached


_VARIABLE_TEXT: dict[str, str] = {}


def _workflow_stats(response: Response, year: int) -> dict[str, Any]:
    try:
        from workflows.selectors import unit_period_stats
    except ImportError:
        return {}
    try:
        stats = unit_period_stats(response.unit, dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 31))
    except Exception:
        return {}
    flat: dict[str, Any] = {}
    for key, value in stats.items():
        if isinstance(value, (int, float)):
            flat[key] = value
    return flat


def _last_year_answers(response: Response) -> dict[str, Any]:
    if response.campaign is None:
        return {}
    previous = (
        Response.objects.filter(
            campaign__version__questionnaire=response.version.questionnaire,
            campaign__year=response.campaign.year - 1,
            unit=response.unit,
            person=response.person,
            status=Response.Status.SUBMITTED,
        )
        .only("answers")
        .first()
    )
    return dict(previous.answers) if previous else {}


def _definition_questions(definition: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    out: list[Mapping[str, Any]] = []

    def walk(elements: Any) -> None:
        for el in elements or []:
            if el.get("type") == "panel":
                walk(el.get("elements"))
            elif el.get("name"):
                out.append(el)

    for page in definition.get("pages") or []:
        walk(page.get("elements"))
    walk(definition.get("elements"))
    return out


def session_for_response(response: Response, locale: str, *, prefill: bool = True) -> Session:
    variables, values = prefill_for(response) if prefill else ({}, {})
    if response.is_read_only:
        values = {}
    return Session(response.version, response.answers, locale=locale, variables=variables, prefill=values)


def completion_problems(response: Response, *, session: Session | None = None) -> list[pm.ErrorItem]:
    """Blocking errors on any visible page (what must be fixed before signing)."""
    session = session or session_for_response(response, "nb")
    return [e for errs in session.errors().values() for e in errs if e.blocking]


def completed_values(response: Response) -> dict[str, Any]:
    """The answers as survey-core stores them on completion (hidden values cleared).

    While answering, hidden questions keep their values (clearInvisibleValues "onComplete");
    what is signed and submitted is the completed data.
    """
    session = Session(response.version, response.answers, locale="nb")
    session.run.do_complete()
    return session.values


def question_titles(version: QuestionnaireVersion, locale: str) -> dict[str, str]:
    return Session(version, {}, locale=locale).question_titles()


# ------------------------------------------------------------------------ display


def display_value(session: Session, question: str, value: Any) -> str:
    """An answer as text for people (choice texts, Ja/Nei, matrix rows)."""
    if value is None:
        return ""
    q = _find(session, question)
    if q is None:
        return _plain_text(value)
    if q.type == "boolean":
        if value == q.value_true:
            return q.label_true or "Ja"
        if value == q.value_false:
            return q.label_false or "Nei"
    texts = {pm.choice_key(c.value): c.text for c in q.choices}
    if q.has_other:
        texts.setdefault(q.other_value, q.other_text)
    if isinstance(value, list) and q.type in {"checkbox", "tagbox", "ranking", "imagepicker"}:
        return ", ".join(texts.get(pm.choice_key(v), _plain_text(v)) for v in value)
    if q.type in {"radiogroup", "dropdown", "rating", "imagepicker"}:
        return texts.get(pm.choice_key(value), _plain_text(value))
    if q.type == "matrix" and isinstance(value, dict):
        rows = {pm.choice_key(r.value): r.text for r in q.rows}
        cols = {c.name: c.title for c in q.columns}
        return "; ".join(f"{rows.get(pm.choice_key(k), k)}: {cols.get(pm.choice_key(v), _plain_text(v))}" for k, v in value.items())
    if q.type == "multipletext" and isinstance(value, dict):
        items = {i.name: i.title for i in q.items}
        return "; ".join(f"{items.get(k, k)}: {_plain_text(v)}" for k, v in value.items())
    return _plain_text(value)


def _plain_text(value: Any) -> str:
    if isinstance(value, bool):
        return "Ja" if value else "Nei"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, dict)):
        import json

        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _find(session: Session, name: str) -> pm.Question | None:
    for page in session.all_pages():
        for q in session.page(page).questions():
            if q.name == name:
                return q
    return None


@dataclass
class SummaryQuestion:
    question: pm.Question
    display: str
    answered: bool


@dataclass
class SummaryPage:
    name: str
    title: str
    questions: list[SummaryQuestion]
    errors: list[pm.ErrorItem]


def answer_summary(session: Session) -> list[SummaryPage]:
    values = session.values
    errors = session.errors()
    pages = []
    for name in session.visible_pages():
        page = session.page(name)
        rows = []
        for q in page.questions(visible_only=True):
            if q.type in {"html", "image"}:
                continue
            value = q.display_value if q.type == "expression" else values.get(q.name)
            shown = value if isinstance(value, str) and q.type == "expression" else display_value(session, q.name, value)
            rows.append(SummaryQuestion(question=q, display=shown, answered=value not in (None, "", [], {})))
        pages.append(SummaryPage(name=name, title=page.title, questions=rows, errors=errors.get(name, [])))
    return pages


def page_state(session: Session, page: str) -> dict[str, Any]:
    """JSON for the page script: which questions and choices to show, computed values."""
    info = session.page(page)
    questions: dict[str, Any] = {}
    for q in info.questions():
        questions[q.name] = {
            "visible": q.visible,
            "enabled": q.enabled,
            "required": q.required,
            "choices": [c.key for c in q.choices if c.visible] if q.choices else None,
            "display": q.display_value if q.type == "expression" else None,
        }
    panels: dict[str, bool] = {}

    def walk(elements: list[pm.Element], parent: bool) -> None:
        for el in elements:
            if isinstance(el, pm.Panel):
                panels[el.name] = parent and el.visible
                walk(el.elements, parent and el.visible)

    walk(info.elements, True)
    return {"page": page, "questions": questions, "panels": panels, "pages": session.visible_pages()}
