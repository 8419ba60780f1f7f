"""Remind people who have not answered an open anonymous survey (idempotent; run daily).

Each person is claimed with a conditional UPDATE before the email is enqueued, so two runs
at once, or a run after the button, never send the same reminder twice. Reminders go out
VERNE_SURVEY_REMINDER_INTERVAL_DAYS after the previous email, at most
VERNE_SURVEY_MAX_REMINDERS times. Also takes the day's response-rate snapshot.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from surveys.anon.services import anonymous_campaign_remind, rate_snapshot_take
from surveys.models import Campaign, Mode


class Command(BaseCommand):
    help = "Send reminders with new one-time links to those who have not answered open anonymous surveys."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-snapshot", action="store_true", help="Do not take today's response-rate snapshot.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        total = 0
        for campaign in Campaign.objects.filter(mode=Mode.ANONYMOUS, status=Campaign.Status.OPEN, opens_on__lte=today):
            sent = anonymous_campaign_remind(actor=None, campaign=campaign, interval=True)
            if not options["no_snapshot"]:
                rate_snapshot_take(campaign=campaign, today=today)
            total += sent
            self.stdout.write(f"{campaign.title}: {sent} reminders")
        self.stdout.write(f"Reminders sent: {total}")
