"""Forms for follow-up work: input parsing and field-level checks only (rules live in services)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import AccessibleFormMixin
from core.models import OrgUnit, User

from .models import (
    ActionItem,
    AnnualCycleItem,
    Deviation,
    Priority,
    RiskAssessment,
    RiskRow,
    RoundFinding,
)

SCALE_CHOICES = [("", "–"), *[(str(i), str(i)) for i in range(1, 6)]]
PROBABILITY_CHOICES = [
    ("", "–"),
    ("1", _("1 – svært lite sannsynlig (sjeldnere enn hvert 10. år)")),
    ("2", _("2 – lite sannsynlig (hvert 5.–10. år)")),
    ("3", _("3 – mulig (hvert 1.–5. år)")),
    ("4", _("4 – sannsynlig (månedlig til årlig)")),
    ("5", _("5 – svært sannsynlig (månedlig eller oftere)")),
]
CONSEQUENCE_CHOICES = [
    ("", "–"),
    ("1", _("1 – ingen skade, førstehjelp")),
    ("2", _("2 – mindre skade uten fravær")),
    ("3", _("3 – skade med fravær, blir frisk")),
    ("4", _("4 – alvorlig skade, mulig varig")),
    ("5", _("5 – død eller varig uførhet")),
]
SEVERITY_CHOICES = CONSEQUENCE_CHOICES


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Zero or more image files (the services check and clean them)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/*"}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class WfForm(AccessibleFormMixin, forms.Form):
    """A form with Designsystemet classes on its widgets from the start."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.CheckboxInput):
                widget.attrs["class"] = "ds-input"
        self._decorate_widgets()
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs["class"] = "ds-input"

    def add_service_error(self, error: ValidationError) -> None:
        """Show a service's ValidationError on the fields it names (or at the top)."""
        if hasattr(error, "error_dict"):
            for name, messages in error.error_dict.items():
                self.add_error(name if name in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)
        self._decorate_widgets()


def person_label(user: User) -> str:
    return user.get_full_name() or user.username


