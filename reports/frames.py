"""Responses as tidy pandas frames, joined across questionnaire versions by trend keys.

The unit of analysis is a *measure*: a question, a matrix row ("<matrix>.<row>") or a
calculated dimension score ("score:<name>"). Every version maps its own measures to stable
**trend keys** (the Verne property `verneTrendKey`; a matrix row's key is the matrix's trend key
and the row value, a score keeps its calculated value's name), so a question that is reworded
or renamed in a later version keeps its history. Measures without a trend key (identity
fields, free text, the background question) are not in the frames.

Two shapes:

* `anonymous_answer_frame` / `joint_answer_frame`: one row per respondent and measure value,
  columns ``campaign, year, unit, rid, key, value, num`` (a checkbox answer gives one row per
  ticked option; ``value`` is the answer as `reports.anonymity` keys it — "4", "true", "good" —
  and ``num`` its number when the measure is numeric);
* `AnswerCounts`: the same aggregated per campaign, unit, measure and value (value counts,
  respondents who answered each measure, respondents per unit). On PostgreSQL it is computed in
  the database (`jsonb_each`), elsewhere from the frame; both give the same counts (tested).

Anonymous answers are read only here and in `reports.anonymity`; nothing in this module is
shown to anyone. `reports.selectors` turns `AnswerCounts` into figures, asking
`reports.anonymity.visibility` what may be shown.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from django.db import connection, transaction

from reports.anonymity import _key as answer_key
from reports.anonymity import _number as answer_number
from reports.anonymity import measure_specs
from surveys import engine_api
from surveys.anon import questions
from surveys.models import AnonymousAnswer, Campaign, QuestionnaireVersion, Response

FRAME_COLUMNS = ["campaign", "year", "unit", "rid", "key", "value", "num"]
EMPTY = (None, "", [], {})


# ============================================================================ catalogue


@dataclass(frozen=True)
class Measure:
    key: str  # the trend key
    path: str  # where the answer sits in a version's answers: "q", "q.row" or "score_x"
    question: str
    kind: str  # choice | boolean | multi | matrix_row | number | score
    sensitive: bool
    numeric: bool
    options: tuple[str, ...] = ()


@dataclass
class Catalog:
    """The measures of a questionnaire across its versions, labelled from the newest one."""

    questionnaire: str
    mode: str
    measures: list[Measure] = field(default_factory=list)  # by trend key, newest version's order
    by_version: dict[int, dict[str, Measure]] = field(default_factory=dict)  # version -> path -> measure
    titles: dict[str, str] = field(default_factory=dict)  # trend key -> title
    groups: dict[str, str] = field(default_factory=dict)  # matrix rows: the matrix title
    pages: dict[str, str] = field(default_factory=dict)  # trend key -> page title
    option_labels: dict[str, dict[str, str]] = field(default_factory=dict)

    def measure(self, key: str) -> Measure | None:
        return next((m for m in self.measures if m.key == key), None)

    @property
    def keys(self) -> list[str]:
        return [m.key for m in self.measures]

    def title(self, key: str) -> str:
        group = self.groups.get(key)
        title = self.titles.get(key, key)
        return f"{group}: {title}" if group else title

    def option(self, key: str, value: str) -> str:
        return self.option_labels.get(key, {}).get(value, value)


def _trend_keys(version: QuestionnaireVersion) -> dict[str, str]:
    definition = engine_api.definition_of(version)
    return {q["name"]: q["verneTrendKey"] for _p, q in questions.definition_questions(definition) if q.get("verneTrendKey")}


def _number_questions(version: QuestionnaireVersion) -> set[str]:
    definition = engine_api.definition_of(version)
    return {
        q["name"] for _p, q in questions.definition_questions(definition)
        if q.get("type") == "text" and q.get("inputType") in questions.NUMERIC_INPUTS
    }  # fmt: skip


def _version_measures(version: QuestionnaireVersion, locale: str) -> tuple[list[Measure], questions.Labels]:
    """The measures of one version that have a trend key, and the version's labels."""
    trend = _trend_keys(version)
    plan = questions.plan_for(version)
    labels = questions.labels_for(version, locale)
    by_name = {q.name: q for q in labels.catalogue}
    out: list[Measure] = []
    for spec in measure_specs(labels.catalogue, plan.scores):
        if spec.kind == "score":
            key = spec.key  # "score:<name>": calculated values keep their names
            out.append(Measure(key=key, path=spec.question, question=spec.question, kind="score",
                               sensitive=False, numeric=True))  # fmt: skip
            continue
        tk = trend.get(spec.question)
        if not tk:
            continue
        q = by_name[spec.question]
        if spec.kind == "matrix_row":
            row = spec.key.split(".", 1)[1]
            out.append(Measure(key=f"{tk}.{row}", path=spec.key, question=spec.question, kind="matrix_row",
                               sensitive=spec.sensitive, numeric=spec.numeric,
                               options=tuple(o.value for o in q.options)))  # fmt: skip
        else:
            kind = "boolean" if q.type == "boolean" else spec.kind
            out.append(Measure(key=tk, path=spec.key, question=spec.question, kind=kind, sensitive=spec.sensitive,
                               numeric=spec.numeric, options=tuple(o.value for o in q.options)))  # fmt: skip
    # Numbers (text with inputType number): the catalogue lists them without options.
    for name in sorted(_number_questions(version)):
        tk = trend.get(name)
        if tk and not any(m.path == name for m in out) and name in by_name:
            out.append(Measure(key=tk, path=name, question=name, kind="number", sensitive=False, numeric=True))
    order = {q.name: i for i, q in enumerate(labels.catalogue)}
    out.sort(key=lambda m: (order.get(m.question, len(order)), 0 if m.kind != "score" else 1))
    return out, labels


