"""Form helpers shared by every app: accessible markup for Designsystemet."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm


class AccessibleFormMixin:
    """Adds Designsystemet classes and ties hints and errors to inputs with aria-describedby."""

    fields: dict[str, forms.Field]

    def _decorate_widgets(self) -> None:
        # Only inspect errors that exist already: reading self.errors would trigger validation.
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
                continue
            css = "ds-checkbox" if isinstance(widget, forms.CheckboxInput) else "ds-input"
            widget.attrs.setdefault("class", css)
            auto_id = self[name].auto_id  # type: ignore[index]
            described = []
            if field.help_text:
                described.append(f"{auto_id}_helptext")
            if name in (getattr(self, "_errors", None) or {}):
                described.append(f"{auto_id}_error")
                widget.attrs["aria-invalid"] = "true"
            if described:
                widget.attrs["aria-describedby"] = " ".join(described)

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        self._decorate_widgets()


class LoginForm(AccessibleFormMixin, AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._decorate_widgets()