class PersonChoiceField(forms.ModelChoiceField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("empty_label", _("Velg person"))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return person_label(obj)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return person_label(obj)


def people_queryset(people: Iterable[User]) -> forms.models.QuerySet:
    ids = {p.pk for p in people}
    return User.objects.filter(pk__in=ids, is_active=True).order_by("first_name", "last_name", "username")


# ----------------------------------------------------------------------------- actions


class ActionCreateForm(WfForm):
    title = forms.CharField(label=_("Hva skal gjøres"), max_length=300)
    description = forms.CharField(label=_("Beskrivelse"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    owner = PersonChoiceField(label=_("Ansvarlig"), queryset=User.objects.none(), required=False)
    due_date = forms.DateField(label=_("Frist"), widget=DateInput(), required=False)
    cost_estimate = forms.DecimalField(label=_("Kostnadsoverslag (kr)"), min_value=0, max_digits=12,
                                       decimal_places=0, required=False)  # fmt: skip
    priority = forms.ChoiceField(label=_("Prioritet"), choices=Priority.choices, initial=Priority.MEDIUM)
    confirm = forms.BooleanField(
        label=_("Bekreft tiltaket nå (ansvarlig og frist må være satt)"), required=False,
        help_text=_("Ellers blir tiltaket et forslag som leder bekrefter."),
    )  # fmt: skip

    def __init__(self, *args: Any, people: Sequence[User] = (), may_confirm: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people_queryset(people)
        if not may_confirm:
            del self.fields["confirm"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("confirm"):
            if not data.get("owner"):
                self.add_error("owner", _("Velg hvem som er ansvarlig."))
            if not data.get("due_date"):
                self.add_error("due_date", _("Sett en frist."))
        return data


class ActionConfirmForm(WfForm):
    owner = PersonChoiceField(label=_("Ansvarlig"), queryset=User.objects.none())
    due_date = forms.DateField(label=_("Frist"), widget=DateInput())
    cost_estimate = forms.DecimalField(label=_("Kostnadsoverslag (kr)"), min_value=0, max_digits=12,
                                       decimal_places=0, required=False)  # fmt: skip
    priority = forms.ChoiceField(label=_("Prioritet"), choices=Priority.choices)

    def __init__(self, *args: Any, people: Sequence[User] = (), **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "confirm")
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people_queryset(people)


class ActionUpdateForm(ActionConfirmForm):
    title = forms.CharField(label=_("Hva skal gjøres"), max_length=300)
    reason = forms.CharField(label=_("Hvorfor endres tiltaket"), max_length=500)

    field_order = ["title", "owner", "due_date", "cost_estimate", "priority", "reason"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "update")
        super().__init__(*args, **kwargs)


class ReasonForm(WfForm):
    reason = forms.CharField(label=_("Begrunnelse"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args: Any, label: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label


class CompleteForm(WfForm):
    note = forms.CharField(label=_("Hva ble gjort"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "complete")
        super().__init__(*args, **kwargs)


class VerifyForm(WfForm):
    note = forms.CharField(label=_("Merknad (valgfritt)"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "verify")
        super().__init__(*args, **kwargs)


STATUS_FILTER_CHOICES = [(s.value, s.label) for s in ActionItem.Status]
SORT_CHOICES = [
    ("due", _("Frist (tidligst først)")),
    ("-due", _("Frist (senest først)")),
    ("priority", _("Prioritet")),
    ("status", _("Status")),
    ("title", _("Tittel")),
    ("created", _("Nyeste først")),
]


class ActionPlanFilterForm(WfForm):
    status = forms.MultipleChoiceField(
        label=_("Status"), choices=STATUS_FILTER_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    year = forms.IntegerField(label=_("År"), required=False, min_value=2000, max_value=2100)
    source = forms.ChoiceField(label=_("Kilde"), choices=[("", _("Alle")), *ActionItem.Source.choices], required=False)
    overdue = forms.BooleanField(label=_("Bare tiltak over frist"), required=False)
    mine = forms.BooleanField(label=_("Bare mine tiltak"), required=False)
    subunits = forms.BooleanField(label=_("Ta med underenheter"), required=False)
    sort = forms.ChoiceField(label=_("Sorter etter"), choices=SORT_CHOICES, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "filter_%s")
        super().__init__(*args, **kwargs)


# ----------------------------------------------------------------------------- deviations


class DeviationReportForm(WfForm):
    unit = forms.ModelChoiceField(label=_("Enhet"), queryset=OrgUnit.objects.none(), empty_label=None)
    category = forms.ChoiceField(label=_("Hva slags hendelse"), choices=Deviation.Category.choices,
                                 widget=forms.RadioSelect)  # fmt: skip
    what = forms.CharField(
        label=_("Hva skjedde"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000,
        help_text=_("Beskriv hendelsen. Ikke skriv navn eller helseopplysninger."),
    )  # fmt: skip
    location = forms.CharField(label=_("Hvor"), max_length=300, help_text=_("Bygg, rom eller sted."))
    occurred_at = forms.DateTimeField(label=_("Når"), widget=DateTimeInput())
    immediate_measures = forms.CharField(
        label=_("Strakstiltak (valgfritt)"), required=False, max_length=3000,
        widget=forms.Textarea(attrs={"rows": 2}), help_text=_("Hva ble gjort med en gang?"),
    )  # fmt: skip
    involved_party = forms.ChoiceField(
        label=_("Hvem var involvert"), choices=Deviation.Party.choices, initial=Deviation.Party.OWN,
        help_text=_("Velg entreprenør eller innleid når en ekstern arbeidstaker var involvert."),
    )  # fmt: skip
    injury_class = forms.ChoiceField(
        label=_("Skadeklasse (bare personskade)"), required=False,
        choices=[("", "–"), *Deviation.InjuryClass.choices],
    )  # fmt: skip
    serious_injury = forms.BooleanField(
        label=_("Alvorlig personskade"), required=False,
        help_text=_("Dødsfall og alvorlig personskade skal straks varsles til Arbeidstilsynet og politiet."),
    )  # fmt: skip
    absence_days = forms.IntegerField(label=_("Fraværsdager (skade med fravær)"), required=False, min_value=0,
                                      max_value=3650)  # fmt: skip
    actual_severity = forms.TypedChoiceField(label=_("Faktisk alvorlighet"), choices=SEVERITY_CHOICES,
                                             coerce=int, empty_value=None, required=False)  # fmt: skip
    potential_severity = forms.TypedChoiceField(
        label=_("Mulig alvorlighet"), choices=SEVERITY_CHOICES, coerce=int, empty_value=None, required=False,
        help_text=_("Hvor ille kunne det ha gått under litt andre omstendigheter?"),
    )  # fmt: skip
    high_potential = forms.BooleanField(
        label=_("Stort skadepotensial (HRI)"), required=False,
        help_text=_("Kunne hendelsen under litt andre omstendigheter ha ført til alvorlig personskade eller død?"),
    )  # fmt: skip
    photos = MultiplePhotoField(label=_("Bilder (valgfritt)"), help_text=_("Høyst fem bilder. Posisjon og andre skjulte data fjernes."))
    anonymous = forms.BooleanField(
        label=_("Meld uten navn"), required=False,
        help_text=_("Ingen registrerer hvem som meldte. Du får en kvitteringskode for å følge saken."),
    )  # fmt: skip

    def __init__(self, *args: Any, units: Any = None, allow_anonymous: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else OrgUnit.objects.none()
        if not allow_anonymous:
            del self.fields["anonymous"]
        if not self.is_bound:
            self.initial.setdefault("occurred_at", timezone.localtime().replace(second=0, microsecond=0))

    def clean_occurred_at(self) -> dt.datetime:
        value = self.cleaned_data["occurred_at"]
        if value > timezone.now() + dt.timedelta(minutes=10):
            raise ValidationError(_("Tidspunktet kan ikke være i fremtiden."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("category") == Deviation.Category.INJURY and not data.get("injury_class"):
            self.add_error("injury_class", _("Velg skadeklasse for personskaden."))
        if data.get("absence_days") and data.get("injury_class") != Deviation.InjuryClass.LOST_TIME:
            self.add_error("absence_days", _("Fraværsdager gjelder bare skader med fravær."))
        return data


class DeviationReviewForm(WfForm):
    case_handler = PersonChoiceField(label=_("Saksbehandler"), queryset=User.objects.none())
    deadline = forms.DateField(label=_("Frist for behandling"), widget=DateInput())

    def __init__(self, *args: Any, people: Sequence[User] = (), **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "review")
        super().__init__(*args, **kwargs)
        self.fields["case_handler"].queryset = people_queryset(people)


class DeviationUpdateForm(WfForm):
    category = forms.ChoiceField(label=_("Kategori"), choices=Deviation.Category.choices)
    what = forms.CharField(label=_("Hva skjedde"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000,
                           help_text=_("Fjern navn og helseopplysninger fra teksten."))  # fmt: skip
    location = forms.CharField(label=_("Hvor"), max_length=300)
    involved_party = forms.ChoiceField(label=_("Hvem var involvert"), choices=Deviation.Party.choices)
    injury_class = forms.ChoiceField(label=_("Skadeklasse"), required=False,
                                     choices=[("", "–"), *Deviation.InjuryClass.choices])  # fmt: skip
    serious_injury = forms.BooleanField(label=_("Alvorlig personskade"), required=False)
    absence_days = forms.IntegerField(label=_("Fraværsdager"), required=False, min_value=0, max_value=3650)
    actual_severity = forms.TypedChoiceField(label=_("Faktisk alvorlighet"), choices=SEVERITY_CHOICES,
                                             coerce=int, empty_value=None, required=False)  # fmt: skip
    potential_severity = forms.TypedChoiceField(label=_("Mulig alvorlighet"), choices=SEVERITY_CHOICES,
                                                coerce=int, empty_value=None, required=False)  # fmt: skip
    high_potential = forms.BooleanField(label=_("Stort skadepotensial (HRI)"), required=False)
    cause_analysis = forms.CharField(label=_("Årsaksanalyse"), widget=forms.Textarea(attrs={"rows": 4}),
                                     required=False, max_length=8000)  # fmt: skip
    feedback_to_reporter = forms.CharField(
        label=_("Tilbakemelding til melder"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
        max_length=4000, help_text=_("Vises for melderen, også når avviket er meldt uten navn."),
    )  # fmt: skip
    deadline = forms.DateField(label=_("Frist for behandling"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "update")
        super().__init__(*args, **kwargs)


class MeasureForm(WfForm):
    title = forms.CharField(label=_("Tiltak"), max_length=300)
    description = forms.CharField(label=_("Beskrivelse"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    owner = PersonChoiceField(label=_("Ansvarlig"), queryset=User.objects.none(), required=False)
    due_date = forms.DateField(label=_("Frist"), widget=DateInput(), required=False)
    cost_estimate = forms.DecimalField(label=_("Kostnadsoverslag (kr)"), min_value=0, max_digits=12,
                                       decimal_places=0, required=False)  # fmt: skip
    priority = forms.ChoiceField(label=_("Prioritet"), choices=Priority.choices, initial=Priority.MEDIUM)

    def __init__(self, *args: Any, people: Sequence[User] = (), **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "measure")
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people_queryset(people)


class PlanMeasuresForm(WfForm):
    cause_analysis = forms.CharField(label=_("Årsaksanalyse"), widget=forms.Textarea(attrs={"rows": 4}), max_length=8000)
    no_measures_reason = forms.CharField(
        label=_("Hvis ingen tiltak trengs: hvorfor"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
        max_length=2000,
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "plan")
        super().__init__(*args, **kwargs)


class CloseDeviationForm(WfForm):
    closing_comment = forms.CharField(
        label=_("Hindrer tiltakene at det skjer igjen?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    lessons_learned = forms.CharField(label=_("Hva lærte vi"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    feedback_to_reporter = forms.CharField(
        label=_("Tilbakemelding til melder"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
        max_length=4000, help_text=_("Vises for melderen, også når avviket er meldt uten navn."),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "close")
        super().__init__(*args, **kwargs)


class NoticeForm(WfForm):
    authority = forms.ChoiceField(
        label=_("Hvem ble varslet"), widget=forms.RadioSelect,
        choices=[("arbeidstilsynet", _("Arbeidstilsynet")), ("police", _("Politiet"))],
    )  # fmt: skip
    notified_at = forms.DateTimeField(label=_("Når"), widget=DateTimeInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "notice")
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("notified_at", timezone.localtime().replace(second=0, microsecond=0))


class PhotoForm(WfForm):
    photos = MultiplePhotoField(label=_("Bilder"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "photo")
        super().__init__(*args, **kwargs)


class ReceiptForm(WfForm):
    code = forms.CharField(label=_("Kvitteringskode"), max_length=40, help_text=_("For eksempel ABCD-1234-EFGH-5678."))


class LearningReportForm(WfForm):
    title = forms.CharField(label=_("Tittel"), max_length=200)
    summary = forms.CharField(label=_("Hva skjedde"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000,
                              help_text=_("Uten navn: rapporten kan deles med hele organisasjonen."))  # fmt: skip
    potential = forms.CharField(label=_("Hva kunne ha skjedd"), widget=forms.Textarea(attrs={"rows": 3}), max_length=3000)
    causes = forms.CharField(label=_("Hvorfor skjedde det"), widget=forms.Textarea(attrs={"rows": 3}), max_length=3000)
    measures = forms.CharField(label=_("Hva vi har gjort"), widget=forms.Textarea(attrs={"rows": 3}), max_length=3000)
    learning_points = forms.CharField(label=_("Læringspunkter"), widget=forms.Textarea(attrs={"rows": 3}),
                                      max_length=3000)  # fmt: skip


# ----------------------------------------------------------------------------- rounds


class RoundPlanForm(WfForm):
    area_unit = forms.ChoiceField(label=_("Verneområde"))
    title = forms.CharField(label=_("Tittel (valgfritt)"), max_length=200, required=False)
    planned_date = forms.DateField(label=_("Dato"), widget=DateInput())
    participants = PeopleChoiceField(label=_("Deltakere"), queryset=User.objects.none(), required=False,
                                     widget=forms.CheckboxSelectMultiple)  # fmt: skip
    focus_topics = forms.CharField(label=_("Særlige tema"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, areas: Sequence[tuple[str, str]] = (), people: Sequence[User] = (),
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["area_unit"].choices = list(areas)
        self.fields["participants"].queryset = people_queryset(people)


class RoundUpdateForm(WfForm):
    title = forms.CharField(label=_("Tittel"), max_length=200)
    planned_date = forms.DateField(label=_("Dato"), widget=DateInput())
    participants = PeopleChoiceField(label=_("Deltakere"), queryset=User.objects.none(), required=False,
                                     widget=forms.CheckboxSelectMultiple)  # fmt: skip
    focus_topics = forms.CharField(label=_("Særlige tema"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    employee_talks = forms.CharField(
        label=_("Samtaler med ansatte"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text=_("Hva kom fram i samtalene? Ikke skriv navn."),
    )  # fmt: skip

    def __init__(self, *args: Any, people: Sequence[User] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = people_queryset(people)


class FindingForm(WfForm):
    title = forms.CharField(label=_("Funn"), max_length=200)
    kind = forms.ChoiceField(label=_("Type funn"), choices=RoundFinding.Kind.choices, widget=forms.RadioSelect,
                             initial=RoundFinding.Kind.IMPROVEMENT)  # fmt: skip
    description = forms.CharField(label=_("Beskrivelse"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                  help_text=_("Hva, hvor, hvor mange berøres. Ikke skriv navn."))  # fmt: skip
    location = forms.CharField(label=_("Sted"), max_length=200, required=False)
    probability = forms.TypedChoiceField(label=_("Sannsynlighet"), choices=PROBABILITY_CHOICES, coerce=int,
                                         empty_value=None, required=False)  # fmt: skip
    consequence = forms.TypedChoiceField(label=_("Konsekvens"), choices=CONSEQUENCE_CHOICES, coerce=int,
                                         empty_value=None, required=False)  # fmt: skip
    proposed_measure = forms.CharField(label=_("Forslag til tiltak"), required=False, max_length=2000,
                                       widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    photos = MultiplePhotoField(label=_("Bilder (valgfritt)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "finding")
        super().__init__(*args, **kwargs)


class ConductedForm(WfForm):
    conducted_on = forms.DateField(label=_("Gjennomført dato"), widget=DateInput())
    employee_talks = forms.CharField(
        label=_("Samtaler med ansatte"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text=_("Hva kom fram i samtalene? Ikke skriv navn."),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "conducted")
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("conducted_on", timezone.localdate())


RESOLUTION_CHOICES = [
    (RoundFinding.Resolution.ACTION.value, _("Tiltak i handlingsplanen")),
    (RoundFinding.Resolution.DEVIATION.value, _("Avvik (brudd på regler)")),
    (RoundFinding.Resolution.RISK_ASSESSMENT.value, _("Ny risikovurdering")),
    (RoundFinding.Resolution.ACCEPTED.value, _("Godta med begrunnelse")),
]
DEFAULT_RESOLUTION = {
    RoundFinding.Kind.IMPROVEMENT: RoundFinding.Resolution.ACTION,
    RoundFinding.Kind.BREACH: RoundFinding.Resolution.DEVIATION,
    RoundFinding.Kind.RISK_CHANGE: RoundFinding.Resolution.RISK_ASSESSMENT,
    RoundFinding.Kind.NOTE: RoundFinding.Resolution.ACCEPTED,
}


class SummariseForm(WfForm):
    """One group of fields per open finding: what it becomes, and owner/deadline/cost for actions."""

    summary_notes = forms.CharField(label=_("Oppsummering"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    leader_present = forms.BooleanField(label=_("Jeg er leder og deltar i oppsummeringen"))

    def __init__(self, *args: Any, findings: Sequence[RoundFinding] = (), people: Sequence[User] = (),
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.findings = list(findings)
        owners = people_queryset(people)
        for f in self.findings:
            p = f"f{f.pk}"
            self.fields[f"{p}_resolution"] = forms.ChoiceField(
                label=_("Oppfølging"), choices=RESOLUTION_CHOICES, widget=forms.RadioSelect,
                initial=DEFAULT_RESOLUTION.get(f.kind, RoundFinding.Resolution.ACTION),
            )  # fmt: skip
            self.fields[f"{p}_owner"] = PersonChoiceField(label=_("Ansvarlig"), queryset=owners, required=False)
            self.fields[f"{p}_due"] = forms.DateField(label=_("Frist"), widget=DateInput(), required=False)
            self.fields[f"{p}_cost"] = forms.DecimalField(label=_("Kostnadsoverslag (kr)"), min_value=0,
                                                          max_digits=12, decimal_places=0, required=False)  # fmt: skip
            self.fields[f"{p}_priority"] = forms.ChoiceField(label=_("Prioritet"), choices=Priority.choices,
                                                             initial=Priority.MEDIUM)  # fmt: skip
            self.fields[f"{p}_note"] = forms.CharField(label=_("Begrunnelse (når funnet godtas)"), required=False,
                                                       max_length=2000)  # fmt: skip
        # The per-finding fields were added after WfForm.__init__: decorate them too.
        for field in self.fields.values():
            if isinstance(field.widget, forms.RadioSelect | forms.CheckboxInput):
                field.widget.attrs["class"] = "ds-input"
        self._decorate_widgets()

    def groups(self) -> list[dict[str, Any]]:
        return [
            {
                "finding": f,
                "resolution": self[f"f{f.pk}_resolution"],
                "owner": self[f"f{f.pk}_owner"],
                "due": self[f"f{f.pk}_due"],
                "cost": self[f"f{f.pk}_cost"],
                "priority": self[f"f{f.pk}_priority"],
                "note": self[f"f{f.pk}_note"],
            }
            for f in self.findings
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        R = RoundFinding.Resolution
        for f in self.findings:
            p = f"f{f.pk}"
            resolution = data.get(f"{p}_resolution")
            if resolution == R.ACTION:
                if not data.get(f"{p}_owner"):
                    self.add_error(f"{p}_owner", _("Velg hvem som er ansvarlig."))
                if not data.get(f"{p}_due"):
                    self.add_error(f"{p}_due", _("Sett en frist."))
            if resolution == R.ACCEPTED and not (data.get(f"{p}_note") or "").strip():
                self.add_error(f"{p}_note", _("Begrunn hvorfor funnet godtas."))
        return data


# ----------------------------------------------------------------------------- risk


class RiskCreateForm(WfForm):
    title = forms.CharField(label=_("Hva skal risikovurderes"), max_length=200)
    trigger = forms.ChoiceField(label=_("Anledning"), choices=RiskAssessment.Trigger.choices)
    scope = forms.CharField(label=_("Avgrensning og forutsetninger"), widget=forms.Textarea(attrs={"rows": 3}),
                            required=False)  # fmt: skip


class RiskRowForm(WfForm):
    activity = forms.CharField(label=_("Aktivitet"), max_length=200)
    hazard = forms.CharField(label=_("Uønsket hendelse (hva kan gå galt?)"), max_length=300)
    category = forms.ChoiceField(label=_("Kategori"), choices=RiskRow.Category.choices)
    existing_controls = forms.CharField(label=_("Eksisterende tiltak"), widget=forms.Textarea(attrs={"rows": 2}),
                                        required=False)  # fmt: skip
    probability = forms.TypedChoiceField(label=_("Sannsynlighet"), choices=PROBABILITY_CHOICES[1:], coerce=int)
    consequence = forms.TypedChoiceField(label=_("Konsekvens"), choices=CONSEQUENCE_CHOICES[1:], coerce=int)
    measure = forms.CharField(label=_("Nye tiltak"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    owner = PersonChoiceField(label=_("Ansvarlig for tiltaket"), queryset=User.objects.none(), required=False)
    due_date = forms.DateField(label=_("Frist"), widget=DateInput(), required=False)
    cost_estimate = forms.DecimalField(label=_("Kostnadsoverslag (kr)"), min_value=0, max_digits=12,
                                       decimal_places=0, required=False)  # fmt: skip

    def __init__(self, *args: Any, people: Sequence[User] = (), **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "row")
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people_queryset(people)


class RiskCompleteForm(WfForm):
    conclusion = forms.CharField(label=_("Konklusjon"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    assessed_on = forms.DateField(label=_("Vurdert dato"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "complete")
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("assessed_on", timezone.localdate())


# ----------------------------------------------------------------------------- årshjul and settings


MONTH_CHOICES = [
    (1, _("januar")), (2, _("februar")), (3, _("mars")), (4, _("april")), (5, _("mai")), (6, _("juni")),
    (7, _("juli")), (8, _("august")), (9, _("september")), (10, _("oktober")), (11, _("november")),
    (12, _("desember")),
]  # fmt: skip


class CycleItemForm(WfForm):
    kind = forms.ChoiceField(label=_("Type"), choices=AnnualCycleItem.Kind.choices)
    title = forms.CharField(label=_("Tittel"), max_length=200)
    title_en = forms.CharField(label=_("Tittel på engelsk (valgfritt)"), max_length=200, required=False)
    month = forms.TypedChoiceField(label=_("Måned"), choices=MONTH_CHOICES, coerce=int)
    day = forms.IntegerField(label=_("Dag"), min_value=1, max_value=31)
    unit = forms.ModelChoiceField(label=_("Gjelder"), queryset=OrgUnit.objects.none(), required=False,
                                  empty_label=_("Hele organisasjonen"))  # fmt: skip
    questionnaire_key = forms.SlugField(
        label=_("Spørreskjema (nøkkel)"), required=False, max_length=64,
        help_text=_("Bare for undersøkelser, for eksempel hms_annual_report."),
    )  # fmt: skip
    open_days = forms.IntegerField(
        label=_("Antall dager"), min_value=1, max_value=365, initial=30,
        help_text=_("Undersøkelser: hvor lenge de er åpne. HMS-runder: innen hvor mange dager de skal holdes."),
    )  # fmt: skip
    description = forms.CharField(label=_("Beskrivelse"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    active = forms.BooleanField(label=_("Aktiv"), required=False, initial=True)

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else OrgUnit.objects.none()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        month, day = data.get("month"), data.get("day")
        if month and day:
            try:
                dt.date(2024, month, day)
            except ValueError:
                self.add_error("day", _("Datoen finnes ikke."))
        if data.get("kind") == AnnualCycleItem.Kind.CAMPAIGN and not data.get("questionnaire_key"):
            self.add_error("questionnaire_key", _("Velg hvilket spørreskjema som skal åpnes."))
        return data


class SettingsForm(WfForm):
    reminder_days_before = forms.IntegerField(label=_("Påminnelse antall dager før fristen"), min_value=0, max_value=90)
    escalation_days_overdue = forms.IntegerField(
        label=_("Varsle leder for overordnet enhet etter antall dager over frist"), min_value=1, max_value=365
    )
    vo_escalation_wait_days = forms.IntegerField(
        label=_("Dager uten svar før verneombudet kan ta et avvik til AMU"), min_value=0, max_value=365
    )
    anonymous_reporting = forms.BooleanField(label=_("Tillat avviksmelding uten navn"), required=False)
    risk_green_max = forms.IntegerField(label=_("Grønn risiko til og med"), min_value=1, max_value=24)
    risk_red_min = forms.IntegerField(label=_("Rød risiko fra og med"), min_value=2, max_value=25)
    risk_action_threshold = forms.IntegerField(
        label=_("Risikorader med verdi over dette gir tiltak"), min_value=1, max_value=24
    )
    risk_review_months = forms.IntegerField(label=_("Ny gjennomgang av risikovurderinger etter måneder"),
                                            min_value=1, max_value=120)  # fmt: skip
    fatalities_in_h1 = forms.BooleanField(label=_("Tell dødsfall med i H1 og H2"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        green, red = data.get("risk_green_max"), data.get("risk_red_min")
        if green is not None and red is not None and green >= red:
            self.add_error("risk_red_min", _("Rød må starte over den høyeste grønne verdien."))
        return data
