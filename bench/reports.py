"""Benchmark: trends and the AMU report for a large organisation.

    .venv/bin/python bench/reports.py          (or: make bench)

A synthetic organisation of 200 units (a root, 9 divisions, 190 departments of very different
sizes, so that some are below the minimum group size) answers the working-environment survey
every year for 10 years, 10,000 respondents a year, about 49 trend measures each (16 dimension
scores, 28 matrix items, four exposure questions and the overall rating): about 4.9 million
answer values. A barometer (17 measures, same respondents) fills the AMU report's other survey.

(a) **Trend computation** – every unit's year-over-year figures for every measure with the
    group-size rule (roll-up of small units, remainder rule, per-question thresholds), shares
    favourable, scores, changes and significance markers:
    * *in memory*: from the per-respondent tidy frame, against a raw pandas groupby over the
      same frame (distribution per campaign, unit, measure and value; count, mean and standard
      deviation per campaign, unit and measure) in the same run;
    * *from PostgreSQL* (extraction included): the answers as jsonb rows in a throwaway database
      on 127.0.0.1:5432 (user postgres, trust auth); Verne counts values in the database and
      applies the rule in pandas - once with nothing cached and once with the closed campaigns'
      counts in Django's cache (reports.frames.anonymous_counts) - against the raw approach of
      fetching the flattened tidy frame (COPY of jsonb_each rows into pandas) and grouping it.
      Skipped with a message when PostgreSQL is not reachable.
(b) **The AMU report (DOCX)** for the organisation from precomputed figures: Verne's document
    (text blocks, the five charts, sandboxed autoescaped rendering) against a plain docxtpl
    render (default environment) of the same precomputed context with the same charts drawn.

Time is the median of three runs, each in its own forked process; memory is the peak resident
set size of that process (it includes the frame the computation works on). Goals: trends within
5 s and 1.5 GB and within 1.5x the raw groupby; the DOCX within 3 s and 1.3x the plain render.
When a goal is missed the script says so and prints the profile of the slow part.
"""

from __future__ import annotations

import cProfile
import datetime as dt
import io
import json
import os
import pickle
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings")
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PG_DB = "verne_bench_reports"
MODE = sys.argv[1] if len(sys.argv) > 1 else "main"
if MODE == "postgres":
    os.environ["DATABASE_URL"] = f"{PG}/{PG_DB}"
else:
    os.environ["SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / "bench-reports.sqlite3")
    os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402

YEARS = int(os.environ.get("BENCH_REPORTS_YEARS", "10"))
RESPONDENTS = int(os.environ.get("BENCH_REPORTS_RESPONDENTS", "10000"))
DEPARTMENTS = 190
DIVISIONS = 9
FIRST_YEAR = 2017
RUNS = 3
GOAL_TREND_S, GOAL_TREND_GB, GOAL_TREND_RATIO = 5.0, 1.5, 1.5
GOAL_DOCX_S, GOAL_DOCX_RATIO = 3.0, 1.3

ARK_MATRICES = {
    "workload_pace_extent": ["wl_1", "pace_3"],
    "workload_pace_frequency": ["wl_2", "wl_3", "pace_1", "pace_2"],
    "roles_control_frequency": ["rk_1", "rk_2", "rk_3"],
    "information_support_extent": ["inf_1", "inf_2", "inf_3", "col_3", "sup_3"],
    "information_support_frequency": ["col_1", "col_2", "sup_1", "sup_2"],
    "work_life_health_extent": ["wlb_3", "eng_1", "eng_2"],
    "work_life_health_frequency": ["wlb_1", "wlb_2", "eng_3", "str_1", "str_2", "str_3"],
}  # 28 items
EXPOSURE = ["exp_bullying", "exp_harassment", "exp_violence", "exp_witnessed"]
SCORES = [
    "score_workload", "score_pace", "score_role_clarity", "score_role_conflict", "score_control", "score_development",
    "score_meaning", "score_predictability", "score_colleague_support", "score_supervisor_support", "score_leadership",
    "score_recognition", "score_climate", "score_work_life", "score_engagement", "score_strain",
]  # fmt: skip


# ============================================================================ measuring


def measure(fn: Callable[[], Any], *, runs: int = RUNS) -> tuple[float, float, Any]:
    """(median seconds, peak RSS in GB, last result summary), each run in a forked process."""
    times, peaks, summary = [], [], None
    for _ in range(runs):
        connections.close_all()
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # child
            os.close(r)
            try:
                started = time.perf_counter()
                out = fn()
                elapsed = time.perf_counter() - started
                peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
                payload = pickle.dumps((elapsed, peak, out))
            except BaseException as exc:
                payload = pickle.dumps(("error", repr(exc), None))
            with os.fdopen(w, "wb") as f:
                f.write(payload)
            os._exit(0)
        os.close(w)
        with os.fdopen(r, "rb") as f:
            data = f.read()
        os.waitpid(pid, 0)
        elapsed, peak, summary = pickle.loads(data)  # noqa: S301 - our own child process
        if elapsed == "error":
            raise RuntimeError(peak)
        times.append(elapsed)
        peaks.append(peak)
    return statistics.median(times), max(peaks), summary


def profile(fn: Callable[[], Any], title: str, lines: int = 18) -> None:
    prof = cProfile.Profile()
    prof.enable()
    fn()
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(lines)
    print(f"\n--- profile: {title} (cumulative) ---")
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[:6000])


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


