"""Import a SurveyJS questionnaire (publishes a new version when it changed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from surveys.services import DefinitionRejected, questionnaire_import


class Command(BaseCommand):
    help = "Import a questionnaire from SurveyJS JSON. Errors are printed with their JSON paths."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--key", help="questionnaire key (default: the JSON's verneKey)")
        parser.add_argument("--note", default="", help="change note for the new version")

    def handle(self, *args: Any, **options: Any) -> None:
        failed = 0
        for path in options["files"]:
            try:
                raw = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(f"cannot read {path}: {exc}") from exc
            try:
                version = questionnaire_import(actor=None, raw=raw, key=options["key"], note=options["note"])
            except DefinitionRejected as exc:
                failed += 1
                for p in exc.problems:
                    where = f" (position {p.position})" if getattr(p, "position", None) is not None else ""
                    self.stderr.write(f"{path}: {p.path}: {p.message}{where}")
                continue
            self.stdout.write(f"{path}: {version.questionnaire.key} version {version.number}")
        if failed:
            raise CommandError(f"{failed} file(s) rejected; nothing was stored for them")
