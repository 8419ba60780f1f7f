"""Verne's six built-in questionnaires (surveys/questionnaires/*.json) checked against their outlines.

The outlines are questionnaires.md in the shared domain notes; what the tests expect from them
(pages, machine names, types, choice values, follow-up codes) is written out below, so that a
change to a questionnaire that drifts from its outline fails here. Every questionnaire must also
be accepted by Verne's definition validator, every expression must compile with Verne's
expression engine, and survey-core 3.1.1 must load and run it with realistic answers
(``builtin_survey_core_check.mjs``), with the Python engine giving the same results.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from surveys.engine.definition import (
    OWNER_ROLES,
    PREFILL_SOURCES,
    is_iso_duration,
    validate_definition,
)
from surveys.engine.expressions import ExpressionSyntaxError, compile_expression

ROOT = Path(__file__).resolve().parents[2]
QDIR = ROOT / "surveys" / "questionnaires"
NODE_CHECK = Path(__file__).with_name("builtin_survey_core_check.mjs")
SURVEY_CORE = ROOT / "node_modules" / "survey-core" / "package.json"

KEYS = (
    "hms_annual_report",
    "hms_barometer",
    "work_env_survey",
    "injury_stats",
    "hms_round",
    "risk_assessment",
)
NYNORSK = {"hms_annual_report", "hms_barometer"}
TREND_PREFIX = {
    "hms_annual_report": "annual_",
    "hms_barometer": "barometer_",
    "work_env_survey": "ark_",
    "injury_stats": "injury_",
    "hms_round": "round_",
    "risk_assessment": "ra_",
}

SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
LOCALE_KEYS = {"default", "nb", "nn", "en"}
# Properties that hold localisable text (SurveyJS names) and Verne's follow-up texts.
LOC_PROPERTIES = {
    "title",
    "description",
    "text",
    "html",
    "labelTrue",
    "labelFalse",
    "minRateDescription",
    "maxRateDescription",
    "templateTitle",
    "requiredErrorText",
    "placeholder",
    "completedHtml",
}
# Properties that hold an expression.
EXPRESSION_PROPERTIES = {
    "visibleIf",
    "enableIf",
    "requiredIf",
    "expression",
    "defaultValueExpression",
    "minValueExpression",
    "maxValueExpression",
    "setValueExpression",
    "setValueIf",
    "resetValueIf",
    "choicesVisibleIf",
    "choicesEnableIf",
    "when",
}
# Everything Verne's server-side multi-step form runs; no uploads, signatures or custom types.
SERVER_TYPES = {
    "text",
    "comment",
    "radiogroup",
    "checkbox",
    "dropdown",
    "boolean",
    "rating",
    "matrix",
    "expression",
    "html",
    "panel",
    "paneldynamic",
}
FORBIDDEN_PROPERTIES = {"choicesByUrl", "storeDataAsText", "choicesLazyLoadEnabled"}

# --------------------------------------------------------------------------------------------
# The outlines. Types: "number" = text with inputType number, "date" = text with inputType date.
# --------------------------------------------------------------------------------------------

ANNUAL_PAGES: dict[str, dict[str, str]] = {
    "intro": {
        "unit_name": "text",
        "report_year": "number",
        "employees_count": "number",
        "safety_reps_count": "number",
        "answered_jointly": "boolean",
        "answered_jointly_reason": "comment",
    },
    "goals_organisation": {
        "hse_goals": "radiogroup",
        "hse_goals_text": "comment",
        "last_year_goals_met": "radiogroup",
        "delegation_written": "boolean",
        "delegation_known": "boolean",
    },
    "participation": {
        "leader_vo_meetings": "number",
        "participation_arenas": "checkbox",
        "vo_consulted_on_changes": "radiogroup",
        "vo_active_driver": "rating",
        "vo_time_sufficient": "boolean",
        "measures_made_together": "radiogroup",
    },
    "risk": {
        "risk_overview_age": "radiogroup",
        "risk_overview_scope": "checkbox",
        "detailed_ra_practice": "radiogroup",
        "detailed_ra_count": "number",
        "hms_rounds_count": "number",
        "leader_in_rounds": "boolean",
        "last_work_env_survey": "radiogroup",
        "survey_followed_up": "radiogroup",
    },
    "action_plan": {
        "has_action_plan": "boolean",
        "plan_cost_estimates": "boolean",
        "plan_follow_up_owner": "boolean",
        "plan_completion": "radiogroup",
        "plan_known_to_staff": "boolean",
    },
    "competence": {
        "leader_hse_training": "radiogroup",
        "vo_training": "radiogroup",
        "deputy_vo_training": "radiogroup",
        "competence_needs_known": "boolean",
        "newcomer_induction": "radiogroup",
    },
    "deviations": {
        "deviation_routine_known": "radiogroup",
        "deviations_reported": "number",
        "zero_deviations_reason": "radiogroup",
        "handler_trained": "boolean",
        "deviations_closed_on_time": "radiogroup",
        "learning_from_events": "radiogroup",
        "injuries_recorded": "boolean",
    },
    "psychosocial": {
        "appraisals_done": "radiogroup",
        "conflict_harassment_routine": "boolean",
        "psychosocial_concerns": "boolean",
        "psychosocial_concerns_text": "comment",
    },
    "bht_health": {"bht_known": "radiogroup", "health_checks_overview": "radiogroup"},
    "chemicals": {
        "uses_hazardous_chemicals": "boolean",
        "chemical_register_ok": "radiogroup",
        "chemical_ra_done": "boolean",
    },
    "sick_leave": {"sick_leave_follow_up": "radiogroup", "work_related_absence": "boolean"},
    "laws": {"laws_overview": "boolean"},
    "review": {
        "last_report_used": "radiogroup",
        "disagreement": "boolean",
        "disagreement_text": "comment",
        "strengths": "comment",
        "improvement_areas": "comment",
    },
}

ANNUAL_CHOICES: dict[str, set[Any]] = {
    "hse_goals": {"yes_written", "yes_not_written", "no"},
    "last_year_goals_met": {"fully", "partly", "not", "no_goals"},
    "participation_arenas": {
        "staff_meeting_item",
        "local_wec",
        "hse_group",
        "all_hands",
        "appraisals",
        "other",
        "none",
    },
    "vo_consulted_on_changes": {"always", "usually", "sometimes", "rarely", "never"},
    "measures_made_together": {"yes", "partly", "no"},
    "risk_overview_age": {"lt1y", "1to2y", "gt2y", "never"},
    "risk_overview_scope": {
        "physical",
        "chemical_bio",
        "ergonomic",
        "psychosocial",
        "fire_emergency",
        "new_staff",
        "contractors",
        "external_env",
    },
    "detailed_ra_practice": {"always", "mostly", "seldom", "never", "not_relevant"},
    "last_work_env_survey": {"lt2y", "gt2y", "never"},
    "survey_followed_up": {"yes", "partly", "no"},
    "plan_completion": {"all", "most", "half", "few", "none"},
    "leader_hse_training": {"yes", "in_progress", "no"},
    "vo_training": {"done", "partly", "no"},
    "deputy_vo_training": {"yes", "no", "no_deputy"},
    "newcomer_induction": {"always", "mostly", "seldom", "not_relevant"},
    "deviation_routine_known": {"all", "most", "few"},
    "zero_deviations_reason": {"nothing_happened", "underreporting", "unknown"},
    "deviations_closed_on_time": {"all", "most", "half", "few"},
    "learning_from_events": {"always", "sometimes", "never"},
    "appraisals_done": {"all", "most", "some", "none"},
    "bht_known": {"yes", "partly", "no", "no_bht"},
    "health_checks_overview": {"yes", "no", "not_relevant"},
    "chemical_register_ok": {"yes", "partly", "no"},
    "sick_leave_follow_up": {"always", "mostly", "seldom", "no_cases"},
    "last_report_used": {"yes", "partly", "no", "first_year"},
}

# The outline's conditional follow-ups (F) and conditional questions: exact visibleIf.
ANNUAL_VISIBLE_IF = {
    "answered_jointly_reason": "{answered_jointly} = false",
    "hse_goals_text": "{hse_goals} = 'yes_written'",
    "last_year_goals_met": "{hse_goals} <> 'no'",
    "delegation_known": "{delegation_written} = true",
    "risk_overview_scope": "{risk_overview_age} <> 'never'",
    "leader_in_rounds": "{hms_rounds_count} > 0",
    "survey_followed_up": "{last_work_env_survey} = 'lt2y'",
    "plan_cost_estimates": "{has_action_plan} = true",
    "plan_follow_up_owner": "{has_action_plan} = true",
    "plan_completion": "{has_action_plan} = true",
    "zero_deviations_reason": "{deviations_reported} = 0",
    "psychosocial_concerns_text": "{psychosocial_concerns} = true",
    "chemical_register_ok": "{uses_hazardous_chemicals} = true",
    "chemical_ra_done": "{uses_hazardous_chemicals} = true",
    "disagreement_text": "{disagreement} = true",
}

# Follow-up rule code -> (question it sits on, owner role, due). One rule per outline "T"
# (two where the outline gives two actions), plus clarify_safety_area (see OUTLINES.md).
ANNUAL_FOLLOW_UPS: dict[str, tuple[str, str, str]] = {
    "elect_safety_rep": ("safety_reps_count", "leader", "P30D"),
    "clarify_safety_area": ("safety_reps_count", "leader", "P30D"),
    "hse_goals_missing": ("hse_goals", "leader", "P60D"),
    "hse_goals_write_down": ("hse_goals", "leader", "P30D"),
    "goals_not_met_review": ("last_year_goals_met", "leader", "P60D"),
    "delegation_overview": ("delegation_written", "leader", "P60D"),
    "delegation_share": ("delegation_known", "leader", "P30D"),
    "leader_vo_meetings_min4": ("leader_vo_meetings", "leader", "P30D"),
    "hse_standing_item": ("participation_arenas", "leader", "P30D"),
    "vo_early_involvement": ("vo_consulted_on_changes", "leader", "P60D"),
    "vo_role_clarify": ("vo_active_driver", "leader", "P60D"),
    "vo_time_allocation": ("vo_time_sufficient", "leader", "P30D"),
    "measures_involve_staff": ("measures_made_together", "leader", "P90D"),
    "risk_overview_update": ("risk_overview_age", "leader", "P90D"),
    "risk_include_psychosocial": ("risk_overview_scope", "leader", "P90D"),
    "risk_new_staff_contractors": ("risk_overview_scope", "leader", "P90D"),
    "ra_before_change": ("detailed_ra_practice", "leader", "P60D"),
    "hms_round_plan": ("hms_rounds_count", "leader", "P90D"),
    "leader_in_next_round": ("leader_in_rounds", "leader", "P180D"),
    "work_env_survey_run": ("last_work_env_survey", "leader", "P180D"),
    "survey_feedback_meeting": ("survey_followed_up", "leader", "P60D"),
    "action_plan_create": ("has_action_plan", "leader", "P30D"),
    "plan_cost_estimates": ("plan_cost_estimates", "leader", "P60D"),
    "plan_follow_up_owner": ("plan_follow_up_owner", "leader", "P14D"),
    "overdue_measures_review": ("plan_completion", "leader", "P30D"),
    "action_plan_present": ("plan_known_to_staff", "leader", "P30D"),
    "leader_hse_training": ("leader_hse_training", "leader", "P180D"),
    "vo_basic_training": ("vo_training", "leader", "P90D"),
    "deputy_vo_training": ("deputy_vo_training", "leader", "P180D"),
    "deputy_vo_elect": ("deputy_vo_training", "leader", "P90D"),
    "competence_mapping": ("competence_needs_known", "leader", "P90D"),
    "newcomer_induction_checklist": ("newcomer_induction", "leader", "P60D"),
    "deviation_routine_inform": ("deviation_routine_known", "leader", "P30D"),
    "deviation_reporting_easier": ("zero_deviations_reason", "leader", "P60D"),
    "handler_training": ("handler_trained", "leader", "P60D"),
    "open_deviations_review": ("deviations_closed_on_time", "leader", "P30D"),
    "incident_learning_routine": ("learning_from_events", "leader", "P60D"),
    "injury_recording": ("injuries_recorded", "leader", "P14D"),
    "appraisals_all": ("appraisals_done", "leader", "P120D"),
    "harassment_routine_inform": ("conflict_harassment_routine", "leader", "P30D"),
    "psychosocial_follow_up": ("psychosocial_concerns", "leader", "P60D"),
    "bht_inform": ("bht_known", "leader", "P60D"),
    "bht_assess_need": ("bht_known", "top_manager", "P60D"),
    "health_checks_list": ("health_checks_overview", "leader", "P90D"),
    "chemical_register_update": ("chemical_register_ok", "leader", "P30D"),
    "chemical_risk_assessment": ("chemical_ra_done", "leader", "P60D"),
    "sick_leave_routine_review": ("sick_leave_follow_up", "leader", "P30D"),
    "work_related_absence": ("work_related_absence", "leader", "P60D"),
    "laws_overview": ("laws_overview", "hms_coordinator", "P90D"),
    "report_findings_to_plan": ("last_report_used", "leader", "P30D"),
}
# Where the outline cites the law, the rule must cite it too (prefix match on legalRef).
ANNUAL_LEGAL_REFS = {
    "elect_safety_rep": "aml. § 6-1",
    "leader_vo_meetings_min4": "IK-forskriften § 5 nr. 3",
    "vo_early_involvement": "aml. § 6-2 (4)",
    "vo_time_allocation": "aml. § 6-5",
    "delegation_overview": "IK-forskriften § 5 nr. 5",
    "leader_hse_training": "aml. § 3-5",
    "competence_mapping": "IK-forskriften § 5 nr. 2",
    "injury_recording": "aml. § 5-1",
    "harassment_routine_inform": "aml. § 4-3",
    "bht_assess_need": "aml. § 3-3",
    "chemical_register_update": "forskrift om utførelse av arbeid § 2-1",
    "sick_leave_routine_review": "aml. § 4-6",
    "laws_overview": "IK-forskriften § 5 nr. 1",
    "report_findings_to_plan": "IK-forskriften § 5 nr. 8",
}

BAROMETER_PAGES: dict[str, dict[str, str]] = {
    "b_background": {"b_role": "radiogroup"},
    "b_training": {
        "b_vo_trained": "radiogroup",
        "b_wec_trained": "radiogroup",
        "b_own_training": "rating",
        "b_knows_vo": "boolean",
    },
    "b_routines": {
        "b_routines_exist": "radiogroup",
        "b_routines_followed": "radiogroup",
        "b_routines_barriers": "checkbox",
    },
    "b_deviations": {
        "b_deviation_habit": "radiogroup",
        "b_deviation_barriers": "checkbox",
        "b_deviation_culture": "matrix",
    },
    "b_quality": {
        "b_staff_participate": "rating",
        "b_management_priority": "rating",
        "b_vo_quality": "radiogroup",
        "b_wec_quality": "radiogroup",
        "b_overall_quality": "radiogroup",
    },
    "b_free_text": {"b_improve": "comment", "b_works_well": "comment"},
}
QUALITY = {"very_poor", "poor", "neither", "good", "very_good"}
BAROMETER_CHOICES: dict[str, set[Any]] = {
    "b_role": {"employee", "leader", "sr_or_wec", "no_answer"},
    "b_vo_trained": {"yes", "partly", "no", "dont_know"},
    "b_wec_trained": {"yes", "partly", "no", "dont_know", "no_wec"},
    "b_routines_exist": {"yes", "some", "no", "no_risky_tasks", "dont_know"},
    "b_routines_followed": {
        "never",
        "rarely",
        "sometimes",
        "often",
        "almost_always",
        "always",
        "dont_know",
    },
    "b_routines_barriers": {
        "time_pressure",
        "impractical",
        "unknown_routine",
        "missing_equipment",
        "culture",
        "other",
    },
    "b_deviation_habit": {"always", "often", "sometimes", "rarely", "never", "dont_know"},
    "b_deviation_barriers": {
        "cumbersome",
        "dont_know_how",
        "fear",
        "no_feedback",
        "not_important",
        "takes_time",
        "other",
    },
    "b_vo_quality": QUALITY | {"dont_know"},
    "b_wec_quality": QUALITY | {"dont_know", "no_wec"},
    "b_overall_quality": QUALITY,
}
BAROMETER_VISIBLE_IF = {
    "b_routines_barriers": "{b_routines_followed} anyof ['never', 'rarely', 'sometimes']",
    "b_deviation_barriers": "{b_deviation_habit} anyof ['sometimes', 'rarely', 'never']",
}
BAROMETER_MATRIX_ROWS = {
    "b_deviation_culture": ["b_safe_to_report", "b_feedback_given", "b_deviations_fixed"]
}

# ARK-style survey: item -> (dimension score, reversed, scale). Scales: E extent (1-5 + na),
# F frequency (1-5). Items are rows of one matrix per page and scale.
ARK_ITEMS: dict[str, tuple[str, bool, str]] = {
    "wl_1": ("score_workload", True, "E"),
    "wl_2": ("score_workload", False, "F"),
    "wl_3": ("score_workload", False, "F"),
    "pace_1": ("score_pace", False, "F"),
    "pace_2": ("score_pace", False, "F"),
    "pace_3": ("score_pace", True, "E"),
    "rc_1": ("score_role_clarity", False, "E"),
    "rc_2": ("score_role_clarity", False, "E"),
    "rc_3": ("score_role_clarity", False, "E"),
    "rk_1": ("score_role_conflict", False, "F"),
    "rk_2": ("score_role_conflict", False, "F"),
    "rk_3": ("score_role_conflict", False, "F"),
    "ctl_1": ("score_control", False, "E"),
    "ctl_2": ("score_control", False, "E"),
    "ctl_3": ("score_control", False, "E"),
    "dev_1": ("score_development", False, "E"),
    "dev_2": ("score_development", False, "E"),
    "dev_3": ("score_development", False, "E"),
    "mean_1": ("score_meaning", False, "E"),
    "mean_2": ("score_meaning", False, "E"),
    "mean_3": ("score_meaning", False, "E"),
    "inf_1": ("score_predictability", False, "E"),
    "inf_2": ("score_predictability", False, "E"),
    "inf_3": ("score_predictability", False, "E"),
    "col_1": ("score_colleague_support", False, "F"),
    "col_2": ("score_colleague_support", False, "F"),
    "col_3": ("score_colleague_support", False, "E"),
    "sup_1": ("score_supervisor_support", False, "F"),
    "sup_2": ("score_supervisor_support", False, "F"),
    "sup_3": ("score_supervisor_support", False, "E"),
    "lead_1": ("score_leadership", False, "E"),
    "lead_2": ("score_leadership", False, "E"),
    "lead_3": ("score_leadership", False, "E"),
    "rec_1": ("score_recognition", False, "E"),
    "rec_2": ("score_recognition", False, "F"),
    "rec_3": ("score_recognition", False, "E"),
    "clim_1": ("score_climate", False, "E"),
    "clim_2": ("score_climate", False, "E"),
    "clim_3": ("score_climate", False, "E"),
    "wlb_1": ("score_work_life", False, "F"),
    "wlb_2": ("score_work_life", False, "F"),
    "wlb_3": ("score_work_life", True, "E"),
    "eng_1": ("score_engagement", False, "E"),
    "eng_2": ("score_engagement", False, "E"),
    "eng_3": ("score_engagement", False, "F"),
    "str_1": ("score_strain", False, "F"),
    "str_2": ("score_strain", False, "F"),
    "str_3": ("score_strain", False, "F"),
}
ARK_SCALES = {"E": [1, 2, 3, 4, 5, "na"], "F": [1, 2, 3, 4, 5]}
ARK_EXPOSURE = ("exp_bullying", "exp_harassment", "exp_violence", "exp_witnessed")
ARK_EXPOSURE_SCALE = ["never", "once", "few", "monthly", "weekly"]
ARK_PAGES = [
    "background",
    "workload_pace",
    "roles_control",
    "job_content",
    "information_support",
    "leadership_climate",
    "work_life_health",
    "exposure",
    "overall",
]

INJURY_FIELDS_OWN = (
    "hours_worked",
    "headcount_year_end",
    "fatalities",
    "lti",
    "mti",
    "first_aid",
    "hri_line7",
    "hri_nearmiss_line8",
    "days_lost",
    "sick_leave_pct",
)
INJURY_FIELDS_CONTRACTOR = tuple(
    f for f in INJURY_FIELDS_OWN if f not in ("headcount_year_end", "sick_leave_pct")
)
INJURY_RATES = ("h1", "h2", "f")

ROUND_TOPICS: dict[str, list[str]] = {
    "org": ["org_roles", "org_routines", "org_induction"],
    "prem": ["prem_tidy", "prem_cables", "prem_maint", "prem_access"],
    "fire": ["fire_exits", "fire_equipment", "fire_plan", "fire_drill"],
    "fa": ["fa_kit", "fa_trained", "fa_numbers"],
    "air": ["air_temp", "air_quality", "air_vent"],
    "ln": ["ln_light", "ln_noise", "ln_hearing"],
    "erg": ["erg_workstation", "erg_lifting", "erg_aids"],
    "mach": ["mach_guards", "mach_checks", "mach_training"],
    "chem": ["chem_register", "chem_storage", "chem_sds_access", "chem_waste"],
    "ppe": ["ppe_available", "ppe_used", "ppe_condition"],
    "lab": ["lab_fumehood", "lab_eyewash", "lab_alone", "lab_gas"],
    "psy": ["psy_talk", "psy_issues_raised"],
    "env": ["env_sorting", "env_spills"],
}
ROUND_PLAN = {
    "round_area": "text",
    "round_type": "radiogroup",
    "round_date": "date",
    "participants": "checkbox",
    "leader_planned": "boolean",
    "docs_reviewed": "checkbox",
    "previous_measures_done": "radiogroup",
    "pre_survey_sent": "boolean",
    "focus_topics": "comment",
}
ROUND_ITEM_FOLLOW_UPS = {
    "finding": "comment",
    "is_breach": "boolean",
    "risk": "expression",
    "measure": "text",
    "needs_ra": "boolean",
}
ROUND_SUMMARY = {
    "leader_in_summary": "boolean",
    "agreed_measures": "paneldynamic",
    "new_ra_needed": "boolean",
    "round_notes": "comment",
}

RA_HEADER = {
    "ra_title": "text",
    "ra_unit": "text",
    "ra_area": "text",
    "ra_trigger": "radiogroup",
    "ra_participants": "checkbox",
    "ra_scope": "comment",
    "ra_documents": "comment",
}
RA_HAZARD = {
    "hz_activity": "text",
    "hz_event": "text",
    "hz_category": "radiogroup",
    "hz_existing_controls": "comment",
    "hz_probability": "radiogroup",
    "hz_cons_people": "radiogroup",
    "hz_cons_material": "radiogroup",
    "hz_cons_environment": "radiogroup",
    "hz_risk": "expression",
    "hz_measures": "paneldynamic",
    "hz_residual_probability": "radiogroup",
    "hz_residual_consequence": "radiogroup",
    "hz_residual_risk": "expression",
}
RA_MEASURE = {
    "m_description": "text",
    "m_type": "radiogroup",
    "m_owner": "text",
    "m_due": "date",
    "m_cost_estimate": "number",
}
RA_SUMMARY = {"ra_conclusion": "comment", "ra_next_review": "date"}

# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


@cache
def load(key: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((QDIR / f"{key}.json").read_text(encoding="utf-8"))
    return data


def kind(element: dict[str, Any]) -> str:
    """The outline's type name: number/date are text questions with that inputType."""
    etype = element.get("type", "")
    if etype == "text" and element.get("inputType") in ("number", "date"):
        return str(element["inputType"])
    return str(etype)


