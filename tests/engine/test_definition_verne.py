"""Verne's extension properties: one description, the schema, the JS script and their checks."""

from __future__ import annotations

import re
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from surveys.engine.definition import (
    FOLLOW_UP_FIELDS,
    OWNER_ROLES,
    VERNE_PROPERTIES,
    is_iso_duration,
    load_schema,
    validate_definition,
)
from surveys.engine.definition.build import SCHEMA_PATH, main, schema_text
from surveys.engine.definition.jsgen import (
    JS_PATH,
    follow_up_metadata,
    generate_js,
    property_metadata,
)
from tests.engine.definition_fixtures.helpers import error_at, survey, warning_at

A = {"type": "text", "name": "a"}
RULE = {"code": "c1", "when": "{a} = 'no'", "title": {"default": "Fix it", "nb": "Rett det"}}

# Where each SurveyJS class's Verne properties live in the schema.
SCHEMA_DEF_OF_CLASS = {"question": "question", "panel": "panelBase", "survey": "survey"}


# --------------------------------------------------------------------------------------------
# One description, three artefacts


def test_generated_files_are_up_to_date() -> None:
    assert SCHEMA_PATH.read_text("utf-8") == schema_text(), (
        "run: python -m surveys.engine.definition.build"
    )
    assert JS_PATH.read_text("utf-8") == generate_js(), (
        "run: python -m surveys.engine.definition.build"
    )
    assert main(["--check"]) == 0


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_every_verne_property_is_in_the_schema_where_it_is_registered() -> None:
    defs = load_schema()["$defs"]
    for prop in VERNE_PROPERTIES:
        for sj_class, def_name in SCHEMA_DEF_OF_CLASS.items():
            declared = defs[def_name]["properties"].get(prop.name)
            if sj_class in prop.classes:
                assert declared == dict(prop.schema), (prop.name, def_name)
            else:
                assert declared is None, (prop.name, def_name)


def test_follow_up_rule_schema_matches_the_fields() -> None:
    rule = load_schema()["$defs"]["verneFollowUp"]
    assert rule["additionalProperties"] is False
    assert list(rule["properties"]) == [f.name for f in FOLLOW_UP_FIELDS]
    assert rule["required"] == ["code", "when", "title"]


def test_js_registers_exactly_the_verne_properties() -> None:
    registered = {
        (e["className"], e["property"]["name"].split(":")[0]) for e in property_metadata()
    }
    expected = {(c, p.name) for p in VERNE_PROPERTIES for c in p.classes}
    assert registered == expected
    for entry in property_metadata():
        prop = next(
            p for p in VERNE_PROPERTIES if p.name == entry["property"]["name"].split(":")[0]
        )
        assert entry["property"]["category"] == "verne"
        assert entry["property"].get("choices", []) == list(prop.choices)
        assert entry["property"]["name"] == f"{prop.name}:{prop.sj_type}"
    fields = [m["name"].split(":")[0] for m in follow_up_metadata() if m.get("visible", True)]
    assert fields == [f.name for f in FOLLOW_UP_FIELDS]


def test_js_file_embeds_the_metadata() -> None:
    text = JS_PATH.read_text("utf-8")
    assert "function registerVerneProperties(Serializer)" in text
    assert "root.Survey" in text  # auto-registration in the browser
    for prop in VERNE_PROPERTIES:
        assert f'"{prop.name}:{prop.sj_type}"' in text
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", text, flags=re.S)
    assert not re.search(r"\brequire\(|\bimport\b", code), "the script must stay dependency-free"


# --------------------------------------------------------------------------------------------
# ISO-8601 durations


@pytest.mark.parametrize("text", ["P30D", "P2W", "P3M", "P1Y", "P1Y6M", "P0D", "P1Y2M3W4D"])
def test_valid_durations(text: str) -> None:
    assert is_iso_duration(text)


@pytest.mark.parametrize(
    "text",
    ["30D", "P", "PT", "P30", "30 days", "p30d", "P1.5D", "P-1D", "P1DT", "", "PT12H", "P1DT12H"],
)
def test_invalid_durations(text: str) -> None:
    assert not is_iso_duration(text)


# --------------------------------------------------------------------------------------------
# Checks of the Verne properties


def _with_rule(**changes: Any) -> dict[str, Any]:
    rule = {**RULE, **changes}
    return survey({**A, "verneFollowUps": [{k: v for k, v in rule.items() if v is not None}]})


def test_a_good_rule_passes() -> None:
    report = validate_definition(
        _with_rule(ownerRole="verneombud", due="P30D", priority="high", legalRef="aml. § 6-1")
    )
    assert report.ok and not report.warnings, str(report)


def test_due_must_be_a_duration() -> None:
    problem = error_at(
        _with_rule(due="30 dager"), "pages[0].elements[0].verneFollowUps[0].due", "invalid_duration"
    )
    assert problem.message == (
        "'due' must be an ISO-8601 duration such as P30D (30 days), P2W (2 weeks) or P3M (3 months) (got '30 dager')."
    )
    assert "ISO-8601-varighet" in problem.message_nb


def test_owner_role_must_be_canonical() -> None:
    problem = error_at(
        _with_rule(ownerRole="unit_leader"),
        "pages[0].elements[0].verneFollowUps[0].ownerRole",
        "unknown_role",
    )
    assert problem.message.endswith("(got 'unit_leader'). Did you mean 'leader'?")
    for role in OWNER_ROLES:
        assert role in problem.message
    problem = error_at(
        _with_rule(ownerRole="safety_rep"),
        "pages[0].elements[0].verneFollowUps[0].ownerRole",
        "unknown_role",
    )
    assert problem.message.endswith("Did you mean 'verneombud'?")


