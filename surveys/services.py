"""Writes for questionnaires, campaigns and responses (audited, atomic, keyword-only).

Joint responses are edited by two or three people at once. Every save carries the lock
version the editor started from; when someone else saved in between, answers to
different questions merge and answers to the same question come back as conflicts for
the saver to resolve. Nothing is overwritten silently.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import selectors as core_selectors
from core.models import OrgUnit, Role, User
from core.permissions import Perm, access_for, has_perm
from core.services import audit_record

from . import engine_api
from .models import (
    Campaign,
    Mode,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    ResponseSignature,
    definition_hash,
)

MISSING = object()


def _with_history(obj: object, actor: User | None, reason: str) -> None:
    obj._history_user = actor  # type: ignore[attr-defined]
    obj._change_reason = reason  # type: ignore[attr-defined]


def answers_hash(answers: Mapping[str, Any]) -> str:
    canonical = json.dumps(answers, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


# --------------------------------------------------------------------------- questionnaires


class DefinitionRejected(Exception):
    """The engine found errors in a definition; nothing was stored."""

    def __init__(self, problems: list[engine_api.Problem]) -> None:
        super().__init__("; ".join(f"{p.path}: {p.message}" for p in problems))
        self.problems = problems


@transaction.atomic
def questionnaire_import(
    *,
    actor: User | None,
    raw: str | bytes | dict[str, Any],
    key: str | None = None,
    note: str = "",
) -> QuestionnaireVersion:
    """Publish a definition as a new version (or return the latest if it is identical)."""
    report = engine_api.validate_definition(raw)
    if report.errors:
        raise DefinitionRejected(report.errors)
    definition = report.definition
    assert definition is not None
    key = key or definition.get("verneKey")
    if not key:
        raise DefinitionRejected(
            [engine_api.Problem(path="verneKey", message="the questionnaire needs a key (verneKey)")]
        )
    title_nb = engine_api.localise(definition.get("title"), "nb") or key
    title_en = engine_api.localise(definition.get("title"), "en") or title_nb
    mode = definition.get("verneMode") or Mode.JOINT
    questionnaire, created = Questionnaire.objects.get_or_create(
        key=key, defaults={"title": title_nb, "title_en": title_en, "default_mode": mode}
    )
    if created:
        audit_record(actor=actor, verb="questionnaire.create", target=questionnaire, data={"key": key})
    else:
        questionnaire.title, questionnaire.title_en = title_nb, title_en
        questionnaire.save(update_fields=["title", "title_en"])
    digest = definition_hash(definition)
    latest = questionnaire.versions.select_for_update().order_by("-number").first()
    if latest is not None and latest.definition_hash == digest:
        return latest
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=(latest.number + 1) if latest else 1,
        definition=definition,
        definition_hash=digest,
        published_by=actor if actor is not None and actor.pk else None,
        note=note,
    )
    audit_record(
        actor=actor,
        verb="questionnaire.publish",
        target=version,
        data={"key": key, "number": version.number, "warnings": len(report.warnings)},
    )
    return version


# --------------------------------------------------------------------------- campaigns


@transaction.atomic
def campaign_create(
    *,
    actor: User,
    version: QuestionnaireVersion,
    title: str,
    year: int,
    mode: str,
    opens_on: dt.date,
    closes_on: dt.date,
    units: Iterable[OrgUnit],
) -> Campaign:
    if not has_perm(actor, Perm.ORG_ADMINISTER):
        raise PermissionDenied
    campaign = Campaign(
        version=version, title=title, year=year, mode=mode, opens_on=opens_on, closes_on=closes_on,
        created_by=actor,
    )  # fmt: skip
    campaign.full_clean()
    _with_history(campaign, actor, "created")
    campaign.save()
    units = list(units)
    campaign.units.set(units)
    audit_record(
        actor=actor,
        verb="campaign.create",
        target=campaign,
        data={"title": title, "year": year, "mode": mode, "units": len(units), "version": version.pk},
    )
    return campaign


@transaction.atomic
def campaign_open(*, actor: User | None, campaign: Campaign) -> Campaign:
    """Open a campaign. Joint campaigns get one draft response per unit at once."""
    if actor is not None and not has_perm(actor, Perm.ORG_ADMINISTER):
        raise PermissionDenied
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status == Campaign.Status.OPEN:
        return campaign
    campaign.status = Campaign.Status.OPEN
    _with_history(campaign, actor, "opened")
    campaign.save()
    created = 0
    if campaign.mode == Mode.JOINT:
        existing = set(campaign.responses.values_list("unit_id", flat=True))
        for unit in campaign.units.all():
            if unit.pk not in existing:
                response_create(actor=actor, version=campaign.version, unit=unit, campaign=campaign)
                created += 1
    audit_record(actor=actor, verb="campaign.open", target=campaign, data={"responses_created": created})
    return campaign


@transaction.atomic
def campaign_close(*, actor: User | None, campaign: Campaign) -> Campaign:
    if actor is not None and not has_perm(actor, Perm.ORG_ADMINISTER):
        raise PermissionDenied
    campaign.status = Campaign.Status.CLOSED
    _with_history(campaign, actor, "closed")
    campaign.save()
    audit_record(actor=actor, verb="campaign.close", target=campaign)
    return campaign


@transaction.atomic
def campaign_issue_annual_report(
    *,
    actor: User,
    year: int,
    opens_on: dt.date,
    closes_on: dt.date,
    questionnaire_key: str = "hms_annual_report",
) -> Campaign:
    """One step: this year's annual HMS report to every active unit, opened at once."""
    questionnaire = Questionnaire.objects.filter(key=questionnaire_key).first()
    version = questionnaire.latest_version() if questionnaire else None
    if version is None:
        raise ValidationError(_("Spørreskjemaet for HMS-årsrapporten er ikke importert."))
    if Campaign.objects.filter(version__questionnaire=questionnaire, year=year, mode=Mode.JOINT).exists():
        raise ValidationError(_("Årsrapporten for %(year)s er allerede sendt ut.") % {"year": year})
    units = OrgUnit.objects.active(opens_on).exclude(parent__isnull=True)
    campaign = campaign_create(
        actor=actor,
        version=version,
        title=_("HMS-årsrapport %(year)s") % {"year": year},
        year=year,
        mode=Mode.JOINT,
        opens_on=opens_on,
        closes_on=closes_on,
        units=units,
    )
    return campaign_open(actor=actor, campaign=campaign)