def elements(
    container: dict[str, Any], page: str | None = None, nested: str | None = None
) -> Iterator[tuple[str | None, str | None, dict[str, Any]]]:
    """(page name, enclosing dynamic panel or None, element) for every element, depth first."""
    for el in container.get("elements", []) + container.get("templateElements", []):
        yield page, nested, el
        if el.get("type") == "panel":
            yield from elements(el, page, nested)
        if el.get("type") == "paneldynamic":
            yield from elements(el, page, el["name"])


def all_elements(key: str) -> list[tuple[str | None, str | None, dict[str, Any]]]:
    survey = load(key)
    out = []
    for page in survey["pages"]:
        out.extend(elements(page, page["name"]))
    return out


def questions(key: str) -> dict[str, dict[str, Any]]:
    return {el["name"]: el for _, _, el in all_elements(key) if el.get("type") != "panel"}


def page_of(key: str) -> dict[str, str]:
    return {el["name"]: page for page, _, el in all_elements(key) if page}


def walk(node: Any, path: str = "$") -> Iterator[tuple[str, str, Any]]:
    """(path, key, value) for every key of every object in the JSON."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield path, k, v
            yield from walk(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from walk(v, f"{path}[{i}]")


def follow_up_rules(key: str) -> list[tuple[str, dict[str, Any]]]:
    """(owner element name or '$survey', rule) for every verneFollowUps rule."""
    survey = load(key)
    rules = [("$survey", r) for r in survey.get("verneFollowUps", [])]
    for page in survey["pages"]:
        rules += [(page["name"], r) for r in page.get("verneFollowUps", [])]
    for _, _, el in all_elements(key):
        rules += [(el["name"], r) for r in el.get("verneFollowUps", [])]
    return rules


def choice_values(el: dict[str, Any], prop: str = "choices") -> list[Any]:
    return [c["value"] if isinstance(c, dict) else c for c in el.get(prop, [])]


def expressions(key: str) -> list[tuple[str, str]]:
    """(path, text) of every expression in the questionnaire, including validators and rules."""
    out = []
    for path, k, v in walk(load(key)):
        if k in EXPRESSION_PROPERTIES and isinstance(v, str):
            out.append((f"{path}.{k}", v))
    return out


def check_outline_page(key: str, expected: dict[str, dict[str, str]]) -> None:
    qs = questions(key)
    where = page_of(key)
    for page, names in expected.items():
        for name, qtype in names.items():
            assert name in qs, f"{key}: question {name} from the outline is missing"
            assert kind(qs[name]) == qtype, f"{key}: {name} is {kind(qs[name])}, outline: {qtype}"
            assert where[name] == page, f"{key}: {name} is on page {where[name]}, outline: {page}"


# --------------------------------------------------------------------------------------------
# Every questionnaire
# --------------------------------------------------------------------------------------------


def test_all_six_builtins_and_nothing_else() -> None:
    assert sorted(p.stem for p in QDIR.glob("*.json")) == sorted(KEYS)


@pytest.mark.parametrize("key", KEYS)
def test_parses_and_identifies_itself(key: str) -> None:
    survey = load(key)
    assert survey["verneKey"] == key
    expected_mode = {
        "hms_annual_report": "joint",
        "hms_barometer": "anonymous",
        "work_env_survey": "anonymous",
        "injury_stats": "individual",
        "hms_round": "joint",
        "risk_assessment": "joint",
    }[key]
    assert survey["verneMode"] == expected_mode
    assert isinstance(survey["title"], dict)
    assert isinstance(survey["description"], dict)
    assert survey["pages"], "no pages"
    for page in survey["pages"]:
        assert SNAKE.match(page["name"]), page["name"]
        assert page.get("title"), f"page {page['name']} has no title"


@pytest.mark.parametrize("key", KEYS)
def test_definition_validator_accepts_it(key: str) -> None:
    report = validate_definition((QDIR / f"{key}.json").read_text(encoding="utf-8"))
    assert [f"{p.path}: {p.code}: {p.message}" for p in report.errors] == []
    assert [f"{p.path}: {p.code}: {p.message}" for p in report.warnings] == []


@pytest.mark.parametrize("key", KEYS)
def test_every_expression_compiles(key: str) -> None:
    found = expressions(key)
    assert found
    for path, text in found:
        try:
            compile_expression(text)
        except ExpressionSyntaxError as exc:
            pytest.fail(f"{key} {path}: {text!r} does not compile: {exc}")


@pytest.mark.parametrize("key", KEYS)
def test_localisable_strings_have_every_language(key: str) -> None:
    languages = {"nb", "en"} | ({"nn"} if key in NYNORSK else set())
    seen = 0
    for path, k, v in walk(load(key)):
        if k not in LOC_PROPERTIES:
            continue
        where = f"{key} {path}.{k}"
        assert isinstance(v, dict), f"{where} is a plain string; write {{default, nb, en}}"
        assert set(v) <= LOCALE_KEYS, f"{where} has unknown locales {set(v) - LOCALE_KEYS}"
        for lang in languages | {"default"}:
            assert isinstance(v.get(lang), str) and v[lang].strip(), f"{where} lacks {lang!r}"
        assert v["default"] == v["nb"], f"{where}: default must be the bokmål text"
        if key not in NYNORSK:
            assert "nn" not in v, (
                f"{where}: nynorsk is only written for the annual report and barometer"
            )
        seen += 1
    assert seen > 10


@pytest.mark.parametrize("key", KEYS)
def test_names_are_unique(key: str) -> None:
    names = [el["name"] for _, _, el in all_elements(key)]
    names += [c["name"] for c in load(key).get("calculatedValues", [])]
    names += [p["name"] for p in load(key)["pages"]]
    for name in names:
        assert SNAKE.match(name), f"{key}: {name!r} is not snake_case"
    dupes = [n for n, c in Counter(n.lower() for n in names).items() if c > 1]
    assert dupes == [], f"{key}: duplicate names {dupes}"
    for _, _, el in all_elements(key):
        for prop in ("choices", "rows", "columns"):
            values = [str(v) for v in choice_values(el, prop)]
            assert len(values) == len(set(values)), f"{key}: {el['name']}.{prop} repeats a value"


@pytest.mark.parametrize("key", KEYS)
def test_runs_in_a_server_side_form(key: str) -> None:
    for _, _, el in all_elements(key):
        assert el["type"] in SERVER_TYPES, f"{key}: {el['name']} has type {el['type']}"
    for path, k, _ in walk(load(key)):
        assert k not in FORBIDDEN_PROPERTIES, f"{key}: {path}.{k}"


@pytest.mark.parametrize("key", KEYS)
def test_follow_up_rules_are_well_formed(key: str) -> None:
    rules = follow_up_rules(key)
    codes = [r["code"] for _, r in rules]
    assert len(codes) == len(set(codes)), f"{key}: repeated codes"
    languages = {"nb", "en"} | ({"nn"} if key in NYNORSK else set())
    for owner, rule in rules:
        where = f"{key} {owner}.{rule.get('code')}"
        assert SNAKE.match(rule["code"]), where
        assert rule["ownerRole"] in OWNER_ROLES, where
        assert is_iso_duration(rule["due"]), where
        assert rule["priority"] in ("low", "medium", "high"), where
        for lang in languages:
            assert rule["title"].get(lang, "").strip(), f"{where}: title lacks {lang}"
            assert rule["description"].get(lang, "").strip(), f"{where}: description lacks {lang}"
        compile_expression(rule["when"])
        if owner not in ("$survey",) and owner in questions(key):
            assert "{" + owner + "}" in rule["when"], (
                f"{where}: the rule does not read its question"
            )


@pytest.mark.parametrize("key", KEYS)
def test_trend_keys(key: str) -> None:
    keys = [el["verneTrendKey"] for _, _, el in all_elements(key) if "verneTrendKey" in el]
    assert len(keys) == len(set(keys))
    for tk in keys:
        assert SNAKE.match(tk) and tk.startswith(TREND_PREFIX[key]), f"{key}: trend key {tk}"
    for _, nested, el in all_elements(key):
        if nested:
            assert "verneTrendKey" not in el, (
                f"{key}: {el['name']} inside {nested} cannot be trended"
            )
        if el.get("vernePrefill"):
            assert el["vernePrefill"] in PREFILL_SOURCES


@pytest.mark.parametrize("key", ["hms_barometer", "work_env_survey"])
def test_anonymous_surveys_protect_respondents(key: str) -> None:
    assert follow_up_rules(key) == [], "anonymous answers never create actions"
    qs = questions(key)
    background = [n for n, q in qs.items() if q.get("verneBackground")]
    assert len(background) == 1, "at most one background question (re-identification risk)"
    assert qs[background[0]]["type"] == "radiogroup"
    assert "no_answer" in choice_values(qs[background[0]]), "background answers must be optional"
    for name, q in qs.items():
        assert not q.get("isRequired"), f"{name}: answers in anonymous surveys are voluntary"
        assert "vernePrefill" not in q, f"{name}: nothing is prefilled in anonymous surveys"
        if q["type"] == "comment":
            assert q.get("verneSensitivity") == "free_text", name
            warning = q["description"]
            assert "navn" in warning["nb"] and "names" in warning["en"], name
            assert q.get("maxLength", 0) and q["maxLength"] <= 1000, name


# --------------------------------------------------------------------------------------------
# (a) hms_annual_report
# --------------------------------------------------------------------------------------------


def test_annual_report_matches_outline() -> None:
    key = "hms_annual_report"
    assert [p["name"] for p in load(key)["pages"]] == list(ANNUAL_PAGES)
    check_outline_page(key, ANNUAL_PAGES)
    qs = questions(key)
    assert 50 <= len(qs) <= 60, "about 50 questions"
    for name, values in ANNUAL_CHOICES.items():
        assert values <= set(choice_values(qs[name])), f"{name}: missing outline choices"
    for name, condition in ANNUAL_VISIBLE_IF.items():
        assert qs[name].get("visibleIf") == condition, name
    assert qs["leader_vo_meetings"]["min"] == 0 and qs["leader_vo_meetings"]["max"] == 52
    assert qs["vo_active_driver"]["rateMin"] == 1 and qs["vo_active_driver"]["rateMax"] == 5
    assert qs["unit_name"].get("readOnly") is True
    assert qs["unit_name"]["vernePrefill"] == "unit.name"
    assert qs["report_year"]["vernePrefill"] == "report.year"
    assert qs["employees_count"]["vernePrefill"] == "unit.employee_count"
    assert qs["deviations_reported"]["vernePrefill"] == "stats.deviations"
    assert qs["hms_rounds_count"]["vernePrefill"] == "stats.hms_rounds"
    assert qs["answered_jointly"]["isRequired"] is True
    assert qs["psychosocial_concerns_text"]["verneSensitivity"] == "free_text"
    assert "navn" in qs["psychosocial_concerns_text"]["description"]["nb"]


def test_annual_report_follow_ups_match_outline() -> None:
    key = "hms_annual_report"
    rules = {r["code"]: (owner, r) for owner, r in follow_up_rules(key)}
    assert set(rules) == set(ANNUAL_FOLLOW_UPS)
    for code, (question, role, due) in ANNUAL_FOLLOW_UPS.items():
        owner, rule = rules[code]
        assert (owner, rule["ownerRole"], rule["due"]) == (question, role, due), code
    for code, ref in ANNUAL_LEGAL_REFS.items():
        assert rules[code][1].get("legalRef", "").startswith(ref), code
    assert rules["leader_vo_meetings_min4"][1]["when"] == "{leader_vo_meetings} < 4"
    # Every weak answer the outline names has a rule; every comparable question is trended.
    qs = questions(key)
    untrended = {n for n, q in qs.items() if "verneTrendKey" not in q}
    assert untrended == {
        "unit_name",
        "report_year",
        "answered_jointly_reason",
        "hse_goals_text",
        "psychosocial_concerns_text",
        "disagreement_text",
        "strengths",
        "improvement_areas",
    }


@pytest.mark.parametrize(
    ("data", "fires"),
    [
        ({"leader_vo_meetings": 2}, True),
        ({"leader_vo_meetings": 4}, False),
        ({}, False),  # unanswered: {missing} < 4 is false, like survey-core
    ],
)
def test_leader_vo_meetings_rule(data: dict[str, Any], fires: bool) -> None:
    rules = {r["code"]: r for _, r in follow_up_rules("hms_annual_report")}
    assert (
        compile_expression(rules["leader_vo_meetings_min4"]["when"]).evaluate_condition(data)
        is fires
    )


def test_annual_rules_ignore_answers_to_hidden_questions() -> None:
    """A browser keeps answers to questions that were later hidden; rules must not read them."""
    rules = {r["code"]: r for _, r in follow_up_rules("hms_annual_report")}
    stale = {
        "delegation_written": False,
        "delegation_known": False,
        "has_action_plan": False,
        "plan_cost_estimates": False,
        "plan_completion": "none",
        "plan_known_to_staff": False,
        "uses_hazardous_chemicals": False,
        "chemical_register_ok": "no",
        "chemical_ra_done": False,
        "hse_goals": "no",
        "last_year_goals_met": "not",
        "hms_rounds_count": 0,
        "leader_in_rounds": False,
        "last_work_env_survey": "never",
        "survey_followed_up": "no",
        "deviations_reported": 3,
        "zero_deviations_reason": "underreporting",
        "risk_overview_age": "never",
        "risk_overview_scope": ["physical"],
    }
    hidden_rules = {
        "delegation_share",
        "plan_cost_estimates",
        "overdue_measures_review",
        "action_plan_present",
        "chemical_register_update",
        "chemical_risk_assessment",
        "goals_not_met_review",
        "leader_in_next_round",
        "survey_feedback_meeting",
        "deviation_reporting_easier",
        "risk_include_psychosocial",
        "risk_new_staff_contractors",
    }
    for code in hidden_rules:
        assert compile_expression(rules[code]["when"]).evaluate_condition(stale) is False, code


# --------------------------------------------------------------------------------------------
# (b) hms_barometer
# --------------------------------------------------------------------------------------------


def test_barometer_matches_outline() -> None:
    key = "hms_barometer"
    assert [p["name"] for p in load(key)["pages"]] == list(BAROMETER_PAGES)
    check_outline_page(key, BAROMETER_PAGES)
    qs = questions(key)
    for name, values in BAROMETER_CHOICES.items():
        assert values == set(choice_values(qs[name])), name
    for name, condition in BAROMETER_VISIBLE_IF.items():
        assert qs[name]["visibleIf"] == condition, name
    for name, rows in BAROMETER_MATRIX_ROWS.items():
        assert choice_values(qs[name], "rows") == rows
        assert choice_values(qs[name], "columns") == [1, 2, 3, 4, 5, "dont_know"]
    for name in ("b_own_training", "b_staff_participate", "b_management_priority"):
        assert (qs[name]["rateMin"], qs[name]["rateMax"]) == (1, 5)
        assert qs[name]["minRateDescription"]["nb"] == "Helt uenig"
    assert qs["b_role"]["verneBackground"] is True
    trended = {n for n, q in qs.items() if "verneTrendKey" in q}
    assert trended == set(qs) - {"b_role", "b_improve", "b_works_well"}


# --------------------------------------------------------------------------------------------
# (c) work_env_survey
# --------------------------------------------------------------------------------------------


def test_work_env_survey_matches_outline() -> None:
    key = "work_env_survey"
    survey = load(key)
    assert [p["name"] for p in survey["pages"]] == ARK_PAGES
    qs = questions(key)
    matrix_of = {}
    for name, q in qs.items():
        if q["type"] == "matrix":
            for row in choice_values(q, "rows"):
                matrix_of[row] = name
    assert set(matrix_of) == set(ARK_ITEMS), "every item is a matrix row, and nothing else"
    for item, (_, _, scale) in ARK_ITEMS.items():
        assert choice_values(qs[matrix_of[item]], "columns") == ARK_SCALES[scale], item
    for name in ARK_EXPOSURE:
        assert qs[name]["type"] == "radiogroup"
        assert choice_values(qs[name]) == ARK_EXPOSURE_SCALE
        assert qs[name]["verneSensitivity"] == "sensitive"
    assert "exp_help" in qs and qs["exp_help"]["type"] == "html"
    assert kind(qs["overall_satisfaction"]) == "rating"
    assert kind(qs["free_good"]) == kind(qs["free_improve"]) == "comment"
    assert qs["role_group"]["verneBackground"] is True


def test_work_env_dimension_scores() -> None:
    """16 dimension scores: the mean of the answered items, reversed items as 6 - x, "na" not
    scored, and only when at least 2 of the 3 items are answered."""
    calculated = {c["name"]: c for c in load("work_env_survey")["calculatedValues"]}
    assert set(calculated) == {dim for dim, _, _ in ARK_ITEMS.values()}
    qs = questions("work_env_survey")
    matrix_of = {
        row: name
        for name, q in qs.items()
        if q["type"] == "matrix"
        for row in choice_values(q, "rows")
    }
    for item, (dim, rev, _) in ARK_ITEMS.items():
        text = calculated[dim]["expression"]
        ref = "{" + f"{matrix_of[item]}.{item}" + "}"
        assert ref in text, f"{dim} does not read {item}"
        assert (f"6 - {ref}" in text) is rev, f"{item} reversal"
        assert calculated[dim].get("includeIntoResult") is True

    def score(dim: str, answers: dict[str, Any]) -> Any:
        data: dict[str, dict[str, Any]] = {}
        for item, value in answers.items():
            data.setdefault(matrix_of[item], {})[item] = value
        return compile_expression(calculated[dim]["expression"]).evaluate(data)

    assert score("score_workload", {"wl_1": 2, "wl_2": 4, "wl_3": 3}) == pytest.approx(11 / 3)
    assert score("score_control", {"ctl_1": 4, "ctl_2": 2, "ctl_3": "na"}) == 3
    assert not score("score_control", {"ctl_1": 4, "ctl_3": "na"})  # only one scored item
    assert score("score_strain", {"str_1": 5, "str_2": 5, "str_3": 5}) == 5
    assert score("score_work_life", {"wlb_3": 5, "wlb_1": 1, "wlb_2": 1}) == 1


# --------------------------------------------------------------------------------------------
# (d) injury_stats
# --------------------------------------------------------------------------------------------


def test_injury_stats_matches_outline() -> None:
    key = "injury_stats"
    survey = load(key)
    assert [p["name"] for p in survey["pages"]] == ["period", "own", "contractors", "totals"]
    qs = questions(key)
    where = page_of(key)
    for field in INJURY_FIELDS_OWN:
        q = qs[f"own_{field}"]
        assert kind(q) == "number" and q["min"] == 0, field
        assert where[f"own_{field}"] == "own"
    for field in INJURY_FIELDS_CONTRACTOR:
        q = qs[f"contractor_{field}"]
        assert kind(q) == "number" and q["min"] == 0, field
        assert where[f"contractor_{field}"] == "contractors"
    for field in set(INJURY_FIELDS_OWN) - {"sick_leave_pct"}:
        assert qs[f"own_{field}"]["step"] == 1, f"{field} is a whole number"
    assert qs["own_sick_leave_pct"]["max"] == 100
    for prefix in ("own", "contractor", "total"):
        for rate in INJURY_RATES:
            q = qs[f"{prefix}_{rate}"]
            assert q["type"] == "expression" and q["precision"] == 2, q["name"]
            assert "1000000" in q["expression"]
    assert (
        qs["own_h1"]["expression"]
        == "iif({own_hours_worked} > 0, {own_lti} * 1000000 / {own_hours_worked})"
    )


@pytest.mark.parametrize(
    ("data", "h1", "h2", "f"),
    [
        (
            {"own_hours_worked": 250000, "own_lti": 3, "own_mti": 2, "own_days_lost": 40},
            12,
            20,
            160,
        ),
        ({"own_hours_worked": 0, "own_lti": 0, "own_mti": 0, "own_days_lost": 0}, None, None, None),
    ],
)
def test_injury_rates_in_the_python_engine(data: dict[str, Any], h1: Any, h2: Any, f: Any) -> None:
    qs = questions("injury_stats")
    got = [compile_expression(qs[f"own_{r}"]["expression"]).evaluate(data) for r in INJURY_RATES]
    assert [g if g else None for g in got] == [h1, h2, f]


def _validators(q: dict[str, Any]) -> list[dict[str, Any]]:
    return [v for v in q.get("validators", []) if v.get("notificationType", "error") == "error"]


@pytest.mark.parametrize(
    ("question", "data", "ok"),
    [
        ("own_lti", {"own_lti": 1, "own_fatalities": 2}, False),
        ("own_lti", {"own_lti": 3, "own_fatalities": 1}, True),
        ("own_hours_worked", {"own_hours_worked": 0, "own_lti": 3}, False),
        ("own_hours_worked", {"own_hours_worked": 0, "own_lti": 0, "own_mti": 0}, True),
        (
            "own_hri_line7",
            {"own_hri_line7": 9, "own_lti": 1, "own_mti": 2, "own_first_aid": 3},
            False,
        ),
        ("own_days_lost", {"own_days_lost": 0, "own_lti": 2, "own_fatalities": 0}, False),
        ("own_days_lost", {"own_days_lost": 0, "own_lti": 2, "own_fatalities": 2}, True),
        ("own_days_lost", {"own_days_lost": 0, "own_lti": 2, "own_days_lost_unknown": True}, True),
        ("contractor_hours_worked", {"contractor_hours_worked": 0, "contractor_mti": 1}, False),
        ("period_end", {"period_start": "2024-01-01", "period_end": "2023-12-31"}, False),
    ],
)
def test_injury_cross_field_rules(question: str, data: dict[str, Any], ok: bool) -> None:
    validators = _validators(questions("injury_stats")[question])
    assert validators
    results = [compile_expression(v["expression"]).evaluate_condition(data) for v in validators]
    assert all(results) is ok


# --------------------------------------------------------------------------------------------
# (e) hms_round
# --------------------------------------------------------------------------------------------


def test_hms_round_matches_outline() -> None:
    key = "hms_round"
    survey = load(key)
    pages = [p["name"] for p in survey["pages"]]
    assert pages == ["round_plan"] + [f"round_checks_{t}" for t in ROUND_TOPICS] + ["round_summary"]
    qs = questions(key)
    where = page_of(key)
    for name, qtype in ROUND_PLAN.items():
        assert kind(qs[name]) == qtype and where[name] == "round_plan", name
    assert {
        "open_deviations",
        "risk_overview",
        "risk_assessments",
        "action_plan",
        "last_round",
    } == set(choice_values(qs["docs_reviewed"]))
    assert set(choice_values(qs["previous_measures_done"])) == {
        "all",
        "some",
        "none",
        "first_round",
    }
    assert set(choice_values(qs["round_type"])) == {"office", "lab", "workshop", "field", "other"}
    rules = {r["code"]: (owner, r) for owner, r in follow_up_rules(key)}
    for topic, items in ROUND_TOPICS.items():
        for item in items:
            assert where[item] == f"round_checks_{topic}"
            assert qs[item]["type"] == "radiogroup" and qs[item]["isRequired"] is True
            assert choice_values(qs[item]) == ["ok", "improve", "na"]
            for suffix, qtype in ROUND_ITEM_FOLLOW_UPS.items():
                assert kind(qs[f"{item}_{suffix}"]) == qtype, f"{item}_{suffix}"
            details = next(el for _, _, el in all_elements(key) if el["name"] == f"{item}_details")
            assert details["visibleIf"] == f"{{{item}}} = 'improve'"
            owner, rule = rules[f"{item}_improve"]
            assert owner == item and rule["when"] == f"{{{item}}} = 'improve'"
    for name, qtype in ROUND_SUMMARY.items():
        assert kind(qs[name]) == qtype and where[name] == "round_summary", name
    assert set(rules) == {f"{i}_improve" for items in ROUND_TOPICS.values() for i in items} | {
        "round_new_risk_assessment"
    }
    lab = next(p for p in survey["pages"] if p["name"] == "round_checks_lab")
    assert lab["visibleIf"] == "{round_type} anyof ['lab', 'workshop']"
    for flag in ("leader_planned", "leader_in_summary"):
        assert _validators(qs[flag])[0]["expression"] == f"{{{flag}}} = true"
    assert not any(n.endswith("_photo") for n in qs), "photos are uploaded outside the JSON"


# --------------------------------------------------------------------------------------------
# (f) risk_assessment
# --------------------------------------------------------------------------------------------


def test_risk_assessment_matches_outline() -> None:
    key = "risk_assessment"
    assert [p["name"] for p in load(key)["pages"]] == ["ra_header", "ra_hazards", "ra_summary"]
    qs = questions(key)
    nested = {el["name"]: parent for _, parent, el in all_elements(key)}
    for name, qtype in RA_HEADER.items():
        assert kind(qs[name]) == qtype and nested[name] is None, name
    for name, qtype in RA_HAZARD.items():
        assert kind(qs[name]) == qtype and nested[name] == "hazards", name
    for name, qtype in RA_MEASURE.items():
        assert kind(qs[name]) == qtype and nested[name] == "hz_measures", name
    for name, qtype in RA_SUMMARY.items():
        assert kind(qs[name]) == qtype and nested[name] is None, name
    assert qs["hazards"]["type"] == "paneldynamic" and qs["hazards"]["minPanelCount"] == 1
    assert set(choice_values(qs["ra_trigger"])) == {
        "new_activity",
        "change",
        "purchase",
        "reorganisation",
        "periodic",
        "after_incident",
        "round_finding",
    }
    assert set(choice_values(qs["hz_category"])) == {
        "physical",
        "chemical",
        "biological",
        "ergonomic",
        "psychosocial",
        "fire",
        "electrical",
        "environment",
        "other",
    }
    assert choice_values(qs["m_type"]) == [
        "eliminate",
        "substitute",
        "technical",
        "organisational",
        "ppe",
    ]
    assert choice_values(qs["hz_probability"]) == [1, 2, 3, 4, 5]
    for name in ("hz_cons_people", "hz_cons_material", "hz_cons_environment"):
        assert choice_values(qs[name]) == [1, 2, 3, 4, 5, "na"]
    assert qs["hz_measures"]["requiredIf"] == "{panel.hz_risk} >= 15"
    assert qs["ra_unit"]["vernePrefill"] == "unit.name"


def _colour(level_expression: str, risk: int) -> Any:
    return compile_expression(level_expression).evaluate({"panel": {"hz_risk": risk}})


def test_risk_matrix_colours() -> None:
    """The default matrix: green R <= 4, yellow 5..12, red >= 15, for every cell of 5 x 5."""
    qs = questions("risk_assessment")
    level = qs["hz_risk_level"]["expression"]
    for s in range(1, 6):
        for k in range(1, 6):
            r = s * k
            expected = "green" if r <= 4 else "yellow" if r <= 12 else "red"
            assert _colour(level, r) == expected, (s, k)
    assert not _colour(level, 0)
    risk = compile_expression(qs["hz_risk"]["expression"])
    assert risk.evaluate({"panel": {"hz_probability": 4, "hz_consequence": 5}}) == 20
    consequence = compile_expression(qs["hz_consequence"]["expression"])
    panel = {"hz_cons_people": 2, "hz_cons_material": "na", "hz_cons_environment": 4}
    assert consequence.evaluate({"panel": panel}) == 4


# --------------------------------------------------------------------------------------------
# survey-core 3.1.1 (Node) and parity of the Python engine on the same answer sets
# --------------------------------------------------------------------------------------------


def _node_skip_reason() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed (needed to run the questionnaires in survey-core)"
    if not SURVEY_CORE.exists():
        return f"survey-core is not installed in {SURVEY_CORE.parent} (run `npm install` in {ROOT})"
    return None


@cache
def survey_core_report() -> dict[str, Any]:
    done = subprocess.run(
        ["node", str(NODE_CHECK)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.stdout, done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    report["returncode"] = done.returncode
    return report


@cache
def samples() -> dict[str, list[dict[str, Any]]]:
    done = subprocess.run(
        ["node", str(NODE_CHECK), "--samples"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    data: dict[str, list[dict[str, Any]]] = json.loads(done.stdout)
    return data


@pytest.mark.node
@pytest.mark.skipif(_node_skip_reason() is not None, reason=_node_skip_reason() or "")
def test_survey_core_loads_completes_and_validates_every_questionnaire() -> None:
    report = survey_core_report()
    assert "setupError" not in report, report.get("setupError")
    assert report["surveyCoreVersion"] == "3.1.1"
    assert report["extensions"] == "surveys/engine/js/verne-surveyjs-extensions.js"
    assert report["failures"] == []
    assert report["returncode"] == 0
    assert sorted(report["questionnaires"]) == sorted(KEYS)
    for key, q in report["questionnaires"].items():
        assert q["jsonErrors"] == [], key
        assert q["verneKey"] == key
        assert len(q["cases"]) >= 2, f"{key}: at least two answer sets"
        for name, case in q["cases"].items():
            if not case["errors"] and "completed" in case:
                assert case["completed"] is True, f"{key}/{name}"


@pytest.mark.node
@pytest.mark.skipif(_node_skip_reason() is not None, reason=_node_skip_reason() or "")
def test_values_survey_core_computes_for_the_sample_answers() -> None:
    q = survey_core_report()["questionnaires"]
    injury = q["injury_stats"]["cases"]["valid_contractor_days_unknown"]["values"]
    # 3 lost-time injuries over 250,000 hours -> H1 = 12; (3 + 2) -> H2 = 20; 40 days -> F = 160
    assert (injury["own_h1"], injury["own_h2"], injury["own_f"]) == (12, 20, 160)
    assert (injury["contractor_h1"], injury["contractor_h2"]) == (20, 20)
    assert injury["contractor_f"] == {"$undefined": True}  # days lost not known
    # totals sum numerators and denominators: 4 / 300,000 hours -> 13.33 (precision 2)
    assert (injury["total_h1"], injury["total_h2"]) == (13.33, 20)
    assert injury["total_f"] == {"$undefined": True}
    invalid = q["injury_stats"]["cases"]["invalid"]["errors"]
    assert set(invalid) == {"own_lti", "own_hri_line7", "contractor_hours_worked", "period_end"}

    ra = q["risk_assessment"]["cases"]["two_hazards"]["values"]
    assert (ra["hazards[0].hz_risk"], ra["hazards[0].hz_risk_level"]) == (20, "red")
    assert (ra["hazards[0].hz_residual_risk"], ra["hazards[0].hz_residual_level"]) == (6, "yellow")
    assert (ra["hazards[1].hz_risk"], ra["hazards[1].hz_risk_level"]) == (2, "green")
    assert (ra["ra_max_risk"], ra["ra_count_red"], ra["ra_max_residual_risk"]) == (20, 1, 6)
    assert "hazards[0].hz_measures" in q["risk_assessment"]["cases"]["invalid"]["errors"]

    ark = q["work_env_survey"]["cases"]["full"]["values"]
    assert ark["score_workload"] == pytest.approx(11 / 3)
    assert ark["score_control"] == 3
    assert ark["score_development"] == {"$undefined": True}

    annual = q["hms_annual_report"]["cases"]
    assert annual["good_unit"]["followUps"] == []
    assert "leader_vo_meetings_min4" in annual["weak_unit"]["followUps"]
    assert "delegation_share" not in annual["weak_unit"]["followUps"]
    round_case = q["hms_round"]["cases"]["lab_round_two_findings"]
    assert (round_case["values"]["fire_exits_risk"], round_case["values"]["lab_gas_risk"]) == (
        12,
        10,
    )


def _strip_verne(node: Any) -> Any:
    """The questionnaire without Verne's extension properties (they do not change the logic),
    so the plain oracle loads it without unknown-property complaints."""
    if isinstance(node, list):
        return [_strip_verne(x) for x in node]
    if isinstance(node, dict):
        return {k: _strip_verne(v) for k, v in node.items() if not k.startswith("verne")}
    return node


@pytest.mark.node
@pytest.mark.skipif(_node_skip_reason() is not None, reason=_node_skip_reason() or "")
def test_python_engine_matches_survey_core_on_the_sample_answers() -> None:
    harness = pytest.importorskip("tests.engine.oracle.harness")
    inputs, names = [], []
    for key, cases in samples().items():
        survey = _strip_verne(load(key))
        for case in cases:
            inputs.append({"survey": survey, "data": case["data"]})
            names.append(f"{key}/{case['name']}")
    expected = harness.run_oracle(inputs)
    _, runner = harness.engine_runner()
    got = runner(inputs)
    problems = []
    for name, exp, out in zip(names, expected, got, strict=True):
        a = harness.comparable(exp, function_mode=False)
        b = harness.comparable(out, function_mode=False)
        if not harness.same(a, b):
            problems.append(f"{name}:\n{harness.format_diff(a, b, limit=10)}")
    assert problems == []
    # The follow-up rules fire the same in the Python engine as in survey-core.
    report = survey_core_report()["questionnaires"]
    for name, out in zip(names, got, strict=True):
        key, case = name.split("/")
        values = {**out.get("values", {}), **out.get("calculatedValues", {})}
        fired = sorted(
            r["code"]
            for _, r in follow_up_rules(key)
            if compile_expression(r["when"]).evaluate_condition(values)
        )
        assert fired == report[key]["cases"][case]["followUps"], name
