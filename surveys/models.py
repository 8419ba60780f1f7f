"""Questionnaires, their immutable versions, campaigns and named/joint responses.

Anonymous answers never use these history-tracked models; they have their own tables
(see AnonymousAnswer and Participation) with no link from answer to person.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import OrgUnit


def definition_hash(definition: dict[str, Any]) -> str:
    canonical = json.dumps(definition, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


class Mode(models.TextChoices):
    JOINT = "joint", _("Felles (leder og verneombud)")
    INDIVIDUAL = "individual", _("Personlig")
    ANONYMOUS = "anonymous", _("Anonym")


class Questionnaire(models.Model):
    key = models.SlugField(_("nøkkel"), max_length=64, unique=True)
    title = models.CharField(_("tittel"), max_length=200)
    title_en = models.CharField(_("tittel (engelsk)"), max_length=200, blank=True)
    default_mode = models.CharField(_("standard svarmodus"), max_length=16, choices=Mode.choices,
                                    default=Mode.JOINT)  # fmt: skip
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("spørreskjema")
        verbose_name_plural = _("spørreskjemaer")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def latest_version(self) -> QuestionnaireVersion | None:
        return self.versions.order_by("-number").first()


class QuestionnaireVersion(models.Model):
    """An immutable SurveyJS definition. A change publishes a new version."""

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("spørreskjema"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("versjon"))
    definition = models.JSONField(_("definisjon (SurveyJS JSON)"))
    definition_hash = models.CharField(max_length=64, editable=False)
    published_at = models.DateTimeField(_("publisert"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("endringsnotat"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("skjemaversjon")
        verbose_name_plural = _("skjemaversjoner")
        ordering = ["questionnaire", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="version_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} v{self.number}"


class Campaign(models.Model):
    """A questionnaire version issued for a year or period to a set of units."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        OPEN = "open", _("Åpen")
        CLOSED = "closed", _("Lukket")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.ForeignKey(
        QuestionnaireVersion, verbose_name=_("skjemaversjon"), on_delete=models.PROTECT,
        related_name="campaigns",
    )  # fmt: skip
    title = models.CharField(_("tittel"), max_length=200)
    year = models.PositiveSmallIntegerField(_("år"))
    mode = models.CharField(_("svarmodus"), max_length=16, choices=Mode.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    opens_on = models.DateField(_("åpner"))
    closes_on = models.DateField(_("frist"))
    units = models.ManyToManyField(OrgUnit, verbose_name=_("enheter"), related_name="campaigns")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords(m2m_fields=[units])

    class Meta:
        verbose_name = _("kampanje")
        verbose_name_plural = _("kampanjer")
        ordering = ["-year", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="campaign_dates")
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.closes_on and self.opens_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("Fristen kan ikke være før åpningsdatoen.")})

    @property
    def questionnaire(self) -> Questionnaire:
        return self.version.questionnaire

    def is_open(self, on: Any = None) -> bool:
        on = on or timezone.localdate()
        return self.status == self.Status.OPEN and self.opens_on <= on


