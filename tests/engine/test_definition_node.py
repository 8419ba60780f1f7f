"""The registration script in real survey-core: without it the Verne properties are unknown
(``unknownproperty``), with it survey-core loads the rich questionnaire without complaints."""

from __future__ import annotations

import json
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from surveys.engine.definition import (
    FOLLOW_UP_FIELDS,
    QUESTION_TYPES,
    TRIGGER_TYPES,
    VALIDATOR_TYPES,
    VERNE_PROPERTIES,
)
from surveys.engine.definition.schema import properties_of
from tests.engine.definition_fixtures.helpers import FIXTURES, RICH, rich

ROOT = Path(__file__).resolve().parents[2]
HARNESS = FIXTURES / "load_in_survey_core.mjs"
SURVEY_CORE = ROOT / "node_modules" / "survey-core" / "package.json"


def _skip_reason() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed (needed to load the questionnaire in survey-core)"
    if not SURVEY_CORE.exists():
        return f"survey-core is not installed at {SURVEY_CORE.parent} (run `npm install` in {ROOT})"
    return None


pytestmark = [
    pytest.mark.node,
    pytest.mark.skipif(_skip_reason() is not None, reason=_skip_reason() or ""),
]


@cache
def load(
    register: bool, fixture: Path = RICH, flag: str = "--register", extra: str = ""
) -> dict[str, Any]:
    args = (
        ["node", str(HARNESS), str(fixture)]
        + ([flag] if register else [])
        + ([extra] if extra else [])
    )
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    data: dict[str, Any] = json.loads(done.stdout)
    return data


def _verne_keys(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        found.update(k for k in node if k.startswith("verne"))
        for value in node.values():
            found |= _verne_keys(value)
    elif isinstance(node, list):
        for value in node:
            found |= _verne_keys(value)
    return found


def test_without_the_script_survey_core_rejects_the_verne_properties() -> None:
    errors = load(register=False)["jsonErrors"]
    assert errors, "survey-core should not know the Verne properties"
    assert {e["type"] for e in errors} == {"unknownproperty"}
    reported = {e["propertyName"] for e in errors}
    assert reported == {p.name for p in VERNE_PROPERTIES}
    # Every other property of the rich questionnaire is one survey-core knows.
    assert all(name.startswith("verne") for name in reported)


def test_with_the_script_survey_core_loads_it_cleanly() -> None:
    result = load(register=True)
    assert result["version"] == "3.1.1"
    assert result["jsonErrors"] == []


def test_the_script_registers_itself_on_the_survey_global() -> None:
    result = load(True, RICH, "--global")
    assert result["jsonErrors"] == []


def test_verne_properties_survive_a_round_trip() -> None:
    round_trip = load(register=True)["roundTrip"]
    assert _verne_keys(round_trip) == _verne_keys(rich())
    assert round_trip["verneKey"] == rich()["verneKey"]
    original_rule = rich()["pages"][0]["verneFollowUps"][0]
    assert round_trip["pages"][0]["verneFollowUps"][0] == original_rule


def test_survey_core_metadata_agrees_with_verne_properties() -> None:
    metadata = load(register=True)["metadata"]
    expected_by_class = {
        "survey": [p for p in VERNE_PROPERTIES if "survey" in p.classes],
        "panel": [p for p in VERNE_PROPERTIES if "panel" in p.classes],
        "page": [p for p in VERNE_PROPERTIES if "panel" in p.classes],  # a page is a panel
        "question": [p for p in VERNE_PROPERTIES if "question" in p.classes],
        "text": [p for p in VERNE_PROPERTIES if "question" in p.classes],
        "html": [p for p in VERNE_PROPERTIES if "question" in p.classes],
    }
    for sj_class, expected in expected_by_class.items():
        got = {m["name"]: m for m in metadata[sj_class]}
        assert set(got) == {p.name for p in expected}, sj_class
        for prop in expected:
            assert got[prop.name]["choices"] == list(prop.choices), (sj_class, prop.name)
            assert got[prop.name]["isArray"] == (prop.item_class is not None)
    rule_fields = metadata["vernefollowup"]
    assert [f["name"] for f in rule_fields] == [f.name for f in FOLLOW_UP_FIELDS]
    assert {f["name"] for f in rule_fields if f["isRequired"]} == {
        f.name for f in FOLLOW_UP_FIELDS if f.required
    }


def test_survey_core_also_reports_a_missing_rule_code(tmp_path: Path) -> None:
    definition = rich()
    del definition["verneFollowUps"][0]["code"]
    fixture = tmp_path / "no_code.json"
    fixture.write_text(json.dumps(definition), "utf-8")
    errors = load(True, fixture)["jsonErrors"]
    assert [(e["type"], e["propertyName"]) for e in errors] == [("requiredproperty", "code")]


# survey-core class -> the schema definition that describes it.
SCHEMA_DEFS: dict[str, str] = {
    **{t: f"element.{t}" for t in QUESTION_TYPES},
    "panel": "element.panel",
    "page": "page",
    "survey": "survey",
    "matrixdropdowncolumn": "matrixDropdownColumnBase",
    "multipletextitem": "multipleTextItem",
    "itemvalue": "itemValue",
    "choiceitem": "choiceItem",
    "checkboxitem": "checkboxItem",
    "imageitemvalue": "imageItem",
    "ratingitem": "ratingItem",
    "matrixcolumn": "matrixColumn",
    "sliderlabel": "sliderLabel",
    "calculatedvalue": "calculatedValue",
    "htmlconditionitem": "htmlConditionItem",
    "urlconditionitem": "urlConditionItem",
    "regionalformat": "regionalFormat",
    "panellayoutcolumn": "panelLayoutColumn",
    "masksettings": "maskSettings",
    "patternmask": "mask.pattern",
    "datetimemask": "mask.datetime",
    "numericmask": "mask.numeric",
    "currencymask": "mask.currency",
    **{f"{v}validator": f"validator.{v}" for v in VALIDATOR_TYPES},
    **{f"{t}trigger": f"trigger.{t}" for t in TRIGGER_TYPES},
}


@cache
def survey_core_classes() -> dict[str, list[dict[str, Any]]]:
    classes: dict[str, list[dict[str, Any]]] = load(
        True, RICH, "--register", "--classes=" + ",".join(SCHEMA_DEFS)
    )["classes"]
    return classes


def test_schema_accepts_only_properties_survey_core_knows() -> None:
    for sj_class, def_name in SCHEMA_DEFS.items():
        known = {
            n
            for p in survey_core_classes()[sj_class]
            for n in (p["name"], p["alternativeName"])
            if n
        }
        ours = set(properties_of(def_name)) - {"type"}
        assert ours <= known, (sj_class, sorted(ours - known))


def test_schema_has_every_legacy_alias_survey_core_reads() -> None:
    for sj_class, def_name in SCHEMA_DEFS.items():
        ours = {
            name: info.alias_of for name, info in properties_of(def_name).items() if info.alias_of
        }
        theirs = {
            p["alternativeName"]: p["name"]
            for p in survey_core_classes()[sj_class]
            if p["alternativeName"]
        }
        assert ours == theirs, sj_class
