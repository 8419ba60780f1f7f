"""Benchmark: the Python engine against survey-core (Node) on an annual-HMS-report survey.

    python bench/engine.py [-n 300] [--seed 1] [--survey path.json] [--profile]

For N random answer sets (realistic values for each question type, some left empty):

* Python: ``load_survey(text)`` (served from the content cache, as the server does), a new
  ``SurveyRun``, ``set_data(answers)`` and ``validate()`` (all visible pages). The same run
  with the respondent path (``answer(name, value)`` one by one: conversion and triggers) is
  shown as a second figure.
* Node: ``new Model(json)``, ``survey.data = answers``, ``survey.validate()``
  (bench/engine_node.mjs). Skipped, with a note, when Node or survey-core is missing.
* CLI: one batch through ``python -m surveys.engine`` (JSON in, JSON out, the full runner
  output per case), minus the start-up time of an empty batch.

Prints the medians and the ratio; target: >= 20x faster than survey-core, < 1 ms per evaluation.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import shutil
import statistics
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from surveys.engine import DefinitionError, SurveyDef, SurveyRun, load_survey  # noqa: E402
from surveys.engine.loader import load_survey_lenient  # noqa: E402


def _load_lenient(text: str) -> SurveyDef:
    return load_survey_lenient(text)[0]


# load_survey (strict, as the server loads) unless the sample definition does not validate
LOAD = load_survey

DEFAULT_SURVEY = ROOT / "tests" / "engine" / "fixtures" / "hms_report_sample.json"
WORDS = ["verneombud", "rutine", "avvik", "tiltak", "HMS", "øvelse", "opplæring", "ok", "ja", "nei"]


# ------------------------------------------------------------------ answer sets
def _questions(elements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for el in elements:
        if el.get("type") == "panel":
            out.extend(_questions(el.get("elements", [])))
        else:
            out.append(el)
    return out


def _choice_values(q: dict[str, Any]) -> list[Any]:
    return [c.get("value") if isinstance(c, dict) else c for c in q.get("choices", [])]


def _value(q: dict[str, Any], rng: random.Random) -> Any:
    t = q.get("type")
    if t == "text":
        if q.get("inputType") == "number":
            lo = q.get("min", 0)
            hi = q.get("max", 60)
            return rng.randint(int(lo), min(int(hi), int(lo) + 60))
        return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3)))
    if t == "comment":
        return " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 12)))
    if t == "boolean":
        return rng.random() < 0.6
    if t in ("radiogroup", "dropdown"):
        return rng.choice(_choice_values(q))
    if t == "checkbox":
        values = _choice_values(q)
        return rng.sample(values, rng.randint(1, min(3, len(values))))
    if t == "rating":
        return rng.randint(1, int(q.get("rateMax", 5)))
    if t == "matrix":
        cols = _choice_values({"choices": q.get("columns", [])})
        rows = _choice_values({"choices": q.get("rows", [])})
        return {str(r): rng.choice(cols) for r in rows if rng.random() < 0.9}
    if t == "paneldynamic":
        template = _questions(q.get("templateElements", []))
        return [
            {tq["name"]: _value(tq, rng) for tq in template if rng.random() < 0.8}
            for _ in range(rng.randint(0, 3))
        ]
    if t == "multipletext":
        return {
            it["name"]: "".join(rng.choices(string.ascii_lowercase, k=5))
            for it in q.get("items", [])
        }
    return None


def answer_sets(survey: dict[str, Any], n: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    qs = [q for p in survey.get("pages", []) for q in _questions(p.get("elements", []))]
    sets = []
    for _ in range(n):
        answers: dict[str, Any] = {}
        for q in qs:
            if q.get("type") in ("expression", "html", "image") or rng.random() < 0.15:
                continue
            v = _value(q, rng)
            if v is not None:
                answers[q["name"]] = v
        sets.append(answers)
    return sets


# ------------------------------------------------------------------ measurements
def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def python_set_data(text: str, sets: list[dict[str, Any]]) -> tuple[list[float], int]:
    errors = 0
    times = []
    for answers in sets:
        t0 = time.perf_counter()
        run = SurveyRun(LOAD(text))
        run.set_data(answers)
        errors += len(run.validate())
        times.append(time.perf_counter() - t0)
    return times, errors


def python_answers(text: str, sets: list[dict[str, Any]]) -> list[float]:
    times = []
    for answers in sets:
        t0 = time.perf_counter()
        run = SurveyRun(LOAD(text))
        for name, value in answers.items():
            run.answer(name, value)
        run.validate()
        times.append(time.perf_counter() - t0)
    return times


def node_baseline(survey_path: Path, sets: list[dict[str, Any]], tmp: Path) -> dict[str, Any] | str:
    node = shutil.which("node")
    if node is None:
        return "node is not installed"
    answers_path = tmp / "answers.json"
    answers_path.write_text(json.dumps(sets), encoding="utf-8")
    proc = subprocess.run(
        [node, str(ROOT / "bench" / "engine_node.mjs"), str(survey_path), str(answers_path)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    try:
        res: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return f"the Node baseline failed: {proc.stderr.strip()[:300]}"
    if "error" in res:
        return str(res["error"])
    return res


def cli_batch(survey: dict[str, Any], sets: list[dict[str, Any]], tmp: Path) -> tuple[float, float]:
    """(start-up seconds, seconds for the batch minus start-up)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "surveys.engine", "--compact"]
    batch = tmp / "batch.json"
    batch.write_text(json.dumps([{"survey": survey, "data": a} for a in sets]), encoding="utf-8")
    empty = tmp / "empty.json"
    empty.write_text("[]", encoding="utf-8")

    def timed(path: Path) -> float:
        t0 = time.perf_counter()
        subprocess.run([*cmd, str(path)], cwd=ROOT, env=env, capture_output=True, check=True)
        return time.perf_counter() - t0

    startup = min(timed(empty) for _ in range(3))
    total = min(timed(batch) for _ in range(2))
    return startup, total - startup


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=300, help="answer sets (default 300)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--survey", type=Path, default=None)
    ap.add_argument("--profile", action="store_true", help="print a cProfile of the Python loop")
    ap.add_argument("--no-cli", action="store_true")
    args = ap.parse_args()

    survey_path: Path = args.survey or DEFAULT_SURVEY
    if not survey_path.exists():
        print(f"survey not found: {survey_path}")
        return 2
    text = survey_path.read_text(encoding="utf-8")
    survey = json.loads(text)
    n_questions = sum(len(_questions(p.get("elements", []))) for p in survey.get("pages", []))
    sets = answer_sets(survey, args.n, args.seed)
    print(
        f"survey: {survey_path.relative_to(ROOT) if survey_path.is_relative_to(ROOT) else survey_path}"
    )
    print(
        f"        {len(survey.get('pages', []))} pages, {n_questions} top-level questions; {len(sets)} answer sets"
    )

    # warm up: the first load parses and validates the definition and fills the cache
    global LOAD
    t0 = time.perf_counter()
    try:
        load_survey(text)
    except DefinitionError as exc:
        print(f"note: the definition does not validate ({exc}); loading it leniently")
        LOAD = _load_lenient
        load_survey_lenient(text)
    first_load = time.perf_counter() - t0
    python_set_data(text, sets[:30])
    python_answers(text, sets[:30])

    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        python_set_data(text, sets)
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(35)

    py_times, py_errors = python_set_data(text, sets)
    py_answer_times = python_answers(text, sets)
    py_med = _median_ms(py_times)
    print()
    print(f"first load (parse + validate + build, uncached): {first_load * 1000:8.2f} ms")
    print(
        f"Python  load(cached) + set_data + validate:       {py_med:8.3f} ms median "
        f"(mean {statistics.mean(py_times) * 1000:.3f}, {py_errors} errors in total)"
    )
    print(
        f"Python  load(cached) + answer() each + validate:  {_median_ms(py_answer_times):8.3f} ms median"
    )

    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        node = node_baseline(survey_path, sets, tmp)
        if isinstance(node, str):
            print(f"Node    survey-core baseline skipped: {node}")
        else:
            node_med = float(node["median_ms"])
            print(
                f"Node    new Model + data + validate:              {node_med:8.3f} ms median "
                f"(mean {node['mean_ms']:.3f}, {node['errors']} errors in total)"
            )
            print(f"ratio   survey-core / Python (medians):           {node_med / py_med:8.1f} x")
        if not args.no_cli:
            startup, batch = cli_batch(survey, sets, tmp)
            print(f"CLI     start-up (empty batch):                   {startup * 1000:8.1f} ms")
            print(
                f"CLI     batch of {len(sets)} minus start-up:              {batch * 1000:8.1f} ms "
                f"= {batch * 1000 / len(sets):.3f} ms per case (full runner output, JSON in/out)"
            )
    print()
    target_ok = py_med < 1.0
    print(f"target < 1 ms per evaluation: {'met' if target_ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
