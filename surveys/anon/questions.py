"""What an anonymous questionnaire asks, read from its definition: the background questions
(`verneBackground`), the free-text answers (kept apart from the other answers), sensitive
questions (`verneSensitivity`), and a catalogue of every question for the results pages.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from surveys import engine_api
from surveys.models import QuestionnaireVersion

FREE_TEXT_TYPES = frozenset({"comment"})
NUMERIC_INPUTS = frozenset({"number", "range"})
NOT_ANSWERS = frozenset({"html", "image", "expression"})


def _walk(elements: Any) -> Iterator[Mapping[str, Any]]:
    for el in elements or []:
        if el.get("type") == "panel":
            yield from _walk(el.get("elements"))
        elif el.get("name"):
            yield el


def definition_questions(definition: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(page name, raw question) in document order."""
    for page in definition.get("pages") or []:
        for q in _walk(page.get("elements")):
            yield page.get("name", ""), q


def is_free_text(q: Mapping[str, Any]) -> bool:
    if q.get("verneSensitivity") == "free_text":
        return True
    if q.get("type") in FREE_TEXT_TYPES:
        return True
    return q.get("type") == "text" and q.get("inputType", "text") not in NUMERIC_INPUTS


@dataclass(frozen=True)
class Plan:
    """How a completed answer is split before it is stored."""

    background: tuple[str, ...]
    free_text: frozenset[str]  # question names; their "-Comment" keys are free text too
    sensitive: frozenset[str]
    scores: tuple[str, ...]  # calculated values kept with the answer (dimension scores)


_PLANS: dict[tuple[int, str], Plan] = {}


def plan_for(version: QuestionnaireVersion) -> Plan:
    """The plan for a version (cached per process: versions are immutable)."""
    key = (version.pk, version.definition_hash)
    plan = _PLANS.get(key)
    if plan is None:
        definition = version.definition
        background: list[str] = []
        free_text: set[str] = set()
        sensitive: set[str] = set()
        for _page, q in definition_questions(definition):
            if q.get("verneBackground"):
                background.append(q["name"])
            if is_free_text(q):
                free_text.add(q["name"])
            if q.get("verneSensitivity") in ("sensitive", "free_text"):
                sensitive.add(q["name"])
        scores = tuple(
            cv["name"] for cv in definition.get("calculatedValues") or [] if cv.get("includeIntoResult")
        )
        plan = Plan(tuple(background), frozenset(free_text), frozenset(sensitive), scores)
        _PLANS[key] = plan
    return plan


