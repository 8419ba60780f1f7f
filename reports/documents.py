"""The Word reports: the annual AMU report and a unit's annual report, and the check of an
uploaded replacement template.

The AMU report's text blocks (`amu_blocks`) are plain strings made with reports.formatting;
the AMU page shows the same blocks, so every figure in the document is the figure on the page.
Rendering goes through reports.docx.render_docx (sandboxed Jinja, autoescape): user text is
never evaluated and cannot change the document's structure.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from reports import charts, definitions
from reports import formatting as fmt
from reports.docx import Image, render_docx
from reports.selectors import (
    AmuReport,
    AnnualYear,
    Attainment,
    Cell,
    InjuryStats,
    SurveyTrend,
)

TEMPLATES = Path(__file__).resolve().parent / "templates_docx"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ARK_TABLE_KINDS = ("score",)


# ============================================================================ shared wording


def state_label(state: str) -> str:
    return {
        "submitted": _("Levert (signert av begge)"),
        "signed_by_one": _("Signert av én"),
        "draft": _("Under arbeid"),
        "missing": _("Ikke startet"),
    }.get(state, state)


def capacity_label(capacity: str) -> str:
    return {"leader": _("Leder"), "verneombud": _("Verneombud")}.get(capacity, capacity)


def attainment_label(a: Attainment) -> str:
    return {
        "met": _("Nådd"),
        "missed": _("Ikke nådd"),
        "pending": _("Ikke avgjort ennå"),
        "no_data": _("Ingen tall"),
        "hidden": _("Skjult (for få svar)"),
    }.get(a.status, a.status)


def hidden_label(cell: Cell) -> str:
    if cell.reason in ("few", "remainder", "hidden_group"):
        return _("skjult")
    if cell.reason == "rolled_up":
        return _("slått sammen")
    return fmt.DASH


def cell_text(cell: Cell, kind: str) -> str:
    if not cell.shown:
        return hidden_label(cell)
    value = cell.primary(kind)
    if value is None:
        return fmt.DASH
    return fmt.figure(value, "score" if kind == "score" else ("share" if cell.share is not None else "mean"))


def measure_title(goal: Any, cache: dict[tuple[str, str], Any] | None = None) -> str:
    """The question or dimension a survey goal is about, in words."""
    from django.utils.translation import get_language

    from reports.models import HmsGoal
    from reports.selectors import ARK, BAROMETER, catalog_of

    key = ARK if goal.indicator == HmsGoal.Indicator.ARK_SCORE else BAROMETER
    cache = cache if cache is not None else {}
    lang = get_language() or "nb"
    if (key, lang) not in cache:
        cache[(key, lang)] = catalog_of(key, lang)
    return cache[(key, lang)].title(goal.measure)


def goal_text(goal: Any, cache: dict[tuple[str, str], Any] | None = None) -> tuple[str, str]:
    """(what the goal is, its target) in words."""
    from reports.models import HmsGoal

    label = str(goal.get_indicator_display())
    if goal.measure:
        label = f"{label}: {measure_title(goal, cache)}"
    ind = goal.indicator
    if ind == HmsGoal.Indicator.H2_BELOW:
        target = _("under %(v)s") % {"v": fmt.rate(goal.target_value)}
    elif ind == HmsGoal.Indicator.REPORT_SIGNED_BY:
        target = _("innen %(d)s") % {"d": fmt.date(goal.target_date)}
    elif ind == HmsGoal.Indicator.BAROMETER_FAVOURABLE:
        target = _("minst %(v)s") % {"v": fmt.pct(goal.target_value)}
    elif ind == HmsGoal.Indicator.ARK_SCORE:
        target = _("minst %(v)s") % {"v": fmt.score(goal.target_value)}
    else:
        target = _("0 over frist")
    return label, target


# ============================================================================ trend tables


def _last_columns(trend: SurveyTrend, year: int | None, n: int = 3) -> list[int]:
    idx = [i for i, c in enumerate(trend.columns) if year is None or c.year <= year]
    return idx[-n:]


def trend_block(trend: SurveyTrend, *, year: int | None = None, keys: Sequence[str] | None = None,
                kinds: Sequence[str] | None = None, n: int = 3) -> dict[str, Any]:  # fmt: skip
    """A trend table with the last `n` years up to `year` (DOCX and AMU page)."""
    cols = _last_columns(trend, year, n)
    years = [str(trend.columns[i].year) for i in cols]
    pad = [fmt.DASH] * (n - len(cols))
    head = {"title": _("Spørsmål"), "change": _("Endring"), "org": _("Hele organisasjonen")}
    labels = pad + years
    for i, label in enumerate(labels):
        head[f"y{i}"] = label
    rows = []
    for row in trend.rows:
        if keys is not None and row.key not in keys:
            continue
        if kinds is not None and row.kind not in kinds:
            continue
        if not row.favourable and row.kind != "score":
            continue
        values = [cell_text(row.cells[i], row.kind) for i in cols]
        last = cols[-1] if cols else None
        change = row.changes[last] if last is not None else None
        kind = "score" if row.kind == "score" else "share"
        change_text = fmt.change(change, kind) + (" *" if last is not None and row.matters[last] else "")
        org = cell_text(row.org[last], row.kind) if last is not None else fmt.DASH
        entry = {"key": row.key, "title": row.title, "change": change_text, "org": org,
                 "matters": bool(last is not None and row.matters[last])}  # fmt: skip
        for i, v in enumerate([*pad, *values]):
            entry[f"y{i}"] = v
        rows.append(entry)
    if trend.columns and cols:
        col = trend.columns[cols[-1]]
        if col.node_shown and col.respondents:
            note = _("%(unit)s: %(n)s svar i %(year)s.") % {"unit": trend.unit.name, "n": col.respondents, "year": col.year}
        elif col.rolled_into:
            note = _("%(unit)s har for få svar til å vises for seg (slått sammen med %(group)s).") % {
                "unit": trend.unit.name, "group": col.rolled_into}  # fmt: skip
        else:
            note = _("Ingen resultater kan vises for %(unit)s.") % {"unit": trend.unit.name}
    else:
        note = _("Ingen lukkede undersøkelser ennå.")
    return {"head": head, "rows": rows, "note": note, "years": years}


# ============================================================================ AMU report blocks


def _annual_block(report: AmuReport) -> dict[str, Any]:
    a: AnnualYear | None = report.annual_this
    if a is None:
        return {"summary": _("Ingen HMS-årsrapport er sendt ut for %(year)s.") % {"year": report.year}, "units": []}
    units = []
    for r in a.rows:
        sigs = "; ".join(f"{name} ({capacity_label(cap)}, {fmt.date(timezone.localtime(at))})" for name, cap, at in r.signatures)
        units.append({"unit": r.unit_name, "status": state_label(r.state), "state": r.state,
                      "submitted": fmt.date(timezone.localtime(r.submitted_at)) if r.submitted_at else fmt.DASH,
                      "signatures": sigs or fmt.DASH})  # fmt: skip
    summary = _("%(sub)s av %(n)s enheter har levert (%(pct)s), %(one)s er signert av én, %(draft)s er under arbeid og %(miss)s er ikke startet.") % {
        "sub": a.states["submitted"], "n": a.units, "pct": fmt.pct(a.share_submitted), "one": a.states["signed_by_one"],
        "draft": a.states["draft"], "miss": a.states["missing"]}  # fmt: skip
    return {"summary": summary, "units": units}


def _indicator_rows(report: AmuReport) -> list[dict[str, Any]]:
    rows = []
    for i in report.indicators:
        previous = cell_text(i.previous_cell, i.cell_kind) if i.previous_cell is not None else fmt.figure(i.previous, i.kind)
        current = cell_text(i.current_cell, i.cell_kind) if i.current_cell is not None else fmt.figure(i.current, i.kind)
        note = ""
        if i.kind in ("share", "score") and i.previous_label and i.current_label and i.previous_label != str(report.year - 1):
            note = _("målt %(a)s og %(b)s") % {"a": i.previous_label, "b": i.current_label}
        elif i.kind in ("share", "score") and i.current_label != str(report.year):
            note = _("siste måling %(b)s") % {"b": i.current_label}
        rows.append({"key": i.key, "title": i.title, "previous": previous, "current": current,
                     "change": fmt.change(i.change, i.kind) + (" *" if i.matters else ""), "note": note,
                     "matters": i.matters})  # fmt: skip
    return rows


def _goal_rows(report: AmuReport) -> tuple[str, list[dict[str, Any]]]:
    rows = []
    cache: dict[tuple[str, str], Any] = {}
    for goal, a in report.goals:
        what, target = goal_text(goal, cache)
        rows.append({"id": goal.pk, "unit": goal.unit.name, "goal": what, "target": target,
                     "result": a.value_text or fmt.DASH, "status": attainment_label(a), "state": a.status})  # fmt: skip
    met = sum(1 for _g, a in report.goals if a.status == "met")
    summary = (_("%(met)s av %(n)s mål er nådd.") % {"met": met, "n": len(report.goals)}) if report.goals else _(
        "Ingen HMS-mål er satt for året.")  # fmt: skip
    return summary, rows


def _injury_block(stats: InjuryStats, year: int) -> dict[str, Any]:
    years = []
    for y in stats.years:
        if y.year > year or not y.reported:
            continue
        t = y.total
        years.append({"year": str(y.year), "hours": fmt.num(t.hours), "lti": fmt.num(t.lti), "mti": fmt.num(t.mti),
                      "days_lost": fmt.num(t.days_lost) if t.days_known else fmt.DASH, "h1": fmt.rate(t.h1),
                      "h2": fmt.rate(t.h2), "f": fmt.rate(t.f)})  # fmt: skip
    this = next((y for y in stats.years if y.year == year), None)
    if this is None or not this.reported:
        this = next((y for y in reversed(stats.years) if y.year <= year and y.reported), None)
    sites = []
    recon = []
    if this is not None:
        for code, name, _own, total in this.sites:
            sites.append({"code": code, "site": f"{name} ({this.year})", "hours": fmt.num(total.hours), "h1": fmt.rate(total.h1),
                          "h2": fmt.rate(total.h2), "f": fmt.rate(total.f)})  # fmt: skip
        for r in this.reconciliation:
            rep, reg = r["reported"], r["registered"]
            recon.append({"site": f"{r['name']} ({this.year})",
                          "reported": _("%(l)s fravær, %(m)s uten fravær, %(d)s dager") % {"l": rep["lti"], "m": rep["mti"], "d": fmt.num(rep["days_lost"])},
                          "registered": _("%(l)s fravær, %(m)s uten fravær, %(d)s dager") % {"l": reg["lti"], "m": reg["mti"], "d": fmt.num(reg["days_lost"])},
                          "agrees": _("Ja") if r["agrees"] else _("Nei")})  # fmt: skip
    if not years:
        note = _("Ingen signert personskadestatistikk for enheten ennå. Tallene fra avvikene står under «Avvik».")
    else:
        note = _("H1 = skader med fravær, H2 = alle personskader unntatt førstehjelp, F = fraværsdager, alle per million arbeidstimer. Egne ansatte og innleide sammen med entreprenører; tallene er summert før de er delt.")
    return {"years": years, "sites": sites, "reconciliation": recon, "note": note}


def _deviation_block(report: AmuReport) -> dict[str, Any]:
    from workflows.models import Deviation

    head = {f"y{i}": str(d.year) for i, d in enumerate(report.deviations)}
    rows = [{"title": str(_("Alle avvik")), **{f"y{i}": fmt.num(d.total) for i, d in enumerate(report.deviations)}}]
    for value, label in Deviation.Category.choices:
        rows.append({"title": str(label), **{f"y{i}": fmt.num(d.by_category.get(value, 0)) for i, d in enumerate(report.deviations)}})
    rows.append({"title": str(_("Høyrisikohendelser (HRI)")), **{f"y{i}": fmt.num(d.hri) for i, d in enumerate(report.deviations)}})
    rows.append({"title": str(_("Lukket innen fristen")),
                 **{f"y{i}": f"{d.closed_on_time}/{d.closed_with_deadline}" for i, d in enumerate(report.deviations)}})  # fmt: skip
    rows.append({"title": str(_("Fortsatt åpne")), **{f"y{i}": fmt.num(d.open_now) for i, d in enumerate(report.deviations)}})
    this = next((d for d in report.deviations if d.year == report.year), None)
    summary = (_("Avvik registrert i %(year)s: %(n)s. Personskader: %(inj)s. Høyrisikohendelser (HRI): %(hri)s.") % {
        "n": this.total, "year": report.year, "inj": this.by_category.get("injury", 0), "hri": this.hri}) if this else ""  # fmt: skip
    return {"head": head, "rows": rows, "summary": summary}


def _action_block(report: AmuReport) -> dict[str, Any]:
    from workflows.models import ActionItem

    a = report.actions
    statuses = [{"status": str(label), "count": fmt.num(a.by_status.get(value, 0))} for value, label in ActionItem.Status.choices]
    overdue = [{"title": i["title"], "unit": i["unit"], "owner": i["owner"] or fmt.DASH, "due": fmt.date(i["due"]),
                "days_over": fmt.num(i["days_over"])} for i in a.overdue_items]  # fmt: skip
    summary = _("%(u)s tiltak er ikke fullført; %(o)s av dem er over fristen.") % {"u": a.unfinished, "o": a.overdue_now}
    if a.overdue_now > len(overdue):
        summary += " " + _("Listen viser de %(n)s som har vært over frist lengst.") % {"n": len(overdue)}
    return {"statuses": statuses, "overdue": overdue, "summary": summary}


BAROMETER_CHILD_KEYS = ("barometer_routines_followed", "barometer_deviation_habit", "barometer_overall_quality")


def _children_block(report: AmuReport) -> tuple[dict[str, str], list[dict[str, str]]]:
    head = {}
    rows = []
    for i, key in enumerate(BAROMETER_CHILD_KEYS, start=1):
        row = report.barometer.row(key)
        head[f"m{i}"] = row.title if row else key
    for child, trend in report.barometer_children:
        cols = _last_columns(trend, report.year, 1)
        if not cols:
            continue
        col = trend.columns[cols[0]]
        entry = {"unit": f"{child.name} ({col.year})",
                 "respondents": fmt.num(col.respondents) if col.node_shown and col.respondents else _("skjult")}  # fmt: skip
        for i, key in enumerate(BAROMETER_CHILD_KEYS, start=1):
            row = trend.row(key)
            entry[f"m{i}"] = cell_text(row.cells[cols[0]], row.kind) if row else fmt.DASH
        rows.append(entry)
    return head, rows


def definitions_text() -> list[str]:
    from reports.anonymity import thresholds

    t = thresholds()
    return [
        _("Resultater fra anonyme undersøkelser vises bare for grupper der minst %(n)s har svart (%(ns)s for spørsmål om mobbing, trakassering og vold). Små enheter er slått sammen med enheten over, og tall som sammen med andre tall ville avslørt en liten gruppe, er skjult («skjult»).") % {"n": t.normal, "ns": t.sensitive},
        _("Andel positive svar: andelen av dem som svarte på spørsmålet som ga et positivt svar (for eksempel «ofte», «nesten alltid» eller «alltid»; 4 eller 5 på en skala fra 1 til 5). «Ikke relevant»-svar telles ikke med; «vet ikke» gjør det."),
        _("Skår for dimensjonene i arbeidsmiljøundersøkelsen: gjennomsnitt på skalaen 1–5 gjort om til 0–100. For arbeidsmengde, tempo, rollekonflikt, arbeid–privatliv og belastning betyr høy skår mer belastning."),
        str(_("* betyr at endringen er større enn det tilfeldig variasjon kan forklare (95 % sikkerhet, beregnet ut fra antall svar begge år). Endringer i HMS-årsrapporten gjelder alle enhetene og har ingen slik markering.")),
        _("H1, H2 og F kommer fra den signerte personskadestatistikken. 12-måneders glidende verdier bruker personskadene registrert som avvik og arbeidstimene fra statistikken."),
    ]  # fmt: skip


def summary_lines(report: AmuReport, blocks: Mapping[str, Any]) -> list[str]:
    lines = []
    a = report.annual_this
    if a is not None:
        lines.append(_("%(sub)s av %(n)s enheter har levert HMS-årsrapporten for %(year)s.") % {"sub": a.submitted, "n": a.units, "year": report.year})
    by_key = {i.key: i for i in report.indicators}
    h2 = by_key.get("h2")
    if h2 is not None and h2.current is not None:
        lines.append(_("H2-verdien var %(v)s (året før: %(p)s).") % {"v": fmt.rate(h2.current), "p": fmt.rate(h2.previous)})
    for key in ("barometer_routines_followed", "barometer_overall_quality"):
        i = by_key.get(key)
        if i is not None and i.current is not None:
            lines.append(_("«%(title)s»: %(v)s positive svar i %(year)s.") % {"title": i.title, "v": fmt.pct(i.current), "year": i.current_label})
    lines.append(blocks["actions"]["summary"])
    if blocks["deviations"]["summary"]:
        lines.append(blocks["deviations"]["summary"])
    lines.append(blocks["goals"]["summary"])
    return lines


def amu_blocks(report: AmuReport) -> dict[str, Any]:
    """Everything the AMU report writes, as strings (the AMU page shows the same blocks)."""
    goals_summary, goal_rows = _goal_rows(report)
    child_head, child_rows = _children_block(report)
    barometer = trend_block(report.barometer, year=report.year)
    barometer["children"] = child_rows
    barometer["children_head"] = child_head
    blocks: dict[str, Any] = {
        "indicators": _indicator_rows(report),
        "annual": _annual_block(report),
        "goals": {"summary": goals_summary, "rows": goal_rows},
        "barometer": barometer,
        "ark": trend_block(report.ark, year=report.year, kinds=("score",)),
        "injuries": _injury_block(report.injuries, report.year),
        "deviations": _deviation_block(report),
        "actions": _action_block(report),
        "definitions": definitions_text(),
    }
    blocks["summary"] = summary_lines(report, blocks)
    return blocks


# ============================================================================ charts


def _panels_from_trend(trend: SurveyTrend, *, year: int | None, kinds: Sequence[str] | None = None,
                       keys: Sequence[str] | None = None) -> tuple[list[charts.Panel], list[str]]:  # fmt: skip
    cols = [i for i, c in enumerate(trend.columns) if year is None or c.year <= year]
    labels = [str(trend.columns[i].year) for i in cols]
    panels = []
    unit_label = trend.unit.name
    for row in trend.rows:
        if keys is not None and row.key not in keys:
            continue
        if kinds is not None and row.kind not in kinds:
            continue
        if not row.favourable and row.kind != "score":
            continue
        unit_values = [row.cells[i].primary(row.kind) for i in cols]
        series = [charts.Series(unit_label, unit_values, gid=f"unit-{row.key}")]
        if not trend.is_root:
            series.append(charts.Series(_("Hele organisasjonen"), [row.org[i].primary(row.kind) for i in cols],
                                        colour=charts.ORG_COLOUR, dashed=True, gid=f"org-{row.key}"))  # fmt: skip
        panels.append(charts.Panel(title=row.title, series=series, ymax=100.0))
    return panels, labels


def trend_chart(trend: SurveyTrend, *, year: int | None = None, kinds: Sequence[str] | None = None,
                keys: Sequence[str] | None = None) -> Any:  # fmt: skip
    panels, labels = _panels_from_trend(trend, year=year, kinds=kinds, keys=keys)
    unit = "" if kinds == ("score",) else "%"
    return charts.small_multiples(panels, labels, empty_text=_("Ingen tall kan vises (for få svar)."), unit=unit)


def annual_chart(years: Sequence[AnnualYear], *, year: int | None = None) -> Any:
    ys = [a for a in years if year is None or a.year <= year]
    labels = [str(a.year) for a in ys]
    panels = [
        charts.Panel(_("Leverte HMS-årsrapporter"), [charts.Series(_("Andel enheter"), [a.share_submitted for a in ys], gid="annual-submitted")]),
        charts.Panel(_("Enheter med handlingsplan"), [charts.Series(_("Andel enheter"), [a.share_action_plan for a in ys], gid="annual-plan")]),
        charts.Panel(_("Minst fire møter leder–verneombud"), [charts.Series(_("Andel enheter"), [a.share_meetings4 for a in ys], gid="annual-meetings")]),
    ]  # fmt: skip
    return charts.small_multiples(panels, labels, empty_text=_("Ingen tall."))


def injury_chart(stats: InjuryStats, *, year: int | None = None) -> Any:
    r = stats.rolling
    if year is not None and not r.empty:
        r = r[[m.year <= year for m in r["month"]]]
    labels = [f"{m.month:02d}.{m.year % 100:02d}" for m in r["month"]] if not r.empty else []
    series = [
        charts.Series(_("H1, 12 måneder"), [None if v != v else v for v in r["h1"]] if not r.empty else [], gid="rolling-h1"),
        charts.Series(_("H2, 12 måneder"), [None if v != v else v for v in r["h2"]] if not r.empty else [],
                      colour=charts.series_colours(1), gid="rolling-h2"),
    ]  # fmt: skip
    return charts.line_chart(labels, series, title=_("Personskader per million arbeidstimer, glidende 12 måneder"),
                             empty_text=_("Ingen arbeidstimer rapportert for enheten."), tick_every=max(len(labels) // 8, 1))  # fmt: skip


def deviation_chart(report: AmuReport) -> Any:
    from workflows.models import Deviation

    cats = [str(label) for _v, label in Deviation.Category.choices]
    series = [charts.Series(str(d.year), [d.by_category.get(v, 0) for v, _l in Deviation.Category.choices],
                            colour=charts.series_colours(i), gid=f"deviations-{d.year}")
              for i, d in enumerate(report.deviations)]  # fmt: skip
    return charts.bar_chart(cats, series, title=_("Avvik per kategori"), empty_text=_("Ingen avvik."))


def amu_charts(report: AmuReport, names: Sequence[str] | None = None) -> dict[str, Any]:
    """The AMU report's charts (only `names` when given)."""
    makers = {
        "annual": lambda: annual_chart(report.annual, year=report.year),
        "barometer": lambda: trend_chart(report.barometer, year=report.year,
                                         keys=[r["key"] for r in trend_block(report.barometer, year=report.year)["rows"]][:9]),
        "ark": lambda: trend_chart(report.ark, year=report.year, kinds=("score",)),
        "injuries": lambda: injury_chart(report.injuries, year=report.year),
        "deviations": lambda: deviation_chart(report),
    }  # fmt: skip
    return {name: make() for name, make in makers.items() if names is None or name in names}


