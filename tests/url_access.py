"""What each URL is for, permission-wise. The generated URL test walks this registry.

Every named URL pattern must be listed here (a test enforces it), so a new view cannot
be added without saying who may open it. Later features add their entries to SPECS.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.permissions import Perm
from tests.conftest import Org

KwargsFn = Callable[[Org, str], dict[str, Any]]


@dataclass(frozen=True)
class UrlSpec:
    perm: Perm | None = None  # None: any logged-in person (the page filters its content)
    kwargs: KwargsFn | None = None  # (org, side "a"/"b") -> URL kwargs for that unit's object
    public: bool = False  # reachable without logging in
    method: str = "GET"
    skip: str = ""  # why the generic walk does not apply (tested elsewhere)
    data: KwargsFn | None = None  # POST data for (org, side), when an empty POST is not enough


def unit_code(org: Org, side: str) -> dict[str, Any]:
    return {"code": (org.a if side == "a" else org.b).code}


SPECS: dict[str, UrlSpec] = {
    "home": UrlSpec(),
    "login": UrlSpec(public=True),
    "logout": UrlSpec(public=True, method="POST", skip="logging out is tested in test_web_shell"),
    "language_set": UrlSpec(public=True, method="POST", skip="tested in test_web_shell"),
    "unit_list": UrlSpec(),
    "unit_detail": UrlSpec(perm=Perm.UNIT_VIEW, kwargs=unit_code),
}


def register(name: str, spec: UrlSpec) -> None:
    SPECS[name] = spec


# Follow-up work (workflows app): actions, deviations, rounds, risk assessments, årshjul.
from tests.workflows.url_specs import workflow_specs  # noqa: E402

SPECS.update(workflow_specs(UrlSpec))

# Questionnaires, campaigns and responses (surveys app).
from tests.surveys.url_specs import survey_specs  # noqa: E402

SPECS.update(survey_specs(UrlSpec))

# Trends, the AMU report, exports, goals and the reports API (reports app).
from tests.reports.url_specs import report_specs  # noqa: E402

SPECS.update(report_specs(UrlSpec))

# Single sign-on, privacy duties and operations (issue 8).
from tests.privacy.url_specs import issue8_specs  # noqa: E402

SPECS.update(issue8_specs(UrlSpec))
