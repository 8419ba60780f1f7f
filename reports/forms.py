"""Forms of the reports app (goals, template upload). Validation of meaning is in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import AccessibleFormMixin

from .models import HmsGoal, ReportTemplate


class GoalForm(AccessibleFormMixin, forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100)
    indicator = forms.ChoiceField(label=_("Indikator"), choices=HmsGoal.Indicator.choices)
    measure = forms.ChoiceField(
        label=_("Spørsmål eller dimensjon"), required=False,
        help_text=_("Bare for mål fra HMS-barometeret og arbeidsmiljøundersøkelsen."),
    )  # fmt: skip
    target_value = forms.DecimalField(
        label=_("Målverdi"), required=False, max_digits=8, decimal_places=2,
        help_text=_("H2: målet er en verdi under dette. Barometeret: andel positive svar i prosent. Arbeidsmiljø: skår 0–100."),
    )  # fmt: skip
    target_date = forms.DateField(
        label=_("Frist"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For HMS-årsrapportene: datoen alle skal være signert innen, for eksempel 1. mars."),
    )  # fmt: skip
    description = forms.CharField(label=_("Beskrivelse"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, measures: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = [("", "–"), *(measures or [])]
        self.fields["year"].initial = timezone.localdate().year
        self._decorate_widgets()


class TemplateUploadForm(AccessibleFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Rapport"), choices=ReportTemplate.Kind.choices)
    file = forms.FileField(label=_("Word-mal (.docx)"), help_text=_("Største filstørrelse er 5 MB."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._decorate_widgets()