# ============================================================================ the organisation


def build_organisation() -> dict[str, Any]:
    """200 units with respondents per year from a skewed distribution (some below five)."""
    from core.models import OrgUnit

    rng = np.random.default_rng(7)
    units = [OrgUnit(code="ORG", name="Bench-universitetet", kind="organisation")]
    OrgUnit.objects.bulk_create(units)
    root = OrgUnit.objects.get(code="ORG")
    OrgUnit.objects.filter(pk=root.pk).update(path=f"/{root.pk}/", depth=0)
    divisions = []
    for d in range(DIVISIONS):
        u = OrgUnit.objects.create(code=f"D{d}", name=f"Divisjon {d}", kind="division", parent=root)
        OrgUnit.objects.filter(pk=u.pk).update(path=f"/{root.pk}/{u.pk}/", depth=1)
        divisions.append(u)
    departments = []
    for i in range(DEPARTMENTS):
        parent = divisions[i % DIVISIONS]
        u = OrgUnit.objects.create(code=f"D{i % DIVISIONS}-{i}", name=f"Avdeling {i}", kind="department", parent=parent)
        OrgUnit.objects.filter(pk=u.pk).update(path=f"/{root.pk}/{parent.pk}/{u.pk}/", depth=2)
        departments.append(u)
    weights = rng.zipf(1.6, DEPARTMENTS).astype(float)
    weights = np.clip(weights, 1, 80)
    weights /= weights.sum()
    return {"root": root, "divisions": divisions, "departments": departments, "weights": weights}


def respondents_units(org: dict[str, Any], rng: np.random.Generator) -> np.ndarray:
    """The unit of each of the year's respondents (5 % answer at division level)."""
    dept_ids = np.asarray([u.pk for u in org["departments"]])
    div_ids = np.asarray([u.pk for u in org["divisions"]])
    units = dept_ids[rng.choice(len(dept_ids), size=RESPONDENTS, p=org["weights"])]
    at_division = rng.random(RESPONDENTS) < 0.05
    units[at_division] = div_ids[rng.integers(0, len(div_ids), at_division.sum())]
    return units


def import_versions() -> dict[str, Any]:
    from surveys import services

    out = {}
    for key in ("work_env_survey", "hms_barometer", "hms_annual_report", "injury_stats"):
        raw = (ROOT / "surveys" / "questionnaires" / f"{key}.json").read_text(encoding="utf-8")
        out[key] = services.questionnaire_import(actor=None, raw=raw)
    return out


def make_campaigns(version: Any, key: str, org: dict[str, Any], *, years: int = YEARS) -> list[Any]:
    from surveys.models import Campaign

    out = []
    for i in range(years):
        y = FIRST_YEAR + i
        c = Campaign.objects.create(version=version, title=f"{key} {y}", year=y, mode="anonymous", status="closed",
                                    opens_on=dt.date(y, 10, 1), closes_on=dt.date(y, 10, 21))  # fmt: skip
        c.units.add(org["root"])
        out.append(c)
    return out


# ============================================================================ synthetic answers


