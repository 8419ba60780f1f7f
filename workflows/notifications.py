"""Notification emails: who gets them, and their texts in Norwegian bokmål and English.

Emails carry a title and a link, never free text that may contain personal data: an action's
title is the only user-written text used, deviations are named by their reference number only.
Each email is sent in the recipient's language (default bokmål) by the task in
`workflows.tasks`, which services enqueue with `transaction.on_commit` through `notify()`.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse

from core.models import OrgUnit, Role, User
from core.selectors import unit_role_holders

from .models import ActionItem, Deviation, HmsRound

# kind -> language -> (subject, body). Placeholders: {title} {unit} {due} {url} {days}.
TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    "action_assigned": {
        "nb": (
            "Du er ansvarlig for et tiltak: {title}",
            "Du er satt som ansvarlig for tiltaket «{title}» i {unit}.\nFrist: {due}.\n\nÅpne tiltaket:\n{url}\n",
        ),
        "en": (
            "You are responsible for an action: {title}",
            "You have been made responsible for the action “{title}” in {unit}.\nDeadline: {due}.\n\nOpen the action:\n{url}\n",
        ),
    },
    "action_reminder": {
        "nb": (
            "Påminnelse: frist {due} for tiltak «{title}»",
            "Tiltaket «{title}» i {unit} har frist {due}.\n\nÅpne tiltaket:\n{url}\n",
        ),
        "en": (
            "Reminder: action “{title}” is due {due}",
            "The action “{title}” in {unit} is due on {due}.\n\nOpen the action:\n{url}\n",
        ),
    },
    "action_overdue": {
        "nb": (
            "Tiltak over frist: {title}",
            "Fristen for tiltaket «{title}» i {unit} var {due}, og tiltaket er ikke utført.\n\nÅpne tiltaket:\n{url}\n",
        ),
        "en": (
            "Action overdue: {title}",
            "The action “{title}” in {unit} was due on {due} and is not done.\n\nOpen the action:\n{url}\n",
        ),
    },
    "action_escalated": {
        "nb": (
            "Tiltak i {unit} er {days} dager over frist",
            "Tiltaket «{title}» i {unit} hadde frist {due} og er fortsatt ikke utført.\n"
            "Du får denne meldingen som leder for overordnet enhet.\n\nÅpne tiltaket:\n{url}\n",
        ),
        "en": (
            "Action in {unit} is {days} days overdue",
            "The action “{title}” in {unit} was due on {due} and is still not done.\n"
            "You receive this as the leader of the unit above.\n\nOpen the action:\n{url}\n",
        ),
    },
    "action_done": {
        "nb": (
            "Tiltak utført, klart for verifisering: {title}",
            "Tiltaket «{title}» i {unit} er meldt utført. Kontroller at det virker, og verifiser det.\n\n"
            "Åpne tiltaket:\n{url}\n",
        ),
        "en": (
            "Action done, ready to verify: {title}",
            "The action “{title}” in {unit} has been reported done. Check that it works and verify it.\n\n"
            "Open the action:\n{url}\n",
        ),
    },
    "action_reopened": {
        "nb": (
            "Tiltak gjenåpnet: {title}",
            "Tiltaket «{title}» i {unit} ble ikke godkjent ved verifisering og er åpnet igjen.\n\n"
            "Åpne tiltaket:\n{url}\n",
        ),
        "en": (
            "Action reopened: {title}",
            "The action “{title}” in {unit} did not pass verification and has been reopened.\n\n"
            "Open the action:\n{url}\n",
        ),
    },
    "deviation_reported": {
        "nb": (
            "Nytt avvik i {unit}: {title}",
            "Et nytt avvik er meldt i {unit} ({title}).\n\nÅpne avviket:\n{url}\n",
        ),
        "en": (
            "New deviation in {unit}: {title}",
            "A new deviation has been reported in {unit} ({title}).\n\nOpen the deviation:\n{url}\n",
        ),
    },
    "deviation_assigned": {
        "nb": (
            "Du er saksbehandler for {title}",
            "Du er satt som saksbehandler for {title} i {unit}. Frist for behandling: {due}.\n\n"
            "Åpne avviket:\n{url}\n",
        ),
        "en": (
            "You are the case handler for {title}",
            "You are the case handler for {title} in {unit}. Deadline: {due}.\n\nOpen the deviation:\n{url}\n",
        ),
    },
    "deviation_legal_alert": {
        "nb": (
            "STRAKS: dødsulykke eller alvorlig personskade i {unit} ({title})",
            "Det er meldt en dødsulykke eller alvorlig personskade i {unit} ({title}).\n\n"
            "Arbeidsgiver skal straks varsle Arbeidstilsynet og nærmeste politimyndighet på "
            "raskeste måte, og deretter sende skriftlig melding med kopi til verneombudet "
            "(arbeidsmiljøloven § 5-2).\n\nRegistrer hvem som varslet og når:\n{url}\n",
        ),
        "en": (
            "URGENT: fatal accident or serious injury in {unit} ({title})",
            "A fatal accident or serious injury has been reported in {unit} ({title}).\n\n"
            "The employer must notify the Labour Inspection Authority and the nearest police at "
            "once by the fastest means, then confirm in writing with a copy to the safety "
            "representative (Working Environment Act section 5-2).\n\nRecord who notified and when:\n{url}\n",
        ),
    },
    "deviation_legal_copy": {
        "nb": (
            "Kopi til verneombud: alvorlig personskade i {unit} ({title})",
            "Som verneombud får du kopi: det er meldt en dødsulykke eller alvorlig personskade i "
            "{unit} ({title}). Leder er bedt om å varsle Arbeidstilsynet og politiet straks "
            "(arbeidsmiljøloven § 5-2).\n\nÅpne avviket:\n{url}\n",
        ),
        "en": (
            "Copy to safety representative: serious injury in {unit} ({title})",
            "As safety representative you receive a copy: a fatal accident or serious injury has been "
            "reported in {unit} ({title}). The leader has been asked to notify the Labour Inspection "
            "Authority and the police at once (Working Environment Act section 5-2).\n\nOpen the deviation:\n{url}\n",
        ),
    },
    "deviation_received": {
        "nb": (
            "Avviket du meldte er under behandling ({title})",
            "Avviket du meldte i {unit} ({title}) er tatt til behandling.\n\nSe status:\n{url}\n",
        ),
        "en": (
            "The deviation you reported is being handled ({title})",
            "The deviation you reported in {unit} ({title}) is being handled.\n\nSee its status:\n{url}\n",
        ),
    },
    "deviation_closed": {
        "nb": (
            "Avviket du meldte er lukket ({title})",
            "Avviket du meldte i {unit} ({title}) er ferdig behandlet. Les hva som ble gjort:\n{url}\n",
        ),
        "en": (
            "The deviation you reported is closed ({title})",
            "The deviation you reported in {unit} ({title}) has been closed. Read what was done:\n{url}\n",
        ),
    },
    "deviation_raised_with_amu": {
        "nb": (
            "Verneombudet tar et avvik opp med AMU ({title})",
            "Et verneombud har tatt {title} i {unit} opp med arbeidsmiljøutvalget fordi saken ikke "
            "er fulgt opp (arbeidsmiljøloven § 6-2). Sett saken på dagsordenen for neste AMU-møte.\n\n"
            "Åpne avviket:\n{url}\n",
        ),
        "en": (
            "A safety representative raises a deviation with the WEC ({title})",
            "A safety representative has raised {title} in {unit} with the working environment "
            "committee because it has not been followed up (Working Environment Act section 6-2). "
            "Put it on the agenda of the next WEC meeting.\n\nOpen the deviation:\n{url}\n",
        ),
    },
    "round_scheduled": {
        "nb": (
            "HMS-runde planlagt: {title}",
            "HMS-runden «{title}» er satt opp med dato {due}. Planlegg den sammen (leder, verneombud "
            "og HMS-koordinator).\n\nÅpne runden:\n{url}\n",
        ),
        "en": (
            "HMS round scheduled: {title}",
            "The HMS round “{title}” has been scheduled for {due}. Plan it together (leader, safety "
            "representative and HSE coordinator).\n\nOpen the round:\n{url}\n",
        ),
    },
}

LANGUAGES = ("nb", "en")

_muted: contextvars.ContextVar[bool] = contextvars.ContextVar("workflows_notifications_muted", default=False)


@contextlib.contextmanager
def muted() -> Iterator[None]:
    """Send no notifications inside this block (the demo loader uses it)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


