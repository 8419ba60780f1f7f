from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import AccessibleFormMixin

FORMAT_HELP = _("Tom linje mellom avsnitt. «## » først på linjen gir en overskrift, «- » et punkt i en liste. "
                "Står feltet tomt, vises Vernes standardtekst.")  # fmt: skip


class InfoPageForm(AccessibleFormMixin, forms.Form):
    body_nb = forms.CharField(label=_("Tekst på bokmål"), required=False, help_text=FORMAT_HELP,
                              widget=forms.Textarea(attrs={"rows": 16}))  # fmt: skip
    body_nn = forms.CharField(label=_("Tekst på nynorsk"), required=False, help_text=FORMAT_HELP,
                              widget=forms.Textarea(attrs={"rows": 16}))  # fmt: skip
    body_en = forms.CharField(label=_("Tekst på engelsk"), required=False, help_text=FORMAT_HELP,
                              widget=forms.Textarea(attrs={"rows": 16}))  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._decorate_widgets()


class PersonRemoveForm(AccessibleFormMixin, forms.Form):
    ACTIONS = (("anonymise", _("Anonymiser")), ("delete", _("Slett")))

    action = forms.ChoiceField(choices=ACTIONS, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Grunn (valgfritt, uten personopplysninger)"), required=False, max_length=200)
    confirm = forms.BooleanField(
        label=_("Jeg bekrefter at personen har sluttet, og at dette ikke kan angres."), required=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._decorate_widgets()

    def add_service_error(self, error: Any) -> None:
        self.add_error(None, error.messages)
        self._decorate_widgets()
