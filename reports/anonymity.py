"""The minimum-group-size rule for anonymous survey results. Every output goes through here.

Pages, CSV (and later XLSX, DOCX, the API and charts) get anonymous results only as a
`SafeResults` (or `SafeRates`) from this module; they never read `AnonymousAnswer` rows. What
a `SafeResults` holds has already passed the rule, and what did not pass carries no number.

The rule (docs/privacy.md, ../shared/domain/anonymity_and_privacy.md §3):

* **N** = `VERNE_MIN_GROUP_SIZE` (default 5, never below 5); **N_s** =
  `VERNE_MIN_GROUP_SIZE_SENSITIVE` (default 10, never below 10 or N) for free text and for
  questions marked `verneSensitivity: "sensitive"`.
* **Nothing while the survey is open** (response rates excepted, and those are daily).
* **Roll-up.** Units with fewer than N respondents are merged into their parent (repeatedly);
  the merged group is marked with the units it contains. Groups partition the respondents.
* **Display tree.** A unit with groups below it has a *total* node (the unit and everything
  below) with children: its *own* group and the totals of the groups below. The root total
  is the organisation.
* **Remainder rule** (differencing): for every node that is shown, the respondents it has
  beyond its largest shown descendants (node − shown children, recursively) must be 0 or at
  least N; otherwise the smallest shown descendant is hidden as well, until it holds. Every
  set of people one can compute from what is shown is then empty or at least N large.
* **Per question.** A question (a matrix row, a dimension score) is shown in a node only if
  at least N (N_s when sensitive) in the node answered it, and the remainder rule is applied
  again with those counts.
* **Free text** is shown only where the node has at least N_s respondents (remainder rule
  with N_s), and only comments the HMS admin has released (possibly redacted).
* **Background groups** (the one `verneBackground` question) are shown only for the whole
  organisation, only for categories of at least N, with the remainder rule; never free text
  or sensitive questions by background.

API for other outputs (the reports issue adds XLSX/DOCX/API/charts through these):

    thresholds() -> Thresholds                       # N and N_s
    passes(count, sensitive=False) -> bool           # the bare threshold test
    campaign_results(campaign) -> SafeResults         # archived results when raw answers are gone
    visible_nodes(results, unit_ids) -> list[Node]   # nodes a person may see (RESULTS_VIEW units)
    campaign_rates(campaign) -> SafeRates             # daily response rates per group
    csv_rows(results, nodes, labels) -> Iterator[list[str]]   # neutralised cells
    partition / display_tree / suppress               # the building blocks, for other aggregates
    visibility(units, per_unit, measure_counts, ...) -> Visibility   # the rule's decisions from counts
                                                     # (reports.selectors computes figures for what it allows)
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# ============================================================================ thresholds


@dataclass(frozen=True)
class Thresholds:
    normal: int
    sensitive: int

    def for_sensitivity(self, sensitivity: str) -> int:
        return self.sensitive if sensitivity in ("sensitive", "free_text") else self.normal


def thresholds() -> Thresholds:
    normal = max(5, int(getattr(settings, "VERNE_MIN_GROUP_SIZE", 5)))
    sensitive = max(10, normal, int(getattr(settings, "VERNE_MIN_GROUP_SIZE_SENSITIVE", 10)))
    return Thresholds(normal=normal, sensitive=sensitive)


def passes(count: int, *, sensitive: bool = False) -> bool:
    t = thresholds()
    return count >= (t.sensitive if sensitive else t.normal)


def csv_safe(value: Any) -> str:
    """A cell for CSV/XLSX: text that a spreadsheet would run as a formula is neutralised."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


# ============================================================================ groups


@dataclass(frozen=True)
class UnitRef:
    id: int
    code: str
    name: str
    parent_id: int | None
    path: str


@dataclass
class Group:
    """Respondents counted together: an anchor unit and the small units merged into it."""

    anchor: UnitRef
    unit_ids: list[int]
    rolled_up: list[UnitRef]  # merged units that had respondents of their own
    count: int


