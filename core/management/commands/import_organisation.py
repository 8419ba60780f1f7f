"""Import units, safety areas, people and roles from a CSV file (see core.importing)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.importing import ImportFailed, organisation_import


class Command(BaseCommand):
    help = "Import the organisation from CSV. Nothing is written if any row is wrong."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="CSV file (UTF-8) with a 'record' column")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {path}: {exc}") from exc
        try:
            result = organisation_import(actor=None, text=text)
        except ImportFailed as exc:
            for error in exc.errors:
                self.stderr.write(f"{path}: {error}")
            raise CommandError(f"{len(exc.errors)} problem(s); nothing was imported") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.units} new units, {result.safety_areas} new safety areas, "
                f"{result.people} new people and {result.roles} new roles."
            )
        )
