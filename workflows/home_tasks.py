"""'Mine oppgaver' on the home page: a person's actions, deviations to handle, rounds, reviews.

Each provider returns None when it has nothing for the person, so the page stays short.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.tasks_registry import TaskItem, TaskSection

from . import selectors

LIMIT = 20


def _user(request: HttpRequest):  # type: ignore[no-untyped-def]
    user = request.user
    return user if user.is_authenticated else None


def my_actions_section(request: HttpRequest) -> TaskSection | None:
    user = _user(request)
    if user is None:
        return None
    today = timezone.localdate()
    actions = list(selectors.my_actions(user)[:LIMIT])
    if not actions:
        return None
    return TaskSection(
        key="my-actions",
        title=_("Tiltak du er ansvarlig for"),
        items=[
            TaskItem(
                title=a.display_title, url=reverse("action_detail", kwargs={"pk": a.pk}),
                detail=f"{a.unit.name} · {a.get_status_display()}", due=a.due_date, overdue=a.is_overdue(today),
            )
            for a in actions
        ],
    )


def actions_to_follow_up_section(request: HttpRequest) -> TaskSection | None:
    user = _user(request)
    if user is None:
        return None
    today = timezone.localdate()
    actions = list(selectors.actions_to_follow_up(user)[:LIMIT])
    if not actions:
        return None
    items = []
    for a in actions:
        what = _("bekreft forslaget") if a.status == a.Status.PROPOSED else _("verifiser at det virker")
        items.append(
            TaskItem(title=a.display_title, url=reverse("action_detail", kwargs={"pk": a.pk}),
                     detail=f"{a.unit.name} · {what}", due=a.due_date, overdue=a.is_overdue(today))
        )
    return TaskSection(key="follow-up-actions", title=_("Tiltak å bekrefte eller verifisere"), items=items)


def deviations_section(request: HttpRequest) -> TaskSection | None:
    user = _user(request)
    if user is None:
        return None
    today = timezone.localdate()
    deviations = list(selectors.deviations_to_handle(user)[:LIMIT])
    if not deviations:
        return None
    items = []
    for d in deviations:
        detail = f"{d.unit.name} · {d.get_category_display()} · {d.get_status_display()}"
        if d.legal_notice_outstanding:
            detail += " · " + _("varsle Arbeidstilsynet og politiet")
        items.append(
            TaskItem(title=d.reference, url=reverse("deviation_detail", kwargs={"pk": d.pk}), detail=detail,
                     due=d.deadline, overdue=d.is_overdue(today) or d.legal_notice_outstanding)
        )
    return TaskSection(key="deviations", title=_("Avvik å behandle"), items=items)


def rounds_section(request: HttpRequest) -> TaskSection | None:
    user = _user(request)
    if user is None:
        return None
    today = timezone.localdate()
    rounds = list(selectors.rounds_to_prepare(user)[:LIMIT])
    if not rounds:
        return None
    return TaskSection(
        key="rounds",
        title=_("HMS-runder å planlegge, gå eller oppsummere"),
        items=[
            TaskItem(title=r.title, url=reverse("round_detail", kwargs={"pk": r.pk}),
                     detail=f"{r.unit.name} · {r.get_status_display()}", due=r.planned_date,
                     overdue=r.status == r.Status.PLANNED and r.planned_date < today)
            for r in rounds
        ],
    )


def risk_reviews_section(request: HttpRequest) -> TaskSection | None:
    user = _user(request)
    if user is None:
        return None
    today = timezone.localdate()
    reviews = list(selectors.risk_reviews_due(user)[:LIMIT])
    if not reviews:
        return None
    return TaskSection(
        key="risk-reviews",
        title=_("Risikovurderinger som skal gjennomgås"),
        items=[
            TaskItem(title=ra.title, url=reverse("risk_detail", kwargs={"pk": ra.pk}), detail=ra.unit.name,
                     due=ra.next_review_due, overdue=ra.review_overdue(today))
            for ra in reviews
        ],
    )
