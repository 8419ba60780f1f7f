"""What "favourable" and "a change that matters" mean (reports/definitions.py)."""

from __future__ import annotations

import math

from reports import definitions as d


def test_named_scales_have_their_favourable_answers_and_not_applicable_is_left_out() -> None:
    f = d.favourable_for("barometer_routines_followed", kind="choice", numeric=False)
    assert f is not None and f.values == {"often", "almost_always", "always"}
    wec = d.favourable_for("barometer_wec_quality", kind="choice", numeric=False)
    assert wec is not None and "no_wec" in wec.excluded and "dont_know" not in wec.excluded


def test_a_one_to_five_scale_is_favourable_at_four_and_five_and_yes_no_at_yes() -> None:
    rating = d.favourable_for("custom_rating", kind="choice", numeric=True, options=["1", "2", "3", "4", "5"])
    assert rating is not None and rating.values == {"4", "5"}
    assert d.favourable_for("custom_bool", kind="boolean", numeric=False).values == {"true"}  # type: ignore[union-attr]
    assert d.favourable_for("custom_choice", kind="choice", numeric=False, options=["a", "b"]) is None
    assert d.favourable_for("anything", kind="multi", numeric=False) is None


def test_matrix_rows_use_their_matrix_and_negatively_worded_questions_are_reversed() -> None:
    row = d.favourable_for("barometer_deviation_culture.b_safe_to_report", kind="matrix_row", numeric=True)
    assert row is not None and row.values == {"4", "5"}
    assert d.favourable_for("annual_psychosocial_concerns", kind="boolean", numeric=False).values == {"false"}  # type: ignore[union-attr]


def test_dimension_scores_have_a_direction() -> None:
    assert d.score_direction("score:score_workload") == "D"
    assert d.score_direction("score:score_climate") == "R"


def test_the_marker_uses_the_two_proportion_z_test_at_95_percent() -> None:
    # 40 % of 100 against 55 % of 100: z = 0.15 / sqrt(0.475 * 0.525 * 0.02) = 2.12 -> matters
    assert d.share_change_matters(40, 100, 55, 100)
    # the same difference with 20 answers each: z = 0.95 -> chance
    assert not d.share_change_matters(40, 20, 55, 20)
    z = 0.15 / math.sqrt(0.475 * 0.525 * (1 / 100 + 1 / 100))
    assert z > d.Z95


def test_no_marker_without_figures_or_below_the_group_size() -> None:
    assert not d.share_change_matters(None, 10, 50, 10)
    assert not d.share_change_matters(0, 4, 100, 4, min_n=5)
    assert d.share_change_matters(0, 5, 100, 5, min_n=5)
    assert not d.share_change_matters(50, 50, 50, 50)


def test_means_use_welch_with_the_spread() -> None:
    assert d.mean_change_matters(3.0, 0.5, 50, 3.4, 0.5, 50)
    assert not d.mean_change_matters(3.0, 1.2, 10, 3.4, 1.2, 10)
