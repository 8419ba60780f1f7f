from __future__ import annotations

from typing import Any

from django import template

from core.models import OrgUnit

from ..views._common import unit_nav

register = template.Library()


@register.simple_tag(takes_context=True)
def unit_followup_links(context: dict[str, Any], unit: OrgUnit) -> list[dict[str, Any]]:
    """The unit's follow-up pages the person may open (for the unit page)."""
    request = context.get("request")
    return unit_nav(request, unit, "") if request is not None else []
