"""Answering an anonymous survey, page by page, without any server-side draft.

Two ways in, one participation:

* the one-time link: `/undersokelse/#CODE`. The landing page's script moves the code from the
  URL fragment into a POST (the fragment never reaches the server, so no log can hold it);
  every later page re-posts it in a hidden field;
* the home page, logged in: `/undersokelse/<campaign>/`; later pages post the campaign id and
  the session identifies the person.

The answers so far travel with each page in a signed hidden field (`state`), bound to the
participation, and the page script keeps the latest one in the browser's localStorage for
"continue later". Nothing is stored before the answer is submitted, and these views never
write to the session (no messages framework). All POST data is hidden from error reports.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST

from reports.anonymity import thresholds
from surveys import engine_api
from surveys.models import Campaign, Mode, Participation, QuestionnaireVersion
from surveys.wizard_forms import PageForm, build_page_form, initial_for

from . import selectors, services

SUMMARY = "__summary__"
_STATE_SALT = "verne.surveys.anon.state"
STATE_MAX_AGE = 120 * 24 * 3600  # a draft outlives any campaign


@dataclass
class Ticket:
    """Who is answering: a participation, reached by its link (token) or by logging in."""

    participation: Participation
    token: str = ""

    @property
    def campaign(self) -> Campaign:
        return self.participation.campaign

    @property
    def version(self) -> QuestionnaireVersion:
        return self.participation.campaign.version


def _state_salt(participation: Participation) -> str:
    return f"{_STATE_SALT}.{participation.pk}"


@sensitive_variables()
def sign_state(participation: Participation, answers: dict[str, Any], page: str) -> str:
    return signing.dumps({"a": answers, "p": page}, salt=_state_salt(participation), compress=True)


@sensitive_variables()
def read_state(participation: Participation, blob: str) -> tuple[dict[str, Any], str]:
    """(answers, page) from a signed state; empty when missing, tampered with or foreign."""
    if not blob:
        return {}, ""
    try:
        data = signing.loads(blob, salt=_state_salt(participation), max_age=STATE_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return {}, ""
    answers = data.get("a") if isinstance(data, dict) else None
    page = data.get("p") if isinstance(data, dict) else ""
    return (answers if isinstance(answers, dict) else {}), (page if isinstance(page, str) else "")


@sensitive_variables()
def _ticket(request: HttpRequest) -> Ticket | None:
    """The participation a POST is for: by the re-posted link code, else by login + campaign."""
    token = request.POST.get("token", "")
    if token:
        participation = selectors.participation_for_token(token)
        return Ticket(participation, token) if participation is not None else None
    campaign_id = request.POST.get("campaign", "")
    if campaign_id and request.user.is_authenticated:
        try:
            participation = selectors.participation_for_user(request.user, campaign_id)  # type: ignore[arg-type]
        except (ValueError, TypeError, ValidationError):  # a malformed id is just "no ticket"
            return None
        if participation is not None and not participation.answered:
            return Ticket(participation)
    return None


def _unavailable(request: HttpRequest, reason: str, *, status: int = 200) -> HttpResponse:
    messages = {
        "invalid": _("Lenken eller koden er ugyldig, eller den er allerede brukt til å sende inn et svar."),
        "used": _("Denne lenken er allerede brukt. Takk for at du svarte!"),
        "answered": _("Du har allerede svart på denne undersøkelsen. Takk!"),
        "closed": _("Undersøkelsen er avsluttet, og det kan ikke lenger sendes inn svar."),
        "not_invited": _("Du er ikke invitert til denne undersøkelsen, eller du har allerede svart."),
        "not_open": _("Undersøkelsen er ikke åpen ennå."),
    }
    return render(request, "surveys/anon/unavailable.html", {"message": messages[reason]}, status=status)


def _check_open(ticket: Ticket) -> str:
    campaign = ticket.campaign
    if campaign.mode != Mode.ANONYMOUS:
        return "invalid"
    if campaign.status == Campaign.Status.CLOSED:
        return "closed"
    if not campaign.is_open():
        return "not_open"
    return ""


# ------------------------------------------------------------------------ rendering


def _form_for(session: engine_api.Session, page: str, data: Any = None) -> PageForm:
    form_class = build_page_form(session.page(page))
    if data is not None:
        return form_class(data=data, prefix=page)
    return form_class(prefix=page, initial=initial_for(form_class, session.values))


@sensitive_variables()
def _render_page(
    request: HttpRequest, ticket: Ticket, session: engine_api.Session, page: str, form: PageForm | None = None,
    *, notice: str = "",
) -> HttpResponse:  # fmt: skip
    visible = session.visible_pages()
    if page == SUMMARY or not visible:
        return _render_summary(request, ticket, session)
    if page not in visible:
        page = visible[0]
    elements = _elements_html(request, session, page, form)
    index = visible.index(page)
    ctx = {
        "ticket": ticket,
        "campaign": ticket.campaign,
        "questionnaire": ticket.version.questionnaire,
        "page": session.page(page),
        "page_name": page,
        "form": form,
        "elements_html": elements,
        "page_number": index + 1,
        "page_count": len(visible),
        "progress_percent": int(100 * (index) / max(len(visible), 1)),
        "has_previous": index > 0,
        "is_last": index == len(visible) - 1,
        "state": sign_state(ticket.participation, session.values, page),
        "notice": notice,
        "evaluate_url": reverse("anon_evaluate"),
    }
    return _no_store(render(request, "surveys/anon/page.html", ctx))


# Rendered questions of pages shown without any answer on them, per process (never shared:
# not the Django cache, which may be Redis). The key is the page as the engine sees it.
_EMPTY_PAGES: dict[str, str] = {}


def _elements_html(request: HttpRequest, session: engine_api.Session, page: str, form: PageForm | None) -> str:
    """The page's questions as HTML. A page with no answers yet (the usual "next page") is
    rendered once per process and reused; with answers or errors it is rendered each time."""
    model = session.page(page)
    empty = form is None and all(q.value in (None, "", [], {}) for q in model.questions())
    key = ""
    if empty:
        key = hashlib.sha256(
            f"{session.version.pk}:{session.version.definition_hash}:{session.locale}:{model!r}".encode()
        ).hexdigest()
        cached = _EMPTY_PAGES.get(key)
        if cached is not None:
            return cached
    form = form or _form_for(session, page)
    html = render_to_string("surveys/anon/_elements.html", {"page": model, "form": form}, request=None)
    if empty:
        if len(_EMPTY_PAGES) > 2000:
            _EMPTY_PAGES.clear()
        _EMPTY_PAGES[key] = html
    return html


@sensitive_variables()
def _render_summary(request: HttpRequest, ticket: Ticket, session: engine_api.Session, *, errors: bool = False) -> HttpResponse:
    ctx = {
        "ticket": ticket,
        "campaign": ticket.campaign,
        "questionnaire": ticket.version.questionnaire,
        "summary": engine_api.answer_summary(session),
        "state": sign_state(ticket.participation, session.values, SUMMARY),
        "page_name": SUMMARY,
        "errors": errors,
    }
    return _no_store(render(request, "surveys/anon/summary.html", ctx))


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store, private, max-age=0"
    return response


def _session(ticket: Ticket, answers: dict[str, Any]) -> engine_api.Session:
    return engine_api.Session(ticket.version, answers, locale=get_language() or "nb")


# ------------------------------------------------------------------------ views


@never_cache
@sensitive_post_parameters()
@sensitive_variables()
@require_http_methods(["GET", "POST"])
def anon_start(request: HttpRequest) -> HttpResponse:
    """The landing page of a one-time link; a POST with the code starts (or resumes) answering."""
    if request.method == "GET":
        return _no_store(render(request, "surveys/anon/start.html", {"thresholds": thresholds()}))
    ticket = _ticket(request)
    if ticket is None or not request.POST.get("token"):
        return _no_store(render(request, "surveys/anon/start.html", {"invalid": True, "thresholds": thresholds()}))
    reason = _check_open(ticket)
    if reason:
        return _unavailable(request, reason)
    answers, page = _draft_from(request, ticket)
    session = _session(ticket, answers)
    notice = _("Svarene du hadde lagret i nettleseren er hentet fram.") if answers else ""
    return _render_page(request, ticket, session, page, notice=notice)


def _draft_from(request: HttpRequest, ticket: Ticket) -> tuple[dict[str, Any], str]:
    """A draft the browser kept for this campaign (signed for this participation), if any."""
    try:
        drafts = json.loads(request.POST.get("drafts") or "{}")
    except ValueError:
        return {}, ""
    if not isinstance(drafts, dict):
        return {}, ""
    entry = drafts.get(str(ticket.campaign.pk))
    blob = entry.get("state") if isinstance(entry, dict) else None
    return read_state(ticket.participation, blob if isinstance(blob, str) else "")


@never_cache
@login_required
@sensitive_post_parameters()
@sensitive_variables()
@require_http_methods(["GET", "POST"])
def anon_home(request: HttpRequest, campaign_id: Any) -> HttpResponse:
    """Answer from the home page (logged in): the same participation as the emailed link.

    GET shows the introduction; its "Start" button posts any draft the browser kept.
    """
    participation = selectors.participation_for_user(request.user, campaign_id)  # type: ignore[arg-type]
    if participation is None:
        return _unavailable(request, "not_invited")
    if participation.answered:
        return _unavailable(request, "answered")
    ticket = Ticket(participation)
    reason = _check_open(ticket)
    if reason:
        return _unavailable(request, reason)
    if request.method == "GET":
        ctx = {"ticket": ticket, "campaign": ticket.campaign, "thresholds": thresholds()}
        return _no_store(render(request, "surveys/anon/start.html", ctx))
    answers, page = _draft_from(request, ticket)
    session = _session(ticket, answers)
    notice = _("Svarene du hadde lagret i nettleseren er hentet fram.") if answers else ""
    return _render_page(request, ticket, session, page, notice=notice)


@never_cache
@sensitive_post_parameters()
@sensitive_variables()
@require_http_methods(["GET", "POST"])
def anon_page(request: HttpRequest) -> HttpResponse:
    """One page posted: validate with the engine, then the next page, the summary, or submit.

    A GET (a reload, or the language switch) goes back to the landing page, whose script
    resumes from the tab's session storage and the browser's draft.
    """
    if request.method == "GET":
        return redirect("anon_start")
    ticket = _ticket(request)
    if ticket is None:
        return _unavailable(request, "invalid", status=400)
    reason = _check_open(ticket)
    if reason:
        return _unavailable(request, reason)
    answers, _page = read_state(ticket.participation, request.POST.get("state", ""))
    session = _session(ticket, answers)
    current = request.POST.get("page", "")
    nav = request.POST.get("nav", "next")
    visible = session.visible_pages()
    if current == SUMMARY:
        if nav == "submit":
            return _submit(request, ticket, session)
        target = nav[len("goto:"):] if nav.startswith("goto:") else ""
        return _render_page(request, ticket, session, target)
    if current not in visible:
        return _render_page(request, ticket, session, visible[0] if visible else SUMMARY)
    form = _form_for(session, current, data=request.POST)
    form.is_valid()
    values = form.page_values()
    if nav == "back" or nav.startswith("goto:"):
        session.apply_page(current, values, lenient=True)
        visible = session.visible_pages()
        if nav == "back":
            index = visible.index(current) if current in visible else 0
            target = visible[max(index - 1, 0)]
        else:
            target = nav[len("goto:"):]
        return _render_page(request, ticket, session, target)
    shown_before = set(request.POST.getlist("shown_questions"))
    errors = [e for e in session.try_page(current, values) if e.blocking]
    if errors:
        bound = _form_for(session, current, data=request.POST)
        bound.is_valid()
        bound.add_engine_errors(errors)
        return _render_page(request, ticket, session, current, bound)
    now_visible = {q.name for q in session.page(current).questions(visible_only=True) if q.has_input}
    if "shown_questions" in request.POST and now_visible - shown_before:
        return _render_page(request, ticket, session, current,
                            notice=_("Svarene dine ga nye spørsmål på denne siden."))  # fmt: skip
    visible = session.visible_pages()
    later = visible[visible.index(current) + 1:] if current in visible else []
    return _render_page(request, ticket, session, later[0] if later else SUMMARY)


@sensitive_variables()
def _submit(request: HttpRequest, ticket: Ticket, session: engine_api.Session) -> HttpResponse:
    problems = {page: errs for page, errs in session.errors().items() if any(e.blocking for e in errs)}
    if problems:
        first = next(iter(problems))
        return _render_page(request, ticket, session, first,
                            notice=_("Noen svar må rettes før du kan sende inn."))  # fmt: skip
    values = services.completed_values(ticket.version, session.values)
    try:
        services.anonymous_answer_submit(participation_id=ticket.participation.pk, values=values)
    except services.AnswerRejected as exc:
        return _unavailable(request, exc.reason if exc.reason in ("used", "closed") else "invalid")
    return redirect(f"{reverse('anon_done')}?k={ticket.campaign.pk}")


@never_cache
@sensitive_post_parameters()
@sensitive_variables()
@require_POST
def anon_evaluate(request: HttpRequest) -> JsonResponse:
    """For the page script: the page as it looks with the values typed so far (nothing saved)."""
    ticket = _ticket(request)
    if ticket is None or _check_open(ticket):
        raise Http404
    answers, _page = read_state(ticket.participation, request.POST.get("state", ""))
    session = _session(ticket, answers)
    page = request.POST.get("page", "")
    if page not in session.all_pages():
        return JsonResponse({"error": "unknown page"}, status=400)
    form = _form_for(session, page, data=request.POST)
    form.is_valid()
    session.apply_page(page, form.page_values(), lenient=True)
    response = JsonResponse(engine_api.page_state(session, page))
    response["Cache-Control"] = "no-store"
    return response


@never_cache
def anon_done(request: HttpRequest) -> HttpResponse:
    """Thank you. The page script removes the browser's draft of this campaign."""
    campaign_key = request.GET.get("k", "")
    return render(request, "surveys/anon/done.html", {"campaign_key": campaign_key[:40]})
