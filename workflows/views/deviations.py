"""Deviations: the one-minute report form (also without a name), handling, receipts, learning reports.

An anonymous report is answered with the receipt page directly (no redirect, no message in the
session, nothing cached), so nothing ties the reporter's session to the case.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.models import User
from core.permissions import Perm, has_perm, units_with_perm
from core.selectors import person_units

from .. import exports, services
from ..forms import (
    CloseDeviationForm,
    DeviationReportForm,
    DeviationReviewForm,
    DeviationUpdateForm,
    LearningReportForm,
    MeasureForm,
    NoticeForm,
    PhotoForm,
    PlanMeasuresForm,
    ReasonForm,
    ReceiptForm,
)
from ..models import Deviation, LearningReport
from ..notifications import unit_case_handlers, unit_leaders
from ..selectors import (
    deviation_by_receipt,
    deviations_for_unit,
    learning_reports_visible_to,
    workflow_settings,
)
from ..services.deviations import EDITABLE_FIELDS, LEARNING_FIELDS
from ._access import (
    _get_deviation_for_user,
    _get_photo_for_user,
    _get_unit_for_user,
    people_for_unit,
)
from ._common import unit_nav

S = Deviation.Status


@login_required
def deviation_report(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    units = units_with_perm(user, Perm.DEVIATION_REPORT).active().order_by("path")
    allow_anonymous = workflow_settings().anonymous_reporting
    initial: dict[str, Any] = {}
    reportable = set(units.values_list("pk", flat=True))
    home = next((e.unit.pk for e in person_units(user) if e.unit.pk in reportable), None)
    if home:
        initial["unit"] = home
    form = DeviationReportForm(request.POST or None, request.FILES or None, units=units,
                               allow_anonymous=allow_anonymous, initial=initial)  # fmt: skip
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            deviation, code = services.deviation_report(
                actor=user, unit=d["unit"], category=d["category"], what=d["what"], location=d["location"],
                occurred_at=d["occurred_at"], involved_party=d["involved_party"],
                actual_severity=d["actual_severity"], potential_severity=d["potential_severity"],
                high_potential=d["high_potential"], immediate_measures=d["immediate_measures"],
                injury_class=d["injury_class"], serious_injury=d["serious_injury"],
                absence_days=d["absence_days"], anonymous=bool(d.get("anonymous")), photos=d["photos"],
            )  # fmt: skip
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            if code is not None:
                response = render(request, "workflows/deviation_receipt_code.html",
                                  {"code": code, "legal": deviation.legal_notice_required})  # fmt: skip
                add_never_cache_headers(response)
                return response
            messages.success(request, _("Takk! Avviket er meldt, og du får beskjed når det behandles."))
            return HttpResponseRedirect(reverse("deviation_detail", kwargs={"pk": deviation.pk}))
    ctx = {"form": form, "has_units": units.exists(), "allow_anonymous": allow_anonymous}
    return render(request, "workflows/deviation_report.html", ctx)


@login_required
def deviation_list(request: HttpRequest, code: str) -> HttpResponse:
    unit = _get_unit_for_user(request, code, Perm.DEVIATION_VIEW)
    show = request.GET.get("vis", "open")
    statuses = {"open": list(Deviation.OPEN_STATUSES), "closed": [S.CLOSED, S.REJECTED]}.get(show)
    subunits = request.GET.get("underenheter") == "1"
    deviations = list(deviations_for_unit(unit, include_subunits=subunits, statuses=statuses)[:500])
    ctx = {
        "unit": unit,
        "nav": unit_nav(request, unit, "deviations"),
        "deviations": deviations,
        "show": show,
        "subunits": subunits,
    }
    return render(request, "workflows/deviation_list.html", ctx)


def _handlers(deviation: Deviation, user: User) -> list[User]:
    """People who may be the case handler: the unit's case handlers and leaders, and the person asking."""
    candidates = {u.pk: u for u in [*unit_case_handlers(deviation.unit), *unit_leaders(deviation.unit), user]}
    return [p for p in candidates.values() if has_perm(p, Perm.DEVIATION_HANDLE, deviation.unit)]


