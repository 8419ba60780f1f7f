"""The OpenAPI 3.1 description of the reports API (reports/api.py), written by hand.

Component schemas are JSON Schema 2020-12, so tests validate real API answers against them
(tests/reports/test_api.py) and check that every API URL is described here.
"""

from __future__ import annotations

from typing import Any

NUM = {"type": ["number", "null"]}
INT = {"type": ["integer", "null"]}
STR = {"type": ["string", "null"]}

UNIT = {
    "type": "object",
    "required": ["code", "name", "kind", "url"],
    "properties": {"code": {"type": "string"}, "name": {"type": "string"}, "kind": {"type": "string"}, "url": {"type": "string"}},
}

HIDDEN_CELL = {
    "type": "object",
    "description": "A figure the minimum-group-size rule does not allow: no number, only the reason.",
    "required": ["shown", "reason"],
    "additionalProperties": False,
    "properties": {
        "shown": {"const": False},
        "reason": {"type": "string", "enum": ["few", "remainder", "hidden_group", "no_group", "rolled_up", "no_data", "open",
                                              "no_answers", "hidden"]},  # fmt: skip
    },
}

SHOWN_CELL = {
    "type": "object",
    "required": ["shown", "n"],
    "properties": {
        "shown": {"const": True},
        "n": {"type": "integer", "description": "Answered the question."},
        "base": {**INT, "description": "Counted in the share favourable (n without 'not applicable')."},
        "share_favourable": {**NUM, "description": "Percent, see docs/reports.md for what is favourable."},
        "mean": NUM,
        "sd": NUM,
        "score": {**NUM, "description": "Working-environment dimension score 0-100."},
        "via": {**STR, "description": "The predecessor unit whose figure this is (reorganisations)."},
        "options": {"type": "array", "items": {"type": "object", "required": ["value", "count", "percent"],
                                               "properties": {"value": {"type": "string"}, "count": {"type": "integer"},
                                                              "percent": {"type": "number"}}}},  # fmt: skip
    },
}

RATES = {
    "type": "object",
    "required": ["hours", "lti", "mti", "h1", "h2", "f"],
    "properties": {"hours": {"type": "number"}, "lti": {"type": "integer"}, "mti": {"type": "integer"},
                   "fatalities": {"type": "integer"}, "days_lost": NUM, "h1": NUM, "h2": NUM, "f": NUM},  # fmt: skip
}

