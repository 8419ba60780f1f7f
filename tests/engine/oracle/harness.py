"""Shared plumbing for the parity corpus: case files, the oracle, the engine, and comparison.

Used by ``tests/engine/regen_expected.py``, ``tests/engine/test_parity.py``,
``tests/engine/test_differential.py`` and ``tests/engine/test_corpus_coverage.py``.
Nothing here needs Django; only :func:`run_oracle` needs Node.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[3]
ENGINE_TESTS = REPO / "tests" / "engine"
CASES_DIR = ENGINE_TESTS / "cases"
EXPECTED_DIR = ENGINE_TESTS / "expected"
FIXTURES_DIR = ENGINE_TESTS / "fixtures"
ORACLE = ENGINE_TESTS / "oracle" / "oracle.mjs"
SURVEY_CORE_DIR = REPO / "node_modules" / "survey-core"
SURVEY_CORE_VERSION = "3.1.1"

CASE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CASE_FILE = re.compile(r"^\d\d_[a-z0-9_]+\.json$")


# --------------------------------------------------------------------------------------------
# The corpus
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    file: str  # stem, e.g. "01_operators"
    id: str
    description: str
    input: dict[str, Any]

    @property
    def is_function_mode(self) -> bool:
        return "expression" in self.input

    @property
    def input_hash(self) -> str:
        return input_hash(self.input)


def input_hash(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def case_files() -> list[Path]:
    return sorted(p for p in CASES_DIR.glob("*.json") if CASE_FILE.match(p.name))


def load_case_file(path: Path) -> list[Case]:
    raw = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(raw, list):
        raise ValueError(f"{path.name}: a case file is a JSON array")
    cases = []
    for i, item in enumerate(raw):
        where = f"{path.name}[{i}]"
        if not isinstance(item, dict) or set(item) != {"id", "description", "input"}:
            raise ValueError(f"{where}: a case has exactly the keys id, description, input")
        if not isinstance(item["id"], str) or not CASE_ID.match(item["id"]):
            raise ValueError(f"{where}: bad id {item['id']!r} (lower-case words joined by '-')")
        if not isinstance(item["description"], str) or not item["description"].strip():
            raise ValueError(f"{where}: the description is empty")
        if not isinstance(item["input"], dict):
            raise ValueError(f"{where}: input must be an object")
        cases.append(Case(path.stem, item["id"], item["description"], item["input"]))
    return cases


def load_corpus() -> dict[str, list[Case]]:
    """Every case file by stem; raises ValueError on a malformed file or a duplicate id."""
    corpus = {p.stem: load_case_file(p) for p in case_files()}
    seen: dict[str, str] = {}
    for stem, cases in corpus.items():
        for case in cases:
            if case.id in seen:
                raise ValueError(f"duplicate case id {case.id!r} in {seen[case.id]} and {stem}")
            seen[case.id] = stem
    return corpus


def expected_path(stem: str) -> Path:
    return EXPECTED_DIR / f"{stem}.json"


def load_expected(stem: str) -> dict[str, Any]:
    path = expected_path(stem)
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return dict(data.get("cases", {}))


def dump_json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------------------------
# The oracle (Node + survey-core)
# --------------------------------------------------------------------------------------------
def node_binary() -> str | None:
    return os.environ.get("VERNE_NODE") or shutil.which("node")


def oracle_unavailable_reason() -> str | None:
    """Why the oracle cannot run here, or None when it can."""
    if node_binary() is None:
        return "Node.js is not installed (set VERNE_NODE or put `node` on PATH)"
    pkg = SURVEY_CORE_DIR / "package.json"
    if not pkg.exists():
        return "node_modules/survey-core is missing (run `make npm`)"
    version = json.loads(pkg.read_text(encoding="utf-8")).get("version")
    if version != SURVEY_CORE_VERSION:
        return (
            f"survey-core {version} is installed; parity is defined against {SURVEY_CORE_VERSION}"
        )
    return None


def run_oracle(
    inputs: Sequence[Mapping[str, Any]], *, timeout: float = 600
) -> list[dict[str, Any]]:
    """Runs a batch of runner inputs through the oracle; one output per input, same order."""
    node = node_binary()
    if node is None:
        raise RuntimeError(oracle_unavailable_reason() or "no node")
    env = {k: v for k, v in os.environ.items() if k != "SURVEY_ORACLE_TZ"}
    env["TZ"] = "UTC"
    proc = subprocess.run(
        [node, str(ORACLE)],
        input=json.dumps(list(inputs), ensure_ascii=False),
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=REPO,
        env=env,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"oracle failed ({proc.returncode}): {proc.stderr.strip()[-2000:]}")
    out = json.loads(proc.stdout)
    if not isinstance(out, list) or len(out) != len(inputs):
        raise RuntimeError("oracle returned the wrong number of outputs")
    return out


# --------------------------------------------------------------------------------------------
# The Python engine
# --------------------------------------------------------------------------------------------
EngineRunner = Callable[[list[dict[str, Any]]], list[dict[str, Any]]]


class EngineUnavailable(RuntimeError):
    """The engine could not be run at all (not a parity failure of one case)."""


def _in_process_runner() -> EngineRunner | None:
    try:
        import surveys.engine as engine
    except ImportError:
        return None
    batch = getattr(engine, "run_input", None)
    if callable(batch):
        return lambda inputs: list(batch(inputs))
    single = getattr(engine, "run_case", None)
    if callable(single):
        return lambda inputs: [single(i) for i in inputs]
    return None


def _cli_runner(command: list[str]) -> EngineRunner:
    def run(inputs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        try:
            proc = subprocess.run(
                command,
                input=json.dumps(inputs, ensure_ascii=False),
                capture_output=True,
                text=True,
                encoding="utf-8",
                cwd=REPO,
                env={**os.environ, "TZ": "UTC"},
                timeout=600,
                check=False,
            )
        except OSError as exc:
            raise EngineUnavailable(f"cannot start {shlex.join(command)}: {exc}") from exc
        if proc.returncode != 0:
            tail = proc.stderr.strip().splitlines()[-15:]
            raise EngineUnavailable(
                f"`{shlex.join(command)}` exited with {proc.returncode}:\n" + "\n".join(tail)
            )
        try:
            out = json.loads(proc.stdout)
        except json.JSONDecodeError as exc:
            raise EngineUnavailable(f"`{shlex.join(command)}` printed no JSON: {exc}") from exc
        if not isinstance(out, list) or len(out) != len(inputs):
            raise EngineUnavailable(f"`{shlex.join(command)}` returned the wrong number of outputs")
        return out

    return run


def engine_runner() -> tuple[str, EngineRunner]:
    """(description, runner) for the Python engine.

    ``VERNE_ENGINE_CMD`` replaces the engine by any command with the runner's stdin/stdout
    contract (e.g. the oracle itself, to check the harness). ``VERNE_ENGINE_MODE=cli`` or
    ``inprocess`` forces one way; by default the in-process API (``surveys.engine.run_input``
    or ``run_case``) is used when it exists, else ``python -m surveys.engine``.
    """
    custom = os.environ.get("VERNE_ENGINE_CMD")
    if custom:
        command = shlex.split(custom)
        return shlex.join(command), _cli_runner(command)
    mode = os.environ.get("VERNE_ENGINE_MODE", "auto")
    if mode in ("auto", "inprocess"):
        runner = _in_process_runner()
        if runner is not None:
            return "surveys.engine (in process)", _guard_in_process(runner)
        if mode == "inprocess":
            raise EngineUnavailable("surveys.engine has no run_input()/run_case()")
    command = [sys.executable, "-m", "surveys.engine"]
    return "python -m surveys.engine", _cli_runner(command)


def _guard_in_process(runner: EngineRunner) -> EngineRunner:
    def run(inputs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        # Round-trip through JSON so in-process results are compared exactly like CLI output.
        out = runner(json.loads(json.dumps(inputs)))
        return json.loads(json.dumps(out, ensure_ascii=False, default=_no_json))

    return run


def _no_json(value: Any) -> Any:
    raise TypeError(f"engine output holds a non-JSON value: {value!r}")


# --------------------------------------------------------------------------------------------
# Comparison
# --------------------------------------------------------------------------------------------
# Keys compared in survey mode. jsonErrors and warnings are never compared (texts differ by
# design); exceptions are compared by presence only.
SURVEY_KEYS = (
    "state",
    "currentPage",
    "visiblePages",
    "visibleQuestions",
    "enabledQuestions",
    "requiredQuestions",
    "visiblePanels",
    "panels",
    "questions",
    "pages",
    "values",
    "calculatedValues",
    "expressions",
    "variables",
    "choices",
    "dynamicPanels",
    "matrices",
    "multipleText",
    "canBeCompletedByTrigger",
    "errors",
    "pageValid",
    "valuesAfterValidation",
)
# Keys that the runner leaves out when they are empty (or false); absent == that default.
ABSENT_DEFAULTS: dict[str, Any] = {
    "choices": {},
    "dynamicPanels": {},
    "matrices": {},
    "multipleText": {},
    "canBeCompletedByTrigger": False,
}
STEP_KEYS = ("do", "via", "result", "state", "currentPage", "values", "pageErrors")
FUNCTION_KEYS = ("parsed", "variables", "result", "condition")


class _Missing:
    """A key that one side does not have."""

    def __repr__(self) -> str:
        return "<absent>"


_MISSING = _Missing()


def comparable(output: Mapping[str, Any], *, function_mode: bool) -> dict[str, Any]:
    """The part of a runner output that parity is defined on (see docs/engine.md)."""
    if "exception" in output:
        return {"exception": True}
    if function_mode:
        res = {k: output.get(k, _MISSING) for k in FUNCTION_KEYS}
        res["parseError"] = "parseError" in output
        return res
    return _survey_comparable(output)


def _survey_comparable(output: Mapping[str, Any], *, top: bool = True) -> dict[str, Any]:
    res: dict[str, Any] = {}
    for key in SURVEY_KEYS:
        if key == "valuesAfterValidation":
            if top and "errors" in output:  # validation ran: values it left behind
                res[key] = output.get(key, output.get("values", _MISSING))
            continue
        if key in ("errors", "pageValid") and not top:
            continue
        res[key] = output.get(key, ABSENT_DEFAULTS.get(key, _MISSING))
    if top:
        if "errors" not in output:
            res.pop("errors", None)
            res.pop("pageValid", None)
        if "actions" in output:
            res["actions"] = [_step_comparable(step) for step in output["actions"]]
    return res


def _step_comparable(step: Mapping[str, Any]) -> dict[str, Any]:
    res = {k: step[k] for k in STEP_KEYS if k in step}
    if "snapshot" in step:
        res["snapshot"] = _survey_comparable(step["snapshot"], top=False)
    return res


def diff(expected: Any, got: Any, path: str = "") -> Iterator[tuple[str, Any, Any]]:
    """Yields (key path, expected, got) for every difference, depth first."""
    if expected is _MISSING or got is _MISSING:
        if expected is not got:
            yield path, expected, got
        return
    if isinstance(expected, dict) and isinstance(got, dict):
        for key in list(expected) + [k for k in got if k not in expected]:
            sub = f"{path}.{key}" if path else str(key)
            yield from diff(expected.get(key, _MISSING), got.get(key, _MISSING), sub)
        return
    if isinstance(expected, list) and isinstance(got, list) and len(expected) == len(got):
        for i, (e, g) in enumerate(zip(expected, got, strict=True)):
            yield from diff(e, g, f"{path}[{i}]")
        return
    if not same(expected, got):
        yield path, expected, got


def same(a: Any, b: Any) -> bool:
    """JSON equality that keeps JavaScript's types apart (True is not 1, 1 is 1.0)."""
    if a is _MISSING or b is _MISSING:
        return a is b
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def short(value: Any, limit: int = 160) -> str:
    if value is _MISSING:
        return "<absent>"
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def format_diff(expected: Any, got: Any, *, limit: int = 40) -> str:
    lines = []
    for n, (path, e, g) in enumerate(diff(expected, got)):
        if n == limit:
            lines.append(f"  ... (more differences; {limit} shown)")
            break
        lines.append(f"  {path or '<root>'}: expected {short(e)}, got {short(g)}")
    return "\n".join(lines)


def explain(
    expected_output: Mapping[str, Any],
    got_output: Mapping[str, Any],
    *,
    function_mode: bool,
    limit: int = 40,
) -> str | None:
    """None when the outputs agree on the compared keys, else a compact description."""
    want = comparable(expected_output, function_mode=function_mode)
    got = comparable(got_output, function_mode=function_mode)
    if same(want, got):
        return None
    if ("exception" in expected_output) != ("exception" in got_output):
        if "exception" in expected_output:
            return f"  survey-core throws ({expected_output['exception']}), the engine does not"
        return f"  the engine reports an exception: {got_output['exception']}"
    return format_diff(want, got, limit=limit)