def _detail(request: HttpRequest, deviation: Deviation, **bound: Any) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    may_view = has_perm(user, Perm.DEVIATION_VIEW, deviation.unit)
    may_handle = has_perm(user, Perm.DEVIATION_HANDLE, deviation.unit)
    if not may_view:  # the reporter following their own case
        return render(request, "workflows/deviation_status.html", {"deviation": deviation, "is_reporter": True})
    people = people_for_unit(deviation.unit, user)
    handlers = _handlers(deviation, user)
    forms: dict[str, Any] = {}
    if may_handle:
        forms = {
            "review": DeviationReviewForm(people=handlers, initial={"case_handler": user.pk}),
            "update": DeviationUpdateForm(initial={f: getattr(deviation, f) for f in EDITABLE_FIELDS}),
            "measure": MeasureForm(people=people),
            "plan": PlanMeasuresForm(initial={"cause_analysis": deviation.cause_analysis,
                                              "no_measures_reason": deviation.no_measures_reason}),
            "close": CloseDeviationForm(initial={"feedback_to_reporter": deviation.feedback_to_reporter}),
            "reject": ReasonForm(prefix="reject", label=_("Hvorfor er dette ikke et HMS-avvik")),
            "reopen": ReasonForm(prefix="reopen", label=_("Hvorfor gjenåpnes avviket")),
            "notice": NoticeForm(),
            "photos": PhotoForm(),
        }  # fmt: skip
    may_escalate = has_perm(user, Perm.DEVIATION_ESCALATE, deviation.unit)
    if may_escalate:
        forms["escalate"] = ReasonForm(prefix="escalate", label=_("Hva har skjedd (eller ikke skjedd) i saken"))
    forms.update(bound)
    ctx = {
        "deviation": deviation,
        "unit": deviation.unit,
        "nav": unit_nav(request, deviation.unit, "deviations"),
        "may_handle": may_handle,
        "may_escalate": may_escalate and services.escalation_possible(deviation),
        "show_reporter": may_handle,
        "actions": deviation.actions.select_related("owner").order_by("pk"),
        "photos": list(deviation.photos.all()),
        "learning_report": LearningReport.objects.filter(deviation=deviation).first(),
        # The change log names the reporter of a named report: only for those who may see the reporter.
        "history": list(deviation.history.select_related("history_user").order_by("-history_date", "-history_id")[:50])
        if may_handle else [],
        "forms": forms,
        "error_form": next(iter(bound.values()), None),
    }
    return render(request, "workflows/deviation_detail.html", ctx)


@login_required
def deviation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _get_deviation_for_user(request, pk, allow_reporter=True))


def _post(request: HttpRequest, pk: int, name: str, perm: Perm, form: Any, run: Any, done: str) -> HttpResponse:
    deviation = _get_deviation_for_user(request, pk)
    if not has_perm(request.user, perm, deviation.unit):
        raise PermissionDenied
    if form.is_valid():
        try:
            run(request.user, deviation, form.cleaned_data)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, done)
            return HttpResponseRedirect(reverse("deviation_detail", kwargs={"pk": deviation.pk}))
    return _detail(request, deviation, **{name: form})


def _unit_people(request: HttpRequest, pk: int) -> list[User]:
    deviation = _get_deviation_for_user(request, pk)
    return people_for_unit(deviation.unit, request.user)  # type: ignore[arg-type]


@require_POST
@login_required
def deviation_review(request: HttpRequest, pk: int) -> HttpResponse:
    deviation = _get_deviation_for_user(request, pk)
    handlers = _handlers(deviation, request.user)  # type: ignore[arg-type]
    return _post(
        request, pk, "review", Perm.DEVIATION_HANDLE, DeviationReviewForm(request.POST, people=handlers),
        lambda u, d, c: services.deviation_start_review(actor=u, deviation=d, deadline=c["deadline"],
                                                        case_handler=c["case_handler"]),
        _("Avviket er tatt til behandling."),
    )  # fmt: skip


@require_POST
@login_required
def deviation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request, pk, "update", Perm.DEVIATION_HANDLE, DeviationUpdateForm(request.POST),
        lambda u, d, c: services.deviation_update(actor=u, deviation=d, **c), _("Avviket er oppdatert."),
    )  # fmt: skip


@require_POST
@login_required
def deviation_measure_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request, pk, "measure", Perm.DEVIATION_HANDLE, MeasureForm(request.POST, people=_unit_people(request, pk)),
        lambda u, d, c: services.deviation_add_measure(actor=u, deviation=d, **c), _("Tiltaket er lagt til."),
    )  # fmt: skip


@require_POST
@login_required
def deviation_plan(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request, pk, "plan", Perm.DEVIATION_HANDLE, PlanMeasuresForm(request.POST),
        lambda u, d, c: services.deviation_plan_measures(actor=u, deviation=d, **c),
        _("Årsaksanalyse og tiltak er registrert."),
    )  # fmt: skip


@require_POST
@login_required
def deviation_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request, pk, "close", Perm.DEVIATION_HANDLE, CloseDeviationForm(request.POST),
        lambda u, d, c: services.deviation_close(actor=u, deviation=d, **c), _("Avviket er lukket."),
    )  # fmt: skip


@require_POST
@login_required
def deviation_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request, pk, "reject", Perm.DEVIATION_HANDLE, ReasonForm(request.POST, prefix="reject"),
        lambda u, d, c: services.deviation_reject(actor=u, deviation=d, reason=c["reason"]),
        _("Avviket er avvist."),
    )  # fmt: skip


@require_POST
@login_required
def deviation_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request, pk, "reopen", Perm.DEVIATION_HANDLE, ReasonForm(request.POST, prefix="reopen"),
        lambda u, d, c: services.deviation_reopen(actor=u, deviation=d, reason=c["reason"]),
        _("Avviket er gjenåpnet."),
    )  # fmt: skip


