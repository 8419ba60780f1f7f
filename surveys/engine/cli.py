"""Command line: ``python -m surveys.engine [--messages verne] [--strict] [file]``.

Reads one case object or an array of cases (the reference runner's input contract) from the
file or stdin and prints the outputs (keys sorted, special values encoded like the runner).
Definitions are cached by content, so a batch against one definition parses it once.

Errors never produce a traceback: invalid JSON input gives ``{"error": {...}}`` with the
line/column/position; a case that is not an object or whose definition fails (with
``--strict``, which runs the definition validator) gives an object with ``exception`` and
``error`` (``path``/``code``/``message`` per problem).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from surveys.engine.jsutil import json_clone


def _error_doc(message: str, **extra: Any) -> dict[str, Any]:
    return {"error": {"message": message, **extra}}


def _strict_check(case: Any, where: str) -> dict[str, Any] | None:
    if not isinstance(case, dict) or "survey" not in case:
        return None
    from surveys.engine.loader import DefinitionError, load_survey

    try:
        load_survey(json_clone(case["survey"]))
    except DefinitionError as exc:
        prefix = f"{where}.survey" if where else "survey"

        def full(path: str) -> str:
            if not path or path == "$":
                return prefix
            return prefix + (path if path.startswith("[") else "." + path)

        problems = [{**p, "path": full(str(p.get("path") or ""))} for p in exc.errors]
        return {"exception": str(exc), "error": {"message": str(exc), "problems": problems}}
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m surveys.engine", description=__doc__.splitlines()[0]
    )
    parser.add_argument("file", nargs="?", help="read the input from this file instead of stdin")
    parser.add_argument("--messages", choices=("survey-core", "verne"), default="survey-core")
    parser.add_argument("--strict", action="store_true", help="validate definitions first")
    parser.add_argument("--compact", action="store_true", help="print compact JSON")
    args = parser.parse_args(argv)
    try:
        if args.file:
            with open(args.file, encoding="utf-8") as fh:
                text = fh.read()
        else:
            text = sys.stdin.read()
    except OSError as exc:
        print(json.dumps(_error_doc(f"cannot read input: {exc}")), file=sys.stdout)
        return 2
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        doc = _error_doc(
            f"the input is not valid JSON: {exc.msg}",
            line=exc.lineno,
            column=exc.colno,
            position=exc.pos,
        )
        print(json.dumps(doc, ensure_ascii=False))
        return 2
    from surveys.engine.runner import run_case, sort_keys_deep

    def one(case: Any, where: str) -> Any:
        if args.strict:
            bad = _strict_check(case, where)
            if bad is not None:
                return sort_keys_deep(bad)
        if not isinstance(case, dict):
            return {
                "exception": f"Error: the case at {where or '<root>'} is not a JSON object",
                "error": {"path": where or "<root>"},
            }
        if "survey" in case and not isinstance(case["survey"], dict):
            return {
                "exception": f"Error: {where or '<root>'}.survey must be a JSON object",
                "error": {"path": (where + "." if where else "") + "survey"},
            }
        return run_case(case, messages=args.messages)

    out = (
        [one(c, f"[{i}]") for i, c in enumerate(data)] if isinstance(data, list) else one(data, "")
    )
    if args.compact:
        sys.stdout.write(json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n")
    else:
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    return 0
