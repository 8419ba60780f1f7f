"""'Mine oppgaver': anonymous surveys the person has been invited to and not answered yet.

Only the person sees this about themselves; nobody else can see who has answered.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.tasks_registry import TaskItem, TaskSection

from .selectors import open_participations_for_user


def anonymous_survey_tasks(request: HttpRequest) -> TaskSection | None:
    user = request.user
    if not user.is_authenticated:
        return None
    today = timezone.localdate()
    items = [
        TaskItem(
            title=p.campaign.title,
            url=reverse("anon_home", kwargs={"campaign_id": p.campaign_id}),
            detail=_("anonym undersøkelse"),
            due=p.campaign.closes_on,
            overdue=p.campaign.closes_on < today,
        )
        for p in open_participations_for_user(user)  # type: ignore[arg-type]
    ]
    if not items:
        return None
    return TaskSection(key="anonymous_surveys", title=_("Undersøkelser å svare på"), items=items)
