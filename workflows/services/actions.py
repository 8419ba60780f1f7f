"""Actions (tiltak): creation, the state machine, and follow-up rules from questionnaires.

    proposed ─confirm─► open ─start─► in_progress ─complete─► done ─verify─► verified
        │                 │               │                     │
        └─reject─► rejected└───cancel───► cancelled ◄──cancel───┘─reopen─► in_progress

Who may do what (checked here, through core.permissions):
* propose: Perm.ACTION_PROPOSE; create as open at once / confirm / reject / cancel / change
  owner or deadline: Perm.ACTION_MANAGE (leaders, HMS admin)
* start and complete: only the owner
* verify and reopen: Perm.ACTION_VERIFY (leader, verneombud, HMS admin), never the person who
  reported it done
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import OrgUnit, Role, User
from core.permissions import Perm, has_perm
from core.selectors import organisation_root, unit_role_holders

from ..followups import FollowUpProposal
from ..models import ActionItem, FollowUpLink, Priority
from ..notifications import notify, unit_leaders, unit_verneombud
from ._common import PermissionDenied, ValidationError, audit, require, require_text, save

S = ActionItem.Status

RULE_NO_LONGER_MET = "rule_no_longer_met"
RULE_NO_LONGER_MET_TEXT = {
    "nb": "Svaret oppfyller ikke lenger regelen.",
    "en": "The answer no longer meets the rule.",
}


# ----------------------------------------------------------------------------- transition table


def _is_owner(user: User, action: ActionItem) -> bool:
    return bool(user.is_authenticated and action.owner_id == user.pk)


def _may_verify(user: User, action: ActionItem) -> bool:
    return has_perm(user, Perm.ACTION_VERIFY, action.unit) and action.completed_by_id != user.pk


TRANSITIONS: dict[str, tuple[tuple[str, ...], Callable[[User, ActionItem], bool]]] = {
    "confirm": ((S.PROPOSED,), lambda u, a: has_perm(u, Perm.ACTION_MANAGE, a.unit)),
    "reject": ((S.PROPOSED,), lambda u, a: has_perm(u, Perm.ACTION_MANAGE, a.unit)),
    "start": ((S.OPEN,), _is_owner),
    "complete": ((S.OPEN, S.IN_PROGRESS), _is_owner),
    "verify": ((S.DONE,), _may_verify),
    "reopen": ((S.DONE,), lambda u, a: has_perm(u, Perm.ACTION_VERIFY, a.unit)),
    "cancel": (
        (S.PROPOSED, S.OPEN, S.IN_PROGRESS, S.DONE),
        lambda u, a: has_perm(u, Perm.ACTION_MANAGE, a.unit),
    ),
    "update": ((S.PROPOSED, S.OPEN, S.IN_PROGRESS), lambda u, a: has_perm(u, Perm.ACTION_MANAGE, a.unit)),
}


def action_can(user: User, action: ActionItem, transition: str) -> bool:
    """May this person do `transition` on the action now (right state and right person)?"""
    states, allowed = TRANSITIONS[transition]
    return action.status in states and user.is_authenticated and allowed(user, action)


def action_may(user: User, action: ActionItem, transition: str) -> bool:
    """Is this the right person for `transition` (whatever the action's state)?"""
    return user.is_authenticated and TRANSITIONS[transition][1](user, action)


def action_allowed_transitions(user: User, action: ActionItem) -> list[str]:
    return [name for name in TRANSITIONS if action_can(user, action, name)]


def _check(actor: User | None, action: ActionItem, transition: str) -> None:
    states, allowed = TRANSITIONS[transition]
    if actor is not None and not allowed(actor, action):
        raise PermissionDenied
    if action.status not in states:
        raise ValidationError(_("Tiltaket kan ikke endres slik i denne statusen."))


def _locked(action: ActionItem) -> ActionItem:
    return ActionItem.objects.select_related("unit", "owner").select_for_update(of=("self",)).get(pk=action.pk)


def _priority(value: str | None) -> str:
    return value if value in Priority.values else Priority.MEDIUM


# ----------------------------------------------------------------------------- creation


def _create(
    *,
    actor: User | None,
    unit: OrgUnit,
    title: str,
    status: str,
    verb: str = "action.create",
    notify_owner: bool = True,
    **fields: Any,
) -> ActionItem:
    """Create an action without permission checks (callers check)."""
    today = timezone.localdate()
    action = ActionItem(
        unit=unit,
        year=fields.pop("year", None) or today.year,
        title=title.strip(),
        status=status,
        created_by=actor,
        updated_at=timezone.now(),
        **fields,
    )
    action.priority = _priority(action.priority)
    save(action, actor, "created")
    audit(
        actor=actor,
        verb=verb,
        target=action,
        unit=unit,
        data={"status": status, "source": action.source_kind, "rule_code": action.rule_code or None},
    )
    if notify_owner and action.owner_id and status == S.OPEN:
        notify("action_assigned", recipients=[action.owner], target=action, exclude=[actor])
    return action


@transaction.atomic
def action_create(
    *,
    actor: User,
    unit: OrgUnit,
    title: str,
    description: str = "",
    owner: User | None = None,
    owner_role: str = "",
    due_date: dt.date | None = None,
    cost_estimate: Decimal | None = None,
    priority: str = Priority.MEDIUM,
    confirm: bool = False,
    source_kind: str = ActionItem.Source.MANUAL,
    year: int | None = None,
) -> ActionItem:
    """A manual action. Proposed; or open at once when a leader creates it with `confirm`."""
    if confirm:
        require(actor, Perm.ACTION_MANAGE, unit)
    else:
        require(actor, Perm.ACTION_PROPOSE, unit)
    if source_kind not in (ActionItem.Source.MANUAL, ActionItem.Source.SURVEY, ActionItem.Source.AMU):
        raise ValidationError(_("Denne kilden settes av systemet."))
    require_text(title, "title", _("Skriv hva som skal gjøres."))
    if owner is not None and not _may_own(owner, unit):
        raise ValidationError({"owner": _("Den ansvarlige må ha tilgang til enhetens handlingsplan.")})
    return _create(
        actor=actor,
        unit=unit,
        title=title,
        status=S.OPEN if confirm else S.PROPOSED,
        description=description.strip(),
        owner=owner,
        owner_role=owner_role,
        due_date=due_date,
        cost_estimate=cost_estimate,
        priority=priority,
        source_kind=source_kind,
        year=year,
    )


def _may_own(user: User, unit: OrgUnit) -> bool:
    return user.is_active and has_perm(user, Perm.ACTION_VIEW, unit)


# ----------------------------------------------------------------------------- transitions


@transaction.atomic
def action_confirm(
    *,
    actor: User,
    action: ActionItem,
    owner: User,
    due_date: dt.date,
    cost_estimate: Decimal | None = None,
    priority: str | None = None,
) -> ActionItem:
    action = _locked(action)
    _check(actor, action, "confirm")
    if owner is None or not _may_own(owner, action.unit):
        raise ValidationError({"owner": _("Den ansvarlige må ha tilgang til enhetens handlingsplan.")})
    if due_date is None:
        raise ValidationError({"due_date": _("Sett en frist.")})
    action.owner = owner
    action.due_date = due_date
    if cost_estimate is not None:
        action.cost_estimate = cost_estimate
    if priority:
        action.priority = _priority(priority)
    action.status = S.OPEN
    action.updated_at = timezone.now()
    save(action, actor, "confirmed")
    audit(actor=actor, verb="action.confirm", target=action, unit=action.unit,
          data={"owner": owner.pk, "due_date": due_date.isoformat()})  # fmt: skip
    notify("action_assigned", recipients=[owner], target=action, exclude=[actor])
    return action


@transaction.atomic
def action_reject(*, actor: User, action: ActionItem, reason: str) -> ActionItem:
    action = _locked(action)
    _check(actor, action, "reject")
    action.status_reason = require_text(reason, "reason", _("Skriv hvorfor tiltaket avvises."))
    action.status = S.REJECTED
    action.updated_at = timezone.now()
    save(action, actor, "rejected")
    audit(actor=actor, verb="action.reject", target=action, unit=action.unit, data={"reason": action.status_reason})
    return action


@transaction.atomic
def action_start(*, actor: User, action: ActionItem) -> ActionItem:
    action = _locked(action)
    _check(actor, action, "start")
    action.status = S.IN_PROGRESS
    action.updated_at = timezone.now()
    save(action, actor, "started")
    audit(actor=actor, verb="action.start", target=action, unit=action.unit)
    return action


@transaction.atomic
def action_complete(*, actor: User, action: ActionItem, note: str) -> ActionItem:
    action = _locked(action)
    _check(actor, action, "complete")
    action.completion_note = require_text(note, "note", _("Beskriv hva som ble gjort."))
    action.status = S.DONE
    action.completed_at = timezone.now()
    action.completed_by = actor
    action.updated_at = action.completed_at
    save(action, actor, "completed")
    audit(actor=actor, verb="action.complete", target=action, unit=action.unit)
    notify(
        "action_done",
        recipients=[*unit_leaders(action.unit), *unit_verneombud(action.unit)],
        target=action,
        exclude=[actor],
    )
    return action


@transaction.atomic
def action_verify(*, actor: User, action: ActionItem, note: str = "") -> ActionItem:
    action = _locked(action)
    if action.status == S.DONE and action.completed_by_id == actor.pk and has_perm(actor, Perm.ACTION_VERIFY, action.unit):
        raise ValidationError(_("Noen andre enn den som utførte tiltaket må verifisere det."))
    _check(actor, action, "verify")
    action.status = S.VERIFIED
    action.verified_at = timezone.now()
    action.verified_by = actor
    action.updated_at = action.verified_at
    save(action, actor, "verified")
    audit(actor=actor, verb="action.verify", target=action, unit=action.unit, data={"note": note.strip()} if note.strip() else None)
    return action


@transaction.atomic
def action_reopen(*, actor: User, action: ActionItem, reason: str) -> ActionItem:
    """Verification failed: back to in progress, with the reason."""
    action = _locked(action)
    _check(actor, action, "reopen")
    action.status_reason = require_text(reason, "reason", _("Skriv hvorfor tiltaket ikke kan godkjennes."))
    action.status_reason_code = ""
    action.status = S.IN_PROGRESS
    action.completed_at = None
    action.completed_by = None
    action.updated_at = timezone.now()
    # The deadline may well have passed: remind and notify again from now on.
    action.reminder_sent_at = action.overdue_notice_sent_at = action.escalated_at = None
    save(action, actor, "reopened")
    audit(actor=actor, verb="action.reopen", target=action, unit=action.unit, data={"reason": action.status_reason})
    notify("action_reopened", recipients=[action.owner], target=action, exclude=[actor])
    return action


@transaction.atomic
def action_cancel(*, actor: User | None, action: ActionItem, reason: str, reason_code: str = "") -> ActionItem:
    action = _locked(action)
    _check(actor, action, "cancel")
    action.status_reason = require_text(reason, "reason", _("Skriv hvorfor tiltaket avbrytes."))
    action.status_reason_code = reason_code
    action.status = S.CANCELLED
    action.updated_at = timezone.now()
    save(action, actor, "cancelled")
    audit(actor=actor, verb="action.cancel", target=action, unit=action.unit,
          data={"reason": action.status_reason, "code": reason_code or None})  # fmt: skip
    return action


@transaction.atomic
def action_update(
    *,
    actor: User,
    action: ActionItem,
    reason: str,
    title: str | None = None,
    description: str | None = None,
    owner: User | None = None,
    due_date: dt.date | None = None,
    cost_estimate: Decimal | None = None,
    priority: str | None = None,
) -> ActionItem:
    """Change owner, deadline, cost, priority or text. A later deadline counts as a postponement."""
    action = _locked(action)
    _check(actor, action, "update")
    reason = require_text(reason, "reason", _("Skriv hvorfor tiltaket endres."))
    changes: dict[str, Any] = {}
    if title is not None and title.strip() and title.strip() != action.title:
        changes["title"] = [action.title, title.strip()]
        action.title = title.strip()
    if description is not None and description.strip() != action.description:
        changes["description"] = True
        action.description = description.strip()
    if owner is not None and owner.pk != action.owner_id:
        if not _may_own(owner, action.unit):
            raise ValidationError({"owner": _("Den ansvarlige må ha tilgang til enhetens handlingsplan.")})
        changes["owner"] = [action.owner_id, owner.pk]
        action.owner = owner
    if due_date is not None and due_date != action.due_date:
        changes["due_date"] = [action.due_date.isoformat() if action.due_date else None, due_date.isoformat()]
        if action.due_date and due_date > action.due_date:
            action.postponed_count += 1
        action.due_date = due_date
        action.reminder_sent_at = action.overdue_notice_sent_at = action.escalated_at = None
    if cost_estimate is not None and cost_estimate != action.cost_estimate:
        changes["cost_estimate"] = [str(action.cost_estimate) if action.cost_estimate is not None else None,
                                    str(cost_estimate)]  # fmt: skip
        action.cost_estimate = cost_estimate
    if priority and priority != action.priority:
        changes["priority"] = [action.priority, _priority(priority)]
        action.priority = _priority(priority)
    if not changes:
        return action
    action.updated_at = timezone.now()
    save(action, actor, f"updated: {reason}")
    audit(actor=actor, verb="action.update", target=action, unit=action.unit, data={"reason": reason, "changes": changes})
    if "owner" in changes and action.status in (S.OPEN, S.IN_PROGRESS):
        notify("action_assigned", recipients=[action.owner], target=action, exclude=[actor])
    return action


# ----------------------------------------------------------------------------- follow-up rules


def default_owner(unit: OrgUnit, role: str) -> User | None:
    """The first active holder of `role` for the unit (organisation roles: on the root)."""
    try:
        role_enum = Role(role)
    except ValueError:
        return None
    scope = unit
    from core.models import ORGANISATION_ROLES

    if role_enum in ORGANISATION_ROLES:
        scope = organisation_root() or unit
    holders = unit_role_holders(scope, role_enum)
    if not holders and role_enum in (Role.LEADER, Role.DEPUTY_LEADER):
        return next(iter(unit_leaders(unit)), None)
    return holders[0] if holders else None


@transaction.atomic
def followup_actions_sync(
    *,
    actor: User | None,
    response: Any,
    proposals: Sequence[FollowUpProposal],
    signed_at: dt.datetime,
) -> list[ActionItem]:
    """Turn a submitted response's follow-up proposals into actions; idempotent by rule code.

    * a rule this response already has an action for: nothing new (signing again changes nothing);
    * otherwise an unfinished action (proposed, open, in progress) with the same code in the
      unit is linked instead of creating a duplicate;
    * otherwise a new action is created: open with the chosen owner (or the first holder of the
      owner role) and the deadline counted from `signed_at`; proposed when nobody holds the role;
    * rules this response proposed before but no longer meets: the unfinished action it created is
      cancelled with the reason "the answer no longer meets the rule"; a linked one is unlinked.

    Returns the actions the proposals map to, in the order of `proposals`.
    """
    unit: OrgUnit = response.unit
    if actor is not None and not has_perm(actor, Perm.RESPONSE_SIGN, unit):
        raise PermissionDenied
    # Serialise syncs for the unit (two responses of the same unit submitted at once).
    OrgUnit.objects.select_for_update().filter(pk=unit.pk).first()
    seen: set[str] = set()
    result: list[ActionItem] = []
    links = {
        link.rule_code: link
        for link in FollowUpLink.objects.select_related("action").filter(response=response, active=True)
    }
    for proposal in proposals:
        code = proposal.code.strip()
        if not code or code in seen:
            continue
        seen.add(code)
        link = links.get(code)
        if link is not None and link.action.status not in (S.REJECTED, S.CANCELLED):
            result.append(link.action)
            continue
        if link is not None:  # its action was rejected or cancelled since: start afresh
            _withdraw(link, actor)
        existing = (
            ActionItem.objects.filter(unit=unit, rule_code=code, status__in=ActionItem.UNFINISHED)
            .order_by("created_at", "pk")
            .first()
        )
        if existing is not None:
            _link(actor, response=response, action=existing, code=code, question=proposal.question, created=False)
            audit(actor=actor, verb="action.followup_link", target=existing, unit=unit,
                  data={"response": str(response.pk), "rule_code": code})  # fmt: skip
            result.append(existing)
            continue
        result.append(_create_from_proposal(actor=actor, response=response, proposal=proposal, signed_at=signed_at))
    for code, link in links.items():
        if code in seen:
            continue
        action = link.action
        _withdraw(link, actor)
        if link.created_action and action.status in ActionItem.UNFINISHED:
            action_cancel(actor=None, action=action, reason=RULE_NO_LONGER_MET_TEXT["nb"],
                          reason_code=RULE_NO_LONGER_MET)  # fmt: skip
    return result


def _link(actor: User | None, *, response: Any, action: ActionItem, code: str, question: str, created: bool) -> None:
    link = FollowUpLink(response=response, action=action, rule_code=code, question=(question or "")[:200],
                        created_action=created)  # fmt: skip
    save(link, actor, "linked")


def _withdraw(link: FollowUpLink, actor: User | None) -> None:
    link.active = False
    link.withdrawn_at = timezone.now()
    save(link, actor, "rule no longer met", clean=False)


def _create_from_proposal(
    *, actor: User | None, response: Any, proposal: FollowUpProposal, signed_at: dt.datetime
) -> ActionItem:
    unit: OrgUnit = response.unit
    role = proposal.role
    owner = proposal.owner
    if owner is not None and not _may_own(owner, unit):
        owner = None
    if owner is None:
        owner = default_owner(unit, role)
    due = proposal.deadline(signed_at)
    title = proposal.title or {}
    description = proposal.description or {}
    local_signed = timezone.localtime(signed_at) if timezone.is_aware(signed_at) else signed_at
    action = _create(
        actor=actor,
        unit=unit,
        title=(title.get("nb") or title.get("en") or proposal.code)[:300],
        status=S.OPEN if owner is not None else S.PROPOSED,
        verb="action.create_from_rule",
        title_en=(title.get("en") or "")[:300],
        description=description.get("nb") or description.get("en") or "",
        description_en=description.get("en") or "",
        owner=owner,
        owner_role=role if role in Role.values else "",
        due_date=due,
        priority=proposal.priority,
        legal_ref=(proposal.legal_ref or "")[:200],
        source_kind=ActionItem.Source.RESPONSE,
        source_response=response,
        source_question=(proposal.question or "")[:200],
        source_question_title=(proposal.question_title or "")[:500],
        rule_code=proposal.code.strip()[:100],
        year=local_signed.year,
    )
    _link(actor, response=response, action=action, code=action.rule_code, question=proposal.question, created=True)
    return action