@require_POST
@login_required
def deviation_notice(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request, pk, "notice", Perm.DEVIATION_HANDLE, NoticeForm(request.POST),
        lambda u, d, c: services.deviation_record_notice(actor=u, deviation=d, authority=c["authority"],
                                                         notified_at=c["notified_at"]),
        _("Varslingen er registrert."),
    )  # fmt: skip


@require_POST
@login_required
def deviation_escalate(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request, pk, "escalate", Perm.DEVIATION_ESCALATE, ReasonForm(request.POST, prefix="escalate"),
        lambda u, d, c: services.deviation_escalate_to_amu(actor=u, deviation=d, reason=c["reason"]),
        _("Saken er meldt til AMU."),
    )  # fmt: skip


@require_POST
@login_required
def deviation_photos_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request, pk, "photos", Perm.DEVIATION_HANDLE, PhotoForm(request.POST, request.FILES),
        lambda u, d, c: services.deviation_add_photos(actor=u, deviation=d, photos=c["photos"]),
        _("Bildene er lagt til."),
    )  # fmt: skip


@login_required
def deviation_photo(request: HttpRequest, photo_id: str) -> HttpResponse:
    photo = _get_photo_for_user(request, photo_id)
    response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
def deviation_receipt(request: HttpRequest) -> HttpResponse:
    """Follow an anonymous report with its receipt code (no login: the code is the key)."""
    form = ReceiptForm(request.POST or None)
    deviation = None
    if request.method == "POST" and form.is_valid():
        deviation = deviation_by_receipt(form.cleaned_data["code"])
        if deviation is None:
            form.add_error("code", _("Fant ingen sak med denne koden. Sjekk at den er skrevet riktig."))
    if deviation is not None:
        return render(request, "workflows/deviation_status.html", {"deviation": deviation, "is_reporter": True})
    return render(request, "workflows/deviation_receipt.html", {"form": form})


# ----------------------------------------------------------------------------- learning reports


def _learning_report_for_user(request: HttpRequest, pk: int) -> LearningReport:
    report = LearningReport.objects.select_related("deviation__unit").filter(deviation_id=pk).first()
    if report is None:
        raise Http404
    if report.shared_at and request.user.is_authenticated:
        return report
    if not has_perm(request.user, Perm.DEVIATION_VIEW, report.deviation.unit):
        raise Http404
    return report


@login_required
def learning_report(request: HttpRequest, pk: int) -> HttpResponse:
    report = _learning_report_for_user(request, pk)
    ctx = {
        "report": report,
        "deviation": report.deviation,
        "may_handle": has_perm(request.user, Perm.DEVIATION_HANDLE, report.deviation.unit),
        "may_view_case": has_perm(request.user, Perm.DEVIATION_VIEW, report.deviation.unit),
    }
    return render(request, "workflows/learning_report.html", ctx)


@login_required
def learning_report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    report = _learning_report_for_user(request, pk)
    response = HttpResponse(exports.learning_report_docx(report), content_type=exports.DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="laeringsrapport-{report.deviation_id}.docx"'
    return response


@login_required
def learning_report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    deviation = _get_deviation_for_user(request, pk, Perm.DEVIATION_HANDLE)
    report = LearningReport.objects.filter(deviation=deviation).first()
    initial = {f: getattr(report, f) for f in LEARNING_FIELDS} if report else {
        "title": _("Læring etter hendelse i %(unit)s") % {"unit": deviation.unit.name},
        "measures": "\n".join(a.title for a in deviation.actions.all()),
        "learning_points": deviation.lessons_learned,
    }  # fmt: skip
    form = LearningReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.learning_report_save(actor=request.user, deviation=deviation, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Læringsrapporten er lagret."))
            return HttpResponseRedirect(reverse("learning_report", kwargs={"pk": deviation.pk}))
    return render(request, "workflows/learning_report_form.html", {"form": form, "deviation": deviation})


@require_POST
@login_required
def learning_report_share(request: HttpRequest, pk: int) -> HttpResponse:
    deviation = _get_deviation_for_user(request, pk, Perm.DEVIATION_HANDLE)
    report = LearningReport.objects.filter(deviation=deviation).first()
    if report is None:
        messages.error(request, _("Skriv læringsrapporten først."))
        return HttpResponseRedirect(reverse("deviation_detail", kwargs={"pk": deviation.pk}))
    services.learning_report_share(actor=request.user, report=report)
    messages.success(request, _("Læringsrapporten er delt med hele organisasjonen."))
    return HttpResponseRedirect(reverse("learning_report", kwargs={"pk": deviation.pk}))


@login_required
def learning_report_list(request: HttpRequest) -> HttpResponse:
    reports = list(learning_reports_visible_to(request.user)[:200])  # type: ignore[arg-type]
    return render(request, "workflows/learning_report_list.html", {"reports": reports})
