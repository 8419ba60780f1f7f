"""Time-based follow-up work, for cron or a systemd timer (idempotent; safe to run twice at once).

    manage.py workflows_tick                 # everything that is due today
    manage.py workflows_tick --only reminders,overdue
    manage.py workflows_tick --loop 300      # keep running, every 300 seconds

Steps: `reminders` (N days before the deadline of an action or of a deviation's handling),
`overdue` (the day after it), `escalation` (M days overdue, to the leader of the unit above),
`cycle` (årshjul items whose date has come: HMS rounds are scheduled, campaigns opened or
recorded). N and M are the organisation's settings. Every row is claimed with a conditional
UPDATE before its email is enqueued, so nothing is sent twice. The output counts each step,
e.g. "overdue 3 (actions 2, deviations 1)".
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from workflows import services

STEPS = ("reminders", "overdue", "escalation", "cycle")

# step -> (for actions, for deviations)
DEADLINE_STEPS = {
    "reminders": (services.actions_send_reminders, services.deviations_send_reminders),
    "overdue": (services.actions_send_overdue_notices, services.deviations_send_overdue_notices),
    "escalation": (services.actions_escalate_overdue, services.deviations_escalate_overdue),
}


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
        done: list[str] = []
        for step, (for_actions, for_deviations) in DEADLINE_STEPS.items():
            if step in steps:
                actions, deviations = for_actions(today=today), for_deviations(today=today)
                done.append(f"{step} {actions + deviations} (actions {actions}, deviations {deviations})")
        if "cycle" in steps:
            done.append(f"cycle {len(services.annual_cycle_run(today=today))}")
        if self.verbosity:
            self.stdout.write(f"{today.isoformat()}: " + ", ".join(done))