COMPONENTS: dict[str, Any] = {
    "Unit": UNIT,
    "HiddenCell": HIDDEN_CELL,
    "ShownCell": SHOWN_CELL,
    "Cell": {"oneOf": [{"$ref": "#/components/schemas/ShownCell"}, {"$ref": "#/components/schemas/HiddenCell"}]},
    "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["code", "message"],
              "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}},  # fmt: skip
    "UnitList": {"type": "object", "required": ["units"], "properties": {"units": {"type": "array", "items": {"$ref": "#/components/schemas/Unit"}}}},
    "UnitIndex": {"type": "object", "required": ["unit", "links"], "properties": {"unit": {"$ref": "#/components/schemas/Unit"},
                  "links": {"type": "object", "additionalProperties": {"type": "string"}}}},  # fmt: skip
    "SurveyTrend": {
        "type": "object",
        "required": ["unit", "questionnaire", "min_group_size", "years", "measures"],
        "properties": {
            "unit": {"$ref": "#/components/schemas/Unit"},
            "questionnaire": {"type": "string", "enum": ["hms_barometer", "work_env_survey"]},
            "min_group_size": {"type": "integer", "minimum": 5},
            "min_group_size_sensitive": {"type": "integer", "minimum": 10},
            "years": {"type": "array", "items": {"type": "object", "required": ["year", "available", "shown"], "properties": {
                "year": {"type": "integer"}, "campaign": {"type": "string"}, "available": {"type": "boolean"},
                "shown": {"type": "boolean"}, "respondents": INT, "via": STR, "rolled_into": STR,
                "organisation_respondents": INT}}},  # fmt: skip
            "measures": {"type": "array", "items": {"type": "object",
                "required": ["key", "title", "kind", "unit", "organisation", "change", "change_matters"],
                "properties": {
                    "key": {"type": "string", "description": "The trend key (stable across questionnaire versions)."},
                    "title": {"type": "string"}, "kind": {"type": "string"}, "sensitive": {"type": "boolean"},
                    "has_share_favourable": {"type": "boolean"},
                    "unit": {"type": "array", "items": {"$ref": "#/components/schemas/Cell"}},
                    "organisation": {"type": "array", "items": {"$ref": "#/components/schemas/Cell"}},
                    "change": {"type": "array", "items": NUM},
                    "change_matters": {"type": "array", "items": {"type": "boolean"},
                                       "description": "Beyond the 95 % interval for the two group sizes."},
                }}},  # fmt: skip
        },
    },
    "AnnualReport": {
        "type": "object",
        "required": ["unit", "years"],
        "properties": {
            "unit": {"$ref": "#/components/schemas/Unit"},
            "years": {"type": "array", "items": {"type": "object", "required": ["year", "units", "states", "reports"], "properties": {
                "year": {"type": "integer"}, "units": {"type": "integer"},
                "states": {"type": "object", "properties": {s: {"type": "integer"} for s in ("submitted", "signed_by_one", "draft", "missing")}},
                "share_submitted": NUM, "share_action_plan": NUM, "share_meetings4": NUM,
                "questions": {"type": "object", "additionalProperties": {"type": "object", "properties": {
                    "favourable": {"type": "integer"}, "answered": {"type": "integer"}}}},
                "reports": {"type": "array", "items": {"type": "object", "required": ["unit", "state"], "properties": {
                    "unit": {"type": "string"}, "state": {"type": "string"}, "submitted_at": STR,
                    "signatures": {"type": "array", "items": {"type": "object"}}}}},
            }}},  # fmt: skip
        },
    },
    "Rates": RATES,
    "Injuries": {
        "type": "object",
        "required": ["unit", "years", "rolling_12_months"],
        "properties": {
            "unit": {"$ref": "#/components/schemas/Unit"},
            "years": {"type": "array", "items": {"type": "object", "required": ["year", "reported", "total"], "properties": {
                "year": {"type": "integer"}, "reported": {"type": "boolean"}, "own": {"$ref": "#/components/schemas/Rates"},
                "contractor": {"$ref": "#/components/schemas/Rates"}, "total": {"$ref": "#/components/schemas/Rates"},
                "registered": {"$ref": "#/components/schemas/Rates"}, "reconciliation": {"type": "array"}}}},
            "rolling_12_months": {"type": "array", "items": {"type": "object", "required": ["month", "h1", "h2", "f"], "properties": {
                "month": {"type": "string", "format": "date"}, "h1": NUM, "h2": NUM, "f": NUM, "estimated_hours": {"type": "boolean"}}}},
        },  # fmt: skip
    },
    "Goals": {
        "type": "object",
        "required": ["unit", "goals"],
        "properties": {
            "unit": {"$ref": "#/components/schemas/Unit"},
            "goals": {"type": "array", "items": {"type": "object", "required": ["id", "year", "indicator", "attainment"], "properties": {
                "id": {"type": "integer"}, "year": {"type": "integer"}, "indicator": {"type": "string"}, "measure": STR,
                "target_value": NUM, "target_date": STR, "value": NUM, "action": INT,
                "attainment": {"type": "string", "enum": ["met", "missed", "pending", "no_data", "hidden"]}}}},
        },  # fmt: skip
    },
}


def _get(summary: str, ref: str, *, params: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "parameters": params or [],
            "responses": {
                "200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}},
                "401": {"description": "Not signed in", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "404": {"description": "No such unit, or not allowed to see it", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
            },
        }
    }  # fmt: skip


CODE = {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}, "description": "Unit code"}
QUESTIONNAIRE = {"name": "questionnaire", "in": "path", "required": True,
                 "schema": {"type": "string", "enum": ["hms_barometer", "work_env_survey"]}}  # fmt: skip

PATHS: dict[str, Any] = {
    "/api/v1/enheter/": _get("Units whose reports the signed-in person may see", "UnitList"),
    "/api/v1/enheter/{code}/": _get("Links to a unit's aggregates", "UnitIndex", params=[CODE]),
    "/api/v1/enheter/{code}/trender/{questionnaire}/": _get(
        "Year-by-year survey figures for the unit (with the units below it) and the organisation, after the group-size rule",
        "SurveyTrend", params=[CODE, QUESTIONNAIRE]),  # fmt: skip
    "/api/v1/enheter/{code}/arsrapport/": _get("Annual HMS report status and indicators per year", "AnnualReport", params=[CODE]),
    "/api/v1/enheter/{code}/personskader/": _get("H1, H2 and F per year and 12-month rolling", "Injuries", params=[CODE]),
    "/api/v1/enheter/{code}/mal/": _get("The unit's HMS goals and whether they are met", "Goals", params=[CODE]),
}


def schema(server: str = "/") -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Verne reports API",
            "version": "1.0.0",
            "description": "Read-only aggregates and trends. Sign in to Verne first (session cookie). Anonymous survey "
                           "figures obey the minimum-group-size rule: hidden cells carry a reason and no number.",
        },  # fmt: skip
        "servers": [{"url": server.rstrip("/") or "/"}],
        "paths": PATHS,
        "components": {
            "schemas": COMPONENTS,
            "securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": "sessionid"}},
        },
        "security": [{"session": []}],
    }