def test_priority_values() -> None:
    problem = error_at(
        _with_rule(priority="urgent"),
        "pages[0].elements[0].verneFollowUps[0].priority",
        "invalid_value",
    )
    assert "must be one of low, medium or high (got 'urgent')" in problem.message


@pytest.mark.parametrize("missing", ["code", "when", "title"])
def test_required_rule_fields(missing: str) -> None:
    problem = error_at(
        _with_rule(**{missing: None}), "pages[0].elements[0].verneFollowUps[0]", "missing_property"
    )
    assert f"is missing '{missing}'" in problem.message


def test_unknown_rule_field_is_an_error() -> None:
    problem = error_at(
        _with_rule(owner_role="leader"),
        "pages[0].elements[0].verneFollowUps[0].owner_role",
        "unknown_property",
    )
    assert "Did you mean 'ownerRole'?" in problem.message


def test_rule_code_format() -> None:
    error_at(
        _with_rule(code="Leader VO"),
        "pages[0].elements[0].verneFollowUps[0].code",
        "invalid_format",
    )


def test_empty_when() -> None:
    error_at(_with_rule(when=""), "pages[0].elements[0].verneFollowUps[0].when", "empty_value")


def test_follow_up_codes_are_unique_in_the_questionnaire() -> None:
    definition = survey(
        {**A, "verneFollowUps": [RULE]},
        {
            "type": "panel",
            "name": "pan",
            "elements": [{"type": "boolean", "name": "b"}],
            "verneFollowUps": [{**RULE, "when": "{b} = false"}],
        },
        verneFollowUps=[RULE],
    )
    report = validate_definition(definition)
    assert [(p.path, p.code) for p in report.errors] == [
        ("pages[0].elements[1].verneFollowUps[0].code", "duplicate_follow_up_code"),
        ("verneFollowUps[0].code", "duplicate_follow_up_code"),
    ]
    assert "already used by pages[0].elements[0].verneFollowUps[0]" in report.errors[0].message


def test_follow_up_when_references_are_checked() -> None:
    report = validate_definition(_with_rule(when="{b} = 'no'"))
    assert [(p.path, p.code) for p in report.warnings] == [
        ("pages[0].elements[0].verneFollowUps[0].when", "unknown_variable")
    ]
    typo = survey(
        {"type": "text", "name": "meetings", "verneFollowUps": [{**RULE, "when": "{meeting} < 4"}]}
    )
    error_at(typo, "pages[0].elements[0].verneFollowUps[0].when", "unknown_reference")


def test_follow_ups_on_a_page() -> None:
    definition = {"pages": [{"name": "p", "elements": [A], "verneFollowUps": [RULE]}]}
    assert validate_definition(definition).ok


def test_trend_keys_are_unique() -> None:
    definition = survey(
        {**A, "verneTrendKey": "k"}, {"type": "text", "name": "b", "verneTrendKey": "k"}
    )
    error_at(definition, "pages[0].elements[1].verneTrendKey", "duplicate_trend_key")


def test_unknown_prefill_source_is_a_warning() -> None:
    problem = warning_at(
        survey({**A, "vernePrefill": "unit.budget"}),
        "pages[0].elements[0].vernePrefill",
        "unknown_prefill_source",
    )
    assert "unit.name" in problem.message
    error_at(
        survey({**A, "vernePrefill": "Unit Name"}),
        "pages[0].elements[0].vernePrefill",
        "invalid_format",
    )


def test_sensitivity_and_mode_values() -> None:
    error_at(
        survey({**A, "verneSensitivity": "secret"}),
        "pages[0].elements[0].verneSensitivity",
        "invalid_value",
    )
    error_at(survey(A, verneMode="named"), "verneMode", "invalid_value")
    error_at(survey(A, verneKey="HMS report"), "verneKey", "invalid_format")
    error_at(
        survey({**A, "verneBackground": "yes"}),
        "pages[0].elements[0].verneBackground",
        "wrong_type",
    )


def test_background_question_outside_anonymous_surveys() -> None:
    definition = survey({**A, "verneBackground": True}, verneMode="joint")
    warning_at(definition, "pages[0].elements[0].verneBackground", "background_not_anonymous")
    assert not validate_definition(
        survey({**A, "verneBackground": True}, verneMode="anonymous")
    ).warnings


def test_verne_property_on_the_wrong_class() -> None:
    problem = error_at(
        survey({**A, "verneKey": "x"}), "pages[0].elements[0].verneKey", "misplaced_property"
    )
    assert (
        problem.message
        == "'verneKey' belongs on the survey (the root object), not on a 'text' question; move it there."
    )
    error_at(
        {"pages": [{"name": "p", "elements": [A], "verneMode": "joint"}]},
        "pages[0].verneMode",
        "misplaced_property",
    )
    error_at(survey(A, vernePrefill="unit.name"), "vernePrefill", "misplaced_property")


def test_misspelled_verne_property() -> None:
    problem = error_at(
        survey({**A, "verneFollowups": [RULE]}),
        "pages[0].elements[0].verneFollowups",
        "unknown_property",
    )
    assert "Did you mean 'verneFollowUps'?" in problem.message


def test_verne_property_without_effect() -> None:
    warning_at(
        survey({"type": "html", "name": "h", "html": "x", "verneTrendKey": "h"}),
        "pages[0].elements[0].verneTrendKey",
        "ignored_property",
    )
    column = {"name": "c", "cellType": "text", "verneSensitivity": "sensitive"}
    warning_at(
        survey({"type": "matrixdynamic", "name": "m", "columns": [column]}),
        "pages[0].elements[0].columns[0].verneSensitivity",
        "ignored_property",
    )
