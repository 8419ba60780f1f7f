"""Build the Word templates in this folder with python-docx.

    .venv/bin/python workflows/templates_docx/build_templates.py

The templates hold only placeholders; every fixed text (headings, column names) comes from the
context as `labels.*`, translated with gettext, so one template serves both languages.
Each placeholder is written as one run, so Word's run splitting cannot break a tag.
Rendered by reports.docx.render_docx (sandboxed, autoescaped). Commit the generated .docx files.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Cm, Pt

HERE = Path(__file__).resolve().parent


def _base(landscape: bool = False) -> Document:
    doc = Document()
    section = doc.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    style = doc.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(10.5)
    section.footer.paragraphs[0].add_run("{{ footer }}")
    return doc


def _field(doc: Document, label: str, value: str) -> None:
    p = doc.add_paragraph()
    run = p.add_run(f"{{{{ labels.{label} }}}}: ")
    run.bold = True
    p.add_run(f"{{{{ {value} }}}}")


def _loop_table(doc: Document, headers: list[str], cells: list[str], loop: str) -> None:
    """A table: a header row, then one row per item of `loop` ("f in findings")."""
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    for i, header in enumerate(headers):
        run = table.rows[0].cells[i].paragraphs[0].add_run(f"{{{{ labels.{header} }}}}")
        run.bold = True
    table.rows[1].cells[0].paragraphs[0].add_run(f"{{%tr for {loop} %}}")
    for i, cell in enumerate(cells):
        table.rows[2].cells[i].paragraphs[0].add_run(f"{{{{ {cell} }}}}")
    table.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")


def _text_block(doc: Document, label: str, value: str) -> None:
    doc.add_heading(f"{{{{ labels.{label} }}}}", level=2)
    doc.add_paragraph().add_run(f"{{{{ {value} }}}}")


def round_report() -> Document:
    doc = _base()
    doc.add_heading("{{ labels.heading }}", level=0)
    doc.add_paragraph().add_run("{{ round.title }}").bold = True
    for label, value in (
        ("unit", "round.unit"), ("safety_area", "round.safety_area"), ("status", "round.status"),
        ("planned_date", "round.planned_date"), ("conducted_on", "round.conducted_on"),
        ("participants", "round.participants"), ("leader_at_summary", "round.summarised_by"),
    ):  # fmt: skip
        _field(doc, label, value)
    _text_block(doc, "focus_topics", "round.focus_topics")
    doc.add_heading("{{ labels.planning }}", level=2)
    doc.add_paragraph().add_run("{{ round.planning }}")
    _text_block(doc, "employee_talks", "round.employee_talks")
    doc.add_heading("{{ labels.findings }}", level=1)
    _loop_table(
        doc,
        ["no", "finding", "kind", "location", "risk", "follow_up"],
        ["f.no", "f.title", "f.kind", "f.location", "f.risk", "f.follow_up"],
        "f in findings",
    )
    doc.add_heading("{{ labels.actions }}", level=1)
    _loop_table(
        doc,
        ["no", "action", "owner", "due", "cost"],
        ["a.no", "a.title", "a.owner", "a.due", "a.cost"],
        "a in actions",
    )
    _text_block(doc, "summary", "round.summary_notes")
    doc.add_paragraph().add_run("{{ generated }}").italic = True
    return doc


def action_plan() -> Document:
    doc = _base(landscape=True)
    doc.add_heading("{{ labels.heading }}", level=0)
    _field(doc, "unit", "unit")
    _field(doc, "filter", "filter")
    _loop_table(
        doc,
        ["no", "action", "owner", "due", "status", "priority", "cost", "source"],
        ["a.no", "a.title", "a.owner", "a.due", "a.status", "a.priority", "a.cost", "a.source"],
        "a in actions",
    )
    doc.add_paragraph().add_run("{{ generated }}").italic = True
    return doc


def learning_report() -> Document:
    doc = _base()
    doc.add_heading("{{ labels.heading }}", level=0)
    doc.add_paragraph().add_run("{{ report.title }}").bold = True
    _field(doc, "unit", "report.unit")
    _field(doc, "when", "report.when")
    _field(doc, "category", "report.category")
    for label in ("summary", "potential", "causes", "measures", "learning_points"):
        _text_block(doc, label, f"report.{label}")
    doc.add_paragraph().add_run("{{ generated }}").italic = True
    return doc


def main() -> None:
    for name, build in (("round_report", round_report), ("action_plan", action_plan),
                        ("learning_report", learning_report)):  # fmt: skip
        path = HERE / f"{name}.docx"
        build().save(str(path))
        print(f"wrote {path.relative_to(HERE.parent.parent)}")


if __name__ == "__main__":
    main()
