"""Responses: the wizard, the review page with sign-off, reopening, and the audit timeline."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.models import User
from core.permissions import Perm, has_perm

from . import audit, engine_api, followups, services
from .forms import ReopenForm
from .models import Response
from .wizard import response_wizard_view
from .wizard_forms import build_page_form


def _get_response_for_user(request: HttpRequest, response_id: Any, *, edit: bool = False) -> Response:
    """The response if the person may read it (or edit it); 404 otherwise."""
    response = (
        Response.objects.select_related("campaign", "version__questionnaire", "unit")
        .defer("version__definition")  # decoded once per process by engine_api
        .filter(pk=response_id)
        .order_by()
        .first()
    )
    if response is None:
        raise Http404
    user: User = request.user  # type: ignore[assignment]
    if response.campaign is not None and response.campaign.mode == "anonymous":
        raise Http404
    if response.person_id is not None:
        allowed = response.person_id == user.pk or (not edit and has_perm(user, Perm.RESPONSE_VIEW, response.unit))
    elif edit:
        allowed = services.can_edit_response(user, response)
    else:
        allowed = has_perm(user, Perm.RESPONSE_VIEW, response.unit)
    if not allowed:
        raise Http404
    return response


@login_required
def response_wizard(request: HttpRequest, response_id: Any) -> HttpResponse:
    response = _get_response_for_user(request, response_id, edit=True)
    if response.is_read_only:
        return redirect("response_overview", response_id=response.pk)
    return response_wizard_view(request, response)


@login_required
@require_POST
def response_evaluate(request: HttpRequest, response_id: Any) -> JsonResponse:
    """For the page script: what the page looks like with the values typed so far (not saved)."""
    response = _get_response_for_user(request, response_id, edit=True)
    session = engine_api.session_for_response(response, get_language() or "nb")
    page = request.POST.get("page", "")
    if page not in session.all_pages():
        return JsonResponse({"error": "unknown page"}, status=400)
    form_class = build_page_form(session.page(page))
    form = form_class(data=request.POST, prefix=page)
    form.is_valid()
    session.apply_page(page, form.page_values(), lenient=True)
    return JsonResponse(engine_api.page_state(session, page))


@login_required
def response_overview(request: HttpRequest, response_id: Any) -> HttpResponse:
    """Read view of a response: answers by page, signatures, status (also when submitted)."""
    response = _get_response_for_user(request, response_id)
    return _render_review(request, response, review=False)


@login_required
def response_review(request: HttpRequest, response_id: Any) -> HttpResponse:
    response = _get_response_for_user(request, response_id, edit=True)
    return _render_review(request, response, review=True)


def _render_review(request: HttpRequest, response: Response, *, review: bool) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    locale = get_language() or "nb"
    session = engine_api.session_for_response(response, locale)
    summary = engine_api.answer_summary(session)
    problems = engine_api.completion_problems(response, session=session)
    active = list(response.active_signatures().select_related("signer"))
    signed_caps = {s.capacity for s in active}
    capacities = [
        (cap, role) for cap, role in services.signing_capacities(user, response)
        if cap not in signed_caps and not any(s.signer_id == user.pk for s in active)
    ]  # fmt: skip
    proposals = followups.proposals_for(response, session=session, locale=locale)
    ctx = {
        "response": response,
        "summary": summary,
        "problems": problems,
        "signatures": active,
        "voided": response.signatures.filter(voided_at__isnull=False).select_related("signer").order_by("-voided_at")[:5],
        "capacities": capacities,
        "can_edit": services.can_edit_response(user, response) and not response.is_read_only,
        "can_reopen": response.is_read_only and has_perm(user, Perm.RESPONSE_REOPEN, response.unit),
        "can_submit": response.person_id == user.pk and not response.is_read_only,
        "reopen_form": ReopenForm(),
        "proposals": proposals,
        "owner_choices": followups.owner_choices(response),
        "review": review,
        "answer_meta": response.answer_meta,
        "holders": services.unit_leaders_and_vo(response.unit),
    }
    return render(request, "surveys/response_review.html", ctx)


@login_required
@require_POST
def response_followups_save(request: HttpRequest, response_id: Any) -> HttpResponse:
    response = _get_response_for_user(request, response_id, edit=True)
    user: User = request.user  # type: ignore[assignment]
    try:
        followups.choices_save(actor=user, response=response, data=request.POST)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Tiltaksforslagene er lagret."))
    return redirect("response_review", response_id=response.pk)


@login_required
@require_POST
def response_sign(request: HttpRequest, response_id: Any) -> HttpResponse:
    response = _get_response_for_user(request, response_id, edit=True)
    user: User = request.user  # type: ignore[assignment]
    capacity = request.POST.get("capacity", "")
    try:
        result = services.response_sign(actor=user, response=response, capacity=capacity)
    except PermissionDenied:
        messages.error(request, _("Du kan ikke signere i denne rollen."))
        return redirect("response_review", response_id=response.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("response_review", response_id=response.pk)
    if result.submitted:
        messages.success(request, _("Begge har signert. Besvarelsen er levert."))
        return redirect("response_overview", response_id=response.pk)
    messages.success(request, _("Du har signert. Besvarelsen venter på den andre signaturen."))
    return redirect("response_review", response_id=response.pk)


@login_required
@require_POST
def response_submit(request: HttpRequest, response_id: Any) -> HttpResponse:
    """A named (individual) response is submitted by its person."""
    response = _get_response_for_user(request, response_id, edit=True)
    user: User = request.user  # type: ignore[assignment]
    try:
        services.response_submit_individual(actor=user, response=response)
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("response_review", response_id=response.pk)
    messages.success(request, _("Besvarelsen er levert."))
    return redirect("response_overview", response_id=response.pk)


@login_required
def campaign_answer(request: HttpRequest, campaign_id: Any) -> HttpResponse:
    """Open (or start) the person's own response to a named campaign."""
    from .models import Campaign

    campaign = Campaign.objects.filter(pk=campaign_id, mode="individual").first()
    user: User = request.user  # type: ignore[assignment]
    if campaign is None or not services.individual_campaign_units(user, campaign):
        raise Http404
    try:
        response = services.response_start_individual(actor=user, campaign=campaign)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("home")
    return redirect("response_wizard", response_id=response.pk)


