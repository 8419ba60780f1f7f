"""HMS rounds: plan, conduct (checklist, findings with photos, talks), summarise with the leader, close."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.models import SafetyArea, User
from core.permissions import Perm, has_perm
from core.selectors import safety_areas_covering, unit_subtree

from .. import exports, services
from ..forms import (
    ConductedForm,
    FindingForm,
    ReasonForm,
    RoundPlanForm,
    RoundUpdateForm,
    SummariseForm,
)
from ..models import HmsRound, RoundFinding
from ..selectors import round_planning_material, rounds_for_unit, workflow_settings
from ..services.rounds import hms_round_questionnaire_version
from ._access import _get_round_for_user, _get_unit_for_user, people_for_unit
from ._common import unit_nav

S = HmsRound.Status


def checklist_url(response: Any) -> str | None:
    """The surveys wizard for the checklist response, once the surveys app provides that URL."""
    if response is None:
        return None
    try:
        return reverse("response_wizard", kwargs={"response_id": response.pk})
    except NoReverseMatch:
        return None


@login_required
def round_list(request: HttpRequest, code: str) -> HttpResponse:
    unit = _get_unit_for_user(request, code, Perm.ROUND_VIEW)
    subunits = request.GET.get("underenheter") == "1"
    ctx = {
        "unit": unit,
        "nav": unit_nav(request, unit, "rounds"),
        "rounds": list(rounds_for_unit(unit, include_subunits=subunits)[:300]),
        "subunits": subunits,
        "can_plan": has_perm(request.user, Perm.ROUND_MANAGE, unit),
    }
    return render(request, "workflows/round_list.html", ctx)


def _area_choices(user: User, unit: Any) -> list[tuple[str, str]]:
    choices: dict[str, str] = {}
    subtree = list(unit_subtree(unit, active_on=timezone.localdate()))
    ids = {u.pk for u in subtree}
    areas = SafetyArea.objects.active().filter(units__in=ids).prefetch_related("units").distinct().order_by("code")
    for area in [*areas, *safety_areas_covering(unit).prefetch_related("units")]:
        for u in area.units.all():
            if has_perm(user, Perm.ROUND_MANAGE, u) and (u.pk in ids or u.pk in unit.ancestor_ids):
                choices.setdefault(f"{area.pk}:{u.pk}", f"{area.name} ({u.name})")
    return list(choices.items())


@login_required
def round_create(request: HttpRequest, code: str) -> HttpResponse:
    unit = _get_unit_for_user(request, code, Perm.ROUND_MANAGE)
    user: User = request.user  # type: ignore[assignment]
    areas = _area_choices(user, unit)
    form = RoundPlanForm(request.POST or None, areas=areas, people=people_for_unit(unit, user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        area_pk, unit_pk = (int(x) for x in d["area_unit"].split(":"))
        area = SafetyArea.objects.get(pk=area_pk)
        round_unit = area.units.get(pk=unit_pk)
        try:
            round_ = services.round_plan(
                actor=user, safety_area=area, unit=round_unit, planned_date=d["planned_date"], title=d["title"],
                participants=list(d["participants"]), focus_topics=d["focus_topics"],
            )  # fmt: skip
        except ValidationError as exc:
            form.add_service_error(exc)
        except PermissionDenied:
            form.add_error("area_unit", _("Du kan ikke planlegge HMS-runder der."))
        else:
            messages.success(request, _("HMS-runden er planlagt."))
            return HttpResponseRedirect(reverse("round_detail", kwargs={"pk": round_.pk}))
    ctx = {"unit": unit, "nav": unit_nav(request, unit, "rounds"), "form": form, "has_areas": bool(areas)}
    return render(request, "workflows/round_form.html", ctx)


def _detail(request: HttpRequest, round_: HmsRound, **bound: Any) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    may_manage = has_perm(user, Perm.ROUND_MANAGE, round_.unit)
    findings = list(round_.findings.prefetch_related("photos").select_related("action", "deviation", "risk_assessment"))
    settings = workflow_settings()
    for f in findings:
        f.band = settings.risk_band(f.risk_value)  # type: ignore[attr-defined]
    forms: dict[str, Any] = {}
    if may_manage:
        forms = {"conducted": ConductedForm(), "cancel": ReasonForm(prefix="cancel", label=_("Hvorfor avlyses runden"))}
    forms.update(bound)
    ctx = {
        "round": round_,
        "unit": round_.unit,
        "nav": unit_nav(request, round_.unit, "rounds"),
        "may_manage": may_manage,
        "may_summarise": services.may_summarise(user, round_),
        "findings": findings,
        "participants": list(round_.participants.all()),
        "material": round_planning_material(round_) if round_.status == S.PLANNED else None,
        "checklist": round_.checklist_response,
        "checklist_url": checklist_url(round_.checklist_response),
        "checklist_available": hms_round_questionnaire_version() is not None,
        "forms": forms,
        "error_form": next(iter(bound.values()), None),
    }
    return render(request, "workflows/round_detail.html", ctx)


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _get_round_for_user(request, pk))


@login_required
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _get_round_for_user(request, pk, Perm.ROUND_MANAGE)
    user: User = request.user  # type: ignore[assignment]
    initial = {
        "title": round_.title, "planned_date": round_.planned_date, "focus_topics": round_.focus_topics,
        "employee_talks": round_.employee_talks, "participants": list(round_.participants.values_list("pk", flat=True)),
    }  # fmt: skip
    form = RoundUpdateForm(request.POST or None, people=people_for_unit(round_.unit, user), initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.round_update(actor=user, round_=round_, title=d["title"], planned_date=d["planned_date"],
                                  participants=list(d["participants"]), focus_topics=d["focus_topics"],
                                  employee_talks=d["employee_talks"])  # fmt: skip
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("HMS-runden er oppdatert."))
            return HttpResponseRedirect(reverse("round_detail", kwargs={"pk": round_.pk}))
    ctx = {"round": round_, "unit": round_.unit, "nav": unit_nav(request, round_.unit, "rounds"), "form": form}
    return render(request, "workflows/round_edit.html", ctx)


@require_POST
@login_required
def round_checklist(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _get_round_for_user(request, pk, Perm.ROUND_MANAGE)
    try:
        response = services.round_start_checklist(actor=request.user, round_=round_)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(reverse("round_detail", kwargs={"pk": round_.pk}))
    url = checklist_url(response)
    if url:
        return HttpResponseRedirect(url)
    messages.info(request, _("Sjekklisten er opprettet. Utfyllingen åpnes her når skjemaveiviseren er på plass."))
    return HttpResponseRedirect(reverse("round_detail", kwargs={"pk": round_.pk}))


@login_required
def round_finding_add(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _get_round_for_user(request, pk, Perm.ROUND_MANAGE)
    form = FindingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.finding_add(actor=request.user, round_=round_, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Funnet er registrert."))
            if "another" in request.POST:
                return HttpResponseRedirect(reverse("round_finding_add", kwargs={"pk": round_.pk}))
            return HttpResponseRedirect(reverse("round_detail", kwargs={"pk": round_.pk}) + "#findings-heading")
    ctx = {"round": round_, "unit": round_.unit, "form": form,
           "open": round_.status in (S.PLANNED, S.CONDUCTED)}  # fmt: skip
    return render(request, "workflows/round_finding_form.html", ctx)


@require_POST
@login_required
def round_conducted(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _get_round_for_user(request, pk, Perm.ROUND_MANAGE)
    form = ConductedForm(request.POST)
    if form.is_valid():
        try:
            services.round_mark_conducted(actor=request.user, round_=round_, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Runden er registrert som gjennomført."))
            return HttpResponseRedirect(reverse("round_detail", kwargs={"pk": round_.pk}))
    return _detail(request, round_, conducted=form)


@login_required
def round_summarise(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _get_round_for_user(request, pk)
    user: User = request.user  # type: ignore[assignment]
    if not services.may_summarise(user, round_):
        raise PermissionDenied
    if round_.status != S.CONDUCTED:
        messages.info(request, _("Runden kan oppsummeres når den er gjennomført."))
        return HttpResponseRedirect(reverse("round_detail", kwargs={"pk": round_.pk}))
    findings = list(round_.findings.filter(resolution=RoundFinding.Resolution.PENDING).prefetch_related("photos"))
    form = SummariseForm(request.POST or None, findings=findings, people=people_for_unit(round_.unit, user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        decisions = [
            services.FindingDecision(
                finding=f, resolution=d[f"f{f.pk}_resolution"], owner=d[f"f{f.pk}_owner"], due_date=d[f"f{f.pk}_due"],
                cost_estimate=d[f"f{f.pk}_cost"], priority=d[f"f{f.pk}_priority"], note=d[f"f{f.pk}_note"],
            )
            for f in findings
        ]
        try:
            services.round_summarise(actor=user, round_=round_, decisions=decisions, summary_notes=d["summary_notes"])
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Runden er oppsummert. Tiltak, avvik og risikovurderinger er opprettet."))
            return HttpResponseRedirect(reverse("round_detail", kwargs={"pk": round_.pk}))
    ctx = {"round": round_, "unit": round_.unit, "nav": unit_nav(request, round_.unit, "rounds"), "form": form}
    return render(request, "workflows/round_summarise.html", ctx)


@require_POST
@login_required
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _get_round_for_user(request, pk, Perm.ROUND_MANAGE)
    try:
        services.round_close(actor=request.user, round_=round_)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("HMS-runden er lukket."))
    return HttpResponseRedirect(reverse("round_detail", kwargs={"pk": round_.pk}))


@require_POST
@login_required
def round_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _get_round_for_user(request, pk, Perm.ROUND_MANAGE)
    form = ReasonForm(request.POST, prefix="cancel", label=_("Hvorfor avlyses runden"))
    if form.is_valid():
        try:
            services.round_cancel(actor=request.user, round_=round_, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("HMS-runden er avlyst."))
            return HttpResponseRedirect(reverse("round_detail", kwargs={"pk": round_.pk}))
    return _detail(request, round_, cancel=form)


@login_required
def round_docx(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _get_round_for_user(request, pk)
    response = HttpResponse(exports.round_report_docx(round_), content_type=exports.DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="hms-runde-{round_.pk}.docx"'
    return response
