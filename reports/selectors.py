"""The reports' aggregates: survey trends, annual-report indicators, injury statistics (H1, H2,
F), deviations, the action plan and HMS goals, for a unit (with everything below it) and the
organisation, year by year.

Every page, document, export, API answer and chart of the reports app takes its figures from
here, and every figure from an anonymous survey has passed `reports.anonymity.visibility`
(the group-size rule) before it is computed: hidden cells carry a reason and no number.
Definitions (favourable, significance) are in `reports.definitions`; docs/reports.md explains
them. pandas is used here and in `reports.frames` only.

Units and reorganisations: a unit's history includes the units that were closed into it
(`OrgUnit.successor`, followed to the end of the chain). For named data (annual reports, injury
statistics, deviations, actions) the predecessors' records simply count as the unit's. For
anonymous surveys, whose groups the rule fixed per campaign, a year in which the unit did not
exist shows its predecessor's own (already safe) figures, marked as such; figures are never
re-aggregated across the rule's groups.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from django.db.models import QuerySet
from django.utils import timezone

from core.models import OrgUnit
from reports import anonymity, definitions
from reports.frames import (
    AnswerCounts,
    Catalog,
    anonymous_counts,
    catalog_for,
    joint_answer_frame,
)
from surveys.models import (
    AnonymousAnswer,
    Campaign,
    Mode,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    ResponseSignature,
)

ANNUAL = "hms_annual_report"
BAROMETER = "hms_barometer"
ARK = "work_env_survey"
INJURY = "injury_stats"
TREND_QUESTIONNAIRES = (BAROMETER, ARK, ANNUAL, INJURY)


# ============================================================================ units and lineage


@dataclass(frozen=True)
class UnitInfo:
    id: int
    code: str
    name: str
    path: str
    parent_id: int | None
    successor_id: int | None
    kind: str
    valid_from: dt.date
    valid_to: dt.date | None


class Lineage:
    """Every unit (one query) and where each one ended up after reorganisations."""

    def __init__(self) -> None:
        self.units: dict[int, UnitInfo] = {
            row[0]: UnitInfo(*row)
            for row in OrgUnit.objects.values_list(
                "pk", "code", "name", "path", "parent_id", "successor_id", "kind", "valid_from", "valid_to"
            )
        }
        self.by_code = {u.code: u for u in self.units.values()}
        self._current: dict[int, UnitInfo] = {}

    @property
    def root(self) -> UnitInfo | None:
        return next((u for u in self.units.values() if u.parent_id is None), None)

    def current(self, unit_id: int) -> UnitInfo:
        """The unit a (possibly closed) unit's history belongs to today."""
        found = self._current.get(unit_id)
        if found is None:
            u = self.units[unit_id]
            seen = {u.id}
            while u.successor_id and u.successor_id in self.units and u.successor_id not in seen:
                u = self.units[u.successor_id]
                seen.add(u.id)
            found = self._current[unit_id] = u
        return found

    def scope(self, unit: UnitInfo | OrgUnit) -> set[int]:
        """Ids of the unit, everything below it, and the units that were closed into them."""
        path = unit.path
        return {uid for uid in self.units if self.current(uid).path.startswith(path)}

    def predecessors(self, unit: UnitInfo | OrgUnit) -> list[UnitInfo]:
        """Units (other than itself) whose history now belongs to this unit."""
        uid = unit.pk if isinstance(unit, OrgUnit) else unit.id
        return sorted((u for u in self.units.values() if u.id != uid and self.current(u.id).id == uid), key=lambda u: u.path)

    def info(self, unit: OrgUnit | UnitInfo) -> UnitInfo:
        return self.units[unit.pk if isinstance(unit, OrgUnit) else unit.id]

    def children(self, unit: UnitInfo, *, on: dt.date | None = None) -> list[UnitInfo]:
        on = on or timezone.localdate()
        return sorted((u for u in self.units.values() if u.parent_id == unit.id and u.valid_from <= on
                       and (u.valid_to is None or u.valid_to >= on)), key=lambda u: u.path)  # fmt: skip


def lineage() -> Lineage:
    return Lineage()


# ============================================================================ campaigns


def questionnaire(key: str) -> Questionnaire | None:
    return Questionnaire.objects.filter(key=key).first()


def trend_campaigns(key: str, *, closed_only: bool = True, until: int | None = None) -> list[Campaign]:
    """The campaigns of a questionnaire, one per year (the last one issued), oldest first.

    Anonymous surveys count only once closed (nothing is shown while a survey is open)."""
    qs = Campaign.objects.filter(version__questionnaire__key=key).exclude(status=Campaign.Status.DRAFT)
    if closed_only:
        qs = qs.filter(status=Campaign.Status.CLOSED)
    if until is not None:
        qs = qs.filter(year__lte=until)
    by_year: dict[int, Campaign] = {}
    for c in qs.select_related("version__questionnaire").order_by("year", "created_at"):
        by_year[c.year] = c
    return [by_year[y] for y in sorted(by_year)]


def catalog_of(key: str, locale: str = "nb") -> Catalog:
    versions = list(QuestionnaireVersion.objects.filter(questionnaire__key=key).select_related("questionnaire"))
    return catalog_for(versions, locale)


# ============================================================================ survey figures


@dataclass
class Cell:
    """One measure for one group and year, after the rule. Hidden cells carry no number."""

    shown: bool
    reason: str = ""  # "" | few | remainder | hidden_group | no_group | rolled_up | no_data | open
    n: int | None = None  # answered the question
    base: int | None = None  # counted in the share favourable (n without "not applicable")
    share: float | None = None  # share favourable, %
    mean: float | None = None
    sd: float | None = None
    score: float | None = None  # dimension score 0-100
    options: list[tuple[str, int, float]] = field(default_factory=list)  # value, count, percent
    via: str = ""  # a predecessor unit's name, when the figure is its

    def primary(self, kind: str) -> float | None:
        if not self.shown:
            return None
        if kind == "score":
            return self.score
        if self.share is not None:
            return self.share
        return self.mean


@dataclass
class NodeInfo:
    key: str
    unit_code: str
    unit_name: str
    kind: str
    shown: bool
    reason: str
    respondents: int | None
    rolled_up: list[str] = field(default_factory=list)


@dataclass
class CampaignFigures:
    """One campaign's figures for the nodes asked for (all when None), after the rule.

    Shown cells are computed as a table (`SurveyFigures.frames["cells"]`); a `Cell` object is
    made when it is asked for. Hidden cells carry only their reason."""

    campaign: Campaign
    index: int
    available: bool
    reason: str = ""
    root: str = ""
    nodes: dict[str, NodeInfo] = field(default_factory=dict)  # every node of the display tree
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)  # (node, trend key) -> cell
    group_of_unit: dict[int, str] = field(default_factory=dict)  # unit id -> the most specific node
    _rows: dict[tuple[str, str], tuple[Any, ...]] | None = None
    _options: dict[tuple[str, str], list[tuple[str, int]]] | None = None
    _figures: Any = None
    _vis: Any = None  # the rule's decisions (for the reason a cell is hidden)
    _sensitive: set[str] = field(default_factory=set)

    def cell(self, node: str, key: str) -> Cell:
        found = self.cells.get((node, key))
        if found is not None:
            return found
        if self._figures is not None:
            made = self._figures._make_cell(self, node, key)
            if made is not None:
                self.cells[(node, key)] = made
                return made
        info = self.nodes.get(node)
        if info is None:
            return Cell(shown=False, reason="no_group")
        if not info.shown:
            return Cell(shown=False, reason="hidden_group")
        if self._vis is not None and key in self._vis.measures:
            return Cell(shown=False, reason=self._vis.measure_reason(key, node, sensitive=key in self._sensitive))
        return Cell(shown=False, reason="no_data")


CELL_COLUMNS = ["n", "base", "share", "mean", "sd", "score"]


