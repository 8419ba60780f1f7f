"""Web shell: home page, units, language choice."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import activate
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from . import selectors, services, sso
from .forms import LoginForm
from .models import OrgUnit, User
from .permissions import Perm, has_perm
from .tasks_registry import collect_tasks


class LoginView(auth_views.LoginView):
    """Password login, with "Logg inn med <provider>" when single sign-on is configured."""

    authentication_form = LoginForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["sso_enabled"] = sso.is_enabled()
        ctx["sso_provider"] = sso.provider_name()
        ctx["sso_failed"] = self.request.GET.get("sso") == "feil"
        return ctx


def _get_unit_for_user(request: HttpRequest, code: str, perm: Perm = Perm.UNIT_VIEW) -> OrgUnit:
    """The unit, if the person may do `perm` on it; otherwise 404 (never reveal existence)."""
    unit = OrgUnit.objects.filter(code=code).select_related("parent", "successor").first()
    if unit is None or not has_perm(request.user, perm, unit):
        raise Http404
    return unit


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    ctx = {
        "unit_roles": selectors.person_units(user),
        "task_sections": collect_tasks(request),
    }
    return render(request, "core/home.html", ctx)


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    units = list(selectors.units_visible_to(request.user).select_related("parent"))  # type: ignore[arg-type]
    return render(request, "core/unit_list.html", {"units": units})


@login_required
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = _get_unit_for_user(request, code)
    visible_children = [
        c for c in unit.children.order_by("name") if has_perm(request.user, Perm.UNIT_VIEW, c)
    ]
    ctx = {
        "unit": unit,
        "ancestors": selectors.unit_ancestors(unit),
        "children": visible_children,
        "people": selectors.unit_people(unit),
        "safety_areas": selectors.safety_areas_covering(unit),
        "employee_count": selectors.unit_employee_count(unit),
        "can_administer": has_perm(request.user, Perm.UNIT_ADMINISTER, unit),
    }
    return render(request, "core/unit_detail.html", ctx)


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Switch the interface language and remember it for the person."""
    language = request.POST.get("language", "")
    user = request.user
    if user.is_authenticated and language in User.Language.values:
        services.person_set_language(actor=user, person=user, language=language)  # type: ignore[arg-type]
    response = set_language(request)
    if language in User.Language.values:
        activate(language)
        messages.success(request, _("Språket er endret."))
    if isinstance(response, HttpResponseRedirect):
        nxt = request.POST.get("next", "/")
        if not url_has_allowed_host_and_scheme(nxt, {request.get_host()}, request.is_secure()):
            response["Location"] = "/"
    return response