def partition(units: Mapping[int, UnitRef], counts: Mapping[int, int], threshold: int) -> dict[int, Group]:
    """Groups by anchor unit id: every unit with fewer than `threshold` (with what was merged
    into it) is merged into its parent; the root is always an anchor."""
    children: dict[int | None, list[UnitRef]] = defaultdict(list)
    for u in sorted(units.values(), key=lambda u: u.path):
        children[u.parent_id if u.parent_id in units else None].append(u)
    groups: dict[int, Group] = {}

    def visit(u: UnitRef) -> tuple[int, list[int], list[UnitRef]]:
        pending = counts.get(u.id, 0)
        members = [u.id]
        merged: list[UnitRef] = []
        for c in children.get(u.id, []):
            n, ids, rolled = visit(c)
            if c.id in groups:
                continue  # big enough to stand alone
            pending += n
            members += ids
            merged += rolled
            if counts.get(c.id, 0):
                merged.append(c)
        if pending >= threshold or u.parent_id not in units:
            groups[u.id] = Group(anchor=u, unit_ids=members, rolled_up=sorted(merged, key=lambda r: r.path), count=pending)
        return pending, members, merged

    for root in children.get(None, []):
        visit(root)
    return groups


@dataclass
class Node:
    key: str  # "u:<code>" (the unit with what is below it) or "own:<code>" (the unit's own group)
    kind: str  # "total" | "own" | "unit" (a unit whose group is everything below it)
    unit: UnitRef
    groups: list[Group]
    children: list[Node] = field(default_factory=list)
    depth: int = 0

    @property
    def count(self) -> int:
        return sum(g.count for g in self.groups)

    @property
    def rolled_up(self) -> list[UnitRef]:
        return [u for g in self.groups for u in g.rolled_up] if self.kind != "total" else []

    def walk(self) -> Iterator[Node]:
        yield self
        for c in self.children:
            yield from c.walk()


def display_tree(units: Mapping[int, UnitRef], groups: Mapping[int, Group]) -> Node | None:
    """The tree of what can be shown (see the module docstring)."""
    kids: dict[int, list[UnitRef]] = defaultdict(list)
    roots = []
    for u in sorted(units.values(), key=lambda u: u.path):
        if u.parent_id in units:
            kids[u.parent_id].append(u)
        else:
            roots.append(u)

    def anchors_below(u: UnitRef) -> list[UnitRef]:
        out: list[UnitRef] = []
        for c in kids.get(u.id, []):
            if c.id in groups:
                out.append(c)
            else:
                out += anchors_below(c)
        return out

    def build(u: UnitRef, depth: int) -> Node:
        below = anchors_below(u)
        own = groups[u.id]
        if not below:
            return Node(key=f"u:{u.code}", kind="unit", unit=u, groups=[own], depth=depth)
        child_nodes = [build(v, depth + 1) for v in below]
        own_node = Node(key=f"own:{u.code}", kind="own", unit=u, groups=[own], depth=depth + 1)
        all_groups = [own] + [g for n in child_nodes for g in n.groups]
        return Node(key=f"u:{u.code}", kind="total", unit=u, groups=all_groups,
                    children=[own_node, *child_nodes], depth=depth)  # fmt: skip

    if not roots:
        return None
    return build(roots[0], 0)


def _walked(root: Node) -> list[Node]:
    """The tree's nodes depth first, remembered on the root (a display tree is not changed
    after it is built; suppress runs once per measure on the same tree)."""
    cached: list[Node] | None = root.__dict__.get("_walked")
    if cached is None:
        cached = list(root.walk())
        root.__dict__["_walked"] = cached
    return cached


def suppress(root: Node, counts: Mapping[str, int], threshold: int, allowed: Mapping[str, bool] | None = None) -> dict[str, bool]:
    """Which nodes may be shown for a measure with these counts (threshold + remainder rule).

    `allowed` (node key -> bool) hides nodes up front (e.g. a question is only shown in nodes
    that are shown at all).
    """
    nodes = _walked(root)
    shown = {
        n.key: counts.get(n.key, 0) >= threshold and (allowed is None or allowed.get(n.key, False))
        for n in nodes
    }

    def maximal_shown(n: Node) -> list[Node]:
        out: list[Node] = []
        for c in n.children:
            if shown[c.key]:
                out.append(c)
            else:
                out += maximal_shown(c)
        return out

    changed = True
    while changed:
        changed = False
        for n in reversed(nodes):  # children before parents
            if not shown[n.key]:
                continue
            while True:
                parts = maximal_shown(n)
                remainder = counts.get(n.key, 0) - sum(counts.get(p.key, 0) for p in parts)
                if remainder == 0 or remainder >= threshold or not parts:
                    break
                smallest = min(parts, key=lambda p: (counts.get(p.key, 0), p.key))
                shown[smallest.key] = False
                changed = True
    return shown