@dataclass
class SurveyFigures:
    catalog: Catalog
    campaigns: list[Campaign]
    by_campaign: list[CampaignFigures]
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)  # "cells" and "options" of shown cells

    def _make_cell(self, fig: CampaignFigures, node: str, key: str) -> Cell | None:
        """A shown cell from the computed table (rounded as reports.anonymity rounds)."""
        if fig._rows is None:
            cells = self.frames.get("cells")
            fig._rows = {}
            if cells is not None and not cells.empty:
                sub = cells[cells["campaign"] == fig.index]
                for row in zip(sub["node"].tolist(), sub["key"].astype(str).tolist(),
                               *(sub[c].tolist() for c in CELL_COLUMNS), strict=True):  # fmt: skip
                    fig._rows[(row[0], row[1])] = row[2:]
        found = fig._rows.get((node, key))
        if found is None:
            return None
        n, base, share, mean, sd, score = found
        m = self.catalog.measure(key)
        cell = Cell(shown=True, n=int(n))
        if not math.isnan(base):
            cell.base = int(base)
        if not math.isnan(share):
            cell.share = round(share, 1)
        if not math.isnan(mean):
            cell.mean = round(mean, 2)
            cell.sd = round(sd, 2)
        if not math.isnan(score):
            cell.score = round(score, 1)
        if m is not None and m.kind not in ("score", "number"):
            if fig._options is None:
                fig._options = defaultdict(list)
                options = self.frames.get("options")
                if options is not None and not options.empty:
                    sub = options[options["campaign"] == fig.index]
                    for nd, k, v, c in zip(sub["node"].tolist(), sub["key"].astype(str).tolist(), sub["value"].astype(str).tolist(),
                                           sub["count"].tolist(), strict=True):  # fmt: skip
                        fig._options[(nd, k)].append((v, int(c)))
            got = dict(fig._options.get((node, key), []))
            order = list(m.options) + sorted(v for v in got if v not in m.options)
            cell.options = [(v, got.get(v, 0), round(100 * got.get(v, 0) / cell.n, 1) if cell.n else 0.0) for v in order]
        return cell


def _favourable_lookup(catalog: Catalog, value_categories: Sequence[str]) -> tuple[np.ndarray, np.ndarray, list[str | None], list[float | None]]:
    """Per (key code, value code): favourable and excluded flags; per key: special rules."""
    nk, nv = len(catalog.keys), len(value_categories)
    fav = np.zeros((max(nk, 1), max(nv, 1)), dtype=bool)
    excl = np.zeros((max(nk, 1), max(nv, 1)), dtype=bool)
    special: list[str | None] = [None] * nk  # "high" | "low" | "threshold" | "values" | None
    thresholds: list[float | None] = [None] * nk
    values = list(value_categories)
    for i, m in enumerate(catalog.measures):
        if m.kind == "score":
            special[i] = "high" if definitions.score_direction(m.key) == "R" else "low"
            continue
        if m.key in definitions.NUMBER_THRESHOLDS:
            special[i] = "threshold"
            thresholds[i] = definitions.NUMBER_THRESHOLDS[m.key]
            continue
        f = definitions.favourable_for(m.key, kind=m.kind, numeric=m.numeric, options=list(m.options))
        if f is None:
            continue
        special[i] = "values"
        for j, v in enumerate(values):
            fav[i, j] = v in f.values
            excl[i, j] = v in f.excluded
    return fav, excl, special, thresholds


def _unit_stats(counts: AnswerCounts, catalog: Catalog) -> pd.DataFrame:
    """Per campaign, unit and measure: the sums a figure is made of (internal, never shown)."""
    v = counts.values
    if v.empty:
        return pd.DataFrame(columns=["campaign", "unit", "key", "num_n", "total", "sumsq", "high", "low", "fav", "excl"])
    fav_t, excl_t, special, thresholds = _favourable_lookup(catalog, list(v["value"].cat.categories))
    kc = v["key"].cat.codes.to_numpy()
    vc = v["value"].cat.codes.to_numpy()
    c = v["count"].to_numpy(dtype=np.float64)
    num = v["num"].to_numpy(dtype=np.float64)
    has = ~np.isnan(num)
    x = np.where(has, num, 0.0)
    spec = np.asarray([s or "" for s in special], dtype=object)[kc] if len(special) else np.asarray([], dtype=object)
    thr = np.asarray([t if t is not None else np.inf for t in thresholds], dtype=np.float64)[kc] if len(thresholds) else np.asarray([])
    fav = np.where(spec == "values", fav_t[kc, vc], False)
    fav = fav | ((spec == "high") & has & (x >= 4)) | ((spec == "low") & has & (x <= 2)) | ((spec == "threshold") & has & (x >= thr))
    excl = np.where(spec == "values", excl_t[kc, vc], False)
    frame = pd.DataFrame({
        "campaign": v["campaign"].to_numpy(), "unit": v["unit"].to_numpy(), "key": v["key"],
        "num_n": c * has, "total": c * x, "sumsq": c * x * x, "high": c * (has & (x >= 4)),
        "low": c * (has & (x <= 2)), "fav": c * fav, "excl": c * excl,
    })  # fmt: skip
    return frame.groupby(["campaign", "unit", "key"], observed=True, sort=False).sum().reset_index()


def _node_rows(vis: anonymity.Visibility, wanted: set[str] | None) -> list[tuple[str, int]]:
    out = []
    for n in vis.nodes:
        if not vis.shown[n.key] or (wanted is not None and n.key not in wanted):
            continue
        for g in n.groups:
            for uid in g.unit_ids:
                out.append((n.key, uid))
    return out


def survey_figures(campaigns: Sequence[Campaign], catalog: Catalog, *, codes: Iterable[str] | None = None,
                   counts: AnswerCounts | None = None, units: Mapping[int, anonymity.UnitRef] | None = None,
                   limits: anonymity.Thresholds | None = None) -> SurveyFigures:  # fmt: skip
    """Figures of anonymous campaigns for the nodes of the given unit codes (and the organisation),
    or for every node when `codes` is None. The rule decides first; numbers are computed only for
    cells it allows."""
    limits = limits or anonymity.thresholds()
    units = units if units is not None else anonymity.unit_refs()
    wanted = None if codes is None else {f"u:{c}" for c in codes}
    live, archived = [], []
    closed = [c.pk for c in campaigns if c.status == Campaign.Status.CLOSED]
    with_answers = set() if counts is not None or not closed else set(
        AnonymousAnswer.objects.filter(campaign_id__in=closed).values_list("campaign_id", flat=True).distinct()
    )  # fmt: skip
    for i, c in enumerate(campaigns):
        if c.status != Campaign.Status.CLOSED:
            continue
        (live if counts is not None or c.pk in with_answers else archived).append(i)
    if counts is None:
        counts = anonymous_counts([campaigns[i] for i in live], catalog)
        # anonymous_counts numbers campaigns 0..k-1; map back to positions in `campaigns`
        remap = dict(enumerate(live))
        for df in (counts.values, counts.answered, counts.respondents):
            if not df.empty:
                df["campaign"] = df["campaign"].map(remap).astype(np.int16)
    result = SurveyFigures(catalog=catalog, campaigns=list(campaigns), by_campaign=[])
    for i, c in enumerate(campaigns):
        result.by_campaign.append(CampaignFigures(campaign=c, index=i, available=False,
                                                  reason="open" if c.status != Campaign.Status.CLOSED else "no_answers"))  # fmt: skip
    sensitive = {m.key for m in catalog.measures if m.sensitive}
    stats = _unit_stats(counts, catalog)
    answered = counts.answered
    members: list[tuple[int, str, int]] = []
    shown_cells: list[tuple[int, str, str]] = []
    for i in live:
        fig = result.by_campaign[i]
        resp = counts.respondents[counts.respondents["campaign"] == i]
        per_unit = dict(zip(resp["unit"].tolist(), resp["respondents"].tolist(), strict=True))
        a = answered[answered["campaign"] == i]
        measure_counts: dict[str, dict[int, int]] = defaultdict(dict)
        for key, unit, n in zip(a["key"].astype(str).tolist(), a["unit"].tolist(), a["n"].tolist(), strict=True):
            measure_counts[key][unit] = n
        for key in catalog.keys:
            measure_counts.setdefault(key, {})
        vis = anonymity.visibility(units=units, per_unit=per_unit, measure_counts=measure_counts,
                                   sensitive=sensitive, limits=limits)  # fmt: skip
        if vis is None:
            continue
        fig.available = True
        fig.reason = ""
        fig.root = vis.tree.key
        for n in vis.nodes:
            fig.nodes[n.key] = NodeInfo(
                key=n.key, unit_code=n.unit.code, unit_name=n.unit.name, kind=n.kind, shown=vis.shown[n.key],
                reason=vis.node_reason(n.key), respondents=vis.respondents[n.key] if vis.shown[n.key] else None,
                rolled_up=[u.code for u in n.rolled_up],
            )  # fmt: skip
            if n.kind != "total":
                for g in n.groups:
                    for uid in g.unit_ids:
                        fig.group_of_unit[uid] = n.key
        node_wanted = None if wanted is None else wanted | {vis.tree.key}
        members += [(i, node, uid) for node, uid in _node_rows(vis, node_wanted)]
        fig._vis = vis
        fig._sensitive = sensitive
        for key in catalog.keys:
            allowed = vis.measures[key]
            if node_wanted is None:
                shown_cells += [(i, node, key) for node, ok in allowed.items() if ok]
            else:
                shown_cells += [(i, node, key) for node, ok in allowed.items() if ok and node in node_wanted]
    _compute_cells(result, stats, counts, members, shown_cells)
    for i in archived:
        _archived_cells(result.by_campaign[i], catalog, wanted)
    return result


