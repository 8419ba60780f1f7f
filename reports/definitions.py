"""What the reports mean by "favourable", "a change that matters" and "an indicator".

Pure Python (no Django, no pandas), so the definitions can be read, tested and documented on
their own. docs/reports.md explains them for people; the trend pages link there.

Favourable
----------
The share favourable of a question is the share of the people who answered it whose answer is
favourable, with *not applicable* answers (e.g. «Vi har ikke AMU», «Ikke relevant») left out of
the denominator. «Vet ikke» stays in the denominator: not knowing whether the safety
representative has been trained is itself a finding. What is favourable:

* an explicit set of answers per trend key (`FAVOURABLE` below) where the scale has words;
* otherwise by question type: a 1–5 rating or a numeric 1–5 matrix row: 4 or 5; a yes/no
  question: yes; other choices: none (only the distribution and the mean are shown);
* the working-environment survey's dimension scores (1–5 means of two or three items): at least
  4 for a resource (high is good), at most 2 for a demand (high is a strain), i.e. the
  survey's «andel høy» / «andel lav»;
* numbers in the annual report: `NUMBER_THRESHOLDS` (four or more leader–VO meetings).

A change that matters
---------------------
Between two years (or two groups), a share favourable p1 of n1 answers and p2 of n2 answers
differ beyond chance when the two-proportion z-test with the pooled share,
z = (p2 − p1) / sqrt(p(1 − p)(1/n1 + 1/n2)), has |z| ≥ 1.96 (95 %, two-sided). For means
(dimension scores), Welch's statistic (m2 − m1) / sqrt(s1²/n1 + s2²/n2) with the same limit.
Only figures that passed the group-size rule are compared, and only when both groups have at
least the minimum group size. The annual-report indicators count every unit (not a sample),
so their changes are shown without a marker.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z95 = 1.959964

# Answers that mean "does not apply": left out of the denominator of the share favourable.
NOT_APPLICABLE = frozenset({
    "na", "no_wec", "no_risky_tasks", "not_relevant", "no_cases", "first_year", "no_deputy",
    "no_bht", "no_goals", "no_answer",
})  # fmt: skip


@dataclass(frozen=True)
class Favourable:
    values: frozenset[str]  # option keys (as reports.anonymity stores them: "4", "true", "good")
    excluded: frozenset[str] = NOT_APPLICABLE


def _f(*values: str) -> Favourable:
    return Favourable(frozenset(values))


TOP2 = _f("4", "5")
YES = _f("true")
NO = _f("false")

# Per trend key. Matrix rows are "<matrix trend key>.<row value>" and use the matrix's entry
# unless they have their own.
FAVOURABLE: dict[str, Favourable] = {
    # HMS-barometer
    "barometer_vo_trained": _f("yes"),
    "barometer_wec_trained": _f("yes"),
    "barometer_own_training": TOP2,
    "barometer_knows_vo": YES,
    "barometer_routines_exist": _f("yes"),
    "barometer_routines_followed": _f("often", "almost_always", "always"),
    "barometer_deviation_habit": _f("always", "often"),
    "barometer_deviation_culture": TOP2,
    "barometer_staff_participate": TOP2,
    "barometer_management_priority": TOP2,
    "barometer_vo_quality": _f("good", "very_good"),
    "barometer_wec_quality": _f("good", "very_good"),
    "barometer_overall_quality": _f("good", "very_good"),
    # Working-environment survey (items other than the dimension scores)
    "ark_exp_bullying": _f("never"),
    "ark_exp_harassment": _f("never"),
    "ark_exp_violence": _f("never"),
    "ark_exp_witnessed": _f("never"),
    "ark_overall_satisfaction": TOP2,
    # HMS annual report (share of units)
    "annual_answered_jointly": YES,
    "annual_hse_goals": _f("yes_written"),
    "annual_last_year_goals_met": _f("fully"),
    "annual_delegation_written": YES,
    "annual_delegation_known": YES,
    "annual_vo_consulted_on_changes": _f("always", "usually"),
    "annual_vo_active_driver": TOP2,
    "annual_vo_time_sufficient": YES,
    "annual_measures_made_together": _f("yes"),
    "annual_risk_overview_age": _f("lt1y", "1to2y"),
    "annual_detailed_ra_practice": _f("always", "mostly"),
    "annual_leader_in_rounds": YES,
    "annual_last_work_env_survey": _f("lt2y"),
    "annual_survey_followed_up": _f("yes"),
    "annual_has_action_plan": YES,
    "annual_plan_cost_estimates": YES,
    "annual_plan_follow_up_owner": YES,
    "annual_plan_completion": _f("all", "most"),
    "annual_plan_known_to_staff": YES,
    "annual_leader_hse_training": _f("yes"),
    "annual_vo_training": _f("done"),
    "annual_deputy_vo_training": _f("yes"),
    "annual_competence_needs_known": YES,
    "annual_newcomer_induction": _f("always", "mostly"),
    "annual_deviation_routine_known": _f("all", "most"),
    "annual_zero_deviations_reason": _f("nothing_happened"),
    "annual_handler_trained": YES,
    "annual_deviations_closed_on_time": _f("all", "most"),
    "annual_learning_from_events": _f("always"),
    "annual_injuries_recorded": YES,
    "annual_appraisals_done": _f("all", "most"),
    "annual_conflict_harassment_routine": YES,
    "annual_psychosocial_concerns": NO,
    "annual_bht_known": _f("yes"),
    "annual_health_checks_overview": _f("yes"),
    "annual_chemical_register_ok": _f("yes"),
    "annual_chemical_ra_done": YES,
    "annual_sick_leave_follow_up": _f("always", "mostly"),
    "annual_work_related_absence": NO,
    "annual_laws_overview": YES,
    "annual_last_report_used": _f("yes"),
    "annual_disagreement": NO,
}

# Neutral facts: never a share favourable, whatever their type.
NEUTRAL = frozenset({"annual_uses_hazardous_chemicals", "annual_employees_count", "annual_safety_reps_count",
                     "annual_detailed_ra_count", "annual_hms_rounds_count", "annual_deviations_reported"})  # fmt: skip

# Numbers whose share favourable is "at least this" (annual report).
NUMBER_THRESHOLDS: dict[str, float] = {"annual_leader_vo_meetings": 4}

# Working-environment dimensions: "R" resource (high is good), "D" demand (high is a strain).
DEMAND_SCORES = frozenset({"score_workload", "score_pace", "score_role_conflict", "score_work_life", "score_strain"})


def score_direction(name: str) -> str:
    base = name.removeprefix("score:")
    return "D" if base in DEMAND_SCORES else "R"


def favourable_for(trend_key: str, *, kind: str, numeric: bool, options: list[str] | None = None) -> Favourable | None:
    """The favourable answers of a measure, or None when it has none (see the module docstring).

    kind: choice | multi | matrix_row | boolean | number | score.
    """
    if trend_key in NEUTRAL or kind in ("multi", "number", "score"):
        return None
    if trend_key in FAVOURABLE:
        return FAVOURABLE[trend_key]
    if kind == "matrix_row":
        matrix = trend_key.split(".", 1)[0]
        if matrix in FAVOURABLE:
            return FAVOURABLE[matrix]
    if kind == "boolean":
        return YES
    if numeric and options is not None and {"4", "5"} <= set(options) and len([o for o in options if o.isdigit()]) == 5:
        return TOP2
    return None


# ----------------------------------------------------------------------------- significance


def share_change_matters(p1: float | None, n1: int | None, p2: float | None, n2: int | None,
                         *, min_n: int = 1) -> bool:  # fmt: skip
    """Two-proportion z-test (pooled), 95 % two-sided. p in percent (0–100)."""
    if None in (p1, p2, n1, n2) or not n1 or not n2 or n1 < min_n or n2 < min_n:
        return False
    a, b = p1 / 100, p2 / 100  # type: ignore[operator]
    pooled = (a * n1 + b * n2) / (n1 + n2)  # type: ignore[operator]
    var = pooled * (1 - pooled) * (1 / n1 + 1 / n2)  # type: ignore[operator]
    if var <= 0:
        return False
    return abs(b - a) / math.sqrt(var) >= Z95


def mean_change_matters(m1: float | None, s1: float | None, n1: int | None, m2: float | None, s2: float | None,
                        n2: int | None, *, min_n: int = 2) -> bool:  # fmt: skip
    """Welch's statistic, 95 % two-sided (normal approximation)."""
    if None in (m1, m2, s1, s2, n1, n2) or n1 < min_n or n2 < min_n:  # type: ignore[operator]
        return False
    var = (s1**2) / n1 + (s2**2) / n2  # type: ignore[operator]
    if var <= 0:
        return m1 != m2
    return abs(m2 - m1) / math.sqrt(var) >= Z95  # type: ignore[operator]


def share_interval(p: float, n: int) -> float:
    """Half-width in percentage points of the 95 % normal-approximation interval of a share."""
    if not n:
        return 0.0
    x = p / 100
    return 100 * Z95 * math.sqrt(max(x * (1 - x), 0.0) / n)
