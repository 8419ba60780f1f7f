"""Errors raised while compiling an expression."""

from __future__ import annotations

__all__ = ["ExpressionSyntaxError"]


class ExpressionSyntaxError(ValueError):
    """The text is not an expression survey-core can run.

    ``position`` is a 0-based character (code point) offset into ``text``. Two extra attributes
    describe what survey-core itself reports, for tools that compare with it:

    * ``js_position``: survey-core's ``parser.error.at`` (a UTF-16 offset), or ``None`` when
      survey-core reports no position (e.g. the text is only a ``null`` literal);
    * ``js_message``: peggy's message (``Expected ... but "{" found.``), or ``None``;
    * ``js_exception``: set instead of the two above when survey-core parses the text but then
      throws while building its runner (``TypeError: Cannot read properties of null ...``).
    """

    def __init__(
        self,
        message: str,
        position: int,
        text: str,
        *,
        js_position: int | None = None,
        js_message: str | None = None,
        js_exception: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.position = position
        self.text = text
        self.js_position = js_position
        self.js_message = js_message
        self.js_exception = js_exception

    def __reduce__(self) -> tuple[object, ...]:  # keep pickling (e.g. multiprocessing) working
        return (_rebuild, (self.message, self.position, self.text, self.js_position, self.js_message, self.js_exception))


def _rebuild(
    message: str,
    position: int,
    text: str,
    js_position: int | None,
    js_message: str | None,
    js_exception: str | None,
) -> ExpressionSyntaxError:
    return ExpressionSyntaxError(
        message,
        position,
        text,
        js_position=js_position,
        js_message=js_message,
        js_exception=js_exception,
    )