def _compute_cells(result: SurveyFigures, stats: pd.DataFrame, counts: AnswerCounts,
                   members: list[tuple[int, str, int]], shown_cells: list[tuple[int, str, str]]) -> None:  # fmt: skip
    """Numbers for the cells the rule allows, as one table over every node asked for."""
    if not members or not shown_cells:
        return
    catalog = result.catalog
    mem = pd.DataFrame(members, columns=["campaign", "node", "unit"]).astype({"campaign": np.int16, "unit": np.int32})
    mem["node"] = mem["node"].astype("category")
    allowed = pd.DataFrame(shown_cells, columns=["campaign", "node", "key"]).astype({"campaign": np.int16})
    allowed["key"] = pd.Categorical(allowed["key"], categories=catalog.keys)
    allowed["node"] = pd.Categorical(allowed["node"], categories=mem["node"].cat.categories)
    sums = ["num_n", "total", "sumsq", "high", "low", "fav", "excl"]
    keys3 = ["campaign", "node", "key"]
    node_stats = (stats.merge(mem, on=["campaign", "unit"]).groupby(keys3, observed=True, sort=False)[sums].sum().reset_index())
    answered = (counts.answered.merge(mem, on=["campaign", "unit"]).groupby(keys3, observed=True, sort=False)["n"].sum().reset_index()
                .merge(allowed, on=keys3))  # fmt: skip
    cells = answered.merge(node_stats, on=keys3, how="left")
    for c in sums:
        cells[c] = cells[c].fillna(0.0)
    # Per measure: how its share favourable is made (see reports.definitions).
    special = np.asarray([_special(m) or "" for m in catalog.measures], dtype=object)
    kinds = special[cells["key"].cat.codes.to_numpy()] if len(cells) else np.asarray([], dtype=object)
    n = cells["n"].to_numpy(dtype=np.float64)
    num_n = cells["num_n"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(num_n > 0, cells["total"].to_numpy() / num_n, np.nan)
        sd = np.sqrt(np.maximum(cells["sumsq"].to_numpy() / num_n - mean * mean, 0.0))
        base_values = n - cells["excl"].to_numpy()
        base = np.where(kinds == "values", base_values, np.where((kinds == "score") | (kinds == "threshold"), num_n, np.nan))
        share = np.where(base > 0, 100 * cells["fav"].to_numpy() / base, np.nan)
        share = np.where(kinds == "", np.nan, share)
        base = np.where((kinds != "") & ~((kinds != "values") & (num_n == 0)), base, np.nan)
    score = np.where(kinds == "score", (mean - 1) * 25, np.nan)
    cells["base"], cells["share"], cells["mean"], cells["sd"], cells["score"] = base, share, mean, np.where(num_n > 0, sd, np.nan), score
    options = (
        counts.values.merge(mem, on=["campaign", "unit"]).groupby(["campaign", "node", "key", "value"], observed=True, sort=False)["count"]
        .sum().reset_index().merge(allowed, on=keys3)
    )  # fmt: skip
    result.frames = {"cells": cells, "options": options}
    for fig in result.by_campaign:
        fig._figures = result
        fig._rows = None
        fig._options = None


def _special(m: Any) -> str | None:
    if m.kind == "score":
        return "score"
    if m.key in definitions.NUMBER_THRESHOLDS:
        return "threshold"
    return "values" if definitions.favourable_for(m.key, kind=m.kind, numeric=m.numeric, options=list(m.options)) else None


def _archived_cells(fig: CampaignFigures, catalog: Catalog, wanted: set[str] | None) -> None:
    """A campaign whose raw answers were deleted by retention: its archived results (already
    after the rule) are read back; shares favourable are computed from their distributions."""
    results = anonymity.campaign_results(fig.campaign)
    if not results.available:
        fig.reason = results.reason or "no_answers"
        return
    fig.available = True
    fig.reason = ""
    fig.root = results.root
    path_to_key = catalog.by_version.get(fig.campaign.version_id, {})
    local_to_measure = {}
    for m in path_to_key.values():
        local_to_measure[f"score:{m.path}" if m.kind == "score" else m.path] = m
    for key in results.order:
        node = results.nodes[key]
        fig.nodes[key] = NodeInfo(key=key, unit_code=node.unit.code, unit_name=node.unit.name, kind=node.kind,
                                  shown=node.shown, reason=node.reason, respondents=node.respondents,
                                  rolled_up=[u.code for u in node.rolled_up])  # fmt: skip
        if node.kind != "total":
            for uid in node.group_units:
                fig.group_of_unit[uid] = key
        if wanted is not None and key not in wanted and key != results.root:
            continue
        if not node.shown:
            continue
        for local, mr in node.measures.items():
            m = local_to_measure.get(local)
            if m is None:
                continue
            if not mr.shown:
                fig.cells[(key, m.key)] = Cell(shown=False, reason=mr.reason)
                continue
            cell = Cell(shown=True, n=mr.n, mean=mr.mean, sd=mr.sd, options=[(o.value, o.count, o.percent) for o in mr.options])
            if m.kind == "score":
                cell.score = mr.score100
                cell.share = mr.share_high if definitions.score_direction(m.key) == "R" else mr.share_low
                cell.base = mr.n
            else:
                f = definitions.favourable_for(m.key, kind=m.kind, numeric=m.numeric, options=list(m.options))
                if f is not None and mr.n:
                    fav = sum(o.count for o in mr.options if o.value in f.values)
                    base = mr.n - sum(o.count for o in mr.options if o.value in f.excluded)
                    cell.base = base
                    cell.share = round(100 * fav / base, 1) if base > 0 else None
            fig.cells[(key, m.key)] = cell


# ============================================================================ survey trends


@dataclass
class YearColumn:
    year: int
    campaign: Campaign
    available: bool
    reason: str
    node: str = ""  # the node the unit's figures come from
    node_shown: bool = False
    respondents: int | None = None
    via: str = ""  # predecessor unit name
    rolled_into: str = ""  # the group a too-small unit is counted in
    org_respondents: int | None = None


@dataclass
class TrendRow:
    key: str
    title: str
    kind: str
    sensitive: bool
    favourable: bool  # has a share favourable
    cells: list[Cell]
    org: list[Cell]
    changes: list[float | None]  # from the previous year with figures, per year
    matters: list[bool]

    @property
    def measure_label(self) -> str:
        return "score" if self.kind == "score" else ("share" if self.favourable else "mean")


@dataclass
class SurveyTrend:
    questionnaire: str
    title: str
    unit: UnitInfo
    is_root: bool
    columns: list[YearColumn]
    rows: list[TrendRow]
    limits: anonymity.Thresholds
    catalog: Catalog | None = None

    @property
    def years(self) -> list[int]:
        return [c.year for c in self.columns]

    def row(self, key: str) -> TrendRow | None:
        return next((r for r in self.rows if r.key == key), None)


def _value(cell: Cell, kind: str) -> float | None:
    return cell.primary(kind)


def _matters(prev: Cell, cur: Cell, kind: str, min_n: int) -> bool:
    if not (prev.shown and cur.shown):
        return False
    if kind == "score":
        return definitions.mean_change_matters(prev.mean, prev.sd, prev.n, cur.mean, cur.sd, cur.n, min_n=min_n)
    if cur.share is not None and prev.share is not None:
        return definitions.share_change_matters(prev.share, prev.base, cur.share, cur.base, min_n=min_n)
    return False


def trend_rows(figures: SurveyFigures, unit_nodes: Sequence[str], org_nodes: Sequence[str],
               keys: Sequence[str] | None = None, min_n: int = 5) -> list[TrendRow]:  # fmt: skip
    """Rows over the campaigns for the given node per campaign (unit) and the organisation's."""
    rows = []
    catalog = figures.catalog
    for m in catalog.measures:
        if keys is not None and m.key not in keys:
            continue
        cells = [fig.cell(node, m.key) if node else Cell(shown=False, reason=fig.reason or "no_group")
                 for fig, node in zip(figures.by_campaign, unit_nodes, strict=True)]  # fmt: skip
        org = [fig.cell(node, m.key) if node else Cell(shown=False, reason=fig.reason or "no_group")
               for fig, node in zip(figures.by_campaign, org_nodes, strict=True)]  # fmt: skip
        changes: list[float | None] = []
        matters: list[bool] = []
        prev: Cell | None = None
        for cell in cells:
            cur_v = _value(cell, m.kind)
            if prev is not None and cur_v is not None and _value(prev, m.kind) is not None:
                changes.append(round(cur_v - _value(prev, m.kind), 1))  # type: ignore[operator]
                matters.append(_matters(prev, cell, m.kind, min_n))
            else:
                changes.append(None)
                matters.append(False)
            if cell.shown:
                prev = cell
        favourable = m.kind == "score" or _special(m) in ("values", "threshold")
        rows.append(TrendRow(key=m.key, title=catalog.title(m.key), kind=m.kind, sensitive=m.sensitive,
                             favourable=favourable, cells=cells, org=org, changes=changes, matters=matters))  # fmt: skip
    return rows


def trend_frame(figures: SurveyFigures, *, min_n: int | None = None) -> pd.DataFrame:
    """Every unit's trend at once, as a table: per unit node ("u:<code>"), measure and campaign
    the main figure (share favourable, score or mean), the change from the unit's previous shown
    figure and whether it matters (reports.definitions), and the organisation's figure.

    The same figures as `trend_rows` for each unit (tested), computed without a Python object
    per cell; only cells the rule shows are in it. (Predecessor units are joined by
    `survey_trend`, one unit at a time.)"""
    cells = figures.frames.get("cells")
    cols = ["node", "key", "campaign", "year", "value", "n", "base", "share", "mean", "sd", "score", "change", "matters", "org_value"]
    if cells is None or cells.empty:
        return pd.DataFrame(columns=cols)
    min_n = min_n if min_n is not None else anonymity.thresholds().normal
    catalog = figures.catalog
    special = np.asarray([_special(m) or "" for m in catalog.measures], dtype=object)
    t = cells[["campaign", "node", "key", "n", "base", "share", "mean", "sd", "score"]].copy()
    t["node"] = t["node"].astype(str)
    kind = special[t["key"].cat.codes.to_numpy()]
    t["share"] = t["share"].round(1)
    t["mean"] = t["mean"].round(2)
    t["sd"] = t["sd"].round(2)
    t["score"] = t["score"].round(1)
    t["value"] = np.where(kind == "score", t["score"], np.where(np.isin(kind, ["values", "threshold"]), t["share"], t["mean"]))
    t["is_score"] = kind == "score"
    roots = {f.index: f.root for f in figures.by_campaign}
    org = t[t["node"] == t["campaign"].map(roots)][["campaign", "key", "value"]].rename(columns={"value": "org_value"})
    t = t[t["node"].str.startswith("u:")]
    t = t.merge(org, on=["campaign", "key"], how="left")
    t["year"] = t["campaign"].map({f.index: f.campaign.year for f in figures.by_campaign})
    t = t.sort_values(["node", "key", "campaign"], kind="stable").reset_index(drop=True)
    prev = t.groupby(["node", "key"], observed=True, sort=False)[["value", "share", "base", "mean", "sd", "n"]].shift(1)
    t["change"] = (t["value"] - prev["value"]).round(1)
    with np.errstate(divide="ignore", invalid="ignore"):
        p1, p2 = prev["share"] / 100, t["share"] / 100
        b1, b2 = prev["base"], t["base"]
        pooled = (p1 * b1 + p2 * b2) / (b1 + b2)
        var = pooled * (1 - pooled) * (1 / b1 + 1 / b2)
        z_share = (p2 - p1).abs() / np.sqrt(var)
        share_ok = (b1 >= min_n) & (b2 >= min_n) & (var > 0) & (z_share >= definitions.Z95)
        wvar = prev["sd"] ** 2 / prev["n"] + t["sd"] ** 2 / t["n"]
        z_mean = (t["mean"] - prev["mean"]).abs() / np.sqrt(wvar)
        mean_ok = (prev["n"] >= min_n) & (t["n"] >= min_n) & np.where(wvar > 0, z_mean >= definitions.Z95, t["mean"] != prev["mean"])
    t["matters"] = np.where(t["is_score"], mean_ok, share_ok) & t["change"].notna()
    return t[cols]


def survey_trend(key: str, unit: OrgUnit, *, until: int | None = None, locale: str = "nb",
                 lin: Lineage | None = None, figures: SurveyFigures | None = None) -> SurveyTrend:  # fmt: skip
    """Year by year for an anonymous questionnaire: the unit (with the units below it) and the
    organisation. A year in which the unit did not exist shows its predecessor's figures."""
    lin = lin or Lineage()
    info = lin.info(unit)
    preds = lin.predecessors(info)
    if figures is None:
        campaigns = [c for c in trend_campaigns(key, until=until) if c.mode == Mode.ANONYMOUS]
        figures = survey_figures(campaigns, catalog_of(key, locale), codes=[info.code, *(p.code for p in preds)])
    elif until is not None:
        kept = [f for f in figures.by_campaign if f.campaign.year <= until]
        figures = SurveyFigures(catalog=figures.catalog, campaigns=[f.campaign for f in kept], by_campaign=kept)
    columns: list[YearColumn] = []
    unit_nodes: list[str] = []
    org_nodes: list[str] = []
    for fig in figures.by_campaign:
        col = YearColumn(year=fig.campaign.year, campaign=fig.campaign, available=fig.available, reason=fig.reason)
        node = ""
        if fig.available:
            own = f"u:{info.code}"
            if own in fig.nodes:
                node = own
            else:
                shown_preds = [p for p in preds if f"u:{p.code}" in fig.nodes and fig.nodes[f"u:{p.code}"].shown]
                if len(shown_preds) == 1 and info.id not in fig.group_of_unit:
                    node = f"u:{shown_preds[0].code}"
                    col.via = shown_preds[0].name
                elif info.id in fig.group_of_unit:
                    col.rolled_into = fig.nodes[fig.group_of_unit[info.id]].unit_name
            if node:
                col.node = node
                col.node_shown = fig.nodes[node].shown
                col.respondents = fig.nodes[node].respondents
            org = fig.nodes.get(fig.root)
            col.org_respondents = org.respondents if org is not None else None
        columns.append(col)
        unit_nodes.append(node)
        org_nodes.append(fig.root if fig.available else "")
    limits = anonymity.thresholds()
    rows = trend_rows(figures, unit_nodes, org_nodes, min_n=limits.normal)
    for row in rows:
        for col, cell in zip(columns, row.cells, strict=True):
            if col.via and cell.shown:
                cell.via = col.via
            if not col.node and col.rolled_into:
                cell.reason = "rolled_up"
    q = questionnaire(key)
    title = q.title if q is not None else key
    return SurveyTrend(questionnaire=key, title=title, unit=info, is_root=info.parent_id is None,
                       columns=columns, rows=rows, limits=limits, catalog=figures.catalog)  # fmt: skip


# ============================================================================ annual reports (joint)


STATES = ("submitted", "signed_by_one", "draft", "missing")


@dataclass
class UnitReportStatus:
    unit_code: str
    unit_name: str
    state: str  # submitted | signed_by_one | draft | missing
    submitted_at: dt.datetime | None = None
    signatures: list[tuple[str, str, dt.datetime]] = field(default_factory=list)  # name, capacity, when
    response_id: str = ""


@dataclass
class AnnualYear:
    year: int
    campaign: Campaign
    units: int
    states: Counter[str]
    rows: list[UnitReportStatus]
    submitted: int
    action_plan: tuple[int, int]  # (yes, submitted reports that answered)
    meetings4: tuple[int, int]
    question_shares: dict[str, tuple[int, int]]  # trend key -> (favourable, answered) among submitted
    means: dict[str, float]

    @staticmethod
    def _pct(pair: tuple[int, int]) -> float | None:
        return round(100 * pair[0] / pair[1], 1) if pair[1] else None

    @property
    def share_submitted(self) -> float | None:
        return round(100 * self.submitted / self.units, 1) if self.units else None

    @property
    def share_action_plan(self) -> float | None:
        return self._pct(self.action_plan)

    @property
    def share_meetings4(self) -> float | None:
        return self._pct(self.meetings4)

    def share(self, key: str) -> float | None:
        return self._pct(self.question_shares.get(key, (0, 0)))

    def signed_by(self, day: dt.date) -> tuple[int, int]:
        """(reports submitted by the end of `day`, units)."""
        done = sum(1 for r in self.rows if r.submitted_at and timezone.localtime(r.submitted_at).date() <= day)
        return done, self.units


def _state(response: Response | None) -> str:
    if response is None or (response.status in (Response.Status.DRAFT, Response.Status.REOPENED) and not response.answers):
        return "missing"
    if response.status == Response.Status.SUBMITTED:
        return "submitted"
    if response.status == Response.Status.SIGNED_BY_ONE:
        return "signed_by_one"
    return "draft"


def annual_report_years(unit: OrgUnit | None = None, *, until: int | None = None, lin: Lineage | None = None,
                        locale: str = "nb") -> tuple[list[AnnualYear], Catalog]:  # fmt: skip
    """The annual report per year for a unit (with everything below it; all units when None)."""
    lin = lin or Lineage()
    scope = lin.scope(lin.info(unit)) if unit is not None else set(lin.units)
    campaigns = [c for c in trend_campaigns(ANNUAL, closed_only=False, until=until) if c.mode == Mode.JOINT]
    catalog = catalog_of(ANNUAL, locale)
    if not campaigns:
        return [], catalog
    index = {c.pk: i for i, c in enumerate(campaigns)}
    members = defaultdict(list)
    through = Campaign.units.through.objects.filter(campaign_id__in=list(index)).values_list("campaign_id", "orgunit_id")
    for cid, uid in through:
        if uid in scope:
            members[index[cid]].append(uid)
    responses = list(
        Response.objects.filter(campaign_id__in=list(index), person__isnull=True, unit_id__in=scope)
        .only("id", "campaign_id", "unit_id", "version_id", "status", "submitted_at", "answers")
    )
    sigs: dict[Any, list[tuple[str, str, dt.datetime]]] = defaultdict(list)
    for rid, first, last, username, capacity, signed_at in ResponseSignature.objects.filter(
        response__in=[r.pk for r in responses], voided_at__isnull=True
    ).values_list("response_id", "signer__first_name", "signer__last_name", "signer__username", "capacity", "signed_at").order_by("signed_at"):
        sigs[rid].append((f"{first} {last}".strip() or username, capacity, signed_at))
    by_key = {(index[r.campaign_id], r.unit_id): r for r in responses}
    submitted_rows = [(index[r.campaign_id], campaigns[index[r.campaign_id]].year, r.version_id, r.unit_id, r.answers)
                      for r in responses if r.status == Response.Status.SUBMITTED]  # fmt: skip
    frame = joint_answer_frame(submitted_rows, catalog)
    years: list[AnnualYear] = []
    for i, c in enumerate(campaigns):
        rows = []
        for uid in sorted(members[i], key=lambda u: lin.units[u].path):
            r = by_key.get((i, uid))
            u = lin.units[uid]
            rows.append(UnitReportStatus(unit_code=u.code, unit_name=u.name, state=_state(r),
                                         submitted_at=r.submitted_at if r is not None and r.status == Response.Status.SUBMITTED else None,
                                         signatures=sigs.get(r.pk, []) if r is not None else [],
                                         response_id=str(r.pk) if r is not None else ""))  # fmt: skip
        states = Counter(r.state for r in rows)
        f = frame[frame["campaign"] == i]
        shares, means = _joint_shares(f, catalog)
        years.append(AnnualYear(
            year=c.year, campaign=c, units=len(rows), states=states, rows=rows, submitted=states["submitted"],
            action_plan=shares.get("annual_has_action_plan", (0, 0)), meetings4=shares.get("annual_leader_vo_meetings", (0, 0)),
            question_shares=shares, means=means,
        ))  # fmt: skip
    return years, catalog


def _joint_shares(f: pd.DataFrame, catalog: Catalog) -> tuple[dict[str, tuple[int, int]], dict[str, float]]:
    """(favourable, answered) per measure among the given (submitted) reports; means of numbers."""
    shares: dict[str, tuple[int, int]] = {}
    means: dict[str, float] = {}
    if f.empty:
        return shares, means
    for key, g in f.groupby("key", observed=True, sort=False):
        key = str(key)
        m = catalog.measure(key)
        if m is None:
            continue
        if g["num"].notna().any():
            means[key] = round(float(g["num"].mean()), 2)
        if key in definitions.NUMBER_THRESHOLDS:
            nums = g["num"].dropna()
            shares[key] = (int((nums >= definitions.NUMBER_THRESHOLDS[key]).sum()), len(nums))
            continue
        fav = definitions.favourable_for(key, kind=m.kind, numeric=m.numeric, options=list(m.options))
        if fav is None:
            continue
        answered = g.drop_duplicates("rid")
        values = answered["value"].astype(str)
        base = int((~values.isin(fav.excluded)).sum())
        shares[key] = (int(values.isin(fav.values).sum()), base)
    return shares, means


# ============================================================================ injuries: H1, H2, F

MILLION = 1_000_000


@dataclass
class Rates:
    hours: float = 0.0
    lti: int = 0  # lost-time injuries, fatalities included (the questionnaire's convention)
    mti: int = 0
    fatalities: int = 0
    days_lost: float = 0.0
    days_known: bool = True

    def add(self, other: Rates) -> None:
        self.hours += other.hours
        self.lti += other.lti
        self.mti += other.mti
        self.fatalities += other.fatalities
        self.days_lost += other.days_lost
        self.days_known = self.days_known and other.days_known

    @property
    def h1(self) -> float | None:
        return round(self.lti * MILLION / self.hours, 2) if self.hours > 0 else None

    @property
    def h2(self) -> float | None:
        return round((self.lti + self.mti) * MILLION / self.hours, 2) if self.hours > 0 else None

    @property
    def f(self) -> float | None:
        return round(self.days_lost * MILLION / self.hours, 2) if self.hours > 0 and self.days_known else None


@dataclass
class InjuryYear:
    year: int
    own: Rates
    contractor: Rates
    total: Rates
    sites: list[tuple[str, str, Rates, Rates]]  # code, name, own, total per reporting unit
    reported: bool  # at least one signed injury-statistics report in scope
    registered: Rates  # deviations in scope that year (counts, own staff + contractors; no hours)
    registered_own: Rates
    reconciliation: list[dict[str, Any]]  # per reporting unit: reported vs registered


def _num(answers: Mapping[str, Any], key: str) -> float:
    v = answers.get(key)
    x = anonymity._number(v)
    return x if x is not None else 0.0


def _reported_rates(answers: Mapping[str, Any]) -> tuple[Rates, Rates]:
    own = Rates(hours=_num(answers, "own_hours_worked"), lti=int(_num(answers, "own_lti")), mti=int(_num(answers, "own_mti")),
                fatalities=int(_num(answers, "own_fatalities")), days_lost=_num(answers, "own_days_lost"),
                days_known=answers.get("own_days_lost") not in (None, ""))  # fmt: skip
    contractor = Rates()
    if answers.get("has_contractors"):
        contractor = Rates(hours=_num(answers, "contractor_hours_worked"), lti=int(_num(answers, "contractor_lti")),
                           mti=int(_num(answers, "contractor_mti")), fatalities=int(_num(answers, "contractor_fatalities")),
                           days_lost=_num(answers, "contractor_days_lost"),
                           days_known=answers.get("contractor_days_lost") not in (None, ""))  # fmt: skip
    return own, contractor


def deviation_frame(scope: set[int] | None = None) -> pd.DataFrame:
    """Deviations (rejected reports left out), one row each, for the units in scope."""
    from workflows.models import Deviation

    qs = Deviation.objects.exclude(status=Deviation.Status.REJECTED)
    if scope is not None:
        qs = qs.filter(unit_id__in=scope)
    rows = list(qs.values_list("pk", "unit_id", "occurred_at", "category", "injury_class", "involved_party", "absence_days",
                               "high_potential", "status", "deadline", "closed_at"))  # fmt: skip
    cols = ["id", "unit", "occurred_at", "category", "injury_class", "party", "absence_days", "hri", "status", "deadline", "closed_at"]
    frame = pd.DataFrame(rows, columns=cols)
    if not frame.empty:
        local = [timezone.localtime(x) for x in frame["occurred_at"]]
        frame["day"] = [x.date() for x in local]
        frame["year"] = [x.year for x in local]
        frame["month"] = [x.year * 12 + x.month - 1 for x in local]
    else:
        for c in ("day", "year", "month"):
            frame[c] = []
    return frame


def _registered(frame: pd.DataFrame, fatalities_in_h1: bool) -> Rates:
    inj = frame[frame["category"] == "injury"]
    fatal = int((inj["injury_class"] == "fatal").sum())
    lti = int((inj["injury_class"] == "lost_time").sum()) + (fatal if fatalities_in_h1 else 0)
    return Rates(lti=lti, mti=int((inj["injury_class"] == "medical_treatment").sum()), fatalities=fatal,
                 days_lost=float(inj["absence_days"].fillna(0).sum()))  # fmt: skip


def _settings_fatalities_in_h1() -> bool:
    from workflows.selectors import workflow_settings

    return bool(workflow_settings().fatalities_in_h1)


@dataclass
class InjuryStats:
    unit: UnitInfo
    years: list[InjuryYear]
    rolling: pd.DataFrame  # month (Timestamp), hours, lti, mti, days_lost, h1, h2, f, estimated
    has_hours: bool


def injury_stats(unit: OrgUnit, *, until: int | None = None, lin: Lineage | None = None,
                 deviations: pd.DataFrame | None = None) -> InjuryStats:  # fmt: skip
    """H1, H2 and F per year for a unit (following successors), and 12-month rolling values.

    * Per year: the signed injury-statistics reports of the reporting units in scope (hours and
      injuries as reported); totals add numerators and hours, never rates.
    * Rolling 12 months: injuries registered as deviations (by when they occurred) over the
      reported hours, spread evenly over the months of each year; months after the last report
      use that report's hours (marked estimated). A December value is the calendar year's.
    * Reconciliation: per reporting unit and year, reported against registered injuries.
    """
    lin = lin or Lineage()
    info = lin.info(unit)
    scope = lin.scope(info)
    campaigns = [c for c in trend_campaigns(INJURY, closed_only=False, until=until)]
    index = {c.pk: i for i, c in enumerate(campaigns)}
    responses = list(
        Response.objects.filter(campaign_id__in=list(index), person__isnull=True, unit_id__in=scope,
                                status=Response.Status.SUBMITTED).values_list("campaign_id", "unit_id", "answers")
    )  # fmt: skip
    dev = deviations if deviations is not None else deviation_frame(scope)
    dev = dev[dev["unit"].isin(scope)] if not dev.empty else dev
    fatal_h1 = _settings_fatalities_in_h1()
    # Reporting units: their own scope of deviations (for reconciliation).
    years: list[InjuryYear] = []
    hours_by_year: dict[int, float] = {}
    per_campaign: dict[int, list[tuple[int, Rates, Rates]]] = defaultdict(list)
    for cid, uid, answers in responses:
        own, contractor = _reported_rates(answers)
        per_campaign[index[cid]].append((uid, own, contractor))
    for i, c in enumerate(campaigns):
        own, con, total = Rates(), Rates(), Rates()
        sites = []
        recon = []
        for uid, o, k in sorted(per_campaign.get(i, []), key=lambda t: lin.units[t[0]].path):
            own.add(o)
            con.add(k)
            t = Rates()
            t.add(o)
            t.add(k)
            total.add(t)
            u = lin.units[uid]
            sites.append((u.code, u.name, o, t))
            site_scope = lin.scope(u)
            d = dev[(dev["unit"].isin(site_scope)) & (dev["year"] == c.year)] if not dev.empty else dev
            reg_own = _registered(d[d["party"].isin(["own", "hired"])], fatal_h1) if not d.empty else Rates()
            reg_con = _registered(d[d["party"] == "contractor"], fatal_h1) if not d.empty else Rates()
            recon.append({
                "code": u.code, "name": u.name,
                "reported": {"lti": o.lti + k.lti, "mti": o.mti + k.mti, "days_lost": o.days_lost + k.days_lost},
                "registered": {"lti": reg_own.lti + reg_con.lti, "mti": reg_own.mti + reg_con.mti,
                               "days_lost": reg_own.days_lost + reg_con.days_lost},
            })  # fmt: skip
            recon[-1]["agrees"] = recon[-1]["reported"] == recon[-1]["registered"]
        d = dev[dev["year"] == c.year] if not dev.empty else dev
        registered = _registered(d[d["party"].isin(["own", "hired", "contractor"])], fatal_h1) if not d.empty else Rates()
        registered_own = _registered(d[d["party"].isin(["own", "hired"])], fatal_h1) if not d.empty else Rates()
        registered.hours = total.hours
        registered_own.hours = own.hours
        if total.hours:
            hours_by_year[c.year] = total.hours
        years.append(InjuryYear(year=c.year, own=own, contractor=con, total=total, sites=sites,
                                reported=bool(per_campaign.get(i)), registered=registered,
                                registered_own=registered_own, reconciliation=recon))  # fmt: skip
    rolling = _rolling(dev, hours_by_year, fatal_h1, until=until)
    return InjuryStats(unit=info, years=years, rolling=rolling, has_hours=bool(hours_by_year))


def _rolling(dev: pd.DataFrame, hours_by_year: Mapping[int, float], fatal_h1: bool, *, until: int | None) -> pd.DataFrame:
    """Monthly 12-month rolling H1, H2 and F from registered injuries and reported hours."""
    cols = ["month", "hours", "lti", "mti", "days_lost", "h1", "h2", "f", "estimated"]
    if not hours_by_year:
        return pd.DataFrame(columns=cols)
    first = min(hours_by_year)
    today = timezone.localdate()
    last_year = min(until, today.year) if until is not None else today.year
    last_month = 11 if last_year < today.year else today.month - 1
    months = np.arange(first * 12, last_year * 12 + last_month + 1)
    latest = max(hours_by_year)
    hours = np.asarray([hours_by_year.get(m // 12, hours_by_year[latest] if m // 12 > latest else 0.0) / 12 for m in months])
    estimated = np.asarray([m // 12 not in hours_by_year for m in months])
    inj = dev[(dev["category"] == "injury") & dev["party"].isin(["own", "hired", "contractor"])] if not dev.empty else dev
    lti = np.zeros(len(months))
    mti = np.zeros(len(months))
    days = np.zeros(len(months))
    if not inj.empty:
        for month, cls, absence in zip(inj["month"].tolist(), inj["injury_class"].tolist(), inj["absence_days"].tolist(), strict=True):
            pos = month - months[0]
            if 0 <= pos < len(months):
                if cls == "lost_time" or (cls == "fatal" and fatal_h1):
                    lti[pos] += 1
                if cls == "medical_treatment":
                    mti[pos] += 1
                if absence is not None and not (isinstance(absence, float) and math.isnan(absence)):
                    days[pos] += absence
    frame = pd.DataFrame({"m": months, "hours": hours, "lti": lti, "mti": mti, "days_lost": days, "estimated": estimated})
    roll = frame[["hours", "lti", "mti", "days_lost"]].rolling(12, min_periods=12).sum()
    frame["estimated"] = frame["estimated"].rolling(12, min_periods=1).max().astype(bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["h1"] = np.where(roll["hours"] > 0, roll["lti"] * MILLION / roll["hours"], np.nan)
        frame["h2"] = np.where(roll["hours"] > 0, (roll["lti"] + roll["mti"]) * MILLION / roll["hours"], np.nan)
        frame["f"] = np.where(roll["hours"] > 0, roll["days_lost"] * MILLION / roll["hours"], np.nan)
    for c in ("hours", "lti", "mti", "days_lost"):
        frame[c] = roll[c]
    frame = frame.dropna(subset=["hours"])
    frame["month"] = [dt.date(int(m // 12), int(m % 12) + 1, 1) for m in frame["m"]]
    for c in ("h1", "h2", "f"):
        frame[c] = frame[c].round(2)
    return frame[cols].reset_index(drop=True)


# ============================================================================ deviations


@dataclass
class DeviationYear:
    year: int
    total: int
    by_category: dict[str, int]
    injuries: dict[str, int]
    hri: int
    open_now: int
    closed_with_deadline: int
    closed_on_time: int
    absence_days: int


def deviation_years(unit: OrgUnit, years: Sequence[int], *, lin: Lineage | None = None,
                    frame: pd.DataFrame | None = None) -> list[DeviationYear]:  # fmt: skip
    """Deviations per year (by when they occurred) for a unit, following successors."""
    from workflows.models import Deviation

    lin = lin or Lineage()
    scope = lin.scope(lin.info(unit))
    dev = frame if frame is not None else deviation_frame(scope)
    dev = dev[dev["unit"].isin(scope)] if not dev.empty else dev
    out = []
    categories = [c.value for c in Deviation.Category]
    classes = [c.value for c in Deviation.InjuryClass]
    open_states = {s.value for s in Deviation.OPEN_STATUSES}
    for year in years:
        d = dev[dev["year"] == year] if not dev.empty else dev
        by_cat = dict.fromkeys(categories, 0)
        injuries = dict.fromkeys(classes, 0)
        if not d.empty:
            for k, v in d["category"].value_counts().items():
                by_cat[str(k)] = int(v)
            for k, v in d[d["category"] == "injury"]["injury_class"].value_counts().items():
                if k in injuries:
                    injuries[str(k)] = int(v)
        closed = d[(d["status"] == "closed") & d["deadline"].notna() & d["closed_at"].notna()] if not d.empty else d
        on_time = sum(1 for deadline, closed_at in zip(closed["deadline"], closed["closed_at"], strict=True)
                      if timezone.localtime(closed_at).date() <= deadline) if not closed.empty else 0  # fmt: skip
        out.append(DeviationYear(
            year=year, total=len(d), by_category=by_cat, injuries=injuries,
            hri=int(d["hri"].sum()) if not d.empty else 0,
            open_now=int(d["status"].isin(open_states).sum()) if not d.empty else 0,
            closed_with_deadline=len(closed), closed_on_time=on_time,
            absence_days=int(d[d["category"] == "injury"]["absence_days"].fillna(0).sum()) if not d.empty else 0,
        ))  # fmt: skip
    return out


# ============================================================================ action plan


@dataclass
class ActionStatus:
    by_status: dict[str, int]
    unfinished: int
    overdue_now: int
    overdue_items: list[dict[str, Any]]
    overdue_at_year_end: dict[int, int]


def action_status(unit: OrgUnit, years: Sequence[int], *, lin: Lineage | None = None, limit: int = 50) -> ActionStatus:
    """The action plan of a unit and everything below it: counts now, overdue actions now, and
    how many were overdue at the end of each year (from deadlines and completion dates)."""
    from workflows.models import ActionItem

    lin = lin or Lineage()
    scope = lin.scope(lin.info(unit))
    rows = list(ActionItem.objects.filter(unit_id__in=scope).values_list(
        "pk", "unit_id", "title", "status", "due_date", "created_at", "completed_at", "updated_at", "owner__first_name",
        "owner__last_name", "priority"))  # fmt: skip
    today = timezone.localdate()
    by_status = Counter(r[3] for r in rows)
    unfinished_states = {s.value for s in ActionItem.UNFINISHED}
    overdue = [r for r in rows if r[3] in unfinished_states and r[4] and r[4] < today]
    overdue.sort(key=lambda r: (r[4], r[0]))
    items = [{"id": r[0], "unit": lin.units[r[1]].name, "title": r[2], "status": r[3], "due": r[4],
              "owner": f"{r[8] or ''} {r[9] or ''}".strip(), "priority": r[10], "days_over": (today - r[4]).days}
             for r in overdue[:limit]]  # fmt: skip
    at_end = {}
    for year in years:
        end = dt.date(year, 12, 31)
        if end > today:
            end = today
        end_dt = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
        n = 0
        for _pk, _u, _t, status, due, created, completed, updated, *_ in rows:
            if not due or due >= end or created >= end_dt:
                continue
            if completed is not None and completed < end_dt:
                continue
            if status in ("rejected", "cancelled") and updated < end_dt:
                continue
            if status in ("done", "verified") and completed is None and updated < end_dt:
                continue
            n += 1
        at_end[year] = n
    return ActionStatus(by_status={s.value: by_status.get(s.value, 0) for s in ActionItem.Status},
                        unfinished=sum(by_status.get(s, 0) for s in unfinished_states), overdue_now=len(overdue),
                        overdue_items=items, overdue_at_year_end=at_end)  # fmt: skip


# ============================================================================ helpers for views


def units_for_reports(user: Any) -> QuerySet[OrgUnit]:
    """Units whose reports the person may see (Perm.REPORT_VIEW), by path."""
    from core.permissions import Perm, units_with_perm

    return units_with_perm(user, Perm.REPORT_VIEW).order_by("path")


def latest_year() -> int:
    """The newest year with a closed campaign (the default year of the AMU report)."""
    c = Campaign.objects.filter(status=Campaign.Status.CLOSED).order_by("-year").first()
    return c.year if c is not None else timezone.localdate().year


# ============================================================================ HMS goals


@dataclass
class Attainment:
    status: str  # met | missed | pending | no_data | hidden
    value: float | None = None
    value_text: str = ""
    note: str = ""


class GoalData:
    """Figures goals are measured against, computed once per unit for a page or a document."""

    def __init__(self, lin: Lineage | None = None, locale: str = "nb") -> None:
        self.lin = lin or Lineage()
        self.locale = locale
        self._injury: dict[int, InjuryStats] = {}
        self._annual: dict[int, list[AnnualYear]] = {}
        self._trend: dict[tuple[str, int], SurveyTrend] = {}
        self._actions: dict[tuple[int, tuple[int, ...]], ActionStatus] = {}

    def injury(self, unit: OrgUnit) -> InjuryStats:
        if unit.pk not in self._injury:
            self._injury[unit.pk] = injury_stats(unit, lin=self.lin)
        return self._injury[unit.pk]

    def annual(self, unit: OrgUnit) -> list[AnnualYear]:
        if unit.pk not in self._annual:
            self._annual[unit.pk] = annual_report_years(unit, lin=self.lin, locale=self.locale)[0]
        return self._annual[unit.pk]

    def trend(self, key: str, unit: OrgUnit) -> SurveyTrend:
        if (key, unit.pk) not in self._trend:
            self._trend[(key, unit.pk)] = survey_trend(key, unit, lin=self.lin, locale=self.locale)
        return self._trend[(key, unit.pk)]

    def actions(self, unit: OrgUnit, years: tuple[int, ...]) -> ActionStatus:
        if (unit.pk, years) not in self._actions:
            self._actions[(unit.pk, years)] = action_status(unit, years, lin=self.lin)
        return self._actions[(unit.pk, years)]


def goal_attainment(goal: Any, data: GoalData, *, today: dt.date | None = None) -> Attainment:
    """Is the goal met? Survey figures only when the group-size rule shows them."""
    from reports import formatting as fmt
    from reports.models import HmsGoal

    today = today or timezone.localdate()
    year_over = dt.date(goal.year, 12, 31) < today
    ind = goal.indicator
    target = float(goal.target_value) if goal.target_value is not None else None
    if ind == HmsGoal.Indicator.H2_BELOW:
        stats = data.injury(goal.unit)
        year = next((y for y in stats.years if y.year == goal.year), None)
        if year is not None and year.reported and year.total.h2 is not None:
            v = year.total.h2
            return Attainment("met" if v < target else "missed", v, fmt.rate(v))  # type: ignore[operator]
        if not stats.rolling.empty and not year_over:
            last = stats.rolling.iloc[-1]
            v = None if pd.isna(last["h2"]) else float(last["h2"])
            return Attainment("pending", v, fmt.rate(v), note="rolling")
        return Attainment("no_data")
    if ind == HmsGoal.Indicator.REPORT_SIGNED_BY:
        year = next((y for y in data.annual(goal.unit) if y.year == goal.year), None)
        if year is None or not year.units:
            return Attainment("no_data")
        done, total = year.signed_by(goal.target_date)
        text = f"{done}/{total}"
        if done == total:
            return Attainment("met", 100.0 * done / total, text)
        return Attainment("missed" if today > goal.target_date else "pending", 100.0 * done / total, text)
    if ind in (HmsGoal.Indicator.BAROMETER_FAVOURABLE, HmsGoal.Indicator.ARK_SCORE):
        key = BAROMETER if ind == HmsGoal.Indicator.BAROMETER_FAVOURABLE else ARK
        trend = data.trend(key, goal.unit)
        row = trend.row(goal.measure)
        col = next((i for i, c in enumerate(trend.columns) if c.year == goal.year), None)
        if row is None or col is None:
            return Attainment("pending" if not year_over else "no_data")
        cell = row.cells[col]
        if not cell.shown:
            return Attainment("hidden", note=cell.reason)
        v = cell.score if ind == HmsGoal.Indicator.ARK_SCORE else cell.share
        if v is None:
            return Attainment("no_data")
        text = fmt.score(v) if ind == HmsGoal.Indicator.ARK_SCORE else fmt.pct(v, 1)
        return Attainment("met" if v >= target else "missed", v, text)  # type: ignore[operator]
    if ind == HmsGoal.Indicator.OVERDUE_ACTIONS_CLOSED:
        status = data.actions(goal.unit, (goal.year,))
        n = status.overdue_at_year_end.get(goal.year)
        if n is None:
            return Attainment("no_data")
        if not year_over:
            return Attainment("met" if n == 0 else "pending", float(n), str(n))
        return Attainment("met" if n == 0 else "missed", float(n), str(n))
    return Attainment("no_data")


def goals_for(unit: OrgUnit, year: int | None = None, *, include_subunits: bool = False) -> QuerySet[Any]:
    from reports.models import HmsGoal

    qs = HmsGoal.objects.select_related("unit", "action")
    qs = qs.filter(unit__path__startswith=unit.path) if include_subunits else qs.filter(unit=unit)
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("year", "unit__path", "indicator", "measure")


# ============================================================================ the AMU report


@dataclass
class Indicator:
    key: str
    title: str
    kind: str  # share | rate | count | score
    previous: float | None
    current: float | None
    previous_label: str
    current_label: str
    change: float | None
    matters: bool = False
    lower_is_better: bool = False
    previous_cell: Cell | None = None  # survey figures: the cells (a hidden one says so)
    current_cell: Cell | None = None
    cell_kind: str = ""


@dataclass
class AmuReport:
    unit: UnitInfo
    org: OrgUnit
    year: int
    years: list[int]  # the years the report covers (three at most)
    annual: list[AnnualYear]
    annual_this: AnnualYear | None
    indicators: list[Indicator]
    barometer: SurveyTrend
    ark: SurveyTrend
    barometer_children: list[tuple[UnitInfo, SurveyTrend]]
    injuries: InjuryStats
    deviations: list[DeviationYear]
    actions: ActionStatus
    goals: list[tuple[Any, Attainment]]
    annual_catalog: Catalog
    generated: dt.datetime = field(default_factory=timezone.now)


BAROMETER_KEYS = ("barometer_routines_followed", "barometer_deviation_habit", "barometer_overall_quality",
                  "barometer_vo_quality", "barometer_deviation_culture.b_safe_to_report", "barometer_management_priority")  # fmt: skip


def _survey_indicator(trend: SurveyTrend, key: str, year: int) -> Indicator | None:
    row = trend.row(key)
    if row is None:
        return None
    idx = [i for i, c in enumerate(trend.columns) if c.year <= year]
    if not idx:
        return None
    cur = idx[-1]
    prev = idx[-2] if len(idx) > 1 else None
    kind = "score" if row.kind == "score" else "share"
    cv = row.cells[cur].primary(row.kind)
    pv = row.cells[prev].primary(row.kind) if prev is not None else None
    return Indicator(
        key=key, title=row.title, kind=kind, previous=pv, current=cv,
        previous_label=str(trend.columns[prev].year) if prev is not None else "", current_label=str(trend.columns[cur].year),
        change=round(cv - pv, 1) if cv is not None and pv is not None else None,
        matters=row.matters[cur] if prev is not None else False,
        previous_cell=row.cells[prev] if prev is not None else None, current_cell=row.cells[cur], cell_kind=row.kind,
    )  # fmt: skip


def amu_report(unit: OrgUnit, year: int, *, locale: str = "nb", lin: Lineage | None = None,
               figures: Mapping[str, SurveyFigures] | None = None) -> AmuReport:  # fmt: skip
    """Everything the AMU report says about a unit (the organisation: the root) for a year.

    `figures` (questionnaire key -> SurveyFigures) reuses survey figures already computed."""
    from django.utils.translation import gettext as _

    lin = lin or Lineage()
    info = lin.info(unit)
    org = OrgUnit.objects.get(pk=lin.root.id) if lin.root else unit  # type: ignore[union-attr]
    annual, annual_catalog = annual_report_years(unit, until=year, lin=lin, locale=locale)
    annual_this = next((a for a in annual if a.year == year), None)
    annual_prev = next((a for a in annual if a.year == year - 1), None)
    children = lin.children(info)
    codes = [info.code, *(p.code for p in lin.predecessors(info)), *(c.code for c in children)]
    trends: dict[str, SurveyTrend] = {}
    child_trends: list[tuple[UnitInfo, SurveyTrend]] = []
    for key in (BAROMETER, ARK):
        if figures is not None and key in figures:
            found = figures[key]
        else:
            campaigns = [c for c in trend_campaigns(key, until=year) if c.mode == Mode.ANONYMOUS]
            found = survey_figures(campaigns, catalog_of(key, locale), codes=codes)
        trends[key] = survey_trend(key, unit, until=year, lin=lin, locale=locale, figures=found)
        if key == BAROMETER:
            for child in children:
                child_unit = OrgUnit(pk=child.id, code=child.code, name=child.name, path=child.path, parent_id=child.parent_id)
                child_trends.append((child, survey_trend(key, child_unit, until=year, lin=lin, locale=locale, figures=found)))
    injuries = injury_stats(unit, until=year, lin=lin)
    years = [y for y in range(year - 2, year + 1)]
    deviations = deviation_years(unit, years, lin=lin)
    actions = action_status(unit, tuple(years), lin=lin, limit=25)
    data = GoalData(lin, locale)
    data._injury[unit.pk] = injuries
    data._annual[unit.pk] = annual
    data._trend[(BAROMETER, unit.pk)] = trends[BAROMETER]
    data._trend[(ARK, unit.pk)] = trends[ARK]
    goals = [(g, goal_attainment(g, data)) for g in goals_for(unit, year)]

    def ann(key: str, title: str, getter: Any) -> Indicator:
        cur = getter(annual_this) if annual_this else None
        prev = getter(annual_prev) if annual_prev else None
        return Indicator(key=key, title=title, kind="share", previous=prev, current=cur, previous_label=str(year - 1),
                         current_label=str(year), change=round(cur - prev, 1) if cur is not None and prev is not None else None)  # fmt: skip

    inj_this = next((y for y in injuries.years if y.year == year), None)
    inj_prev = next((y for y in injuries.years if y.year == year - 1), None)

    def inj(key: str, title: str, attr: str) -> Indicator:
        cur = getattr(inj_this.total, attr) if inj_this and inj_this.reported else None
        prev = getattr(inj_prev.total, attr) if inj_prev and inj_prev.reported else None
        return Indicator(key=key, title=title, kind="rate", previous=prev, current=cur, previous_label=str(year - 1),
                         current_label=str(year), change=round(cur - prev, 2) if cur is not None and prev is not None else None,
                         lower_is_better=True)  # fmt: skip

    dev_this = next((d for d in deviations if d.year == year), None)
    dev_prev = next((d for d in deviations if d.year == year - 1), None)

    def count(key: str, title: str, cur: float | None, prev: float | None, lower: bool = False) -> Indicator:
        return Indicator(key=key, title=title, kind="count", previous=prev, current=cur, previous_label=str(year - 1),
                         current_label=str(year), change=cur - prev if cur is not None and prev is not None else None,
                         lower_is_better=lower)  # fmt: skip

    indicators = [
        ann("annual_submitted", _("Enheter som har levert HMS-årsrapporten"), lambda a: a.share_submitted),
        ann("annual_action_plan", _("Enheter med handlingsplan (blant leverte rapporter)"), lambda a: a.share_action_plan),
        ann("annual_meetings4", _("Enheter med minst fire møter mellom leder og verneombud"), lambda a: a.share_meetings4),
        inj("h1", _("H1 (fraværsskader per million arbeidstimer)"), "h1"),
        inj("h2", _("H2 (personskader per million arbeidstimer)"), "h2"),
        inj("f", _("F (fraværsdager per million arbeidstimer)"), "f"),
        count("deviations", _("Registrerte avvik"), dev_this.total if dev_this else None, dev_prev.total if dev_prev else None),
        count("hri", _("Høyrisikohendelser (HRI)"), dev_this.hri if dev_this else None, dev_prev.hri if dev_prev else None, True),
        count("overdue_actions", _("Tiltak over frist ved årets slutt"), actions.overdue_at_year_end.get(year),
              actions.overdue_at_year_end.get(year - 1), True),
    ]  # fmt: skip
    for key in BAROMETER_KEYS[:3]:
        ind = _survey_indicator(trends[BAROMETER], key, year)
        if ind is not None:
            indicators.append(ind)
    for key in ("ark_overall_satisfaction",):
        ind = _survey_indicator(trends[ARK], key, year)
        if ind is not None:
            indicators.append(ind)
    return AmuReport(unit=info, org=org, year=year, years=years, annual=annual, annual_this=annual_this,
                     indicators=indicators, barometer=trends[BAROMETER], ark=trends[ARK],
                     barometer_children=child_trends, injuries=injuries, deviations=deviations, actions=actions,
                     goals=goals, annual_catalog=annual_catalog)  # fmt: skip
