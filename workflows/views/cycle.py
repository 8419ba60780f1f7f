"""The årshjul: calendars (organisation and unit), the HMS admin's set-up, settings, the .ics feed."""

from __future__ import annotations

import datetime as dt
from itertools import groupby
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core.models import OrgUnit, User
from core.permissions import Perm, has_perm, units_with_perm

from .. import services
from ..forms import CycleItemForm, SettingsForm
from ..ical import calendar
from ..models import AnnualCycleItem, AnnualCycleRun, CalendarFeedToken
from ..selectors import calendar_entries, workflow_settings
from ..services.cycle import CYCLE_FIELDS, SETTINGS_FIELDS
from ._access import _get_unit_for_user
from ._common import unit_nav


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("ar", ""))
    except ValueError:
        year = timezone.localdate().year
    return min(max(year, 2000), 2100)


def _months(entries: list[Any]) -> list[dict[str, Any]]:
    return [
        {"label": date_format(dt.date(2000, month, 1), "F"), "entries": list(items)}
        for month, items in groupby(entries, key=lambda e: e.date.month)
    ]


@login_required
def cycle_calendar(request: HttpRequest) -> HttpResponse:
    """The organisation's årshjul, with rounds and reviews in the units the person can see."""
    year = _year(request)
    units = units_with_perm(request.user, Perm.ROUND_VIEW)
    entries = calendar_entries(units=units, year=year)
    ctx = {
        "year": year,
        "months": _months(entries),
        "can_administer": has_perm(request.user, Perm.ORG_ADMINISTER),
        "unit": None,
    }
    return render(request, "workflows/calendar.html", ctx)


@login_required
def unit_calendar(request: HttpRequest, code: str) -> HttpResponse:
    unit = _get_unit_for_user(request, code, Perm.UNIT_VIEW)
    year = _year(request)
    units = [unit] if has_perm(request.user, Perm.ROUND_VIEW, unit) else None
    entries = calendar_entries(units=units, year=year, unit=unit)
    ctx = {"year": year, "months": _months(entries), "unit": unit, "nav": unit_nav(request, unit, "calendar")}
    return render(request, "workflows/calendar.html", ctx)


def _require_admin(request: HttpRequest) -> None:
    if not has_perm(request.user, Perm.ORG_ADMINISTER):
        raise PermissionDenied


def _cycle_units() -> Any:
    return OrgUnit.objects.active().order_by("path")


@login_required
def cycle_admin(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = CycleItemForm(request.POST or None, units=_cycle_units())
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k in CYCLE_FIELDS}
        try:
            services.cycle_item_create(actor=request.user, **values)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Punktet er lagt til i årshjulet."))
            return HttpResponseRedirect(reverse("cycle_admin"))
    items = list(AnnualCycleItem.objects.select_related("unit").order_by("month", "day", "title"))
    runs = list(AnnualCycleRun.objects.select_related("item").order_by("-ran_at")[:20])
    return render(request, "workflows/cycle_admin.html", {"form": form, "items": items, "runs": runs})


@login_required
def cycle_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    item = AnnualCycleItem.objects.filter(pk=pk).first()
    if item is None:
        raise Http404
    initial = {f: getattr(item, f) for f in CYCLE_FIELDS}
    form = CycleItemForm(request.POST or None, units=_cycle_units(), initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k in CYCLE_FIELDS}
        try:
            services.cycle_item_update(actor=request.user, item=item, **values)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Punktet er endret."))
            return HttpResponseRedirect(reverse("cycle_admin"))
    return render(request, "workflows/cycle_item_form.html", {"form": form, "item": item})


@login_required
def workflow_settings_edit(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    current = workflow_settings()
    form = SettingsForm(request.POST or None, initial={f: getattr(current, f) for f in SETTINGS_FIELDS})
    if request.method == "POST" and form.is_valid():
        try:
            services.workflow_settings_update(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Innstillingene er lagret."))
            return HttpResponseRedirect(reverse("workflow_settings"))
    return render(request, "workflows/settings.html", {"form": form})


@never_cache
@login_required
def calendar_feed_settings(request: HttpRequest) -> HttpResponse:
    """Create (or replace, or stop) the person's private calendar link. The link is shown once."""
    user: User = request.user  # type: ignore[assignment]
    feed_url = None
    if request.method == "POST":
        if request.POST.get("stop"):
            services.calendar_token_revoke(actor=user)
            messages.success(request, _("Kalenderlenken virker ikke lenger."))
            return HttpResponseRedirect(reverse("calendar_feed_settings"))
        token = services.calendar_token_create(actor=user)
        feed_url = django_settings.SITE_URL + reverse("calendar_feed", kwargs={"token": token})
    ctx = {"feed_url": feed_url, "has_feed": CalendarFeedToken.objects.filter(user=user).exists()}
    response = render(request, "workflows/calendar_feed.html", ctx)
    add_never_cache_headers(response)
    return response


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The person's årshjul as iCalendar: their units' dates, rounds, reviews and own deadlines."""
    user = services.calendar_token_user(token)
    if user is None:
        raise Http404
    today = timezone.localdate()
    units = units_with_perm(user, Perm.ROUND_VIEW)
    entries = [
        e
        for year in (today.year - 1, today.year, today.year + 1)
        for e in calendar_entries(units=units, year=year, user=user)
    ]
    host = urlsplit(django_settings.SITE_URL).hostname or "verne"
    body = calendar(entries, name=f"{django_settings.SITE_NAME} – {_('Årshjul')}", host=host,
                    base_url=django_settings.SITE_URL)  # fmt: skip
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="verne.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response