@login_required
@require_POST
def response_reopen(request: HttpRequest, response_id: Any) -> HttpResponse:
    response = _get_response_for_user(request, response_id)
    user: User = request.user  # type: ignore[assignment]
    if not has_perm(user, Perm.RESPONSE_REOPEN, response.unit):
        raise Http404
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.response_reopen(actor=user, response=response, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Besvarelsen er gjenåpnet."))
    else:
        messages.error(request, _("Oppgi hvorfor besvarelsen gjenåpnes."))
    return redirect("response_overview", response_id=response.pk)


@login_required
def response_audit(request: HttpRequest, response_id: Any) -> HttpResponse:
    response = _get_response_for_user(request, response_id)
    locale = get_language() or "nb"
    entries = audit.timeline(response, locale=locale)
    person = request.GET.get("person", "")
    question = request.GET.get("question", "")
    people = sorted({(e.actor_id, e.actor_name) for e in entries if e.actor_id}, key=lambda p: p[1])
    questions = sorted({(e.question, e.question_title) for e in entries if e.question}, key=lambda q: q[1])
    if person:
        entries = [e for e in entries if str(e.actor_id) == person]
    if question:
        entries = [e for e in entries if e.question == question]
    if request.GET.get("format") == "csv":
        out = HttpResponse(content_type="text/csv; charset=utf-8")
        out["Content-Disposition"] = f'attachment; filename="revisjonslogg-{response.pk}.csv"'
        writer = csv.writer(out)
        writer.writerow(["time", "person", "event", "question", "question_title", "old", "new", "detail"])
        for e in entries:
            writer.writerow([e.at.isoformat(), e.actor_name, e.kind, e.question, e.question_title,
                             audit.csv_safe(e.old), audit.csv_safe(e.new), audit.csv_safe(e.detail)])  # fmt: skip
        return out
    return render(
        request,
        "surveys/response_audit.html",
        {"response": response, "entries": entries, "people": people, "questions": questions,
         "person": person, "question": question},  # fmt: skip
    )
