"""Restore a backup archive made by `manage.py backup` (ops/backup.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.ops.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup into an empty, migrated database (same Verne version)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--flush", action="store_true",
                            help="Delete everything in this database first (no way back).")  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = restore_backup(options["archive"], flush=options["flush"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["counts"].values())
        self.stdout.write(f"Restored {rows} rows and {len(manifest['media'])} files from {manifest['created_at']}.")
