"""'Mine oppgaver': responses waiting for the person (to answer or to sign)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.tasks_registry import TaskItem, TaskSection

from .selectors import individual_campaigns_open_for, response_tasks_for_user


def response_tasks(request: HttpRequest) -> TaskSection | None:
    user = request.user
    if not user.is_authenticated:
        return None
    items = []
    tasks = response_tasks_for_user(user)  # type: ignore[arg-type]
    for task in tasks:
        r = task.response
        title = f"{r.version.questionnaire.title} – {r.unit_name}"
        if task.action == "sign":
            url = reverse("response_review", kwargs={"response_id": r.pk})
            detail = _("venter på din signatur")
        else:
            url = reverse("response_wizard", kwargs={"response_id": r.pk})
            detail = _("skal besvares") if r.status != "reopened" else _("gjenåpnet – må signeres på nytt")
        items.append(TaskItem(title=title, url=url, detail=detail, due=task.due, overdue=task.overdue))
    started = {t.response.campaign_id for t in tasks if t.response.person_id}
    today = timezone.localdate()
    for campaign in individual_campaigns_open_for(user):  # type: ignore[arg-type]
        if campaign.pk in started:
            continue
        items.append(TaskItem(title=campaign.title, url=reverse("campaign_answer", kwargs={"campaign_id": campaign.pk}),
                              detail=_("skal besvares"), due=campaign.closes_on, overdue=campaign.closes_on < today))  # fmt: skip
    return TaskSection(
        key="responses", title=_("Skjemaer å besvare og signere"), items=items,
        empty_text=_("Ingen skjemaer venter på deg."),
    )  # fmt: skip