class Response(models.Model):
    """A joint (per unit) or individual (per person) response, edited through the wizard."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        SIGNED_BY_ONE = "signed_by_one", _("Signert av én")
        SUBMITTED = "submitted", _("Levert")
        REOPENED = "reopened", _("Gjenåpnet")

    class Purpose(models.TextChoices):
        CAMPAIGN = "campaign", _("Kampanje")
        HMS_ROUND = "hms_round", _("HMS-runde")
        RISK_ASSESSMENT = "risk_assessment", _("Risikovurdering")
        FACT_SHEET = "fact_sheet", _("Faktaark (ARK)")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The questionnaire version answered. Campaign responses have a campaign; responses that
    # belong to a workflow object (an HMS round's checklist, a risk assessment) have none.
    version = models.ForeignKey(
        QuestionnaireVersion, verbose_name=_("skjemaversjon"), on_delete=models.PROTECT,
        related_name="responses",
    )  # fmt: skip
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("kampanje"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="responses",
    )  # fmt: skip
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.CAMPAIGN)
    unit = models.ForeignKey(OrgUnit, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="responses")
    # The unit as it was when the response was created (names and codes change in reorganisations).
    unit_code = models.CharField(max_length=32, editable=False, default="")
    unit_name = models.CharField(max_length=200, editable=False, default="")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="responses",
    )  # fmt: skip
    answers = models.JSONField(_("svar"), default=dict, blank=True)
    # Per question: who saved it last and when, {"q": {"by": user_id, "name": "...", "at": iso}}.
    answer_meta = models.JSONField(default=dict, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    # Owner and deadline chosen on the review page for each follow-up rule code.
    followup_choices = models.JSONField(default=dict, blank=True, editable=False)
    lock_version = models.PositiveIntegerField(default=0, editable=False)
    current_page = models.CharField(max_length=100, blank=True, default="")
    submitted_at = models.DateTimeField(_("levert"), null=True, blank=True)
    reopen_reason = models.TextField(_("grunn til gjenåpning"), blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords(cascade_delete_history=False)

    class Meta:
        verbose_name = _("besvarelse")
        verbose_name_plural = _("besvarelser")
        ordering = ["campaign", "unit_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "unit"],
                condition=Q(person__isnull=True, campaign__isnull=False),
                name="response_joint_unique",
            ),
            models.UniqueConstraint(
                fields=["campaign", "person"],
                condition=Q(person__isnull=False, campaign__isnull=False),
                name="response_person_unique",
            ),
            models.CheckConstraint(
                condition=Q(purpose="campaign", campaign__isnull=False) | ~Q(purpose="campaign"),
                name="response_campaign_purpose",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign or self.version} – {self.unit_name or self.unit}"

    @property
    def is_read_only(self) -> bool:
        return self.status == self.Status.SUBMITTED

    def active_signatures(self) -> models.QuerySet[ResponseSignature]:
        return self.signatures.filter(voided_at__isnull=True)


class ResponseSignature(models.Model):
    """A signature on a response. Any change after signing voids it (voided_at is set)."""

    class Capacity(models.TextChoices):
        LEADER = "leader", _("Leder")
        VERNEOMBUD = "verneombud", _("Verneombud")

    response = models.ForeignKey(Response, on_delete=models.PROTECT, related_name="signatures")
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    capacity = models.CharField(_("signert som"), max_length=16, choices=Capacity.choices)
    role = models.CharField(_("rolle"), max_length=32)  # the exact role held (e.g. deputy_leader)
    signed_at = models.DateTimeField(default=timezone.now)
    answers_hash = models.CharField(max_length=64)
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.CharField(max_length=200, blank=True, default="")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("signatur")
        verbose_name_plural = _("signaturer")
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "capacity"],
                condition=Q(voided_at__isnull=True),
                name="signature_one_active_per_capacity",
            )
        ]

    def __str__(self) -> str:
        return f"{self.signer} ({self.get_capacity_display()})"


# --------------------------------------------------------------------------- anonymous surveys
#
# Identity and answers live apart (see surveys/anon/__init__.py and docs/privacy.md):
#
# * `Participation` knows a person and says only *that* they have answered (for reminders and
#   the response rate). It holds the one-time link only as a keyed hash.
# * `AnonymousAnswer` and `AnonymousComment` hold what was answered, with the unit and the
#   background group, and nothing else: no user, no participation, no token, no IP, no time
#   of day, UUID keys, no simple-history, no audit event, no Django-admin page. Nothing refers
#   to them. They are rewritten in a random order on every submission in their unit, so that
#   neither row ids, physical order nor transaction ids tell which one was written last.


class Participation(models.Model):
    """A person invited to an anonymous campaign. Says whether they have answered, never what."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="participations")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The unit the answer is counted in, fixed at invitation (a leader's is the unit above).
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    # Keyed hashes (HMAC-SHA256) of the current and the previous one-time link; a reminder
    # issues a new link and the previous one keeps working until the person has answered.
    token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    previous_token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    answered = models.BooleanField(default=False)
    invited_at = models.DateTimeField(default=timezone.now)
    link_sent_at = models.DateTimeField(null=True, blank=True)
    # Cleared when the person answers, so that reminder times cannot date an answer.
    reminded_at = models.DateTimeField(null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("deltakelse")
        verbose_name_plural = _("deltakelser")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "person"], name="participation_once_per_campaign")
        ]
        indexes = [models.Index(fields=["campaign", "unit"], name="participation_campaign_unit")]

    def __str__(self) -> str:
        return f"{self.campaign_id} – {self.person_id}"


