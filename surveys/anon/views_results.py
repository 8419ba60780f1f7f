"""Results, response rates, reminders, free-text screening and the ARK follow-up.

Every figure comes from `reports.anonymity` (the group-size rule); these views only choose
which of its nodes a person may see (Perm.RESULTS_VIEW on the node's unit) and add labels.
Views that output results are marked with `reports_output` so that the generated test in
tests/surveys/test_results_group_size.py finds every one of them from the URL configuration.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import AccessibleFormMixin
from core.models import OrgUnit, Role, User
from core.permissions import Perm, has_perm, units_with_perm
from reports import anonymity
from surveys.models import AnonymousComment, Campaign, Mode, SurveyFollowUp

from . import present, selectors, services
from .questions import labels_for

ViewFn = Callable[..., HttpResponse]


def reports_output(view: ViewFn) -> ViewFn:
    """Mark a view that shows or exports anonymous results (the generated group-size test)."""
    view.verne_results_output = True  # type: ignore[attr-defined]
    return view


def _campaign(campaign_id: Any) -> Campaign:
    campaign = Campaign.objects.select_related("version__questionnaire").filter(pk=campaign_id).first()
    if campaign is None or campaign.mode != Mode.ANONYMOUS:
        raise Http404
    return campaign


def _in_scope(campaign: Campaign, unit: OrgUnit) -> bool:
    for u in campaign.units.all():
        if unit.path.startswith(u.path) or u.path.startswith(unit.path):
            return True
    return False


def _get_unit_for_results(request: HttpRequest, campaign: Campaign, code: str, perm: Perm = Perm.RESULTS_VIEW) -> OrgUnit:
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None or not has_perm(request.user, perm, unit) or not _in_scope(campaign, unit):
        raise Http404
    return unit


def _allowed_units(user: User) -> set[int]:
    return set(units_with_perm(user, Perm.RESULTS_VIEW).values_list("pk", flat=True))


def _labels(campaign: Campaign) -> Any:
    return labels_for(campaign.version, get_language() or "nb")


def _node_name(node: Any) -> str:
    return present.node_label(node, own=_("bare enheten selv"), total=_("med enhetene under"))


# ------------------------------------------------------------------------ list


@login_required
def anon_results_index(request: HttpRequest) -> HttpResponse:
    """Anonymous surveys and the units whose response rate and results this person may see."""
    user: User = request.user  # type: ignore[assignment]
    allowed = units_with_perm(user, Perm.RESULTS_VIEW)
    rows = []
    if allowed.exists():
        allowed_units = list(allowed.order_by("path"))
        for campaign in Campaign.objects.filter(mode=Mode.ANONYMOUS).exclude(status=Campaign.Status.DRAFT).select_related(
            "version__questionnaire"
        ).order_by("-opens_on"):
            units = [u for u in allowed_units if _in_scope(campaign, u)]
            top = [u for u in units if not any(u.path != o.path and u.path.startswith(o.path) for o in units)]
            if top:
                rows.append({"campaign": campaign, "units": top})
    return render(request, "surveys/anon/results_index.html", {"rows": rows})


# ------------------------------------------------------------------------ a unit's page


@reports_output
@login_required
def anon_results(request: HttpRequest, campaign_id: Any, code: str) -> HttpResponse:
    """A unit's response rate and (once closed) results, next to the whole organisation."""
    campaign = _campaign(campaign_id)
    unit = _get_unit_for_results(request, campaign, code)
    user: User = request.user  # type: ignore[assignment]
    allowed = _allowed_units(user)
    locale = get_language() or "nb"

    rates = anonymity.campaign_rates(campaign)
    rate_node = rates.nodes.get(f"u:{code}") or rates.node_for_unit(unit.pk)
    if rate_node is not None and rate_node.unit.id not in allowed:
        rate_node = None
    rate_children = []
    if rate_node is not None and rate_node.kind == "total":
        rate_children = [rates.nodes[k] for k in rates.order
                         if rates.nodes[k].unit.path.startswith(rate_node.unit.path) and rates.nodes[k].key != rate_node.key
                         and rates.nodes[k].unit.id in allowed]  # fmt: skip

    results = anonymity.campaign_results(campaign)
    ctx: dict[str, Any] = {
        "campaign": campaign, "unit": unit, "rates": rates, "rate_node": rate_node, "rate_children": rate_children,
        "results": results, "thresholds": anonymity.thresholds(), "is_root": unit.parent_id is None,
    }  # fmt: skip
    if results.available:
        labels = _labels(campaign)
        own = request.GET.get("gruppe") == "egen"
        node = results.nodes.get(f"own:{code}" if own else f"u:{code}") or results.nodes.get(f"u:{code}")
        rolled_into = None
        if node is None:
            group = results.node_for_unit(unit.pk)
            rolled_into = group
            node = group if group is not None and group.unit.id in allowed else None
        org = results.nodes.get(results.root)
        children = []
        if node is not None:
            children = [results.nodes[k] for k in node.children if results.nodes[k].unit.id in allowed]
            if node.kind == "own":
                children = []
        overview = []
        if unit.parent_id is None and unit.pk in allowed:
            overview = anonymity.visible_nodes(results, allowed)
        ctx.update({
            "labels": labels, "node": node, "org": org if org is not None and org.key != getattr(node, "key", "") else None,
            "org_node": org, "rolled_into": rolled_into, "children": children, "overview": overview,
            "sections": present.sections(results, node, org, labels) if node is not None and node.shown else [],
            "scores": present.scores(results, node, org, labels) if node is not None and node.shown else [],
            "indicators": present.indicators(results, node, org, locale) if node is not None and node.shown else [],
            "comments": present.comments_by_question(node, labels) if node is not None and node.comments_shown else [],
            "background": _background(results, labels) if node is not None and node.key == results.root else [],
            "node_name": _node_name(node) if node is not None else "",
            "can_follow_up": campaign.status == Campaign.Status.CLOSED and has_perm(user, Perm.RESPONSE_VIEW, unit),
        })  # fmt: skip
    return render(request, "surveys/anon/results.html", ctx)


