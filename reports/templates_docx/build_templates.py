"""Build the reports' Word templates in this folder with python-docx.

    .venv/bin/python reports/templates_docx/build_templates.py

The templates hold only placeholders; every fixed text comes from the context as `labels.*`
(translated with gettext), so one template serves both languages. Each placeholder is one run,
so Word's run splitting cannot break a tag; tables repeat rows with `{%tr for %}`, lists
repeat paragraphs with `{%p for %}`. Rendered by reports.docx.render_docx (sandboxed,
autoescaped). Commit the generated .docx files. An HMS admin can replace them with their own
(same placeholders; see docs/reports.md) – the upload is test-rendered first.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK
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
    style.font.size = Pt(10)
    section.footer.paragraphs[0].add_run("{{ footer }}")
    return doc


def _p(doc: Document, text: str, *, bold: bool = False, italic: bool = False, style: str | None = None) -> None:
    p = doc.add_paragraph(style=style) if style else doc.add_paragraph()
    run = p.add_run(text)
    run.bold = bold
    run.italic = italic


def _field(doc: Document, label: str, value: str) -> None:
    p = doc.add_paragraph()
    p.add_run(f"{{{{ labels.{label} }}}}: ").bold = True
    p.add_run(f"{{{{ {value} }}}}")


def _loop_table(doc: Document, headers: list[str], cells: list[str], loop: str, *, header_values: bool = False,
                widths: list[float] | None = None) -> None:  # fmt: skip
    """A header row, then one row per item of `loop`. Headers are `labels.<name>` or, with
    `header_values`, expressions of their own. `widths` in centimetres."""
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    if widths:
        table.autofit = False
        for row in table.rows:
            for cell, w in zip(row.cells, widths, strict=True):
                cell.width = Cm(w)
    for i, header in enumerate(headers):
        expr = header if header_values else f"labels.{header}"
        table.rows[0].cells[i].paragraphs[0].add_run(f"{{{{ {expr} }}}}").bold = True
    table.rows[1].cells[0].paragraphs[0].add_run(f"{{%tr for {loop} %}}")
    for i, cell in enumerate(cells):
        table.rows[2].cells[i].paragraphs[0].add_run(f"{{{{ {cell} }}}}")
    table.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    doc.add_paragraph()


def _bullets(doc: Document, loop: str, item: str) -> None:
    doc.add_paragraph().add_run(f"{{%p for {loop} %}}")
    doc.add_paragraph(style="List Bullet").add_run(f"{{{{ {item} }}}}")
    doc.add_paragraph().add_run("{%p endfor %}")


def _image(doc: Document, name: str) -> None:
    doc.add_paragraph().add_run(f"{{{{ {name} }}}}")


def _trend_table(doc: Document, var: str) -> None:
    """Rows of a trend block: title, three year columns, change, organisation."""
    _loop_table(
        doc,
        [f"{var}.head.title", f"{var}.head.y0", f"{var}.head.y1", f"{var}.head.y2", f"{var}.head.change", f"{var}.head.org"],
        ["r.title", "r.y0", "r.y1", "r.y2", "r.change", "r.org"],
        f"r in {var}.rows",
        header_values=True,
        widths=[6.5, 2, 2, 2, 2, 2.5],
    )


def amu_report() -> Document:
    doc = _base()
    doc.add_heading("{{ labels.heading }}", level=0)
    _p(doc, "{{ report.unit }}", bold=True)
    _p(doc, "{{ report.period }}")
    _p(doc, "{{ report.generated }}", italic=True)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    doc.add_heading("{{ labels.summary }}", level=1)
    _bullets(doc, "s in summary", "s")

    doc.add_heading("{{ labels.key_indicators }}", level=1)
    _p(doc, "{{ labels.key_indicators_intro }}")
    _loop_table(doc, ["indicator", "previous", "current", "change", "note"],
                ["i.title", "i.previous", "i.current", "i.change", "i.note"], "i in indicators", widths=[7, 2.3, 2.3, 2.2, 3.2])  # fmt: skip
    _image(doc, "charts.annual")

    doc.add_heading("{{ labels.annual_status }}", level=1)
    _p(doc, "{{ annual.summary }}")
    _loop_table(doc, ["unit", "status", "submitted", "signatures"],
                ["u.unit", "u.status", "u.submitted", "u.signatures"], "u in annual.units", widths=[5, 3.5, 2.5, 6])  # fmt: skip

    doc.add_heading("{{ labels.goals }}", level=1)
    _p(doc, "{{ goals.summary }}")
    _loop_table(doc, ["unit", "goal", "target", "result", "attainment"],
                ["g.unit", "g.goal", "g.target", "g.result", "g.status"], "g in goals.rows", widths=[3.5, 5.5, 2.5, 2.5, 3])  # fmt: skip

    doc.add_heading("{{ labels.barometer }}", level=1)
    _p(doc, "{{ barometer.note }}")
    _trend_table(doc, "barometer")
    _image(doc, "charts.barometer")
    doc.add_heading("{{ labels.barometer_units }}", level=2)
    _loop_table(doc, ["unit", "respondents", "m1", "m2", "m3"],
                ["c.unit", "c.respondents", "c.m1", "c.m2", "c.m3"], "c in barometer.children", widths=[5, 2, 3.3, 3.3, 3.4])  # fmt: skip

    doc.add_heading("{{ labels.ark }}", level=1)
    _p(doc, "{{ ark.note }}")
    _trend_table(doc, "ark")
    _image(doc, "charts.ark")

    doc.add_heading("{{ labels.injuries }}", level=1)
    _p(doc, "{{ injuries.note }}")
    _loop_table(doc, ["year", "hours", "lti", "mti", "days_lost", "h1", "h2", "f"],
                ["y.year", "y.hours", "y.lti", "y.mti", "y.days_lost", "y.h1", "y.h2", "y.f"], "y in injuries.years",
                widths=[1.5, 2.5, 2.2, 2.2, 2.2, 2.1, 2.1, 2.2])  # fmt: skip
    doc.add_heading("{{ labels.injury_sites }}", level=2)
    _loop_table(doc, ["site", "hours", "h1", "h2", "f"], ["s.site", "s.hours", "s.h1", "s.h2", "s.f"], "s in injuries.sites",
                widths=[7, 3, 2.3, 2.3, 2.4])
    _image(doc, "charts.injuries")
    doc.add_heading("{{ labels.reconciliation }}", level=2)
    _p(doc, "{{ labels.reconciliation_intro }}")
    _loop_table(doc, ["site", "reported", "registered", "agrees"],
                ["r.site", "r.reported", "r.registered", "r.agrees"], "r in injuries.reconciliation",
                widths=[5, 4.8, 4.8, 2.4])  # fmt: skip

    doc.add_heading("{{ labels.actions }}", level=1)
    _p(doc, "{{ actions.summary }}")
    _loop_table(doc, ["status", "count"], ["s.status", "s.count"], "s in actions.statuses", widths=[8, 3])
    doc.add_heading("{{ labels.overdue }}", level=2)
    _loop_table(doc, ["action", "unit", "owner", "due", "days_over"],
                ["a.title", "a.unit", "a.owner", "a.due", "a.days_over"], "a in actions.overdue", widths=[6.5, 4, 3, 2, 1.5])  # fmt: skip

    doc.add_heading("{{ labels.deviations }}", level=1)
    _p(doc, "{{ deviations.summary }}")
    _loop_table(doc, ["labels.category", "deviations.head.y0", "deviations.head.y1", "deviations.head.y2"],
                ["d.title", "d.y0", "d.y1", "d.y2"], "d in deviations.rows", header_values=True,
                widths=[7, 3.3, 3.3, 3.4])  # fmt: skip
    _image(doc, "charts.deviations")

    doc.add_heading("{{ labels.definitions }}", level=1)
    _bullets(doc, "d in definitions", "d")
    return doc


def unit_report() -> Document:
    doc = _base()
    doc.add_heading("{{ labels.heading }}", level=0)
    _p(doc, "{{ report.unit }}", bold=True)
    _field(doc, "year", "report.year")
    _field(doc, "questionnaire", "report.questionnaire")
    _field(doc, "status", "report.status")
    _field(doc, "submitted", "report.submitted")
    doc.add_heading("{{ labels.signatures }}", level=1)
    _loop_table(doc, ["signer", "capacity", "signed_at"], ["s.signer", "s.capacity", "s.signed_at"], "s in signatures",
                widths=[7, 4, 6])
    doc.add_heading("{{ labels.answers }}", level=1)
    _loop_table(doc, ["question", "answer"], ["a.question", "a.answer"], "a in answers", widths=[9, 8])
    doc.add_heading("{{ labels.action_plan }}", level=1)
    _p(doc, "{{ labels.action_plan_intro }}")
    _loop_table(doc, ["action", "owner", "due", "status"], ["a.title", "a.owner", "a.due", "a.status"], "a in actions",
                widths=[8, 3.5, 2.5, 3])
    _p(doc, "{{ report.generated }}", italic=True)
    return doc


def main() -> None:
    for name, doc in (("amu_report", amu_report()), ("unit_report", unit_report())):
        path = HERE / f"{name}.docx"
        doc.save(str(path))
        print(f"wrote {path.relative_to(HERE.parent.parent)}")


if __name__ == "__main__":
    main()
