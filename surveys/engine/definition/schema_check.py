"""Structural validation: runs the curated JSON Schema and rewrites its errors for authors.

jsonschema's own messages ("'radio' is not one of [...]") are replaced by plain sentences that
say what to write instead, in English and bokmål, with a stable ``code``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from jsonschema import ValidationError  # type: ignore[import-untyped]

from surveys.engine.definition.problems import Collector, Path
from surveys.engine.definition.schema import def_name_of, dispatch_owner, validator_for
from surveys.engine.definition.schema_source import LOCALE_KEY
from surveys.engine.definition.text import (
    Text,
    closest,
    describe,
    expected_types,
    join_en,
    join_nb,
    label,
    quoted,
)
from surveys.engine.definition.verne import LEGACY_ROLE_NAMES

__all__ = [
    "UNSUPPORTED_FEATURES",
    "UNSUPPORTED_TYPES",
    "check_localizable",
    "check_node",
    "check_schema",
]

# survey-core types that exist but that Verne does not run, with what to do instead.
UNSUPPORTED_TYPES: Mapping[str, Text] = {
    "signaturepad": (
        "Verne collects signatures in its own sign-off step, not inside the questionnaire; remove the question.",
        "Verne samler inn signaturer i sitt eget signeringssteg, ikke i spørreskjemaet; fjern spørsmålet.",
    ),
    "buttongroup": (
        "'buttongroup' is not registered in survey-core; use 'radiogroup' instead.",
        "«buttongroup» er ikke registrert i survey-core; bruk «radiogroup» i stedet.",
    ),
    "imagemap": (
        "Verne does not run image maps on the server; use 'imagepicker' or 'checkbox' instead.",
        "Verne kjører ikke bildekart på serveren; bruk «imagepicker» eller «checkbox» i stedet.",
    ),
    "empty": (
        "'empty' elements do nothing; remove it.",
        "Elementer av typen «empty» gjør ingenting; fjern det.",
    ),
    "flowpanel": (
        "Flow panels are not supported; use 'panel' instead.",
        "Flytpaneler støttes ikke; bruk «panel» i stedet.",
    ),
}

# Properties declared {"not": {}} in the schema, with the reason and what to do.
UNSUPPORTED_FEATURES: Mapping[str, Text] = {
    "choicesByUrl": (
        "Verne does not load choices from a web service on the server; list the choices in 'choices' instead.",
        "Verne henter ikke svaralternativer fra en webtjeneste på serveren; skriv alternativene i «choices» i stedet.",
    ),
    "bindings": (
        "Verne does not run 'bindings' between questions; use an expression such as panelCountExpression instead.",
        "Verne kjører ikke «bindings» mellom spørsmål; bruk et uttrykk som panelCountExpression i stedet.",
    ),
    "elements": (
        "Questions nested inside a choice are not supported by Verne; put them after the question and show them with visibleIf.",
        "Spørsmål inne i et svaralternativ støttes ikke av Verne; legg dem etter spørsmålet og vis dem med visibleIf.",
    ),
}

_TYPE_OWNER: Mapping[str, Text] = {
    "element": ("question type", "spørsmålstype"),
    "validator": ("validator type", "valideringstype"),
    "trigger": ("trigger type", "utløsertype"),
}

# Phrases for values of a definition (used in "must be ..." messages).
_EXPECTED_BY_DEF: Mapping[str, Text] = {
    "expression": (
        "an expression written as text, such as \"{q1} = 'yes'\"",
        "et uttrykk skrevet som tekst, for eksempel \"{q1} = 'yes'\"",
    ),
    "localizableString": (
        'a text, or an object with one text per language such as {"default": "…", "nb": "…"}',
        'en tekst, eller et objekt med én tekst per språk, for eksempel {"default": "…", "nb": "…"}',
    ),
    "itemValue": (
        "a value (text or number) or an object with a 'value'",
        "en verdi (tekst eller tall) eller et objekt med «value»",
    ),
    "element": ("an object with a 'type'", "et objekt med «type»"),
}

# Hints for a missing property, by (the list the object is in, the property).
_ELEMENT_LISTS = ("elements", "templateElements", "detailElements", "questions")
_REQUIRED_HINTS: Mapping[tuple[str, str], Text] = {
    **{
        (where, "name"): (
            "every question needs a unique 'name'; it is the key its answer is stored under",
            "hvert spørsmål trenger et unikt «name»; det er nøkkelen svaret lagres under",
        )
        for where in _ELEMENT_LISTS
    },
    **{
        (where, "type"): (
            "every element needs a 'type' such as 'text' or 'radiogroup'",
            "hvert element trenger en «type», for eksempel «text» eller «radiogroup»",
        )
        for where in _ELEMENT_LISTS
    },
    ("columns", "name"): (
        "every column needs a unique 'name'; it is the key of its cells in the answer",
        "hver kolonne trenger et unikt «name»; det er nøkkelen til cellene i svaret",
    ),
    **{
        (where, "value"): (
            "an item written as an object needs a 'value'",
            "et element skrevet som objekt trenger en «value»",
        )
        for where in ("choices", "rows", "columns", "rateValues", "customLabels")
    },
}

_PATTERN_HINTS: Mapping[str, Text] = {
    "due": (
        "an ISO-8601 duration such as P30D (30 days), P2W (2 weeks) or P3M (3 months)",
        "en ISO-8601-varighet, for eksempel P30D (30 dager), P2W (2 uker) eller P3M (3 måneder)",
    ),
    "vernePrefill": (
        "a source name such as 'unit.name' or 'report.year' (lower-case words joined by dots)",
        "et kildenavn som «unit.name» eller «report.year» (små bokstaver, ord skilt med punktum)",
    ),
}
_SNAKE_HINT: Text = (
    "lower-case letters, digits and underscores, starting with a letter (such as 'hms_annual_report')",
    "små bokstaver, sifre og understrek, og begynne med en bokstav (for eksempel «hms_annual_report»)",
)


def _prop_name(path: Sequence[str | int]) -> str | None:
    return path[-1] if path and isinstance(path[-1], str) else None


def _type_error(err: ValidationError, path: Path, out: Collector) -> None:
    name = def_name_of(err.schema)
    expected = _EXPECTED_BY_DEF.get(name or "") or expected_types(err.validator_value)
    wrong_type(path, expected, err.instance, out)


def wrong_type(path: Path, expected: Text, value: Any, out: Collector) -> None:
    what = label(path)
    got = describe(value)
    out.error(
        path,
        "wrong_type",
        (
            f"{what[0]} must be {expected[0]} (got {got[0]}).",
            f"{what[1]} må være {expected[1]} (fikk {got[1]}).",
        ),
    )


def _enum_error(err: ValidationError, path: Path, out: Collector) -> None:
    allowed = [v if isinstance(v, str) else quoted(v) for v in err.validator_value]
    value = err.instance
    prop = _prop_name(path)
    owner_def = dispatch_owner(err.schema) if prop == "type" else None
    if owner_def == "element" and isinstance(value, str) and value.lower() in UNSUPPORTED_TYPES:
        reason = UNSUPPORTED_TYPES[value.lower()]
        out.error(
            path,
            "unsupported_type",
            (
                f"Verne does not support the question type {quoted(value)}. {reason[0]}",
                f"Verne støtter ikke spørsmålstypen {quoted(value)}. {reason[1]}",
            ),
        )
        return
    suggestion = closest(value, [str(a) for a in allowed]) if isinstance(value, str) else None
    if prop == "ownerRole" and isinstance(value, str) and value in LEGACY_ROLE_NAMES:
        suggestion = LEGACY_ROLE_NAMES[value]
    hint: Text = ("", "")
    if suggestion is not None:
        hint = (f" Did you mean '{suggestion}'?", f" Mente du «{suggestion}»?")
    what = label(path)
    got = describe(value)
    code = "invalid_value"
    if owner_def is not None:
        code = "unknown_type"
        kind = _TYPE_OWNER[owner_def]
        extra: Text = ("", "")
        if owner_def == "element":
            extra = (
                " Custom components are not supported.",
                " Egendefinerte komponenter støttes ikke.",
            )
        out.error(
            path,
            code,
            (
                f"{what[0]} must be a {kind[0]} Verne supports: {', '.join(allowed)} (got {got[0]}).{hint[0]}{extra[0]}",
                f"{what[1]} må være en {kind[1]} som Verne støtter: {', '.join(allowed)} (fikk {got[1]}).{hint[1]}{extra[1]}",
            ),
        )
        return
    if prop == "ownerRole":
        code = "unknown_role"
    elif prop == "cellType":
        code = "unknown_type"
    elif prop == "questionsOnPageMode":
        out.error(
            path,
            "unsupported_feature",
            (
                f"Verne runs questionnaires page by page or as one page: 'questionsOnPageMode' must be "
                f"'standard' or 'singlePage' (got {got[0]}).",
                f"Verne kjører spørreskjemaer side for side eller som én side: «questionsOnPageMode» må være "
                f"«standard» eller «singlePage» (fikk {got[1]}).",
            ),
        )
        return
    out.error(
        path,
        code,
        (
            f"{what[0]} must be one of {join_en(allowed)} (got {got[0]}).{hint[0]}",
            f"{what[1]} må være en av {join_nb(allowed)} (fikk {got[1]}).{hint[1]}",
        ),
    )


def _required_error(err: ValidationError, path: Path, out: Collector) -> None:
    instance = err.instance if isinstance(err.instance, Mapping) else {}
    for prop in err.validator_value:
        if prop in instance:
            continue
        container = next((p for p in reversed(path) if isinstance(p, str)), "")
        hint = _REQUIRED_HINTS.get((container, prop))
        where = label(path)
        en = f"{where[0]} is missing '{prop}'."
        nb = f"{where[1]} mangler «{prop}»."
        if hint is not None:
            en += f" {hint[0][0].upper()}{hint[0][1:]}."
            nb += f" {hint[1][0].upper()}{hint[1][1:]}."
        out.error(path, "missing_property", (en, nb))


def _invalid_language(path: Path, key: Any, out: Collector) -> None:
    where = label(path)
    out.error(
        path,
        "invalid_language",
        (
            f"{where[0]} has the language key {quoted(key)}; use 'default' or a language code such as 'nb', 'nn' or 'en'.",
            f"{where[1]} har språknøkkelen {quoted(key)}; bruk «default» eller en språkkode som «nb», «nn» eller «en».",
        ),
    )


_LOCALE_KEY = re.compile(LOCALE_KEY)
_TEXT: Text = expected_types("string")


def check_localizable(value: Any, path: Path, out: Collector) -> None:
    """``$defs/localizableString`` in Python (it is the hottest definition; see schema.py).

    Only the object form needs checking here: jsonschema still checks string-or-object.
    """
    if not isinstance(value, Mapping):
        return
    for key, text in value.items():
        if not (isinstance(key, str) and _LOCALE_KEY.search(key)):
            _invalid_language(path, key, out)
        if not isinstance(text, str):
            wrong_type((*path, str(key)), _TEXT, text, out)


def _pattern_error(err: ValidationError, path: Path, out: Collector) -> None:
    if "propertyNames" in err.absolute_schema_path:
        _invalid_language(path, err.instance, out)
        return
    prop = _prop_name(path) or ""
    hint = _PATTERN_HINTS.get(prop, _SNAKE_HINT)
    code = "invalid_duration" if prop == "due" else "invalid_format"
    where = label(path)
    got = describe(err.instance)
    out.error(
        path,
        code,
        (
            f"{where[0]} must be {hint[0]} (got {got[0]}).",
            f"{where[1]} må være {hint[1]} (fikk {got[1]}).",
        ),
    )


def _range_error(err: ValidationError, path: Path, out: Collector) -> None:
    where = label(path)
    got = describe(err.instance)
    bound = err.validator_value
    words: Mapping[str, Text] = {
        "minimum": ("at least", "minst"),
        "maximum": ("at most", "høyst"),
        "exclusiveMinimum": ("greater than", "større enn"),
        "exclusiveMaximum": ("less than", "mindre enn"),
    }
    word = words[str(err.validator)]
    out.error(
        path,
        "out_of_range",
        (
            f"{where[0]} must be {word[0]} {bound} (got {got[0]}).",
            f"{where[1]} må være {word[1]} {bound} (fikk {got[1]}).",
        ),
    )


def _not_error(err: ValidationError, path: Path, out: Collector) -> None:
    prop = _prop_name(path) or ""
    reason = UNSUPPORTED_FEATURES.get(
        prop,
        (
            f"Verne does not support '{prop}'; remove it.",
            f"Verne støtter ikke «{prop}»; fjern det.",
        ),
    )
    out.error(path, "unsupported_feature", reason)


def _const_error(err: ValidationError, path: Path, out: Collector) -> None:
    prop = _prop_name(path) or ""
    if prop == "storeDataAsText":
        out.error(
            path,
            "unsupported_feature",
            (
                "Verne stores uploaded files as files, never as data URLs inside the answers; "
                "remove 'storeDataAsText' or set it to false.",
                "Verne lagrer opplastede filer som filer, aldri som data-URL-er i svarene; "
                "fjern «storeDataAsText» eller sett den til false.",
            ),
        )
        return
    where = label(path)
    out.error(
        path,
        "invalid_value",
        (
            f"{where[0]} must be {quoted(err.validator_value)} (got {describe(err.instance)[0]}).",
            f"{where[1]} må være {quoted(err.validator_value)} (fikk {describe(err.instance)[1]}).",
        ),
    )


def _additional_error(err: ValidationError, path: Path, out: Collector) -> None:
    instance = err.instance if isinstance(err.instance, Mapping) else {}
    known = list(err.schema.get("properties", {}))
    for key in instance:
        if key in known:
            continue
        suggestion = closest(str(key), known)
        hint: Text = ("", "")
        if suggestion is not None:
            hint = (f" Did you mean '{suggestion}'?", f" Mente du «{suggestion}»?")
        out.error(
            (*path, str(key)),
            "unknown_property",
            (
                f"A follow-up rule has no property '{key}'; use {join_en(known, 'and')}.{hint[0]}",
                f"En oppfølgingsregel har ingen egenskap «{key}»; bruk {join_nb(known, 'og')}.{hint[1]}",
            ),
        )


def _empty_error(err: ValidationError, path: Path, out: Collector) -> None:
    where = label(path)
    out.error(
        path,
        "empty_value",
        (f"{where[0]} must not be empty.", f"{where[1]} kan ikke være tom."),
    )


_HANDLERS = {
    "type": _type_error,
    "enum": _enum_error,
    "required": _required_error,
    "pattern": _pattern_error,
    "minimum": _range_error,
    "maximum": _range_error,
    "exclusiveMinimum": _range_error,
    "exclusiveMaximum": _range_error,
    "not": _not_error,
    "const": _const_error,
    "additionalProperties": _additional_error,
    "minLength": _empty_error,
    "minItems": _empty_error,
}


def check_node(node: Any, def_names: tuple[str, ...], path: Path, out: Collector) -> None:
    """Validate one object against ``def_names`` and add every error to ``out`` (paths prefixed)."""
    for err in validator_for(def_names).iter_errors(node):
        here: Path = (*path, *err.absolute_path)
        handler = _HANDLERS.get(str(err.validator))
        if handler is not None:
            handler(err, here, out)
            continue
        where = label(here)  # pragma: no cover - every keyword the schema uses has a handler
        out.error(  # pragma: no cover
            here,
            "invalid_value",
            (f"{where[0]} is not valid: {err.message}", f"{where[1]} er ugyldig: {err.message}"),
        )


def check_schema(definition: Mapping[str, Any], out: Collector) -> None:
    """Validate the survey level (pages, triggers, ...); elements are checked by the walker."""
    check_node(definition, ("survey",), (), out)