def _background(results: anonymity.SafeResults, labels: Any) -> list[dict[str, Any]]:
    if not results.background_question or not results.background:
        return []
    score_keys = [s.key for s in results.specs if s.kind == "score"] or [s.key for s in results.specs if s.numeric and not s.sensitive]
    rows = []
    for cat in results.background:
        rows.append({
            "label": labels.option(results.background_question, cat.value), "shown": cat.shown, "n": cat.respondents,
            "means": [(labels.title(k), cat.means.get(k)) for k in score_keys],
        })  # fmt: skip
    return rows


@reports_output
@login_required
def anon_results_csv(request: HttpRequest, campaign_id: Any, code: str) -> HttpResponse:
    """The unit's results (and the units below it that the person may see) as CSV, with the
    organisation for comparison. The same rule as the pages; cells neutralised."""
    campaign = _campaign(campaign_id)
    unit = _get_unit_for_results(request, campaign, code)
    results = anonymity.campaign_results(campaign)
    if not results.available:
        raise Http404
    allowed = _allowed_units(request.user)  # type: ignore[arg-type]
    labels = _labels(campaign)
    nodes = [n for n in anonymity.visible_nodes(results, allowed) if n.unit.path.startswith(unit.path)]
    root = results.nodes.get(results.root)
    if root is not None and root not in nodes:
        nodes.insert(0, root)
    headers = {
        "group": _("Gruppe"), "kind": _("Merknad"), "respondents": _("Svar i gruppen"), "question": _("Spørsmål"),
        "option": _("Svaralternativ"), "count": _("Antall"), "percent": _("Prosent"), "mean": _("Gjennomsnitt"),
        "n": _("Svar på spørsmålet"),
    }  # fmt: skip
    reasons = {"few": _("skjult: for få svar"), "remainder": _("skjult: ville avslørt en liten gruppe"), "": ""}

    def label(kind: str, key: str) -> str:
        if kind == "header":
            return str(headers[key])
        if kind == "node":
            return _node_name(results.nodes[key])
        if kind == "reason":
            return str(reasons.get(key, key))
        if kind == "measure":
            group = labels.measure_group.get(key)
            return f"{group}: {labels.title(key)}" if group else labels.title(key)
        measure, _sep, value = key.partition("|")
        return labels.option(measure, value)

    out = HttpResponse(content_type="text/csv; charset=utf-8")
    out["Content-Disposition"] = f'attachment; filename="resultater-{campaign.year}-{unit.code}.csv"'
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    for row in anonymity.csv_rows(results, nodes, label):
        writer.writerow(row)
    return out


