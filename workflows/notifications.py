"""Notification emails: who gets them, and their texts in bokmål, nynorsk and English.

Emails carry a reference, the unit, a date and a link, never text a person wrote: actions and
rounds are named by number ("tiltak #12"), deviations by their reference ("AVVIK-7"); what
the item says is read in Verne, behind its access control (tests/privacy/test_emails.py).
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

# kind -> language -> (subject, body). Placeholders: {title} (a reference such as "tiltak #12"
# or "AVVIK-7", never user-written text) {unit} {due} {url} {days}.
TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    "action_assigned": {
        "nb": (
            "Du er ansvarlig for {title} i {unit}",
            "Du er satt som ansvarlig for {title} i {unit}.\nFrist: {due}.\n\nÅpne tiltaket:\n{url}\n",
        ),
        "nn": (
            "Du er ansvarleg for {title} i {unit}",
            "Du er sett som ansvarleg for {title} i {unit}.\nFrist: {due}.\n\nOpne tiltaket:\n{url}\n",
        ),
        "en": (
            "You are responsible for {title} in {unit}",
            "You have been made responsible for {title} in {unit}.\nDeadline: {due}.\n\nOpen the action:\n{url}\n",
        ),
    },
    "action_reminder": {
        "nb": (
            "Påminnelse: frist {due} for {title} i {unit}",
            "{title} i {unit} har frist {due}.\n\nÅpne tiltaket:\n{url}\n",
        ),
        "nn": (
            "Påminning: frist {due} for {title} i {unit}",
            "{title} i {unit} har frist {due}.\n\nOpne tiltaket:\n{url}\n",
        ),
        "en": (
            "Reminder: {title} in {unit} is due {due}",
            "{title} in {unit} is due on {due}.\n\nOpen the action:\n{url}\n",
        ),
    },
    "action_overdue": {
        "nb": (
            "Tiltak over frist: {title} i {unit}",
            "Fristen for {title} i {unit} var {due}, og tiltaket er ikke utført.\n\nÅpne tiltaket:\n{url}\n",
        ),
        "nn": (
            "Tiltak over frist: {title} i {unit}",
            "Fristen for {title} i {unit} var {due}, og tiltaket er ikkje utført.\n\nOpne tiltaket:\n{url}\n",
        ),
        "en": (
            "Action overdue: {title} in {unit}",
            "{title} in {unit} was due on {due} and is not done.\n\nOpen the action:\n{url}\n",
        ),
    },
    "action_escalated": {
        "nb": (
            "Tiltak i {unit} er {days} dager over frist",
            "{title} i {unit} hadde frist {due} og er fortsatt ikke utført.\n"
            "Du får denne meldingen som leder for overordnet enhet.\n\nÅpne tiltaket:\n{url}\n",
        ),
        "nn": (
            "Tiltak i {unit} er {days} dagar over frist",
            "{title} i {unit} hadde frist {due} og er framleis ikkje utført.\n"
            "Du får denne meldinga som leiar for overordna eining.\n\nOpne tiltaket:\n{url}\n",
        ),
        "en": (
            "Action in {unit} is {days} days overdue",
            "{title} in {unit} was due on {due} and is still not done.\n"
            "You receive this as the leader of the unit above.\n\nOpen the action:\n{url}\n",
        ),
    },
    "action_done": {
        "nb": (
            "Tiltak utført, klart for verifisering: {title} i {unit}",
            "{title} i {unit} er meldt utført. Kontroller at det virker, og verifiser det.\n\n"
            "Åpne tiltaket:\n{url}\n",
        ),
        "nn": (
            "Tiltak utført, klart for verifisering: {title} i {unit}",
            "{title} i {unit} er meldt utført. Kontroller at det verkar, og verifiser det.\n\n"
            "Opne tiltaket:\n{url}\n",
        ),
        "en": (
            "Action done, ready to verify: {title} in {unit}",
            "{title} in {unit} has been reported done. Check that it works and verify it.\n\n"
            "Open the action:\n{url}\n",
        ),
    },
    "action_reopened": {
        "nb": (
            "Tiltak gjenåpnet: {title} i {unit}",
            "{title} i {unit} ble ikke godkjent ved verifisering og er åpnet igjen.\n\n"
            "Åpne tiltaket:\n{url}\n",
        ),
        "nn": (
            "Tiltak opna att: {title} i {unit}",
            "{title} i {unit} vart ikkje godkjent ved verifisering og er opna att.\n\n"
            "Opne tiltaket:\n{url}\n",
        ),
        "en": (
            "Action reopened: {title} in {unit}",
            "{title} in {unit} did not pass verification and has been reopened.\n\n"
            "Open the action:\n{url}\n",
        ),
    },
    "deviation_reported": {
        "nb": (
            "Nytt avvik i {unit}: {title}",
            "Et nytt avvik er meldt i {unit} ({title}).\n\nÅpne avviket:\n{url}\n",
        ),
        "nn": (
            "Nytt avvik i {unit}: {title}",
            "Eit nytt avvik er meldt i {unit} ({title}).\n\nOpne avviket:\n{url}\n",
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
        "nn": (
            "Du er saksbehandlar for {title}",
            "Du er sett som saksbehandlar for {title} i {unit}. Frist for behandling: {due}.\n\n"
            "Opne avviket:\n{url}\n",
        ),
        "en": (
            "You are the case handler for {title}",
            "You are the case handler for {title} in {unit}. Deadline: {due}.\n\nOpen the deviation:\n{url}\n",
        ),
    },
    "deviation_reminder": {
        "nb": (
            "Påminnelse: frist {due} for {title} i {unit}",
            "{title} i {unit} har frist for behandling {due}.\n\nÅpne avviket:\n{url}\n",
        ),
        "nn": (
            "Påminning: frist {due} for {title} i {unit}",
            "{title} i {unit} har frist for behandling {due}.\n\nOpne avviket:\n{url}\n",
        ),
        "en": (
            "Reminder: {title} in {unit} is due {due}",
            "The handling of {title} in {unit} is due on {due}.\n\nOpen the deviation:\n{url}\n",
        ),
    },
    "deviation_overdue": {
        "nb": (
            "Avvik over frist: {title} i {unit}",
            "Fristen for behandling av {title} i {unit} var {due}, og avviket er ikke lukket.\n\n"
            "Åpne avviket:\n{url}\n",
        ),
        "nn": (
            "Avvik over frist: {title} i {unit}",
            "Fristen for behandling av {title} i {unit} var {due}, og avviket er ikkje lukka.\n\n"
            "Opne avviket:\n{url}\n",
        ),
        "en": (
            "Deviation overdue: {title} in {unit}",
            "The handling of {title} in {unit} was due on {due}, and the deviation is not closed.\n\n"
            "Open the deviation:\n{url}\n",
        ),
    },
    "deviation_escalated": {
        "nb": (
            "Avvik i {unit} er {days} dager over frist",
            "{title} i {unit} hadde frist for behandling {due} og er fortsatt ikke lukket.\n"
            "Du får denne meldingen som leder for overordnet enhet.\n\nÅpne avviket:\n{url}\n",
        ),
        "nn": (
            "Avvik i {unit} er {days} dagar over frist",
            "{title} i {unit} hadde frist for behandling {due} og er framleis ikkje lukka.\n"
            "Du får denne meldinga som leiar for overordna eining.\n\nOpne avviket:\n{url}\n",
        ),
        "en": (
            "Deviation in {unit} is {days} days overdue",
            "The handling of {title} in {unit} was due on {due}, and it is still not closed.\n"
            "You receive this as the leader of the unit above.\n\nOpen the deviation:\n{url}\n",
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
        "nn": (
            "STRAKS: dødsulukke eller alvorleg personskade i {unit} ({title})",
            "Det er meldt ei dødsulukke eller alvorleg personskade i {unit} ({title}).\n\n"
            "Arbeidsgivaren skal straks varsle Arbeidstilsynet og nærmaste politimyndigheit på "
            "raskaste måte, og deretter sende skriftleg melding med kopi til verneombodet "
            "(arbeidsmiljølova § 5-2).\n\nRegistrer kven som varsla og når:\n{url}\n",
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
        "nn": (
            "Kopi til verneombod: alvorleg personskade i {unit} ({title})",
            "Som verneombod får du kopi: det er meldt ei dødsulukke eller alvorleg personskade i "
            "{unit} ({title}). Leiaren er beden om å varsle Arbeidstilsynet og politiet straks "
            "(arbeidsmiljølova § 5-2).\n\nOpne avviket:\n{url}\n",
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
        "nn": (
            "Avviket du melde, er under behandling ({title})",
            "Avviket du melde i {unit} ({title}), er teke til behandling.\n\nSjå status:\n{url}\n",
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
        "nn": (
            "Avviket du melde, er lukka ({title})",
            "Avviket du melde i {unit} ({title}), er ferdig behandla. Les kva som vart gjort:\n{url}\n",
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
        "nn": (
            "Verneombodet tek eit avvik opp med AMU ({title})",
            "Eit verneombod har teke {title} i {unit} opp med arbeidsmiljøutvalet fordi saka ikkje "
            "er følgd opp (arbeidsmiljølova § 6-2). Set saka på dagsordenen for neste AMU-møte.\n\n"
            "Opne avviket:\n{url}\n",
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
            "HMS-runde planlagt i {unit} {due}",
            "En HMS-runde i {unit} ({title}) er satt opp med dato {due}. Planlegg den sammen (leder, "
            "verneombud og HMS-koordinator).\n\nÅpne runden:\n{url}\n",
        ),
        "nn": (
            "HMS-runde planlagd i {unit} {due}",
            "Ein HMS-runde i {unit} ({title}) er sett opp med dato {due}. Planlegg han saman (leiar, "
            "verneombod og HMS-koordinator).\n\nOpne runden:\n{url}\n",
        ),
        "en": (
            "HMS round scheduled in {unit} on {due}",
            "An HMS round in {unit} ({title}) has been scheduled for {due}. Plan it together (leader, safety "
            "representative and HSE coordinator).\n\nOpen the round:\n{url}\n",
        ),
    },
}

# What a reference is called in each language ("tiltak #12", "HMS-runde #3").
_REFERENCE = {
    "action": {"nb": "tiltak #{pk}", "nn": "tiltak #{pk}", "en": "action #{pk}"},
    "round": {"nb": "HMS-runde #{pk}", "nn": "HMS-runde #{pk}", "en": "HMS round #{pk}"},
}

LANGUAGES = ("nb", "nn", "en")

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
    return value.strftime("%d.%m.%Y") if language in ("nb", "nn") else value.isoformat()


def _one_line(text: str, limit: int = 150) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _target_context(target: models.Model, language: str) -> dict[str, Any]:
    """Only references, unit names, dates and links: never text a person wrote (a title or a
    description may name someone, and an email leaves Verne's access control)."""
    site = settings.SITE_URL
    if isinstance(target, ActionItem):
        return {
            "title": _REFERENCE["action"][language].format(pk=target.pk),
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
            "title": _REFERENCE["round"][language].format(pk=target.pk),
            "unit": target.unit.name,
            "due": _date(target.planned_date, language),
            "url": site + reverse("round_detail", kwargs={"pk": target.pk}),
        }
    raise TypeError(f"no notification context for {type(target).__name__}")


def build_email(kind: str, recipient: User, target: models.Model, extra: dict[str, Any] | None = None) -> Email:
    language = _language(recipient)
    subject, body = TEXTS[kind][language]
    ctx = {"days": "", **_target_context(target, language), **(extra or {})}
    subject, body = subject.format(**ctx), body.format(**ctx)
    return Email(subject=_one_line(subject[:1].upper() + subject[1:], 200), body=body[:1].upper() + body[1:],
                 to=recipient.email)  # fmt: skip


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
