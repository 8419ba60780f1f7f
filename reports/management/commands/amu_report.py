"""Write the annual AMU report as a Word document.

    manage.py amu_report --year 2026 [--unit CODE] --out FILE.docx [--language en]

Without --unit the report covers the whole organisation. The same figures as the AMU page;
anonymous survey results only as the group-size rule allows.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from core.models import OrgUnit
from reports import documents, selectors


class Command(BaseCommand):
    help = "Write the annual AMU report (Word) for a year, for the organisation or one unit."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--unit", default="", help="unit code (default: the whole organisation)")
        parser.add_argument("--out", required=True, help="the .docx file to write")
        parser.add_argument("--language", default="nb", choices=["nb", "en"])

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"]
        if not 2000 <= year <= 2100:
            raise CommandError("--year must be a year between 2000 and 2100.")
        if options["unit"]:
            unit = OrgUnit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"No unit with code {options['unit']!r}.")
        else:
            unit = OrgUnit.objects.filter(parent__isnull=True).first()
            if unit is None:
                raise CommandError("There is no organisation yet (load one with import_organisation or load_demo).")
        out = Path(options["out"])
        started = time.perf_counter()
        with translation.override(options["language"]):
            report = selectors.amu_report(unit, year, locale=options["language"])
            data = documents.amu_docx(report)
        out.write_bytes(data)
        self.stdout.write(f"Wrote {out} ({len(data) // 1024} KB, {unit.name}, {year}) in {time.perf_counter() - started:.1f} s")