def split_answers(version: QuestionnaireVersion, values: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    """(answers, background, free texts) from a completed answer's values."""
    plan = plan_for(version)
    answers: dict[str, Any] = {}
    texts: dict[str, str] = {}
    for key, value in values.items():
        base = key[: -len("-Comment")] if key.endswith("-Comment") else key
        if base in plan.free_text or key.endswith("-Comment"):
            if isinstance(value, str) and value.strip():
                texts[key] = value.strip()
            continue
        answers[key] = value
    background = {name: answers[name] for name in plan.background if name in answers}
    return answers, background, texts


# ------------------------------------------------------------------------ the catalogue


@dataclass
class Option:
    value: str  # as a string key (choice values may be numbers)
    label: str


@dataclass
class CatalogQuestion:
    name: str
    type: str
    title: str
    page: str
    page_title: str
    sensitivity: str = "normal"
    options: list[Option] = field(default_factory=list)
    rows: list[Option] = field(default_factory=list)  # matrix rows
    background: bool = False
    free_text: bool = False
    numeric: bool = False  # rating or numeric matrix columns: a mean is meaningful


def catalogue(version: QuestionnaireVersion, locale: str) -> list[CatalogQuestion]:
    """Every answerable question, localised, in document order."""
    plan = plan_for(version)
    session = engine_api.Session(version, {}, locale=locale)
    out: list[CatalogQuestion] = []
    for page_name in session.all_pages():
        page = session.page(page_name)
        for q in page.questions():
            if q.type in NOT_ANSWERS:
                continue
            options: list[Option] = []
            rows: list[Option] = []
            numeric = False
            if q.type == "boolean":
                options = [Option("true", q.label_true or "Ja"), Option("false", q.label_false or "Nei")]
            elif q.type == "matrix":
                options = [Option(str(c.name), c.title) for c in q.columns]
                rows = [Option(str(r.value), r.text) for r in q.rows]
                numeric = any(_is_number(c.name) for c in q.columns)
            elif q.choices:
                options = [Option(str(c.value), c.text) for c in q.choices]
                if q.has_other:
                    options.append(Option(str(q.other_value), q.other_text))
                numeric = q.type == "rating" and all(_is_number(c.value) for c in q.choices)
            out.append(
                CatalogQuestion(
                    name=q.name, type=q.type, title=q.title or q.name, page=page_name,
                    page_title=page.title or page_name, sensitivity=q.sensitivity or "normal",
                    options=options, rows=rows, background=q.name in plan.background,
                    free_text=q.name in plan.free_text, numeric=numeric,
                )  # fmt: skip
            )
    return out


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    try:
        float(str(value))
    except ValueError:
        return False
    return True


# ------------------------------------------------------------------------ labels for results

# The working-environment survey's dimension scores (calculated values): (nb, en, direction).
# Direction "R": a resource, high is good; "D": a demand or strain, high is bad.
SCORE_LABELS: dict[str, tuple[str, str, str]] = {
    "score_workload": ("Arbeidsmengde", "Workload", "D"),
    "score_pace": ("Tempo og avbrytelser", "Pace and interruptions", "D"),
    "score_role_clarity": ("Rolleklarhet", "Role clarity", "R"),
    "score_role_conflict": ("Rollekonflikt", "Role conflict", "D"),
    "score_control": ("Kontroll og innflytelse", "Control and influence", "R"),
    "score_development": ("Mestring og utvikling", "Mastery and development", "R"),
    "score_meaning": ("Meningsfullt arbeid", "Meaningful work", "R"),
    "score_predictability": ("Forutsigbarhet og informasjon", "Predictability and information", "R"),
    "score_colleague_support": ("Støtte fra kolleger", "Colleague support", "R"),
    "score_supervisor_support": ("Støtte fra nærmeste leder", "Supervisor support", "R"),
    "score_leadership": ("Ledelse og rettferdighet", "Leadership and fairness", "R"),
    "score_recognition": ("Anerkjennelse", "Recognition", "R"),
    "score_climate": ("Klima og trygghet for å si fra", "Climate and speaking up", "R"),
    "score_work_life": ("Arbeid og privatliv", "Work and private life", "D"),
    "score_engagement": ("Engasjement", "Engagement", "R"),
    "score_strain": ("Belastning", "Strain", "D"),
}

# The barometer's key indicators (questionnaires.md (b)): share of answers in `values`.
# (key, measure, values, nb, en)
BAROMETER_INDICATORS: list[tuple[str, str, frozenset[str], str, str]] = [
    ("vo_trained", "b_vo_trained", frozenset({"yes"}), "Verneombudet har fått opplæring (ja)", "The SR has been trained (yes)"),
    ("vo_trained_unknown", "b_vo_trained", frozenset({"dont_know"}), "Vet ikke om verneombudet har fått opplæring", "Do not know whether the SR has been trained"),
    ("wec_trained", "b_wec_trained", frozenset({"yes"}), "AMU har fått opplæring (ja)", "The WEC has been trained (yes)"),
    ("routines_followed", "b_routines_followed", frozenset({"often", "almost_always", "always"}), "Rutinene følges ofte, nesten alltid eller alltid", "Routines followed often, almost always or always"),
    ("deviations_always", "b_deviation_habit", frozenset({"always"}), "Avvik meldes alltid når det er aktuelt", "Deviations always reported when relevant"),
    ("deviations_seldom", "b_deviation_habit", frozenset({"sometimes", "rarely"}), "Avvik meldes av og til eller sjelden", "Deviations reported sometimes or rarely"),
    ("vo_good", "b_vo_quality", frozenset({"good", "very_good"}), "Verneombudet gjør en god eller svært god jobb", "The SR does a good or very good job"),
    ("wec_good", "b_wec_quality", frozenset({"good", "very_good"}), "AMU gjør en god eller svært god jobb", "The WEC does a good or very good job"),
    ("overall_good", "b_overall_quality", frozenset({"good", "very_good"}), "HMS-arbeidet samlet er godt eller svært godt", "Overall HSE work is good or very good"),
]


@dataclass
class Labels:
    """Localised texts for the measures of a questionnaire (results pages and exports)."""

    catalogue: list[CatalogQuestion]
    locale: str
    measure_titles: dict[str, str] = field(default_factory=dict)
    measure_group: dict[str, str] = field(default_factory=dict)  # matrix rows: the matrix title
    option_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    page_of: dict[str, tuple[str, str]] = field(default_factory=dict)  # measure -> (page, page title)
    questions: dict[str, CatalogQuestion] = field(default_factory=dict)

    def score_title(self, name: str) -> str:
        nb, en, _direction = SCORE_LABELS.get(name, (name, name, "R"))
        return en if self.locale.startswith("en") else nb

    def title(self, key: str) -> str:
        if key.startswith("score:"):
            return self.score_title(key[len("score:"):])
        return self.measure_titles.get(key, key)

    def option(self, key: str, value: str) -> str:
        return self.option_labels.get(key, {}).get(value, value)


def labels_for(version: QuestionnaireVersion, locale: str) -> Labels:
    cat = catalogue(version, locale)
    labels = Labels(catalogue=cat, locale=locale, questions={q.name: q for q in cat})
    for q in cat:
        options = {o.value: o.label for o in q.options}
        if q.type == "matrix":
            for row in q.rows:
                key = f"{q.name}.{row.value}"
                labels.measure_titles[key] = row.label
                labels.measure_group[key] = q.title
                labels.option_labels[key] = options
                labels.page_of[key] = (q.page, q.page_title)
        else:
            labels.measure_titles[q.name] = q.title
            labels.option_labels[q.name] = options
            labels.page_of[q.name] = (q.page, q.page_title)
    return labels
