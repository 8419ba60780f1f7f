"""Parity with survey-core 3.1.1: one test per case of tests/engine/cases/.

Each case file is run through the Python engine once (one batch); every case is then compared
with tests/engine/expected/<file>.json, which the survey-core oracle generated
(``python tests/engine/regen_expected.py``). Node is not needed here.

What is compared (docs/engine.md, "What the parity test compares"):

* survey mode: state, currentPage, visiblePages, visibleQuestions, enabledQuestions,
  requiredQuestions, visiblePanels, panels, questions, pages, values, calculatedValues,
  expressions, variables, choices, dynamicPanels, matrices, multipleText,
  canBeCompletedByTrigger, errors (type, text, notificationType), pageValid,
  valuesAfterValidation (the values validation left behind), and per action step: do, via,
  result, state, currentPage, values, pageErrors and its snapshot (same keys, no errors);
* function mode: parsed, variables, result, condition, and whether there is a parse error;
* both: whether survey-core threw (``exception``), not the message.

Never compared: jsonErrors and warnings texts. Absent optional maps (choices, matrices, ...)
count as empty, an absent canBeCompletedByTrigger as false.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest

from tests.engine.conftest import EngineBatch
from tests.engine.oracle import harness

CORPUS = harness.load_corpus()
CASES = [case for cases in CORPUS.values() for case in cases]


@cache
def _expected(stem: str) -> dict[str, Any]:
    return harness.load_expected(stem)


def _short_input(case: harness.Case, limit: int = 700) -> str:
    text = json.dumps(case.input, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= limit else text[: limit - 3] + "..."


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_parity(case: harness.Case, engine_batch: EngineBatch) -> None:
    entry = _expected(case.file).get(case.id)
    if entry is None:
        pytest.fail(
            f"no expected output for {case.id} in expected/{case.file}.json; "
            "run `python tests/engine/regen_expected.py`",
            pytrace=False,
        )
    if entry.get("input_sha256") != case.input_hash:
        pytest.fail(
            f"expected/{case.file}.json is stale for {case.id} (the case input changed); "
            "run `python tests/engine/regen_expected.py`",
            pytrace=False,
        )
    batch = CORPUS[case.file]
    outputs = engine_batch(f"cases/{case.file}", [c.input for c in batch])
    got_raw = outputs[batch.index(case)]
    want_raw = entry["output"]

    problem = harness.explain(want_raw, got_raw, function_mode=case.is_function_mode)
    if problem is not None:
        header = f"{case.id} ({case.file}): {case.description}"
        pytest.fail(f"{header}\n{problem}\n  input: {_short_input(case)}", pytrace=False)
