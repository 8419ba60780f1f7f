"""Pages of the reports app: trends per unit and questionnaire, the AMU report, goals, exports
and report templates. Figures come from reports.selectors (the group-size rule applied there);
objects are fetched through `_get_x_for_user` helpers that 404 when the person may not see them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.models import OrgUnit, User
from core.permissions import Perm, has_perm, units_with_perm
from surveys.models import Campaign, Response

from . import charts, documents, exports, selectors, services
from .forms import GoalForm, TemplateUploadForm
from .models import HmsGoal, ReportTemplate

QUESTIONNAIRES = {
    selectors.BAROMETER: "survey",
    selectors.ARK: "survey",
    selectors.ANNUAL: "annual",
    selectors.INJURY: "injuries",
}


def _locale() -> str:
    return (get_language() or "nb").split("-")[0]


def _get_unit_for_user(request: HttpRequest, code: str, perm: Perm) -> OrgUnit:
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None or not has_perm(request.user, perm, unit):
        raise Http404
    return unit


def _get_goal_for_user(request: HttpRequest, pk: int, perm: Perm) -> HmsGoal:
    goal = HmsGoal.objects.select_related("unit", "action").filter(pk=pk).first()
    if goal is None or not has_perm(request.user, perm, goal.unit):
        raise Http404
    return goal


def _get_response_for_user(request: HttpRequest, response_id: Any) -> Response:
    response = (
        Response.objects.select_related("unit", "campaign", "version__questionnaire")
        .filter(pk=response_id, person__isnull=True, campaign__isnull=False)
        .first()
    )
    if response is None or not has_perm(request.user, Perm.RESPONSE_VIEW, response.unit):
        raise Http404
    return response


def _get_campaign_for_export(request: HttpRequest, campaign_id: Any, code: str) -> tuple[Campaign, OrgUnit]:
    campaign = Campaign.objects.select_related("version__questionnaire").filter(pk=campaign_id).first()
    unit = _get_unit_for_user(request, code, Perm.EXPORT_RESPONSES)
    if campaign is None or campaign.status == Campaign.Status.DRAFT:
        raise Http404
    if not any(unit.path.startswith(u.path) or u.path.startswith(unit.path) for u in campaign.units.all()):
        raise Http404
    return campaign, unit


def _year(request: HttpRequest) -> int | None:
    try:
        year = int(request.GET.get("ar", ""))
    except ValueError:
        return None
    return year if 2000 <= year <= 2100 else None


# ============================================================================ index and unit


@login_required
def reports_index(request: HttpRequest) -> HttpResponse:
    """The units whose trends this person may see, and the reports they may make."""
    user: User = request.user  # type: ignore[assignment]
    units = list(selectors.units_for_reports(user).filter(valid_to__isnull=True))
    top = [u for u in units if not any(u.path != o.path and u.path.startswith(o.path) for o in units)]
    root = OrgUnit.objects.filter(parent__isnull=True).first()
    ctx = {
        "units": units,
        "top": top,
        "can_amu": root is not None and has_perm(user, Perm.REPORT_AMU, root),
        "root": root,
        "year": selectors.latest_year(),
        "can_export": units_with_perm(user, Perm.EXPORT_RESPONSES).exists(),
        "can_templates": has_perm(user, Perm.ORG_ADMINISTER),
    }
    return render(request, "reports/index.html", ctx)


@login_required
def unit_reports(request: HttpRequest, code: str) -> HttpResponse:
    """A unit's reports: its trends per questionnaire, its goals, its units."""
    unit = _get_unit_for_user(request, code, Perm.REPORT_VIEW)
    lin = selectors.Lineage()
    info = lin.info(unit)
    child_ids = [c.id for c in lin.children(info)]
    children = [c for c in OrgUnit.objects.filter(pk__in=child_ids).order_by("path") if has_perm(request.user, Perm.REPORT_VIEW, c)]
    goals = list(selectors.goals_for(unit))
    data = selectors.GoalData(lin, _locale())
    goal_rows = []
    cache: dict[Any, Any] = {}
    for g in goals[-20:]:
        what, target = documents.goal_text(g, cache)
        goal_rows.append({"goal": g, "what": what, "target": target, "attainment": selectors.goal_attainment(g, data)})
    ctx = {
        "unit": unit,
        "children": children,
        "predecessors": lin.predecessors(info),
        "questionnaires": [(k, selectors.questionnaire(k)) for k in QUESTIONNAIRES],
        "goal_rows": goal_rows,
        "can_manage_goals": has_perm(request.user, Perm.ACTION_MANAGE, unit),
        "can_amu": has_perm(request.user, Perm.REPORT_AMU, unit),
        "can_export": has_perm(request.user, Perm.EXPORT_RESPONSES, unit),
        "year": selectors.latest_year(),
    }
    return render(request, "reports/unit.html", ctx)


