"""Risk assessments: rows of probability × consequence with matrix colours; completion creates actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.models import User
from core.permissions import Perm, has_perm

from .. import services
from ..forms import RiskCompleteForm, RiskCreateForm, RiskRowForm
from ..models import RiskAssessment
from ..selectors import risk_assessments_for_unit, workflow_settings
from ._access import _get_risk_for_user, _get_unit_for_user, people_for_unit
from ._common import unit_nav


def risk_matrix(settings: Any, counts: dict[tuple[int, int], int] | None = None) -> list[dict[str, Any]]:
    """Rows of the 5×5 matrix, probability 5 at the top, with each cell's value, band and count."""
    counts = counts or {}
    return [
        {
            "probability": p,
            "cells": [
                {"consequence": c, "value": p * c, "band": settings.risk_band(p * c), "count": counts.get((p, c), 0)}
                for c in range(1, 6)
            ],
        }
        for p in range(5, 0, -1)
    ]


@login_required
def risk_list(request: HttpRequest, code: str) -> HttpResponse:
    unit = _get_unit_for_user(request, code, Perm.RISK_VIEW)
    subunits = request.GET.get("underenheter") == "1"
    ctx = {
        "unit": unit,
        "nav": unit_nav(request, unit, "risk"),
        "assessments": list(risk_assessments_for_unit(unit, include_subunits=subunits)[:300]),
        "subunits": subunits,
        "can_manage": has_perm(request.user, Perm.RISK_MANAGE, unit),
    }
    return render(request, "workflows/risk_list.html", ctx)


@login_required
def risk_create(request: HttpRequest, code: str) -> HttpResponse:
    unit = _get_unit_for_user(request, code, Perm.RISK_MANAGE)
    form = RiskCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.risk_create(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            return HttpResponseRedirect(reverse("risk_detail", kwargs={"pk": assessment.pk}))
    return render(request, "workflows/risk_form.html", {"unit": unit, "nav": unit_nav(request, unit, "risk"), "form": form})


def _detail(request: HttpRequest, assessment: RiskAssessment, **bound: Any) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    settings = workflow_settings()
    rows = list(assessment.rows.select_related("owner").prefetch_related("actions"))
    counts: dict[tuple[int, int], int] = {}
    for row in rows:
        row.band = settings.risk_band(row.risk_value)  # type: ignore[attr-defined]
        counts[(row.probability, row.consequence)] = counts.get((row.probability, row.consequence), 0) + 1
    may_manage = has_perm(user, Perm.RISK_MANAGE, assessment.unit)
    forms: dict[str, Any] = {}
    if may_manage:
        forms = {"row": RiskRowForm(people=people_for_unit(assessment.unit, user)), "complete": RiskCompleteForm()}
    forms.update(bound)
    ctx = {
        "assessment": assessment,
        "unit": assessment.unit,
        "nav": unit_nav(request, assessment.unit, "risk"),
        "rows": rows,
        "matrix": risk_matrix(settings, counts),
        "settings": settings,
        "may_manage": may_manage,
        "next_version": RiskAssessment.objects.filter(previous=assessment).first(),
        "forms": forms,
        "error_form": next(iter(bound.values()), None),
    }
    return render(request, "workflows/risk_detail.html", ctx)


@login_required
def risk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _get_risk_for_user(request, pk))


@require_POST
@login_required
def risk_row_add(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _get_risk_for_user(request, pk, Perm.RISK_MANAGE)
    form = RiskRowForm(request.POST, people=people_for_unit(assessment.unit, request.user))
    if form.is_valid():
        try:
            services.risk_row_add(actor=request.user, assessment=assessment, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Hendelsen er lagt til."))
            return HttpResponseRedirect(reverse("risk_detail", kwargs={"pk": assessment.pk}) + "#rows-heading")
    return _detail(request, assessment, row=form)


@require_POST
@login_required
def risk_row_remove(request: HttpRequest, pk: int, row_id: int) -> HttpResponse:
    assessment = _get_risk_for_user(request, pk, Perm.RISK_MANAGE)
    row = assessment.rows.filter(pk=row_id).first()
    if row is None:  # already removed (a second click): nothing to do
        return HttpResponseRedirect(reverse("risk_detail", kwargs={"pk": assessment.pk}))
    try:
        services.risk_row_remove(actor=request.user, row=row)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Hendelsen er fjernet."))
    return HttpResponseRedirect(reverse("risk_detail", kwargs={"pk": assessment.pk}))


@require_POST
@login_required
def risk_complete(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _get_risk_for_user(request, pk, Perm.RISK_MANAGE)
    form = RiskCompleteForm(request.POST)
    if form.is_valid():
        try:
            services.risk_complete(actor=request.user, assessment=assessment, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Risikovurderingen er fullført. Tiltak er lagt i handlingsplanen."))
            return HttpResponseRedirect(reverse("risk_detail", kwargs={"pk": assessment.pk}))
    return _detail(request, assessment, complete=form)


@require_POST
@login_required
def risk_review(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _get_risk_for_user(request, pk, Perm.RISK_MANAGE)
    try:
        review = services.risk_start_review(actor=request.user, assessment=assessment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(reverse("risk_detail", kwargs={"pk": assessment.pk}))
    messages.success(request, _("Ny gjennomgang er startet med radene fra forrige vurdering."))
    return HttpResponseRedirect(reverse("risk_detail", kwargs={"pk": review.pk}))
