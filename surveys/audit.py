"""The audit timeline of a response: every answer change, signature, submission and reopening.

simple-history stores the whole answers JSON per save, and `diff_against` compares whole
fields; the per-question differences are computed here.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from core.models import AuditEvent

from . import engine_api
from .models import Response, ResponseSignature

MISSING = object()
# Spreadsheet formula prefixes: a cell starting with these is neutralised in CSV exports.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Entry:
    at: dt.datetime
    actor_id: int | None
    actor_name: str
    kind: str  # answer, signed, voided, submitted, reopened, created
    question: str = ""
    question_title: str = ""
    old: str = ""
    new: str = ""
    detail: str = ""


def csv_safe(text: str) -> str:
    return "'" + text if text and text.startswith(FORMULA_PREFIXES) else text


def _name(user: Any) -> str:
    if user is None:
        return _("System")
    return user.get_full_name() or user.username


def _fmt(session: engine_api.Session, question: str, value: Any) -> str:
    if value is MISSING or value is None:
        return ""
    shown = engine_api.display_value(session, question, value)
    return shown if isinstance(shown, str) else json.dumps(shown, ensure_ascii=False)


def timeline(response: Response, *, locale: str) -> list[Entry]:
    session = engine_api.session_for_response(response, locale, prefill=False)
    titles = session.question_titles()
    entries: list[Entry] = []
    previous: dict[str, Any] = {}
    rows = response.history.select_related("history_user").order_by("history_date", "history_id")
    for row in rows:
        answers = row.answers or {}
        actor = row.history_user
        if row.history_type == "+":
            entries.append(Entry(at=row.history_date, actor_id=getattr(actor, "pk", None), actor_name=_name(actor),
                                 kind="created", detail=_("Besvarelsen ble opprettet")))  # fmt: skip
        for key in sorted(set(previous) | set(answers)):
            old, new = previous.get(key, MISSING), answers.get(key, MISSING)
            if old == new:
                continue
            question = key[: -len("-Comment")] if key.endswith("-Comment") else key
            title = titles.get(question, question)
            if key.endswith("-Comment"):
                title = f"{title} ({_('kommentar')})"
            entries.append(
                Entry(
                    at=row.history_date, actor_id=getattr(actor, "pk", None), actor_name=_name(actor),
                    kind="answer", question=question, question_title=title,
                    old=_fmt(session, question, old), new=_fmt(session, question, new),
                )  # fmt: skip
            )
        previous = answers
    for sig in ResponseSignature.history.filter(response_id=response.pk).select_related("signer", "history_user").order_by("history_date"):
        if sig.history_type == "+":
            entries.append(Entry(at=sig.signed_at, actor_id=sig.signer_id, actor_name=_name(sig.signer), kind="signed",
                                 detail=_("Signerte som %(capacity)s (%(role)s)") % {"capacity": sig.get_capacity_display(), "role": sig.role}))  # fmt: skip
        elif sig.voided_at is not None and sig.history_change_reason == "voided":
            entries.append(Entry(at=sig.voided_at, actor_id=getattr(sig.history_user, "pk", None), actor_name=_name(sig.history_user),
                                 kind="voided", detail=_("Signaturen til %(name)s ble ugyldig: %(reason)s") % {"name": _name(sig.signer), "reason": sig.void_reason}))  # fmt: skip
    for event in AuditEvent.objects.filter(
        target_type=Response._meta.label_lower, target_id=str(response.pk), verb__in=["response.submit", "response.reopen"]
    ).select_related("actor"):
        kind = "submitted" if event.verb == "response.submit" else "reopened"
        detail = _("Levert") if kind == "submitted" else _("Gjenåpnet: %(reason)s") % {"reason": event.data.get("reason", "")}
        entries.append(Entry(at=event.at, actor_id=event.actor_id, actor_name=_name(event.actor), kind=kind, detail=detail))
    entries.sort(key=lambda e: e.at)
    return entries
