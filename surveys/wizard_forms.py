"""Django forms built at run time from a wizard page (surveys.pagemodel.Page).

Every field is optional for Django: whether an answer is required, and every other
rule, is decided by the engine, so the server accepts exactly what survey-core would.
Posted strings travel to the engine like a respondent's typing (`run.answer`), which
converts them the way survey-core does. Field names never contain the question's own
text: rows, columns, items and panels are addressed by index.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .pagemodel import Choice, Column, ErrorItem, Page, Panel, Question, choice_key

SEP = "__"
Validator = Callable[[dict[str, Any]], list[ErrorItem]]


@dataclass
class Slot:
    """Where a form field's value goes: question, and inside it row/column/item/panel."""

    question: str
    part: str = "value"  # value, comment, other, row, cell, item, panel, rank
    row: int | None = None
    column: str | None = None
    item: str | None = None
    panel: int | None = None
    sub: str | None = None
    # Inside a dynamic panel: the field's name and slot in the template question's own form.
    inner: str | None = None
    inner_slot: Slot | None = None


def _choices(choices: list[Choice]) -> list[tuple[str, str]]:
    return [(c.key, c.text) for c in choices if c.visible]


def _map_choice(key: str, choices: list[Choice]) -> Any:
    for c in choices:
        if c.key == key:
            return c.value
    return key  # unknown: let the engine decide (survey-core keeps it as "other")


def _text_widget(q: Question | Column, attrs: dict[str, Any]) -> forms.Widget:
    input_type = q.input_type or "text"
    if input_type in {"number", "range"}:
        # type=text with a decimal keyboard: Norwegian decimals use a comma, which
        # <input type=number> rejects in several browsers; the engine converts.
        return forms.TextInput(attrs={**attrs, "inputmode": "decimal", "autocomplete": "off"})
    if input_type in {"date", "datetime-local", "month", "week", "time", "email", "tel", "url", "color"}:
        widget = forms.TextInput(attrs=attrs)
        widget.input_type = input_type
        return widget
    return forms.TextInput(attrs=attrs)


def _text(raw: Any) -> Any:
    """Browsers post textarea line breaks as CRLF; the DOM value (what survey-core stores) has LF."""
    return raw.replace("\r\n", "\n") if isinstance(raw, str) else raw