@dataclass(frozen=True)
class Email:
    subject: str
    body: str
    to: str


def _language(user: User) -> str:
    return user.language if user.language in LANGUAGES else "nb"


def _date(value: dt.date | None, language: str) -> str:
    if value is None:
        return "–"
    return value.strftime("%d.%m.%Y") if language == "nb" else value.isoformat()


def _one_line(text: str, limit: int = 150) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _target_context(target: models.Model, language: str) -> dict[str, Any]:
    site = settings.SITE_URL
    if isinstance(target, ActionItem):
        title = target.title_en if language == "en" and target.title_en else target.title
        return {
            "title": _one_line(title),
            "unit": target.unit.name,
            "due": _date(target.due_date, language),
            "url": site + reverse("action_detail", kwargs={"pk": target.pk}),
        }
    if isinstance(target, Deviation):
        return {
            "title": target.reference,
            "unit": target.unit.name,
            "due": _date(target.deadline, language),
            "url": site + reverse("deviation_detail", kwargs={"pk": target.pk}),
        }
    if isinstance(target, HmsRound):
        return {
            "title": _one_line(target.title),
            "unit": target.unit.name,
            "due": _date(target.planned_date, language),
            "url": site + reverse("round_detail", kwargs={"pk": target.pk}),
        }
    raise TypeError(f"no notification context for {type(target).__name__}")