# ============================================================================ the documents


def amu_labels() -> dict[str, str]:
    return {
        "heading": _("HMS-rapport til arbeidsmiljøutvalget"), "summary": _("Sammendrag"),
        "key_indicators": _("Nøkkeltall"), "key_indicators_intro": _("Endring fra året før. * betyr en endring utover tilfeldig variasjon."),
        "indicator": _("Nøkkeltall"), "previous": _("Året før"), "current": _("I år"), "change": _("Endring"), "note": _("Merknad"),
        "annual_status": _("HMS-årsrapporten per enhet"), "unit": _("Enhet"), "status": _("Status"), "submitted": _("Levert"),
        "signatures": _("Signaturer"), "goals": _("HMS-mål"), "goal": _("Mål"), "target": _("Målverdi"), "result": _("Resultat"),
        "attainment": _("Oppnådd"), "barometer": _("HMS-barometeret"), "barometer_units": _("Enhetene (siste måling)"),
        "respondents": _("Svar"), "m1": "", "m2": "", "m3": "", "ark": _("Arbeidsmiljøundersøkelsen"),
        "injuries": _("Personskader (H1, H2 og F)"), "year": _("År"), "hours": _("Arbeidstimer"),
        "lti": _("Skader med fravær"), "mti": _("Skader uten fravær"), "days_lost": _("Fraværsdager"), "h1": "H1",
        "h2": "H2", "f": "F", "injury_sites": _("Per rapporterende enhet"), "site": _("Enhet"),
        "reconciliation": _("Avstemming mot avvikene"),
        "reconciliation_intro": _("Personskader i statistikken sammenlignet med personskader registrert som avvik samme år."),
        "reported": _("I statistikken"), "registered": _("Registrert som avvik"), "agrees": _("Stemmer"),
        "actions": _("Handlingsplanen"), "count": _("Antall"), "overdue": _("Tiltak over frist"), "action": _("Tiltak"),
        "owner": _("Ansvarlig"), "due": _("Frist"), "days_over": _("Dager over frist"), "deviations": _("Avvik"),
        "category": _("Kategori"), "definitions": _("Slik er tallene laget"),
    }  # fmt: skip