# ============================================================================ trends


def _survey_keys(key: str) -> tuple[str, ...] | None:
    """The ARK trend shows the dimension scores and the items outside the matrices."""
    return ("score", "choice", "boolean") if key == selectors.ARK else None


def _survey_trend(unit: OrgUnit, key: str, until: int | None) -> selectors.SurveyTrend:
    trend = selectors.survey_trend(key, unit, until=until, locale=_locale())
    kinds = _survey_keys(key)
    if kinds is not None:
        trend.rows = [r for r in trend.rows if r.kind in kinds]
    trend.rows = [r for r in trend.rows if r.favourable or r.kind == "score"]
    for row in trend.rows:
        row.options_table = _options_table(trend, row)  # type: ignore[attr-defined]
    return trend


def _options_table(trend: selectors.SurveyTrend, row: selectors.TrendRow) -> list[dict[str, Any]]:
    """The distribution of a measure per year (percent of those who answered), hidden years blank."""
    from . import formatting as fmt

    if row.kind == "score":
        return []
    values: list[str] = []
    for cell in row.cells:
        for v, _c, _p in cell.options:
            if v not in values:
                values.append(v)
    table = []
    for v in values:
        label = trend.catalog.option(row.key, v) if trend.catalog else v
        cells = []
        for cell in row.cells:
            if not cell.shown:
                cells.append(documents.hidden_label(cell))
            else:
                pct = next((p for value, _c, p in cell.options if value == v), None)
                cells.append(fmt.pct(pct))
        table.append({"label": label, "values": cells})
    return table


def _survey_chart(trend: selectors.SurveyTrend) -> Any:
    return documents.trend_chart(trend)


@login_required
def unit_trend(request: HttpRequest, code: str, questionnaire: str) -> HttpResponse:
    """Year by year for one questionnaire: the unit (with the units below it) and the organisation."""
    unit = _get_unit_for_user(request, code, Perm.REPORT_VIEW)
    kind = QUESTIONNAIRES.get(questionnaire)
    if kind is None:
        raise Http404
    until = _year(request)
    q = selectors.questionnaire(questionnaire)
    ctx: dict[str, Any] = {"unit": unit, "questionnaire": questionnaire, "q": q, "kind": kind, "until": until}
    if kind == "survey":
        trend = _survey_trend(unit, questionnaire, until)
        ctx.update({"trend": trend, "years": trend.years, "limits": trend.limits})
        template = "reports/trend_survey.html"
    elif kind == "annual":
        years, catalog = selectors.annual_report_years(unit, until=until, locale=_locale())
        rows = _annual_rows(years, catalog)
        ctx.update({"years": years, "year_list": [y.year for y in years], "rows": rows, "latest": years[-1] if years else None})
        template = "reports/trend_annual.html"
    else:
        stats = selectors.injury_stats(unit, until=until)
        devs = selectors.deviation_years(unit, [y.year for y in stats.years] or [timezone.localdate().year])
        ctx.update({"stats": stats, "deviations": devs, "injury_rows": _injury_rows(stats),
                    "rolling": _rolling_rows(stats)})  # fmt: skip
        template = "reports/trend_injuries.html"
    return render(request, template, ctx)


