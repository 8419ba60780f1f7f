"""Privacy pages: "Mine data" for everyone, the public statements, and the HMS admin's page."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core.models import User
from core.permissions import Perm, has_perm
from core.selectors import organisation_root

from . import retention, selectors, services
from .defaults import DEFAULTS
from .forms import InfoPageForm, PersonRemoveForm
from .models import InfoPage
from .text import blocks

SECTION_LABELS = {
    "memberships": gettext_lazy("Roller"),
    "responses": gettext_lazy("Egne besvarelser med navn"),
    "answers_in_joint_responses": gettext_lazy("Svar du har lagret i felles besvarelser"),
    "signatures": gettext_lazy("Signaturer"),
    "actions": gettext_lazy("Tiltak du er knyttet til"),
    "deviations_reported_by_name": gettext_lazy("Avvik du har meldt med navn"),
    "deviations_as_case_handler": gettext_lazy("Avvik du er saksbehandler for"),
    "hms_rounds": gettext_lazy("HMS-runder"),
    "anonymous_survey_invitations": gettext_lazy("Invitasjoner til anonyme undersøkelser"),
    "audit_events": gettext_lazy("Hendelser i revisjonsloggen utført av deg"),
    "change_history": gettext_lazy("Endringer du har gjort (historikk)"),
}


def _require_admin(request: HttpRequest) -> None:
    if not has_perm(request.user, Perm.ORG_ADMINISTER):
        raise PermissionDenied


# --------------------------------------------------------------------------- a person's own data


@never_cache
@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    data = selectors.person_data(user)
    sections = [(key, SECTION_LABELS[key], count) for key, count in selectors.person_summary(data)]
    return render(request, "privacy/my_data.html", {"data": data, "sections": sections})


@never_cache
@login_required
def my_data_download(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    data = services.person_data_export(actor=user)
    body = json.dumps(data, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="verne-mine-data-{stamp}.json"'
    return response


# --------------------------------------------------------------------------- statements


def _statement_text(key: str, page: InfoPage | None, language: str) -> str:
    language = language if language in ("nb", "nn", "en") else "nb"
    text = getattr(page, f"body_{language}", "") if page else ""
    if text.strip():
        return text
    root = organisation_root()
    contact = settings.VERNE_PRIVACY_CONTACT or _("HMS-administratoren i organisasjonen")
    return DEFAULTS[key][language].format(organisation=root.name if root else settings.SITE_NAME, contact=contact)


def _statement(request: HttpRequest, key: str) -> HttpResponse:
    page = InfoPage.objects.filter(key=key).first()
    language = (get_language() or "nb")[:2]
    ctx = {
        "title": InfoPage.Key(key).label,
        "blocks": blocks(_statement_text(key, page, language)),
        "updated_at": page.updated_at if page else None,
        "can_edit": has_perm(request.user, Perm.ORG_ADMINISTER),
        "key": key,
    }
    return render(request, "privacy/statement.html", ctx)


def privacy_statement(request: HttpRequest) -> HttpResponse:
    return _statement(request, InfoPage.Key.PRIVACY)


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return _statement(request, InfoPage.Key.ACCESSIBILITY)


@login_required
def info_page_edit(request: HttpRequest, key: str) -> HttpResponse:
    _require_admin(request)
    if key not in InfoPage.Key.values:
        raise Http404
    page = InfoPage.objects.filter(key=key).first()
    initial = {f"body_{lang}": _statement_text(key, page, lang) for lang in ("nb", "nn", "en")}
    form = InfoPageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.info_page_update(actor=request.user, key=key, **form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, _("Siden er lagret."))
        target = "privacy_statement" if key == InfoPage.Key.PRIVACY else "accessibility_statement"
        return HttpResponseRedirect(reverse(target))
    ctx = {"form": form, "title": InfoPage.Key(key).label, "page": page,
           "history": page.history.select_related("history_user")[:10] if page else []}  # fmt: skip
    return render(request, "privacy/statement_edit.html", ctx)


# --------------------------------------------------------------------------- HMS admin


@never_cache
@login_required
def privacy_admin(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    query = request.GET.get("q", "").strip()[:100]
    people = list(selectors.people_for_admin(query)[:50]) if query else []
    days = retention.retention_days()
    kinds = [(k.label, k.explanation, days[k.key]) for k in retention.KINDS]
    survey = [
        (_("Deltakelse i anonyme undersøkelser"), settings.VERNE_SURVEY_PARTICIPATION_RETENTION_DAYS),
        (_("Fritekst i anonyme undersøkelser"), settings.VERNE_SURVEY_FREE_TEXT_RETENTION_DAYS),
        (_("Anonyme svar"), settings.VERNE_SURVEY_ANSWER_RETENTION_DAYS),
    ]
    ctx = {"query": query, "people": people, "kinds": kinds, "survey": survey}
    return render(request, "privacy/admin.html", ctx)


def _get_person_for_user(request: HttpRequest, pk: int) -> User:
    _require_admin(request)
    person = User.objects.filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


@never_cache
@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = _get_person_for_user(request, pk)
    form = PersonRemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = form.cleaned_data["action"]
        reason = form.cleaned_data["reason"]
        try:
            if action == "delete":
                services.person_delete(actor=request.user, person=person, reason=reason)  # type: ignore[arg-type]
                messages.success(request, _("Personen er slettet."))
                return HttpResponseRedirect(reverse("privacy_admin"))
            services.person_anonymise(actor=request.user, person=person, reason=reason)  # type: ignore[arg-type]
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Personen er anonymisert."))
            return HttpResponseRedirect(reverse("privacy_person", kwargs={"pk": person.pk}))
    protected = selectors.protected_records(person)
    ctx = {
        "person": person,
        "form": form,
        "anonymised": services.is_anonymised(person),
        "is_self": person.pk == request.user.pk,
        "protected": protected,
        "can_delete": not any(protected.values()),
        "memberships": person.memberships.select_related("unit", "safety_area").order_by("-valid_from"),
    }
    return render(request, "privacy/person.html", ctx)