# ============================================================================ measures


@dataclass
class Tally:
    """Answers to one measure in one group (never leaves this module unsuppressed)."""

    n: int = 0
    options: Counter[str] = field(default_factory=Counter)
    num_n: int = 0
    total: float = 0.0
    sumsq: float = 0.0
    high: int = 0  # numeric values >= 4 (on a 1-5 scale)
    low: int = 0  # numeric values <= 2

    def add_number(self, x: float) -> None:
        self.num_n += 1
        self.total += x
        self.sumsq += x * x
        self.high += x >= 4
        self.low += x <= 2

    def merge(self, other: Tally) -> None:
        self.n += other.n
        self.options.update(other.options)
        self.num_n += other.num_n
        self.total += other.total
        self.sumsq += other.sumsq
        self.high += other.high
        self.low += other.low


@dataclass(frozen=True)
class MeasureSpec:
    key: str  # "q", "q.row" (matrix row) or "score:name"
    question: str
    kind: str  # choice | multi | matrix_row | score
    sensitive: bool
    numeric: bool


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    try:
        x = float(str(value))
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def _key(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def measure_specs(catalogue: Iterable[Any], scores: Iterable[str]) -> list[MeasureSpec]:
    """Measures from a surveys.anon.questions catalogue (free text is not a measure)."""
    specs: list[MeasureSpec] = []
    for q in catalogue:
        if q.free_text:
            continue
        sensitive = q.sensitivity == "sensitive"
        if q.type == "matrix":
            for row in q.rows:
                specs.append(MeasureSpec(f"{q.name}.{row.value}", q.name, "matrix_row", sensitive, q.numeric))
        elif q.type in ("checkbox", "tagbox"):
            specs.append(MeasureSpec(q.name, q.name, "multi", sensitive, False))
        elif q.options:
            specs.append(MeasureSpec(q.name, q.name, "choice", sensitive, q.numeric))
    for name in scores:
        specs.append(MeasureSpec(f"score:{name}", name, "score", False, True))
    return specs


def tally_answer(specs: Iterable[MeasureSpec], answers: Mapping[str, Any], into: dict[str, Tally]) -> None:
    for spec in specs:
        if spec.kind == "matrix_row":
            q, row = spec.key.split(".", 1)
            value = (answers.get(q) or {}).get(row) if isinstance(answers.get(q), dict) else None
        else:
            value = answers.get(spec.question)
        if value in (None, "", [], {}):
            continue
        tally = into.setdefault(spec.key, Tally())
        tally.n += 1
        if spec.kind == "multi":
            for v in value if isinstance(value, list) else [value]:
                tally.options[_key(v)] += 1
            continue
        if spec.kind != "score":
            tally.options[_key(value)] += 1
        if spec.numeric:
            x = _number(value)
            if x is not None:
                tally.add_number(x)


# ============================================================================ results


@dataclass
class OptionResult:
    value: str
    count: int
    percent: float


@dataclass
class MeasureResult:
    key: str
    kind: str
    shown: bool
    reason: str = ""  # "" | "few" (fewer than the threshold answered) | "remainder" | "hidden_group"
    n: int | None = None
    options: list[OptionResult] = field(default_factory=list)
    mean: float | None = None
    sd: float | None = None
    score100: float | None = None
    share_high: float | None = None
    share_low: float | None = None


@dataclass
class CommentResult:
    question: str
    text: str


@dataclass
class NodeResult:
    key: str
    kind: str
    unit: UnitRef
    depth: int
    shown: bool
    reason: str = ""  # "" | "few" | "remainder"
    respondents: int | None = None
    rolled_up: list[UnitRef] = field(default_factory=list)
    group_units: list[int] = field(default_factory=list)  # every unit whose answers count here
    children: list[str] = field(default_factory=list)
    measures: dict[str, MeasureResult] = field(default_factory=dict)
    comments_shown: bool = False
    comments: list[CommentResult] = field(default_factory=list)


@dataclass
class BackgroundCategory:
    value: str
    shown: bool
    respondents: int | None = None
    means: dict[str, float] = field(default_factory=dict)


@dataclass
class SafeResults:
    available: bool
    reason: str = ""  # "open" | "no_answers" | ""
    normal: int = 5
    sensitive: int = 10
    root: str = ""
    order: list[str] = field(default_factory=list)  # node keys, depth first
    nodes: dict[str, NodeResult] = field(default_factory=dict)
    specs: list[MeasureSpec] = field(default_factory=list)
    background_question: str = ""
    background: list[BackgroundCategory] = field(default_factory=list)
    archived: bool = False

    def node(self, key: str) -> NodeResult | None:
        return self.nodes.get(key)

    def node_for_unit(self, unit_id: int) -> NodeResult | None:
        """The most specific node whose own answers include this unit's (its group)."""
        best: NodeResult | None = None
        for key in self.order:
            n = self.nodes[key]
            if n.kind != "total" and unit_id in n.group_units:
                best = n
        return best

    def unit_node(self, code: str) -> NodeResult | None:
        return self.nodes.get(f"u:{code}")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SafeResults:
        def unit(d: Mapping[str, Any]) -> UnitRef:
            return UnitRef(**d)

        nodes = {}
        for key, n in data["nodes"].items():
            nodes[key] = NodeResult(
                key=n["key"], kind=n["kind"], unit=unit(n["unit"]), depth=n["depth"], shown=n["shown"],
                reason=n["reason"], respondents=n["respondents"], rolled_up=[unit(u) for u in n["rolled_up"]],
                group_units=list(n["group_units"]), children=list(n["children"]),
                measures={k: MeasureResult(**{**m, "options": [OptionResult(**o) for o in m["options"]]})
                          for k, m in n["measures"].items()},
                comments_shown=n["comments_shown"], comments=[CommentResult(**c) for c in n["comments"]],
            )  # fmt: skip
        return cls(
            available=data["available"], reason=data["reason"], normal=data["normal"], sensitive=data["sensitive"],
            root=data["root"], order=list(data["order"]), nodes=nodes,
            specs=[MeasureSpec(**s) for s in data["specs"]], background_question=data["background_question"],
            background=[BackgroundCategory(**b) for b in data["background"]], archived=True,
        )  # fmt: skip


def _measure_result(spec: MeasureSpec, tally: Tally | None, option_order: list[str]) -> MeasureResult:
    tally = tally or Tally()
    result = MeasureResult(key=spec.key, kind=spec.kind, shown=True, n=tally.n)
    if spec.kind != "score":
        values = option_order + sorted(v for v in tally.options if v not in option_order)
        result.options = [
            OptionResult(value=v, count=tally.options.get(v, 0),
                         percent=round(100 * tally.options.get(v, 0) / tally.n, 1) if tally.n else 0.0)  # fmt: skip
            for v in values
        ]
    if tally.num_n:
        mean = tally.total / tally.num_n
        var = max(tally.sumsq / tally.num_n - mean * mean, 0.0)
        result.mean = round(mean, 2)
        result.sd = round(math.sqrt(var), 2)
        if spec.kind == "score":
            result.score100 = round((mean - 1) * 25, 1)
            result.share_high = round(100 * tally.high / tally.num_n, 1)
            result.share_low = round(100 * tally.low / tally.num_n, 1)
    return result


@dataclass
class Visibility:
    """What the rule allows for one campaign, decided from counts alone (no figures).

    `groups`, `tree` and `nodes` are the roll-up and the display tree; `shown[node]` says
    whether a node may be shown at all, `measures[measure][node]` whether a measure may be
    shown in it (threshold N or N_s on the answers to it, remainder rule, only inside shown
    nodes), `comments[node]` whether released free text may be. `respondents` and
    `measure_counts` are the counts behind the decisions: internal, never output for a node or
    measure that is not shown. `build_results` (the results pages) and the reports' pandas
    aggregation (reports.selectors) both take their decisions from here, so there is one rule.
    """

    limits: Thresholds
    groups: dict[int, Group]
    tree: Node
    nodes: list[Node]
    respondents: dict[str, int]
    shown: dict[str, bool]
    measures: dict[str, dict[str, bool]]
    measure_counts: dict[str, dict[str, int]]
    comments: dict[str, bool]

    def node_reason(self, key: str) -> str:
        if self.shown.get(key):
            return ""
        return "few" if self.respondents.get(key, 0) < self.limits.normal else "remainder"

    def measure_reason(self, measure: str, key: str, *, sensitive: bool = False) -> str:
        if not self.shown.get(key):
            return "hidden_group"
        if self.measures.get(measure, {}).get(key):
            return ""
        limit = self.limits.sensitive if sensitive else self.limits.normal
        return "few" if self.measure_counts.get(measure, {}).get(key, 0) < limit else "remainder"

    def group_units(self, key: str) -> list[int]:
        """Every unit whose answers count in the node."""
        node = next(n for n in self.nodes if n.key == key)
        return sorted({uid for g in node.groups for uid in g.unit_ids})


def visibility(
    *,
    units: Mapping[int, UnitRef],
    per_unit: Mapping[int, int],
    measure_counts: Mapping[str, Mapping[int, int]],
    sensitive: Iterable[str] = (),
    limits: Thresholds | None = None,
) -> Visibility | None:
    """The rule for one campaign from counts: respondents per unit and, per measure, how many
    answered it per unit. None when nobody answered."""
    t = limits or thresholds()
    per_unit = {uid: n for uid, n in per_unit.items() if n}
    if not per_unit:
        return None
    scope = with_ancestors(units, per_unit)
    groups = partition(scope, per_unit, t.normal)
    tree = display_tree(scope, groups)
    assert tree is not None
    nodes = list(tree.walk())
    respondents = {n.key: n.count for n in nodes}
    shown = suppress(tree, respondents, t.normal)
    sensitive_set = set(sensitive)
    measures: dict[str, dict[str, bool]] = {}
    node_counts: dict[str, dict[str, int]] = {}
    # Per measure, the answers in each node: a node counts the units of its groups (one matrix
    # product for every measure: nodes x units times units x measures).
    import numpy as np

    unit_index = {uid: i for i, uid in enumerate(sorted({uid for g in groups.values() for uid in g.unit_ids}))}
    membership = np.zeros((len(nodes), len(unit_index)), dtype=np.int64)
    for row, n in enumerate(nodes):
        for g in n.groups:
            for uid in g.unit_ids:
                membership[row, unit_index[uid]] = 1
    keys = list(measure_counts)
    per_unit_measure = np.zeros((len(unit_index), len(keys)), dtype=np.int64)
    for col, key in enumerate(keys):
        for uid, n_answered in measure_counts[key].items():
            if uid in unit_index:
                per_unit_measure[unit_index[uid], col] += n_answered
    totals = (membership @ per_unit_measure).T.tolist()
    node_keys = [n.key for n in nodes]
    for col, key in enumerate(keys):
        counts = dict(zip(node_keys, totals[col], strict=True))
        limit = t.sensitive if key in sensitive_set else t.normal
        measures[key] = suppress(tree, counts, limit, allowed=shown)
        node_counts[key] = counts
    comments = suppress(tree, respondents, t.sensitive, allowed=shown)
    return Visibility(limits=t, groups=groups, tree=tree, nodes=nodes, respondents=respondents, shown=shown,
                      measures=measures, measure_counts=node_counts, comments=comments)  # fmt: skip


def build_results(
    *,
    units: Mapping[int, UnitRef],
    rows: Iterable[tuple[int, Mapping[str, Any], Mapping[str, Any]]],
    specs: list[MeasureSpec],
    option_orders: Mapping[str, list[str]],
    comments: Iterable[tuple[Any, int, str, str, str]] = (),
    background_question: str = "",
    limits: Thresholds | None = None,
    members: Mapping[int, Iterable[int]] | None = None,
) -> SafeResults:
    """Apply the whole rule to raw rows (unit id, background, answers). The only place that
    turns anonymous answers into figures.

    `members` (unit id -> units whose people's answers are stored under it: the small units
    merged into it when people were invited, see surveys.anon.selectors.reporting_group) only
    adds those units to a node's `group_units` and `rolled_up`, so they are marked and found."""
    t = limits or thresholds()
    per_unit: Counter[int] = Counter()
    unit_tallies: dict[int, dict[str, Tally]] = defaultdict(dict)
    bg_tallies: dict[str, dict[str, Tally]] = defaultdict(dict)
    bg_counts: Counter[str] = Counter()
    for unit_id, background, answers in rows:
        per_unit[unit_id] += 1
        tally_answer(specs, answers, unit_tallies[unit_id])
        if background_question:
            category = _key(background.get(background_question)) if background.get(background_question) is not None else ""
            if category:
                bg_counts[category] += 1
                tally_answer([s for s in specs if not s.sensitive], answers, bg_tallies[category])
    if not per_unit:
        return SafeResults(available=False, reason="no_answers", normal=t.normal, sensitive=t.sensitive, specs=specs)
    vis = visibility(
        units=units, per_unit=per_unit,
        measure_counts={s.key: {uid: ts[s.key].n for uid, ts in unit_tallies.items() if s.key in ts} for s in specs},
        sensitive={s.key for s in specs if s.sensitive}, limits=t,
    )  # fmt: skip
    groups, tree, nodes, respondents, shown = vis.groups, vis.tree, vis.nodes, vis.respondents, vis.shown

    # Per-node tallies (sums over the node's groups' units).
    group_tallies: dict[int, dict[str, Tally]] = {}
    for anchor, g in groups.items():
        merged: dict[str, Tally] = {}
        for uid in g.unit_ids:
            for key, tally in unit_tallies.get(uid, {}).items():
                merged.setdefault(key, Tally()).merge(tally)
        group_tallies[anchor] = merged
    node_tallies: dict[str, dict[str, Tally]] = {}
    for n in nodes:
        merged = {}
        for g in n.groups:
            for key, tally in group_tallies[g.anchor.id].items():
                merged.setdefault(key, Tally()).merge(tally)
        node_tallies[n.key] = merged

    results = SafeResults(available=True, normal=t.normal, sensitive=t.sensitive, root=tree.key,
                          order=[n.key for n in nodes], specs=specs, background_question=background_question)  # fmt: skip
    for n in nodes:
        results.nodes[n.key] = NodeResult(
            key=n.key, kind=n.kind, unit=n.unit, depth=n.depth, shown=shown[n.key],
            reason="" if shown[n.key] else ("few" if respondents[n.key] < t.normal else "remainder"),
            respondents=respondents[n.key] if shown[n.key] else None,
            rolled_up=n.rolled_up, group_units=sorted({uid for g in n.groups for uid in g.unit_ids}),
            children=[c.key for c in n.children],
        )  # fmt: skip
        if members:
            node = results.nodes[n.key]
            extra = {m for uid in node.group_units for m in members.get(uid, ())} - set(node.group_units)
            node.group_units = sorted({*node.group_units, *extra})
            if n.kind != "total":
                known = {u.id for u in node.rolled_up} | {n.unit.id}
                node.rolled_up = sorted([*node.rolled_up, *(units[m] for m in extra if m in units and m not in known)],
                                        key=lambda u: u.path)  # fmt: skip
    # Questions: threshold and remainder rule per measure, only inside shown nodes.
    for spec in specs:
        limit = t.sensitive if spec.sensitive else t.normal
        counts = vis.measure_counts[spec.key]
        visible = vis.measures[spec.key]
        for n in nodes:
            node = results.nodes[n.key]
            if not node.shown:
                continue
            if visible[n.key]:
                node.measures[spec.key] = _measure_result(spec, node_tallies[n.key].get(spec.key), option_orders.get(spec.key, []))
            else:
                node.measures[spec.key] = MeasureResult(
                    key=spec.key, kind=spec.kind, shown=False, reason="few" if counts[n.key] < limit else "remainder"
                )
    # Free text: nodes with at least N_s respondents (remainder rule), released comments only.
    comment_ok = vis.comments
    released: dict[int, list[CommentResult]] = defaultdict(list)
    for _pk, unit_id, question, status, text in comments:
        if status == "released" and text:
            released[unit_id].append(CommentResult(question=question, text=text))
    for n in nodes:
        node = results.nodes[n.key]
        node.comments_shown = comment_ok[n.key]
        if node.comments_shown:
            node.comments = [c for uid in node.group_units for c in released.get(uid, [])]
    # Background categories: the organisation only, categories of at least N, remainder rule.
    if background_question and bg_counts and shown[tree.key]:
        cat_root = Node(key="bg:*", kind="total", unit=tree.unit, groups=[])
        cat_nodes = [Node(key=f"bg:{v}", kind="unit", unit=tree.unit, groups=[]) for v in sorted(bg_counts)]
        cat_root.children = cat_nodes
        counts = {"bg:*": respondents[tree.key], **{f"bg:{v}": bg_counts[v] for v in bg_counts}}
        visible = suppress(cat_root, counts, t.normal, allowed={k: True for k in counts})
        for v in sorted(bg_counts):
            cat = BackgroundCategory(value=v, shown=visible[f"bg:{v}"])
            if cat.shown:
                cat.respondents = bg_counts[v]
                for spec in specs:
                    tally = bg_tallies[v].get(spec.key)
                    if spec.sensitive or spec.kind == "multi" or tally is None or tally.n < t.normal or not tally.num_n:
                        continue
                    # A mean for a category is shown only when the organisation shows the measure.
                    org_measure = results.nodes[tree.key].measures.get(spec.key)
                    if org_measure is not None and org_measure.shown:
                        cat.means[spec.key] = round(tally.total / tally.num_n, 2)
            results.background.append(cat)
        _background_remainder(results, bg_counts, bg_tallies, t.normal)
    return results


def _background_remainder(results: SafeResults, bg_counts: Mapping[str, int],
                          bg_tallies: Mapping[str, Mapping[str, Tally]], threshold: int) -> None:  # fmt: skip
    """Per measure, the categories' means must not single out fewer than N answers of the
    organisation: drop means until the answers not covered are 0 or at least N."""
    org = results.nodes[results.root]
    for spec in results.specs:
        org_m = org.measures.get(spec.key)
        if org_m is None or not org_m.shown or org_m.n is None:
            continue
        with_mean = [c for c in results.background if spec.key in c.means]
        while with_mean:
            covered = sum(bg_tallies[c.value][spec.key].n for c in with_mean)
            rest = org_m.n - covered
            if rest == 0 or rest >= threshold:
                break
            smallest = min(with_mean, key=lambda c: (bg_tallies[c.value][spec.key].n, c.value))
            del smallest.means[spec.key]
            with_mean.remove(smallest)


def with_ancestors(units: Mapping[int, UnitRef], per_unit: Mapping[int, int]) -> dict[int, UnitRef]:
    scope: dict[int, UnitRef] = {}
    for uid in per_unit:
        u = units.get(uid)
        while u is not None and u.id not in scope:
            scope[u.id] = u
            u = units.get(u.parent_id) if u.parent_id is not None else None
    return scope


def visible_nodes(results: SafeResults, unit_ids: Iterable[int] | None) -> list[NodeResult]:
    """Nodes (in order) anchored at units the person may see (None: every node)."""
    if not results.available:
        return []
    allowed = None if unit_ids is None else set(unit_ids)
    return [results.nodes[k] for k in results.order if allowed is None or results.nodes[k].unit.id in allowed]


# ============================================================================ from the database


def unit_refs() -> dict[int, UnitRef]:
    from core.models import OrgUnit

    return {
        pk: UnitRef(id=pk, code=code, name=name, parent_id=parent_id, path=path)
        for pk, code, name, parent_id, path in OrgUnit.objects.values_list("pk", "code", "name", "parent_id", "path")
    }


def campaign_results(campaign: Any) -> SafeResults:
    """The campaign's results after the rule (from the archive once raw answers are deleted)."""
    from surveys.anon import questions, selectors
    from surveys.models import Campaign, ResultArchive

    t = thresholds()
    if campaign.status != Campaign.Status.CLOSED:
        return SafeResults(available=False, reason="open", normal=t.normal, sensitive=t.sensitive)
    archive = ResultArchive.objects.filter(campaign=campaign).first()
    if archive is not None and not selectors.has_raw_answers(campaign):
        return SafeResults.from_dict(archive.data)
    version = campaign.version
    plan = questions.plan_for(version)
    catalogue = questions.catalogue(version, "nb")
    specs = measure_specs(catalogue, plan.scores)
    orders: dict[str, list[str]] = {}
    for q in catalogue:
        if q.type == "matrix":
            for row in q.rows:
                orders[f"{q.name}.{row.value}"] = [o.value for o in q.options]
        else:
            orders[q.name] = [o.value for o in q.options]
    return build_results(
        units=unit_refs(), rows=selectors.answer_rows(campaign), specs=specs, option_orders=orders,
        comments=selectors.comment_rows(campaign),
        background_question=plan.background[0] if plan.background else "", limits=t,
        members=selectors.invited_groups(campaign),
    )  # fmt: skip


# ============================================================================ response rates


@dataclass
class RateNode:
    key: str
    kind: str
    unit: UnitRef
    depth: int
    shown: bool
    invited: int | None = None
    answered: int | None = None
    percent: float | None = None
    rolled_up: list[UnitRef] = field(default_factory=list)
    group_units: list[int] = field(default_factory=list)


@dataclass
class SafeRates:
    taken_on: Any = None  # the day of the snapshot (answers up to the end of the day before)
    root: str = ""
    order: list[str] = field(default_factory=list)
    nodes: dict[str, RateNode] = field(default_factory=dict)

    def node_for_unit(self, unit_id: int) -> RateNode | None:
        best = None
        for key in self.order:
            n = self.nodes[key]
            if n.kind != "total" and unit_id in n.group_units:
                best = n
        return best


def rates_from_counts(units: Mapping[int, UnitRef], per_unit: Mapping[int, tuple[int, int]],
                      limits: Thresholds | None = None) -> SafeRates:  # fmt: skip
    """Rates for groups of at least N invited (roll-up and remainder rule on invited)."""
    t = limits or thresholds()
    invited = {uid: inv for uid, (inv, _a) in per_unit.items() if inv}
    if not invited:
        return SafeRates()
    scope = with_ancestors(units, invited)
    groups = partition(scope, invited, t.normal)
    tree = display_tree(scope, groups)
    assert tree is not None
    nodes = list(tree.walk())
    counts = {n.key: n.count for n in nodes}
    shown = suppress(tree, counts, t.normal)
    rates = SafeRates(root=tree.key, order=[n.key for n in nodes])
    for n in nodes:
        ids = sorted({uid for g in n.groups for uid in g.unit_ids})
        node = RateNode(key=n.key, kind=n.kind, unit=n.unit, depth=n.depth, shown=shown[n.key],
                        rolled_up=n.rolled_up, group_units=ids)  # fmt: skip
        if node.shown:
            node.invited = counts[n.key]
            node.answered = sum(per_unit.get(uid, (0, 0))[1] for uid in ids)
            node.percent = round(100 * node.answered / node.invited, 1) if node.invited else 0.0
        rates.nodes[n.key] = node
    return rates


def campaign_rates(campaign: Any) -> SafeRates:
    """Today's daily snapshot (taken now if it is the first look today), after the rule."""
    from surveys.anon import selectors, services

    services.rate_snapshot_take(campaign=campaign)
    day, per_unit = selectors.latest_snapshot(campaign)
    rates = rates_from_counts(unit_refs(), per_unit)
    rates.taken_on = day
    return rates


def visible_rate_nodes(rates: SafeRates, unit_ids: Iterable[int] | None) -> list[RateNode]:
    allowed = None if unit_ids is None else set(unit_ids)
    return [rates.nodes[k] for k in rates.order if allowed is None or rates.nodes[k].unit.id in allowed]


# ============================================================================ CSV


def csv_rows(results: SafeResults, nodes: Iterable[NodeResult], labels: Callable[[str, str], str]) -> Iterator[list[str]]:
    """Rows for a CSV export: one per option (or per score) of every shown measure.

    `labels(kind, key)` gives a text for ("node", key), ("measure", key) and
    ("option", "measure_key|value"). Hidden nodes and measures appear with a reason and no
    number. Every cell is neutralised against spreadsheet formulas.
    """
    yield [csv_safe(h) for h in (labels("header", "group"), labels("header", "kind"), labels("header", "respondents"),
                                  labels("header", "question"), labels("header", "option"), labels("header", "count"),
                                  labels("header", "percent"), labels("header", "mean"), labels("header", "n"))]  # fmt: skip
    for node in nodes:
        name = labels("node", node.key)
        if not node.shown:
            yield [csv_safe(v) for v in (name, labels("reason", node.reason), "", "", "", "", "", "", "")]
            continue
        for spec in results.specs:
            m = node.measures.get(spec.key)
            if m is None:
                continue
            title = labels("measure", spec.key)
            if not m.shown:
                yield [csv_safe(v) for v in (name, labels("reason", m.reason), node.respondents, title, "", "", "", "", "")]
                continue
            if m.kind == "score":
                yield [csv_safe(v) for v in (name, "", node.respondents, title, "0-100", "", "", m.score100, m.n)]
                continue
            for o in m.options:
                yield [csv_safe(v) for v in (name, "", node.respondents, title, labels("option", f"{spec.key}|{o.value}"),
                                             o.count, o.percent, m.mean if m.mean is not None else "", m.n)]  # fmt: skip
