"""Regenerates the two generated files: ``schema.json`` and the SurveyJS registration script.

Run ``python -m surveys.engine.definition.build`` after changing ``schema_source.py`` or
``verne.py``; ``--check`` exits with status 1 when a file is stale (tests do the same check).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from surveys.engine.definition.jsgen import JS_PATH, generate_js
from surveys.engine.definition.schema_source import build_schema

__all__ = ["SCHEMA_PATH", "main", "schema_text"]

SCHEMA_PATH = Path(__file__).resolve().parent / "schema.json"


def schema_text() -> str:
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"


def _outputs() -> dict[Path, str]:
    return {SCHEMA_PATH: schema_text(), JS_PATH: generate_js()}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    check = "--check" in args
    stale = []
    for path, text in _outputs().items():
        current = path.read_text("utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(path)
        if not check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, "utf-8")
    for path in stale:
        print(f"{'stale' if check else 'wrote'}: {path}")
    return 1 if check and stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