def amu_context(report: AmuReport, *, blocks: Mapping[str, Any] | None = None) -> dict[str, Any]:
    blocks = dict(blocks or amu_blocks(report))
    labels = amu_labels()
    head = blocks["barometer"].get("children_head", {})
    labels.update({k: head.get(k, "") for k in ("m1", "m2", "m3")})
    figs = amu_charts(report)
    now = timezone.localtime(report.generated)
    context = {
        "labels": labels,
        "report": {
            "unit": report.unit.name,
            "year": str(report.year),
            "period": _("Året %(year)s, med utviklingen fra %(first)s") % {"year": report.year, "first": report.years[0]},
            "generated": _("Laget i Verne %(date)s") % {"date": date_format(now, "SHORT_DATETIME_FORMAT")},
        },
        "footer": f"{labels['heading']} – {report.unit.name} – {report.year}",
        "charts": {name: Image(charts.png(fig), 165) for name, fig in figs.items()},
        **blocks,
    }
    return context


def active_template(kind: str) -> Any:
    """The uploaded replacement template (a file object) or the built-in one (a path)."""
    from reports.models import ReportTemplate

    uploaded = ReportTemplate.objects.filter(kind=kind).only("content").first()
    if uploaded is not None:
        return io.BytesIO(bytes(uploaded.content))
    return TEMPLATES / f"{kind}.docx"


