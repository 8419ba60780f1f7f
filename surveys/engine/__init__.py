"""Verne's SurveyJS engine: definitions evaluated server-side with survey-core 3.1.1's results.

Public API (everything is importable from ``surveys.engine``; imports are lazy so that the
subpackages can import ``surveys.engine.values`` without loading the runtime):

Loading
    ``load_survey(raw) -> SurveyDef``
        JSON text, bytes or a dict; runs ``definition.validate_definition`` and raises
        :class:`DefinitionError` (``.errors``: ``[{path, code, message}]``, ``.report``) when the
        report has errors. Parsed definitions are cached by the SHA-256 of their canonical JSON.
    ``DefinitionError``

Running (one :class:`SurveyRun` per request; cheap to create)
    ``SurveyRun(survey, *, locale=None, now=None, messages="survey-core", variables=None,
    settings=None)``
        ``messages="verne"`` uses Verne's own bokmål/nynorsk error texts for ``nb``/``nn``
        (survey-core has no ``nb``: the default reproduces survey-core, i.e. English for ``nb``),
        the ``nn -> nb -> default`` text fallback, and the ``"en"`` text for locale ``en``
        (survey-core shows ``"default"`` there, its default locale being English).
        ``settings``: survey-core ``settings`` overrides such as ``{"commentSuffix": "_note"}``.
    ``run.set_data(dict)``             restore a saved draft (``survey.data = ...``): no triggers,
                                       no type conversion, defaults not applied
    ``run.answer(name, value)``        a respondent's answer (``question.value = ...``):
                                       conversion, exclusive "none", triggers, setValueIf ...;
                                       the cells/panel questions of a posted matrix or dynamic
                                       panel are re-typed as a browser's editors would do
    ``run.answers(mapping_or_pairs)``  several answers in order
    ``run.set_comment(name, text)``, ``run.set_variable(name, value)``
    ``run.values``                     the data (``survey.data``), JSON-ready
    ``run.visible_pages()``            page names; ``run.page_elements(page)`` -> element infos
    ``run.current_page``, ``run.is_last_page()``, ``run.go_to_page(name)``
    ``run.next()``, ``run.prev()``, ``run.complete()`` (validates the current page; completes
    from any page like survey-core), ``run.do_complete()``, ``run.start()`` (start page);
    ``run.state`` (``running``/``starting``/``completed``)
    ``run.validate_page(name=None) -> list[Error]`` (survey-core ``validatePage``: focusing the
    first error may change the current page), ``run.validate() -> list[Error]`` (every visible
    page, the current page stays); ``Error.blocking`` is False for warning/info validators
    ``run.question_state(name) -> QuestionState`` (type, visible, enabled, required, title,
    description, value, choices with texts, rows/columns, min/max, inputType ...)
    ``run.text(locstr, locale=None)``  resolve any localisable string
    ``run.result() -> Result``         everything above as one snapshot

Convenience
    ``evaluate(survey, data=None, *, answers=None, locale=None, variables=None, now=None,
    messages="survey-core", validate=True) -> Result``

The reference runner's contract (CLI and parity tests)
    ``run_case(case) -> dict``, ``run_input(case_or_list)``; ``python -m surveys.engine``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from surveys.engine.api import (
        ChoiceInfo,
        ColumnInfo,
        ElementInfo,
        Error,
        PageInfo,
        PanelInfo,
        QuestionState,
        Result,
        SurveyRun,
        evaluate,
        text,
    )
    from surveys.engine.loader import DefinitionError, load_survey
    from surveys.engine.model import SurveyDef
    from surveys.engine.runner import run_case, run_input

__all__ = [
    "ChoiceInfo",
    "ColumnInfo",
    "DefinitionError",
    "ElementInfo",
    "Error",
    "PageInfo",
    "PanelInfo",
    "QuestionState",
    "Result",
    "SurveyDef",
    "SurveyRun",
    "evaluate",
    "load_survey",
    "run_case",
    "run_input",
    "text",
]

_LAZY = {
    "DefinitionError": "surveys.engine.loader",
    "load_survey": "surveys.engine.loader",
    "SurveyDef": "surveys.engine.model",
    "run_case": "surveys.engine.runner",
    "run_input": "surveys.engine.runner",
    "SurveyRun": "surveys.engine.api",
    "Result": "surveys.engine.api",
    "Error": "surveys.engine.api",
    "QuestionState": "surveys.engine.api",
    "PageInfo": "surveys.engine.api",
    "PanelInfo": "surveys.engine.api",
    "ChoiceInfo": "surveys.engine.api",
    "ColumnInfo": "surveys.engine.api",
    "ElementInfo": "surveys.engine.api",
    "evaluate": "surveys.engine.api",
    "text": "surveys.engine.api",
}


def __getattr__(name: str) -> Any:
    mod = _LAZY.get(name)
    if mod is None:
        raise AttributeError(f"module 'surveys.engine' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(mod), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
