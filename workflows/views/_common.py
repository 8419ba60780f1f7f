"""Bits shared by the workflow views."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from core.models import OrgUnit
from core.permissions import Perm, has_perm


def unit_nav(request: HttpRequest, unit: OrgUnit, current: str) -> list[dict[str, Any]]:
    """Links to the unit's follow-up pages the person may open."""
    pages = [
        ("actions", _("Handlingsplan"), "action_plan", Perm.ACTION_VIEW),
        ("deviations", _("Avvik"), "deviation_list", Perm.DEVIATION_VIEW),
        ("rounds", _("HMS-runder"), "round_list", Perm.ROUND_VIEW),
        ("risk", _("Risikovurderinger"), "risk_list", Perm.RISK_VIEW),
        ("calendar", _("Årshjul"), "unit_calendar", Perm.UNIT_VIEW),
    ]
    return [
        {"key": key, "label": label, "url": reverse(name, kwargs={"code": unit.code}), "current": key == current}
        for key, label, name, perm in pages
        if has_perm(request.user, perm, unit)
    ]