def amu_docx(report: AmuReport, *, template: Any = None, blocks: Mapping[str, Any] | None = None) -> bytes:
    return render_docx(template or active_template("amu_report"), amu_context(report, blocks=blocks))


# ---------------------------------------------------------------------------- a unit's report


def unit_report_context(response: Any, *, locale: str = "nb") -> dict[str, Any]:
    """A joint response: its answers, its signatures and the unit's action plan."""
    from django.db.models import Q

    from surveys import engine_api
    from workflows.models import ActionItem
    from workflows.selectors import action_plan

    session = engine_api.session_for_response(response, locale, prefill=False)
    answers = []
    for page in engine_api.answer_summary(session):
        answers.append({"question": page.title.upper() if page.title else "", "answer": ""})
        for q in page.questions:
            answers.append({"question": q.question.title or q.question.name, "answer": q.display if q.answered else fmt.DASH})
    signatures = [{"signer": s.signer.get_full_name() or s.signer.username, "capacity": capacity_label(s.capacity),
                   "signed_at": date_format(timezone.localtime(s.signed_at), "SHORT_DATETIME_FORMAT")}
                  for s in response.active_signatures().select_related("signer")]  # fmt: skip
    actions = []
    plan = action_plan(response.unit).filter(Q(source_response=response) | Q(status__in=ActionItem.UNFINISHED))
    for a in plan:
        actions.append({"title": a.display_title, "owner": (a.owner.get_full_name() or a.owner.username) if a.owner else fmt.DASH,
                        "due": fmt.date(a.due_date), "status": str(a.get_status_display()) + (f" ({_('over frist')})" if a.is_overdue() else "")})  # fmt: skip
    from reports.selectors import _state

    labels = {
        "heading": _("HMS-årsrapport for enheten"), "year": _("År"), "questionnaire": _("Skjema"), "status": _("Status"),
        "submitted": _("Levert"), "signatures": _("Signaturer"), "signer": _("Signert av"), "capacity": _("Som"),
        "signed_at": _("Tidspunkt"), "answers": _("Svarene"), "question": _("Spørsmål"), "answer": _("Svar"),
        "action_plan": _("Handlingsplanen"), "action_plan_intro": _("Tiltak fra denne rapporten og enhetens andre tiltak som ikke er fullført."),
        "action": _("Tiltak"), "owner": _("Ansvarlig"), "due": _("Frist"),
    }  # fmt: skip
    now = timezone.localtime()
    return {
        "labels": labels,
        "report": {
            "unit": response.unit_name or response.unit.name,
            "year": str(response.campaign.year) if response.campaign else "",
            "questionnaire": response.version.questionnaire.title,
            "status": state_label(_state(response)),
            "submitted": date_format(timezone.localtime(response.submitted_at), "SHORT_DATETIME_FORMAT") if response.submitted_at else fmt.DASH,
            "generated": _("Laget i Verne %(date)s") % {"date": date_format(now, "SHORT_DATETIME_FORMAT")},
        },
        "footer": f"{labels['heading']} – {response.unit_name or response.unit.name}",
        "signatures": signatures,
        "answers": answers,
        "actions": actions,
    }  # fmt: skip


