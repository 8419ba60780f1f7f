"""The unit's action plan (list, filters, exports) and one action with its allowed transitions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.models import OrgUnit, User
from core.permissions import Perm, has_perm

from .. import exports, services
from ..forms import (
    ActionConfirmForm,
    ActionCreateForm,
    ActionPlanFilterForm,
    ActionUpdateForm,
    CompleteForm,
    ReasonForm,
    VerifyForm,
)
from ..models import ActionItem
from ..selectors import action_plan
from ._access import _get_action_for_user, _get_unit_for_user, people_for_unit
from ._common import unit_nav

PAGE_SIZE = 100


def _filtered_plan(request: HttpRequest, unit: OrgUnit) -> tuple[ActionPlanFilterForm, Any, str]:
    form = ActionPlanFilterForm(request.GET or None)
    data: dict[str, Any] = form.cleaned_data if form.is_bound and form.is_valid() else {}
    user: User = request.user  # type: ignore[assignment]
    statuses = data.get("status") or []
    qs = action_plan(
        unit,
        include_subunits=bool(data.get("subunits")),
        statuses=statuses,
        year=data.get("year"),
        owner=user if data.get("mine") else None,
        overdue_only=bool(data.get("overdue")),
        source=data.get("source") or None,
        sort=data.get("sort") or "due",
    )
    parts = []
    if statuses:
        labels = dict(ActionItem.Status.choices)
        parts.append(", ".join(str(labels[s]) for s in statuses))
    if data.get("year"):
        parts.append(str(data["year"]))
    if data.get("overdue"):
        parts.append(_("over frist"))
    if data.get("mine"):
        parts.append(_("mine"))
    if data.get("subunits"):
        parts.append(_("med underenheter"))
    return form, qs, ", ".join(parts) or _("alle tiltak")


@login_required
def action_plan_view(request: HttpRequest, code: str) -> HttpResponse:
    unit = _get_unit_for_user(request, code, Perm.ACTION_VIEW)
    form, qs, filter_text = _filtered_plan(request, unit)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("side"))
    query = request.GET.copy()
    query.pop("side", None)
    ctx = {
        "unit": unit,
        "nav": unit_nav(request, unit, "actions"),
        "form": form,
        "page": page,
        "actions": list(page.object_list),
        "filter_text": filter_text,
        "query": query.urlencode(),
        "today": timezone.localdate(),
        "can_propose": has_perm(request.user, Perm.ACTION_PROPOSE, unit),
    }
    return render(request, "workflows/action_plan.html", ctx)


@login_required
def action_plan_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    unit = _get_unit_for_user(request, code, Perm.ACTION_VIEW)
    _form, qs, _text = _filtered_plan(request, unit)
    response = HttpResponse(exports.action_plan_xlsx(unit, qs), content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="handlingsplan-{unit.code}.xlsx"'
    return response


@login_required
def action_plan_docx(request: HttpRequest, code: str) -> HttpResponse:
    unit = _get_unit_for_user(request, code, Perm.ACTION_VIEW)
    _form, qs, text = _filtered_plan(request, unit)
    response = HttpResponse(exports.action_plan_docx(unit, qs, text), content_type=exports.DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="handlingsplan-{unit.code}.docx"'
    return response


@login_required
def action_create(request: HttpRequest, code: str) -> HttpResponse:
    unit = _get_unit_for_user(request, code, Perm.ACTION_PROPOSE)
    user: User = request.user  # type: ignore[assignment]
    may_confirm = has_perm(user, Perm.ACTION_MANAGE, unit)
    people = people_for_unit(unit, user)
    form = ActionCreateForm(request.POST or None, people=people, may_confirm=may_confirm)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            action = services.action_create(
                actor=user, unit=unit, title=d["title"], description=d["description"], owner=d["owner"],
                due_date=d["due_date"], cost_estimate=d["cost_estimate"], priority=d["priority"],
                confirm=bool(d.get("confirm")),
            )  # fmt: skip
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Tiltaket er lagt til."))
            return HttpResponseRedirect(reverse("action_detail", kwargs={"pk": action.pk}))
    ctx = {"unit": unit, "nav": unit_nav(request, unit, "actions"), "form": form}
    return render(request, "workflows/action_form.html", ctx)


# ----------------------------------------------------------------------------- one action


def _detail(request: HttpRequest, action: ActionItem, **bound: Any) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    allowed = services.action_allowed_transitions(user, action)
    people = people_for_unit(action.unit, user, action.owner)
    forms: dict[str, Any] = {
        "confirm": ActionConfirmForm(people=people, initial={"owner": action.owner_id, "due_date": action.due_date,
                                                             "cost_estimate": action.cost_estimate,
                                                             "priority": action.priority}),
        "update": ActionUpdateForm(people=people, initial={"title": action.title, "owner": action.owner_id,
                                                           "due_date": action.due_date,
                                                           "cost_estimate": action.cost_estimate,
                                                           "priority": action.priority}),
        "complete": CompleteForm(),
        "verify": VerifyForm(),
        "reject": ReasonForm(prefix="reject", label=_("Hvorfor avvises forslaget")),
        "reopen": ReasonForm(prefix="reopen", label=_("Hvorfor godkjennes ikke tiltaket")),
        "cancel": ReasonForm(prefix="cancel", label=_("Hvorfor avbrytes tiltaket")),
    }  # fmt: skip
    forms.update(bound)
    history = list(action.history.select_related("history_user").order_by("-history_date", "-history_id")[:50])
    ctx = {
        "action": action,
        "unit": action.unit,
        "nav": unit_nav(request, action.unit, "actions"),
        "allowed": allowed,
        "forms": forms,
        "history": history,
        "links": action.followup_links.select_related("response").order_by("created_at"),
        "reason_text": services.RULE_NO_LONGER_MET_TEXT.get(request.LANGUAGE_CODE[:2], "")
        if action.status_reason_code == services.RULE_NO_LONGER_MET else "",
        "error_form": next(iter(bound.values()), None),
    }
    return render(request, "workflows/action_detail.html", ctx)


@login_required
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _get_action_for_user(request, pk))


def _transition(request: HttpRequest, pk: int, name: str, form_class: Any, run: Any, done: str,
                **form_kwargs: Any) -> HttpResponse:  # fmt: skip
    action = _get_action_for_user(request, pk)
    user: User = request.user  # type: ignore[assignment]
    if not services.action_can(user, action, name):
        if not services.action_may(user, action, name):
            raise PermissionDenied
        messages.error(request, _("Tiltaket kan ikke endres slik nå."))
        return HttpResponseRedirect(reverse("action_detail", kwargs={"pk": action.pk}))
    form = form_class(request.POST, **form_kwargs)
    if form.is_valid():
        try:
            run(user, action, form.cleaned_data)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, done)
            return HttpResponseRedirect(reverse("action_detail", kwargs={"pk": action.pk}))
    return _detail(request, action, **{name: form})


@require_POST
@login_required
def action_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    action = _get_action_for_user(request, pk)
    return _transition(
        request, pk, "confirm", ActionConfirmForm,
        lambda u, a, d: services.action_confirm(actor=u, action=a, owner=d["owner"], due_date=d["due_date"],
                                                cost_estimate=d["cost_estimate"], priority=d["priority"]),
        _("Tiltaket er bekreftet."), people=people_for_unit(action.unit, request.user, action.owner),
    )  # fmt: skip


@require_POST
@login_required
def action_update(request: HttpRequest, pk: int) -> HttpResponse:
    action = _get_action_for_user(request, pk)
    return _transition(
        request, pk, "update", ActionUpdateForm,
        lambda u, a, d: services.action_update(actor=u, action=a, reason=d["reason"], title=d["title"],
                                               owner=d["owner"], due_date=d["due_date"],
                                               cost_estimate=d["cost_estimate"], priority=d["priority"]),
        _("Tiltaket er endret."), people=people_for_unit(action.unit, request.user, action.owner),
    )  # fmt: skip


@require_POST
@login_required
def action_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(
        request, pk, "reject", ReasonForm,
        lambda u, a, d: services.action_reject(actor=u, action=a, reason=d["reason"]),
        _("Forslaget er avvist."), prefix="reject", label=_("Hvorfor avvises forslaget"),
    )  # fmt: skip


@require_POST
@login_required
def action_start(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(
        request, pk, "start", _EmptyForm, lambda u, a, d: services.action_start(actor=u, action=a),
        _("Tiltaket er satt i gang."),
    )  # fmt: skip


@require_POST
@login_required
def action_complete(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(
        request, pk, "complete", CompleteForm,
        lambda u, a, d: services.action_complete(actor=u, action=a, note=d["note"]),
        _("Tiltaket er meldt utført."),
    )  # fmt: skip


@require_POST
@login_required
def action_verify(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(
        request, pk, "verify", VerifyForm,
        lambda u, a, d: services.action_verify(actor=u, action=a, note=d["note"]),
        _("Tiltaket er verifisert."),
    )  # fmt: skip


@require_POST
@login_required
def action_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(
        request, pk, "reopen", ReasonForm,
        lambda u, a, d: services.action_reopen(actor=u, action=a, reason=d["reason"]),
        _("Tiltaket er åpnet igjen."), prefix="reopen", label=_("Hvorfor godkjennes ikke tiltaket"),
    )  # fmt: skip


@require_POST
@login_required
def action_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(
        request, pk, "cancel", ReasonForm,
        lambda u, a, d: services.action_cancel(actor=u, action=a, reason=d["reason"]),
        _("Tiltaket er avbrutt."), prefix="cancel", label=_("Hvorfor avbrytes tiltaket"),
    )  # fmt: skip


class _EmptyForm(ReasonForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["reason"]
