"""validate_definition never raises: arbitrary JSON values, arbitrary text, mutated questionnaires."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys.engine.definition import Report, validate_definition
from surveys.engine.definition.schema_source import ELEMENT_TYPES
from tests.engine.definition_fixtures.helpers import rich

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=40,
)

# Values that look like survey parts, so the walker and the checks are reached.
keys = st.sampled_from(
    [
        "type",
        "name",
        "elements",
        "pages",
        "templateElements",
        "columns",
        "rows",
        "choices",
        "validators",
        "triggers",
        "visibleIf",
        "expression",
        "title",
        "valueName",
        "cellType",
        "verneFollowUps",
        "when",
        "code",
        "calculatedValues",
        "setToName",
        "gotoName",
        "choicesFromQuestion",
        "items",
        "detailElements",
        "maskType",
        "maskSettings",
        "questions",
        "value",
        "text",
        "isVariable",
        "verneTrendKey",
    ]
) | st.text(max_size=8)
words = st.sampled_from(
    [
        *ELEMENT_TYPES,
        "setvalue",
        "skip",
        "numeric",
        "regex",
        "{a} = 1",
        "{panel.a}",
        "{row.b} >",
        "a",
        "b",
        "p1",
        "P30D",
        "",
    ]
)
survey_like = st.recursive(
    json_scalars | words,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=6),
    max_leaves=60,
)


def _check(report: Report) -> None:
    assert isinstance(report, Report)
    assert "internal_error" not in report.codes(), str(report)
    for problem in report.problems:
        assert problem.path and problem.code and problem.message and problem.message_nb
    json.dumps(report.to_dict())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_never_raises_on_json_values(value: Any) -> None:
    _check(validate_definition(value))
    _check(validate_definition(json.dumps(value)))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_never_raises_on_text(text: str) -> None:
    report = validate_definition(text)
    _check(report)
    _check(validate_definition(text.encode("utf-8", "surrogatepass")))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=100))
def test_never_raises_on_bytes(data: bytes) -> None:
    _check(validate_definition(data))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(keys, survey_like, max_size=6))
def test_never_raises_on_survey_like_objects(value: dict[str, Any]) -> None:
    _check(validate_definition(value))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_never_raises_on_a_mutated_rich_questionnaire(data: st.DataObject) -> None:
    definition = rich()
    # Replace a few nested values with arbitrary ones.
    for _ in range(data.draw(st.integers(1, 4))):
        node: Any = definition
        for _ in range(data.draw(st.integers(1, 6))):
            if isinstance(node, dict) and node:
                key = data.draw(st.sampled_from(sorted(node)))
                if not isinstance(node[key], (dict, list)) or data.draw(st.booleans()):
                    node[key] = data.draw(survey_like)
                    break
                node = node[key]
            elif isinstance(node, list) and node:
                index = data.draw(st.integers(0, len(node) - 1))
                if not isinstance(node[index], (dict, list)) or data.draw(st.booleans()):
                    node[index] = data.draw(survey_like)
                    break
                node = node[index]
            else:
                break
    _check(validate_definition(definition))


def test_deeply_nested_input() -> None:
    deep: Any = {"type": "panel", "name": "p0", "elements": []}
    node = deep
    for i in range(1, 300):
        child = {"type": "panel", "name": f"p{i}", "elements": []}
        node["elements"].append(child)
        node = child
    _check(validate_definition({"pages": [{"name": "x", "elements": [deep]}]}))
    _check(validate_definition("[" * 100_000 + "]" * 100_000))