def unit_report_docx(response: Any, *, locale: str = "nb", template: Any = None) -> bytes:
    return render_docx(template or active_template("unit_report"), unit_report_context(response, locale=locale))


# ============================================================================ uploaded templates

MAX_TEMPLATE_BYTES = 5 * 1024 * 1024


def sample_context(kind: str) -> dict[str, Any]:
    """Made-up data with every field the real report has (for test-rendering an upload)."""
    one_pixel = charts.png(charts.line_chart(["1"], [charts.Series("x", [1.0])], size=(1.0, 0.6)), dpi=40)
    if kind == "amu_report":
        row3 = {"y0": "1 %", "y1": "2 %", "y2": "3 %"}
        return {
            "labels": {**amu_labels(), "m1": "A", "m2": "B", "m3": "C"},
            "report": {"unit": "Eksempel", "year": "2026", "period": "2024–2026", "generated": "1.1.2026"},
            "footer": "Eksempel",
            "charts": {n: Image(one_pixel, 20) for n in ("annual", "barometer", "ark", "injuries", "deviations")},
            "summary": ["Eksempel"],
            "indicators": [{"key": "x", "title": "Eksempel", "previous": "1", "current": "2", "change": "+1", "note": "", "matters": False}],
            "annual": {"summary": "Eksempel", "units": [{"unit": "Eksempel", "status": "Levert", "state": "submitted", "submitted": "1.1.2026", "signatures": "A, B"}]},
            "goals": {"summary": "Eksempel", "rows": [{"id": 1, "unit": "Eksempel", "goal": "H2", "target": "under 5", "result": "4", "status": "Nådd", "state": "met"}]},
            "barometer": {"head": {"title": "Spørsmål", "change": "Endring", "org": "Org", **row3}, "rows": [{"key": "x", "title": "Eksempel", "change": "+1", "org": "1 %", "matters": False, **row3}],
                          "note": "Eksempel", "years": ["2024", "2025", "2026"], "children": [{"unit": "Eksempel", "respondents": "10", "m1": "1 %", "m2": "2 %", "m3": "3 %"}],
                          "children_head": {"m1": "A", "m2": "B", "m3": "C"}},
            "ark": {"head": {"title": "Dimensjon", "change": "Endring", "org": "Org", **row3}, "rows": [{"key": "x", "title": "Eksempel", "change": "+1", "org": "1", "matters": False, **row3}],
                    "note": "Eksempel", "years": ["2024", "2025", "2026"]},
            "injuries": {"years": [{"year": "2026", "hours": "1", "lti": "0", "mti": "0", "days_lost": "0", "h1": "0", "h2": "0", "f": "0"}],
                         "sites": [{"code": "X", "site": "Eksempel", "hours": "1", "h1": "0", "h2": "0", "f": "0"}],
                         "reconciliation": [{"site": "Eksempel", "reported": "0", "registered": "0", "agrees": "Ja"}], "note": "Eksempel"},
            "deviations": {"head": {"y0": "2024", "y1": "2025", "y2": "2026"}, "rows": [{"title": "Eksempel", "y0": "1", "y1": "2", "y2": "3"}], "summary": "Eksempel"},
            "actions": {"statuses": [{"status": "Åpen", "count": "1"}], "overdue": [{"title": "Eksempel", "unit": "Eksempel", "owner": "A", "due": "1.1.2026", "days_over": "1"}], "summary": "Eksempel"},
            "definitions": ["Eksempel"],
        }  # fmt: skip
    return {
        "labels": {k: k for k in ("heading", "year", "questionnaire", "status", "submitted", "signatures", "signer", "capacity",
                                  "signed_at", "answers", "question", "answer", "action_plan", "action_plan_intro", "action", "owner", "due")},
        "report": {"unit": "Eksempel", "year": "2026", "questionnaire": "HMS-årsrapport", "status": "Levert", "submitted": "1.1.2026", "generated": "1.1.2026"},
        "footer": "Eksempel",
        "signatures": [{"signer": "A", "capacity": "Leder", "signed_at": "1.1.2026"}],
        "answers": [{"question": "Eksempel", "answer": "Ja"}],
        "actions": [{"title": "Eksempel", "owner": "A", "due": "1.1.2026", "status": "Åpen"}],
    }  # fmt: skip


