"""HMS admin pages: questionnaires (import, versions, export) and campaigns."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.models import User
from core.permissions import Perm, has_perm

from . import selectors, services
from .anon import services as anon_services
from .anon import views_results as anon_views
from .forms import AnnualReportIssueForm, CampaignForm, QuestionnaireUploadForm
from .models import Campaign, Mode, Questionnaire, QuestionnaireVersion


def _require_admin(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not has_perm(user, Perm.ORG_ADMINISTER):
        raise Http404
    return user


def _get_campaign_for_admin(request: HttpRequest, campaign_id: str) -> Campaign:
    _require_admin(request)
    return get_object_or_404(Campaign.objects.select_related("version__questionnaire"), pk=campaign_id)


@login_required
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    actor = _require_admin(request)
    form = QuestionnaireUploadForm()
    problems: list[services.engine_api.Problem] = []
    if request.method == "POST":
        form = QuestionnaireUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                version = services.questionnaire_import(
                    actor=actor, raw=form.cleaned_data["file"], note=form.cleaned_data["note"]
                )
            except services.DefinitionRejected as exc:
                problems = exc.problems
            else:
                messages.success(
                    request,
                    _("%(title)s er publisert som versjon %(n)s.")
                    % {"title": version.questionnaire.title, "n": version.number},
                )
                return redirect("questionnaire_list")
    questionnaires = Questionnaire.objects.annotate(n_versions=Count("versions")).order_by("title")
    return render(
        request,
        "surveys/questionnaire_list.html",
        {"questionnaires": questionnaires, "form": form, "problems": problems},
    )


@login_required
def questionnaire_version_export(request: HttpRequest, version_id: int) -> HttpResponse:
    _require_admin(request)
    version = get_object_or_404(QuestionnaireVersion.objects.select_related("questionnaire"), pk=version_id)
    body = json.dumps(version.definition, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"{version.questionnaire.key}-v{version.number}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    campaigns = (
        Campaign.objects.select_related("version__questionnaire")
        .annotate(
            n_units=Count("units", distinct=True),
            n_responses=Count("responses", distinct=True),
            n_submitted=Count("responses", filter=Q(responses__status="submitted"), distinct=True),
        )
        .order_by("-year", "title")
    )
    return render(
        request,
        "surveys/campaign_list.html",
        {"campaigns": campaigns, "issue_form": AnnualReportIssueForm()},
    )


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    actor = _require_admin(request)
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        campaign = services.campaign_create(
            actor=actor, version=data["version"], title=data["title"], year=data["year"],
            mode=data["mode"], opens_on=data["opens_on"], closes_on=data["closes_on"], units=data["units"],
        )  # fmt: skip
        if data["open_now"]:
            services.campaign_open(actor=actor, campaign=campaign)
            if campaign.mode == Mode.ANONYMOUS:
                n = anon_services.anonymous_campaign_invite(actor=actor, campaign=campaign)
                messages.info(request, _("%(n)s personer er invitert. Lenkene sendes på e-post.") % {"n": n})
        messages.success(request, _("Kampanjen er opprettet."))
        return redirect("campaign_detail", campaign_id=campaign.pk)
    return render(request, "surveys/campaign_form.html", {"form": form})


@login_required
@require_POST
def campaign_issue_annual_report(request: HttpRequest) -> HttpResponse:
    actor = _require_admin(request)
    form = AnnualReportIssueForm(request.POST)
    if form.is_valid():
        try:
            campaign = services.campaign_issue_annual_report(actor=actor, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("campaign_list")
        messages.success(
            request,
            _("Årsrapporten for %(year)s er sendt til %(n)s enheter.")
            % {"year": campaign.year, "n": campaign.units.count()},
        )
        return redirect("campaign_detail", campaign_id=campaign.pk)
    campaigns = Campaign.objects.select_related("version__questionnaire").order_by("-year")
    return render(request, "surveys/campaign_list.html", {"campaigns": campaigns, "issue_form": form})


@login_required
def campaign_detail(request: HttpRequest, campaign_id: str) -> HttpResponse:
    campaign = _get_campaign_for_admin(request, campaign_id)
    rows = selectors.campaign_unit_status(campaign)
    ctx = {"campaign": campaign, "rows": rows}
    if campaign.mode == Mode.ANONYMOUS and campaign.status != Campaign.Status.DRAFT:
        ctx.update(anon_views.campaign_admin_context(campaign))
    return render(request, "surveys/campaign_detail.html", ctx)


@login_required
@require_POST
def campaign_set_status(request: HttpRequest, campaign_id: str) -> HttpResponse:
    campaign = _get_campaign_for_admin(request, campaign_id)
    actor: User = request.user  # type: ignore[assignment]
    if request.POST.get("action") == "open":
        services.campaign_open(actor=actor, campaign=campaign)
        if campaign.mode == Mode.ANONYMOUS:
            campaign.refresh_from_db()
            n = anon_services.anonymous_campaign_invite(actor=actor, campaign=campaign)
            messages.info(request, _("%(n)s personer er invitert. Lenkene sendes på e-post.") % {"n": n})
        messages.success(request, _("Kampanjen er åpnet."))
    elif request.POST.get("action") == "close":
        services.campaign_close(actor=actor, campaign=campaign)
        if campaign.mode == Mode.ANONYMOUS:
            campaign.refresh_from_db()
            anon_services.anonymous_campaign_closed(actor=actor, campaign=campaign)
        messages.success(request, _("Kampanjen er lukket."))
    return redirect("campaign_detail", campaign_id=campaign.pk)
