"""Time-based follow-up work, for cron or a systemd timer (idempotent; safe to run twice at once).

    manage.py workflows_tick                 # everything that is due today
    manage.py workflows_tick --only reminders,overdue
    manage.py workflows_tick --loop 300      # keep running, every 300 seconds

Steps: `reminders` (N days before an action's deadline), `overdue` (the day after it), `escalation`
(M days overdue, to the leader of the unit above), `cycle` (årshjul items whose date has come:
HMS rounds are scheduled, campaigns opened or recorded). N and M are the organisation's settings.
Every row is claimed with a conditional UPDATE before its email is enqueued, so nothing is sent twice.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from workflows import services

STEPS = ("reminders", "overdue", "escalation", "cycle")


class Command(BaseCommand):
    help = "Send deadline reminders, overdue notices and escalations; run the årshjul."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--only", default="", help=f"comma-separated steps of: {', '.join(STEPS)}")
        parser.add_argument("--today", default="", help="run as if it were this date (YYYY-MM-DD)")
        parser.add_argument("--loop", type=int, default=0, help="repeat every N seconds (0: run once)")

    def handle(self, *args: Any, **options: Any) -> None:
        steps = [s.strip() for s in options["only"].split(",") if s.strip()] or list(STEPS)
        unknown = set(steps) - set(STEPS)
        if unknown:
            raise CommandError(f"unknown steps: {', '.join(sorted(unknown))}")
        self.verbosity = options["verbosity"]
        fixed_day = dt.date.fromisoformat(options["today"]) if options["today"] else None
        while True:
            self.run_once(steps, fixed_day or timezone.localdate())
            if not options["loop"]:
                return
            time.sleep(options["loop"])

    def run_once(self, steps: list[str], today: dt.date) -> None:
        counts: dict[str, int] = {}
        if "reminders" in steps:
            counts["reminders"] = services.actions_send_reminders(today=today)
        if "overdue" in steps:
            counts["overdue"] = services.actions_send_overdue_notices(today=today)
        if "escalation" in steps:
            counts["escalation"] = services.actions_escalate_overdue(today=today)
        if "cycle" in steps:
            counts["cycle"] = len(services.annual_cycle_run(today=today))
        if self.verbosity:
            self.stdout.write(f"{today.isoformat()}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