def _known_names(context: Mapping[str, Any]) -> set[str]:
    return set(context)


def check_template(kind: str, content: bytes) -> list[str]:
    """Problems with an uploaded template, in plain words (empty: it can be used).

    The file must be a Word document (.docx) no larger than 5 MB; its fields must be ones the
    report fills in; and it must render with made-up data in the same sandbox the real report
    uses (no code, no files, nothing outside the report's data).
    """
    from docxtpl import DocxTemplate
    from jinja2 import TemplateSyntaxError
    from jinja2.exceptions import SecurityError, UndefinedError

    if len(content) > MAX_TEMPLATE_BYTES:
        return [_("Filen er større enn 5 MB.")]
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            if "word/document.xml" not in z.namelist():
                return [_("Filen er ikke et Word-dokument (.docx).")]
    except zipfile.BadZipFile:
        return [_("Filen er ikke et Word-dokument (.docx). Lagre malen i Word som «Word-dokument (*.docx)» og prøv igjen.")]
    context = sample_context(kind)
    try:
        tpl = DocxTemplate(io.BytesIO(content))
        from reports.docx import sandboxed_environment

        unknown = sorted(tpl.get_undeclared_template_variables(jinja_env=sandboxed_environment()) - _known_names(context))
    except TemplateSyntaxError as exc:
        return [_("Malen har en feil i en flettekode (%(msg)s). Sjekk at hver {{ … }} og {%% … %%} er skrevet riktig og ikke er delt opp av formatering.") % {"msg": exc.message or ""}]
    except Exception:
        return [_("Word-dokumentet kunne ikke leses. Åpne det i Word, lagre det på nytt og prøv igjen.")]
    if unknown:
        return [_("Malen bruker felt som rapporten ikke har: %(names)s.") % {"names": ", ".join(unknown)}]
    try:
        render_docx(io.BytesIO(content), context)
    except SecurityError:
        return [_("Malen prøver å gjøre noe som ikke er tillatt i en rapportmal (for eksempel å kalle funksjoner).")]
    except UndefinedError as exc:
        return [_("Malen bruker et felt som ikke finnes: %(msg)s.") % {"msg": exc.message or ""}]
    except TemplateSyntaxError as exc:
        return [_("Malen har en feil i en flettekode (%(msg)s).") % {"msg": exc.message or ""}]
    except Exception as exc:
        return [_("Malen kunne ikke fylles ut med eksempeldata: %(msg)s.") % {"msg": str(exc)[:200]}]
    return []


def definitions_for_docs() -> dict[str, Any]:
    """The definitions module's constants, for docs and tests."""
    return {"z": definitions.Z95, "not_applicable": sorted(definitions.NOT_APPLICABLE)}