@transaction.atomic
def campaign_open_scheduled(
    *,
    questionnaire_key: str,
    year: int,
    title: str,
    opens_on: dt.date,
    closes_on: dt.date,
    units: list[OrgUnit] | None = None,
) -> Campaign:
    """Open a campaign from the årshjul (run by the system, no actor). Idempotent per
    questionnaire and year: an existing campaign is opened, not duplicated."""
    questionnaire = Questionnaire.objects.filter(key=questionnaire_key).first()
    version = questionnaire.latest_version() if questionnaire else None
    if version is None:
        raise ValidationError(_("Spørreskjemaet %(key)s er ikke importert.") % {"key": questionnaire_key})
    existing = Campaign.objects.filter(version__questionnaire=questionnaire, year=year).first()
    if existing is not None:
        return campaign_open(actor=None, campaign=existing)
    mode = questionnaire.default_mode
    targets = units if units is not None else list(OrgUnit.objects.active(opens_on).exclude(parent__isnull=True))
    campaign = Campaign(version=version, title=title, year=year, mode=mode, opens_on=opens_on, closes_on=closes_on)
    campaign.full_clean()
    _with_history(campaign, None, "scheduled")
    campaign.save()
    campaign.units.set(targets)
    audit_record(
        actor=None, verb="campaign.create", target=campaign,
        data={"title": title, "year": year, "mode": mode, "units": len(targets), "scheduled": True},
    )  # fmt: skip
    campaign = campaign_open(actor=None, campaign=campaign)
    if mode == Mode.ANONYMOUS:
        from .anon.services import anonymous_campaign_invite

        anonymous_campaign_invite(actor=None, campaign=campaign)
    return campaign


# --------------------------------------------------------------------------- responses


