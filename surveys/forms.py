"""Admin-side forms for questionnaires and campaigns (the wizard builds its forms at run time)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import AccessibleFormMixin
from core.models import OrgUnit

from .models import Mode, QuestionnaireVersion


class DateInput(forms.DateInput):
    input_type = "date"


class CampaignForm(AccessibleFormMixin, forms.Form):
    version = forms.ModelChoiceField(
        label=_("Spørreskjema"), queryset=QuestionnaireVersion.objects.none(), empty_label=None
    )
    title = forms.CharField(label=_("Tittel"), max_length=200)
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100)
    mode = forms.ChoiceField(label=_("Svarmodus"), choices=Mode.choices)
    opens_on = forms.DateField(label=_("Åpner"), widget=DateInput)
    closes_on = forms.DateField(label=_("Frist"), widget=DateInput)
    units = forms.ModelMultipleChoiceField(
        label=_("Enheter"),
        queryset=OrgUnit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Velg enhetene kampanjen gjelder."),
    )
    open_now = forms.BooleanField(label=_("Åpne kampanjen med en gang"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        latest: dict[int, int] = {}
        for pk, questionnaire_id in QuestionnaireVersion.objects.order_by("-number").values_list(
            "pk", "questionnaire_id"
        ):
            latest.setdefault(questionnaire_id, pk)
        latest_ids = list(latest.values())
        self.fields["version"].queryset = QuestionnaireVersion.objects.filter(pk__in=latest_ids).select_related(
            "questionnaire"
        )
        self.fields["units"].queryset = OrgUnit.objects.active(today).exclude(parent__isnull=True).order_by("path")
        self.fields["year"].initial = today.year
        self.fields["opens_on"].initial = today
        self.fields["closes_on"].initial = today + dt.timedelta(days=30)
        self._decorate_widgets()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("Fristen kan ikke være før åpningsdatoen."))
        return data


class AnnualReportIssueForm(AccessibleFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Rapporteringsår"), min_value=2000, max_value=2100)
    opens_on = forms.DateField(label=_("Åpner"), widget=DateInput)
    closes_on = forms.DateField(label=_("Frist"), widget=DateInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["opens_on"].initial = today
        self.fields["closes_on"].initial = today + dt.timedelta(days=45)
        self._decorate_widgets()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("Fristen kan ikke være før åpningsdatoen."))
        return data


class QuestionnaireUploadForm(AccessibleFormMixin, forms.Form):
    file = forms.FileField(label=_("SurveyJS JSON-fil"), help_text=_("Maks 2 MB."))
    note = forms.CharField(label=_("Endringsnotat"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._decorate_widgets()

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("Filen er for stor (maks 2 MB)."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(_("Filen er ikke UTF-8-tekst.")) from exc


class ReopenForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(label=_("Grunn til gjenåpning"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._decorate_widgets()
