"""Randomised differential test: the Python engine against survey-core on real questionnaires.

For every questionnaire (tests/engine/fixtures/hms_report_sample.json and every
surveys/questionnaires/*.json) a seeded generator makes answer sets the way respondents and
saved drafts produce them, including wrong types, out-of-range numbers, empty and
whitespace strings, unknown choice values, "other" without a comment, numeric strings with a
decimal comma, and navigation scripts (next/prev/complete/goToPage/validatePage). The batch
goes through the Python engine once and through the survey-core oracle once, and every case is
compared on the same keys as the parity test (tests/engine/oracle/harness.py).

    VERNE_DIFF_CASES=500 pytest tests/engine/test_differential.py     # this many cases per file
    VERNE_DIFF_SEED=1234 pytest tests/engine/test_differential.py     # another (fixed) seed
    VERNE_DIFF_SEED=random pytest tests/engine/test_differential.py   # a fresh seed, printed

A failure prints the seed, the first differences, and the path of a JSON file holding the
failing runner inputs; feed it to `node tests/engine/oracle/oracle.mjs <file>` and to
`python -m surveys.engine <file>` to reproduce.

Needs Node and node_modules/survey-core 3.1.1; skipped with the reason otherwise.
"""

from __future__ import annotations

import json
import os
import random
import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.engine.conftest import EngineBatch
from tests.engine.oracle import harness

pytestmark = [pytest.mark.node, pytest.mark.slow]

# Default cases per questionnaire, chosen so the default run stays under about a minute:
# survey-core re-runs every condition on every answer, so a case costs roughly
# (questions answered) x (questions in the survey) in the oracle.
DEFAULT_CASES_SAMPLE = 40  # tests/engine/fixtures/hms_report_sample.json
DEFAULT_CASES_BUILTIN = 15  # each surveys/questionnaires/*.json
DEFAULT_CASES_LARGE = 4  # questionnaires with more than LARGE_QUESTIONNAIRE questions
LARGE_QUESTIONNAIRE = 150
DEFAULT_SEED = 20260115
NOW = "2026-01-15T09:30:00Z"
QUESTIONNAIRES_DIR = harness.REPO / "surveys" / "questionnaires"

SKIP_REASON = harness.oracle_unavailable_reason()


# --------------------------------------------------------------------------------------------
# Questionnaires
# --------------------------------------------------------------------------------------------
def _survey_json(raw: Any) -> dict[str, Any] | None:
    """The SurveyJS JSON inside a questionnaire file (bare, or under survey/definition)."""
    if isinstance(raw, dict):
        if "pages" in raw or "elements" in raw:
            return raw
        for key in ("survey", "definition", "json"):
            inner = raw.get(key)
            if isinstance(inner, dict) and ("pages" in inner or "elements" in inner):
                return inner
    return None


def questionnaires() -> list[tuple[str, Path]]:
    found = [("fixtures/hms_report_sample", harness.FIXTURES_DIR / "hms_report_sample.json")]
    if QUESTIONNAIRES_DIR.is_dir():
        for path in sorted(QUESTIONNAIRES_DIR.glob("*.json")):
            found.append((f"questionnaires/{path.stem}", path))
    return found


def case_count(key: str, survey: dict[str, Any]) -> int:
    if os.environ.get("VERNE_DIFF_CASES"):
        return int(os.environ["VERNE_DIFF_CASES"])
    if len(questions_of(survey)) > LARGE_QUESTIONNAIRE:
        return DEFAULT_CASES_LARGE
    return DEFAULT_CASES_SAMPLE if key.startswith("fixtures/") else DEFAULT_CASES_BUILTIN


def base_seed() -> int:
    raw = os.environ.get("VERNE_DIFF_SEED", str(DEFAULT_SEED))
    if raw == "random":
        return random.SystemRandom().randrange(1, 2**31)
    return int(raw)


