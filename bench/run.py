"""Run every benchmark in bench/ (make bench). Each prints its own figures and ratios."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    only = sys.argv[1:]
    scripts = sorted(p for p in HERE.glob("*.py") if p.name not in {"run.py", "__init__.py"} and not p.name.startswith("_"))
    if only:
        scripts = [p for p in scripts if p.stem in only]
    if not scripts:
        print("No benchmarks yet.")
        return 0
    failed = []
    for script in scripts:
        print(f"\n=== {script.stem} ===", flush=True)
        started = time.perf_counter()
        env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
        result = subprocess.run([sys.executable, str(script)], cwd=HERE.parent, env=env)
        print(f"--- {script.stem} finished in {time.perf_counter() - started:.1f} s (exit {result.returncode})")
        if result.returncode:
            failed.append(script.stem)
    if failed:
        print(f"\nFailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
