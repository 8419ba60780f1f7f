"""Loads the curated JSON Schema once and answers questions about it.

* ``schema_validator()`` is the compiled Draft 2020-12 validator (built on first use, then reused).
* ``properties_of(def_name)`` lists the properties a definition knows, including those of its
  ``allOf`` bases, classified for the semantic walker (expression, nested object, element list...).
* ``def_name_of(subschema)`` names the ``$defs`` entry a subschema is, so error messages can say
  "a localisable text" instead of repeating JSON Schema jargon.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

__all__ = [
    "PropInfo",
    "all_expression_properties",
    "def_name_of",
    "dispatch_owner",
    "load_schema",
    "properties_of",
    "property_aliases",
    "schema_validator",
    "validator_for",
]

PropKind = Literal["expression", "text", "object", "array", "leaf", "unsupported"]

_REF_PREFIX = "#/$defs/"


@dataclass(frozen=True)
class PropInfo:
    """What the schema says about one property of one definition."""

    name: str
    kind: PropKind
    target: str | None  # the $defs name of a nested object or of the items of an array
    alias_of: str | None  # the canonical name when this is a legacy alias
    schema: Mapping[str, Any]


@cache
def load_schema() -> dict[str, Any]:
    """The curated schema (``schema.json`` in this package)."""
    text = resources.files("surveys.engine.definition").joinpath("schema.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def schema_validator() -> Draft202012Validator:
    """A validator for the whole schema, as any JSON Schema tool would use it."""
    return Draft202012Validator(load_schema())


# Definitions that dispatch with if/then. jsonschema evaluates every "if" for every element,
# which made a 50-question survey take ~25 ms; so Verne validates with "shallow" copies of these
# definitions and the walker validates each element/column/validator/trigger against its own
# definition (``validator_for``). With the cycles gone, every ``$ref`` is also inlined (resolving
# references was the next biggest cost). The results are the same; the time drops several-fold.
# The walker must therefore check what the shallow parts leave out (see walker.py).
_SHALLOW = ("element", "validator", "trigger", "matrixDropdownColumn")


def _shallow(full: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object"}
    if "required" in full:
        out["required"] = full["required"]
    if "properties" in full:
        out["properties"] = full["properties"]
    return out


@cache
def _internal_defs() -> Mapping[str, Any]:
    """``$defs`` with the dispatchers made shallow and every ``$ref`` replaced by its target."""
    source: dict[str, Any] = dict(load_schema()["$defs"])
    for name in _SHALLOW:
        source[name] = _shallow(source[name])
    # Localisable strings are everywhere and took half the time: jsonschema checks their
    # JSON type only, the walker checks language keys and values (``check_localizable``).
    source["localizableString"] = {"type": source["localizableString"]["type"]}
    # The remaining if/then (maskSettings by maskType) is dispatched by the walker too.
    for name, schema in source.items():
        if isinstance(schema.get("allOf"), list) and any("if" in part for part in schema["allOf"]):
            source[name] = {**schema, "allOf": [p for p in schema["allOf"] if "if" not in p]}
    done: dict[str, Any] = {}

    def resolve(name: str) -> Any:
        if name not in done:
            done[name] = {}  # placeholder; the defs have no cycles once the dispatchers are shallow
            done[name] = inline(source[name])
        return done[name]

    def inline(schema: Any) -> Any:
        if isinstance(schema, list):
            return [inline(s) for s in schema]
        if not isinstance(schema, Mapping):
            return schema
        target = _ref_target(schema)
        if target is not None:
            return resolve(target)  # sibling keywords of a $ref are only annotations here
        return {
            k: (v if k in ("enum", "const", "required") else inline(v)) for k, v in schema.items()
        }

    for name in source:
        resolve(name)
    return done


@cache
def _internal_ids() -> Mapping[int, str]:
    return {id(s): name for name, s in _internal_defs().items()}


@cache
def validator_for(def_names: tuple[str, ...]) -> Draft202012Validator:
    """A compiled validator for an object that must match every definition in ``def_names``.

    Nested elements, columns, validators and triggers are only checked shallowly here; the
    walker validates each of them with its own definition.
    """
    defs = _internal_defs()
    root = {"$schema": load_schema()["$schema"], "allOf": [defs[name] for name in def_names]}
    return Draft202012Validator(root)


def _ref_target(schema: Mapping[str, Any]) -> str | None:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith(_REF_PREFIX):
        return ref[len(_REF_PREFIX) :]
    return None


def _classify(name: str, schema: Mapping[str, Any]) -> PropInfo:
    alias_of = schema.get("x-alias-of")
    alias = alias_of if isinstance(alias_of, str) else None
    if "not" in schema:
        return PropInfo(name, "unsupported", None, alias, schema)
    target = _ref_target(schema)
    if target == "expression":
        return PropInfo(name, "expression", None, alias, schema)
    if target == "localizableString":
        return PropInfo(name, "text", None, alias, schema)
    if target is not None:
        return PropInfo(name, "object", target, alias, schema)
    items = schema.get("items")
    if schema.get("type") == "array" and isinstance(items, Mapping):
        item_target = _ref_target(items)
        if item_target is not None:
            return PropInfo(name, "array", item_target, alias, schema)
    return PropInfo(name, "leaf", None, alias, schema)


@cache
def properties_of(def_name: str) -> Mapping[str, PropInfo]:
    """Every property of ``$defs[def_name]``, own and inherited through ``allOf`` ``$ref``s.

    Own properties win over inherited ones (a subtype may narrow a property's schema).
    ``if``/``then`` dispatch entries are not followed: the walker dispatches itself.
    """
    defs: Mapping[str, Any] = load_schema()["$defs"]
    schema = defs.get(def_name)
    if not isinstance(schema, Mapping):
        return {}
    out: dict[str, PropInfo] = {}
    for part in schema.get("allOf", ()):
        base = _ref_target(part)
        if base is not None:
            out.update(properties_of(base))
    for name, prop_schema in schema.get("properties", {}).items():
        out[name] = _classify(name, prop_schema)
    return out


@cache
def all_expression_properties() -> frozenset[str]:
    """Names of every expression property anywhere in the schema (to spot misplaced logic)."""
    names: set[str] = set()
    for def_name in load_schema()["$defs"]:
        names.update(n for n, p in properties_of(def_name).items() if p.kind == "expression")
    return frozenset(names)


@cache
def _def_ids() -> Mapping[int, str]:
    return {id(s): name for name, s in load_schema()["$defs"].items()}


def def_name_of(subschema: Any) -> str | None:
    """The ``$defs`` name of a subschema object handed out by the validator, if it is one."""
    key = id(subschema)
    return _def_ids().get(key) or _internal_ids().get(key)


_DISPATCHERS = ("element", "validator", "trigger")


@cache
def _dispatch_enum_ids() -> Mapping[int, str]:
    out: dict[int, str] = {}
    for defs in (load_schema()["$defs"], _internal_defs()):
        for name in _DISPATCHERS:
            out[id(defs[name]["properties"]["type"])] = name
    return out


def dispatch_owner(subschema: Any) -> str | None:
    """``element``/``validator``/``trigger`` when ``subschema`` is that definition's ``type`` enum."""
    return _dispatch_enum_ids().get(id(subschema))


@cache
def property_aliases() -> Mapping[str, Mapping[str, str]]:
    """Legacy names survey-core still reads, per definition: ``{"element.radiogroup": {"hasOther":
    "showOtherItem", ...}, ...}`` (inherited ones included). The checks warn about them; the
    runtime must read both spellings (survey-core does)."""
    out: dict[str, dict[str, str]] = {}
    for def_name in load_schema()["$defs"]:
        aliases = {n: p.alias_of for n, p in properties_of(def_name).items() if p.alias_of}
        if aliases:
            out[def_name] = aliases
    return out