def catalog_for(versions: Sequence[QuestionnaireVersion], locale: str = "nb") -> Catalog:
    """The catalogue over versions (oldest first); titles and order from the newest."""
    if not versions:
        return Catalog(questionnaire="", mode="")
    versions = sorted(versions, key=lambda v: v.number)
    q = versions[-1].questionnaire
    cat = Catalog(questionnaire=q.key, mode=q.default_mode)
    seen: dict[str, Measure] = {}
    for version in reversed(versions):  # newest first, so its order and labels win
        measures, labels = _version_measures(version, locale)
        cat.by_version[version.pk] = {m.path: m for m in measures}
        for m in measures:
            if m.key in seen:
                continue
            seen[m.key] = m
            cat.measures.append(m)
            if m.kind == "score":
                cat.titles[m.key] = labels.title(m.path if m.path.startswith("score:") else f"score:{m.path}")
                continue
            local = m.path
            cat.titles[m.key] = labels.title(local)
            if local in labels.measure_group:
                cat.groups[m.key] = labels.measure_group[local]
            cat.pages[m.key] = labels.page_of.get(local, ("", ""))[1]
            cat.option_labels[m.key] = dict(labels.option_labels.get(local, {}))
    return cat


# ============================================================================ extraction


def _values(m: Measure, answers: Mapping[str, Any]) -> list[Any]:
    """The answer values of one measure in one response, as reports.anonymity reads them."""
    if m.kind == "matrix_row":
        q, row = m.path.split(".", 1)
        container = answers.get(q)
        value = container.get(row) if isinstance(container, dict) else None
    else:
        value = answers.get(m.path)
    if value in EMPTY:
        return []
    if m.kind == "multi":
        return list(value) if isinstance(value, list) else [value]
    if isinstance(value, (list, dict)):
        return []
    return [value]


def _frame(rows: Iterable[tuple[int, int, int, Mapping[str, Any]]], catalog: Catalog,
           versions: Mapping[int, int], years: Mapping[int, int]) -> pd.DataFrame:  # fmt: skip
    """rows: (campaign index, unit id, rid, answers)."""
    key_code = {m.key: i for i, m in enumerate(catalog.measures)}
    cols: dict[str, list[Any]] = {c: [] for c in FRAME_COLUMNS}
    plans: dict[int, list[tuple[Measure, int]]] = {}
    for cidx, unit_id, rid, answers in rows:
        plan = plans.get(cidx)
        if plan is None:
            measures = catalog.by_version.get(versions[cidx], {})
            plan = plans[cidx] = [(m, key_code[m.key]) for m in measures.values() if m.key in key_code]
        year = years[cidx]
        for m, code in plan:
            for value in _values(m, answers):
                num = answer_number(value) if m.numeric else None
                cols["campaign"].append(cidx)
                cols["year"].append(year)
                cols["unit"].append(unit_id)
                cols["rid"].append(rid)
                cols["key"].append(code)
                cols["value"].append(answer_key(value))
                cols["num"].append(np.nan if num is None else num)
    return _typed(cols, catalog)


