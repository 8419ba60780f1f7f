"""Generated from the URL configuration: every view that shows or exports anonymous results
refuses a group of N−1 and shows a group of N (N from VERNE_MIN_GROUP_SIZE)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.models import Role
from surveys.models import Campaign
from tests.conftest import Org
from tests.surveys.anon_support import (
    add_employees,
    barometer_answer,
    close,
    issue,
    load_version,
    submit_direct,
)
from tests.surveys.conftest import client_for


def _patterns() -> list[URLPattern]:
    out: list[URLPattern] = []

    def walk(patterns: list[Any]) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns)
            elif isinstance(p, URLPattern):
                out.append(p)

    walk(get_resolver().url_patterns)
    return out


RESULT_URLS = sorted(p.name for p in _patterns() if getattr(p.callback, "verne_results_output", False) and p.name)


def test_every_results_view_is_marked() -> None:
    """Views of surveys.anon that look like results or exports must carry @reports_output."""
    suspicious = {
        p.name for p in _patterns()
        if p.name and p.callback.__module__.startswith("surveys.anon") and ("results" in p.name or "csv" in p.name)
        and p.name != "anon_results_index"
    }  # fmt: skip
    assert suspicious and suspicious <= set(RESULT_URLS), suspicious - set(RESULT_URLS)
    assert {"anon_results", "anon_results_csv"} <= set(RESULT_URLS)


def _campaign(org: Org, n: int, capture: Any) -> Campaign:
    version = load_version("hms_barometer")
    staff = add_employees(org.a, n)
    campaign = issue(org, version, [org.a], capture)
    for person in staff:
        submit_direct(campaign, person, barometer_answer(b_vo_trained="partly"))
    return close(org, campaign)


def _shows_results(url_name: str, body: bytes, n: int) -> bool:
    text = body.decode("utf-8-sig")
    if url_name.endswith("_csv"):
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        counts = [r[5] for r in rows[1:] if len(r) > 5 and r[5]]
        return str(n) in counts
    return "data-result-shown" in text


@pytest.mark.parametrize("group_size", [5, 7])
@pytest.mark.parametrize("url_name", RESULT_URLS)
@pytest.mark.parametrize("role", [Role.HMS_ADMIN, Role.LEADER])
def test_a_group_of_n_minus_one_is_refused_and_n_is_shown(
    org: Org, settings: Any, django_capture_on_commit_callbacks: Any, url_name: str, group_size: int, role: Role
) -> None:
    settings.VERNE_MIN_GROUP_SIZE = group_size
    viewer = client_for(org.person(role, "a"))
    small = _campaign(org, group_size - 1, django_capture_on_commit_callbacks)
    r = viewer.get(reverse(url_name, kwargs={"campaign_id": small.pk, "code": org.a.code}))
    assert r.status_code in (200, 404)
    if r.status_code == 200:
        assert not _shows_results(url_name, r.content, group_size - 1)
        assert "Delvis" not in r.content.decode("utf-8-sig").split("<main", 1)[-1] or url_name.endswith("_csv")
    # The same person, organisation and page with N answers shows them.
    big = _campaign(org, group_size, django_capture_on_commit_callbacks)
    r = viewer.get(reverse(url_name, kwargs={"campaign_id": big.pk, "code": org.a.code}))
    assert r.status_code == 200
    assert _shows_results(url_name, r.content, group_size)
