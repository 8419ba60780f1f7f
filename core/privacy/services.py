"""Writes for privacy duties: the statements, and anonymising or deleting a person who has left.

Anonymising keeps the organisation's records (annual reports and their signatures, actions,
deviations, rounds, the audit trail and every history table) and removes the person from them:
the person's row stays, so everything that points at it keeps pointing at it, but its personal
fields are replaced by a pseudonym ("Tidligere ansatt #123"), memberships are ended, sessions
and the calendar feed are removed, and the copies of the name that other tables keep (audit
event details, "saved by" notes on joint answers, also in history rows) are rewritten.

Deleting removes the row altogether; it is only possible for a person nothing of the
organisation's documentation points at (otherwise: anonymise).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import services as core_services
from core.models import AuditEvent, Membership, User
from core.permissions import Perm, has_perm
from core.services import audit_record
from surveys.models import Participation, Response
from workflows.models import CalendarFeedToken

from .models import InfoPage
from .selectors import history_models, person_data

PSEUDONYM_PREFIX = "tidligere-ansatt-"


def _require_admin(actor: User | None) -> None:
    if actor is not None and not has_perm(actor, Perm.ORG_ADMINISTER):
        raise PermissionDenied


def pseudonym(person: User) -> tuple[str, str, str]:
    """(username, first name, last name) for an anonymised person."""
    return f"{PSEUDONYM_PREFIX}{person.pk}", "Tidligere ansatt", f"#{person.pk}"


def is_anonymised(person: User) -> bool:
    return person.username == pseudonym(person)[0]


# --------------------------------------------------------------------------- a person's own data


@transaction.atomic
def person_data_export(*, actor: User) -> dict[str, Any]:
    """A person downloads what Verne holds about them; the download itself is audited."""
    data = person_data(actor)
    audit_record(actor=actor, verb="person.export", target=actor, data={})
    return data


# --------------------------------------------------------------------------- statements


@transaction.atomic
def info_page_update(*, actor: User, key: str, body_nb: str, body_nn: str, body_en: str) -> InfoPage:
    _require_admin(actor)
    if key not in InfoPage.Key.values:
        raise ValidationError(_("Ukjent side."))
    page = InfoPage.objects.select_for_update().filter(key=key).first() or InfoPage(key=key)
    changed = [
        lang for lang, value in (("nb", body_nb), ("nn", body_nn), ("en", body_en))
        if getattr(page, f"body_{lang}") != value
    ]  # fmt: skip
    if changed:
        page.body_nb, page.body_nn, page.body_en = body_nb, body_nn, body_en
        page.updated_at = timezone.now()
        page.updated_by = actor
        page._history_user = actor  # type: ignore[attr-defined]
        page._change_reason = "updated"  # type: ignore[attr-defined]
        page.save()
        audit_record(actor=actor, verb="info_page.update", target=page, data={"key": key, "languages": changed})
    return page


# --------------------------------------------------------------------------- people who have left


def _replace_in(value: Any, old: set[str], new: str) -> tuple[Any, bool]:
    """`value` with every string equal to one of `old` replaced by `new` (recursively)."""
    if isinstance(value, str):
        return (new, True) if value in old else (value, False)
    if isinstance(value, dict):
        changed = False
        out = {}
        for k, v in value.items():
            out[k], c = _replace_in(v, old, new)
            changed = changed or c
        return out, changed
    if isinstance(value, list):
        items = [_replace_in(v, old, new) for v in value]
        return [v for v, _c in items], any(c for _v, c in items)
    return value, False


def _scrub_audit_details(person: User, old_names: set[str], new_name: str) -> int:
    """Rewrite audit-event details that name the person (membership and person events store
    the username; signature events the signer)."""
    mentions = Q(data__user__in=old_names) | Q(data__username__in=old_names) | Q(data__signer__in=old_names)
    mentions |= Q(target_type=User._meta.label_lower, target_id=str(person.pk))
    count = 0
    for event in AuditEvent.objects.filter(mentions).only("id", "data"):
        data, changed = _replace_in(event.data, old_names, new_name)
        if changed:
            AuditEvent.objects.filter(pk=event.pk).update(data=data)
            count += 1
    return count


def _scrub_answer_meta(person: User, new_name: str) -> int:
    """Joint responses note who saved each answer; rewrite the name in them and their history."""
    count = 0
    targets: list[type[models.Model]] = [Response, Response.history.model]
    for model in targets:
        key = "history_id" if model is not Response else "pk"
        for pk, meta in model.objects.exclude(answer_meta={}).values_list(key, "answer_meta").iterator(chunk_size=500):  # type: ignore[attr-defined]
            if not isinstance(meta, dict):
                continue
            changed = False
            for entry in meta.values():
                if isinstance(entry, dict) and entry.get("by") == person.pk and entry.get("name") != new_name:
                    entry["name"] = new_name
                    changed = True
            if changed:
                model.objects.filter(**{key: pk}).update(answer_meta=meta)  # type: ignore[attr-defined]
                count += 1
    return count


def _end_memberships(actor: User | None, person: User) -> int:
    today = timezone.localdate()
    ended = 0
    for membership in Membership.objects.active(today).filter(user=person).select_related("unit", "user"):
        if membership.valid_from >= today:
            core_services.membership_withdraw(actor=actor, membership=membership)
        else:
            core_services.membership_end(actor=actor, membership=membership, on=today - dt.timedelta(days=1))
        ended += 1
    # Memberships planned for later than today (not active yet) go too.
    for membership in Membership.objects.filter(user=person, valid_from__gt=today):
        core_services.membership_withdraw(actor=actor, membership=membership)
        ended += 1
    return ended


def _end_sessions(person: User) -> int:
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(person.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def person_anonymise(*, actor: User | None, person: User, reason: str = "") -> User:
    """Replace a person who has left by a pseudonym, keeping the organisation's records.

    Idempotent: anonymising an anonymised person changes nothing.
    """
    _require_admin(actor)
    if actor is not None and actor.pk == person.pk:
        raise ValidationError(_("Du kan ikke anonymisere deg selv."))
    person = User.objects.select_for_update().get(pk=person.pk)
    if is_anonymised(person):
        return person
    username, first_name, last_name = pseudonym(person)
    old_names = {person.username} | ({person.email} if person.email else set())
    new_label = f"{first_name} {last_name}"
    memberships = _end_memberships(actor, person)
    audit_rows = _scrub_audit_details(person, old_names, username)
    answer_rows = _scrub_answer_meta(person, new_label)
    sessions = _end_sessions(person)
    CalendarFeedToken.objects.filter(user=person).delete()
    person.username = username
    person.first_name = first_name
    person.last_name = last_name
    person.email = ""
    person.external_id = ""
    person.language = ""
    person.is_active = False
    person.is_staff = False
    person.is_superuser = False
    person.last_login = None
    person.set_unusable_password()
    person.save()
    person.groups.clear()
    person.user_permissions.clear()
    audit_record(
        actor=actor, verb="person.anonymise", target=person,
        data={"memberships_ended": memberships, "audit_events_rewritten": audit_rows,
              "answer_notes_rewritten": answer_rows, "sessions_ended": sessions, "reason": reason[:200]},
    )  # fmt: skip
    return person


def _history_user_fields() -> list[tuple[type[models.Model], str]]:
    """(historical model, field) for every history column that holds a person's id."""
    result: list[tuple[type[models.Model], str]] = []
    for model in history_models():
        for field in model._meta.fields:
            target = getattr(field, "related_model", None)
            if target is User and field.name != "history_user":
                result.append((model, field.attname))
    return result