def _typed(cols: Mapping[str, Any], catalog: Catalog) -> pd.DataFrame:
    keys = pd.Categorical.from_codes(np.asarray(cols["key"], dtype=np.int32), categories=catalog.keys) if len(catalog.keys) else []
    return pd.DataFrame({
        "campaign": np.asarray(cols["campaign"], dtype=np.int16),
        "year": np.asarray(cols["year"], dtype=np.int16),
        "unit": np.asarray(cols["unit"], dtype=np.int32),
        "rid": np.asarray(cols["rid"], dtype=np.int32),
        "key": keys,
        "value": pd.Categorical(cols["value"]),
        "num": np.asarray(cols["num"], dtype=np.float64),
    })  # fmt: skip


def anonymous_answer_frame(campaigns: Sequence[Campaign], catalog: Catalog) -> pd.DataFrame:
    """One row per anonymous respondent and measure value (see the module docstring)."""
    from surveys.anon import selectors as anon_selectors

    versions = {i: c.version_id for i, c in enumerate(campaigns)}
    years = {i: c.year for i, c in enumerate(campaigns)}

    def rows() -> Iterable[tuple[int, int, int, Mapping[str, Any]]]:
        rid = 0
        for i, c in enumerate(campaigns):
            for unit_id, _background, answers in anon_selectors.answer_rows(c):
                yield i, unit_id, rid, answers
                rid += 1

    return _frame(rows(), catalog, versions, years)


def joint_answer_frame(responses: Iterable[tuple[int, int, int, int, Mapping[str, Any]]], catalog: Catalog) -> pd.DataFrame:
    """Joint or named responses: rows (campaign index, year, version id, unit id, answers)."""
    versions: dict[int, int] = {}
    years: dict[int, int] = {}
    rows = []
    for rid, (cidx, year, version_id, unit_id, answers) in enumerate(responses):
        versions[cidx] = version_id
        years[cidx] = year
        rows.append((cidx, unit_id, rid, answers))
    return _frame(rows, catalog, versions, years)


# ============================================================================ counts


@dataclass
class AnswerCounts:
    """Per campaign (index) and unit: value counts per measure, answered per measure, respondents."""

    values: pd.DataFrame  # campaign, unit, key (category), value, num, count
    answered: pd.DataFrame  # campaign, unit, key, n
    respondents: pd.DataFrame  # campaign, unit, respondents


def _decode(combined: np.ndarray, sizes: Sequence[int]) -> list[np.ndarray]:
    out = []
    for size in reversed(sizes[1:]):
        out.append(combined % size)
        combined = combined // size
    out.append(combined)
    return list(reversed(out))