# --------------------------------------------------------------------------------------------
# What a questionnaire asks
# --------------------------------------------------------------------------------------------
def _walk(elements: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for el in elements or []:
        if not isinstance(el, dict):
            continue
        if el.get("type") == "panel":
            yield from _walk(el.get("elements", []))
        elif el.get("name"):
            yield el


def pages_of(survey: dict[str, Any]) -> list[dict[str, Any]]:
    if "pages" in survey:
        return [p for p in survey["pages"] if isinstance(p, dict)]
    return [{"name": "page1", "elements": survey.get("elements", [])}]


def questions_of(survey: dict[str, Any]) -> list[dict[str, Any]]:
    return [q for page in pages_of(survey) for q in _walk(page.get("elements", []))]


def _choice_values(q: dict[str, Any]) -> list[Any]:
    values = []
    for item in q.get("choices") or []:
        values.append(item.get("value") if isinstance(item, dict) else item)
    if not values and q.get("choicesMin") is not None and q.get("choicesMax") is not None:
        step = q.get("choicesStep") or 1
        values = list(range(q["choicesMin"], q["choicesMax"] + 1, step))
    return values


def _rate_values(q: dict[str, Any]) -> list[Any]:
    if q.get("rateValues"):
        return [v.get("value") if isinstance(v, dict) else v for v in q["rateValues"]]
    low, high, step = q.get("rateMin", 1), q.get("rateMax", 5), q.get("rateStep", 1)
    if q.get("rateCount") and "rateMax" not in q:
        high = low + (q["rateCount"] - 1) * step
    return list(range(low, high + 1, step))


# --------------------------------------------------------------------------------------------
# Answer generation
# --------------------------------------------------------------------------------------------
WORDS = [
    "ja",
    "nei",
    "HMS",
    "verneombud",
    "Brannøvelse",
    "øst",
    "Ærlig talt",
    "rutine",
    "avvik",
    "OK",
]
ODD_STRINGS = [
    "",
    " ",
    "   ",
    "\n",
    "abc",
    "12,5",
    "1 500",
    "007",
    "true",
    "null",
    "-1",
    "1e3",
    "Ja ",
]


class Answerer:
    """Makes values for questions; `chaos` is the chance of a wrong or odd value."""

    def __init__(self, rng: random.Random, chaos: float) -> None:
        self.rng = rng
        self.chaos = chaos

    def odd(self) -> Any:
        r = self.rng
        return r.choice(
            [
                r.choice(ODD_STRINGS),
                None,
                r.choice([True, False]),
                r.randint(-5, 200),
                round(r.uniform(-10, 10_000), r.randint(0, 3)),
                [r.choice(WORDS)],
                {"x": 1},
                "zzz_unknown",
            ]
        )

    def text(self) -> str:
        n = self.rng.randint(1, 4)
        return " ".join(self.rng.choice(WORDS) for _ in range(n))

    def number(self, q: dict[str, Any]) -> Any:
        r = self.rng
        low = q.get("min") if isinstance(q.get("min"), (int, float)) else 0
        high = q.get("max") if isinstance(q.get("max"), (int, float)) else max(low + 20, 100)
        if r.random() < self.chaos:
            return r.choice(
                [
                    high + r.randint(1, 50),
                    low - r.randint(1, 5),
                    str(r.randint(int(low), int(min(high, low + 50)))),
                    f"{r.randint(0, 20)},{r.randint(0, 9)}",
                    r.choice(ODD_STRINGS),
                    self.odd(),
                ]
            )
        value = r.randint(int(low), int(min(high, low + r.choice([3, 10, 60]))))
        return value if r.random() < 0.8 else str(value)

    def value_for(self, q: dict[str, Any]) -> Any:
        r = self.rng
        kind = q.get("type")
        chaotic = r.random() < self.chaos
        if kind in ("text", "comment"):
            input_type = q.get("inputType")
            if input_type in ("number", "range"):
                return self.number(q)
            if chaotic:
                return self.odd()
            if input_type == "date":
                return f"20{r.randint(20, 27)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"
            if input_type == "email":
                return r.choice(["kari@example.no", "ola.nordmann@verne.no", "not-an-email"])
            return self.text()
        if kind == "boolean":
            if chaotic:
                return r.choice(["true", "false", 1, 0, "ja", None, ""])
            return r.choice([True, False])
        if kind in ("radiogroup", "dropdown", "imagepicker"):
            values = _choice_values(q)
            extra = (["other"] if q.get("showOtherItem") or q.get("hasOther") else []) + (
                ["none"] if q.get("showNoneItem") or q.get("hasNone") else []
            )
            if chaotic or not values:
                return r.choice(
                    [
                        "zzz_unknown",
                        r.choice(WORDS),
                        str(r.randint(1, 5)),
                        [values[0]] if values else None,
                        None,
                        *extra,
                    ]
                )
            return r.choice(values + extra)
        if kind in ("checkbox", "tagbox", "ranking"):
            values = _choice_values(q)
            extra = (["other"] if q.get("showOtherItem") or q.get("hasOther") else []) + (
                ["none"] if q.get("showNoneItem") or q.get("hasNone") else []
            )
            pool = values + extra
            if chaotic or not pool:
                return r.choice(
                    [
                        [],
                        "zzz_unknown",
                        ["zzz_unknown"],
                        [*pool[:1], "zzz_unknown"],
                        pool[:1][0] if pool else None,
                        None,
                    ]
                )
            picked = r.sample(pool, k=r.randint(1, min(len(pool), 4)))
            return picked
        if kind == "rating":
            rates = _rate_values(q)
            if chaotic or not rates:
                return r.choice(
                    [rates[-1] + 1 if rates else 99, 0, str(r.choice(rates or [3])), "x", None]
                )
            return r.choice(rates)
        if kind == "matrix":
            cols = _choice_values({"choices": q.get("columns")})
            rows = _choice_values({"choices": q.get("rows")})
            value: dict[str, Any] = {}
            for row in rows:
                if r.random() < 0.8:
                    value[str(row)] = (
                        r.choice(cols)
                        if cols and r.random() > self.chaos
                        else r.choice(["zzz", 99, ""])
                    )
            return value
        if kind == "multipletext":
            return {
                item["name"]: self.value_for({"type": "text", **item})
                for item in q.get("items", [])
                if isinstance(item, dict) and item.get("name") and r.random() < 0.8
            }
        if kind in ("matrixdropdown", "matrixdynamic"):
            cols = [c for c in q.get("columns", []) if isinstance(c, dict) and c.get("name")]

            def row_value() -> dict[str, Any]:
                row = {}
                for col in cols:
                    if col.get("cellType") == "expression" or r.random() < 0.3:
                        continue
                    cell = {"type": col.get("cellType") or q.get("cellType") or "dropdown", **col}
                    if cell["type"] == "dropdown" and not cell.get("choices"):
                        cell["choices"] = q.get("choices") or [1, 2, 3]
                    row[col["name"]] = self.value_for(cell)
                return row

            if kind == "matrixdropdown":
                rows = _choice_values({"choices": q.get("rows")})
                return {str(row): row_value() for row in rows if r.random() < 0.7}
            return [row_value() for _ in range(r.randint(0, 3))]
        if kind == "paneldynamic":
            template = list(_walk(q.get("templateElements", [])))
            panels = []
            for _ in range(r.randint(0, 3)):
                panels.append(
                    {
                        t["name"]: self.value_for(t)
                        for t in template
                        if t.get("type") not in ("expression", "html", "image")
                        and r.random() < 0.75
                    }
                )
            return panels
        if kind in ("expression", "html", "image"):
            return self.odd() if chaotic else None
        return self.odd()


def make_case(survey: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """One runner input: a random mix of data, answers and navigation."""
    answerer = Answerer(rng, chaos=rng.choice([0.0, 0.1, 0.25, 0.5]))
    questions = [q for q in questions_of(survey) if q.get("type") not in ("html", "image")]
    pages = [p.get("name") for p in pages_of(survey) if p.get("name")]
    share = rng.choice([0.2, 0.5, 0.8, 1.0])
    chosen = [
        q
        for q in questions
        if rng.random() < share and (q.get("type") != "expression" or rng.random() < 0.1)
    ]
    pairs = [[q["name"], answerer.value_for(q)] for q in chosen]
    if rng.random() < 0.3:
        rng.shuffle(pairs)

    case: dict[str, Any] = {"survey": survey, "now": NOW}
    locale = rng.choice([None, None, "nb", "no", "en"])
    if locale:
        case["locale"] = locale
    mode = rng.choices(["answers", "data", "mixed", "actions"], weights=[40, 20, 15, 25])[0]
    if mode == "answers":
        case["answers"] = pairs
    elif mode == "data":
        case["data"] = {name: value for name, value in pairs if value is not None}
    elif mode == "mixed":
        cut = rng.randint(0, len(pairs))
        case["data"] = {name: value for name, value in pairs[:cut] if value is not None}
        case["answers"] = pairs[cut:]
    else:
        steps: list[dict[str, Any]] = []
        for name, value in pairs:
            steps.append({"do": "answer", "name": name, "value": value})
            if rng.random() < 0.15:
                steps.append(rng.choice(_navigation(pages, rng)))
        steps.append(
            rng.choice(
                [{"do": "complete"}, {"do": "next"}, {"do": "doComplete"}, {"do": "snapshot"}]
            )
        )
        case["actions"] = steps
    return case


def _navigation(pages: list[str], rng: random.Random) -> list[dict[str, Any]]:
    moves: list[dict[str, Any]] = [
        {"do": "next"},
        {"do": "prev"},
        {"do": "validatePage"},
        {"do": "complete"},
    ]
    if pages:
        moves.append({"do": "goToPage", "name": rng.choice(pages)})
        moves.append({"do": "validatePage", "name": rng.choice(pages)})
    return moves


def generate(survey: dict[str, Any], count: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [make_case(survey, random.Random(rng.randrange(2**32))) for _ in range(count)]


# --------------------------------------------------------------------------------------------
# The test
# --------------------------------------------------------------------------------------------
def _label(key: str) -> str:
    return key.replace("/", "-")


@pytest.mark.skipif(
    SKIP_REASON is not None, reason=f"differential test needs the oracle: {SKIP_REASON}"
)
@pytest.mark.parametrize(("key", "path"), questionnaires(), ids=[k for k, _ in questionnaires()])
def test_differential(
    key: str, path: Path, engine_batch: EngineBatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    survey = _survey_json(json.loads(path.read_text(encoding="utf-8")))
    if survey is None:
        pytest.skip(f"{path} holds no SurveyJS JSON (no pages/elements)")
    seed = base_seed()
    # Mix the questionnaire into the seed so every file gets its own answer sets.
    file_seed = seed ^ int.from_bytes(key.encode("utf-8")[:8].ljust(8, b"\0"), "big") % (2**31)
    inputs = generate(survey, case_count(key, survey), file_seed)

    expected = harness.run_oracle(inputs)
    got = engine_batch(f"differential/{key}/{seed}", inputs)

    failures = []
    for i, (inp, want_raw, got_raw) in enumerate(zip(inputs, expected, got, strict=True)):
        problem = harness.explain(want_raw, got_raw, function_mode=False, limit=12)
        if problem is not None:
            failures.append((i, inp, problem))
    if not failures:
        return

    out_dir = tmp_path_factory.mktemp(f"diff-{_label(key)}")
    repro = out_dir / "failing_inputs.json"
    repro.write_text(harness.dump_json([inp for _, inp, _ in failures]), encoding="utf-8")
    lines = [
        f"{len(failures)} of {len(inputs)} generated cases differ for {key} "
        f"(VERNE_DIFF_SEED={seed}, VERNE_DIFF_CASES={len(inputs)}); inputs in {repro}",
    ]
    for i, inp, problem in failures[:5]:
        brief = {k: v for k, v in inp.items() if k != "survey"}
        text = json.dumps(brief, ensure_ascii=False)
        lines.append(f"case #{i}: {text[:400]}{'...' if len(text) > 400 else ''}")
        lines.append(problem)
    pytest.fail("\n".join(lines), pytrace=False)


def test_generator_is_reproducible() -> None:
    """Same seed, same inputs; another seed, other inputs (no Node needed)."""
    survey = _survey_json(
        json.loads((harness.FIXTURES_DIR / "hms_report_sample.json").read_text(encoding="utf-8"))
    )
    assert survey is not None
    first = generate(survey, 15, 7)
    assert first == generate(survey, 15, 7)
    assert first != generate(survey, 15, 8)
    assert all(set(c) <= {"survey", "now", "locale", "answers", "data", "actions"} for c in first)
    kinds = {k for c in first for k in c if k in ("answers", "data", "actions")}
    assert len(kinds) >= 2, kinds


def test_generator_makes_odd_values() -> None:
    """The generated answers include wrong types, empty strings and unknown choice values."""
    survey = _survey_json(
        json.loads((harness.FIXTURES_DIR / "hms_report_sample.json").read_text(encoding="utf-8"))
    )
    assert survey is not None
    seen: list[Any] = []
    for case in generate(survey, 200, 11):
        seen.extend(v for _, v in case.get("answers", []))
        seen.extend(case.get("data", {}).values())
        seen.extend(s.get("value") for s in case.get("actions", []) if s.get("do") == "answer")
    flat = json.dumps(seen, ensure_ascii=False)
    assert "zzz_unknown" in flat
    assert '""' in flat
    assert any(isinstance(v, str) and v.strip("-").isdigit() for v in seen)
    assert any(isinstance(v, str) and set(v) <= set(string.whitespace) and v for v in seen)
