"""What the wizard needs to know about one page, independent of the engine's internals.

`surveys.engine_api` fills these from the engine's run state; `surveys.wizard_forms`
turns them into Django forms and templates render them. Everything is already
localised and reflects the current answers (visibility, enabled, required, choices).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Choice:
    value: Any
    text: str
    visible: bool = True
    enabled: bool = True

    @property
    def key(self) -> str:
        """The value as it travels through an HTML form."""
        return choice_key(self.value)


def choice_key(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass(slots=True)
class Column:
    name: str
    title: str
    cell_type: str  # dropdown, checkbox, radiogroup, text, comment, boolean, expression, rating
    input_type: str = "text"
    choices: list[Choice] = field(default_factory=list)
    required: bool = False
    visible: bool = True
    enabled: bool = True
    min: Any = None
    max: Any = None
    value: Any = None  # single-select matrix: the column's own value (number or text)


@dataclass(slots=True)
class Cell:
    visible: bool = True
    enabled: bool = True
    required: bool = False
    value: Any = None


@dataclass(slots=True)
class Question:
    name: str
    type: str
    title: str
    description: str = ""
    visible: bool = True
    enabled: bool = True
    required: bool = False
    value: Any = None
    number: str = ""
    # text / comment
    input_type: str = "text"
    min: Any = None
    max: Any = None
    step: Any = None
    max_length: int | None = None
    placeholder: str = ""
    # selects
    choices: list[Choice] = field(default_factory=list)
    multiple: bool = False
    has_other: bool = False
    other_value: str = "other"
    other_text: str = ""
    other_comment: str = ""
    has_none: bool = False
    none_value: str = "none"
    has_select_all: bool = False
    select_all_text: str = ""
    has_comment: bool = False
    comment_title: str = ""
    comment: str = ""
    min_selected: int | None = None
    max_selected: int | None = None
    # boolean
    label_true: str = ""
    label_false: str = ""
    value_true: Any = True
    value_false: Any = False
    # rating
    min_rate_description: str = ""
    max_rate_description: str = ""
    # matrices
    rows: list[Choice] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    cells: dict[str, dict[str, Cell]] = field(default_factory=dict)  # row key -> column -> cell
    row_count: int = 0
    min_row_count: int = 0
    max_row_count: int | None = None
    can_add_rows: bool = False
    can_remove_rows: bool = False
    # multipletext items, paneldynamic panels
    items: list[Question] = field(default_factory=list)
    panels: list[list[Element]] = field(default_factory=list)
    min_panel_count: int = 0
    max_panel_count: int | None = None
    can_add_panels: bool = False
    can_remove_panels: bool = False
    # expression / html
    display_value: str = ""
    html: str = ""
    # Verne
    prefilled: bool = False
    sensitivity: str = "normal"

    @property
    def kind(self) -> str:
        return "question"

    @property
    def has_input(self) -> bool:
        return self.type not in {"html", "image", "expression"}


@dataclass(slots=True)
class Panel:
    name: str
    title: str
    description: str = ""
    visible: bool = True
    enabled: bool = True
    elements: list[Element] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return "panel"


Element = Question | Panel


@dataclass
class Page:
    name: str
    title: str
    description: str = ""
    elements: list[Element] = field(default_factory=list)

    def questions(self, *, visible_only: bool = False) -> list[Question]:
        out: list[Question] = []

        def walk(elements: list[Element], parent_visible: bool) -> None:
            for el in elements:
                shown = parent_visible and el.visible
                if isinstance(el, Panel):
                    walk(el.elements, shown)
                elif not visible_only or shown:
                    out.append(el)

        walk(self.elements, True)
        return out


@dataclass(slots=True)
class ErrorItem:
    key: str  # engine key: "q", "pd[0].q", "m[row].col", "mt.item", "panel:x", "page:x"
    type: str
    text: str
    notification: str = "error"  # error, warning, info

    @property
    def blocking(self) -> bool:
        return self.notification == "error"

    @property
    def question(self) -> str:
        """The top-level question (or container) the error belongs to."""
        key = self.key
        for sep in ("[", "."):
            if sep in key:
                key = key.split(sep, 1)[0]
        return key
