"""Responses as tidy frames joined across questionnaire versions by trend keys; the counts from
PostgreSQL equal the counts from pandas."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from django.db import connection

from reports import frames, selectors
from surveys import services
from tests.conftest import Org
from tests.reports import support
from tests.surveys.anon_support import barometer_answer

ROOT = Path(__file__).resolve().parents[2]


def _renamed_barometer() -> dict:
    """Version 2 of the barometer: `b_routines_followed` renamed and reworded, same trend key."""
    raw = json.loads((ROOT / "surveys/questionnaires/hms_barometer.json").read_text(encoding="utf-8"))
    definition = copy.deepcopy(raw)
    for page in definition["pages"]:
        for q in page.get("elements", []):
            if q.get("name") == "b_routines_followed":
                q["name"] = "routines_in_practice"
                q["title"] = {"default": "Følges rutinene i praksis?", "en": "Are the routines followed?"}
    return definition


def test_a_renamed_question_keeps_its_history_through_its_trend_key(org: Org) -> None:
    y = support.this_year()
    support.anon_campaign(org, "hms_barometer", y - 1, {org.a: support.mixed_barometers(5, 1)})
    v2 = services.questionnaire_import(actor=None, raw=_renamed_barometer())
    assert v2.number == 2
    answers = [{**{k: v for k, v in barometer_answer().items() if k != "b_routines_followed"}, "routines_in_practice": "always"}] * 5
    support.anon_campaign(org, "hms_barometer", y, {org.a: answers}, v=v2)
    trend = selectors.survey_trend("hms_barometer", org.a)
    row = trend.row("barometer_routines_followed")
    assert row is not None and row.title == "Følges rutinene i praksis?"
    assert [c.share for c in row.cells] == [20.0, 100.0]


def test_the_frame_is_tidy_one_row_per_respondent_and_value(org: Org) -> None:
    y = support.this_year()
    campaign = support.anon_campaign(org, "hms_barometer", y, {
        org.a: [barometer_answer(b_routines_barriers=["time_pressure", "culture"], b_routines_followed="rarely")] * 5,
    })  # fmt: skip
    catalog = selectors.catalog_of("hms_barometer")
    frame = frames.anonymous_answer_frame([campaign], catalog)
    assert list(frame.columns) == frames.FRAME_COLUMNS
    assert set(frame["year"]) == {y} and set(frame["unit"]) == {org.a.pk} and frame["rid"].nunique() == 5
    barriers = frame[frame["key"] == "barometer_routines_barriers"]
    assert len(barriers) == 10 and set(barriers["value"]) == {"time_pressure", "culture"}
    matrix = frame[frame["key"] == "barometer_deviation_culture.b_safe_to_report"]
    assert list(matrix["num"]) == [4.0] * 5
    counts = frames.counts_from_frame(frame, frames.respondent_counts([campaign]))
    answered = counts.answered.set_index("key")["n"]
    assert answered["barometer_routines_barriers"] == 5


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database counts are PostgreSQL's (jsonb_each); run with DATABASE_URL")
def test_postgresql_counts_equal_the_pandas_counts(org: Org) -> None:
    y = support.this_year()
    campaign = support.anon_campaign(org, "hms_barometer", y, {
        org.a: support.mixed_barometers(6, 3), org.b: [barometer_answer(b_deviation_barriers=["fear", "takes_time"])] * 5,
    })  # fmt: skip
    catalog = selectors.catalog_of("hms_barometer")
    db = frames.anonymous_counts([campaign], catalog, in_database=True)
    pd_ = frames.anonymous_counts([campaign], catalog, in_database=False)

    def norm(df, cols):
        return sorted(tuple(str(x) for x in row) for row in df[cols].itertuples(index=False))

    assert norm(db.values, ["campaign", "unit", "key", "value", "num", "count"]) == norm(pd_.values, ["campaign", "unit", "key", "value", "num", "count"])
    assert norm(db.answered, ["campaign", "unit", "key", "n"]) == norm(pd_.answered, ["campaign", "unit", "key", "n"])


def test_counts_of_a_closed_campaign_are_cached_until_its_answers_change(org: Org, django_assert_max_num_queries: object) -> None:
    from django.core.cache import cache

    from surveys.models import AnonymousAnswer

    y = support.this_year()
    campaign = support.anon_campaign(org, "hms_barometer", y, {org.a: support.barometers(6)})
    catalog = selectors.catalog_of("hms_barometer")
    first = frames.anonymous_counts([campaign], catalog)
    assert cache.get(frames._cache_key(campaign, 6)) is not None
    again = frames.anonymous_counts([campaign], catalog)
    assert again.values["count"].sum() == first.values["count"].sum()
    # retention deletes answers: the cached counts no longer match and are not used
    AnonymousAnswer.objects.filter(campaign=campaign, pk__in=list(AnonymousAnswer.objects.filter(campaign=campaign).values_list("pk", flat=True)[:1])).delete()
    fewer = frames.anonymous_counts([campaign], catalog)
    assert int(fewer.respondents["respondents"].sum()) == 5
