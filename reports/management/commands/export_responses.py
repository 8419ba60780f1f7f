"""Export a campaign's responses as CSV or XLSX.

    manage.py export_responses --campaign UUID [--unit CODE] [--format xlsx] --out FILE
    manage.py export_responses --questionnaire hms_annual_report --year 2025 --out svar.xlsx

Joint and named responses: one row per response. Anonymous surveys: the results after the
group-size rule (one row per group, question and answer option), never a row per respondent.
Cells that a spreadsheet would run as formulas are neutralised.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from core.models import OrgUnit
from reports import exports
from surveys.models import Campaign


class Command(BaseCommand):
    help = "Export a campaign's responses (CSV or XLSX); anonymous surveys as results after the group-size rule."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--campaign", default="", help="campaign id")
        parser.add_argument("--questionnaire", default="", help="questionnaire key (with --year)")
        parser.add_argument("--year", type=int, default=None)
        parser.add_argument("--unit", default="", help="unit code (default: the whole organisation)")
        parser.add_argument("--format", default="", choices=["", "csv", "xlsx"], help="default: from --out's extension")
        parser.add_argument("--out", required=True)
        parser.add_argument("--language", default="nb", choices=["nb", "en"])

    def handle(self, *args: Any, **options: Any) -> None:
        qs = Campaign.objects.exclude(status=Campaign.Status.DRAFT).select_related("version__questionnaire")
        if options["campaign"]:
            campaign = qs.filter(pk=options["campaign"]).first()
        elif options["questionnaire"] and options["year"]:
            campaign = qs.filter(version__questionnaire__key=options["questionnaire"], year=options["year"]).order_by("-created_at").first()
        else:
            raise CommandError("Give --campaign, or --questionnaire and --year.")
        if campaign is None:
            raise CommandError("No such campaign (drafts cannot be exported).")
        code = options["unit"]
        unit = OrgUnit.objects.filter(code=code).first() if code else OrgUnit.objects.filter(parent__isnull=True).first()
        if unit is None:
            raise CommandError(f"No unit with code {code!r}." if code else "There is no organisation yet.")
        out = Path(options["out"])
        fmt = options["format"] or out.suffix.lstrip(".").lower()
        if fmt not in ("csv", "xlsx"):
            raise CommandError("Choose --format csv or xlsx (or name the file .csv or .xlsx).")
        with translation.override(options["language"]):
            rows = list(exports.rows_for(campaign, unit, None, locale=options["language"]))
            data = exports.to_csv(rows) if fmt == "csv" else exports.to_xlsx(rows, title=campaign.title)
        out.write_bytes(data)
        self.stdout.write(f"Wrote {out}: {max(len(rows) - 1, 0)} rows ({campaign.title}, {unit.name})")
