"""The follow-up proposals a questionnaire's rules make, as the surveys wizard hands them over.

The surveys app evaluates the questionnaire's `verneFollowUps` rules, shows the matching ones on
the review page (where the leader and the verneombud may choose an owner and change the
deadline) and, when the second signature submits the response, calls

    workflows.services.followup_actions_sync(
        actor=second_signer, response=response, proposals=[FollowUpProposal(...), ...],
        signed_at=submitted_at,
    )

which creates the actions (or links to an open one with the same code in the unit) and cancels
the actions this response created for rules it no longer meets.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils import timezone

if TYPE_CHECKING:
    from core.models import User

# Role names from early sketches (questionnaires.md §0.3) -> core.models.Role values.
LEGACY_ROLE_NAMES = {
    "unit_leader": "leader",
    "safety_rep": "verneombud",
    "hse_coordinator": "hms_coordinator",
    "wec": "amu_member",
}

DEFAULT_DUE_DAYS = 30

_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")


def due_days_from_duration(text: str) -> int | None:
    """Days in an ISO-8601 date duration such as P30D, P2W, P3M (a month counts 30 days)."""
    match = _DURATION.match(text or "")
    if not match or not any(match.groups()):
        return None
    years, months, weeks, days = (int(g) if g else 0 for g in match.groups())
    return years * 365 + months * 30 + weeks * 7 + days


@dataclass(kw_only=True)
class FollowUpProposal:
    """One action a follow-up rule proposes for a response.

    `title` and `description` are {"nb": ..., "en": ...}. `owner` is the person the leader and
    verneombud chose on the review page (None: the first holder of `owner_role` in the unit).
    `due` is the deadline they chose; leave it None to count `due_in_days` (the rule's
    duration) from the second signature, as the issue requires.
    """

    code: str
    title: dict[str, str]
    description: dict[str, str] = field(default_factory=dict)
    owner_role: str = "leader"
    owner: User | None = None
    due: dt.date | None = None
    priority: str = "medium"
    legal_ref: str = ""
    question: str = ""
    question_title: str = ""
    due_in_days: int | None = None

    def deadline(self, signed_at: dt.datetime | dt.date) -> dt.date:
        if self.due is not None:
            return self.due
        if isinstance(signed_at, dt.datetime):
            start = (timezone.localtime(signed_at) if timezone.is_aware(signed_at) else signed_at).date()
        else:
            start = signed_at
        return start + dt.timedelta(days=self.due_in_days if self.due_in_days is not None else DEFAULT_DUE_DAYS)

    @property
    def role(self) -> str:
        return LEGACY_ROLE_NAMES.get(self.owner_role, self.owner_role)
