"""Apply the retention policy for anonymous surveys (docs/privacy.md). Idempotent; run daily."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from surveys.anon.retention import apply_retention


class Command(BaseCommand):
    help = "Delete participation records, free text and raw anonymous answers when their time is up."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Report what would be done; change nothing.")
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None, help="Pretend it is this day (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        report = apply_retention(today=options["today"], dry_run=options["dry_run"])
        prefix = "would " if options["dry_run"] else ""
        if not report.campaigns:
            self.stdout.write("Nothing to do.")
        for c in report.campaigns:
            self.stdout.write(
                f"{c.campaign} (closed {c.closed_on}): {prefix}revoke {c.links_revoked} links, "
                f"delete {c.participations_deleted} participations, erase {c.comments_erased} and delete "
                f"{c.comments_deleted} free texts, delete {c.answers_deleted} answers"
                + (", results archived" if c.archived else "")
            )
