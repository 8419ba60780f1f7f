"""reports.anonymity, the one place the minimum-group-size rule lives: roll-up, the remainder
rule against differencing, per-question hiding, free text and background groups."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports import anonymity as an
from reports.anonymity import MeasureSpec, Thresholds, UnitRef

T = Thresholds(normal=5, sensitive=10)


def tree(*specs: tuple[int, str, int | None]) -> dict[int, UnitRef]:
    """(id, code, parent id) -> units with materialised paths."""
    units: dict[int, UnitRef] = {}
    for pk, code, parent in specs:
        path = (units[parent].path if parent else "/") + f"{pk}/"
        units[pk] = UnitRef(id=pk, code=code, name=code, parent_id=parent, path=path)
    return units


#        ORG(1)
#        ├── DIV(2)
#        │   ├── A(3) ── A1(4)
#        │   └── B(5)
#        └── SMALL(6)
UNITS = tree((1, "ORG", None), (2, "DIV", 1), (3, "A", 2), (4, "A1", 3), (5, "B", 2), (6, "SMALL", 1))
SPECS = [MeasureSpec("q", "q", "choice", False, True), MeasureSpec("s", "s", "choice", True, False)]


def rows(counts: dict[int, int], answer: Any = None) -> list[tuple[int, dict, dict]]:
    out = []
    for unit, n in counts.items():
        for i in range(n):
            out.append((unit, {}, answer(unit, i) if answer else {"q": 3, "s": "never"}))
    return out


def build(counts: dict[int, int], answer: Any = None, **kw: Any) -> an.SafeResults:
    return an.build_results(units=UNITS, rows=rows(counts, answer), specs=SPECS, option_orders={}, limits=T, **kw)


def test_the_thresholds_never_go_below_five_and_ten(settings: Any) -> None:
    settings.VERNE_MIN_GROUP_SIZE = 2
    settings.VERNE_MIN_GROUP_SIZE_SENSITIVE = 3
    assert an.thresholds() == Thresholds(normal=5, sensitive=10)
    settings.VERNE_MIN_GROUP_SIZE = 7
    settings.VERNE_MIN_GROUP_SIZE_SENSITIVE = 12
    assert an.thresholds() == Thresholds(normal=7, sensitive=12)
    assert an.passes(7) and not an.passes(6) and not an.passes(11, sensitive=True)


def test_a_small_unit_is_rolled_up_into_its_parent_and_marked() -> None:
    results = build({3: 6, 4: 2, 5: 7})
    a = results.nodes["u:A"]
    assert a.shown and a.respondents == 8
    assert [u.code for u in a.rolled_up] == ["A1"]
    assert "u:A1" not in results.nodes
    assert results.node_for_unit(4).key == "u:A"


def test_nothing_is_shown_for_a_group_of_n_minus_one_and_everything_for_n() -> None:
    assert not build({3: 4}).nodes["u:ORG"].shown
    shown = build({3: 5})
    assert shown.nodes["u:ORG"].shown and shown.nodes["u:ORG"].measures["q"].n == 5


def test_the_remainder_rule_stops_parent_minus_children() -> None:
    # DIV's own 2 people are too few: they are rolled up into the organisation's own group.
    # ORG = A (6) + B (6) + those 2, so ORG minus A minus B would expose the 2.
    results = build({2: 2, 3: 6, 5: 6})
    org, own = results.nodes["u:ORG"], results.nodes["own:ORG"]
    assert org.shown and org.respondents == 14
    assert not own.shown and [u.code for u in own.rolled_up] == ["DIV"]
    a, b = results.nodes["u:A"], results.nodes["u:B"]
    assert a.shown != b.shown, "exactly one of A and B is hidden as well"
    hidden = a if not a.shown else b
    assert hidden.reason == "remainder"
    _assert_no_small_remainder(results, {2: 2, 3: 6, 5: 6})


def test_a_question_few_answered_is_hidden_and_so_is_its_complement() -> None:
    # Everyone answers q except 3 people in B, who skip it: B shows q only if 5 answered.
    def answer(unit: int, i: int) -> dict[str, Any]:
        return {"q": 3} if not (unit == 5 and i < 3) else {}

    results = build({3: 6, 5: 6}, answer)
    b = results.nodes["u:B"]
    assert b.shown and not b.measures["q"].shown and b.measures["q"].reason == "few"
    # ORG shows q for 9 people; A (6) is shown -> ORG - A = B's 3 answers would leak: A hides q.
    org_q = results.nodes["u:ORG"].measures["q"]
    a_q = results.nodes["u:A"].measures["q"]
    assert org_q.shown and not a_q.shown and a_q.reason == "remainder"


def test_sensitive_questions_need_ten() -> None:
    results = build({3: 9})
    assert results.nodes["u:ORG"].measures["q"].shown
    assert not results.nodes["u:ORG"].measures["s"].shown
    assert build({3: 10}).nodes["u:ORG"].measures["s"].shown


def test_free_text_needs_ten_respondents_and_release() -> None:
    comments = [("c1", 3, "b_improve", "released", "Bra"), ("c2", 3, "b_improve", "pending", ""),
                ("c3", 5, "b_improve", "released", "Fra B")]  # fmt: skip
    results = build({3: 10, 5: 10}, comments=comments)
    a, b = results.nodes["u:A"], results.nodes["u:B"]
    assert a.comments_shown and [c.text for c in a.comments] == ["Bra"]  # the pending one is not shown
    assert b.comments_shown and [c.text for c in b.comments] == ["Fra B"]
    # With only 6 in B: B shows figures but no free text, and A's free text is hidden too,
    # because the organisation's list minus A's would pin "Fra B" on B's 6 people.
    results = build({3: 10, 5: 6}, comments=comments)
    a, b, org = results.nodes["u:A"], results.nodes["u:B"], results.nodes["u:ORG"]
    assert b.shown and not b.comments_shown and b.comments == []
    assert not a.comments_shown and a.comments == []
    assert org.comments_shown and sorted(c.text for c in org.comments) == ["Bra", "Fra B"]


def test_background_groups_only_for_the_organisation_with_the_remainder_rule() -> None:
    def answer(unit: int, i: int) -> dict[str, Any]:
        return {"q": 2 if i % 2 else 4}

    rows_ = [(3, {"role": "employee"}, {"q": 4}) for _ in range(8)] + [(5, {"role": "leader"}, {"q": 2}) for _ in range(3)]
    results = an.build_results(units=UNITS, rows=rows_, specs=SPECS, option_orders={}, limits=T, background_question="role")
    cats = {c.value: c for c in results.background}
    assert not cats["leader"].shown
    # employee (8) shown alone would expose the 3 leaders as org minus employees: hidden too.
    assert not cats["employee"].shown


def test_results_survive_archiving_as_json() -> None:
    import json

    results = build({3: 6, 4: 2, 5: 7})
    again = an.SafeResults.from_dict(json.loads(json.dumps(results.to_dict())))
    assert again.archived and again.order == results.order
    assert again.nodes["u:A"].measures["q"].n == results.nodes["u:A"].measures["q"].n


def test_response_rates_only_for_groups_of_n_invited() -> None:
    rates = an.rates_from_counts(UNITS, {3: (12, 6), 4: (3, 3), 5: (4, 1), 6: (2, 0)}, limits=T)
    assert rates.nodes["u:A"].shown and rates.nodes["u:A"].invited == 15 and rates.nodes["u:A"].answered == 9
    assert "u:B" not in rates.nodes and "u:DIV" not in rates.nodes
    # B's 4 (and DIV's none) are too few for DIV: with SMALL's 2 they are the organisation's own group.
    own = rates.node_for_unit(5)
    assert own.key == "own:ORG" and own.shown and own.invited == 6 and own.answered == 1
    assert [u.code for u in own.rolled_up] == ["B", "SMALL"]


def test_csv_cells_are_neutralised() -> None:
    assert an.csv_safe("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert an.csv_safe("-1") == "'-1" and an.csv_safe("+x") == "'+x" and an.csv_safe("@x") == "'@x"
    assert an.csv_safe("Bra") == "Bra" and an.csv_safe(5) == "5"


# ------------------------------------------------------------------------ property test


def _assert_no_small_remainder(results: an.SafeResults, counts: dict[int, int]) -> None:
    """Every combination of shown nodes leaves 0 or >= N people unaccounted for below a shown node."""
    for key in results.order:
        node = results.nodes[key]
        if not node.shown:
            continue
        below = [results.nodes[k] for k in results.order if k != key and _is_below(results, k, key) and results.nodes[k].shown]
        for r in range(len(below) + 1):
            for combo in itertools.combinations(below, r):
                sets = [set(n.group_units) for n in combo]
                if any(a & b for a, b in itertools.combinations(sets, 2)):
                    continue
                covered = set().union(*sets) if sets else set()
                rest = sum(counts.get(u, 0) for u in set(node.group_units) - covered)
                assert rest == 0 or rest >= T.normal, (key, [n.key for n in combo], rest)


def _is_below(results: an.SafeResults, child: str, parent: str) -> bool:
    stack = list(results.nodes[parent].children)
    while stack:
        k = stack.pop()
        if k == child:
            return True
        stack += results.nodes[k].children
    return False


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=12), min_size=6, max_size=6))
def test_no_shown_combination_isolates_fewer_than_n(counts_list: list[int]) -> None:
    counts = {i + 1: n for i, n in enumerate(counts_list) if n}
    if not counts:
        return
    results = build(counts)
    _assert_no_small_remainder(results, counts)
    # Every shown node has at least N respondents.
    for node in results.nodes.values():
        if node.shown:
            assert node.respondents is not None and node.respondents >= T.normal


@pytest.mark.parametrize("n", [4, 5])
def test_n_minus_one_in_one_unit_of_a_bigger_tree(n: int) -> None:
    results = build({4: n})
    assert results.nodes["u:ORG"].shown is (n >= 5)
