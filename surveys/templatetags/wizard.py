"""Rendering of wizard questions: each question type with accessible markup."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template

from surveys.pagemodel import Panel, Question
from surveys.wizard_forms import SEP, PageForm

register = template.Library()

GROUPED = {"radiogroup", "checkbox", "tagbox", "boolean", "rating", "imagepicker", "matrix",
           "matrixdropdown", "matrixdynamic", "multipletext", "paneldynamic", "ranking"}  # fmt: skip


@register.inclusion_tag("surveys/_element.html", takes_context=True)
def render_element(context: dict[str, Any], element: Any, form: PageForm, parent_visible: bool = True) -> dict[str, Any]:
    visible = parent_visible and element.visible
    ctx: dict[str, Any] = {"element": element, "form": form, "visible": visible,
                           "answer_meta": context.get("answer_meta", {}), "prefilled": context.get("prefilled", set()),
                           "read_only": context.get("read_only", False)}  # fmt: skip
    if isinstance(element, Panel):
        ctx["is_panel"] = True
        return ctx
    q: Question = element
    ctx["is_panel"] = False
    ctx["grouped"] = q.type in GROUPED
    ctx["fields"] = form.question_fields(q.name) if q.has_input else []
    ctx["main"] = form[q.name] if q.name in form.fields else None
    comment_name = f"{q.name}-Comment"
    ctx["comment"] = form[comment_name] if comment_name in form.fields else None
    ctx["errors"] = form.question_errors(q.name) if form.is_bound else []
    ctx["warnings"] = [e for e in form.warnings if e.question == q.name]
    ctx["meta"] = ctx["answer_meta"].get(q.name)
    if ctx["meta"] and ctx["meta"].get("at"):
        try:
            ctx["meta_at"] = datetime.fromisoformat(ctx["meta"]["at"])
        except ValueError:
            ctx["meta_at"] = None
    described = " ".join(
        part for part, present in ((f"q-{q.name}-hint", bool(q.description)), (f"q-{q.name}-error", bool(ctx["errors"])))
        if present
    )
    ctx["described"] = described
    if not ctx["grouped"]:
        for bound in ctx["fields"]:
            attrs = bound.field.widget.attrs
            attrs.setdefault("class", "ds-input")
            if described:
                attrs["aria-describedby"] = described
            if ctx["errors"]:
                attrs["aria-invalid"] = "true"
            if not q.enabled:
                attrs["readonly"] = "readonly"
            if q.required:
                attrs["aria-required"] = "true"
    else:
        for bound in ctx["fields"]:
            if bound.field.widget.__class__.__name__ in {"Select", "TextInput", "Textarea"}:
                bound.field.widget.attrs.setdefault("class", "ds-input")
    if ctx["comment"] is not None:
        ctx["comment"].field.widget.attrs.setdefault("class", "ds-input")
    ctx["is_prefilled"] = q.name in ctx["prefilled"]
    if q.type == "matrix":
        ctx["matrix_rows"] = [(row, form[f"{q.name}{SEP}r{i}"]) for i, row in enumerate(q.rows)
                              if f"{q.name}{SEP}r{i}" in form.fields and row.visible]  # fmt: skip
    elif q.type in {"matrixdropdown", "matrixdynamic"}:
        count = q.row_count if q.type == "matrixdynamic" else len(q.rows)
        rows = []
        for i in range(count):
            title = q.rows[i].text if q.type == "matrixdropdown" and i < len(q.rows) else str(i + 1)
            cells = [(col, form[f"{q.name}{SEP}r{i}{SEP}{col.name}"]) for col in q.columns
                     if col.visible and f"{q.name}{SEP}r{i}{SEP}{col.name}" in form.fields]  # fmt: skip
            rows.append({"index": i, "title": title, "cells": cells})
        ctx["table_rows"] = rows
        ctx["visible_columns"] = [c for c in q.columns if c.visible]
    elif q.type == "multipletext":
        ctx["item_fields"] = [form[f"{q.name}{SEP}{item.name}"] for item in q.items if f"{q.name}{SEP}{item.name}" in form.fields]
    elif q.type == "paneldynamic":
        panels = []
        for p in range(len(q.panels)):
            fields = [form[name] for name, slot in form.slots.items() if slot.question == q.name and slot.panel == p]
            panels.append({"index": p, "fields": fields})
        ctx["dyn_panels"] = panels
    elif q.type == "ranking":
        ctx["rank_fields"] = [form[f"{q.name}{SEP}k{i}"] for i in range(len(q.choices)) if f"{q.name}{SEP}k{i}" in form.fields]
    return ctx


@register.filter
def describedby(field: Any, extra: str = "") -> str:
    ids = [f"{field.auto_id}_helptext"] if field.help_text else []
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    if extra:
        ids.append(extra)
    return " ".join(ids)
