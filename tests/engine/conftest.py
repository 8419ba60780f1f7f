"""Fixtures shared by the engine's parity tests (see docs/engine.md, "How parity is held").

Only session fixtures that a test asks for by name live here, so the other engine tests
(test_expr_*, test_definition_*, test_runtime_*) are not affected by anything in this file.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

import pytest

from tests.engine.oracle import harness

EngineBatch = Callable[[str, list[dict[str, Any]]], list[dict[str, Any]]]


@pytest.fixture(scope="session")
def engine_batch() -> EngineBatch:
    """Runs a named batch of runner inputs through the Python engine once per session.

    ``engine_batch(key, inputs)`` returns the engine's outputs for ``inputs`` (one per input,
    same order). The first call for a key runs the engine; later calls return the cached
    outputs, so a parametrized test runs the engine once per case file, not once per case.
    Fails the calling test (not the session) when the engine cannot run at all.
    """
    try:
        description, runner = harness.engine_runner()
    except harness.EngineUnavailable as exc:
        failure: str | None = str(exc)
        description, runner = "unavailable", None
    else:
        failure = None
    cache: dict[str, list[dict[str, Any]] | str] = {}

    def run(key: str, inputs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if failure is not None:
            pytest.fail(f"the Python engine cannot run: {failure}", pytrace=False)
        if key not in cache:
            try:
                assert runner is not None
                cache[key] = runner(inputs)
            except harness.EngineUnavailable as exc:
                cache[key] = str(exc)
            except Exception as exc:  # an in-process engine crashed on the whole batch
                cache[key] = "".join(traceback.format_exception(exc, limit=-8))
        result = cache[key]
        if isinstance(result, str):
            pytest.fail(f"{description} failed on batch {key!r}:\n{result}", pytrace=False)
        return result

    return run
