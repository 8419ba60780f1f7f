"""The questionnaire wizard: a django-formtools WizardView whose storage is the Response.

formtools keeps wizard state in the user's session under the class name; that cannot
work for two people answering one response. Here the storage holds nothing between
requests: every step is written to the Response in the database (with the lock
version the editor started from), the current step comes from the posted management
form, and a GET resumes at the first page with a missing required answer. Pages the
engine makes invisible are skipped through `condition_dict`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from formtools.wizard.storage.base import BaseStorage
from formtools.wizard.views import WizardView

from core.models import User

from . import engine_api, services
from .models import Response
from .wizard_forms import PageForm, build_page_form, initial_for


class ResponseStorage(BaseStorage):
    """Wizard storage that keeps nothing in the session: the Response is the source of truth."""

    def __init__(self, prefix: str, request: HttpRequest | None = None, file_storage: Any = None) -> None:
        super().__init__(prefix, request, file_storage)
        self.init_data()

    def get_step_data(self, step: str) -> None:
        # Forms are filled from the saved answers (initial), never re-bound to stale POST data.
        return None

    def get_step_files(self, step: str) -> None:
        return None

    def set_step_files(self, step: str, files: Any) -> None:
        return None

    def update_response(self, response: HttpResponse) -> None:
        return None


class ResponseWizard(WizardView):
    storage_name = "surveys.wizard.ResponseStorage"
    template_name = "surveys/wizard_page.html"
    # Set per request by `response_wizard` (as_view only accepts known class attributes).
    response_obj: Response | None = None
    session_obj: engine_api.Session | None = None

    # -- wiring ------------------------------------------------------------------------------
    def get_prefix(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        assert self.response_obj is not None
        return f"response_{self.response_obj.pk.hex}"

    @property
    def response(self) -> Response:
        assert self.response_obj is not None
        return self.response_obj

    @property
    def session(self) -> engine_api.Session:
        assert self.session_obj is not None
        return self.session_obj

    def form_class_for(self, step: str) -> type[PageForm]:
        """The page's form as the page is now (visible questions, rows and panels change)."""
        return build_page_form(self.session.page(step))

    def get_form(self, step: str | None = None, data: Any = None, files: Any = None) -> PageForm:
        step = step or self.steps.current
        self.get_form_list()  # formtools expects its resolved-step cache to exist
        form_class = self.form_class_for(step)
        return form_class(
            data=data,
            files=files,
            prefix=self.get_form_prefix(step, form_class),
            # A bound form shows what was posted; the saved answers matter only when rendering.
            initial=initial_for(form_class, self.session.values) if data is None else {},
            **self.get_form_kwargs(step),
        )

    def get_form_kwargs(self, step: str | None = None) -> dict[str, Any]:
        step = step or self.steps.current

        def validate(values: dict[str, Any]) -> list[Any]:
            return self.session.try_page(step, values)

        return {"validator": validate}

    # -- GET: resume from the database -------------------------------------------------------
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        wanted = request.GET.get("side", "")
        visible = self.session.visible_pages()
        if wanted in visible:
            start = wanted
        else:
            start = self.session.first_incomplete_page() or (visible[0] if visible else None)
        if start is None:
            return redirect("response_review", response_id=self.response.pk)
        self.storage.current_step = start
        return self.render(self.get_form())

    # -- POST: save every step ---------------------------------------------------------------
    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        request = self.request
        current = request.POST.get(f"{self.prefix}-current_step", "")
        if current not in self.session.visible_pages():
            # The page disappeared (the other editor changed an answer): resume from the database.
            messages.info(request, _("Siden gjelder ikke lenger etter siste endringer."))
            return redirect("response_wizard", response_id=self.response.pk)
        # The storage keeps nothing between requests: the posted page is the current step.
        self.storage.current_step = current
        goto = request.POST.get("wizard_goto_step")
        if goto:
            # "Back" (or a jump, or "save and review"): keep what was typed on this page
            # without blocking on errors.
            if current in self.get_form_list():
                form = self.get_form(step=current, data=request.POST, files=request.FILES)
                form.validator = None
                if form.is_valid():
                    result = self._save(current, form, lenient=True)
                    if result is not None and result.conflicts:
                        return self._render_conflicts(current, form, result)
            if goto == "__review__":
                return redirect("response_review", response_id=self.response.pk)
            if goto in self.get_form_list():
                return self._redirect_to(goto)
        adding, removing = request.POST.get("wizard_add"), request.POST.get("wizard_remove")
        if adding or removing:
            return self._change_rows(current, adding, removing)
        return super().post(*args, **kwargs)

    def _change_rows(self, step: str, adding: str | None, removing: str | None) -> HttpResponse:
        """Add or remove a matrixdynamic row / paneldynamic panel (works without JavaScript)."""
        form = self.get_form(step=step, data=self.request.POST, files=self.request.FILES)
        form.validator = None
        form.is_valid()
        self.session.apply_page(step, form.page_values(), lenient=True)
        target = adding or (removing or "").rsplit(":", 1)[0]
        rows = list(self.session.values.get(target) or [])
        if adding:
            rows.append({})
        else:
            try:
                index = int((removing or "").rsplit(":", 1)[1])
            except (IndexError, ValueError):
                index = -1
            if 0 <= index < len(rows):
                rows.pop(index)
        self.session.run.answer(target, rows)
        self.session.pending_changed.add(target)
        self.session._page_cache = {}
        self._save(step, form, lenient=True, already_applied=True)
        return self._redirect_to(step)

    def process_step(self, form: PageForm) -> dict[str, Any]:
        return {}

    def render_next_step(self, form: PageForm, **kwargs: Any) -> HttpResponse:
        step = self.steps.current
        result = self._save(step, form)
        if result is not None and result.conflicts:
            return self._render_conflicts(step, form, result)
        if self._page_grew(step):
            # Answers revealed new questions on this page: show them before moving on.
            messages.info(self.request, _("Svarene dine ga nye spørsmål på denne siden."))
            return self._redirect_to(step)
        # Pages may have appeared or disappeared: recompute the step list.
        self._reset_form_list_cache()
        visible = self.session.visible_pages()
        later = [p for p in visible if visible.index(p) > visible.index(step)] if step in visible else []
        if not later:
            return redirect("response_review", response_id=self.response.pk)
        return self._redirect_to(later[0])

    def _redirect_to(self, step: str) -> HttpResponse:
        """Post/Redirect/Get: a saved page is followed by a GET of the next one, so that
        reloading or going back in the browser never re-posts stale wizard data."""
        url = reverse("response_wizard", kwargs={"response_id": self.response.pk})
        return HttpResponseRedirect(f"{url}?side={step}")

    def render_done(self, form: PageForm, **kwargs: Any) -> HttpResponse:
        step = self.steps.current
        result = self._save(step, form)
        if result is not None and result.conflicts:
            return self._render_conflicts(step, form, result)
        if self._page_grew(step):
            messages.info(self.request, _("Svarene dine ga nye spørsmål på denne siden."))
            return self._redirect_to(step)
        return redirect("response_review", response_id=self.response.pk)

    def done(self, form_list: Any, **kwargs: Any) -> HttpResponse:  # pragma: no cover - see render_done
        return redirect("response_review", response_id=self.response.pk)

    # -- helpers -----------------------------------------------------------------------------
    def _reset_form_list_cache(self) -> None:
        for attr in ("_resolved_form_list", "_cache_signature"):
            if hasattr(self, attr):
                delattr(self, attr)

    def _page_grew(self, step: str) -> bool:
        shown = set(self.request.POST.getlist("shown_questions"))
        now_visible = {q.name for q in self.session.page(step).questions(visible_only=True) if q.has_input}
        return bool(now_visible - shown) and "shown_questions" in self.request.POST

    def _save(
        self, step: str, form: PageForm, *, lenient: bool = False, already_applied: bool = False
    ) -> services.SaveResult | None:
        actor: User = self.request.user  # type: ignore[assignment]
        if already_applied:
            changed = sorted(self.session.pending_changed)
        else:
            changed = self.session.apply_page(step, form.page_values(), lenient=lenient)
        try:
            base = int(self.request.POST.get("lock_version", self.response.lock_version))
        except ValueError:
            base = self.response.lock_version
        resolutions = {
            key[len("resolve-"):]: self.session.values.get(key[len("resolve-"):])
            for key, choice in self.request.POST.items()
            if key.startswith("resolve-") and choice == "mine"
        }
        try:
            result = services.response_save_answers(
                actor=actor,
                response=self.response,
                answers=self.session.values,
                base_version=base,
                page=step,
                questions=changed,
                resolutions=resolutions,
            )
        except ValidationError as exc:
            messages.error(self.request, " ".join(exc.messages))
            return None
        self.response_obj = result.response
        if result.merged or result.conflicts:
            # Someone else saved in between: continue from the merged answers.
            self.session.reload(result.response.answers)
        if result.voided_signatures:
            messages.warning(self.request, _("Svarene ble endret etter signering. Begge må signere på nytt."))
        if result.merged and not result.conflicts:
            messages.info(self.request, _("Den andre har lagret i mellomtiden. Svarene deres er beholdt sammen med dine."))
        return result

    def _render_conflicts(self, step: str, form: PageForm, result: services.SaveResult) -> HttpResponse:
        self.storage.current_step = step
        titles = self.session.question_titles()
        conflicts = [
            {
                "question": c.question,
                "title": titles.get(c.question, c.question),
                "mine": engine_api.display_value(self.session, c.question, c.mine),
                "theirs": engine_api.display_value(self.session, c.question, c.theirs),
                "by": c.theirs_by,
                "at": c.theirs_at,
            }
            for c in result.conflicts
        ]
        # The page is shown again with the other person's saved values, and a choice per conflict.
        self.session.reload(result.response.answers)
        mine = {c.question: c.mine for c in result.conflicts}
        self.session.remember_pending(mine)
        return self.render(self.get_form(step=step), conflicts=conflicts)

    def get_context_data(self, form: PageForm, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(form=form, **kwargs)
        step = self.steps.current
        visible = self.session.visible_pages()
        answered, required = self.session.progress()
        ctx.update(
            {
                "response": self.response,
                "page": self.session.page(step),
                "page_number": visible.index(step) + 1 if step in visible else 1,
                "page_count": len(visible),
                "required_answered": answered,
                "required_total": required,
                "required_percent": int(100 * answered / required) if required else 100,
                "prev_step": self._previous_visible(step),
                "lock_version": self.response.lock_version,
                "answer_meta": self.response.answer_meta,
                "prefilled": self.session.prefilled_names(),
                "evaluate_url": reverse("response_evaluate", kwargs={"response_id": self.response.pk}),
            }
        )
        return ctx

    def _previous_visible(self, step: str) -> str | None:
        visible = self.session.visible_pages()
        if step in visible and visible.index(step) > 0:
            return visible[visible.index(step) - 1]
        return None


def response_wizard_view(request: HttpRequest, response: Response) -> HttpResponse:
    """Build the wizard for this response (form list and conditions come from the engine)."""
    session = engine_api.session_for_response(response, get_language() or "nb")
    pages = session.all_pages()

    def visible(name: str) -> Any:
        return lambda wizard: name in session.visible_pages()

    # formtools wants a form class per step up front; the real form is built per page state
    # in ResponseWizard.get_form.
    view = ResponseWizard.as_view(
        form_list=[(name, PageForm) for name in pages],
        condition_dict={name: visible(name) for name in pages},
        response_obj=response,
        session_obj=session,
    )
    try:
        return view(request)
    except PermissionDenied:
        raise
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(reverse("response_overview", kwargs={"response_id": response.pk}))


def render_wizard_error(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "surveys/wizard_error.html", {"message": message}, status=400)