@transaction.atomic
def response_create(
    *,
    actor: User | None,
    version: QuestionnaireVersion,
    unit: OrgUnit,
    campaign: Campaign | None = None,
    person: User | None = None,
    purpose: str = Response.Purpose.CAMPAIGN,
    answers: dict[str, object] | None = None,
) -> Response:
    """Start a response (joint when `person` is None). Records the unit as it is today."""
    response = Response(
        version=version,
        campaign=campaign,
        purpose=purpose,
        unit=unit,
        unit_code=unit.code,
        unit_name=unit.name,
        person=person,
        answers=answers or {},
        updated_at=timezone.now(),
    )
    response.full_clean()
    _with_history(response, actor, "created")
    response.save()
    audit_record(
        actor=actor,
        verb="response.create",
        target=response,
        unit=unit,
        data={"version": version.pk, "campaign": str(campaign.pk) if campaign else None, "purpose": purpose},
    )
    return response


def can_edit_response(user: User, response: Response) -> bool:
    if response.person_id is not None:
        return response.person_id == user.pk
    if response.purpose == Response.Purpose.HMS_ROUND:
        # A round's checklist is filled in by the round's participants.
        return has_perm(user, Perm.ROUND_MANAGE, response.unit)
    return has_perm(user, Perm.RESPONSE_EDIT, response.unit)


@dataclass
class Conflict:
    question: str
    mine: Any
    theirs: Any
    theirs_by: str = ""
    theirs_at: str = ""


@dataclass
class SaveResult:
    response: Response
    changed: list[str] = field(default_factory=list)
    merged: bool = False  # someone else saved in between and their answers were kept
    conflicts: list[Conflict] = field(default_factory=list)
    voided_signatures: int = 0


def _answers_at(response: Response, lock_version: int) -> dict[str, Any] | None:
    """The answers as they were when the response had this lock version (from history)."""
    row = response.history.filter(lock_version=lock_version).order_by("-history_date").first()
    return dict(row.answers) if row is not None else None


@transaction.atomic
def response_save_answers(
    *,
    actor: User,
    response: Response,
    answers: Mapping[str, Any],
    base_version: int,
    page: str = "",
    questions: Iterable[str] = (),
    resolutions: Mapping[str, Any] | None = None,
) -> SaveResult:
    """Save the answers to `questions` (one wizard page) made from `base_version`.

    `answers` holds this page's values (a question missing from it was cleared).
    `resolutions` are the saver's choices for earlier conflicts (question -> value) and
    are applied as deliberate overwrites.
    """
    response = Response.objects.select_for_update().get(pk=response.pk)
    if not can_edit_response(actor, response):
        raise PermissionDenied
    if response.status == Response.Status.SUBMITTED:
        raise ValidationError(_("Besvarelsen er levert og kan ikke endres."))
    questions = list(questions) or list(answers)
    current = dict(response.answers)
    base = current if base_version == response.lock_version else _answers_at(response, base_version)
    merged = base_version != response.lock_version
    if base is None:  # unknown base: treat every difference as a conflict
        base = {}
    result = SaveResult(response=response, merged=merged)
    resolutions = dict(resolutions or {})
    new = dict(current)
    for name in questions:
        mine = answers.get(name, MISSING)
        theirs = current.get(name, MISSING)
        was = base.get(name, MISSING)
        if name in resolutions:
            mine = resolutions[name]
        elif mine == was:
            continue  # I did not change it: keep whatever is there now
        elif merged and theirs != was and theirs != mine:
            meta = response.answer_meta.get(name, {})
            result.conflicts.append(
                Conflict(
                    question=name,
                    mine=None if mine is MISSING else mine,
                    theirs=None if theirs is MISSING else theirs,
                    theirs_by=meta.get("name", ""),
                    theirs_at=meta.get("at", ""),
                )
            )
            continue
        if mine is MISSING:
            new.pop(name, None)
        else:
            new[name] = mine
        if new.get(name, MISSING) != current.get(name, MISSING):
            result.changed.append(name)
    # Values the engine computes (expressions, totals) are refreshed by the caller through `answers`.
    if not result.changed and page == response.current_page:
        return result
    now = timezone.now()
    meta = dict(response.answer_meta)
    for name in result.changed:
        meta[name] = {"by": actor.pk, "name": actor.get_full_name() or actor.username, "at": now.isoformat()}
    response.answers = new
    response.answer_meta = meta
    response.current_page = page or response.current_page
    response.updated_at = now
    if result.changed:
        response.lock_version += 1
        # Active signatures exist only while one of two has signed (reopening voids them).
        if response.status == Response.Status.SIGNED_BY_ONE:
            result.voided_signatures = _void_signatures(response, actor, _("Svarene ble endret etter signering."))
        if result.voided_signatures and response.status == Response.Status.SIGNED_BY_ONE:
            response.status = Response.Status.DRAFT
    _with_history(response, actor, f"page {page}: {', '.join(result.changed)}"[:100] if result.changed else f"page {page}")
    # Only the columns a save changes (the history row still records the whole response).
    response.save(update_fields=["answers", "answer_meta", "current_page", "updated_at", "lock_version", "status"])
    if result.changed:
        audit_record(
            actor=actor,
            verb="response.save",
            target=response,
            unit=response.unit,
            data={"page": page, "questions": result.changed, "merged": merged, "conflicts": [c.question for c in result.conflicts]},
        )
    return result