class PageForm(forms.Form):
    """One wizard page. `slots` maps field names to answer locations."""

    page: Page
    slots: dict[str, Slot]
    validator: Validator | None = None

    def __init__(self, *args: Any, validator: Validator | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.validator = validator
        self.engine_errors: list[ErrorItem] = []
        self.warnings: list[ErrorItem] = []

    # -- values ------------------------------------------------------------------------------
    def page_values(self) -> dict[str, Any]:
        """Question name -> value as the respondent gave it (None when left empty)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        values: dict[str, Any] = {}
        by_name = {q.name: q for q in self.page.questions()}
        for q in by_name.values():
            if not q.has_input:
                continue
            values[q.name] = _collect(q, data, self.slots)
            if q.has_comment or q.has_other:
                comment = _text(data.get(f"{q.name}-Comment"))
                if comment not in (None, ""):
                    values[f"{q.name}-Comment"] = comment
                else:
                    values[f"{q.name}-Comment"] = None
        return values

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.validator is not None:
            errors = self.validator(self.page_values())
            self.add_engine_errors(errors)
        return data

    def add_engine_errors(self, errors: list[ErrorItem]) -> None:
        for err in errors:
            if not err.blocking:
                self.warnings.append(err)
                continue
            self.engine_errors.append(err)
            field_name = self.field_for_error(err)
            if field_name and field_name in self.fields:
                self.add_error(field_name, err.text)
            else:
                self.add_error(None, err.text)

    def summary(self) -> list[tuple[str, str]]:
        """(question, message) for the error summary: the engine's errors, then Django's own
        (an impossible choice posted by a stale page), each once."""
        out: list[tuple[str, str]] = [(e.question, e.text) for e in self.engine_errors]
        seen = {text for _, text in out}
        for name, errors in self.errors.items():
            slot = self.slots.get(name)
            for text in errors:
                if text not in seen:
                    out.append((slot.question if slot else "", text))
                    seen.add(text)
        return out

    def question_errors(self, question: str) -> list[str]:
        texts = [e.text for e in self.engine_errors if e.question == question]
        for name, slot in self.slots.items():
            if slot.question == question and name in self.errors:
                texts.extend(t for t in self.errors[name] if t not in texts)
        return texts

    def field_for_error(self, err: ErrorItem) -> str | None:
        """The first form field that belongs to the engine's error key."""
        key = err.key
        if key.startswith(("panel:", "page:")):
            return None
        question = err.question
        candidates = [name for name, slot in self.slots.items() if slot.question == question]
        if not candidates:
            return None
        if "[" in key or "." in key:
            # m[row].col / pd[i].q / mt.item: find the matching slot
            for name in candidates:
                slot = self.slots[name]
                if slot.item and key.endswith(f".{slot.item}"):
                    return name
                if slot.sub and slot.panel is not None and key.startswith(f"{question}[{slot.panel}].") and key.endswith(f".{slot.sub}"):
                    return name
                if slot.column and key.endswith(f".{slot.column}") and slot.row is not None and self.row_key(question, slot.row) in key:
                    return name
        return candidates[0]

    def row_key(self, question: str, index: int) -> str:
        for q in self.page.questions():
            if q.name == question:
                if q.type == "matrixdynamic":
                    return f"[{index}]"
                if index < len(q.rows):
                    return f"[{q.rows[index].key}]"
        return f"[{index}]"

    def question_fields(self, question: str) -> list[forms.BoundField]:
        return [self[name] for name, slot in self.slots.items() if slot.question == question]


def _collect(q: Question, data: dict[str, Any], slots: dict[str, Slot]) -> Any:
    fields = {name: slot for name, slot in slots.items() if slot.question == q.name}
    if q.type in {"matrix"}:
        value: dict[str, Any] = {}
        for name, slot in fields.items():
            if slot.part == "row" and slot.row is not None and data.get(name):
                columns = [Choice(value=c.name if c.value is None else c.value, text=c.title) for c in q.columns]
                value[q.rows[slot.row].key] = _map_choice(data[name], columns)
        return value or None
    if q.type in {"matrixdropdown", "matrixdynamic"}:
        rows: dict[int, dict[str, Any]] = {}
        for name, slot in fields.items():
            if slot.part != "cell" or slot.row is None or slot.column is None:
                continue
            column = next((c for c in q.columns if c.name == slot.column), None)
            raw = data.get(name)
            cell = _cell_value(column, raw) if column else raw
            row = rows.setdefault(slot.row, {})
            if cell not in (None, "", []):
                row[slot.column] = cell
        if q.type == "matrixdynamic":
            count = max([q.row_count, *(i + 1 for i in rows)]) if rows or q.row_count else 0
            return [rows.get(i, {}) for i in range(count)] or None
        result = {}
        for index, row in rows.items():
            if row:
                result[q.rows[index].value] = row
        return result or None
    if q.type == "multipletext":
        value = {}
        for name, slot in fields.items():
            if slot.part == "item" and slot.item and data.get(name) not in (None, ""):
                value[slot.item] = _text(data[name])
        return value or None
    if q.type == "paneldynamic":
        # Group the fields by (panel, template question) and collect each template question
        # with its own form's slots, so any type (a nested dynamic panel too) keeps its shape.
        groups: dict[tuple[int, str], tuple[dict[str, Any], dict[str, Slot]]] = {}
        for name, slot in fields.items():
            if slot.part != "panel" or slot.panel is None or slot.sub is None or slot.inner is None:
                continue
            inner_data, inner_slots = groups.setdefault((slot.panel, slot.sub), ({}, {}))
            inner_data[slot.inner] = data.get(name)
            assert slot.inner_slot is not None
            inner_slots[slot.inner] = slot.inner_slot
        panels: dict[int, dict[str, Any]] = {}
        for (index, sub_name), (inner_data, inner_slots) in groups.items():
            sub = _template_question(q, index, sub_name)
            if sub is None:
                continue
            val = _collect(sub, inner_data, inner_slots)
            panel = panels.setdefault(index, {})
            if val not in (None, "", [], {}):
                panel[sub_name] = val
            comment = inner_data.get(f"{sub_name}-Comment")
            if comment not in (None, ""):
                panel[f"{sub_name}-Comment"] = _text(comment)
        count = max([len(q.panels), *(i + 1 for i in panels)]) if panels or q.panels else 0
        return [panels.get(i, {}) for i in range(count)] or None
    if q.type == "ranking":
        ranks = []
        for name, slot in fields.items():
            if slot.part == "rank" and slot.row is not None and data.get(name):
                ranks.append((int(data[name]), slot.row))
        if not ranks:
            return None
        return [q.choices[i].value for _rank, i in sorted(ranks)]
    name = q.name
    return _simple_value(q, data.get(name))


def _template_question(q: Question, panel: int, sub: str) -> Question | None:
    if panel >= len(q.panels):
        return None
    for el in _flatten(q.panels[panel]):
        if el.name == sub:
            return el
    return None


def _flatten(elements: list[Any]) -> list[Question]:
    out: list[Question] = []
    for el in elements:
        if isinstance(el, Panel):
            out.extend(_flatten(el.elements))
        else:
            out.append(el)
    return out


def _cell_value(column: Column, raw: Any) -> Any:
    raw = _text(raw)
    if raw in (None, "", []):
        return None
    if column.cell_type in {"dropdown", "radiogroup", "rating"}:
        return _map_choice(raw, column.choices)
    if column.cell_type in {"checkbox", "tagbox"}:
        return [_map_choice(v, column.choices) for v in raw]
    if column.cell_type == "boolean":
        return raw == "true"
    return raw


def _simple_value(q: Question, raw: Any) -> Any:
    raw = _text(raw)
    if raw in (None, "", []):
        return None
    if q.type in {"radiogroup", "dropdown", "rating", "imagepicker"} and not q.multiple:
        return _map_choice(raw, q.choices)
    if q.type in {"checkbox", "tagbox"} or (q.type == "imagepicker" and q.multiple):
        return [_map_choice(v, q.choices) for v in raw]
    if q.type == "boolean":
        return q.value_true if raw == "true" else q.value_false
    return raw


# ------------------------------------------------------------------------------- building


def _described(name: str) -> dict[str, str]:
    return {"aria-describedby": f"id_{name}_hint"}


def build_page_form(page: Page, *, prefix_page: str | None = None) -> type[PageForm]:
    """A form class for the page's questions (all of them; hidden ones are rendered hidden)."""
    fields: dict[str, forms.Field] = {}
    slots: dict[str, Slot] = {}

    def add(name: str, field: forms.Field, slot: Slot) -> None:
        fields[name] = field
        slots[name] = slot

    def add_question(q: Question, base: str, slot_for: Callable[[str], Slot]) -> None:
        attrs: dict[str, Any] = {}
        if q.type in {"text"}:
            add(base, forms.CharField(required=False, label=q.title, widget=_text_widget(q, attrs), strip=False), slot_for("value"))
        elif q.type == "comment":
            add(base, forms.CharField(required=False, label=q.title, widget=forms.Textarea(attrs={"rows": 4}), strip=False), slot_for("value"))
        elif q.type in {"radiogroup", "rating"} or (q.type == "imagepicker" and not q.multiple):
            choices = _choices(q.choices)
            add(base, forms.ChoiceField(required=False, label=q.title, choices=choices, widget=forms.RadioSelect), slot_for("value"))
        elif q.type == "dropdown":
            choices = [("", _("Velg …")), *_choices(q.choices)]
            add(base, forms.ChoiceField(required=False, label=q.title, choices=choices), slot_for("value"))
        elif q.type in {"checkbox", "tagbox"} or (q.type == "imagepicker" and q.multiple):
            add(base, forms.MultipleChoiceField(required=False, label=q.title, choices=_choices(q.choices), widget=forms.CheckboxSelectMultiple), slot_for("value"))
        elif q.type == "boolean":
            choices = [("true", q.label_true or _("Ja")), ("false", q.label_false or _("Nei"))]
            add(base, forms.ChoiceField(required=False, label=q.title, choices=choices, widget=forms.RadioSelect), slot_for("value"))
        elif q.type == "slider":
            add(base, forms.CharField(required=False, label=q.title, widget=forms.TextInput(attrs={"inputmode": "decimal"})), slot_for("value"))
        elif q.type == "ranking":
            n = len(q.choices)
            rank_choices = [("", "–"), *((str(i), str(i)) for i in range(1, n + 1))]
            for i, c in enumerate(q.choices):
                add(f"{base}{SEP}k{i}", forms.ChoiceField(required=False, label=c.text, choices=rank_choices), Slot(question=q.name, part="rank", row=i))
        elif q.type == "matrix":
            col_choices = [(choice_key(c.name), c.title) for c in q.columns if c.visible]
            for i, row in enumerate(q.rows):
                add(f"{base}{SEP}r{i}", forms.ChoiceField(required=False, label=row.text, choices=col_choices, widget=forms.RadioSelect), Slot(question=q.name, part="row", row=i))
        elif q.type in {"matrixdropdown", "matrixdynamic"}:
            row_count = q.row_count if q.type == "matrixdynamic" else len(q.rows)
            for i in range(row_count):
                for col in q.columns:
                    add(f"{base}{SEP}r{i}{SEP}{col.name}", _cell_field(col), Slot(question=q.name, part="cell", row=i, column=col.name))
        elif q.type == "multipletext":
            for item in q.items:
                add(f"{base}{SEP}{item.name}", forms.CharField(required=False, label=item.title, widget=_text_widget(item, {}), strip=False), Slot(question=q.name, part="item", item=item.name))
        elif q.type == "paneldynamic":
            for p, elements in enumerate(q.panels):
                for sub in _flatten(elements):
                    if not sub.has_input:
                        continue
                    sub_form = build_page_form(Page(name="", title="", elements=[sub]))
                    for fname, field in sub_form.base_fields.items():
                        add(
                            f"{base}{SEP}p{p}{SEP}{fname}",
                            field,
                            Slot(question=q.name, part="panel", panel=p, sub=sub.name, inner=fname,
                                 inner_slot=sub_form.slots[fname]),
                        )  # fmt: skip
        if (q.has_comment or q.has_other) and q.type not in {"matrix", "matrixdropdown", "matrixdynamic", "paneldynamic", "multipletext"}:
            label = q.comment_title if q.has_comment else (q.other_text or _("Annet (beskriv)"))
            add(f"{q.name}-Comment", forms.CharField(required=False, label=label, widget=forms.Textarea(attrs={"rows": 2}), strip=False), Slot(question=q.name, part="comment"))

    for q in page.questions():
        if q.has_input:
            add_question(q, q.name, lambda part, q=q: Slot(question=q.name, part=part))
    for field in fields.values():
        # Designsystemet styles radios and checkboxes through the ds-input class.
        if isinstance(field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
            field.widget.attrs.setdefault("class", "ds-input")

    attrs: dict[str, Any] = {**fields, "page": page, "slots": slots, "__module__": __name__}
    return type(f"PageForm_{page.name or 'panel'}", (PageForm,), attrs)


def _cell_field(col: Column) -> forms.Field:
    if col.cell_type in {"dropdown"}:
        return forms.ChoiceField(required=False, label=col.title, choices=[("", "–"), *_choices(col.choices)])
    if col.cell_type in {"radiogroup", "rating"}:
        return forms.ChoiceField(required=False, label=col.title, choices=_choices(col.choices), widget=forms.RadioSelect)
    if col.cell_type in {"checkbox", "tagbox"}:
        return forms.MultipleChoiceField(required=False, label=col.title, choices=_choices(col.choices), widget=forms.CheckboxSelectMultiple)
    if col.cell_type == "boolean":
        return forms.ChoiceField(required=False, label=col.title, choices=[("", "–"), ("true", _("Ja")), ("false", _("Nei"))])
    if col.cell_type == "comment":
        return forms.CharField(required=False, label=col.title, widget=forms.Textarea(attrs={"rows": 2}), strip=False)
    return forms.CharField(required=False, label=col.title, widget=_text_widget(col, {}), strip=False)


def initial_for(form_class: type[PageForm], answers: dict[str, Any]) -> dict[str, Any]:
    """Initial field values from saved answers (the inverse of page_values)."""
    questions = {q.name: q for q in form_class.page.questions()}
    return _initial(questions, form_class.slots, answers)


def _initial(questions: dict[str, Question], slots: dict[str, Slot], answers: dict[str, Any]) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    panel_groups: dict[tuple[str, int, str], dict[str, tuple[str, Slot]]] = {}
    for name, slot in slots.items():
        q = questions.get(slot.question)
        if q is None:
            continue
        value = answers.get(q.name)
        if slot.part == "comment":
            initial[name] = answers.get(f"{q.name}-Comment", "")
        elif slot.part == "value":
            initial[name] = _to_field(q, value)
        elif slot.part == "row" and isinstance(value, dict) and slot.row is not None:
            row = q.rows[slot.row]
            cell = value.get(row.key, value.get(row.value)) if isinstance(row.value, str) else value.get(row.value)
            initial[name] = choice_key(cell) if cell is not None else ""
        elif slot.part == "cell" and slot.row is not None and slot.column:
            if q.type == "matrixdynamic" and isinstance(value, list) and slot.row < len(value):
                cell = (value[slot.row] or {}).get(slot.column)
            elif q.type == "matrixdropdown" and isinstance(value, dict) and slot.row < len(q.rows):
                cell = (value.get(q.rows[slot.row].value) or value.get(q.rows[slot.row].key) or {}).get(slot.column)
            else:
                cell = None
            initial[name] = _field_cell(cell)
        elif slot.part == "item" and isinstance(value, dict) and slot.item:
            item = value.get(slot.item)
            initial[name] = "" if item is None else str(item)
        elif slot.part == "panel" and slot.panel is not None and slot.sub and slot.inner and slot.inner_slot:
            panel_groups.setdefault((q.name, slot.panel, slot.sub), {})[slot.inner] = (name, slot.inner_slot)
        elif slot.part == "rank" and isinstance(value, list) and slot.row is not None:
            wanted = q.choices[slot.row].value
            initial[name] = str(value.index(wanted) + 1) if wanted in value else ""
    for (qname, index, sub_name), inner in panel_groups.items():
        q = questions[qname]
        sub = _template_question(q, index, sub_name)
        value = answers.get(qname)
        panel = value[index] if isinstance(value, list) and index < len(value) and isinstance(value[index], dict) else {}
        if sub is None:
            continue
        inner_initial = _initial({sub.name: sub}, {k: s for k, (_, s) in inner.items()}, panel)
        for inner_name, (outer_name, _slot) in inner.items():
            if inner_name in inner_initial:
                initial[outer_name] = inner_initial[inner_name]
    return initial


def _field_cell(cell: Any) -> Any:
    if cell is None:
        return ""
    if isinstance(cell, list):
        return [choice_key(v) for v in cell]
    return choice_key(cell)


def _to_field(q: Question, value: Any) -> Any:
    if value is None:
        return [] if q.type in {"checkbox", "tagbox"} else ""
    if q.type == "boolean":
        if value == q.value_true:
            return "true"
        if value == q.value_false:
            return "false"
        return ""
    if isinstance(value, list):
        return [choice_key(v) for v in value]
    if isinstance(value, (dict,)):
        return ""
    return choice_key(value) if not isinstance(value, str) else value
