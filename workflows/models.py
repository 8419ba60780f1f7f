"""Follow-up: actions (tiltak), deviations (avvik), HMS rounds, risk assessments, the årshjul.

States are TextChoices; transitions live in `workflows.services` (never in save() or signals),
which check permissions, write history and an AuditEvent in the same transaction.

History: every model has django-simple-history, but the history user is only ever the one a
service sets explicitly (`_history_user`). The request middleware's user is never used, so a
deviation reported without a name leaves no trace of its reporter in any history table.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import OrgUnit, Role, SafetyArea


def _explicit_history_user(instance: Any = None, request: Any = None, **kwargs: Any) -> None:
    """Never take the history user from the request: only services set it (`_history_user`)."""
    return None


def _history(**kwargs: Any) -> HistoricalRecords:
    return HistoricalRecords(get_user=_explicit_history_user, **kwargs)


SCALE_1_5 = [MinValueValidator(1), MaxValueValidator(5)]


class Priority(models.TextChoices):
    HIGH = "high", _("Høy")
    MEDIUM = "medium", _("Middels")
    LOW = "low", _("Lav")


PRIORITY_ORDER = {Priority.HIGH: 0, Priority.MEDIUM: 1, Priority.LOW: 2}


# --------------------------------------------------------------------------------------------
# Organisation settings
# --------------------------------------------------------------------------------------------


class WorkflowSettings(models.Model):
    """Per organisation (one per deployment): reminder timing, risk matrix bands, reporting."""

    organisation = models.OneToOneField(
        OrgUnit, verbose_name=_("organisasjon"), on_delete=models.CASCADE, related_name="+"
    )
    reminder_days_before = models.PositiveSmallIntegerField(
        _("påminnelse antall dager før frist"), default=7, validators=[MaxValueValidator(90)]
    )
    escalation_days_overdue = models.PositiveSmallIntegerField(
        _("eskaler til overordnet leder etter antall dager over frist"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    vo_escalation_wait_days = models.PositiveSmallIntegerField(
        _("dager uten svar før verneombudet kan ta avviket til AMU"),
        default=14,
        validators=[MaxValueValidator(365)],
    )
    anonymous_reporting = models.BooleanField(_("tillat avviksmelding uten navn"), default=True)
    risk_green_max = models.PositiveSmallIntegerField(
        _("grønn til og med risikoverdi"), default=4, validators=[MinValueValidator(1), MaxValueValidator(24)]
    )
    risk_red_min = models.PositiveSmallIntegerField(
        _("rød fra og med risikoverdi"), default=15, validators=[MinValueValidator(2), MaxValueValidator(25)]
    )
    risk_action_threshold = models.PositiveSmallIntegerField(
        _("risikoverdi over denne gir tiltak"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    risk_review_months = models.PositiveSmallIntegerField(
        _("ny gjennomgang av risikovurdering etter antall måneder"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    fatalities_in_h1 = models.BooleanField(
        _("dødsfall telles med i H1 og H2"), default=True
    )

    history = _history()

    class Meta:
        verbose_name = _("oppfølgingsinnstillinger")
        verbose_name_plural = _("oppfølgingsinnstillinger")
        constraints = [
            models.CheckConstraint(
                condition=Q(risk_green_max__lt=models.F("risk_red_min")), name="wf_settings_bands_ordered"
            )
        ]

    def __str__(self) -> str:
        return str(_("Oppfølgingsinnstillinger"))

    def clean(self) -> None:
        if self.risk_green_max is not None and self.risk_red_min is not None:
            if self.risk_green_max >= self.risk_red_min:
                raise ValidationError(
                    {"risk_red_min": _("Rød må starte over den høyeste grønne verdien.")}
                )

    def risk_band(self, value: int | None) -> str:
        """'green', 'yellow' or 'red' for a risk value (probability × consequence)."""
        if value is None:
            return ""
        if value <= self.risk_green_max:
            return "green"
        if value >= self.risk_red_min:
            return "red"
        return "yellow"


# --------------------------------------------------------------------------------------------
# Actions (tiltak)
# --------------------------------------------------------------------------------------------


class ActionItem(models.Model):
    """One measure in a unit's HMS action plan."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Foreslått")
        OPEN = "open", _("Åpen")
        IN_PROGRESS = "in_progress", _("Under arbeid")
        DONE = "done", _("Utført")
        VERIFIED = "verified", _("Verifisert")
        REJECTED = "rejected", _("Avvist")
        CANCELLED = "cancelled", _("Avbrutt")

    class Source(models.TextChoices):
        RESPONSE = "response", _("Skjemasvar")
        DEVIATION = "deviation", _("Avviksbehandling")
        RISK = "risk_assessment", _("Risikovurdering")
        ROUND = "hms_round", _("Funn på HMS-runde")
        SURVEY = "survey", _("Undersøkelse")
        AMU = "amu", _("AMU-vedtak")
        MANUAL = "manual", _("Manuelt")

    # Statuses in which the action still has to be carried out (deadline reminders apply).
    ACTIVE = (Status.OPEN, Status.IN_PROGRESS)
    # Open in the sense of follow-up rules: an action with the same code is linked, not duplicated.
    UNFINISHED = (Status.PROPOSED, Status.OPEN, Status.IN_PROGRESS)
    FINAL = (Status.VERIFIED, Status.REJECTED, Status.CANCELLED)

    unit = models.ForeignKey(OrgUnit, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="actions")
    year = models.PositiveSmallIntegerField(_("år"))
    title = models.CharField(_("tittel"), max_length=300)
    title_en = models.CharField(_("tittel (engelsk)"), max_length=300, blank=True, default="")
    description = models.TextField(_("beskrivelse"), blank=True, default="")
    description_en = models.TextField(_("beskrivelse (engelsk)"), blank=True, default="")
    source_kind = models.CharField(_("kilde"), max_length=20, choices=Source.choices, default=Source.MANUAL)
    source_response = models.ForeignKey(
        "surveys.Response", verbose_name=_("skjemasvar"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    source_question = models.CharField(_("spørsmål"), max_length=200, blank=True, default="")
    source_question_title = models.CharField(_("spørsmålstekst"), max_length=500, blank=True, default="")
    source_deviation = models.ForeignKey(
        "Deviation", verbose_name=_("avvik"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="actions",
    )  # fmt: skip
    source_risk_row = models.ForeignKey(
        "RiskRow", verbose_name=_("risikorad"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="actions",
    )  # fmt: skip
    source_finding = models.ForeignKey(
        "RoundFinding", verbose_name=_("funn"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="actions",
    )  # fmt: skip
    rule_code = models.CharField(_("regelkode"), max_length=100, blank=True, default="", db_index=True)
    legal_ref = models.CharField(_("lovhenvisning"), max_length=200, blank=True, default="")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ansvarlig"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="owned_actions",
    )  # fmt: skip
    owner_role = models.CharField(_("ansvarlig rolle"), max_length=32, choices=Role.choices, blank=True, default="")
    due_date = models.DateField(_("frist"), null=True, blank=True)
    cost_estimate = models.DecimalField(
        _("kostnadsoverslag (kr)"), max_digits=12, decimal_places=0, null=True, blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )  # fmt: skip
    priority = models.CharField(_("prioritet"), max_length=8, choices=Priority.choices, default=Priority.MEDIUM)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PROPOSED)
    status_reason = models.TextField(_("begrunnelse"), blank=True, default="")
    # A machine code for reasons the system writes (shown translated), e.g. "rule_no_longer_met".
    status_reason_code = models.CharField(max_length=40, blank=True, default="")
    completion_note = models.TextField(_("hva ble gjort"), blank=True, default="")
    completed_at = models.DateTimeField(_("utført"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(_("verifisert"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    postponed_count = models.PositiveSmallIntegerField(_("antall utsettelser"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    # Bookkeeping for the scheduled commands, claimed with conditional UPDATEs. Cleared when the
    # deadline moves, so a postponed action is reminded again.
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_notice_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = _history(excluded_fields=["reminder_sent_at", "overdue_notice_sent_at", "escalated_at"])

    class Meta:
        verbose_name = _("tiltak")
        verbose_name_plural = _("tiltak")
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["owner", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["rejected", "cancelled"]) | ~Q(status_reason=""),
                name="wf_action_reason_when_closed",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "rejected", "cancelled"])
                | Q(owner__isnull=False, due_date__isnull=False),
                name="wf_action_owner_and_due_when_open",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["done", "verified"]) | ~Q(completion_note=""),
                name="wf_action_note_when_done",
            ),
            models.CheckConstraint(
                condition=~Q(source_kind="deviation") | Q(source_deviation__isnull=False),
                name="wf_action_deviation_source",
            ),
            models.CheckConstraint(
                condition=~Q(source_kind="hms_round") | Q(source_finding__isnull=False),
                name="wf_action_round_source",
            ),
            models.CheckConstraint(
                condition=~Q(source_kind="risk_assessment") | Q(source_risk_row__isnull=False),
                name="wf_action_risk_source",
            ),
            models.CheckConstraint(condition=Q(year__gte=2000), name="wf_action_year"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.display_title}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.status in (self.Status.REJECTED, self.Status.CANCELLED) and not self.status_reason.strip():
            errors["status_reason"] = _("Skriv en begrunnelse.")
        if self.status not in (self.Status.PROPOSED, self.Status.REJECTED, self.Status.CANCELLED):
            if not self.owner_id:
                errors["owner"] = _("Velg hvem som er ansvarlig.")
            if not self.due_date:
                errors["due_date"] = _("Sett en frist.")
        if self.status in (self.Status.DONE, self.Status.VERIFIED) and not self.completion_note.strip():
            errors["completion_note"] = _("Beskriv hva som ble gjort.")
        if errors:
            raise ValidationError(errors)

    @property
    def display_title(self) -> str:
        if self.title_en and (get_language() or "nb").startswith("en"):
            return self.title_en
        return self.title

    @property
    def display_description(self) -> str:
        if self.description_en and (get_language() or "nb").startswith("en"):
            return self.description_en
        return self.description

    def is_overdue(self, today: dt.date | None = None) -> bool:
        """Derived, not a state: the deadline has passed and the action is not finished."""
        today = today or timezone.localdate()
        return bool(
            self.due_date
            and self.due_date < today
            and self.status in (self.Status.PROPOSED, self.Status.OPEN, self.Status.IN_PROGRESS)
        )

    @property
    def overdue(self) -> bool:
        return self.is_overdue()


class FollowUpLink(models.Model):
    """A questionnaire response's follow-up rule pointing at the action it created or joined."""

    response = models.ForeignKey("surveys.Response", on_delete=models.PROTECT, related_name="followup_links")
    action = models.ForeignKey(ActionItem, on_delete=models.PROTECT, related_name="followup_links")
    rule_code = models.CharField(max_length=100)
    question = models.CharField(max_length=200, blank=True, default="")
    created_action = models.BooleanField(default=False)  # this response created the action
    active = models.BooleanField(default=True)  # false once the answer no longer meets the rule
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    history = _history()

    class Meta:
        verbose_name = _("oppfølgingslenke")
        verbose_name_plural = _("oppfølgingslenker")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "rule_code"], condition=Q(active=True), name="wf_followup_one_active_per_rule"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule_code} → #{self.action_id}"


# --------------------------------------------------------------------------------------------
# Deviations (avvik)
# --------------------------------------------------------------------------------------------


class Deviation(models.Model):
    """An unwanted event or breach, reported by anyone, handled to closure."""

    class Status(models.TextChoices):
        REPORTED = "reported", _("Meldt")
        UNDER_REVIEW = "under_review", _("Under behandling")
        MEASURES = "measures", _("Tiltak")
        CLOSED = "closed", _("Lukket")
        REJECTED = "rejected", _("Avvist")

    class Category(models.TextChoices):
        INJURY = "injury", _("Personskade")
        NEAR_MISS = "near_miss", _("Nestenulykke")
        ENVIRONMENT = "environment", _("Miljø")
        MATERIAL = "material", _("Materiell/utstyr")
        ROUTINE_BREACH = "routine_breach", _("Brudd på rutine")
        PSYCHOSOCIAL = "psychosocial", _("Psykososialt")
        OTHER = "other", _("Annet")

    class InjuryClass(models.TextChoices):
        FATAL = "fatal", _("Dødsfall")
        LOST_TIME = "lost_time", _("Skade med fravær")
        MEDICAL_TREATMENT = "medical_treatment", _("Skade uten fravær (medisinsk behandling)")
        FIRST_AID = "first_aid", _("Førstehjelpsskade")

    class Party(models.TextChoices):
        OWN = "own", _("Egen ansatt")
        HIRED = "hired", _("Innleid arbeidstaker")
        CONTRACTOR = "contractor", _("Entreprenør eller underleverandør")
        OTHER = "other", _("Andre (student, besøkende) eller ingen")

    OPEN_STATUSES = (Status.REPORTED, Status.UNDER_REVIEW, Status.MEASURES)

    unit = models.ForeignKey(OrgUnit, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="deviations")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.REPORTED)
    category = models.CharField(_("kategori"), max_length=20, choices=Category.choices)
    what = models.TextField(_("hva skjedde"))
    location = models.CharField(_("hvor"), max_length=300)
    occurred_at = models.DateTimeField(_("når"))
    reported_at = models.DateTimeField(_("meldt"), default=timezone.now)
    involved_party = models.CharField(
        _("hvem var involvert"), max_length=12, choices=Party.choices, default=Party.OWN
    )
    actual_severity = models.PositiveSmallIntegerField(
        _("faktisk alvorlighet (1–5)"), null=True, blank=True, validators=SCALE_1_5
    )
    potential_severity = models.PositiveSmallIntegerField(
        _("mulig alvorlighet (1–5)"), null=True, blank=True, validators=SCALE_1_5
    )
    high_potential = models.BooleanField(_("stort skadepotensial (HRI)"), default=False)
    immediate_measures = models.TextField(_("strakstiltak"), blank=True, default="")
    injury_class = models.CharField(
        _("skadeklasse"), max_length=20, choices=InjuryClass.choices, blank=True, default=""
    )
    serious_injury = models.BooleanField(_("alvorlig personskade"), default=False)
    absence_days = models.PositiveIntegerField(_("fraværsdager"), null=True, blank=True)
    anonymous = models.BooleanField(_("meldt uten navn"), default=False)
    # Null for anonymous reports. Nothing else records who reported (no history user, no actor).
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("meldt av"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="reported_deviations",
    )  # fmt: skip
    # SHA-256 of the receipt code given to an anonymous reporter; the code itself is never stored.
    receipt_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    case_handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("saksbehandler"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="handled_deviations",
    )  # fmt: skip
    deadline = models.DateField(_("frist for behandling"), null=True, blank=True)
    cause_analysis = models.TextField(_("årsaksanalyse"), blank=True, default="")
    no_measures_reason = models.TextField(_("begrunnelse for at tiltak ikke trengs"), blank=True, default="")
    closing_comment = models.TextField(_("vurdering ved lukking"), blank=True, default="")
    lessons_learned = models.TextField(_("hva vi lærte"), blank=True, default="")
    feedback_to_reporter = models.TextField(_("tilbakemelding til melder"), blank=True, default="")
    status_reason = models.TextField(_("begrunnelse"), blank=True, default="")
    closed_at = models.DateTimeField(_("lukket"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Legal branch (aml. § 5-2): death or serious injury.
    legal_notice_required = models.BooleanField(_("varslingsplikt (aml. § 5-2)"), default=False)
    leader_alerted_at = models.DateTimeField(_("leder varslet"), null=True, blank=True)
    arbeidstilsynet_notified_at = models.DateTimeField(_("Arbeidstilsynet varslet"), null=True, blank=True)
    arbeidstilsynet_notified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    police_notified_at = models.DateTimeField(_("politiet varslet"), null=True, blank=True)
    police_notified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Verneombud raises it with AMU (aml. § 6-2) when the employer does not respond.
    escalated_to_amu_at = models.DateTimeField(_("tatt opp med AMU"), null=True, blank=True)
    escalated_to_amu_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    escalation_reason = models.TextField(_("begrunnelse for å ta saken til AMU"), blank=True, default="")
    source_finding = models.ForeignKey(
        "RoundFinding", verbose_name=_("funn på HMS-runde"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="deviations",
    )  # fmt: skip
    # Bookkeeping for the scheduled commands (deadline reminder, overdue notice, escalation),
    # claimed with conditional UPDATEs. Cleared when the deadline moves or the case is reopened.
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_notice_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = _history(excluded_fields=["reminder_sent_at", "overdue_notice_sent_at", "escalated_at"])

    class Meta:
        verbose_name = _("avvik")
        verbose_name_plural = _("avvik")
        ordering = ["-reported_at"]
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["unit", "occurred_at"]),
            models.Index(fields=["status", "deadline"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(anonymous=False) | Q(reporter__isnull=True),
                name="wf_deviation_anonymous_has_no_reporter",
            ),
            models.CheckConstraint(
                condition=Q(category="injury")
                | Q(injury_class="", serious_injury=False, absence_days__isnull=True),
                name="wf_deviation_injury_fields_only_for_injuries",
            ),
            models.CheckConstraint(
                condition=Q(absence_days__isnull=True) | Q(injury_class="lost_time"),
                name="wf_deviation_absence_only_lost_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | (~Q(cause_analysis="") & ~Q(lessons_learned="")),
                name="wf_deviation_closed_has_analysis",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(status_reason=""),
                name="wf_deviation_rejected_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(actual_severity__isnull=True) | Q(actual_severity__gte=1, actual_severity__lte=5),
                name="wf_deviation_actual_severity_range",
            ),
            models.CheckConstraint(
                condition=Q(potential_severity__isnull=True)
                | Q(potential_severity__gte=1, potential_severity__lte=5),
                name="wf_deviation_potential_severity_range",
            ),
            models.UniqueConstraint(
                fields=["receipt_hash"], condition=~Q(receipt_hash=""), name="wf_deviation_receipt_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Avvik')} #{self.pk}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.category != self.Category.INJURY:
            if self.injury_class or self.serious_injury or self.absence_days is not None:
                errors["injury_class"] = _("Skadeklasse og fravær gjelder bare personskader.")
        elif not self.injury_class:
            errors["injury_class"] = _("Velg skadeklasse for personskaden.")
        if self.absence_days is not None and self.injury_class != self.InjuryClass.LOST_TIME:
            errors["absence_days"] = _("Fraværsdager gjelder bare skader med fravær.")
        if self.anonymous and self.reporter_id:
            errors["reporter"] = _("En melding uten navn kan ikke ha melder.")
        if self.occurred_at and self.occurred_at > timezone.now() + dt.timedelta(minutes=10):
            errors["occurred_at"] = _("Tidspunktet kan ikke være i fremtiden.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def needs_legal_notice(self) -> bool:
        return self.category == self.Category.INJURY and (
            self.injury_class == self.InjuryClass.FATAL or self.serious_injury
        )

    @property
    def legal_notice_outstanding(self) -> bool:
        return self.legal_notice_required and not (
            self.arbeidstilsynet_notified_at and self.police_notified_at
        )

    def is_overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return bool(self.deadline and self.deadline < today and self.is_open)

    @property
    def overdue(self) -> bool:
        return self.is_overdue()

    @property
    def reference(self) -> str:
        return f"AVVIK-{self.pk}"


class LearningReport(models.Model):
    """One page about a high-potential event, written so it can be shared across units (no names)."""

    deviation = models.OneToOneField(Deviation, on_delete=models.PROTECT, related_name="learning_report")
    title = models.CharField(_("tittel"), max_length=200)
    summary = models.TextField(_("hva skjedde"))
    potential = models.TextField(_("hva kunne ha skjedd"))
    causes = models.TextField(_("hvorfor skjedde det"))
    measures = models.TextField(_("hva vi har gjort"))
    learning_points = models.TextField(_("læringspunkter"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_at = models.DateTimeField(default=timezone.now)
    shared_at = models.DateTimeField(_("delt med hele organisasjonen"), null=True, blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = _history()

    class Meta:
        verbose_name = _("læringsrapport")
        verbose_name_plural = _("læringsrapporter")
        ordering = ["-written_at"]

    def __str__(self) -> str:
        return self.title


# --------------------------------------------------------------------------------------------
# HMS rounds and risk assessments
# --------------------------------------------------------------------------------------------


class HmsRound(models.Model):
    """An HMS round (vernerunde) in one safety area."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planlagt")
        CONDUCTED = "conducted", _("Gjennomført")
        SUMMARISED = "summarised", _("Oppsummert")
        CLOSED = "closed", _("Lukket")
        CANCELLED = "cancelled", _("Avlyst")

    safety_area = models.ForeignKey(
        SafetyArea, verbose_name=_("verneområde"), on_delete=models.PROTECT, related_name="hms_rounds"
    )
    # The unit the round belongs to (one of the area's units); permissions are checked on it.
    unit = models.ForeignKey(OrgUnit, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="hms_rounds")
    year = models.PositiveSmallIntegerField(_("år"))
    title = models.CharField(_("tittel"), max_length=200)
    planned_date = models.DateField(_("planlagt dato"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("deltakere"), blank=True, related_name="hms_rounds"
    )
    focus_topics = models.TextField(_("særlige tema"), blank=True, default="")
    employee_talks = models.TextField(_("samtaler med ansatte (uten navn)"), blank=True, default="")
    plan_snapshot = models.JSONField(default=dict, blank=True, editable=False)
    checklist_response = models.OneToOneField(
        "surveys.Response", verbose_name=_("sjekkliste"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="hms_round",
    )  # fmt: skip
    conducted_on = models.DateField(_("gjennomført dato"), null=True, blank=True)
    summary_notes = models.TextField(_("oppsummering"), blank=True, default="")
    summarised_at = models.DateTimeField(null=True, blank=True)
    summarised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("leder ved oppsummering"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    closed_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(_("grunn til avlysning"), blank=True, default="")
    cycle_item = models.ForeignKey(
        "AnnualCycleItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="rounds"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = _history(m2m_fields=[participants])

    class Meta:
        verbose_name = _("HMS-runde")
        verbose_name_plural = _("HMS-runder")
        ordering = ["-planned_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle_item", "safety_area", "year"],
                condition=Q(cycle_item__isnull=False),
                name="wf_round_once_per_cycle_item",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["summarised", "closed"]) | Q(summarised_by__isnull=False),
                name="wf_round_summary_has_leader",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""), name="wf_round_cancel_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class RoundFinding(models.Model):
    """Something noticed on an HMS round."""

    class Kind(models.TextChoices):
        IMPROVEMENT = "improvement", _("Må forbedres")
        BREACH = "breach", _("Brudd på lov, forskrift eller rutine")
        RISK_CHANGE = "risk_change", _("Endrer risikobildet")
        NOTE = "note", _("Merknad (ingen oppfølging)")

    class Resolution(models.TextChoices):
        PENDING = "pending", _("Ikke avklart")
        ACTION = "action", _("Tiltak")
        DEVIATION = "deviation", _("Avvik")
        RISK_ASSESSMENT = "risk_assessment", _("Ny risikovurdering")
        ACCEPTED = "accepted", _("Godtatt med begrunnelse")

    round = models.ForeignKey(HmsRound, on_delete=models.CASCADE, related_name="findings")
    # The checklist question the finding came from ("" for findings recorded directly).
    checklist_item = models.CharField(max_length=100, blank=True, default="", editable=False)
    title = models.CharField(_("funn"), max_length=200)
    description = models.TextField(_("beskrivelse (uten navn)"), blank=True, default="")
    location = models.CharField(_("sted"), max_length=200, blank=True, default="")
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices, default=Kind.IMPROVEMENT)
    probability = models.PositiveSmallIntegerField(
        _("sannsynlighet (1–5)"), null=True, blank=True, validators=SCALE_1_5
    )
    consequence = models.PositiveSmallIntegerField(
        _("konsekvens (1–5)"), null=True, blank=True, validators=SCALE_1_5
    )
    proposed_measure = models.TextField(_("forslag til tiltak"), blank=True, default="")
    resolution = models.CharField(
        _("oppfølging"), max_length=16, choices=Resolution.choices, default=Resolution.PENDING
    )
    resolution_note = models.TextField(_("begrunnelse"), blank=True, default="")
    action = models.ForeignKey(
        ActionItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deviation = models.ForeignKey(
        Deviation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    risk_assessment = models.ForeignKey(
        "RiskAssessment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = _history()

    class Meta:
        verbose_name = _("funn")
        verbose_name_plural = _("funn")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(resolution="accepted") | ~Q(resolution_note=""),
                name="wf_finding_accepted_has_reason",
            ),
            models.UniqueConstraint(
                fields=["round", "checklist_item"], condition=~Q(checklist_item=""),
                name="wf_finding_once_per_checklist_item",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def risk_value(self) -> int | None:
        if self.probability and self.consequence:
            return self.probability * self.consequence
        return None


class RiskAssessment(models.Model):
    """A risk assessment: rows of probability × consequence; reviewed every second year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        COMPLETED = "completed", _("Fullført")
        ARCHIVED = "archived", _("Erstattet")

    class Trigger(models.TextChoices):
        NEW_ACTIVITY = "new_activity", _("Ny aktivitet")
        CHANGE = "change", _("Endring i arbeidet")
        PURCHASE = "purchase", _("Innkjøp av utstyr")
        REORGANISATION = "reorganisation", _("Omorganisering")
        PERIODIC = "periodic", _("Periodisk gjennomgang")
        AFTER_INCIDENT = "after_incident", _("Etter hendelse")
        ROUND_FINDING = "round_finding", _("Funn på HMS-runde")

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="risk_assessments"
    )
    title = models.CharField(_("hva skal risikovurderes"), max_length=200)
    scope = models.TextField(_("avgrensning og forutsetninger"), blank=True, default="")
    trigger = models.CharField(_("anledning"), max_length=16, choices=Trigger.choices, default=Trigger.PERIODIC)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    conclusion = models.TextField(_("konklusjon"), blank=True, default="")
    assessed_on = models.DateField(_("vurdert dato"), null=True, blank=True)
    next_review_due = models.DateField(_("ny gjennomgang innen"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    previous = models.OneToOneField(
        "self", verbose_name=_("forrige versjon"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="next_version",
    )  # fmt: skip
    source_finding = models.ForeignKey(
        RoundFinding, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = _history()

    class Meta:
        verbose_name = _("risikovurdering")
        verbose_name_plural = _("risikovurderinger")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(assessed_on__isnull=False, next_review_due__isnull=False),
                name="wf_risk_completed_has_dates",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def review_overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return bool(
            self.status == self.Status.COMPLETED and self.next_review_due and self.next_review_due < today
        )


class RiskRow(models.Model):
    """One unwanted event in a risk assessment."""

    class Category(models.TextChoices):
        PHYSICAL = "physical", _("Fysisk")
        CHEMICAL = "chemical", _("Kjemisk")
        BIOLOGICAL = "biological", _("Biologisk")
        ERGONOMIC = "ergonomic", _("Ergonomisk")
        PSYCHOSOCIAL = "psychosocial", _("Psykososialt")
        FIRE = "fire", _("Brann")
        ELECTRICAL = "electrical", _("Elektrisk")
        ENVIRONMENT = "environment", _("Ytre miljø")
        OTHER = "other", _("Annet")

    assessment = models.ForeignKey(RiskAssessment, on_delete=models.CASCADE, related_name="rows")
    activity = models.CharField(_("aktivitet"), max_length=200)
    hazard = models.CharField(_("uønsket hendelse"), max_length=300)
    category = models.CharField(_("kategori"), max_length=16, choices=Category.choices, default=Category.PHYSICAL)
    existing_controls = models.TextField(_("eksisterende tiltak"), blank=True, default="")
    probability = models.PositiveSmallIntegerField(_("sannsynlighet (1–5)"), validators=SCALE_1_5)
    consequence = models.PositiveSmallIntegerField(_("konsekvens (1–5)"), validators=SCALE_1_5)
    measure = models.TextField(_("nye tiltak"), blank=True, default="")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ansvarlig"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    due_date = models.DateField(_("frist"), null=True, blank=True)
    cost_estimate = models.DecimalField(
        _("kostnadsoverslag (kr)"), max_digits=12, decimal_places=0, null=True, blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )  # fmt: skip
    position = models.PositiveSmallIntegerField(default=0)

    history = _history()

    class Meta:
        verbose_name = _("risikorad")
        verbose_name_plural = _("risikorader")
        ordering = ["assessment", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(probability__gte=1, probability__lte=5, consequence__gte=1, consequence__lte=5),
                name="wf_riskrow_scales",
            )
        ]

    def __str__(self) -> str:
        return self.hazard

    @property
    def risk_value(self) -> int:
        return self.probability * self.consequence


# --------------------------------------------------------------------------------------------
# Photos (deviations and round findings)
# --------------------------------------------------------------------------------------------


def _photo_path(instance: Photo, filename: str) -> str:
    # Never the uploaded file name (it may carry names); a random one in a private folder.
    return f"workflows/photos/{instance.id}.jpg"


class Photo(models.Model):
    """A photo with EXIF removed; served only through a view that checks access to its parent."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    deviation = models.ForeignKey(
        Deviation, null=True, blank=True, on_delete=models.CASCADE, related_name="photos"
    )
    finding = models.ForeignKey(
        RoundFinding, null=True, blank=True, on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(upload_to=_photo_path)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    history = _history()

    class Meta:
        verbose_name = _("bilde")
        verbose_name_plural = _("bilder")
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deviation__isnull=False, finding__isnull=True)
                | Q(deviation__isnull=True, finding__isnull=False),
                name="wf_photo_exactly_one_parent",
            )
        ]

    def __str__(self) -> str:
        return str(self.id)


# --------------------------------------------------------------------------------------------
# Årshjul (annual cycle)
# --------------------------------------------------------------------------------------------


class AnnualCycleItem(models.Model):
    """A recurring yearly date in the organisation's årshjul, set up once by the HMS admin."""

    class Kind(models.TextChoices):
        CAMPAIGN = "campaign", _("Spørreundersøkelse/rapportering åpner")
        REPORTING_DEADLINE = "reporting_deadline", _("Rapporteringsfrist")
        AMU_MEETING = "amu_meeting", _("AMU-møte")
        HMS_ROUND = "hms_round", _("HMS-runder")
        RISK_REVIEW = "risk_review", _("Gjennomgang av risikovurderinger")
        LEADER_VO_MEETING = "leader_vo_meeting", _("Møte mellom leder og verneombud")
        OTHER = "other", _("Annet")

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("tittel"), max_length=200)
    title_en = models.CharField(_("tittel (engelsk)"), max_length=200, blank=True, default="")
    description = models.TextField(_("beskrivelse"), blank=True, default="")
    month = models.PositiveSmallIntegerField(_("måned"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    day = models.PositiveSmallIntegerField(_("dag"), validators=[MinValueValidator(1), MaxValueValidator(31)])
    # None: the whole organisation. A unit: that unit and everything below it.
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("gjelder enhet"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="cycle_items",
    )  # fmt: skip
    questionnaire_key = models.SlugField(_("spørreskjema (nøkkel)"), max_length=64, blank=True, default="")
    open_days = models.PositiveSmallIntegerField(
        _("antall dager åpen"), default=30, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    active = models.BooleanField(_("aktiv"), default=True)
    # The last year the scheduled command acted on this item (claimed with a conditional UPDATE).
    last_run_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = _history(excluded_fields=["last_run_year"])

    class Meta:
        verbose_name = _("årshjulpunkt")
        verbose_name_plural = _("årshjulpunkter")
        ordering = ["month", "day", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12, day__gte=1, day__lte=31), name="wf_cycle_date_range"
            ),
            models.CheckConstraint(
                condition=~Q(kind="campaign") | ~Q(questionnaire_key=""), name="wf_cycle_campaign_has_questionnaire"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.month and self.day:
            try:
                dt.date(2024, self.month, self.day)  # a leap year: 29 February is allowed
            except ValueError:
                raise ValidationError({"day": _("Datoen finnes ikke.")}) from None
        if self.kind == self.Kind.CAMPAIGN and not self.questionnaire_key:
            raise ValidationError({"questionnaire_key": _("Velg hvilket spørreskjema som skal åpnes.")})

    def date_in(self, year: int) -> dt.date:
        """This item's date in a year (29 February becomes 28 February in other years)."""
        day = self.day
        while True:
            try:
                return dt.date(year, self.month, day)
            except ValueError:
                day -= 1

    @property
    def display_title(self) -> str:
        if self.title_en and (get_language() or "nb").startswith("en"):
            return self.title_en
        return self.title


class AnnualCycleRun(models.Model):
    """What the scheduled command did for an årshjul item in a year."""

    class Outcome(models.TextChoices):
        DONE = "done", _("Utført")
        RECORDED = "recorded", _("Registrert (må gjøres manuelt)")

    item = models.ForeignKey(AnnualCycleItem, on_delete=models.CASCADE, related_name="runs")
    year = models.PositiveSmallIntegerField()
    ran_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    detail = models.JSONField(default=dict, blank=True)

    history = _history()

    class Meta:
        verbose_name = _("årshjulkjøring")
        verbose_name_plural = _("årshjulkjøringer")
        constraints = [models.UniqueConstraint(fields=["item", "year"], name="wf_cycle_run_once_a_year")]

    def __str__(self) -> str:
        return f"{self.item} {self.year}"


class CalendarFeedToken(models.Model):
    """A per-person secret for the iCalendar feed URL (calendar apps cannot log in).

    Only the SHA-256 of the token is stored; the URL is shown once when it is created.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed_token"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = _history(excluded_fields=["last_used_at"])

    class Meta:
        verbose_name = _("kalenderabonnement")
        verbose_name_plural = _("kalenderabonnementer")

    def __str__(self) -> str:
        return f"{self.user}"
