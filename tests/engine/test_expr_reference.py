"""Function-mode cases compared with outputs recorded from survey-core 3.1.1.

The expected outputs in ``expr_expected/expected.json`` were produced by the reference runner
(``python tests/engine/expr_regen.py``); these tests need no Node. Warning texts are not
compared, only how many warnings survey-core printed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from surveys.engine.expressions import run_function_case

HERE = Path(__file__).resolve().parent / "expr_expected"
CASES: list[dict[str, Any]] = json.loads((HERE / "cases.json").read_text(encoding="utf-8"))
EXPECTED: dict[str, dict[str, Any]] = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))


def test_every_case_has_an_expected_output() -> None:
    assert len(CASES) >= 150
    assert {c["id"] for c in CASES} == set(EXPECTED)


def test_the_surprises_are_covered() -> None:
    groups = {c["id"].rsplit("-", 1)[0] for c in CASES}
    # surprises 1-12 and 22 of the runner README, plus syntax errors and odd values
    assert {"eq", "empty", "conv", "truth", "syntax", "patch", "arith", "path", "contains",
            "round", "fn", "date", "ctx", "misc"} <= groups


@pytest.mark.parametrize("entry", CASES, ids=[c["id"] for c in CASES])
def test_function_case_matches_survey_core(entry: dict[str, Any]) -> None:
    got = run_function_case(entry["case"])
    want = dict(EXPECTED[entry["id"]])
    got_warnings = got.pop("warnings", [])
    want_warnings = want.pop("warnings", [])
    assert got == want, entry["case"]["expression"]
    assert len(got_warnings) == len(want_warnings)
