"""Expression and target checks, run after the walk when every name is known.

Each expression is compiled with ``surveys.engine.expressions.compile_expression``; a syntax
error is reported with its JSON path and the parser's character position. Then each variable
is resolved in the expression's scope (see ``scopes.py``):

* **error** ``unknown_reference`` when the name is clearly wrong: a context variable used out of
  its context (``{row.x}`` outside a matrix), a member that the row/panel does not have
  (``{panel.typo}``), a template question read without ``panel.``, a question that only exists
  inside another dynamic panel or matrix, or a near-miss of a known name ("did you mean");
* **warning** ``unknown_variable`` when the name is simply unknown: it may be a variable Verne
  sets at run time. Pass the run-time variable names as ``known_variables`` to silence it.

Function names are checked against the expression engine's registry (``unknown_function`` is an
error: survey-core and Verne would silently return null).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from typing import Any

from surveys.engine.definition.problems import Collector, Path
from surveys.engine.definition.schema_source import SELECT_TYPES
from surveys.engine.definition.scopes import NameEntry, Scope
from surveys.engine.definition.text import Text, closest, label, quoted
from surveys.engine.definition.walker import Site, Target, Walk
from surveys.engine.expressions import (
    DEFAULT_FUNCTIONS,
    ExpressionSyntaxError,
    compile_expression,
)

__all__ = ["check_references", "default_functions"]

# Context variables and what they need (lower-case, as survey-core matches them).
_ANYWHERE = frozenset(
    {
        "item",
        "choice",
        "self",
        "survey",
        "parent",
        "composite",
        "column",
        # survey-core's built-in variables
        "locale",
        "pageno",
        "pagecount",
        "questioncount",
        "correctedanswers",
        "correctanswers",
        "correctedanswercount",
        "incorrectedanswers",
        "incorrectanswers",
        "incorrectedanswercount",
    }
)
_ROW_OBJECTS = frozenset({"row", "prevrow", "nextrow", "totalrow"})
_ROW_VALUES = frozenset(
    {"rowindex", "visiblerowindex", "rowvalue", "rowname", "rowtitle", "matrix"}
)
_PANEL_OBJECTS = frozenset({"panel", "prevpanel", "nextpanel"})
_PANEL_VALUES = frozenset({"panelindex", "visiblepanelindex"})
_SUFFIXES = ("-unwrapped", "-total", "-comment")
_SPLIT = re.compile(r"[.\[]")


def default_functions() -> frozenset[str]:
    """Function names the expression engine runs (its default registry)."""
    return frozenset(DEFAULT_FUNCTIONS.names())


_UNEXPECTED = re.compile(
    r"^Unexpected (.+) at position (\d+): expected (.+?)(?: \(at position \d+\))?$"
)
_EXPECTED_NB = {
    "an operand": "en verdi",
    "an operator or the end of the expression": "en operator eller slutten av uttrykket",
    "'}' to close the variable name": "'}' for å avslutte variabelnavnet",
    "the closing quote": "avsluttende anførselstegn",
    "a digit": "et siffer",
}
_FIXED_NB = {
    "The expression is only a null literal": "Uttrykket er bare null",
    "The expression is nested too deeply": "Uttrykket er nøstet for dypt",
    "the expression is nested too deeply": "uttrykket er nøstet for dypt",
}


def _parser_message_nb(message: str) -> str:
    """The expression parser writes English; translate its few message shapes."""
    match = _UNEXPECTED.match(message)
    if match:
        found, pos, what = match.groups()
        found = "slutten av uttrykket" if found == "end of expression" else found
        what = _EXPECTED_NB.get(what) or what.replace("one of ", "en av ")
        return f"Uventet {found} ved posisjon {pos}: forventet {what}"
    if message.startswith("survey-core cannot run this expression"):
        return (
            "survey-core kan ikke kjøre dette uttrykket"
            + message[len("survey-core cannot run this expression") :]
        )
    for en, nb in _FIXED_NB.items():
        if message.startswith(en):
            return nb + message[len(en) :]
    return message


def _split(variable: str) -> tuple[str, str | None]:
    """``'row.col.x'`` -> ``('row', 'col')``; ``'q[0].a'`` -> ``('q', None)``."""
    parts = _SPLIT.split(variable, maxsplit=2)
    root = parts[0]
    member = None
    if len(parts) > 1 and variable[len(root)] == ".":
        member = parts[1] or None
    return root, member


def _position(text: str, variable: str) -> int | None:
    found = text.lower().find(variable.lower())
    if found < 0:
        return None
    return max(found - 1, 0) if text[found - 1 : found] == "{" else found


class ReferenceChecker:
    def __init__(
        self,
        walk: Walk,
        out: Collector,
        known_variables: Collection[str],
        known_functions: Collection[str],
    ) -> None:
        self.walk = walk
        self.out = out
        self.variables = {v.lower(): v for v in known_variables}
        self.functions = frozenset(known_functions)
        self.functions_lower = {f.lower(): f for f in known_functions}

    # -- expressions -----------------------------------------------------------------------------

    def check_sites(self) -> None:
        for site in self.walk.sites:
            try:
                expr = compile_expression(site.text)
            except ExpressionSyntaxError as exc:
                hint: Text = ("", "")
                if getattr(exc, "js_exception", None) and "null" in site.text.lower():
                    hint = (
                        " A null literal among a function's arguments makes survey-core fail; use '' instead.",
                        " En null-verdi blant argumentene til en funksjon får survey-core til å feile; bruk '' i stedet.",
                    )
                self._syntax_error(site, str(exc.message), int(exc.position), hint)
                continue
            except RecursionError:
                self._syntax_error(site, "the expression is nested too deeply", 0)
                continue
            except Exception as exc:  # a parser bug must not break validation
                self._syntax_error(
                    site, f"the expression could not be read ({type(exc).__name__})", 0
                )
                continue
            for variable in _as_strings(getattr(expr, "variables", ())):
                self._resolve(site, variable)
            for function in _as_strings(getattr(expr, "functions", ())):
                self._check_function(site, function)

    def _syntax_error(self, site: Site, message: str, position: int, hint: Text = ("", "")) -> None:
        where = label(site.path)
        detail = message.rstrip(".")
        if "position" not in detail:
            detail += f" (at position {position})"
        self.out.error(
            site.path,
            "expression_syntax",
            (
                f"{where[0]} is not a valid expression: {quoted(site.text, 80)}: {detail}.{hint[0]}",
                f"{where[1]} er ikke et gyldig uttrykk: {quoted(site.text, 80)}: {_parser_message_nb(detail)}.{hint[1]}",
            ),
            position,
        )

    def _check_function(self, site: Site, name: str) -> None:
        if name in self.functions:
            return
        right = self.functions_lower.get(name.lower()) or closest(name, self.functions, cutoff=0.75)
        hint: Text = ("", "")
        if right is not None:
            hint = (f" Did you mean '{right}'?", f" Mente du «{right}»?")
        self.out.error(
            site.path,
            "unknown_function",
            (
                f"The function '{name}' does not exist, so the expression would give null.{hint[0]}",
                f"Funksjonen «{name}» finnes ikke, så uttrykket ville gitt null.{hint[1]}",
            ),
            _position(site.text, name + "("),
        )

    def _resolve(self, site: Site, variable: str) -> None:
        if not variable or variable.startswith("$"):
            return  # {$property} reads a property of the owner
        root, member = _split(variable)
        key = root.lower()
        scope = site.scope
        if key in _ANYWHERE:
            return
        if key in _ROW_OBJECTS or key in _ROW_VALUES:
            row = scope.nearest("row")
            if row is not None:
                if key in _ROW_OBJECTS and member is not None:
                    self._member(site, variable, root, member, row)
                return
            if self._survey_name(scope, key) is None:
                self._out_of_scope(site, variable, "row")
            return
        if key in _PANEL_OBJECTS or key in _PANEL_VALUES or key == "parentpanel":
            panel = scope.nearest("panel")
            if key == "parentpanel" and panel is not None:
                panel = panel.parent.nearest("panel") if panel.parent is not None else None
            if panel is not None:
                if key not in _PANEL_VALUES and member is not None:
                    self._member(site, variable, root, member, panel)
                return
            if self._survey_name(scope, key) is None:
                self._out_of_scope(
                    site, variable, "parentpanel" if key == "parentpanel" else "panel"
                )
            return
        if self._survey_name(scope, key) is not None:
            return
        self._unknown(site, variable, root)

    def _survey_name(self, scope: Scope, key: str) -> NameEntry | str | None:
        visible = scope.survey().visible
        if key in visible:
            return visible[key]
        if key in self.variables:
            return self.variables[key]
        for suffix in _SUFFIXES:
            if key.endswith(suffix) and key[: -len(suffix)] in visible:
                return visible[key[: -len(suffix)]]
        return None

    def _member(self, site: Site, variable: str, root: str, member: str, scope: Scope) -> None:
        key = member.lower()
        if key in scope.visible:
            return
        for suffix in _SUFFIXES:
            if key.endswith(suffix) and key[: -len(suffix)] in scope.visible:
                return
        names = [e.name for e in scope.visible.values()]
        suggestion = closest(member, names)
        hint: Text = ("", "")
        if suggestion is not None:
            hint = (
                f" Did you mean '{{{root}.{suggestion}}}'?",
                f" Mente du «{{{root}.{suggestion}}}»?",
            )
        owner = quoted(scope.describe_owner())
        if scope.kind == "row":
            what: Text = (
                f"the matrix {owner} has no column",
                f"matrisen {owner} har ingen kolonne",
            )
        else:
            what = (
                f"the dynamic panel {owner} has no question",
                f"det dynamiske panelet {owner} har ikke noe spørsmål",
            )
        self.out.error(
            site.path,
            "unknown_reference",
            (
                f"'{{{variable}}}' refers to '{member}', but {what[0]} '{member}'.{hint[0]}",
                f"«{{{variable}}}» viser til «{member}», men {what[1]} «{member}».{hint[1]}",
            ),
            _position(site.text, variable),
        )

    def _out_of_scope(self, site: Site, variable: str, context: str) -> None:
        texts: dict[str, Text] = {
            "row": (
                "can only be used inside the columns of a matrixdropdown or matrixdynamic question",
                "kan bare brukes i kolonnene til et matrixdropdown- eller matrixdynamic-spørsmål",
            ),
            "panel": (
                "can only be used inside the template of a dynamic panel (paneldynamic)",
                "kan bare brukes i malen til et dynamisk panel (paneldynamic)",
            ),
            "parentpanel": (
                "can only be used inside a dynamic panel that is itself inside a dynamic panel",
                "kan bare brukes i et dynamisk panel som selv ligger i et dynamisk panel",
            ),
        }
        text = texts[context]
        self.out.error(
            site.path,
            "unknown_reference",
            (
                f"'{{{variable}}}' {text[0]}; here it is always empty.",
                f"«{{{variable}}}» {text[1]}; her er den alltid tom.",
            ),
            _position(site.text, variable),
        )

    def _unknown(self, site: Site, variable: str, root: str) -> None:
        position = _position(site.text, variable)
        key = root.lower()
        # A question of an enclosing template/matrix read without its prefix.
        for frame in site.scope.frames():
            if frame.kind == "survey":
                break
            if key in frame.visible:
                prefix = "panel" if frame.kind == "panel" else "row"
                self.out.error(
                    site.path,
                    "unknown_reference",
                    (
                        f"'{{{variable}}}' does not find '{root}', which is inside {_frame_words(frame)[0]}; "
                        f"write '{{{prefix}.{variable}}}'.",
                        f"«{{{variable}}}» finner ikke «{root}», som ligger i {_frame_words(frame)[1]}; "
                        f"skriv «{{{prefix}.{variable}}}».",
                    ),
                    position,
                )
                return
        # A question that exists only inside some other dynamic panel or matrix.
        inner = next(
            (
                e
                for e in self.walk.everywhere
                if e.name.lower() == key and e.scope is not None and e.scope.kind != "survey"
            ),
            None,
        )
        if inner is not None and inner.scope is not None:
            owner = inner.scope.describe_owner()
            self.out.error(
                site.path,
                "unknown_reference",
                (
                    f"'{{{variable}}}' does not find '{root}': it is inside {_frame_words(inner.scope)[0]} and can "
                    f"only be read there, or from outside as '{{{owner}[0].{root}}}'.",
                    f"«{{{variable}}}» finner ikke «{root}»: det ligger i {_frame_words(inner.scope)[1]} og kan bare "
                    f"leses der, eller utenfra som «{{{owner}[0].{root}}}».",
                ),
                position,
            )
            return
        names = [*self._survey_names(site.scope), *self.variables.values()]
        suggestion = closest(root, names, cutoff=0.8) if len(root) >= 3 else None
        if suggestion is not None:
            self.out.error(
                site.path,
                "unknown_reference",
                (
                    f"'{{{variable}}}' refers to '{root}', which is not a question, calculated value or known "
                    f"variable. Did you mean '{suggestion}'?",
                    f"«{{{variable}}}» viser til «{root}», som ikke er et spørsmål, en beregnet verdi eller en "
                    f"kjent variabel. Mente du «{suggestion}»?",
                ),
                position,
            )
            return
        self.out.warning(
            site.path,
            "unknown_variable",
            (
                f"'{{{variable}}}' is not a question, calculated value or known variable. If Verne sets it at "
                "run time, add it to known_variables; otherwise it is always empty.",
                f"«{{{variable}}}» er ikke et spørsmål, en beregnet verdi eller en kjent variabel. Hvis Verne "
                "setter den når skjemaet kjører, legg den til i known_variables; ellers er den alltid tom.",
            ),
            position,
        )

    def _survey_names(self, scope: Scope) -> Iterable[str]:
        return (e.name for e in scope.survey().visible.values())

    # -- targets ---------------------------------------------------------------------------------

    def check_targets(self) -> None:
        for target in self.walk.targets:
            if target.kind == "choices_from":
                self._choices_from(target)
            elif target.kind == "page":
                if target.name not in self.walk.pages:
                    self._missing(target, ("page", "side"), list(self.walk.pages))
            else:
                entry = target.scope.survey().visible.get(target.name.lower())
                if entry is None or entry.kind not in ("question", "column"):
                    self._missing_question(target)

    def _missing_question(self, target: Target) -> None:
        names = [e.name for e in target.scope.survey().visible.values() if e.kind == "question"]
        extra: Text = ("", "")
        if target.kind == "set_to":
            extra = (
                ' To set a survey variable instead, add "isVariable": true.',
                ' For å sette en variabel i stedet, legg til "isVariable": true.',
            )
        self._missing(target, ("question", "spørsmål"), names, extra)

    def _missing(
        self, target: Target, what: Text, names: list[str], extra: Text = ("", "")
    ) -> None:
        suggestion = closest(target.name, names, cutoff=0.7)
        hint: Text = ("", "")
        if suggestion is not None:
            hint = (f" Did you mean '{suggestion}'?", f" Mente du «{suggestion}»?")
        where = label(target.path)
        self.out.error(
            target.path,
            "unknown_target",
            (
                f"{where[0]} names {quoted(target.name)}, but there is no {what[0]} with that name.{hint[0]}{extra[0]}",
                f"{where[1]} viser til {quoted(target.name)}, men det finnes ingen {what[1]} med det navnet.{hint[1]}{extra[1]}",
            ),
        )

    def _choices_from(self, target: Target) -> None:
        source = target.scope.find_question(target.name)
        if source is None:
            names = [e.name for s in target.scope.frames() for e in s.visible.values()]
            self._missing(target, ("question", "spørsmål"), names)
            return
        source_type = source.element_type
        if source_type is None:
            return  # its unknown type is already reported
        if source_type in ("matrixdynamic", "paneldynamic"):
            self._carry_forward_rows(target, source)
            return
        if source_type not in SELECT_TYPES:
            where = label(target.path)
            self.out.error(
                target.path,
                "wrong_target_type",
                (
                    f"{where[0]} names {quoted(target.name)}, a '{source_type}' question; choices can only be "
                    "copied from a radiogroup, checkbox, dropdown, tagbox, ranking, imagepicker, matrixdynamic "
                    "or paneldynamic question.",
                    f"{where[1]} viser til {quoted(target.name)}, et «{source_type}»-spørsmål; alternativer kan "
                    "bare kopieres fra et radiogroup-, checkbox-, dropdown-, tagbox-, ranking-, imagepicker-, "
                    "matrixdynamic- eller paneldynamic-spørsmål.",
                ),
            )

    def _carry_forward_rows(self, target: Target, source: NameEntry) -> None:
        value_name = target.node.get("choiceValuesFromQuestion")
        path: Path = (*target.path[:-1], "choiceValuesFromQuestion")
        if not isinstance(value_name, str) or not value_name:
            self.out.error(
                path,
                "missing_property",
                (
                    f"Choices copied from the {source.element_type} {quoted(source.name)} need "
                    "'choiceValuesFromQuestion' (the column or template question that holds the values).",
                    f"Alternativer som kopieres fra {source.element_type}-spørsmålet {quoted(source.name)} trenger "
                    "«choiceValuesFromQuestion» (kolonnen eller malspørsmålet som har verdiene).",
                ),
            )
            return
        inner = _inner_names(source)
        for key in ("choiceValuesFromQuestion", "choiceTextsFromQuestion"):
            name = target.node.get(key)
            if isinstance(name, str) and name and name.lower() not in inner:
                where: Path = (*target.path[:-1], key)
                self.out.error(
                    where,
                    "unknown_target",
                    (
                        f"'{key}' names {quoted(name)}, but {quoted(source.name)} has no column or question with that name.",
                        f"«{key}» viser til {quoted(name)}, men {quoted(source.name)} har ingen kolonne eller spørsmål med det navnet.",
                    ),
                )


def _inner_names(source: NameEntry) -> set[str]:
    node = source.node or {}
    out: set[str] = set()
    stack: list[Any] = []
    for key in ("columns", "templateElements", "questions", "detailElements"):
        value = node.get(key)
        if isinstance(value, list):
            stack.extend(value)
    while stack:
        item = stack.pop()
        if not isinstance(item, dict):
            continue
        name = item.get("name")
        if isinstance(name, str):
            out.add(name.lower())
        if item.get("type") == "panel" and isinstance(item.get("elements"), list):
            stack.extend(item["elements"])
    return out


def _frame_words(scope: Scope) -> Text:
    owner = quoted(scope.describe_owner())
    if scope.kind == "row":
        return (f"the matrix {owner}", f"matrisen {owner}")
    return (f"the dynamic panel {owner}", f"det dynamiske panelet {owner}")


def _as_strings(values: Any) -> list[str]:
    try:
        return [v for v in values if isinstance(v, str)]
    except TypeError:
        return []


def check_references(
    walk: Walk,
    out: Collector,
    known_variables: Collection[str],
    known_functions: Collection[str],
) -> None:
    checker = ReferenceChecker(walk, out, known_variables, known_functions)
    checker.check_sites()
    checker.check_targets()
