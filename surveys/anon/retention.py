"""Retention of anonymous-survey data (docs/privacy.md). Idempotent; run daily.

Counted from the day the campaign was closed (the close event, or the deadline if later):

* at once: every link stops working (the hashes are cleared);
* after VERNE_SURVEY_PARTICIPATION_RETENTION_DAYS (14): participation records are deleted,
  after a final response-rate snapshot (the rate history is kept as counts);
* after VERNE_SURVEY_FREE_TEXT_RETENTION_DAYS (365): free text as written is erased; comments
  that were withheld or never screened are deleted, released ones keep only the released text;
* after VERNE_SURVEY_ANSWER_RETENTION_DAYS (5 years): the results as shown (after the
  group-size rule) are archived, then every anonymous answer and comment is deleted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.models import AuditEvent
from core.services import audit_record
from surveys.models import (
    AnonymousAnswer,
    AnonymousComment,
    Campaign,
    Mode,
    Participation,
    ResponseRateSnapshot,
    ResultArchive,
)


@dataclass
class CampaignRetention:
    campaign: str
    closed_on: dt.date
    links_revoked: int = 0
    participations_deleted: int = 0
    comments_erased: int = 0
    comments_deleted: int = 0
    answers_deleted: int = 0
    archived: bool = False

    @property
    def changed(self) -> bool:
        return any((self.links_revoked, self.participations_deleted, self.comments_erased, self.comments_deleted,
                    self.answers_deleted, self.archived))  # fmt: skip


@dataclass
class RetentionReport:
    today: dt.date
    campaigns: list[CampaignRetention] = field(default_factory=list)


def closed_on(campaign: Campaign) -> dt.date:
    event = (
        AuditEvent.objects.filter(verb="campaign.close", target_type=Campaign._meta.label_lower, target_id=str(campaign.pk))
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    return timezone.localdate(event) if event is not None else campaign.closes_on


def apply_retention(*, today: dt.date | None = None, dry_run: bool = False) -> RetentionReport:
    today = today or timezone.localdate()
    report = RetentionReport(today=today)
    for campaign in Campaign.objects.filter(mode=Mode.ANONYMOUS, status=Campaign.Status.CLOSED).select_related("version"):
        with transaction.atomic():
            result = _apply(campaign, today, dry_run=dry_run)
            if dry_run:
                transaction.set_rollback(True)
        if result.changed:
            report.campaigns.append(result)
    return report


def _apply(campaign: Campaign, today: dt.date, *, dry_run: bool) -> CampaignRetention:
    from reports import anonymity

    from .services import rate_snapshot_take

    closed = closed_on(campaign)
    age = (today - closed).days
    result = CampaignRetention(campaign=str(campaign.pk), closed_on=closed)
    result.links_revoked = Participation.objects.filter(campaign=campaign).filter(
        Q(token_hash__isnull=False) | Q(previous_token_hash__isnull=False)
    ).update(token_hash=None, previous_token_hash=None)
    if age >= settings.VERNE_SURVEY_PARTICIPATION_RETENTION_DAYS and Participation.objects.filter(campaign=campaign).exists():
        if not ResponseRateSnapshot.objects.filter(campaign=campaign, taken_on__gte=closed).exists():
            rate_snapshot_take(campaign=campaign, today=today)
        result.participations_deleted, _ = Participation.objects.filter(campaign=campaign).delete()
    if age >= settings.VERNE_SURVEY_FREE_TEXT_RETENTION_DAYS:
        result.comments_deleted, _ = AnonymousComment.objects.filter(campaign=campaign).exclude(
            status=AnonymousComment.Status.RELEASED
        ).delete()
        result.comments_erased = AnonymousComment.objects.filter(campaign=campaign).exclude(text="").update(text="")
    if age >= settings.VERNE_SURVEY_ANSWER_RETENTION_DAYS and AnonymousAnswer.objects.filter(campaign=campaign).exists():
        safe = anonymity.campaign_results(campaign)
        ResultArchive.objects.update_or_create(campaign=campaign, defaults={"data": safe.to_dict(), "created_on": today})
        result.archived = True
        result.answers_deleted, _ = AnonymousAnswer.objects.filter(campaign=campaign).delete()
        deleted, _ = AnonymousComment.objects.filter(campaign=campaign).delete()
        result.comments_deleted += deleted
    if result.changed and not dry_run:
        audit_record(actor=None, verb="survey.retention", target=campaign, data={
            "links_revoked": result.links_revoked, "participations_deleted": result.participations_deleted,
            "comments_erased": result.comments_erased, "comments_deleted": result.comments_deleted,
            "answers_deleted": result.answers_deleted, "archived": result.archived,
        })  # fmt: skip
    return result
