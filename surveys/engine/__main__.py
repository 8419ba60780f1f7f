"""``python -m surveys.engine``: the reference runner's contract (see :mod:`surveys.engine.cli`)."""

from surveys.engine.cli import main

raise SystemExit(main())
