"""One pass over the definition: names, scopes, unknown properties and what to check later.

The walk is driven by the curated schema (``properties_of``): for every object it knows which
definition applies (``element.text``, ``validator.regex``, ...), so it can

* warn about properties the definition does not list (errors when clearly wrong),
* collect every expression property with its JSON path and name scope (``sites``),
* declare question / column / page / calculated-value names and report duplicates,
* collect names that must point at something (``targets``: carry-forward, trigger targets),
* run the small checks of the Verne extension properties.

Expressions and targets are checked after the walk (``references.py``), when every name is known.
The walker never trusts types: the schema check reports wrong types, the walker just skips them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from surveys.engine.definition.problems import Collector, Path, format_path
from surveys.engine.definition.schema import PropInfo, all_expression_properties, properties_of
from surveys.engine.definition.schema_check import check_localizable, check_node
from surveys.engine.definition.schema_source import (
    CELL_TYPES,
    ELEMENT_TYPES,
    TRIGGER_TYPES,
    VALIDATOR_TYPES,
)
from surveys.engine.definition.scopes import NameEntry, Scope
from surveys.engine.definition.text import Text, closest, quoted
from surveys.engine.definition.verne_checks import VerneChecks

__all__ = ["Site", "Target", "Walk", "walk"]


# Item definitions whose values should be unique within their list.
_ITEM_DEFS = frozenset(
    {
        "itemValue",
        "choiceItem",
        "checkboxItem",
        "imageItem",
        "ratingItem",
        "matrixColumn",
        "sliderLabel",
    }
)
# Survey-level properties Verne accepts but does not act on.
_IGNORED_SURVEY_PROPS: Mapping[str, Text] = {
    "showTimer": ("Verne has no timer", "Verne har ingen tidtaker"),
    "timeLimit": (
        "Verne does not stop a questionnaire after a time limit",
        "Verne stopper ikke et skjema etter en tidsgrense",
    ),
    "timeLimitPerPage": (
        "Verne does not stop a page after a time limit",
        "Verne stopper ikke en side etter en tidsgrense",
    ),
    "maxTimeToFinish": (
        "Verne does not stop a questionnaire after a time limit",
        "Verne stopper ikke et skjema etter en tidsgrense",
    ),
    "maxTimeToFinishPage": (
        "Verne does not stop a page after a time limit",
        "Verne stopper ikke en side etter en tidsgrense",
    ),
    "surveyId": (
        "answers are stored by Verne, not by the SurveyJS service",
        "svarene lagres av Verne, ikke av SurveyJS-tjenesten",
    ),
    "surveyPostId": (
        "answers are stored by Verne, not by the SurveyJS service",
        "svarene lagres av Verne, ikke av SurveyJS-tjenesten",
    ),
    "cookieName": (
        "Verne decides who may answer again",
        "Verne bestemmer hvem som kan svare på nytt",
    ),
    "partialSendEnabled": ("Verne saves drafts itself", "Verne lagrer utkast selv"),
    "sendResultOnPageNext": ("Verne saves drafts itself", "Verne lagrer utkast selv"),
}


# survey-core's trigger operators written as expression operators.
_OPERATOR_SIGNS: Mapping[str, str] = {
    "equal": "=",
    "notequal": "!=",
    "greater": ">",
    "less": "<",
    "greaterorequal": ">=",
    "lessorequal": "<=",
}


@dataclass(frozen=True)
class Site:
    """An expression property to parse and resolve later."""

    path: Path
    text: str
    scope: Scope


TargetKind = Literal[
    "choices_from", "set_to", "copy_from", "copy_to", "run_to", "goto", "page", "question"
]
_TRIGGER_TARGET_KINDS: Mapping[tuple[str, str], TargetKind] = {
    ("setvalue", "setToName"): "set_to",
    ("copyvalue", "fromName"): "copy_from",
    ("copyvalue", "setToName"): "copy_to",
    ("runexpression", "setToName"): "run_to",
    ("skip", "gotoName"): "goto",
}


@dataclass(frozen=True)
class Target:
    """A property that must name an existing question, page or column."""

    path: Path
    kind: TargetKind
    name: str
    scope: Scope
    node: Mapping[str, Any]


@dataclass
class Walk:
    survey: Scope
    sites: list[Site] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    # Every declared question/column, also those inside templates and matrices (for hints).
    everywhere: list[NameEntry] = field(default_factory=list)
    pages: dict[str, Path] = field(default_factory=dict)
    question_count: int = 0


@cache
def _merged(def_names: tuple[str, ...]) -> Mapping[str, PropInfo]:
    out: dict[str, PropInfo] = {}
    for name in def_names:
        out.update(properties_of(name))
    return out


def _item_key(value: Any) -> str | None:
    item = value.get("value") if isinstance(value, Mapping) else value
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, (str, int, float)):
        # survey-core matches item values loosely ("1" and 1 are the same choice).
        return str(item)
    return None


class Walker:
    def __init__(self, out: Collector) -> None:
        self.out = out
        self.walk = Walk(survey=Scope("survey"))
        self.panel_names: dict[str, Path] = {}
        self.verne = VerneChecks(out)

    # -- entry point ---------------------------------------------------------------------------

    def run(self, survey: Mapping[str, Any]) -> Walk:
        root = self.walk.survey
        self._declare_calculated(survey, root)
        self._visit(survey, ("survey",), (), root)
        self._survey_checks(survey)
        self._random_order(survey, ())
        self.verne.finish(survey)
        return self.walk

    # -- generic traversal -----------------------------------------------------------------------

    def _visit(
        self,
        node: Any,
        defs: tuple[str, ...],
        path: Path,
        scope: Scope,
        child_scopes: Mapping[str, Scope] | None = None,
        owner: Text | None = None,
    ) -> None:
        if not isinstance(node, Mapping):
            return
        props = _merged(defs)
        for key, value in node.items():
            key_s = str(key)
            info = props.get(key_s)
            here = (*path, key_s)
            if info is None:
                self._unknown_property(key_s, defs, props, here, owner)
                continue
            if info.alias_of is not None:
                self._legacy(key_s, info.alias_of, here, node)
            target_scope = (child_scopes or {}).get(key_s, scope)
            if info.kind == "expression":
                if isinstance(value, str) and value.strip():
                    self.walk.sites.append(Site(here, value, target_scope))
            elif info.kind == "text":
                check_localizable(value, here, self.out)
            elif info.kind == "object" and info.target is not None:
                self._visit_object(value, info.target, here, target_scope, node)
            elif info.kind == "array" and info.target is not None and isinstance(value, list):
                self._visit_array(value, info.target, here, target_scope, node)

    def _visit_object(
        self, value: Any, target: str, path: Path, scope: Scope, parent: Mapping[str, Any]
    ) -> None:
        if target == "maskSettings":
            mask = parent.get("maskType")
            defs = (
                (f"mask.{mask}",)
                if mask in ("pattern", "datetime", "numeric", "currency")
                else ("maskSettings",)
            )
            if isinstance(value, Mapping) and defs != ("maskSettings",):
                check_node(value, defs, path, self.out)  # the settings of this mask type
            self._visit(value, defs, path, scope)
            return
        self._visit(value, (target,), path, scope)

    def _visit_array(
        self, items: list[Any], target: str, path: Path, scope: Scope, parent: Mapping[str, Any]
    ) -> None:
        if target == "element":
            for i, item in enumerate(items):
                self._element(item, (*path, i), scope)
            return
        if target in _ITEM_DEFS:
            self._duplicate_items(items, path)
        for i, item in enumerate(items):
            here = (*path, i)
            if target == "validator":
                self._validator(item, here, scope, parent)
            elif target == "trigger":
                self._trigger(item, here, scope)
            elif target == "matrixDropdownColumn":
                self._column(item, here, scope, parent)
            elif target == "page":
                self._page(item, here, scope)
            elif target == "verneFollowUp":
                self._follow_up(item, here, scope)
            else:
                self._visit(item, (target,), here, scope)
        if target == "multipleTextItem":
            self._duplicate_names(items, path, "item")
        elif target == "calculatedValue":
            self._duplicate_names(items, path, "calculated value")

    # -- unknown and legacy properties -----------------------------------------------------------

    def _unknown_property(
        self,
        key: str,
        defs: tuple[str, ...],
        props: Mapping[str, PropInfo],
        path: Path,
        owner: Text | None,
    ) -> None:
        if key == "pos":  # survey-core's own position marker; it skips it silently
            return
        if defs == ("verneFollowUp",):
            return  # a closed object: the schema reports its unknown keys as errors
        what = owner or _def_label(defs)
        if key.startswith("verne"):
            self.verne.unknown(key, what, path)
            return
        canonical = [name for name, info in props.items() if info.alias_of is None]
        by_case = {name.lower(): name for name in props}
        by_case.update({name.lower(): name for name in canonical})  # prefer the current names
        if key.lower() in by_case:
            right = by_case[key.lower()]
            self.out.error(
                path,
                "misspelled_property",
                (
                    f"SurveyJS reads property names case-sensitively, so '{key}' is ignored; write '{right}'.",
                    f"SurveyJS skiller mellom store og små bokstaver i egenskapsnavn, så «{key}» blir ignorert; skriv «{right}».",
                ),
            )
            return
        if key in all_expression_properties():
            self.out.error(
                path,
                "misplaced_property",
                (
                    f"'{key}' has no effect on {what[0]}; SurveyJS ignores it, so this logic would never run.",
                    f"«{key}» har ingen virkning på {what[1]}; SurveyJS ignorerer den, så denne logikken ville aldri kjørt.",
                ),
            )
            return
        suggestion = closest(key, canonical, cutoff=0.8)
        hint: Text = ("", "")
        if suggestion is not None:
            hint = (f" Did you mean '{suggestion}'?", f" Mente du «{suggestion}»?")
        self.out.warning(
            path,
            "unknown_property",
            (
                f"Verne does not know the property '{key}' on {what[0]} and ignores it.{hint[0]}",
                f"Verne kjenner ikke egenskapen «{key}» på {what[1]} og ignorerer den.{hint[1]}",
            ),
        )

    def _legacy(self, key: str, canonical: str, path: Path, node: Mapping[str, Any]) -> None:
        if canonical in node:
            self.out.warning(
                path,
                "conflicting_alias",
                (
                    f"Both '{key}' (the old name) and '{canonical}' are set; remove '{key}'.",
                    f"Både «{key}» (det gamle navnet) og «{canonical}» er satt; fjern «{key}».",
                ),
            )
            return
        self.out.warning(
            path,
            "legacy_property",
            (
                f"'{key}' is the old name of '{canonical}'; it still works, but write '{canonical}'.",
                f"«{key}» er det gamle navnet på «{canonical}»; det virker fortsatt, men skriv «{canonical}».",
            ),
        )

    # -- survey, pages, elements -----------------------------------------------------------------

    def _declare_calculated(self, survey: Mapping[str, Any], root: Scope) -> None:
        values = survey.get("calculatedValues")
        if not isinstance(values, list):
            return
        for i, item in enumerate(values):
            if isinstance(item, Mapping) and isinstance(item.get("name"), str) and item["name"]:
                name = item["name"]
                entry = NameEntry(name, ("calculatedValues", i), "calculated", scope=root)
                root.visible.setdefault(name.lower(), entry)

    def _survey_checks(self, survey: Mapping[str, Any]) -> None:
        if isinstance(survey.get("pages"), list) and isinstance(survey.get("elements"), list):
            self.out.warning(
                ("elements",),
                "pages_and_elements",
                (
                    "The survey has both 'pages' and 'elements'; put the elements on a page.",
                    "Undersøkelsen har både «pages» og «elements»; legg elementene på en side.",
                ),
            )
        for key, why in _IGNORED_SURVEY_PROPS.items():
            if key in survey and survey[key] not in (None, False, 0, ""):
                self.out.warning(
                    (key,),
                    "ignored_property",
                    (f"Verne ignores '{key}': {why[0]}.", f"Verne ignorerer «{key}»: {why[1]}."),
                )
        if self.walk.question_count == 0:
            self.out.warning(
                (),
                "no_questions",
                ("The questionnaire has no questions.", "Spørreskjemaet har ingen spørsmål."),
            )

    def _page(self, page: Any, path: Path, scope: Scope) -> None:
        if not isinstance(page, Mapping):
            return
        name = page.get("name")
        if isinstance(name, str) and name:
            first = self.walk.pages.get(name)
            if first is not None:
                self.out.error(
                    (*path, "name"),
                    "duplicate_page_name",
                    (
                        f"Two pages are named {quoted(name)} (the first is {format_path(first)}); page names must be unique.",
                        f"To sider heter {quoted(name)} (den første er {format_path(first)}); sidenavn må være unike.",
                    ),
                )
            else:
                self.walk.pages[name] = path
        if page.get("timeLimit") or page.get("maxTimeToFinish"):
            self.out.warning(
                (*path, "timeLimit" if "timeLimit" in page else "maxTimeToFinish"),
                "ignored_property",
                (
                    "Verne ignores page time limits.",
                    "Verne ignorerer tidsgrenser på sider.",
                ),
            )
        self._random_order(page, path)
        self._visit(page, ("page",), path, scope, owner=("a page", "en side"))

    def _element(self, el: Any, path: Path, scope: Scope) -> None:
        if not isinstance(el, Mapping):
            return
        etype = el.get("type")
        name = el.get("name")
        if etype not in ELEMENT_TYPES:
            check_node(el, ("element",), path, self.out)  # reports the missing/unknown type
            # Keep the name so that references to it do not cascade into more errors.
            if isinstance(name, str) and name:
                self._declare(name, path, "question", None, el, scope)
            return
        owner: Text = (
            ("a panel", "et panel")
            if etype == "panel"
            else (f"a '{etype}' question", f"et «{etype}»-spørsmål")
        )
        defs = (f"element.{etype}",)
        check_node(el, defs, path, self.out)
        self._random_order(el, path)
        if etype == "panel":
            if isinstance(name, str) and name:
                self._declare_panel(name, path)
            self._visit(el, defs, path, scope, owner=owner)
            return
        self.walk.question_count += 1
        if isinstance(name, str) and name:
            self._declare(name, path, "question", str(etype), el, scope)
        child: dict[str, Scope] = {}
        if etype == "paneldynamic":
            panel_scope = Scope("panel", scope, name if isinstance(name, str) else None, path)
            child = {
                "templateElements": panel_scope,
                "questions": panel_scope,
                "templateVisibleIf": panel_scope,
            }
        elif etype in ("matrixdropdown", "matrixdynamic"):
            row_scope = Scope("row", scope, name if isinstance(name, str) else None, path)
            child = {"columns": row_scope, "detailElements": row_scope}
        self._visit(el, defs, path, scope, child, owner=owner)
        self._question_checks(el, str(etype), path, scope)

    def _declare_panel(self, name: str, path: Path) -> None:
        first = self.panel_names.get(name)
        if first is not None:
            self.out.error(
                (*path, "name"),
                "duplicate_name",
                (
                    f"Two panels are named {quoted(name)} (the first is {format_path(first)}); panel names must be unique.",
                    f"To paneler heter {quoted(name)} (det første er {format_path(first)}); panelnavn må være unike.",
                ),
            )
        else:
            self.panel_names[name] = path

    def _declare(
        self,
        name: str,
        path: Path,
        kind: Literal["question", "column"],
        element_type: str | None,
        node: Mapping[str, Any],
        scope: Scope,
    ) -> None:
        entry = NameEntry(name, path, kind, element_type, node, scope)
        first = scope.declared.get(name)
        where = _scope_words(scope)
        if first is not None:
            self.out.error(
                (*path, "name"),
                "duplicate_name",
                (
                    f"The name {quoted(name)} is already used by {format_path(first.path)}; names must be unique {where[0]}.",
                    f"Navnet {quoted(name)} er allerede brukt av {format_path(first.path)}; navn må være unike {where[1]}.",
                ),
            )
            return
        same_case = scope.visible.get(name.lower())
        if (
            same_case is not None
            and same_case.kind in ("question", "column")
            and same_case.name != name
        ):
            self.out.warning(
                (*path, "name"),
                "duplicate_name_case",
                (
                    f"{quoted(name)} and {quoted(same_case.name)} differ only in upper/lower case; "
                    "expressions cannot tell them apart. Rename one of them.",
                    f"{quoted(name)} og {quoted(same_case.name)} skiller seg bare i store/små bokstaver; "
                    "uttrykk kan ikke skille dem. Gi ett av dem et annet navn.",
                ),
            )
        scope.declared[name] = entry
        scope.visible.setdefault(name.lower(), entry)
        value_name = node.get("valueName")
        if isinstance(value_name, str) and value_name:
            # Several questions may share one valueName; that is how SurveyJS shares a value.
            scope.visible.setdefault(value_name.lower(), entry)
        self.walk.everywhere.append(entry)

    # -- question-level checks -------------------------------------------------------------------

    def _question_checks(self, el: Mapping[str, Any], etype: str, path: Path, scope: Scope) -> None:
        source = el.get("choicesFromQuestion")
        if isinstance(source, str) and source:
            self.walk.targets.append(
                Target((*path, "choicesFromQuestion"), "choices_from", source, scope, el)
            )
        if el.get("choicesLazyLoadEnabled") is True:
            self.out.error(
                (*path, "choicesLazyLoadEnabled"),
                "unsupported_feature",
                (
                    "Verne does not load choices lazily (that needs a browser callback); remove 'choicesLazyLoadEnabled' and list the choices.",
                    "Verne laster ikke alternativer etter hvert (det krever en funksjon i nettleseren); fjern «choicesLazyLoadEnabled» og skriv alternativene.",
                ),
            )
        self.verne.question(el, etype, path)

    def _random_order(self, node: Mapping[str, Any], path: Path) -> None:
        # Random order is not reproducible on the server (survey-core uses a random seed).
        for key in ("choicesOrder", "rowOrder", "rowsOrder", "questionOrder", "questionsOrder"):
            if node.get(key) == "random":
                self.out.warning(
                    (*path, key),
                    "ignored_value",
                    (
                        f"Verne shows items in the order written; '{key}': 'random' is ignored.",
                        f"Verne viser elementene i rekkefølgen de er skrevet; «{key}»: «random» ignoreres.",
                    ),
                )

    def _follow_up(self, item: Any, path: Path, scope: Scope) -> None:
        if isinstance(item, Mapping):
            self.verne.follow_up(item, path)
            self._visit(item, ("verneFollowUp",), path, scope)

    def _duplicate_items(self, items: list[Any], path: Path) -> None:
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            key = _item_key(item)
            if key is None:
                continue
            if key in seen:
                value = item.get("value") if isinstance(item, Mapping) else item
                self.out.warning(
                    (*path, i),
                    "duplicate_choice_value",
                    (
                        f"The value {quoted(value)} is used twice (also by item {seen[key]}); answers cannot tell them apart.",
                        f"Verdien {quoted(value)} er brukt to ganger (også av element {seen[key]}); svarene kan ikke skille dem.",
                    ),
                )
            else:
                seen[key] = i

    def _duplicate_names(self, items: list[Any], path: Path, what: str) -> None:
        seen: dict[str, int] = {}
        words = {
            "item": ("item", "element"),
            "calculated value": ("calculated value", "beregnet verdi"),
        }[what]
        for i, item in enumerate(items):
            name = item.get("name") if isinstance(item, Mapping) else None
            if not isinstance(name, str) or not name:
                continue
            if name in seen:
                self.out.error(
                    (*path, i, "name"),
                    "duplicate_name",
                    (
                        f"Two {words[0]}s are named {quoted(name)} (the first is number {seen[name]}); names must be unique.",
                        f"To av typen {words[1]} heter {quoted(name)} (den første er nummer {seen[name]}); navn må være unike.",
                    ),
                )
            else:
                seen[name] = i

    # -- matrix columns --------------------------------------------------------------------------

    def _column(self, col: Any, path: Path, row_scope: Scope, matrix: Mapping[str, Any]) -> None:
        if not isinstance(col, Mapping):
            return
        cell = col.get("cellType")
        if cell in (None, "default"):
            cell = matrix.get("cellType", "dropdown")
        if cell not in CELL_TYPES:
            cell = None  # the schema reports it
        name = col.get("name")
        if isinstance(name, str) and name:
            self._declare(name, path, "column", cell, col, row_scope)
        defs = (
            ("matrixDropdownColumnBase", f"element.{cell}")
            if cell
            else ("matrixDropdownColumnBase",)
        )
        check_node(col, defs, path, self.out)
        self._visit(col, defs, path, row_scope, owner=("a matrix column", "en matrisekolonne"))
        self.verne.column(col, path)
        if isinstance(col.get("choicesFromQuestion"), str) and col["choicesFromQuestion"]:
            self.walk.targets.append(
                Target(
                    (*path, "choicesFromQuestion"),
                    "choices_from",
                    col["choicesFromQuestion"],
                    row_scope,
                    col,
                )
            )

    # -- validators and triggers -----------------------------------------------------------------

    def _validator(self, item: Any, path: Path, scope: Scope, question: Mapping[str, Any]) -> None:
        if not isinstance(item, Mapping):
            return
        vtype = item.get("type")
        if vtype not in VALIDATOR_TYPES:
            check_node(item, ("validator",), path, self.out)  # reports the type
            return
        check_node(item, (f"validator.{vtype}",), path, self.out)
        self._visit(
            item,
            (f"validator.{vtype}",),
            path,
            scope,
            owner=(f"a '{vtype}' validator", f"en «{vtype}»-validering"),
        )

    def _trigger(self, item: Any, path: Path, scope: Scope) -> None:
        if not isinstance(item, Mapping):
            return
        ttype = item.get("type")
        if ttype not in TRIGGER_TYPES:
            check_node(item, ("trigger",), path, self.out)  # reports the type
            return
        check_node(item, (f"trigger.{ttype}",), path, self.out)
        self._visit(
            item,
            (f"trigger.{ttype}",),
            path,
            scope,
            owner=(f"a '{ttype}' trigger", f"en «{ttype}»-utløser"),
        )
        expression = item.get("expression")
        legacy = any(k in item for k in ("operator", "value")) or (
            isinstance(item.get("name"), str) and not expression
        )
        if legacy and not (isinstance(expression, str) and expression.strip()):
            self._legacy_trigger(item, path)
        elif not (isinstance(expression, str) and expression.strip()) and ttype != "copyvalue":
            self.out.warning(
                path,
                "trigger_never_runs",
                (
                    f"This '{ttype}' trigger has no 'expression', so it never runs.",
                    f"Denne «{ttype}»-utløseren har ikke noe «expression», så den kjører aldri.",
                ),
            )
        root = scope.survey()
        for key in ("setToName", "fromName", "gotoName"):
            value = item.get(key)
            if not isinstance(value, str) or not value:
                continue
            if key == "setToName" and ttype == "setvalue" and item.get("isVariable") is True:
                # A trigger-set variable is a name expressions may read.
                root.visible.setdefault(
                    value.lower(), NameEntry(value, (*path, key), "variable", scope=root)
                )
                continue
            kind = _TRIGGER_TARGET_KINDS.get((str(ttype), key))
            if kind is not None:
                self.walk.targets.append(Target((*path, key), kind, value, scope, item))
        if ttype == "visible":
            for key in ("pages", "questions"):
                names = item.get(key)
                if not isinstance(names, list):
                    continue
                list_kind: TargetKind = "page" if key == "pages" else "question"
                for i, target in enumerate(names):
                    if isinstance(target, str) and target:
                        self.walk.targets.append(
                            Target((*path, key, i), list_kind, target, scope, item)
                        )

    def _legacy_trigger(self, item: Mapping[str, Any], path: Path) -> None:
        name = item.get("name")
        operator = item.get("operator", "equal")
        suggestion = ""
        if isinstance(name, str) and name and isinstance(operator, str):
            value = item.get("value")
            rendered = (
                "'" + value.replace("'", "\\'") + "'" if isinstance(value, str) else quoted(value)
            )
            op = _OPERATOR_SIGNS.get(operator.lower(), operator)
            if op in ("empty", "notempty"):
                suggestion = f"{{{name}}} {op}"
            else:
                suggestion = f"{{{name}}} {op} {rendered}"
        hint: Text = ("", "")
        if suggestion:
            hint = (
                f' such as "expression": "{suggestion}"',
                f' for eksempel "expression": "{suggestion}"',
            )
        self.out.error(
            path,
            "legacy_trigger",
            (
                f"This trigger uses the old 'name'/'operator'/'value' form; write the condition as 'expression'{hint[0]}.",
                f"Denne utløseren bruker den gamle formen med «name»/«operator»/«value»; skriv betingelsen som «expression»{hint[1]}.",
            ),
        )

    # -- Verne follow-up rules -------------------------------------------------------------------


_DEF_LABELS: Mapping[str, Text] = {
    "survey": ("the survey", "undersøkelsen"),
    "page": ("a page", "en side"),
    "itemValue": ("an item", "et element"),
    "choiceItem": ("a choice", "et svaralternativ"),
    "checkboxItem": ("a choice", "et svaralternativ"),
    "imageItem": ("an image choice", "et bildealternativ"),
    "ratingItem": ("a rating value", "en vurderingsverdi"),
    "matrixColumn": ("a matrix column", "en matrisekolonne"),
    "sliderLabel": ("a slider label", "en glidebryteretikett"),
    "calculatedValue": ("a calculated value", "en beregnet verdi"),
    "htmlConditionItem": ("a completedHtmlOnCondition item", "et completedHtmlOnCondition-element"),
    "urlConditionItem": ("a navigateToUrlOnCondition item", "et navigateToUrlOnCondition-element"),
    "multipleTextItem": ("a multiple-text item", "et flertekstfelt"),
    "regionalFormat": ("regionalFormat", "regionalFormat"),
    "panelLayoutColumn": ("a layout column", "en layoutkolonne"),
}


def _def_label(defs: tuple[str, ...]) -> Text:
    name = defs[0]
    if name.startswith("mask."):
        return ("maskSettings", "maskSettings")
    return _DEF_LABELS.get(name, (name, name))


def _scope_words(scope: Scope) -> Text:
    if scope.kind == "panel":
        return (
            f"inside the dynamic panel {quoted(scope.describe_owner())}",
            f"i det dynamiske panelet {quoted(scope.describe_owner())}",
        )
    if scope.kind == "row":
        return (
            f"among the columns of the matrix {quoted(scope.describe_owner())}",
            f"blant kolonnene i matrisen {quoted(scope.describe_owner())}",
        )
    return ("in the whole questionnaire", "i hele spørreskjemaet")


def walk(survey: Mapping[str, Any], out: Collector) -> Walk:
    """Walk a survey definition (a dict) and return what the reference checks need."""
    return Walker(out).run(survey)