def counts_from_frame(frame: pd.DataFrame, respondents: pd.DataFrame | None = None,
                      catalog: Catalog | None = None) -> AnswerCounts:  # fmt: skip
    """Value counts from a per-respondent frame (a checkbox answer counts once in `answered`).

    Counted on integer codes (one bincount), not with a multi-column groupby: the number of an
    answer is a function of its measure and value, so it is looked up, not grouped on."""
    if frame.empty or not isinstance(frame["key"].dtype, pd.CategoricalDtype):
        keys0 = catalog.keys if catalog is not None else []
        cat = pd.Categorical([], categories=keys0)
        return AnswerCounts(
            values=pd.DataFrame({"campaign": np.asarray([], np.int16), "unit": np.asarray([], np.int32), "key": cat,
                                 "value": pd.Categorical([]), "num": np.asarray([], float), "count": np.asarray([], np.int64)}),
            answered=pd.DataFrame({"campaign": np.asarray([], np.int16), "unit": np.asarray([], np.int32), "key": cat,
                                   "n": np.asarray([], np.int64)}),
            respondents=respondents if respondents is not None else pd.DataFrame(columns=["campaign", "unit", "respondents"]),
        )  # fmt: skip
    keys = list(frame["key"].cat.categories)
    values_cat = list(frame["value"].cat.categories)
    kc = frame["key"].cat.codes.to_numpy().astype(np.int64)
    vc = frame["value"].cat.codes.to_numpy().astype(np.int64)
    camp = frame["campaign"].to_numpy().astype(np.int64)
    unit_codes, unit_ids = pd.factorize(frame["unit"], sort=True)
    nk, nv, nu = max(len(keys), 1), max(len(values_cat), 1), max(len(unit_ids), 1)
    nc = int(camp.max()) + 1 if len(camp) else 1
    combined = ((camp * nu + unit_codes) * nk + kc) * nv + vc
    if nc * nu * nk * nv <= 50_000_000:
        counts = np.bincount(combined, minlength=0)
        uniq = np.flatnonzero(counts)
        counts = counts[uniq]
    else:
        uniq, counts = np.unique(combined, return_counts=True)
    c_, u_, k_, v_ = _decode(uniq, [nc, nu, nk, nv])
    num_table = np.full(nk * nv, np.nan)
    num_table[kc * nv + vc] = frame["num"].to_numpy()
    values = pd.DataFrame({
        "campaign": c_.astype(np.int16), "unit": np.asarray(unit_ids)[u_].astype(np.int32),
        "key": pd.Categorical.from_codes(k_.astype(np.int32), categories=keys),
        "value": pd.Categorical.from_codes(v_.astype(np.int32), categories=values_cat),
        "num": num_table[k_ * nv + v_], "count": counts.astype(np.int64),
    })  # fmt: skip
    if catalog is not None:
        multi = {m.key for m in catalog.measures if m.kind == "multi"}
    else:
        multi = set(frame.loc[frame.duplicated(["campaign", "rid", "key"]), "key"].astype(str))
    single = values[~values["key"].isin(multi)]
    answered = single.groupby(["campaign", "unit", "key"], observed=True, sort=False)["count"].sum().rename("n").reset_index()
    if multi:
        sub = frame[frame["key"].isin(multi)]
        extra = (sub.drop_duplicates(["campaign", "rid", "key"]).groupby(["campaign", "unit", "key"], observed=True, sort=False)
                 .size().rename("n").reset_index())  # fmt: skip
        answered = pd.concat([answered, extra], ignore_index=True)
        answered["key"] = pd.Categorical(answered["key"].astype(str), categories=keys)
    if respondents is None:
        respondents = frame.groupby(["campaign", "unit"], sort=False)["rid"].nunique().rename("respondents").reset_index()
    return AnswerCounts(values=values, answered=answered, respondents=respondents)


