"""Word documents from .docx templates with docxtpl, always sandboxed and autoescaped.

    from reports.docx import render_docx
    data: bytes = render_docx(path_to_template, {"title": ..., "rows": [...]})

Why this wrapper exists (see ../shared/notes/toolchain.md §2c and anchors.md §2.4):
* docxtpl renders with `autoescape=False` by default, so `&`, `<` or `<w:t>` in user text silently
  drop text or corrupt the document (or inject Word field codes). Here every value is escaped.
* docxtpl uses a plain Jinja `Environment`, so a template file could run arbitrary code. Here the
  template always runs in `jinja2.sandbox.SandboxedEnvironment(autoescape=True)`, which also
  covers headers, footers, document properties and footnotes.
* values are never parsed as templates: user text like `{{ 7*7 }}` comes out literally.
* newlines in a value become line breaks (docxtpl's listing pass); C0 control characters other
  than tab and newline, and form feeds, are removed so user text cannot add page breaks.

Templates are ordinary .docx files with `{{ name }}` placeholders and `{%tr for r in rows %}` /
`{%tr endfor %}` table-row loops (never a plain `{% for %}` inside a table). The reports issue
extends this module (images, charts, uploaded templates); keep this entry point.

Images (charts): put an `Image(png_bytes, width_mm)` anywhere in the context and write
`{{ name }}` in the template; it becomes a docxtpl InlineImage of this document. The template
may be a path or the bytes of an uploaded file (a file object).
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2.sandbox import SandboxedEnvironment

__all__ = ["Image", "clean_text", "render_docx", "sandboxed_environment"]


@dataclass(frozen=True)
class Image:
    """A picture for the document (PNG bytes), `width_mm` wide."""

    data: bytes
    width_mm: float = 160.0

# Control characters Word cannot hold or that change layout (\a paragraph, \f page break).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_text(value: Any, template: DocxTemplate | None = None) -> Any:
    """Strip control characters from strings (recursively in lists, tuples and dicts); with a
    template, `Image` values become inline images of that template."""
    if isinstance(value, str):
        return _CONTROL.sub("", value)
    if isinstance(value, Image):
        if template is None:
            return value
        return InlineImage(template, io.BytesIO(value.data), width=Mm(value.width_mm))
    if isinstance(value, Mapping):
        return {k: clean_text(v, template) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_text(v, template) for v in value]
    return value


def sandboxed_environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(autoescape=True)


def render_docx(template_path: str | Path | IO[bytes], context: Mapping[str, Any]) -> bytes:
    """Render a .docx template with `context` and return the document's bytes.

    String values are cleaned of control characters; objects (model instances, dates) are passed
    through and rendered by Jinja (escaped). Pass plain data where you can.
    """
    template = DocxTemplate(template_path if hasattr(template_path, "read") else str(template_path))
    template.render(clean_text(dict(context), template), jinja_env=sandboxed_environment(), autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()