# ------------------------------------------------------------------------ HMS admin


def _require_admin(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not has_perm(user, Perm.ORG_ADMINISTER):
        raise Http404
    return user


@login_required
@require_POST
def anon_campaign_invite(request: HttpRequest, campaign_id: Any) -> HttpResponse:
    actor = _require_admin(request)
    campaign = _campaign(campaign_id)
    try:
        n = services.anonymous_campaign_invite(actor=actor, campaign=campaign)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(n)s nye personer er invitert.") % {"n": n})
    return redirect("campaign_detail", campaign_id=campaign.pk)


@login_required
@require_POST
def anon_campaign_remind(request: HttpRequest, campaign_id: Any) -> HttpResponse:
    actor = _require_admin(request)
    campaign = _campaign(campaign_id)
    try:
        n = services.anonymous_campaign_remind(actor=actor, campaign=campaign)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Påminnelse er sendt til %(n)s personer som ikke har svart.") % {"n": n})
    return redirect("campaign_detail", campaign_id=campaign.pk)


def campaign_admin_context(campaign: Campaign) -> dict[str, Any]:
    """What the campaign page shows the HMS admin for an anonymous campaign (counts only)."""
    rates = anonymity.campaign_rates(campaign)
    return {
        "anon_rates": rates,
        "anon_rate_nodes": [rates.nodes[k] for k in rates.order],
        "anon_invited": sum(n.invited or 0 for n in rates.nodes.values() if n.key == rates.root),
        "anon_comment_counts": selectors.comment_counts(campaign) if campaign.status == Campaign.Status.CLOSED else None,
        "anon_thresholds": anonymity.thresholds(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def anon_comments(request: HttpRequest, campaign_id: Any) -> HttpResponse:
    """Screen the free-text answers: release as written, release redacted, or withhold.

    The reviewer sees the text and the question only - not the unit, and in random order.
    """
    actor = _require_admin(request)
    campaign = _campaign(campaign_id)
    if campaign.status != Campaign.Status.CLOSED:
        messages.info(request, _("Fritekstsvar vurderes etter at undersøkelsen er lukket."))
        return redirect("campaign_detail", campaign_id=campaign.pk)
    comments = selectors.comments_for_review(campaign)
    if request.method == "POST":
        decisions: dict[str, tuple[str, str]] = {}
        for c in comments:
            status = request.POST.get(f"status-{c.pk}")
            if status is None:
                continue
            decisions[str(c.pk)] = (status, request.POST.get(f"text-{c.pk}", ""))
        try:
            counts = services.comments_review(actor=actor, campaign=campaign, decisions=decisions)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Vurderingen er lagret: %(r)s frigitt, %(d)s redigert, %(w)s holdt tilbake.")
                             % {"r": counts["released"], "d": counts["redacted"], "w": counts["withheld"]})  # fmt: skip
            return redirect("anon_comments", campaign_id=campaign.pk)
    labels = _labels(campaign)
    rows = [{"c": c, "question": labels.title(c.question.removesuffix("-Comment"))} for c in comments]
    return render(request, "surveys/anon/comments.html", {"campaign": campaign, "rows": rows,
                                                          "statuses": AnonymousComment.Status.choices})  # fmt: skip


# ------------------------------------------------------------------------ ARK follow-up


class MeetingForm(AccessibleFormMixin, forms.Form):
    held_on = forms.DateField(label=gettext_lazy("Dato for tilbakemeldingsmøtet"), widget=forms.DateInput(attrs={"type": "date"}))
    attendees = forms.IntegerField(label=gettext_lazy("Antall deltakere"), min_value=0, max_value=10000, required=False)
    summary = forms.CharField(
        label=gettext_lazy("Kort oppsummering"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Hva ble dere enige om? Ikke skriv navn eller opplysninger om enkeltpersoner."),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._decorate_widgets()


class MeasureForm(AccessibleFormMixin, forms.Form):
    title = forms.CharField(label=gettext_lazy("Tiltak"), max_length=300)
    description = forms.CharField(label=gettext_lazy("Beskrivelse"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    owner_role = forms.ChoiceField(
        label=gettext_lazy("Ansvarlig rolle"), required=False,
        choices=[("", "–"), (Role.LEADER.value, Role.LEADER.label), (Role.VERNEOMBUD.value, Role.VERNEOMBUD.label),
                 (Role.HMS_COORDINATOR.value, Role.HMS_COORDINATOR.label), (Role.HR.value, Role.HR.label)],
    )  # fmt: skip
    due_date = forms.DateField(label=gettext_lazy("Frist"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._decorate_widgets()


@login_required
@require_http_methods(["GET", "POST"])
def anon_followup(request: HttpRequest, campaign_id: Any, code: str) -> HttpResponse:
    """The unit's follow-up: fact sheet, feedback meeting and the measures agreed there."""
    campaign = _campaign(campaign_id)
    unit = _get_unit_for_results(request, campaign, code)
    user: User = request.user  # type: ignore[assignment]
    can_edit = has_perm(user, Perm.RESPONSE_EDIT, unit) and campaign.status == Campaign.Status.CLOSED
    followup = SurveyFollowUp.objects.filter(campaign=campaign, unit=unit).select_related("fact_sheet").first()
    meeting_form = MeetingForm(initial={"held_on": getattr(followup, "meeting_held_on", None) or timezone.localdate(),
                                        "attendees": getattr(followup, "meeting_attendees", None),
                                        "summary": getattr(followup, "meeting_summary", "")})  # fmt: skip
    measure_form = MeasureForm(initial={"due_date": timezone.localdate() + dt.timedelta(days=90)})
    if request.method == "POST":
        if not can_edit:
            raise Http404
        action = request.POST.get("action")
        try:
            if action == "fact_sheet":
                response = services.followup_fact_sheet_start(actor=user, campaign=campaign, unit=unit)
                return redirect("response_wizard", response_id=response.pk)
            if action == "meeting":
                meeting_form = MeetingForm(request.POST)
                if meeting_form.is_valid():
                    d = meeting_form.cleaned_data
                    services.followup_record_meeting(actor=user, campaign=campaign, unit=unit, held_on=d["held_on"],
                                                     attendees=d["attendees"], summary=d["summary"])  # fmt: skip
                    messages.success(request, _("Tilbakemeldingsmøtet er registrert."))
                    return redirect("anon_followup", campaign_id=campaign.pk, code=unit.code)
            elif action == "measure":
                measure_form = MeasureForm(request.POST)
                if measure_form.is_valid():
                    d = measure_form.cleaned_data
                    services.followup_add_measure(actor=user, campaign=campaign, unit=unit, title=d["title"],
                                                  description=d["description"], due_date=d["due_date"],
                                                  owner_role=d["owner_role"])  # fmt: skip
                    messages.success(request, _("Tiltaket er lagt i enhetens handlingsplan."))
                    return redirect("anon_followup", campaign_id=campaign.pk, code=unit.code)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except PermissionDenied:
            messages.error(request, _("Du kan ikke gjøre dette for enheten."))
    actions = _actions(followup)
    ctx = {
        "campaign": campaign, "unit": unit, "followup": followup, "can_edit": can_edit,
        "meeting_form": meeting_form, "measure_form": measure_form, "actions": actions,
    }  # fmt: skip
    return render(request, "surveys/anon/followup.html", ctx)


def _actions(followup: SurveyFollowUp | None) -> list[Any]:
    if followup is None or not followup.action_ids:
        return []
    try:
        from workflows.models import ActionItem
    except ImportError:  # pragma: no cover
        return []
    return list(ActionItem.objects.filter(pk__in=followup.action_ids).order_by("due_date", "pk"))
