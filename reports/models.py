"""HMS goals (målsetninger) and replacement Word templates.

Writes go through reports.services (keyword-only, atomic, audited); goal attainment is computed
by reports.selectors, never stored.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import OrgUnit


class HmsGoal(models.Model):
    """A unit's goal for a year, tied to an indicator with a target."""

    class Indicator(models.TextChoices):
        H2_BELOW = "h2_below", _("H2-verdi under målet")
        REPORT_SIGNED_BY = "report_signed_by", _("HMS-årsrapportene signert innen datoen")
        BAROMETER_FAVOURABLE = "barometer_favourable", _("Andel positive svar i HMS-barometeret minst")
        OVERDUE_ACTIONS_CLOSED = "overdue_actions_closed", _("Ingen tiltak over frist ved årets slutt")
        ARK_SCORE = "ark_score", _("Skår i arbeidsmiljøundersøkelsen minst")

    unit = models.ForeignKey(OrgUnit, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("år"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    indicator = models.CharField(_("indikator"), max_length=32, choices=Indicator.choices)
    # The survey measure (trend key) for barometer and ARK goals.
    measure = models.CharField(_("spørsmål eller dimensjon"), max_length=120, blank=True, default="")
    target_value = models.DecimalField(_("mål"), max_digits=8, decimal_places=2, null=True, blank=True)
    target_date = models.DateField(_("frist"), null=True, blank=True)
    description = models.TextField(_("beskrivelse"), blank=True, default="")
    # The action created when the goal was missed (workflows.ActionItem).
    action = models.ForeignKey(
        "workflows.ActionItem", verbose_name=_("tiltak"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("HMS-mål")
        verbose_name_plural = _("HMS-mål")
        ordering = ["year", "unit__path", "indicator", "measure"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "indicator", "measure"], name="reports_goal_unique"),
            models.CheckConstraint(
                condition=~Q(indicator="report_signed_by") | Q(target_date__isnull=False),
                name="reports_goal_date_target",
            ),
            models.CheckConstraint(
                condition=~Q(indicator__in=["h2_below", "barometer_favourable", "ark_score"])
                | Q(target_value__isnull=False),
                name="reports_goal_value_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}: {self.get_indicator_display()}"


class ReportTemplate(models.Model):
    """A Word template uploaded by the HMS admin to replace a built-in one (checked on upload)."""

    class Kind(models.TextChoices):
        AMU = "amu_report", _("AMU-rapport")
        UNIT = "unit_report", _("Enhetens årsrapport")

    kind = models.CharField(_("rapport"), max_length=16, choices=Kind.choices, unique=True)
    content = models.BinaryField(editable=False)
    filename = models.CharField(_("filnavn"), max_length=200)
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("rapportmal")
        verbose_name_plural = _("rapportmaler")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.filename})"
