"""Fixtures for the reports tests (helpers in tests/reports/support.py)."""

from __future__ import annotations

import pytest

from tests.conftest import Org
from tests.reports import support


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Counts of closed campaigns are cached; each test starts without them."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def barometer_years(org: Org) -> list:
    """Barometers for three years: A with 6, 7 and 8 answers, B with 5 each (thresholds 5)."""
    y = support.this_year()
    out = []
    for i, year in enumerate((y - 2, y - 1, y)):
        out.append(support.anon_campaign(org, "hms_barometer", year, {
            org.a: support.mixed_barometers(6 + i, favourable=2 + 2 * i),
            org.b: support.mixed_barometers(5, favourable=4),
        }))  # fmt: skip
    return out