def _annual_rows(years: list[selectors.AnnualYear], catalog: Any) -> list[dict[str, Any]]:
    """Rows of the annual-report trend: the indicators, then every question with a share."""
    rows = [
        {"key": "submitted", "title": _("Enheter som har levert (signert av begge)"), "values": [y.share_submitted for y in years],
         "counts": [f"{y.submitted}/{y.units}" for y in years]},
        {"key": "action_plan", "title": _("Enheter med handlingsplan"), "values": [y.share_action_plan for y in years],
         "counts": [f"{y.action_plan[0]}/{y.action_plan[1]}" for y in years]},
        {"key": "meetings4", "title": _("Enheter med minst fire møter mellom leder og verneombud"),
         "values": [y.share_meetings4 for y in years], "counts": [f"{y.meetings4[0]}/{y.meetings4[1]}" for y in years]},
    ]  # fmt: skip
    for m in catalog.measures:
        if m.key in ("annual_has_action_plan", "annual_leader_vo_meetings"):
            continue
        if not any(m.key in y.question_shares for y in years):
            continue
        rows.append({"key": m.key, "title": catalog.title(m.key), "values": [y.share(m.key) for y in years],
                     "counts": [f"{y.question_shares.get(m.key, (0, 0))[0]}/{y.question_shares.get(m.key, (0, 0))[1]}" for y in years]})  # fmt: skip
    for row in rows:
        vals = row["values"]
        row["change"] = round(vals[-1] - vals[-2], 1) if len(vals) > 1 and vals[-1] is not None and vals[-2] is not None else None
    return rows


def _injury_rows(stats: selectors.InjuryStats) -> list[dict[str, Any]]:
    return [{"year": y.year, "reported": y.reported, "total": y.total, "own": y.own, "contractor": y.contractor,
             "registered": y.registered, "reconciliation": y.reconciliation} for y in stats.years]  # fmt: skip


def _rolling_rows(stats: selectors.InjuryStats) -> list[dict[str, Any]]:
    r = stats.rolling
    if r.empty:
        return []
    return [{"month": m, "h1": None if h1 != h1 else h1, "h2": None if h2 != h2 else h2, "f": None if f != f else f,
             "estimated": bool(est)} for m, h1, h2, f, est in zip(r["month"], r["h1"], r["h2"], r["f"], r["estimated"], strict=True)]  # fmt: skip