@transaction.atomic
def person_delete(*, actor: User | None, person: User, reason: str = "") -> None:
    """Delete a person outright, with their traces in history tables and audit details.

    Only possible when none of the organisation's records point at them (PROTECT); raises
    ValidationError otherwise, and the caller offers `person_anonymise` instead.
    """
    _require_admin(actor)
    if actor is not None and actor.pk == person.pk:
        raise ValidationError(_("Du kan ikke slette deg selv."))
    person = User.objects.select_for_update().get(pk=person.pk)
    pk = person.pk
    placeholder = f"slettet-{pk}"
    old_names = {person.username} | ({person.email} if person.email else set())
    refused = ValidationError(
        _("Personen kan ikke slettes fordi organisasjonens dokumentasjon viser til personen. Anonymiser i stedet.")
    )
    if Participation.objects.filter(person=person).exists():
        raise refused  # deleting would change the response rates of anonymous surveys
    _scrub_audit_details(person, old_names, placeholder)
    _scrub_answer_meta(person, placeholder)
    _end_sessions(person)
    audit_record(actor=actor, verb="person.delete", target=person, data={"reason": reason[:200]})
    try:
        with transaction.atomic():
            person.delete()
    except ProtectedError as exc:
        raise refused from exc
    # History rows of what was deleted with the person (memberships ...) and every other
    # history column that held their id: no trace of the id is left in history tables.
    for model, attname in _history_user_fields():
        rows = model.objects.filter(**{attname: pk})  # type: ignore[attr-defined]
        if model.instance_type is Membership:  # type: ignore[attr-defined]
            rows.delete()
        else:
            rows.update(**{attname: None})

