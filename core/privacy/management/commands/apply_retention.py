"""Apply the retention settings (VERNE_RETENTION_DAYS). Idempotent; run daily.

Anonymous survey data are handled by `apply_survey_retention` (schedule both).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from core.privacy.retention import KINDS, apply_retention, retention_days


class Command(BaseCommand):
    help = "Delete or anonymise records whose retention period has run out (one setting per kind)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Report what would be done; change nothing.")
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None, help="Pretend it is this day (YYYY-MM-DD).")
        parser.add_argument("--only", action="append", choices=[k.key for k in KINDS], help="Only this kind (repeatable).")

    def handle(self, *args: Any, **options: Any) -> None:
        now = None
        if options["today"]:
            now = timezone.make_aware(dt.datetime.combine(options["today"], dt.time(12)))
        report = apply_retention(now=now, dry_run=options["dry_run"], only=options["only"])
        days = retention_days()
        verb = "would remove" if options["dry_run"] else "removed"
        for key, count in report.done.items():
            limit = f"{days[key]} days" if key != "sessions" else "expired"
            self.stdout.write(f"{key} ({limit}): {verb} {count}")
        for key in report.skipped:
            self.stdout.write(f"{key}: kept (no retention period set)")
