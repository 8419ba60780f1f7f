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
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment

__all__ = ["clean_text", "render_docx", "sandboxed_environment"]

# Control characters Word cannot hold or that change layout (\a paragraph, \f page break).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_text(value: Any) -> Any:
    """Strip control characters from strings (recursively in lists, tuples and dicts)."""
    if isinstance(value, str):
        return _CONTROL.sub("", value)
    if isinstance(value, Mapping):
        return {k: clean_text(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_text(v) for v in value]
    return value


def sandboxed_environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(autoescape=True)


def render_docx(template_path: str | Path, context: Mapping[str, Any]) -> bytes:
    """Render a .docx template with `context` and return the document's bytes.

    String values are cleaned of control characters; objects (model instances, dates) are passed
    through and rendered by Jinja (escaped). Pass plain data where you can.
    """
    template = DocxTemplate(str(template_path))
    template.render(clean_text(dict(context)), jinja_env=sandboxed_environment(), autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()