@login_required
def unit_trend_chart(request: HttpRequest, code: str, questionnaire: str) -> HttpResponse:
    """The trend page's chart as SVG (the page's table holds the same figures)."""
    unit = _get_unit_for_user(request, code, Perm.REPORT_VIEW)
    kind = QUESTIONNAIRES.get(questionnaire)
    if kind is None:
        raise Http404
    until = _year(request)
    if kind == "survey":
        fig = _survey_chart(_survey_trend(unit, questionnaire, until))
    elif kind == "annual":
        fig = documents.annual_chart(selectors.annual_report_years(unit, until=until, locale=_locale())[0])
    else:
        fig = documents.injury_chart(selectors.injury_stats(unit, until=until))
    response = HttpResponse(charts.svg(fig), content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


# ============================================================================ the AMU report


def _amu(request: HttpRequest, code: str, year: int) -> tuple[OrgUnit, selectors.AmuReport]:
    unit = _get_unit_for_user(request, code, Perm.REPORT_AMU)
    if not 2000 <= year <= 2100:
        raise Http404
    return unit, selectors.amu_report(unit, year, locale=_locale())


@login_required
def amu_start(request: HttpRequest) -> HttpResponse:
    root = OrgUnit.objects.filter(parent__isnull=True).first()
    if root is None or not has_perm(request.user, Perm.REPORT_AMU, root):
        raise Http404
    return redirect("amu_report", code=root.code, year=selectors.latest_year())


@login_required
def amu_report(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The AMU report as a page (the same blocks as the Word document) with the download."""
    unit, report = _amu(request, code, year)
    blocks = documents.amu_blocks(report)
    ctx = {"unit": unit, "report": report, "blocks": blocks, "year": year,
           "years": list(range(year - 4, min(year + 1, timezone.localdate().year) + 1))}  # fmt: skip
    return render(request, "reports/amu.html", ctx)


@login_required
def amu_report_docx(request: HttpRequest, code: str, year: int) -> HttpResponse:
    unit, report = _amu(request, code, year)
    data = documents.amu_docx(report)
    response = HttpResponse(data, content_type=documents.DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="amu-rapport-{year}-{unit.code}.docx"'
    return response


AMU_CHARTS = ("annual", "barometer", "ark", "injuries", "deviations")


@login_required
def amu_chart(request: HttpRequest, code: str, year: int, name: str) -> HttpResponse:
    if name not in AMU_CHARTS:
        raise Http404
    _unit, report = _amu(request, code, year)
    figs = documents.amu_charts(report, [name])
    response = HttpResponse(charts.svg(figs[name]), content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
def unit_report_docx(request: HttpRequest, response_id: Any) -> HttpResponse:
    """A unit's annual report (a joint response) as a Word document."""
    response = _get_response_for_user(request, response_id)
    data = documents.unit_report_docx(response, locale=_locale())
    out = HttpResponse(data, content_type=documents.DOCX_CONTENT_TYPE)
    year = response.campaign.year if response.campaign else ""
    out["Content-Disposition"] = f'attachment; filename="arsrapport-{year}-{response.unit_code or response.unit.code}.docx"'
    return out


# ============================================================================ goals


def _measure_choices() -> list[tuple[str, str]]:
    out = []
    for key, prefix in ((selectors.BAROMETER, _("Barometer")), (selectors.ARK, _("Arbeidsmiljø"))):
        catalog = selectors.catalog_of(key, _locale())
        for m in catalog.measures:
            if key == selectors.ARK and m.kind != "score":
                continue
            if key == selectors.BAROMETER and selectors._special(m) != "values":
                continue
            out.append((m.key, f"{prefix}: {catalog.title(m.key)}"))
    return out


@login_required
def goal_list(request: HttpRequest, code: str) -> HttpResponse:
    unit = _get_unit_for_user(request, code, Perm.REPORT_VIEW)
    data = selectors.GoalData(locale=_locale())
    cache: dict[Any, Any] = {}
    rows = []
    for g in selectors.goals_for(unit, include_subunits=True):
        if not has_perm(request.user, Perm.REPORT_VIEW, g.unit):
            continue
        what, target = documents.goal_text(g, cache)
        rows.append({"goal": g, "what": what, "target": target, "attainment": selectors.goal_attainment(g, data),
                     "can_manage": has_perm(request.user, Perm.ACTION_MANAGE, g.unit),
                     "can_act": has_perm(request.user, Perm.ACTION_PROPOSE, g.unit)})  # fmt: skip
    return render(request, "reports/goals.html", {"unit": unit, "rows": rows,
                                                  "can_manage": has_perm(request.user, Perm.ACTION_MANAGE, unit)})  # fmt: skip


@login_required
def goal_create(request: HttpRequest, code: str) -> HttpResponse:
    unit = _get_unit_for_user(request, code, Perm.ACTION_MANAGE)
    form = GoalForm(request.POST or None, measures=_measure_choices())
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.goal_create(actor=request.user, unit=unit, year=d["year"], indicator=d["indicator"],  # type: ignore[arg-type]
                                 target_value=d["target_value"], target_date=d["target_date"], measure=d["measure"],
                                 description=d["description"])  # fmt: skip
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Målet er lagret."))
            return redirect("goal_list", code=unit.code)
    return render(request, "reports/goal_form.html", {"unit": unit, "form": form, "goal": None})


@login_required
def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _get_goal_for_user(request, pk, Perm.ACTION_MANAGE)
    initial = {"year": goal.year, "indicator": goal.indicator, "measure": goal.measure, "target_value": goal.target_value,
               "target_date": goal.target_date, "description": goal.description}  # fmt: skip
    form = GoalForm(request.POST or None, initial=initial, measures=_measure_choices())
    form.fields["year"].disabled = True
    form.fields["indicator"].disabled = True
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.goal_update(actor=request.user, goal=goal, target_value=d["target_value"],  # type: ignore[arg-type]
                                 target_date=d["target_date"], measure=d["measure"], description=d["description"])  # fmt: skip
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Målet er lagret."))
            return redirect("goal_list", code=goal.unit.code)
    return render(request, "reports/goal_form.html", {"unit": goal.unit, "form": form, "goal": goal})


@login_required
@require_POST
def goal_delete(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _get_goal_for_user(request, pk, Perm.ACTION_MANAGE)
    code = goal.unit.code
    services.goal_delete(actor=request.user, goal=goal)  # type: ignore[arg-type]
    messages.success(request, _("Målet er slettet."))
    return redirect("goal_list", code=code)


@login_required
@require_POST
def goal_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Turn a missed goal into a proposed action in the unit's action plan."""
    goal = _get_goal_for_user(request, pk, Perm.ACTION_PROPOSE)
    try:
        action = services.goal_create_action(actor=request.user, goal=goal)  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("goal_list", code=goal.unit.code)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("Tiltaket er foreslått i handlingsplanen."))
    return redirect("action_detail", pk=action.pk)


def _form_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# ============================================================================ exports


@login_required
def export_index(request: HttpRequest) -> HttpResponse:
    """Campaigns whose responses this person may export, per unit."""
    user: User = request.user  # type: ignore[assignment]
    allowed = list(units_with_perm(user, Perm.EXPORT_RESPONSES).order_by("path"))
    top = [u for u in allowed if not any(u.path != o.path and u.path.startswith(o.path) for o in allowed)]
    rows = []
    if top:
        for c in Campaign.objects.exclude(status=Campaign.Status.DRAFT).select_related("version__questionnaire").prefetch_related("units").order_by("-year", "title"):
            units = [u for u in top if any(u.path.startswith(cu.path) or cu.path.startswith(u.path) for cu in c.units.all())]
            if units:
                rows.append({"campaign": c, "units": units})
    return render(request, "reports/exports.html", {"rows": rows})


def _export(request: HttpRequest, campaign_id: Any, code: str, ext: str) -> HttpResponse:
    campaign, unit = _get_campaign_for_export(request, campaign_id, code)
    user: User = request.user  # type: ignore[assignment]
    allowed = set(units_with_perm(user, Perm.EXPORT_RESPONSES).values_list("pk", flat=True))
    rows = exports.rows_for(campaign, unit, allowed, locale=_locale())
    if ext == "csv":
        response = HttpResponse(exports.to_csv(rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(exports.to_xlsx(rows, title=campaign.title), content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(campaign, unit, ext)}"'
    return response


@login_required
def export_csv(request: HttpRequest, campaign_id: Any, code: str) -> HttpResponse:
    return _export(request, campaign_id, code, "csv")


@login_required
def export_xlsx(request: HttpRequest, campaign_id: Any, code: str) -> HttpResponse:
    return _export(request, campaign_id, code, "xlsx")


# ============================================================================ templates


def _require_admin(request: HttpRequest) -> User:
    if not has_perm(request.user, Perm.ORG_ADMINISTER):
        raise Http404
    return request.user  # type: ignore[return-value]


@login_required
def report_templates(request: HttpRequest) -> HttpResponse:
    """The HMS admin replaces a Word template; the upload is test-rendered before it is used."""
    actor = _require_admin(request)
    form = TemplateUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read(documents.MAX_TEMPLATE_BYTES + 1)
        try:
            services.report_template_upload(actor=actor, kind=form.cleaned_data["kind"], content=content, filename=upload.name)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("file", message)
        else:
            messages.success(request, _("Malen er kontrollert og tatt i bruk."))
            return redirect("report_templates")
    current = {t.kind: t for t in ReportTemplate.objects.select_related("uploaded_by").defer("content")}
    kinds = [{"kind": k, "label": label, "uploaded": current.get(k)} for k, label in ReportTemplate.Kind.choices]
    return render(request, "reports/templates_admin.html", {"form": form, "kinds": kinds})


@login_required
def report_template_download(request: HttpRequest, kind: str) -> HttpResponse:
    _require_admin(request)
    if kind not in ReportTemplate.Kind.values:
        raise Http404
    source = documents.active_template(kind)
    data = source.read() if hasattr(source, "read") else source.read_bytes()
    response = HttpResponse(data, content_type=documents.DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{kind}.docx"'
    return response


@login_required
@require_POST
def report_template_reset(request: HttpRequest, kind: str) -> HttpResponse:
    actor = _require_admin(request)
    if kind not in ReportTemplate.Kind.values:
        raise Http404
    services.report_template_reset(actor=actor, kind=kind)
    messages.success(request, _("Den innebygde malen brukes igjen."))
    return redirect("report_templates")


def reports_url(unit: OrgUnit) -> str:
    return reverse("unit_reports", kwargs={"code": unit.code})


def today_year() -> int:
    return dt.date.today().year