def respondent_counts(campaigns: Sequence[Campaign]) -> pd.DataFrame:
    """Anonymous respondents per campaign (index) and unit, whatever they answered."""
    from django.db.models import Count

    index = {c.pk: i for i, c in enumerate(campaigns)}
    rows = (
        AnonymousAnswer.objects.filter(campaign_id__in=list(index))
        .values_list("campaign_id", "unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    data = [(index[c], u, n) for c, u, n in rows]
    return pd.DataFrame(data, columns=["campaign", "unit", "respondents"]).astype(
        {"campaign": np.int16, "unit": np.int32, "respondents": np.int64}
    )


# One pass over the jsonb answers: top-level values and matrix rows (objects), counted per
# campaign, unit, question, row and value. No CTE (PostgreSQL would materialise it); hash
# aggregation. Checkbox answers (arrays, rare) are counted by a second, small query.
_PG_COUNTS = """
SELECT a.campaign_id::text, a.unit_id, e.key, m.key, COALESCE(m.value, e.value)::text, count(*)
  FROM surveys_anonymousanswer a
 CROSS JOIN LATERAL jsonb_each(a.answers) e
  LEFT JOIN LATERAL jsonb_each(CASE WHEN jsonb_typeof(e.value) = 'object' THEN e.value END) m ON true
 WHERE a.campaign_id = ANY(%(ids)s)
   AND jsonb_typeof(COALESCE(m.value, e.value)) IN ('string', 'number', 'boolean')
 GROUP BY 1, 2, 3, 4, 5
"""

_PG_ELEMENTS = """
SELECT a.campaign_id::text, a.unit_id, e.key, x.value::text, count(*)
  FROM surveys_anonymousanswer a
 CROSS JOIN LATERAL jsonb_each(a.answers) e
 CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(e.value) = 'array' THEN e.value END) x
 WHERE a.campaign_id = ANY(%(ids)s) AND jsonb_typeof(x.value) IN ('string', 'number', 'boolean')
 GROUP BY 1, 2, 3, 4
"""

_PG_ARRAYS = """
SELECT a.campaign_id::text, a.unit_id, e.key, count(*)
  FROM surveys_anonymousanswer a CROSS JOIN LATERAL jsonb_each(a.answers) e
 WHERE a.campaign_id = ANY(%(ids)s) AND jsonb_typeof(e.value) = 'array' AND e.value <> '[]'::jsonb
 GROUP BY 1, 2, 3
"""


def _counts_postgresql(campaigns: Sequence[Campaign], catalog: Catalog) -> AnswerCounts:
    """Value counts computed by PostgreSQL from the jsonb answers (no answer leaves the database)."""
    index = {str(c.pk): i for i, c in enumerate(campaigns)}
    paths = {i: catalog.by_version.get(c.version_id, {}) for i, c in enumerate(campaigns)}
    key_code = {k: i for i, k in enumerate(catalog.keys)}
    ids = [c.pk for c in campaigns]
    with transaction.atomic(), connection.cursor() as cur:
        # hash aggregation in memory rather than a sort; JIT does not pay off for one query
        cur.execute("SET LOCAL work_mem = '256MB'")
        cur.execute("SET LOCAL jit = off")
        cur.execute(_PG_COUNTS, {"ids": ids})
        raw = [(c, u, q, r, False, t, n) for c, u, q, r, t, n in cur.fetchall()]
        cur.execute(_PG_ELEMENTS, {"ids": ids})
        raw += [(c, u, q, None, True, t, n) for c, u, q, t, n in cur.fetchall()]
        cur.execute(_PG_ARRAYS, {"ids": ids})
        arrays = cur.fetchall()
    decoded: dict[str, tuple[str, float | None]] = {}
    v_campaign, v_unit, v_key, v_value, v_num, v_count = [], [], [], [], [], []
    answered: dict[tuple[int, int, int], int] = {}
    for campaign_id, unit_id, question, row, element, text, count in raw:
        cidx = index[campaign_id]
        m = paths[cidx].get(f"{question}.{row}" if row is not None else question)
        if m is None or (element and m.kind != "multi"):
            continue
        found = decoded.get(text)
        if found is None:
            value = json.loads(text)
            found = decoded[text] = ("", None) if value == "" else (answer_key(value), answer_number(value))
        key, number = found
        if key == "":
            continue
        code = key_code[m.key]
        v_campaign.append(cidx)
        v_unit.append(unit_id)
        v_key.append(code)
        v_value.append(key)
        v_num.append(number if m.numeric and number is not None else np.nan)
        v_count.append(count)
        if not element:  # a single value (for a checkbox: one not written as a list) is one answer
            answered[(cidx, unit_id, code)] = answered.get((cidx, unit_id, code), 0) + count
    for campaign_id, unit_id, question, count in arrays:
        cidx = index[campaign_id]
        m = paths[cidx].get(question)
        if m is not None and m.kind == "multi":
            code = key_code[m.key]
            answered[(cidx, unit_id, code)] = answered.get((cidx, unit_id, code), 0) + count
    cats = catalog.keys
    values = pd.DataFrame({
        "campaign": np.asarray(v_campaign, dtype=np.int16), "unit": np.asarray(v_unit, dtype=np.int32),
        "key": pd.Categorical.from_codes(np.asarray(v_key, dtype=np.int32), categories=cats),
        "value": pd.Categorical(v_value), "num": np.asarray(v_num, dtype=np.float64),
        "count": np.asarray(v_count, dtype=np.int64),
    })  # fmt: skip
    # Rows that differ only in how the value was written ("4" and 4.0) are one value.
    values = values.groupby(["campaign", "unit", "key", "value"], observed=True, sort=False).agg(
        num=("num", "first"), count=("count", "sum")).reset_index()  # fmt: skip
    a_keys = list(answered)
    answered_df = pd.DataFrame({
        "campaign": np.asarray([k[0] for k in a_keys], dtype=np.int16),
        "unit": np.asarray([k[1] for k in a_keys], dtype=np.int32),
        "key": pd.Categorical.from_codes(np.asarray([k[2] for k in a_keys], dtype=np.int32), categories=cats),
        "n": np.asarray([answered[k] for k in a_keys], dtype=np.int64),
    })  # fmt: skip
    return AnswerCounts(values=values, answered=answered_df, respondents=respondent_counts(campaigns))


CACHE_SECONDS = 6 * 3600


def _cache_key(campaign: Campaign, answers: int) -> str:
    return f"verne:reports:counts:v2:{campaign.pk}:{campaign.version_id}:{answers}"


def _combine(parts: Mapping[int, AnswerCounts], catalog: Catalog) -> AnswerCounts:
    """Per-campaign counts (each numbered 0) as one AnswerCounts numbered by position."""
    def cat(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
        if not frames:
            return pd.DataFrame(columns=columns)
        out = pd.concat(frames, ignore_index=True)
        out["campaign"] = out["campaign"].astype(np.int16)
        if "key" in out:
            out["key"] = pd.Categorical(out["key"].astype(str), categories=catalog.keys)
        if "value" in out:
            out["value"] = out["value"].astype(str).astype("category")
        return out

    values, answered, respondents = [], [], []
    for i, part in sorted(parts.items()):
        values.append(part.values.assign(campaign=i))
        answered.append(part.answered.assign(campaign=i))
        respondents.append(part.respondents.assign(campaign=i))
    return AnswerCounts(values=cat(values, ["campaign", "unit", "key", "value", "num", "count"]),
                        answered=cat(answered, ["campaign", "unit", "key", "n"]),
                        respondents=cat(respondents, ["campaign", "unit", "respondents"]))  # fmt: skip


def _split(counts: AnswerCounts, k: int) -> list[AnswerCounts]:
    return [AnswerCounts(values=counts.values[counts.values["campaign"] == i].assign(campaign=0),
                         answered=counts.answered[counts.answered["campaign"] == i].assign(campaign=0),
                         respondents=counts.respondents[counts.respondents["campaign"] == i].assign(campaign=0))
            for i in range(k)]  # fmt: skip


def anonymous_counts(campaigns: Sequence[Campaign], catalog: Catalog, *, in_database: bool | None = None,
                     use_cache: bool = True) -> AnswerCounts:  # fmt: skip
    """AnswerCounts for anonymous campaigns: in PostgreSQL when it is the database, else in pandas.

    The counts of a closed campaign do not change, so they are kept in Django's cache for
    CACHE_SECONDS (keyed by the campaign and its number of answers, so counts are never used
    once answers are added or deleted). They are counts per unit *before* the group-size rule:
    internal, like the answers themselves, and never shown."""
    from django.core.cache import cache
    from django.db.models import Count

    if in_database is None:
        in_database = connection.vendor == "postgresql"
    if not campaigns:
        return counts_from_frame(pd.DataFrame(columns=FRAME_COLUMNS), respondent_counts(campaigns), catalog)
    totals = dict(AnonymousAnswer.objects.filter(campaign_id__in=[c.pk for c in campaigns]).values_list("campaign_id")
                  .annotate(n=Count("id")).values_list("campaign_id", "n"))  # fmt: skip
    parts: dict[int, AnswerCounts] = {}
    missing: list[int] = []
    for i, c in enumerate(campaigns):
        cacheable = use_cache and c.status == Campaign.Status.CLOSED
        found = cache.get(_cache_key(c, totals.get(c.pk, 0))) if cacheable else None
        if found is not None:
            parts[i] = found
        else:
            missing.append(i)
    if missing:
        todo = [campaigns[i] for i in missing]
        if in_database:
            fresh = _counts_postgresql(todo, catalog)
        else:
            fresh = counts_from_frame(anonymous_answer_frame(todo, catalog), respondent_counts(todo), catalog)
        for i, part in zip(missing, _split(fresh, len(todo)), strict=True):
            parts[i] = part
            c = campaigns[i]
            if use_cache and c.status == Campaign.Status.CLOSED:
                cache.set(_cache_key(c, totals.get(c.pk, 0)), part, CACHE_SECONDS)
    return _combine(parts, catalog)


def joint_responses(campaigns: Sequence[Campaign], *, statuses: Sequence[str] | None = None) -> list[tuple[int, int, int, int, Mapping[str, Any]]]:
    """(campaign index, year, version id, unit id, answers) of joint responses (one query)."""
    index = {c.pk: i for i, c in enumerate(campaigns)}
    years = {c.pk: c.year for c in campaigns}
    qs = Response.objects.filter(campaign_id__in=list(index), person__isnull=True)
    if statuses:
        qs = qs.filter(status__in=list(statuses))
    return [(index[cid], years[cid], vid, uid, answers)
            for cid, vid, uid, answers in qs.values_list("campaign_id", "version_id", "unit_id", "answers")]  # fmt: skip
