#!/usr/bin/env python3
"""Regenerate tests/engine/expr_expected/expected.json with the survey-core reference runner.

    python tests/engine/expr_regen.py            # run every case in cases.json through Node
    python tests/engine/expr_regen.py --check    # change nothing; exit 1 if expected.json is stale
    python tests/engine/expr_regen.py --diff     # also show where Python disagrees with Node

``cases.json`` is the source of truth (edit it by hand: ``{"id": ..., "case": {...}}``, where a
case is the runner's function mode ``{"expression", "values", "now"?, "tz"?}``). The runner is
``$SURVEYJS_RUNNER``, else ``../shared/surveyjs/surveyjs_eval.mjs`` next to the repository (the
reference runner), else the in-repo oracle ``tests/engine/oracle/oracle.mjs``. Expected outputs
are computed with ``TZ=UTC`` unless a case pins ``tz``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent / "expr_expected"
CASES = HERE / "cases.json"
EXPECTED = HERE / "expected.json"


def find_runner() -> Path | None:
    candidates = [
        os.environ.get("SURVEYJS_RUNNER", ""),
        str(ROOT.parent / "shared" / "surveyjs" / "surveyjs_eval.mjs"),
        str(ROOT / "tests" / "engine" / "oracle" / "oracle.mjs"),
    ]
    for c in candidates:
        if c and Path(c).is_file():
            return Path(c)
    return None


def run_node(runner: Path, cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    env = dict(os.environ, TZ="UTC", SURVEY_ORACLE_TZ="UTC")
    proc = subprocess.run(
        ["node", str(runner)],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        cwd=runner.parent,
        env=env,
        check=True,
    )
    out: list[dict[str, Any]] = json.loads(proc.stdout)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--diff", action="store_true")
    args = parser.parse_args(argv)
    runner = find_runner()
    if runner is None or shutil.which("node") is None:
        print("Node or the survey-core runner is not available", file=sys.stderr)
        return 2
    entries = json.loads(CASES.read_text(encoding="utf-8"))
    outputs = run_node(runner, [e["case"] for e in entries])
    expected = {e["id"]: out for e, out in zip(entries, outputs, strict=True)}
    old = json.loads(EXPECTED.read_text(encoding="utf-8")) if EXPECTED.exists() else {}
    changed = sorted(k for k in expected if old.get(k) != expected[k]) + sorted(set(old) - set(expected))
    if args.diff:
        sys.path.insert(0, str(ROOT))
        from surveys.engine.expressions import run_function_case

        for e in entries:
            got = run_function_case(e["case"])
            want = dict(expected[e["id"]])
            got.pop("warnings", None)
            want.pop("warnings", None)
            if got != want:
                print(f"python differs: {e['id']}: {e['case']['expression']!r}\n  node {want}\n  py   {got}")
    if args.check:
        for k in changed:
            print(f"stale: {k}")
        return 1 if changed else 0
    EXPECTED.write_text(json.dumps(expected, ensure_ascii=True, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(expected)} cases written to {EXPECTED.relative_to(ROOT)} ({len(changed)} changed)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