def ark_frame(catalog: Any, org: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The per-respondent tidy frame of the working-environment survey, built directly."""
    from reports.frames import FRAME_COLUMNS

    rng = np.random.default_rng(11)
    keys = catalog.keys
    code = {k: i for i, k in enumerate(keys)}
    cols: dict[str, list[np.ndarray]] = {c: [] for c in FRAME_COLUMNS}
    values: list[np.ndarray] = []
    respondents = []
    rid0 = 0
    score_values = np.round(np.arange(3, 16) / 3, 6)  # means of three items
    for year_idx in range(YEARS):
        units = respondents_units(org, rng)
        rid = np.arange(rid0, rid0 + RESPONDENTS, dtype=np.int32)
        rid0 += RESPONDENTS
        u, n = np.unique(units, return_counts=True)
        respondents.append(pd.DataFrame({"campaign": year_idx, "unit": u, "respondents": n}))
        for m in catalog.measures:
            if m.kind == "matrix_row" and m.path.split(".")[0] not in ARK_MATRICES:
                continue
            if m.kind == "matrix_row" and m.path.split(".")[1] not in ARK_MATRICES[m.path.split(".")[0]]:
                continue
            if m.kind not in ("score", "matrix_row") and m.question not in (*EXPOSURE, "overall_satisfaction"):
                continue
            answered = rng.random(RESPONDENTS) < 0.97
            k = int(answered.sum())
            if m.kind == "score":
                num = rng.choice(score_values, k)
                val = np.full(k, "", dtype=object)
            elif m.question in EXPOSURE:
                val = rng.choice(["never", "never", "never", "never", "once", "few", "monthly"], k).astype(object)
                num = np.full(k, np.nan)
            else:
                ints = rng.integers(1, 6, k)
                val = ints.astype(str).astype(object)
                num = ints.astype(float)
                if m.kind == "matrix_row" and m.path.startswith(tuple(x for x in ARK_MATRICES if x.endswith("_extent"))):
                    na = rng.random(k) < 0.03
                    val[na] = "na"
                    num[na] = np.nan
            cols["campaign"].append(np.full(k, year_idx, dtype=np.int16))
            cols["year"].append(np.full(k, FIRST_YEAR + year_idx, dtype=np.int16))
            cols["unit"].append(units[answered].astype(np.int32))
            cols["rid"].append(rid[answered])
            cols["key"].append(np.full(k, code[m.key], dtype=np.int32))
            values.append(val)
            cols["num"].append(num)
    value_all = np.concatenate(values)
    cats, value_codes = np.unique(value_all.astype(str), return_inverse=True)
    frame = pd.DataFrame({
        "campaign": np.concatenate(cols["campaign"]), "year": np.concatenate(cols["year"]),
        "unit": np.concatenate(cols["unit"]), "rid": np.concatenate(cols["rid"]),
        "key": pd.Categorical.from_codes(np.concatenate(cols["key"]), categories=keys),
        "value": pd.Categorical.from_codes(value_codes.astype(np.int32), categories=list(cats)),
        "num": np.concatenate(cols["num"]),
    })  # fmt: skip
    return frame, pd.concat(respondents, ignore_index=True)


def barometer_frame(catalog: Any, org: dict[str, Any], years: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(13)
    keys = catalog.keys
    parts, respondents = [], []
    rid0 = 0
    for year_idx in range(years):
        units = respondents_units(org, rng)
        rid = np.arange(rid0, rid0 + RESPONDENTS, dtype=np.int32)
        rid0 += RESPONDENTS
        u, n = np.unique(units, return_counts=True)
        respondents.append(pd.DataFrame({"campaign": year_idx, "unit": u, "respondents": n}))
        for i, m in enumerate(catalog.measures):
            if m.kind == "multi":
                continue
            options = list(m.options) or ["1", "2", "3", "4", "5"]
            val = rng.choice(options, RESPONDENTS)
            num = np.asarray([float(v) if v.isdigit() else np.nan for v in val]) if m.numeric else np.full(RESPONDENTS, np.nan)
            parts.append(pd.DataFrame({"campaign": np.int16(year_idx), "year": np.int16(FIRST_YEAR + year_idx), "unit": units.astype(np.int32),
                                       "rid": rid, "key": i, "value": val, "num": num}))  # fmt: skip
    frame = pd.concat(parts, ignore_index=True)
    frame["key"] = pd.Categorical.from_codes(frame["key"].astype(np.int32), categories=keys)
    frame["value"] = pd.Categorical(frame["value"])
    return frame, pd.concat(respondents, ignore_index=True)


# ============================================================================ the computations


def verne_trends(counts: Any, campaigns: list[Any], catalog: Any, units: Any) -> dict[str, Any]:
    """Every unit's trend from answer counts: the rule, figures, changes and markers."""
    from reports import selectors

    figures = selectors.survey_figures(campaigns, catalog, codes=None, counts=counts, units=units)
    table = selectors.trend_frame(figures)
    return {"trend_cells": len(table), "units": table["node"].nunique(), "figures": figures}


def raw_groupby(frame: pd.DataFrame) -> dict[str, int]:
    dist = frame.groupby(["campaign", "unit", "key", "value"], observed=True).size()
    stats = frame.groupby(["campaign", "unit", "key"], observed=True)["num"].agg(["count", "mean", "std"])
    return {"distribution_rows": len(dist), "stat_rows": len(stats)}


# ============================================================================ (a) in memory


def in_memory(org: dict[str, Any], versions: dict[str, Any]) -> dict[str, Any]:
    from reports import anonymity, frames, selectors

    catalog = selectors.catalog_of("work_env_survey")
    campaigns = make_campaigns(versions["work_env_survey"], "work_env_survey", org)
    started = time.perf_counter()
    frame, respondents = ark_frame(catalog, org)
    print(f"synthetic frame: {len(frame):,} answer values ({frame.memory_usage(deep=True).sum() / 2**20:.0f} MB), "
          f"{frame['unit'].nunique()} units with answers, built in {time.perf_counter() - started:.1f} s")  # fmt: skip
    units = anonymity.unit_refs()

    def verne() -> dict[str, Any]:
        counts = frames.counts_from_frame(frame, respondents, catalog)
        out = verne_trends(counts, campaigns, catalog, units)
        return {"trend_cells": out["trend_cells"], "units": out["units"]}

    def raw() -> dict[str, int]:
        return raw_groupby(frame)

    t_raw, m_raw, s_raw = measure(raw)
    t_v, m_v, s_v = measure(verne)
    ratio = t_v / t_raw
    print("\n(a) trends in memory")
    print(f"  raw pandas groupby:   {t_raw:6.2f} s  peak {m_raw:.2f} GB  ({s_raw['distribution_rows']:,} distribution rows)")
    print(f"  Verne trends:         {t_v:6.2f} s  peak {m_v:.2f} GB  ({s_v['trend_cells']:,} figures shown for {s_v['units']} unit groups)")
    ok_t, ok_m, ok_r = t_v <= GOAL_TREND_S, m_v <= GOAL_TREND_GB, ratio <= GOAL_TREND_RATIO
    print(f"  ratio Verne/raw: {ratio:.2f}x  goal <= {GOAL_TREND_RATIO}x: {verdict(ok_r)};  "
          f"time goal <= {GOAL_TREND_S} s: {verdict(ok_t)};  memory goal <= {GOAL_TREND_GB} GB: {verdict(ok_m)}")  # fmt: skip
    if not (ok_t and ok_m and ok_r):
        profile(verne, "Verne trends in memory")
    return {"frame": frame, "respondents": respondents, "campaigns": campaigns, "catalog": catalog, "units": units}


# ============================================================================ (b) the AMU report


def add_named_data(org: dict[str, Any], versions: dict[str, Any], year: int) -> None:
    """Annual reports of every department for three years, injury statistics per division,
    deviations and actions (bulk, without the services: this is about the document)."""
    from core.models import User
    from surveys.models import Campaign, Response
    from workflows.models import ActionItem, Deviation

    rng = np.random.default_rng(17)
    owner = User.objects.create(username="bench-owner", first_name="Bench", last_name="Eier")
    now = dt.datetime(year, 12, 31, 12, tzinfo=dt.UTC)
    for y in range(year - 2, year + 1):
        c = Campaign.objects.create(version=versions["hms_annual_report"], title=f"HMS-årsrapport {y}", year=y, mode="joint",
                                    status="closed", opens_on=dt.date(y, 1, 15), closes_on=dt.date(y, 2, 28))  # fmt: skip
        c.units.set(org["departments"])
        Response.objects.bulk_create([
            Response(version=versions["hms_annual_report"], campaign=c, unit=u, unit_code=u.code, unit_name=u.name,
                     status="submitted" if rng.random() < 0.9 else "draft", submitted_at=now,
                     answers={"has_action_plan": bool(rng.random() < 0.8), "leader_vo_meetings": int(rng.integers(1, 9)),
                              "hse_goals": "yes_written", "answered_jointly": True})
            for u in org["departments"]
        ])  # fmt: skip
        s = Campaign.objects.create(version=versions["injury_stats"], title=f"Skader {y}", year=y, mode="joint",
                                    status="closed", opens_on=dt.date(y + 1, 1, 5), closes_on=dt.date(y + 1, 1, 31))  # fmt: skip
        s.units.set(org["divisions"])
        Response.objects.bulk_create([
            Response(version=versions["injury_stats"], campaign=s, unit=u, unit_code=u.code, unit_name=u.name, status="submitted",
                     submitted_at=now, answers={"own_hours_worked": int(rng.integers(100_000, 400_000)), "own_lti": int(rng.integers(0, 4)),
                                                "own_mti": int(rng.integers(0, 6)), "own_days_lost": int(rng.integers(0, 60))})
            for u in org["divisions"]
        ])  # fmt: skip
    categories = [c.value for c in Deviation.Category]
    deviations = []
    for _ in range(2000):
        y = int(rng.integers(year - 2, year + 1))
        cat = str(rng.choice(categories))
        injury = cat == "injury"
        cls = str(rng.choice(["lost_time", "medical_treatment", "first_aid"])) if injury else ""
        deviations.append(Deviation(
            unit=org["departments"][int(rng.integers(0, DEPARTMENTS))], category=cat, what="x", location="y",
            occurred_at=dt.datetime(y, int(rng.integers(1, 13)), 10, tzinfo=dt.UTC), status="closed" if rng.random() < 0.8 else "reported",
            injury_class=cls, absence_days=int(rng.integers(1, 20)) if cls == "lost_time" else None,
            cause_analysis="a", lessons_learned="b", high_potential=bool(rng.random() < 0.05),
        ))  # fmt: skip
    Deviation.objects.bulk_create(deviations)
    ActionItem.objects.bulk_create([
        ActionItem(unit=org["departments"][int(rng.integers(0, DEPARTMENTS))], year=year, title=f"Tiltak {i}", status="open",
                   owner=owner, due_date=dt.date(year, int(rng.integers(1, 13)), 1))
        for i in range(1500)
    ])  # fmt: skip


def docx_part(org: dict[str, Any], versions: dict[str, Any], mem: dict[str, Any]) -> None:
    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage

    from reports import charts, documents, frames, selectors

    year = FIRST_YEAR + YEARS - 1
    add_named_data(org, versions, year)
    ark_fig = verne_trends(frames.counts_from_frame(mem["frame"], mem["respondents"], mem["catalog"]), mem["campaigns"], mem["catalog"],
                           mem["units"])["figures"]  # fmt: skip
    bar_catalog = selectors.catalog_of("hms_barometer")
    bar_campaigns = make_campaigns(versions["hms_barometer"], "hms_barometer", org, years=3)
    for i, c in enumerate(bar_campaigns):
        c.year = year - 2 + i
        c.save(update_fields=["year"])
    bframe, bresp = barometer_frame(bar_catalog, org, 3)
    bar_fig = selectors.survey_figures(bar_campaigns, bar_catalog, codes=None, counts=frames.counts_from_frame(bframe, bresp, bar_catalog),
                                       units=mem["units"])  # fmt: skip
    started = time.perf_counter()
    report = selectors.amu_report(org["root"], year, figures={"work_env_survey": ark_fig, "hms_barometer": bar_fig})
    print(f"\nAMU report figures for {year} computed in {time.perf_counter() - started:.1f} s (not part of the DOCX timing)")
    blocks = documents.amu_blocks(report)
    labels = documents.amu_labels()
    template = documents.TEMPLATES / "amu_report.docx"

    def verne() -> int:
        return len(documents.amu_docx(report))

    def plain() -> int:
        figs = documents.amu_charts(report)
        tpl = DocxTemplate(str(template))
        context = {"labels": {**labels, "m1": "", "m2": "", "m3": ""}, "report": {"unit": report.unit.name, "year": str(year),
                   "period": "", "generated": ""}, "footer": "", **blocks,
                   "charts": {k: InlineImage(tpl, io.BytesIO(charts.png(f)), width=Mm(165)) for k, f in figs.items()}}  # fmt: skip
        tpl.render(context)
        out = io.BytesIO()
        tpl.save(out)
        return len(out.getvalue())

    t_plain, m_plain, size_plain = measure(plain)
    t_v, m_v, size_v = measure(verne)
    ratio = t_v / t_plain
    print(f"(b) the AMU report (DOCX, five charts, {len(blocks['annual']['units'])} units, {len(blocks['actions']['overdue'])} overdue actions listed)")
    print(f"  plain docxtpl render: {t_plain:6.2f} s  peak {m_plain:.2f} GB  ({size_plain // 1024} KB)")
    print(f"  Verne AMU DOCX:       {t_v:6.2f} s  peak {m_v:.2f} GB  ({size_v // 1024} KB)")
    ok_t, ok_r = t_v <= GOAL_DOCX_S, ratio <= GOAL_DOCX_RATIO
    print(f"  ratio Verne/plain: {ratio:.2f}x  goal <= {GOAL_DOCX_RATIO}x: {verdict(ok_r)};  time goal <= {GOAL_DOCX_S} s: {verdict(ok_t)}")
    if not (ok_t and ok_r):
        profile(verne, "Verne AMU DOCX")


# ============================================================================ (a) from PostgreSQL


def postgres_available() -> str:
    try:
        import psycopg

        with psycopg.connect(f"{PG}/postgres", connect_timeout=3, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
            conn.execute(f"CREATE DATABASE {PG_DB}")
        return ""
    except Exception as exc:
        return str(exc).splitlines()[0]


def drop_database() -> None:
    import psycopg

    try:
        with psycopg.connect(f"{PG}/postgres", connect_timeout=3, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
    except Exception:  # noqa: S110
        pass


_FLAT = """
COPY (
  WITH top AS (
    SELECT a.campaign_id, a.unit_id, a.id, e.key AS k, e.value AS v
      FROM surveys_anonymousanswer a CROSS JOIN LATERAL jsonb_each(a.answers) e
  )
  SELECT campaign_id, unit_id, id, k, v #>> '{}' FROM top WHERE jsonb_typeof(v) IN ('string', 'number', 'boolean')
  UNION ALL
  SELECT campaign_id, unit_id, id, k || '.' || m.key, m.value #>> '{}' FROM top CROSS JOIN LATERAL jsonb_each(top.v) m
   WHERE jsonb_typeof(top.v) = 'object'
) TO STDOUT WITH (FORMAT csv)
"""


def postgres_main() -> None:
    """Runs in its own process with DATABASE_URL pointing at the throwaway database."""
    from reports import anonymity, selectors

    call_command("migrate", verbosity=0)
    org = build_organisation()
    versions = import_versions()
    catalog = selectors.catalog_of("work_env_survey")
    campaigns = make_campaigns(versions["work_env_survey"], "work_env_survey", org)
    started = time.perf_counter()
    rng = np.random.default_rng(11)
    score_values = [round(x / 3, 6) for x in range(3, 16)]
    total = 0
    with connection.cursor() as cur, cur.cursor.copy(
        "COPY surveys_anonymousanswer (id, campaign_id, unit_id, background, answers, submitted_on) FROM STDIN"
    ) as copy:
        for c in campaigns:
            units = respondents_units(org, rng)
            ints = rng.integers(1, 6, size=(RESPONDENTS, 28))
            scores = rng.choice(score_values, size=(RESPONDENTS, 16))
            for i in range(RESPONDENTS):
                answers: dict[str, Any] = {"role_group": "employee"}
                j = 0
                for matrix, rows in ARK_MATRICES.items():
                    answers[matrix] = {row: int(ints[i, j + n]) for n, row in enumerate(rows)}
                    j += len(rows)
                for n, name in enumerate(SCORES):
                    answers[name] = float(scores[i, n])
                for name in EXPOSURE:
                    answers[name] = "never" if ints[i, 0] > 1 else "once"
                answers["overall_satisfaction"] = int(ints[i, 1])
                total += 28 + 16 + 4 + 1
                copy.write_row((str(uuid.uuid4()), str(c.pk), int(units[i]), "{}", json.dumps(answers), dt.date(c.year, 10, 10)))
    with connection.cursor() as cur:
        cur.execute("ANALYZE surveys_anonymousanswer")
    print(f"PostgreSQL: {YEARS * RESPONDENTS:,} answers with {total:,} values loaded in {time.perf_counter() - started:.1f} s")
    units = anonymity.unit_refs()

    def verne() -> dict[str, Any]:
        figures = selectors.survey_figures(campaigns, catalog, codes=None, units=units)
        table = selectors.trend_frame(figures)
        return {"trend_cells": len(table)}

    def raw() -> dict[str, int]:
        buf = io.BytesIO()
        with connection.cursor() as cur, cur.cursor.copy(_FLAT) as copy:
            for block in copy:
                buf.write(block)
        buf.seek(0)
        frame = pd.read_csv(buf, header=None, names=["campaign", "unit", "rid", "key", "value"],
                            dtype={"campaign": "category", "unit": np.int32, "rid": "category", "key": "category", "value": "category"})  # fmt: skip
        frame["num"] = pd.to_numeric(frame["value"].astype(str), errors="coerce")
        out = raw_groupby(frame)
        out["values"] = len(frame)
        return out

    from django.core.cache import cache

    cache.clear()
    t_raw, m_raw, s_raw = measure(raw)
    t_v, m_v, s_v = measure(verne)  # each run in a fresh process: nothing cached
    verne()  # fill this process's cache; the forked runs below start with it
    t_w, m_w, _s_w = measure(verne)
    ratio, ratio_w = t_v / t_raw, t_w / t_raw
    print("\n(a) trends from PostgreSQL (extraction included)")
    print(f"  raw: fetch tidy frame + groupby:   {t_raw:6.2f} s  peak {m_raw:.2f} GB  ({s_raw['values']:,} values fetched)")
    print(f"  Verne trends, counts not cached:   {t_v:6.2f} s  peak {m_v:.2f} GB  ({s_v['trend_cells']:,} figures shown)")
    print(f"  Verne trends, counts cached:       {t_w:6.2f} s  peak {m_w:.2f} GB  (closed campaigns' counts from the cache)")
    for label, t, m, r in (("not cached", t_v, m_v, ratio), ("cached", t_w, m_w, ratio_w)):
        ok_t, ok_m, ok_r = t <= GOAL_TREND_S, m <= GOAL_TREND_GB, r <= GOAL_TREND_RATIO
        print(f"  {label}: ratio Verne/raw {r:.2f}x  goal <= {GOAL_TREND_RATIO}x: {verdict(ok_r)};  "
              f"time goal <= {GOAL_TREND_S} s: {verdict(ok_t)};  memory goal <= {GOAL_TREND_GB} GB: {verdict(ok_m)}")  # fmt: skip
    if t_v > GOAL_TREND_S or ratio > GOAL_TREND_RATIO:
        cache.clear()
        profile(verne, "Verne trends from PostgreSQL, nothing cached")
        from reports import frames

        started = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute("SET jit = off")
            cur.execute("SET work_mem = '256MB'")
            cur.execute(frames._PG_COUNTS, {"ids": [c.pk for c in campaigns]})
            rows = len(cur.fetchall())
        print(f"  of which PostgreSQL's aggregation query alone: {time.perf_counter() - started:.2f} s ({rows:,} rows)")


# ============================================================================ main


def main() -> int:
    if MODE == "postgres":
        postgres_main()
        return 0
    print(f"Synthetic organisation: {1 + DIVISIONS + DEPARTMENTS} units, {YEARS} years x {RESPONDENTS:,} respondents "
          f"(working-environment survey); {os.cpu_count()} CPUs")  # fmt: skip
    call_command("migrate", verbosity=0)
    org = build_organisation()
    versions = import_versions()
    mem = in_memory(org, versions)
    docx_part(org, versions, mem)
    problem = postgres_available()
    if problem:
        print(f"\n(a) from PostgreSQL: skipped - PostgreSQL on 127.0.0.1:5432 is not available ({problem})")
        return 0
    try:
        print(flush=True)
        result = subprocess.run([sys.executable, __file__, "postgres"], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
        return result.returncode
    finally:
        drop_database()


if __name__ == "__main__":
    raise SystemExit(main())
