"""Time-based work on actions and deviations: deadline reminders, overdue notices, escalation.

Run by `manage.py workflows_tick` (cron or a systemd timer). Each due row is claimed with a
conditional UPDATE in its own transaction: the candidate query narrowed to the row, e.g.
`candidates.filter(pk=..., reminder_sent_at__isnull=True).update(reminder_sent_at=now) == 1`, so
status and deadline are checked again as the row is claimed. Its email is enqueued when that
transaction commits. A row another copy of the command has claimed updates 0 rows here and is
skipped: nothing is sent twice.

Actions: the deadline is `due_date`; reminders and overdue notices go to the owner.
Deviations: the deadline is the handling deadline (`deadline`); notices go to the case handler
(or, when it has none, the unit's case handlers and leaders), and the verneombud of the unit's
safety area is told when the deadline has passed (aml. § 6-2: the verneombud follows deviations).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from core.models import User

from ..models import ActionItem, Deviation
from ..notifications import (
    notify,
    parent_leaders,
    unit_case_handlers,
    unit_leaders,
    unit_verneombud,
)
from ..selectors import workflow_settings
from ._common import audit

ACTIVE = list(ActionItem.ACTIVE)
DEVIATION_OPEN = list(Deviation.OPEN_STATUSES)


def _claim_each(verb: str, candidates: QuerySet[Any], column: str, send: Callable[[Any], int]) -> int:
    """Claim each candidate row by setting `column`, then `send` its emails and audit `verb`.
    Returns the rows claimed here."""
    model: type[Model] = candidates.model
    ids = list(candidates.order_by("pk").values_list("pk", flat=True))
    sent = 0
    for pk in ids:
        with transaction.atomic():
            claimed = candidates.filter(pk=pk, **{f"{column}__isnull": True}).update(**{column: timezone.now()})
            if claimed != 1:
                continue
            row = model._default_manager.select_related("unit__parent").get(pk=pk)
            recipients = send(row)
            audit(actor=None, verb=verb, target=row, unit=row.unit, data={"recipients": recipients})
            sent += 1
    return sent


# ----------------------------------------------------------------------------- actions


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


def actions_send_reminders(*, today: dt.date | None = None) -> int:
    """Remind owners N days (the organisation's setting) before the deadline. Returns actions claimed."""
    today = today or timezone.localdate()
    return _claim_each(
        "action.reminder", reminder_candidates(today), "reminder_sent_at",
        lambda a: notify("action_reminder", recipients=[a.owner], target=a),
    )  # fmt: skip


def actions_send_overdue_notices(*, today: dt.date | None = None) -> int:
    """Tell the owner (and the unit's leaders) once that the deadline has passed."""
    today = today or timezone.localdate()
    return _claim_each(
        "action.overdue", overdue_candidates(today), "overdue_notice_sent_at",
        lambda a: notify("action_overdue", recipients=[a.owner, *unit_leaders(a.unit)], target=a),
    )  # fmt: skip


def actions_escalate_overdue(*, today: dt.date | None = None) -> int:
    """After M days overdue, tell the leader of the unit above."""
    today = today or timezone.localdate()

    def send(action: ActionItem) -> int:
        days = (today - action.due_date).days if action.due_date else 0
        return notify("action_escalated", recipients=parent_leaders(action.unit), target=action, extra={"days": days})

    return _claim_each("action.escalation", escalation_candidates(today), "escalated_at", send)


# ----------------------------------------------------------------------------- deviations


def deviation_reminder_candidates(today: dt.date) -> QuerySet[Deviation]:
    days = workflow_settings().reminder_days_before
    return Deviation.objects.filter(
        status__in=DEVIATION_OPEN, reminder_sent_at__isnull=True,
        deadline__gte=today, deadline__lte=today + dt.timedelta(days=days),
    )  # fmt: skip


def deviation_overdue_candidates(today: dt.date) -> QuerySet[Deviation]:
    return Deviation.objects.filter(status__in=DEVIATION_OPEN, overdue_notice_sent_at__isnull=True, deadline__lt=today)


def deviation_escalation_candidates(today: dt.date) -> QuerySet[Deviation]:
    days = workflow_settings().escalation_days_overdue
    return Deviation.objects.filter(
        status__in=DEVIATION_OPEN, escalated_at__isnull=True, deadline__lt=today - dt.timedelta(days=days)
    )


def _handlers(deviation: Deviation) -> list[User]:
    """The case handler; when there is none (or they have left), the unit's case handlers and leaders."""
    if deviation.case_handler is not None and deviation.case_handler.is_active:
        return [deviation.case_handler]
    return [*unit_case_handlers(deviation.unit), *unit_leaders(deviation.unit)]


def deviations_send_reminders(*, today: dt.date | None = None) -> int:
    """Remind the case handler N days before the handling deadline. Returns deviations claimed."""
    today = today or timezone.localdate()
    return _claim_each(
        "deviation.reminder", deviation_reminder_candidates(today), "reminder_sent_at",
        lambda d: notify("deviation_reminder", recipients=_handlers(d), target=d),
    )  # fmt: skip


def deviations_send_overdue_notices(*, today: dt.date | None = None) -> int:
    """Tell the case handler, the unit's leaders and its verneombud once that the deadline has passed."""
    today = today or timezone.localdate()
    return _claim_each(
        "deviation.overdue", deviation_overdue_candidates(today), "overdue_notice_sent_at",
        lambda d: notify("deviation_overdue", target=d,
                         recipients=[*_handlers(d), *unit_leaders(d.unit), *unit_verneombud(d.unit)]),
    )  # fmt: skip


def deviations_escalate_overdue(*, today: dt.date | None = None) -> int:
    """After M days overdue, tell the leader of the unit above."""
    today = today or timezone.localdate()

    def send(deviation: Deviation) -> int:
        days = (today - deviation.deadline).days if deviation.deadline else 0
        return notify("deviation_escalated", recipients=parent_leaders(deviation.unit), target=deviation,
                      extra={"days": days})  # fmt: skip

    return _claim_each("deviation.escalation", deviation_escalation_candidates(today), "escalated_at", send)
