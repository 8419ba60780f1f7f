"""Demo HMS goals (`manage.py load_demo`, after the surveys and workflows demos). Idempotent.

The organisation and a few units get goals for last year and this year: H2 below a target,
every annual report signed by 1 March, a share of positive answers on the barometer's routines
question, and no overdue actions at the end of the year. Some are met and some are not, so the
goal pages, the AMU report and "make an action of a missed goal" have something to show.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.models import AuditEvent, OrgUnit, User
from core.services import audit_record

from . import services
from .models import HmsGoal

MARKER = "demo.reports"


def load(stdout: Any = None) -> dict[str, int]:
    if AuditEvent.objects.filter(verb=MARKER).exists():
        return {}
    admin = User.objects.filter(username="hms.admin").first()
    root = OrgUnit.objects.filter(parent__isnull=True).first()
    if admin is None or root is None:
        return {}
    year = timezone.localdate().year
    created = 0
    I = HmsGoal.Indicator  # noqa: E741
    plans = [
        ("NHU", year - 1, I.H2_BELOW, Decimal("20"), None, "", "H2-verdien for hele universitetet skal ned."),
        ("NHU", year - 1, I.REPORT_SIGNED_BY, None, dt.date(year - 1, 3, 1), "", "Alle enheter leverer HMS-årsrapporten innen 1. mars."),
        ("NHU", year - 1, I.BAROMETER_FAVOURABLE, Decimal("80"), None, "barometer_routines_followed", ""),
        ("NHU", year - 1, I.OVERDUE_ACTIONS_CLOSED, None, None, "", "Ingen tiltak skal stå over frist ved årsskiftet."),
        ("NHU", year, I.H2_BELOW, Decimal("5"), None, "", ""),
        ("NHU", year, I.REPORT_SIGNED_BY, None, dt.date(year, 3, 1), "", ""),
        ("NT", year - 1, I.H2_BELOW, Decimal("5"), None, "", "Fakultetets mål for personskader."),
        ("NT-KJE", year - 1, I.BAROMETER_FAVOURABLE, Decimal("80"), None, "barometer_routines_followed", "Rutinene skal følges."),
        ("NT-KJE", year - 1, I.OVERDUE_ACTIONS_CLOSED, None, None, "", ""),
        ("NT-KJE", year - 1, I.ARK_SCORE, Decimal("60"), None, "score:score_predictability", ""),
    ]  # fmt: skip
    with transaction.atomic():
        for code, y, indicator, value, day, measure, text in plans:
            unit = OrgUnit.objects.filter(code=code).first()
            if unit is None:
                continue
            services.goal_create(actor=admin, unit=unit, year=y, indicator=indicator, target_value=value, target_date=day,
                                 measure=measure, description=text)  # fmt: skip
            created += 1
        audit_record(actor=None, verb=MARKER, target=root, unit=root, data={"goals": created})
    if stdout is not None:
        stdout.write(f"  reports: {created} HMS goals")
    return {"goals": created}
