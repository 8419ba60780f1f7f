"""The parity corpus is complete and docs/engine.md points at real cases (no Node needed)."""

from __future__ import annotations

import re

from tests.engine.oracle import harness

DOC = harness.REPO / "docs" / "engine.md"
MIN_CASES = 250
BACKTICKED = re.compile(r"`([^`]+)`")


def documented_case_ids() -> list[tuple[str, str]]:
    """(case id, table row) for every id in the last column of the tables between the
    `<!-- cases:begin -->` and `<!-- cases:end -->` markers of docs/engine.md."""
    text = DOC.read_text(encoding="utf-8")
    start, end = text.index("<!-- cases:begin -->"), text.index("<!-- cases:end -->")
    found = []
    for line in text[start:end].splitlines():
        line = line.strip()
        if not line.startswith("|") or set(line) <= set("|-: "):
            continue
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip("|"))]
        if not cells or cells[-1] in ("cases", ""):
            continue
        for token in BACKTICKED.findall(cells[-1]):
            found.append((token, cells[0]))
    return found


def test_corpus_loads_and_is_large_enough() -> None:
    corpus = harness.load_corpus()  # raises on a malformed file or a duplicate id
    total = sum(len(cases) for cases in corpus.values())
    assert total >= MIN_CASES, f"only {total} cases; the corpus needs at least {MIN_CASES}"


def test_every_case_file_has_current_expected_outputs() -> None:
    corpus = harness.load_corpus()
    problems = []
    for stem, cases in corpus.items():
        expected = harness.load_expected(stem)
        if not expected:
            problems.append(f"expected/{stem}.json is missing")
            continue
        for case in cases:
            entry = expected.get(case.id)
            if entry is None:
                problems.append(f"{stem}: no expected output for {case.id}")
            elif entry.get("input_sha256") != case.input_hash:
                problems.append(f"{stem}: expected output of {case.id} is stale")
        extra = set(expected) - {c.id for c in cases}
        problems.extend(f"{stem}: expected output for removed case {cid}" for cid in sorted(extra))
    assert not problems, "run `python tests/engine/regen_expected.py`:\n" + "\n".join(problems)


def test_documented_case_ids_exist() -> None:
    ids = {case.id for cases in harness.load_corpus().values() for case in cases}
    documented = documented_case_ids()
    assert len(documented) > 100, "the coverage tables of docs/engine.md were not found"
    missing = sorted({f"{cid} (row: {row})" for cid, row in documented if cid not in ids})
    assert not missing, "docs/engine.md names cases that do not exist:\n" + "\n".join(missing)


def test_every_coverage_row_names_a_case() -> None:
    text = DOC.read_text(encoding="utf-8")
    start, end = text.index("<!-- cases:begin -->"), text.index("<!-- cases:end -->")
    empty = []
    for line in text[start:end].splitlines():
        line = line.strip()
        if not line.startswith("|") or set(line) <= set("|-: "):
            continue
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip("|"))]
        if cells[-1] == "cases":
            continue
        if not BACKTICKED.search(cells[-1]):
            empty.append(cells[0])
    assert not empty, "coverage rows without a case: " + ", ".join(empty)


def test_all_26_surprises_are_mapped() -> None:
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("## The 26 semantic surprises") : text.index("## Further surprises")]
    numbers = {int(m) for m in re.findall(r"^\| (\d+) \|", section, flags=re.MULTILINE)}
    assert numbers == set(range(1, 27)), sorted(set(range(1, 27)) - numbers)
