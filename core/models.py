"""Organisation, people, roles and the audit trail.

One organisation per deployment: the root `OrgUnit` (kind `organisation`) is the
organisation. Units form a tree with validity dates; a reorganisation closes a unit
(`valid_to`) and points at its `successor`, so answers recorded against the old unit
keep their history and trends can follow the successor chain.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    """The canonical role list. Every later feature speaks in these roles."""

    LEADER = "leader", _("Leder")
    DEPUTY_LEADER = "deputy_leader", _("Stedfortredende leder")
    VERNEOMBUD = "verneombud", _("Verneombud")
    DEPUTY_VERNEOMBUD = "deputy_verneombud", _("Vara verneombud")
    HOVEDVERNEOMBUD = "hovedverneombud", _("Hovedverneombud")
    HMS_COORDINATOR = "hms_coordinator", _("HMS-koordinator")
    CASE_HANDLER = "case_handler", _("Avviksbehandler")
    HR = "hr", _("HR")
    BHT = "bht", _("Bedriftshelsetjeneste")
    TOP_MANAGER = "top_manager", _("Øverste leder")
    AMU_MEMBER = "amu_member", _("AMU-medlem")
    AMU_SECRETARY = "amu_secretary", _("AMU-sekretær")
    EMPLOYEE = "employee", _("Ansatt")
    HMS_ADMIN = "hms_admin", _("HMS-administrator")


# Roles that belong to a safety area (verneområde) rather than to a unit.
SAFETY_AREA_ROLES = frozenset({Role.VERNEOMBUD, Role.DEPUTY_VERNEOMBUD})
# Roles that only make sense for the whole organisation (held on the root unit).
ORGANISATION_ROLES = frozenset(
    {Role.HOVEDVERNEOMBUD, Role.TOP_MANAGER, Role.AMU_MEMBER, Role.AMU_SECRETARY, Role.HMS_ADMIN}
)


class User(AbstractUser):
    """A person. Django's user with what Verne needs on top."""

    class Language(models.TextChoices):
        BOKMAL = "nb", "Norsk bokmål"
        NYNORSK = "nn", "Norsk nynorsk"
        ENGLISH = "en", "English"

    language = models.CharField(
        _("språk"), max_length=8, choices=Language.choices, blank=True, default=""
    )
    # A stable identifier from the organisation's identity provider (OIDC `sub`/`oid`).
    external_id = models.CharField(_("ekstern ID"), max_length=255, blank=True, default="")

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"], condition=~Q(external_id=""), name="user_external_id_unique"
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class ActiveQuerySet(models.QuerySet):
    """Records with validity dates: `active(on)` keeps those valid on a day."""

    def active(self, on: dt.date | None = None) -> ActiveQuerySet:
        on = on or timezone.localdate()
        return self.filter(Q(valid_from__lte=on), Q(valid_to__isnull=True) | Q(valid_to__gte=on))


