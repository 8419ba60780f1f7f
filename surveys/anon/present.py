"""Turns `reports.anonymity.SafeResults` into what the results templates show.

Only figures that passed the rule exist in a SafeResults; this module adds labels, puts the
organisation's figures next to a unit's, and groups questions by page. It computes nothing
from raw answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reports.anonymity import MeasureResult, NodeResult, SafeResults

from .questions import BAROMETER_INDICATORS, SCORE_LABELS, Labels


@dataclass
class Bar:
    label: str
    percent: float | None
    count: int | None
    org_percent: float | None


@dataclass
class Item:
    key: str
    title: str
    kind: str
    shown: bool
    reason: str = ""
    n: int | None = None
    mean: float | None = None
    org_mean: float | None = None
    bars: list[Bar] = field(default_factory=list)
    sensitive: bool = False


@dataclass
class Block:
    """One question, or a matrix (several rows) as one block."""

    title: str
    kind: str  # "question" | "matrix"
    items: list[Item] = field(default_factory=list)


@dataclass
class Section:
    page: str
    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class ScoreRow:
    key: str
    title: str
    direction: str
    shown: bool
    reason: str = ""
    n: int | None = None
    score: float | None = None
    org_score: float | None = None
    sd: float | None = None
    share_high: float | None = None
    share_low: float | None = None
    difference: float | None = None
    band: str = ""  # favourable | neutral | attention


@dataclass
class Indicator:
    key: str
    title: str
    percent: float | None
    org_percent: float | None


def _item(key: str, m: MeasureResult | None, org: MeasureResult | None, labels: Labels, title: str, sensitive: bool) -> Item:
    if m is None or not m.shown:
        return Item(key=key, title=title, kind=m.kind if m else "", shown=False, reason=m.reason if m else "hidden_group", sensitive=sensitive)
    org_pct = {o.value: o.percent for o in org.options} if org is not None and org.shown else {}
    bars = [
        Bar(label=labels.option(key, o.value), percent=o.percent, count=o.count, org_percent=org_pct.get(o.value))
        for o in m.options
    ]
    return Item(key=key, title=title, kind=m.kind, shown=True, n=m.n, mean=m.mean,
                org_mean=org.mean if org is not None and org.shown else None, bars=bars, sensitive=sensitive)  # fmt: skip


def sections(results: SafeResults, node: NodeResult, org: NodeResult | None, labels: Labels) -> list[Section]:
    """Every question of the questionnaire by page, for one node (with the organisation's figures)."""
    out: list[Section] = []
    by_page: dict[str, Section] = {}
    matrix_blocks: dict[str, Block] = {}
    for spec in results.specs:
        if spec.kind == "score":
            continue
        page, page_title = labels.page_of.get(spec.key, ("", ""))
        section = by_page.get(page)
        if section is None:
            section = by_page[page] = Section(page=page, title=page_title)
            out.append(section)
        m = node.measures.get(spec.key)
        o = org.measures.get(spec.key) if org is not None else None
        item = _item(spec.key, m, o, labels, labels.title(spec.key), spec.sensitive)
        if spec.kind == "matrix_row":
            block = matrix_blocks.get(spec.question)
            if block is None:
                block = matrix_blocks[spec.question] = Block(title=labels.measure_group.get(spec.key, spec.question), kind="matrix")
                section.blocks.append(block)
            block.items.append(item)
        else:
            section.blocks.append(Block(title=item.title, kind="question", items=[item]))
    return out


def _band(score: float | None, direction: str) -> str:
    if score is None:
        return ""
    value = score if direction == "R" else 100 - score
    if value >= 75:
        return "favourable"
    if value >= 50:
        return "neutral"
    return "attention"


def scores(results: SafeResults, node: NodeResult, org: NodeResult | None, labels: Labels) -> list[ScoreRow]:
    rows = []
    for spec in results.specs:
        if spec.kind != "score":
            continue
        name = spec.question
        direction = SCORE_LABELS.get(name, (name, name, "R"))[2]
        m = node.measures.get(spec.key)
        o = org.measures.get(spec.key) if org is not None else None
        if m is None or not m.shown:
            rows.append(ScoreRow(key=spec.key, title=labels.title(spec.key), direction=direction, shown=False,
                                 reason=m.reason if m else "hidden_group"))  # fmt: skip
            continue
        org_score = o.score100 if o is not None and o.shown else None
        rows.append(ScoreRow(
            key=spec.key, title=labels.title(spec.key), direction=direction, shown=True, n=m.n, score=m.score100,
            org_score=org_score, sd=m.sd, share_high=m.share_high, share_low=m.share_low,
            difference=round(m.score100 - org_score, 1) if m.score100 is not None and org_score is not None else None,
            band=_band(m.score100, direction),
        ))  # fmt: skip
    return rows


def indicators(results: SafeResults, node: NodeResult, org: NodeResult | None, locale: str) -> list[Indicator]:
    """The barometer's key indicators, from measures that are shown."""
    out = []
    for key, measure, values, nb, en in BAROMETER_INDICATORS:
        m = node.measures.get(measure)
        if m is None:
            continue
        o = org.measures.get(measure) if org is not None else None

        out.append(Indicator(key=key, title=en if locale.startswith("en") else nb,
                             percent=_share(m, values), org_percent=_share(o, values)))  # fmt: skip
    return out


def _share(r: MeasureResult | None, values: frozenset[str]) -> float | None:
    if r is None or not r.shown or not r.n:
        return None
    return round(sum(x.percent for x in r.options if x.value in values), 1)


def comments_by_question(node: NodeResult, labels: Labels) -> list[tuple[str, list[str]]]:
    grouped: dict[str, list[str]] = {}
    for c in node.comments:
        base = c.question[: -len("-Comment")] if c.question.endswith("-Comment") else c.question
        grouped.setdefault(labels.title(base), []).append(c.text)
    return list(grouped.items())


def node_label(node: Any, *, own: str, total: str) -> str:
    """A node's name: "Unit", "Unit (own group)" or "Unit with units below"."""
    if node.kind == "own":
        return f"{node.unit.name} – {own}"
    if node.kind == "total":
        return f"{node.unit.name} – {total}"
    return node.unit.name
