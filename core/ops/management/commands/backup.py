"""Back up the database (every table, history included) and the uploaded files (ops/backup.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from core.ops.backup import create_backup


class Command(BaseCommand):
    help = "Write a backup archive (.tar.gz) of the database and the media files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", type=Path, default=None,
                            help="Archive file or folder (default: BACKUP_DIR, a timestamped name).")  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        target = options["output"] or Path(settings.BACKUP_DIR)
        if options["output"] is None:
            target.mkdir(parents=True, exist_ok=True)
        result = create_backup(target)
        rows = sum(result.manifest["counts"].values())
        self.stdout.write(f"{result.path}: {rows} rows in {len(result.manifest['counts'])} tables, "
                          f"{len(result.manifest['media'])} files")  # fmt: skip
