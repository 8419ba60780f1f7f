"""Load the demo organisation and, app by app, its questionnaires, answers and follow-up."""

from __future__ import annotations

import importlib
from typing import Any

from django.core.management.base import BaseCommand

from core import demo

# Apps that add demo data after the organisation, in this order. Each may provide
# `<app>.demo.load(stdout) -> dict` (idempotent).
DEMO_APPS = ["surveys", "workflows", "reports"]


class Command(BaseCommand):
    help = "Build the demo organisation (idempotent) and print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = demo.build_organisation()
        self.stdout.write(
            f"Organisation: {counts['units']} units, {counts['safety_areas']} safety areas, "
            f"{counts['people']} people ({counts['people_created']} new), "
            f"{counts['memberships']} roles."
        )
        for app in DEMO_APPS:
            try:
                module = importlib.import_module(f"{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.demo":
                    raise
                continue
            summary = module.load(self.stdout)
            if summary:
                self.stdout.write(f"{app}: " + ", ".join(f"{k} {v}" for k, v in summary.items()))
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for everyone: {demo.DEMO_PASSWORD})"))
        width = max(len(p.username) for p in demo.PERSONAS)
        for p in demo.PERSONAS:
            self.stdout.write(f"  {p.username.ljust(width)}  {p.first_name} {p.last_name} – {p.description}")
        self.stdout.write("Open http://127.0.0.1:8000/ and log in.")
