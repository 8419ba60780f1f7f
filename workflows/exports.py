"""Files: the action plan as XLSX and DOCX, the round report and the learning report as DOCX.

User text goes in literally: DOCX through reports.docx (sandboxed, autoescaped), XLSX cells are
written as typed strings, so text that starts with `=` is never a formula.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from core.models import OrgUnit
from reports.docx import render_docx

from .models import ActionItem, HmsRound, LearningReport, RoundFinding
from .selectors import workflow_settings

TEMPLATES = Path(__file__).resolve().parent / "templates_docx"

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _date(value: dt.date | None) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else "–"


def _person(user: Any) -> str:
    return (user.get_full_name() or user.username) if user else "–"


def _cost(value: Decimal | None) -> str:
    return f"{value:,.0f}".replace(",", " ") + " kr" if value is not None else "–"


def _generated() -> str:
    now = timezone.localtime()
    return _("Laget i Verne %(date)s") % {"date": date_format(now, "SHORT_DATETIME_FORMAT")}


# ----------------------------------------------------------------------------- action plan


def action_plan_rows(actions: Iterable[ActionItem]) -> list[dict[str, Any]]:
    today = timezone.localdate()
    return [
        {
            "no": a.pk,
            "title": a.display_title,
            "owner": _person(a.owner),
            "due": _date(a.due_date),
            "due_date": a.due_date,
            "status": str(a.get_status_display()) + (f" ({_('forfalt')})" if a.is_overdue(today) else ""),
            "priority": str(a.get_priority_display()),
            "cost": _cost(a.cost_estimate),
            "cost_value": a.cost_estimate,
            "source": str(a.get_source_kind_display()),
            "unit": a.unit.name,
            "overdue": a.is_overdue(today),
        }
        for a in actions
    ]


def action_plan_xlsx(unit: OrgUnit, actions: Iterable[ActionItem]) -> bytes:
    rows = action_plan_rows(actions)
    wb = Workbook()
    ws = wb.active
    ws.title = _("Handlingsplan")[:31]
    headers = [_("Nr."), _("Tiltak"), _("Enhet"), _("Ansvarlig"), _("Frist"), _("Status"), _("Prioritet"),
               _("Kostnadsoverslag (kr)"), _("Kilde")]  # fmt: skip
    ws.append([str(h) for h in headers])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    overdue_fill = PatternFill("solid", fgColor="F9D7D7")
    for r in rows:
        values = [r["no"], r["title"], r["unit"], r["owner"], r["due_date"], r["status"], r["priority"],
                  int(r["cost_value"]) if r["cost_value"] is not None else None, r["source"]]  # fmt: skip
        ws.append(values)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # literal text, never a formula
            if isinstance(cell.value, dt.date):
                cell.number_format = "DD.MM.YYYY"
            if r["overdue"]:
                cell.fill = overdue_fill
    for i, width in enumerate([7, 60, 28, 24, 12, 22, 12, 20, 22], start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def action_plan_docx(unit: OrgUnit, actions: Iterable[ActionItem], filter_text: str) -> bytes:
    labels = {
        "heading": _("HMS-handlingsplan"), "unit": _("Enhet"), "filter": _("Utvalg"), "no": _("Nr."),
        "action": _("Tiltak"), "owner": _("Ansvarlig"), "due": _("Frist"), "status": _("Status"),
        "priority": _("Prioritet"), "cost": _("Kostnad"), "source": _("Kilde"),
    }  # fmt: skip
    return render_docx(
        TEMPLATES / "action_plan.docx",
        {
            "labels": labels,
            "unit": unit.name,
            "filter": filter_text,
            "actions": action_plan_rows(actions),
            "generated": _generated(),
            "footer": f"{unit.name} – {labels['heading']}",
        },
    )


# ----------------------------------------------------------------------------- round report


def _follow_up(finding: RoundFinding) -> str:
    R = RoundFinding.Resolution
    if finding.resolution == R.ACTION and finding.action_id:
        return _("Tiltak nr. %(no)s") % {"no": finding.action_id}
    if finding.resolution == R.DEVIATION and finding.deviation_id:
        return _("Avvik AVVIK-%(no)s") % {"no": finding.deviation_id}
    if finding.resolution == R.RISK_ASSESSMENT and finding.risk_assessment_id:
        return _("Ny risikovurdering")
    if finding.resolution == R.ACCEPTED:
        return _("Godtatt: %(reason)s") % {"reason": finding.resolution_note}
    return str(finding.get_resolution_display())


def round_report_docx(round_: HmsRound) -> bytes:
    settings = workflow_settings()
    findings = list(round_.findings.select_related("action__owner").all())
    snapshot = round_.plan_snapshot or {}
    planning = _(
        "Ved planleggingen: %(deviations)s åpne avvik, %(risk)s risikovurderinger, %(actions)s åpne tiltak "
        "(%(overdue)s over frist)."
    ) % {
        "deviations": snapshot.get("open_deviations", "–"),
        "risk": snapshot.get("risk_assessments", "–"),
        "actions": snapshot.get("open_actions", "–"),
        "overdue": snapshot.get("overdue_actions", "–"),
    }
    band_names = {"green": _("grønn"), "yellow": _("gul"), "red": _("rød")}
    labels = {
        "heading": _("Rapport fra HMS-runde"), "unit": _("Enhet"), "safety_area": _("Verneområde"),
        "status": _("Status"), "planned_date": _("Planlagt"), "conducted_on": _("Gjennomført"),
        "participants": _("Deltakere"), "leader_at_summary": _("Leder ved oppsummering"),
        "focus_topics": _("Særlige tema"), "planning": _("Planleggingsgrunnlag"),
        "employee_talks": _("Samtaler med ansatte"), "findings": _("Funn"), "no": _("Nr."),
        "finding": _("Funn"), "kind": _("Type"), "location": _("Sted"), "risk": _("Risiko"),
        "follow_up": _("Oppfølging"), "actions": _("Tiltak fra runden"), "action": _("Tiltak"),
        "owner": _("Ansvarlig"), "due": _("Frist"), "cost": _("Kostnad"), "summary": _("Oppsummering"),
    }  # fmt: skip
    context = {
        "labels": labels,
        "round": {
            "title": round_.title,
            "unit": round_.unit.name,
            "safety_area": round_.safety_area.name,
            "status": str(round_.get_status_display()),
            "planned_date": _date(round_.planned_date),
            "conducted_on": _date(round_.conducted_on),
            "participants": ", ".join(_person(p) for p in round_.participants.all()) or "–",
            "summarised_by": _person(round_.summarised_by),
            "focus_topics": round_.focus_topics or "–",
            "employee_talks": round_.employee_talks or "–",
            "summary_notes": round_.summary_notes or "–",
            "planning": planning,
        },
        "findings": [
            {
                "no": i,
                "title": f.title + (f"\n{f.description}" if f.description else ""),
                "kind": str(f.get_kind_display()),
                "location": f.location or "–",
                "risk": f"{f.risk_value} ({band_names[settings.risk_band(f.risk_value)]})" if f.risk_value else "–",
                "follow_up": _follow_up(f),
            }
            for i, f in enumerate(findings, start=1)
        ],
        "actions": [
            {
                "no": f.action.pk,
                "title": f.action.display_title,
                "owner": _person(f.action.owner),
                "due": _date(f.action.due_date),
                "cost": _cost(f.action.cost_estimate),
            }
            for f in findings
            if f.action_id
        ],
        "generated": _generated(),
        "footer": f"{round_.unit.name} – {labels['heading']}",
    }
    return render_docx(TEMPLATES / "round_report.docx", context)


def learning_report_docx(report: LearningReport) -> bytes:
    deviation = report.deviation
    labels = {
        "heading": _("Læringsrapport"), "unit": _("Enhet"), "when": _("Når"), "category": _("Kategori"),
        "summary": _("Hva skjedde"), "potential": _("Hva kunne ha skjedd"), "causes": _("Hvorfor skjedde det"),
        "measures": _("Hva vi har gjort"), "learning_points": _("Læringspunkter"),
    }  # fmt: skip
    return render_docx(
        TEMPLATES / "learning_report.docx",
        {
            "labels": labels,
            "report": {
                "title": report.title,
                "unit": deviation.unit.name,
                "when": date_format(timezone.localtime(deviation.occurred_at).date(), "F Y"),
                "category": str(deviation.get_category_display()),
                "summary": report.summary,
                "potential": report.potential,
                "causes": report.causes,
                "measures": report.measures,
                "learning_points": report.learning_points,
            },
            "generated": _generated(),
            "footer": labels["heading"],
        },
    )
