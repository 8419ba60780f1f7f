"""Exports of responses as CSV and XLSX.

* Joint and named responses: one row per response (campaign, unit, status, when it was
  submitted, who signed, then every question as the form shows the answer).
* Anonymous surveys: never a row per respondent. The export holds the campaign's results
  after the group-size rule (`reports.anonymity.campaign_results`: one row per group, question
  and answer option), with no identifiers; hidden groups and questions appear with a reason and
  no number.

Every text cell is neutralised (`reports.anonymity.csv_safe`): text a spreadsheet would run as a
formula (starting with =, +, -, @, tab or carriage return) gets a leading apostrophe; XLSX cells
are also written as typed strings, never formulas. Numbers stay numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.models import OrgUnit
from reports import anonymity
from reports import formatting as fmt
from surveys.models import Campaign, Mode, Response

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Cell = str | int | float | None


def safe(value: Any) -> Cell:
    """A cell: numbers as numbers, everything else as neutralised text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Ja") if value else _("Nei")
    if isinstance(value, (int, float)):
        return value
    return anonymity.csv_safe(value)


# ============================================================================ named responses


def _signatures(response: Response) -> str:
    sigs = getattr(response, "active_sigs", None)
    if sigs is None:
        sigs = list(response.active_signatures().select_related("signer"))
    return "; ".join(f"{s.signer.get_full_name() or s.signer.username} ({s.get_capacity_display()}, "
                     f"{fmt.date(timezone.localtime(s.signed_at))})" for s in sigs)  # fmt: skip


def named_rows(campaign: Campaign, unit_ids: Iterable[int], *, locale: str = "nb") -> Iterator[list[Cell]]:
    """Header and one row per joint or named response of the campaign in the given units."""
    from django.db.models import Prefetch

    from surveys import engine_api
    from surveys.models import ResponseSignature

    responses = list(
        Response.objects.filter(campaign=campaign, unit_id__in=list(unit_ids))
        .select_related("version", "unit", "person")
        .prefetch_related(Prefetch("signatures", queryset=ResponseSignature.objects.filter(voided_at__isnull=True)
                                   .select_related("signer"), to_attr="active_sigs"))  # fmt: skip
        .order_by("unit__path", "person__last_name", "pk")
    )
    sessions: dict[int, Any] = {}
    columns: list[tuple[str, str]] = []
    seen: set[str] = set()
    for r in sorted({r.version_id: r for r in responses}.values(), key=lambda r: -r.version.number):
        session = sessions[r.version_id] = engine_api.Session(r.version, {}, locale=locale)
        for page in session.all_pages():
            for q in session.page(page).questions():
                if q.type in ("html", "image") or q.name in seen:
                    continue
                seen.add(q.name)
                columns.append((q.name, q.title or q.name))
    named = campaign.mode == Mode.INDIVIDUAL
    header = [_("Kampanje"), _("År"), _("Enhetskode"), _("Enhet")]
    if named:
        header.append(_("Person"))
    header += [_("Status"), _("Levert"), _("Signaturer")] + [title for _n, title in columns]
    yield [safe(h) for h in header]
    for r in responses:
        session = sessions.get(r.version_id)
        row: list[Cell] = [safe(campaign.title), campaign.year, safe(r.unit_code or r.unit.code), safe(r.unit_name or r.unit.name)]
        if named:
            row.append(safe(r.person.get_full_name() if r.person else ""))
        row += [safe(str(r.get_status_display())), safe(fmt.date(timezone.localtime(r.submitted_at)) if r.submitted_at else ""),
                safe(_signatures(r))]  # fmt: skip
        for name, _title in columns:
            value = r.answers.get(name)
            if value is None:
                row.append("")
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                row.append(value)
            else:
                row.append(safe(engine_api.display_value(session, name, value) if session else str(value)))
        yield row


# ============================================================================ anonymous results


def anonymous_rows(campaign: Campaign, unit: OrgUnit, allowed: set[int] | None, *, locale: str = "nb") -> Iterator[list[Cell]]:
    """The campaign's results after the rule for the groups at or below `unit` that may be seen
    (`allowed` unit ids; None: all), with the organisation for comparison."""
    from surveys.anon.questions import labels_for

    results = anonymity.campaign_results(campaign)
    if not results.available:
        yield [safe(_("Resultatene vises når undersøkelsen er lukket.") if results.reason == "open" else _("Det er ingen svar å vise."))]
        return
    labels = labels_for(campaign.version, locale)
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
            n = results.nodes[key]
            suffix = {"own": _("bare enheten selv"), "total": _("med enhetene under")}.get(n.kind)
            return f"{n.unit.name} – {suffix}" if suffix else n.unit.name
        if kind == "reason":
            return str(reasons.get(key, key))
        if kind == "measure":
            group = labels.measure_group.get(key)
            return f"{group}: {labels.title(key)}" if group else labels.title(key)
        measure, _sep, value = key.partition("|")
        return labels.option(measure, value)

    for row in anonymity.csv_rows(results, nodes, label):
        # csv_rows neutralises every cell as text; give numbers back their type for XLSX.
        yield [_typed(v) for v in row]


def _typed(value: str) -> Cell:
    if value == "" or value.startswith("'"):
        return value
    try:
        return int(value)
    except ValueError:
        pass
    try:
        return float(value)
    except ValueError:
        return value


# ============================================================================ files


def rows_for(campaign: Campaign, unit: OrgUnit, allowed: set[int] | None, *, locale: str = "nb") -> Iterator[list[Cell]]:
    if campaign.mode == Mode.ANONYMOUS:
        return anonymous_rows(campaign, unit, allowed, locale=locale)
    from reports.selectors import Lineage

    lin = Lineage()
    scope = lin.scope(lin.info(unit))
    if allowed is not None:
        scope &= allowed
    return named_rows(campaign, scope, locale=locale)


def to_csv(rows: Iterable[Sequence[Cell]]) -> bytes:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return out.getvalue().encode("utf-8")


def _csv_cell(value: Cell) -> Cell:
    """Decimal numbers with the language's decimal mark (a comma in Norwegian spreadsheets)."""
    from django.utils.formats import number_format

    if isinstance(value, float) and not value.is_integer():
        return number_format(value, use_l10n=True, force_grouping=False)
    if isinstance(value, float):
        return int(value)
    return "" if value is None else value


def to_xlsx(rows: Iterable[Sequence[Cell]], *, title: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = (anonymity.csv_safe(title).lstrip("'") or "Svar")[:31].replace("/", "-").replace(":", "-")
    widths: dict[int, int] = {}
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            if isinstance(value, str):
                cell.value = value
                cell.data_type = "s"  # literal text, never a formula
            else:
                cell.value = value
            if r == 1:
                cell.font = Font(bold=True)
            widths[c] = max(widths.get(c, 8), min(len(str(value or "")) + 2, 60))
    for c, w in widths.items():
        ws.column_dimensions[get_column_letter(c)].width = w
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def filename(campaign: Campaign, unit: OrgUnit, ext: str) -> str:
    stamp = dt.date.today().isoformat()
    key = campaign.version.questionnaire.key
    return f"svar-{key}-{campaign.year}-{unit.code}-{stamp}.{ext}"