class OrgUnit(models.Model):
    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("Organisasjon")
        DIVISION = "division", _("Fakultet/divisjon")
        DEPARTMENT = "department", _("Institutt/avdeling")
        SECTION = "section", _("Seksjon/gruppe")

    code = models.CharField(_("kode"), max_length=32, unique=True)
    name = models.CharField(_("navn"), max_length=200)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("overordnet enhet"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of primary keys ("/1/4/17/") for cheap subtree and ancestor queries.
    # Maintained by core.services (unit_create / unit_move), never by save().
    path = models.CharField(max_length=512, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    valid_from = models.DateField(_("gyldig fra"), default=dt.date(2000, 1, 1))
    valid_to = models.DateField(_("gyldig til"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("etterfølger"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
    )

    history = HistoricalRecords()
    objects = ActiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("enhet")
        verbose_name_plural = _("enheter")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="orgunit_valid_range",
            ),
            models.CheckConstraint(
                condition=Q(kind="organisation", parent__isnull=True)
                | (~Q(kind="organisation") & Q(parent__isnull=False)),
                name="orgunit_only_root_is_organisation",
            ),
            models.UniqueConstraint(
                fields=["kind"], condition=Q(kind="organisation"), name="orgunit_single_root"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("En enhet kan ikke være sin egen overordnede.")})
        if self.parent_id and self.pk and self.parent and f"/{self.pk}/" in self.parent.path:
            raise ValidationError({"parent": _("En enhet kan ikke flyttes under seg selv.")})
        if self.successor_id and self.successor_id == self.pk:
            raise ValidationError({"successor": _("En enhet kan ikke etterfølge seg selv.")})
        if self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Sluttdato kan ikke være før startdato.")})

    @property
    def ancestor_ids(self) -> list[int]:
        """Primary keys from the root down to the parent (not the unit itself)."""
        return [int(p) for p in self.path.strip("/").split("/")[:-1] if p]

    def is_active(self, on: dt.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.valid_from <= on and (self.valid_to is None or self.valid_to >= on)


class SafetyArea(models.Model):
    """Verneområde: the area a verneombud covers (one or more units)."""

    code = models.CharField(_("kode"), max_length=32, unique=True)
    name = models.CharField(_("navn"), max_length=200)
    units = models.ManyToManyField(OrgUnit, verbose_name=_("enheter"), related_name="safety_areas")
    valid_from = models.DateField(_("gyldig fra"), default=dt.date(2000, 1, 1))
    valid_to = models.DateField(_("gyldig til"), null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[units])
    objects = ActiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("verneområde")
        verbose_name_plural = _("verneområder")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="safetyarea_valid_range",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's role in a unit or a safety area, for a period."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("rolle"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("enhet"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    safety_area = models.ForeignKey(
        SafetyArea,
        verbose_name=_("verneområde"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    valid_from = models.DateField(_("gyldig fra"), default=dt.date(2000, 1, 1))
    valid_to = models.DateField(_("gyldig til"), null=True, blank=True)

    history = HistoricalRecords()
    objects = ActiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("rolle")
        verbose_name_plural = _("roller")
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False) & Q(safety_area__isnull=True))
                | (Q(unit__isnull=True) & Q(safety_area__isnull=False)),
                name="membership_exactly_one_scope",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="membership_valid_range",
            ),
            models.CheckConstraint(
                condition=(
                    Q(role__in=sorted(r.value for r in SAFETY_AREA_ROLES), safety_area__isnull=False)
                    | (~Q(role__in=sorted(r.value for r in SAFETY_AREA_ROLES)) & Q(unit__isnull=False))
                ),
                name="membership_role_matches_scope",
            ),
        ]
        indexes = [models.Index(fields=["user", "role"])]

    def __str__(self) -> str:
        scope = self.unit or self.safety_area
        return f"{self.user} – {self.get_role_display()} – {scope}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.role in SAFETY_AREA_ROLES and not self.safety_area_id:
            errors["safety_area"] = _("Verneombud hører til et verneområde.")
        if self.role not in SAFETY_AREA_ROLES and not self.unit_id:
            errors["unit"] = _("Rollen hører til en enhet.")
        if self.unit_id and self.safety_area_id:
            errors["unit"] = _("Velg enten enhet eller verneområde, ikke begge.")
        if self.role in ORGANISATION_ROLES and self.unit_id and self.unit.parent_id is not None:
            errors["role"] = _("Denne rollen gjelder hele organisasjonen og gis på toppenheten.")
        if self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = _("Sluttdato kan ikke være før startdato.")
        if errors:
            raise ValidationError(errors)


class AuditEvent(models.Model):
    """Who did what, when. Written by service functions in the same transaction as the change.

    Never edited or deleted while the object exists. Anonymous survey answers never get
    an audit event with an actor (see surveys.services).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    at = models.DateTimeField(_("tidspunkt"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utført av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verb = models.CharField(_("hendelse"), max_length=64, db_index=True)
    target_type = models.CharField(_("objekttype"), max_length=64)
    target_id = models.CharField(_("objekt-ID"), max_length=64)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("enhet"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(_("detaljer"), default=dict, blank=True)

    class Meta:
        verbose_name = _("revisjonshendelse")
        verbose_name_plural = _("revisjonshendelser")
        ordering = ["-at"]
        indexes = [models.Index(fields=["target_type", "target_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.verb} {self.target_type}:{self.target_id}"
