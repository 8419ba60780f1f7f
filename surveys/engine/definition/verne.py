"""Verne's extension properties: the single description used by the schema, the checks and the JS.

Every property is prefixed ``verne`` so it can never clash with a SurveyJS property. The curated
JSON Schema (``schema.json``) and the SurveyJS registration script
(``surveys/engine/js/verne-surveyjs-extensions.js``) are both generated from this module by
``python -m surveys.engine.definition.build``; tests fail when either is out of date.

SurveyJS class names are used for ``classes``: ``question`` covers every question type,
``panel`` also covers pages (a page is a panel in survey-core) and ``survey`` is the root.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "FOLLOW_UP_CLASS",
    "FOLLOW_UP_FIELDS",
    "LEGACY_ROLE_NAMES",
    "OWNER_ROLES",
    "PREFILL_SOURCES",
    "VERNE_CATEGORY",
    "VERNE_PROPERTIES",
    "VerneField",
    "VerneProperty",
    "is_iso_duration",
]

# The canonical role list (see the contract); follow-up proposals are routed to a role, never a person.
OWNER_ROLES: tuple[str, ...] = (
    "leader",
    "deputy_leader",
    "verneombud",
    "deputy_verneombud",
    "hovedverneombud",
    "hms_coordinator",
    "case_handler",
    "hr",
    "bht",
    "top_manager",
    "amu_member",
    "amu_secretary",
    "employee",
    "hms_admin",
)

# Role names used in early sketches (questionnaires.md §0.3) mapped to the canonical names, so
# that error messages can say exactly what to write instead.
LEGACY_ROLE_NAMES: Mapping[str, str] = {
    "unit_leader": "leader",
    "safety_rep": "verneombud",
    "hse_coordinator": "hms_coordinator",
    "wec": "amu_member",
}

# Sources the prefill step knows. Unknown sources are a warning (the prefill engineer may add more).
PREFILL_SOURCES: tuple[str, ...] = (
    "unit.name",
    "unit.employee_count",
    "report.year",
    "stats.deviations",
    "stats.hms_rounds",
    "last_year",
)

SENSITIVITY_LEVELS: tuple[str, ...] = ("normal", "sensitive", "free_text")
SURVEY_MODES: tuple[str, ...] = ("joint", "individual", "anonymous")
PRIORITIES: tuple[str, ...] = ("low", "medium", "high")

VERNE_CATEGORY = "verne"
FOLLOW_UP_CLASS = "vernefollowup"

# ISO-8601 date duration (PnYnMnWnD, at least one part). Deadlines are counted in days, so time
# parts (PT12H) are rejected: workflows/followups.py turns the duration into days.
_DURATION = r"^P(?=\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$"
_DURATION_RE = re.compile(_DURATION)
_SNAKE = r"^[a-z][a-z0-9_]*$"
_DOTTED = r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$"


def is_iso_duration(text: str) -> bool:
    """True for an ISO-8601 date duration such as ``P30D``, ``P2W`` or ``P1Y6M``."""
    return bool(_DURATION_RE.match(text))


LOC_REF: Mapping[str, Any] = {"$ref": "#/$defs/localizableString"}
EXPR_REF: Mapping[str, Any] = {"$ref": "#/$defs/expression"}


@dataclass(frozen=True)
class VerneField:
    """One property of a follow-up rule (the SurveyJS class ``vernefollowup``)."""

    name: str
    sj_type: str  # the SurveyJS Serializer type used in the registration script
    schema: Mapping[str, Any]
    description: str
    description_nb: str
    display_name: str
    required: bool = False
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class VerneProperty:
    """One Verne extension property on SurveyJS classes."""

    name: str
    classes: tuple[str, ...]
    sj_type: str  # the SurveyJS Serializer type used in the registration script
    schema: Mapping[str, Any]
    description: str
    description_nb: str
    display_name: str
    choices: tuple[str, ...] = ()
    default: str | bool | None = None
    item_class: str | None = None  # for arrays of objects: the SurveyJS class of an item
    extra: Mapping[str, Any] = field(default_factory=dict)


FOLLOW_UP_FIELDS: tuple[VerneField, ...] = (
    VerneField(
        "code",
        "string",
        {"type": "string", "pattern": _SNAKE},
        "Stable code of the proposed action; unique within the questionnaire. An open action "
        "with the same code for the unit is linked instead of duplicated.",
        "Stabil kode for det foreslåtte tiltaket; unik i spørreskjemaet. Finnes det et åpent "
        "tiltak med samme kode for enheten, lenkes det i stedet for å lage et nytt.",
        "Code",
        required=True,
    ),
    VerneField(
        "when",
        "condition",
        EXPR_REF,
        "Condition (SurveyJS expression) that proposes the action when it is true.",
        "Betingelse (SurveyJS-uttrykk) som foreslår tiltaket når den er sann.",
        "When",
        required=True,
    ),
    VerneField(
        "title",
        "text",
        LOC_REF,
        "Title of the proposed action (one text per language).",
        "Tittel på det foreslåtte tiltaket (én tekst per språk).",
        "Action title",
        required=True,
    ),
    VerneField(
        "description",
        "text",
        LOC_REF,
        "Longer description of the proposed action.",
        "Lengre beskrivelse av det foreslåtte tiltaket.",
        "Description",
    ),
    VerneField(
        "ownerRole",
        "dropdown",
        {"enum": list(OWNER_ROLES)},
        "Role that owns the proposed action.",
        "Rollen som eier det foreslåtte tiltaket.",
        "Owner role",
        choices=OWNER_ROLES,
    ),
    VerneField(
        "due",
        "string",
        {"type": "string", "pattern": _DURATION},
        "Deadline as an ISO-8601 duration counted from sign-off, such as P30D or P3M.",
        "Frist som ISO-8601-varighet regnet fra signering, for eksempel P30D eller P3M.",
        "Due (ISO-8601 duration)",
    ),
    VerneField(
        "priority",
        "dropdown",
        {"enum": list(PRIORITIES)},
        "Priority of the proposed action.",
        "Prioritet for det foreslåtte tiltaket.",
        "Priority",
        choices=PRIORITIES,
    ),
    VerneField(
        "legalRef",
        "string",
        {"type": "string"},
        "Legal reference shown with the action, such as 'IK-forskriften § 5 nr. 3'.",
        "Lovhenvisning som vises med tiltaket, for eksempel «IK-forskriften § 5 nr. 3».",
        "Legal reference",
    ),
)


def _follow_up_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "title": "Verne follow-up rule",
        "required": [f.name for f in FOLLOW_UP_FIELDS if f.required],
        "properties": {f.name: dict(f.schema) for f in FOLLOW_UP_FIELDS},
        "additionalProperties": False,
    }


VERNE_PROPERTIES: tuple[VerneProperty, ...] = (
    VerneProperty(
        "verneFollowUps",
        ("question", "panel", "survey"),
        "vernefollowups",
        {"type": "array", "items": {"$ref": "#/$defs/verneFollowUp"}},
        "Rules that propose follow-up actions (tasks) for the unit's action plan.",
        "Regler som foreslår oppfølgingstiltak til enhetens handlingsplan.",
        "Follow-up rules",
        item_class=FOLLOW_UP_CLASS,
    ),
    VerneProperty(
        "verneTrendKey",
        ("question",),
        "string",
        {"type": "string", "pattern": _SNAKE},
        "Stable key that joins this question's answers across versions and years in trends.",
        "Stabil nøkkel som kobler svarene på spørsmålet på tvers av versjoner og år i trender.",
        "Trend key",
    ),
    VerneProperty(
        "vernePrefill",
        ("question",),
        "dropdown",
        {"type": "string", "pattern": _DOTTED},
        "Where Verne prefills the answer from, such as unit.name or report.year.",
        "Hvor Verne forhåndsutfyller svaret fra, for eksempel unit.name eller report.year.",
        "Prefill source",
        choices=PREFILL_SOURCES,
    ),
    VerneProperty(
        "verneSensitivity",
        ("question",),
        "dropdown",
        {"enum": list(SENSITIVITY_LEVELS)},
        "How sensitive the answers are; drives the minimum group size in reports.",
        "Hvor sensitive svarene er; styrer minste gruppestørrelse i rapporter.",
        "Sensitivity",
        choices=SENSITIVITY_LEVELS,
        default="normal",
    ),
    VerneProperty(
        "verneBackground",
        ("question",),
        "boolean",
        {"type": "boolean"},
        "True for a background question (role, unit, age group) in an anonymous survey.",
        "Sann for et bakgrunnsspørsmål (rolle, enhet, aldersgruppe) i en anonym undersøkelse.",
        "Background question",
        default=False,
    ),
    VerneProperty(
        "verneKey",
        ("survey",),
        "string",
        {"type": "string", "pattern": _SNAKE},
        "Key of the questionnaire, such as hms_annual_report.",
        "Nøkkelen til spørreskjemaet, for eksempel hms_annual_report.",
        "Questionnaire key",
    ),
    VerneProperty(
        "verneMode",
        ("survey",),
        "dropdown",
        {"enum": list(SURVEY_MODES)},
        "Who answers and how: joint (leader and verneombud together), individual or anonymous.",
        "Hvem som svarer og hvordan: joint (leder og verneombud sammen), individual eller anonymous.",
        "Answering mode",
        choices=SURVEY_MODES,
    ),
)


def follow_up_schema() -> dict[str, Any]:
    """The JSON Schema of one follow-up rule (``$defs/verneFollowUp``)."""
    return _follow_up_schema()


def properties_for(sj_class: str) -> tuple[VerneProperty, ...]:
    """The Verne properties registered on a SurveyJS class (``question``, ``panel``, ``survey``)."""
    return tuple(p for p in VERNE_PROPERTIES if sj_class in p.classes)