def build_email(kind: str, recipient: User, target: models.Model, extra: dict[str, Any] | None = None) -> Email:
    language = _language(recipient)
    subject, body = TEXTS[kind][language]
    ctx = {"days": "", **_target_context(target, language), **(extra or {})}
    return Email(subject=_one_line(subject.format(**ctx), 200), body=body.format(**ctx), to=recipient.email)


def notify(kind: str, *, recipients: Iterable[User | None], target: models.Model, extra: dict[str, Any] | None = None,
           exclude: Iterable[User | None] = ()) -> int:  # fmt: skip
    """Enqueue one email per recipient after the transaction commits. Returns how many."""
    from .tasks import send_notification

    if kind not in TEXTS:
        raise KeyError(kind)
    if _muted.get():
        return 0
    skip = {u.pk for u in exclude if u is not None}
    ids = sorted({u.pk for u in recipients if u is not None and u.is_active and u.email and u.pk not in skip})
    label = target._meta.label_lower
    pk = str(target.pk)
    for user_id in ids:
        transaction.on_commit(
            lambda user_id=user_id: send_notification.enqueue(kind, user_id, label, pk, extra or {})
        )
    return len(ids)


# ----------------------------------------------------------------------------- recipients


def _holders(unit: OrgUnit, roles: Iterable[Role]) -> list[User]:
    people: dict[int, User] = {}
    for role in roles:
        for user in unit_role_holders(unit, role):
            people[user.pk] = user
    return list(people.values())


def unit_leaders(unit: OrgUnit) -> list[User]:
    """The unit's leaders and deputies; when it has none, the nearest unit above that has."""
    current: OrgUnit | None = unit
    while current is not None:
        found = _holders(current, (Role.LEADER, Role.DEPUTY_LEADER))
        if found:
            return found
        current = current.parent
    return []


def parent_leaders(unit: OrgUnit) -> list[User]:
    """Leaders of the unit above (for escalation); the nearest ancestor that has a leader."""
    return unit_leaders(unit.parent) if unit.parent_id and unit.parent else []


def unit_verneombud(unit: OrgUnit) -> list[User]:
    return _holders(unit, (Role.VERNEOMBUD,))


def unit_case_handlers(unit: OrgUnit) -> list[User]:
    """Case handlers of the unit or the nearest unit above that has one."""
    current: OrgUnit | None = unit
    while current is not None:
        found = _holders(current, (Role.CASE_HANDLER,))
        if found:
            return found
        current = current.parent
    return []


def amu_secretaries() -> list[User]:
    from core.selectors import organisation_root

    root = organisation_root()
    return _holders(root, (Role.AMU_SECRETARY,)) if root else []
