"""Loading-time validation of SurveyJS definitions, and Verne's extension properties.

    from surveys.engine.definition import validate_definition
    report = validate_definition(text_or_dict, known_variables={"unit_name", "report_year"})
    if not report.ok:
        for problem in report.errors:
            print(problem.path, problem.code, problem.message)

Modules (each small, in the order a definition goes through them):

* ``validate``: ``validate_definition`` - parse, schema, walk, references; never raises.
* ``schema_check``: runs the curated JSON Schema (``schema.json``) and writes plain messages.
* ``walker`` (+ ``scopes``, ``verne_checks``): one pass over the definition - names, duplicates,
  unknown/legacy/unsupported properties, expression sites and targets, Verne checks.
* ``references``: parses every expression, resolves names in scope, checks targets.
* ``verne``: ``VERNE_PROPERTIES`` / ``FOLLOW_UP_FIELDS``, the one description of Verne's
  extension properties.
* ``schema_source`` / ``jsgen`` / ``build``: generate ``schema.json`` and
  ``surveys/engine/js/verne-surveyjs-extensions.js`` (``python -m surveys.engine.definition.build``).
* ``problems``, ``text``, ``schema``: the report, message helpers, the schema index.
"""

from __future__ import annotations

from surveys.engine.definition.problems import ROOT, Problem, Report
from surveys.engine.definition.schema import load_schema, property_aliases
from surveys.engine.definition.schema_check import UNSUPPORTED_FEATURES, UNSUPPORTED_TYPES
from surveys.engine.definition.schema_source import (
    CELL_TYPES,
    ELEMENT_TYPES,
    QUESTION_TYPES,
    TRIGGER_TYPES,
    VALIDATOR_TYPES,
)
from surveys.engine.definition.validate import validate_definition
from surveys.engine.definition.verne import (
    FOLLOW_UP_FIELDS,
    OWNER_ROLES,
    PREFILL_SOURCES,
    VERNE_PROPERTIES,
    VerneField,
    VerneProperty,
    is_iso_duration,
)

__all__ = [
    "CELL_TYPES",
    "ELEMENT_TYPES",
    "FOLLOW_UP_FIELDS",
    "OWNER_ROLES",
    "PREFILL_SOURCES",
    "QUESTION_TYPES",
    "ROOT",
    "TRIGGER_TYPES",
    "UNSUPPORTED_FEATURES",
    "UNSUPPORTED_TYPES",
    "VALIDATOR_TYPES",
    "VERNE_PROPERTIES",
    "Problem",
    "Report",
    "VerneField",
    "VerneProperty",
    "is_iso_duration",
    "load_schema",
    "property_aliases",
    "validate_definition",
]