class AnonymousAnswer(models.Model):
    """One anonymous response: the unit, the background group and the answers. Nothing else."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="anonymous_answers")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    # Answers to the questions marked `verneBackground` (e.g. {"b_role": "employee"}).
    background = models.JSONField(default=dict, blank=True)
    # The completed values (free text removed, calculated values included).
    answers = models.JSONField(default=dict)
    submitted_on = models.DateField()

    class Meta:
        verbose_name = _("anonymt svar")
        verbose_name_plural = _("anonyme svar")
        indexes = [models.Index(fields=["campaign", "unit"], name="anon_answer_campaign_unit")]

    def __str__(self) -> str:
        return str(self.id)


class AnonymousComment(models.Model):
    """A free-text answer, kept apart from the rest of the answer (no link between them).

    Shown only after the HMS admin has screened it (released as written, or redacted), and
    only for groups of at least VERNE_MIN_GROUP_SIZE_SENSITIVE.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Ikke vurdert")
        RELEASED = "released", _("Frigitt")
        WITHHELD = "withheld", _("Holdt tilbake")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="anonymous_comments")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    question = models.CharField(max_length=200)
    text = models.TextField(blank=True, default="")  # as written; erased by retention
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    released_text = models.TextField(blank=True, default="")  # what readers see (possibly redacted)

    class Meta:
        verbose_name = _("fritekstsvar")
        verbose_name_plural = _("fritekstsvar")
        indexes = [models.Index(fields=["campaign", "unit"], name="anon_comment_campaign_unit")]

    def __str__(self) -> str:
        return str(self.id)


class ResponseRateSnapshot(models.Model):
    """Invited and answered per unit, as at the end of the day before `taken_on`.

    Taken at most once a day, so a response rate can never time a single answer; kept after
    the participation records are deleted (the rate history is an aggregate).
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="rate_snapshots")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    taken_on = models.DateField()
    invited = models.PositiveIntegerField()
    answered = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("svarprosent (øyeblikksbilde)")
        verbose_name_plural = _("svarprosenter (øyeblikksbilder)")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit", "taken_on"], name="rate_snapshot_daily")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.unit_id} {self.taken_on}"


class ResultArchive(models.Model):
    """The results of an anonymous campaign as shown (after the group-size rule), kept when
    the raw answers are deleted by the retention policy."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="result_archive")
    created_on = models.DateField(default=timezone.localdate)
    data = models.JSONField()

    class Meta:
        verbose_name = _("resultatarkiv")
        verbose_name_plural = _("resultatarkiv")

    def __str__(self) -> str:
        return str(self.campaign_id)


class SurveyFollowUp(models.Model):
    """The ARK follow-up of a unit after a working-environment survey: the fact sheet (a joint
    response), the feedback meeting with the employees, and the measures agreed there (actions
    in the unit's action plan)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="followups")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    fact_sheet = models.OneToOneField(
        Response, null=True, blank=True, on_delete=models.PROTECT, related_name="survey_followup"
    )
    meeting_held_on = models.DateField(_("tilbakemeldingsmøte holdt"), null=True, blank=True)
    meeting_attendees = models.PositiveSmallIntegerField(_("antall deltakere"), null=True, blank=True)
    meeting_summary = models.TextField(_("oppsummering fra møtet"), blank=True, default="")
    # Primary keys of the actions (workflows.ActionItem) created for the agreed measures.
    action_ids = models.JSONField(default=list, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("oppfølging av undersøkelse")
        verbose_name_plural = _("oppfølging av undersøkelser")
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="survey_followup_once")]

    def __str__(self) -> str:
        return f"{self.campaign} – {self.unit}"
