"""Time-based work on actions: deadline reminders, overdue notices, escalation.

Run by `manage.py workflows_tick` (cron or a systemd timer). Each due row is claimed with a
conditional UPDATE (`filter(pk=..., reminder_sent_at__isnull=True).update(...) == 1`) in its own
transaction, and its email is enqueued when that transaction commits. A row another copy of the
command has claimed updates 0 rows here and is skipped: nothing is sent twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from ..models import ActionItem
from ..notifications import notify, parent_leaders, unit_leaders
from ..selectors import workflow_settings
from ._common import audit

ACTIVE = list(ActionItem.ACTIVE)

def reminder_candidates(today: dt.date) -> QuerySet[ActionItem]:
    days = workflow_settings().reminder_days_before
    return ActionItem.objects.filter(
        status__in=ACTIVE, owner__isnull=False, reminder_sent_at__isnull=True,
        due_date__gte=today, due_date__lte=today + dt.timedelta(days=days),
    )  # fmt: skip


def overdue_candidates(today: dt.date) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(
        status__in=ACTIVE, owner__isnull=False, overdue_notice_sent_at__isnull=True, due_date__lt=today
    )


def escalation_candidates(today: dt.date) -> QuerySet[ActionItem]:
    days = workflow_settings().escalation_days_overdue
    return ActionItem.objects.filter(
        status__in=ACTIVE, escalated_at__isnull=True, due_date__lt=today - dt.timedelta(days=days)
    )


def _claim_each(name: str, candidates: QuerySet[ActionItem], column: str, send: Callable[[ActionItem], int]) -> int:
    ids = list(candidates.order_by("pk").values_list("pk", flat=True))
    sent = 0
    for pk in ids:
        with transaction.atomic():
            now = timezone.now()
            claimed = ActionItem.objects.filter(pk=pk, status__in=ACTIVE, **{f"{column}__isnull": True}).update(
                **{column: now}
            )
            if claimed != 1:
                continue
            action = ActionItem.objects.select_related("unit", "owner", "unit__parent").get(pk=pk)
            recipients = send(action)
            audit(actor=None, verb=f"action.{name}", target=action, unit=action.unit, data={"recipients": recipients})
            sent += 1
    return sent


def actions_send_reminders(*, today: dt.date | None = None) -> int:
    """Remind owners N days (the organisation's setting) before the deadline. Returns actions claimed."""
    today = today or timezone.localdate()
    return _claim_each(
        "reminder", reminder_candidates(today), "reminder_sent_at",
        lambda a: notify("action_reminder", recipients=[a.owner], target=a),
    )  # fmt: skip


def actions_send_overdue_notices(*, today: dt.date | None = None) -> int:
    """Tell the owner (and the unit's leaders) once that the deadline has passed."""
    today = today or timezone.localdate()
    return _claim_each(
        "overdue", overdue_candidates(today), "overdue_notice_sent_at",
        lambda a: notify("action_overdue", recipients=[a.owner, *unit_leaders(a.unit)], target=a),
    )  # fmt: skip


def actions_escalate_overdue(*, today: dt.date | None = None) -> int:
    """After M days overdue, tell the leader of the unit above."""
    today = today or timezone.localdate()

    def send(action: ActionItem) -> int:
        days = (today - action.due_date).days if action.due_date else 0
        return notify("action_escalated", recipients=parent_leaders(action.unit), target=action, extra={"days": days})

    return _claim_each("escalation", escalation_candidates(today), "escalated_at", send)
