"""The runtime survey model (one mutable :class:`SurveyRun` per evaluation)."""

from surveys.engine.runtime.survey import SurveyRun

__all__ = ["SurveyRun"]