def _void_signatures(response: Response, actor: User | None, reason: str) -> int:
    voided = 0
    for signature in response.signatures.filter(voided_at__isnull=True):
        signature.voided_at = timezone.now()
        signature.void_reason = reason[:200]
        _with_history(signature, actor, "voided")
        signature.save()
        voided += 1
        audit_record(
            actor=actor, verb="response.signature_void", target=response, unit=response.unit,
            data={"signer": signature.signer.username, "capacity": signature.capacity, "reason": reason},
        )  # fmt: skip
    return voided


LEADER_ROLES = (Role.LEADER, Role.DEPUTY_LEADER)
VO_ROLES = (Role.VERNEOMBUD, Role.DEPUTY_VERNEOMBUD)


def signing_capacities(user: User, response: Response) -> list[tuple[str, str]]:
    """[(capacity, role)] in which this person may sign this joint response."""
    if response.person_id is not None or not has_perm(user, Perm.RESPONSE_SIGN, response.unit):
        return []
    local, _above = access_for(user).roles_on(response.unit)
    capacities = []
    for capacity, roles in (
        (ResponseSignature.Capacity.LEADER, LEADER_ROLES),
        (ResponseSignature.Capacity.VERNEOMBUD, VO_ROLES),
    ):
        held = [r for r in roles if r in local]
        if held:
            capacities.append((capacity.value, held[0].value))
    return capacities


@dataclass
class SignResult:
    response: Response
    signature: ResponseSignature
    submitted: bool


@transaction.atomic
def response_sign(
    *,
    actor: User,
    response: Response,
    capacity: str,
) -> SignResult:
    """Sign as leader or verneombud. The second signature submits the response.

    On submission the follow-up proposals (with the owners and deadlines chosen on the
    review page) become actions in the unit's action plan, in the same transaction.
    """
    response = Response.objects.select_for_update().get(pk=response.pk)
    if response.status == Response.Status.SUBMITTED:
        raise ValidationError(_("Besvarelsen er allerede levert."))
    roles = dict(signing_capacities(actor, response))
    if capacity not in roles:
        raise PermissionDenied
    problems = engine_api.completion_problems(response)
    if problems:
        raise ValidationError(_("Alle obligatoriske spørsmål må være besvart før signering."))
    active = {s.capacity: s for s in response.active_signatures()}
    if capacity in active:
        raise ValidationError(_("Denne rollen har allerede signert."))
    if any(s.signer_id == actor.pk for s in active.values()):
        raise ValidationError(_("Samme person kan ikke signere for både leder og verneombud."))
    completed = engine_api.completed_values(response)
    if completed != response.answers:
        # What is signed is what survey-core would submit: answers to hidden questions go.
        response.answers = completed
        response.lock_version += 1
        _with_history(response, actor, "hidden answers cleared for signing")
        response.save()
    digest = answers_hash(response.answers)
    signature = ResponseSignature(
        response=response, signer=actor, capacity=capacity, role=roles[capacity], answers_hash=digest
    )
    _with_history(signature, actor, "signed")
    signature.save()
    active[capacity] = signature
    submitted = len(active) == 2
    now = timezone.now()
    if submitted:
        response.status = Response.Status.SUBMITTED
        response.submitted_at = now
    else:
        response.status = Response.Status.SIGNED_BY_ONE
    _with_history(response, actor, "submitted" if submitted else f"signed as {capacity}")
    response.save()
    audit_record(
        actor=actor, verb="response.sign", target=response, unit=response.unit,
        data={"capacity": capacity, "role": roles[capacity], "answers_hash": digest},
    )  # fmt: skip
    if submitted:
        audit_record(actor=actor, verb="response.submit", target=response, unit=response.unit)
        if response.purpose != Response.Purpose.HMS_ROUND:
            # A round's findings become actions through the round's own summary instead.
            from .followups import apply_on_submit

            apply_on_submit(actor=actor, response=response, signed_at=now)
    return SignResult(response=response, signature=signature, submitted=submitted)


