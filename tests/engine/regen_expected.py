#!/usr/bin/env python3
"""Regenerate tests/engine/expected/ from tests/engine/cases/ with the survey-core oracle.

    python tests/engine/regen_expected.py              # every case file
    python tests/engine/regen_expected.py 05_visibility 11_validators
    python tests/engine/regen_expected.py --check      # change nothing; exit 1 if stale

Needs Node and node_modules/survey-core (3.1.1). Every case file is run as one batch through
tests/engine/oracle/oracle.mjs with TZ=UTC. Reports, per file, the cases that were added,
removed or whose output changed (with the changed key paths), and deletes expected files
whose case file is gone.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.engine.oracle import harness


def build_expected(cases: list[harness.Case], outputs: list[dict]) -> dict:
    return {
        "survey_core": harness.SURVEY_CORE_VERSION,
        "generated_by": "tests/engine/oracle/oracle.mjs (python tests/engine/regen_expected.py)",
        "cases": {
            case.id: {"input_sha256": case.input_hash, "output": out}
            for case, out in zip(cases, outputs, strict=True)
        },
    }


def describe_changes(old: dict, new: dict) -> list[str]:
    lines = []
    for cid in new:
        if cid not in old:
            lines.append(f"  + {cid}")
            continue
        if old[cid].get("output") != new[cid]["output"]:
            paths = [p for p, _, _ in harness.diff(old[cid].get("output"), new[cid]["output"])]
            shown = ", ".join(paths[:6]) + (f", ... ({len(paths)} paths)" if len(paths) > 6 else "")
            lines.append(f"  ~ {cid}: {shown}")
        elif old[cid].get("input_sha256") != new[cid]["input_sha256"]:
            lines.append(f"  ~ {cid}: input changed, same output")
    lines.extend(f"  - {cid}" for cid in old if cid not in new)
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", help="case file stems (default: all)")
    parser.add_argument("--check", action="store_true", help="only report; exit 1 if stale")
    args = parser.parse_args(argv)

    reason = harness.oracle_unavailable_reason()
    if reason:
        print(f"cannot regenerate: {reason}", file=sys.stderr)
        return 2
    corpus = harness.load_corpus()  # validates every file and the uniqueness of ids
    wanted = [f.removesuffix(".json") for f in args.files] or list(corpus)
    unknown = [f for f in wanted if f not in corpus]
    if unknown:
        print(f"no such case file: {', '.join(unknown)}", file=sys.stderr)
        return 2

    stale = False
    total = 0
    for stem in wanted:
        cases = corpus[stem]
        total += len(cases)
        outputs = harness.run_oracle([c.input for c in cases])
        new = build_expected(cases, outputs)
        path = harness.expected_path(stem)
        old_text = path.read_text(encoding="utf-8") if path.exists() else None
        new_text = harness.dump_json(new)
        if old_text == new_text:
            print(f"{stem}: {len(cases)} cases, unchanged")
            continue
        stale = True
        old_cases = json.loads(old_text).get("cases", {}) if old_text else {}
        changes = describe_changes(old_cases, new["cases"]) or ["  (format only)"]
        print(f"{stem}: {len(cases)} cases, {'would change' if args.check else 'updated'}")
        print("\n".join(changes))
        if not args.check:
            harness.EXPECTED_DIR.mkdir(parents=True, exist_ok=True)
            path.write_text(new_text, encoding="utf-8")

    if not args.files:
        for orphan in sorted(harness.EXPECTED_DIR.glob("*.json")):
            if orphan.stem not in corpus:
                stale = True
                print(f"{orphan.stem}: no case file, {'would delete' if args.check else 'deleted'}")
                if not args.check:
                    orphan.unlink()
    print(f"{total} cases in {len(wanted)} files (survey-core {harness.SURVEY_CORE_VERSION})")
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
