"""Semantic checks of Verne's extension properties (the walker calls these as it goes).

The schema already checks their types, enums (``ownerRole``, ``verneMode``...) and formats
(``due`` durations, snake_case keys). Here: uniqueness across the questionnaire (follow-up codes,
trend keys), properties on the wrong class, unknown prefill sources and combinations that have
no effect.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from surveys.engine.definition.problems import Collector, Path, format_path
from surveys.engine.definition.text import Text, closest, join_en, join_nb, quoted
from surveys.engine.definition.verne import PREFILL_SOURCES, VERNE_PROPERTIES

__all__ = ["VERNE_NAMES", "VerneChecks"]

VERNE_NAMES: Mapping[str, tuple[str, ...]] = {p.name: p.classes for p in VERNE_PROPERTIES}
_CLASS_WORDS: Mapping[str, Text] = {
    "question": ("questions", "spørsmål"),
    "panel": ("panels and pages", "paneler og sider"),
    "survey": ("the survey (the root object)", "undersøkelsen (rotobjektet)"),
}
_NON_VALUE_TYPES = frozenset({"html", "image"})
_ANSWER_PROPERTIES = ("verneTrendKey", "vernePrefill", "verneSensitivity", "verneBackground")


class VerneChecks:
    def __init__(self, out: Collector) -> None:
        self.out = out
        self.follow_up_codes: dict[str, Path] = {}
        self.trend_keys: dict[str, Path] = {}
        self.background_paths: list[Path] = []

    def unknown(self, key: str, what: Text, path: Path) -> None:
        """A ``verne*`` key the object's class does not have: always an error (it is ours)."""
        classes = VERNE_NAMES.get(key)
        if classes is not None:
            en = join_en([_CLASS_WORDS[c][0] for c in classes])
            nb = join_nb([_CLASS_WORDS[c][1] for c in classes])
            self.out.error(
                path,
                "misplaced_property",
                (
                    f"'{key}' belongs on {en}, not on {what[0]}; move it there.",
                    f"«{key}» hører hjemme på {nb}, ikke på {what[1]}; flytt den dit.",
                ),
            )
            return
        suggestion = closest(key, VERNE_NAMES, cutoff=0.7)
        hint: Text = ("", "")
        if suggestion is not None:
            hint = (f" Did you mean '{suggestion}'?", f" Mente du «{suggestion}»?")
        names = ", ".join(VERNE_NAMES)
        self.out.error(
            path,
            "unknown_property",
            (
                f"'{key}' is not a Verne property (they are {names}).{hint[0]}",
                f"«{key}» er ikke en Verne-egenskap (de er {names}).{hint[1]}",
            ),
        )

    def question(self, el: Mapping[str, Any], etype: str, path: Path) -> None:
        trend = el.get("verneTrendKey")
        if isinstance(trend, str) and trend:
            first = self.trend_keys.setdefault(trend, path)
            if first is not path:
                self.out.error(
                    (*path, "verneTrendKey"),
                    "duplicate_trend_key",
                    (
                        f"The trend key {quoted(trend)} is already used by {format_path(first)}; trend keys must be unique.",
                        f"Trendnøkkelen {quoted(trend)} er allerede brukt av {format_path(first)}; trendnøkler må være unike.",
                    ),
                )
        prefill = el.get("vernePrefill")
        if isinstance(prefill, str) and prefill and prefill not in PREFILL_SOURCES:
            known = ", ".join(PREFILL_SOURCES)
            self.out.warning(
                (*path, "vernePrefill"),
                "unknown_prefill_source",
                (
                    f"Verne has no prefill source {quoted(prefill)} yet (known: {known}); the question will start empty.",
                    f"Verne har ingen forhåndsutfyllingskilde {quoted(prefill)} ennå (kjente: {known}); spørsmålet starter tomt.",
                ),
            )
        if el.get("verneBackground") is True:
            self.background_paths.append((*path, "verneBackground"))
        if etype in _NON_VALUE_TYPES:
            for key in _ANSWER_PROPERTIES:
                if key in el:
                    self.out.warning(
                        (*path, key),
                        "ignored_property",
                        (
                            f"'{key}' has no effect on a '{etype}' element, which has no answer.",
                            f"«{key}» har ingen virkning på et «{etype}»-element, som ikke har noe svar.",
                        ),
                    )

    def column(self, col: Mapping[str, Any], path: Path) -> None:
        # survey-core accepts question properties on columns, but Verne reads them on questions.
        for key in col:
            if str(key) in VERNE_NAMES:
                self.out.warning(
                    (*path, str(key)),
                    "ignored_property",
                    (
                        f"Verne reads '{key}' on questions, not on matrix columns; put it on the matrix question.",
                        f"Verne leser «{key}» på spørsmål, ikke på matrisekolonner; legg den på matrisespørsmålet.",
                    ),
                )

    def follow_up(self, item: Mapping[str, Any], path: Path) -> None:
        """Checks one rule (the walker collects its ``when`` expression like any other)."""
        code = item.get("code")
        if isinstance(code, str) and code:
            first = self.follow_up_codes.setdefault(code, path)
            if first is not path:
                self.out.error(
                    (*path, "code"),
                    "duplicate_follow_up_code",
                    (
                        f"The follow-up code {quoted(code)} is already used by {format_path(first)}; codes must be unique in a questionnaire.",
                        f"Oppfølgingskoden {quoted(code)} er allerede brukt av {format_path(first)}; koder må være unike i et spørreskjema.",
                    ),
                )
        when = item.get("when")
        if not isinstance(when, str) or when.strip():
            return  # missing or wrong type: the schema reports it
        self.out.error(
            (*path, "when"),
            "empty_value",
            (
                "A follow-up rule needs a condition in 'when', such as \"{q1} = 'no'\".",
                "En oppfølgingsregel trenger en betingelse i «when», for eksempel \"{q1} = 'no'\".",
            ),
        )

    def finish(self, survey: Mapping[str, Any]) -> None:
        if survey.get("verneMode") == "anonymous":
            return
        for path in self.background_paths:
            self.out.warning(
                path,
                "background_not_anonymous",
                (
                    "'verneBackground' only matters in anonymous surveys ('verneMode': 'anonymous').",
                    "«verneBackground» har bare betydning i anonyme undersøkelser («verneMode»: «anonymous»).",
                ),
            )