def individual_campaign_units(user: User, campaign: Campaign) -> list[OrgUnit]:
    """The campaign's units where this person holds a role (who answers a named campaign)."""
    from core.models import Membership

    unit_ids = set(
        Membership.objects.active().filter(user=user, unit__in=campaign.units.all()).values_list("unit_id", flat=True)
    )
    return [u for u in campaign.units.order_by("path") if u.pk in unit_ids]


@transaction.atomic
def response_start_individual(*, actor: User, campaign: Campaign) -> Response:
    """The person's own response to a named (individual) campaign, created on first open."""
    if campaign.mode != Mode.INDIVIDUAL or not campaign.is_open():
        raise ValidationError(_("Kampanjen er ikke åpen for personlige svar."))
    existing = Response.objects.filter(campaign=campaign, person=actor).first()
    if existing is not None:
        return existing
    units = individual_campaign_units(actor, campaign)
    if not units:
        raise PermissionDenied
    return response_create(actor=actor, version=campaign.version, unit=units[0], campaign=campaign, person=actor)


@transaction.atomic
def response_submit_individual(*, actor: User, response: Response) -> Response:
    """A named response is submitted by its person (no signatures); then it is read-only."""
    response = Response.objects.select_for_update().get(pk=response.pk)
    if response.person_id != actor.pk:
        raise PermissionDenied
    if response.status == Response.Status.SUBMITTED:
        raise ValidationError(_("Besvarelsen er allerede levert."))
    if engine_api.completion_problems(response):
        raise ValidationError(_("Alle obligatoriske spørsmål må være besvart før du leverer."))
    response.answers = engine_api.completed_values(response)
    response.status = Response.Status.SUBMITTED
    response.submitted_at = timezone.now()
    response.lock_version += 1
    _with_history(response, actor, "submitted")
    response.save()
    audit_record(actor=actor, verb="response.submit", target=response, unit=response.unit)
    from .followups import apply_on_submit

    # The rules, not the person, create the actions: the submitter may not manage the plan.
    apply_on_submit(actor=None, response=response, signed_at=response.submitted_at)
    return response


@transaction.atomic
def response_reopen(*, actor: User, response: Response, reason: str) -> Response:
    """An HMS admin reopens a submitted response; both must sign again."""
    if not has_perm(actor, Perm.RESPONSE_REOPEN, response.unit):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Oppgi hvorfor besvarelsen gjenåpnes.")})
    response = Response.objects.select_for_update().get(pk=response.pk)
    if response.status != Response.Status.SUBMITTED:
        raise ValidationError(_("Bare leverte besvarelser kan gjenåpnes."))
    _void_signatures(response, actor, _("Gjenåpnet: %(reason)s") % {"reason": reason})
    response.status = Response.Status.REOPENED
    response.reopen_reason = reason
    response.submitted_at = None
    _with_history(response, actor, f"reopened: {reason}"[:100])
    response.save()
    audit_record(actor=actor, verb="response.reopen", target=response, unit=response.unit, data={"reason": reason})
    return response


@transaction.atomic
def response_set_followup_choices(
    *, actor: User, response: Response, choices: dict[str, dict[str, Any]]
) -> Response:
    """Remember the owner and deadline chosen for each follow-up proposal."""
    response = Response.objects.select_for_update().get(pk=response.pk)
    if not can_edit_response(actor, response) or response.is_read_only:
        raise PermissionDenied
    if response.followup_choices != choices:
        response.followup_choices = choices
        _with_history(response, actor, "follow-up choices")
        response.save()
        audit_record(actor=actor, verb="response.followups", target=response, unit=response.unit, data=choices)
    return response


def unit_leaders_and_vo(unit: OrgUnit) -> dict[str, list[User]]:
    return {
        "leader": core_selectors.unit_role_holders(unit, Role.LEADER),
        "verneombud": core_selectors.unit_role_holders(unit, Role.VERNEOMBUD),
    }
