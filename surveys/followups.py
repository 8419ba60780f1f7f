"""Follow-up rules (`verneFollowUps`): weak answers propose actions for the unit's action plan.

A rule sits on a question, a panel or the survey: a SurveyJS condition (`when`) and an
action template (title, description, owner role, due as an ISO-8601 duration, priority,
legal reference). The engine evaluates the rules as the response is answered; matching
rules show as proposals on the review page, where the leader and the verneombud choose
owner and deadline; on the second signature the workflows app turns them into actions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Role, User
from core.selectors import unit_role_holders

from . import engine_api
from .models import Response

ROLE_ALIASES = {"unit_leader": Role.LEADER, "safety_rep": Role.VERNEOMBUD, "hse_coordinator": Role.HMS_COORDINATOR}
_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")


def duration_days(text: str | None, default: int = 30) -> int:
    """ISO-8601 date duration (P30D, P2W, P3M, P1Y) in days; months count as 30."""
    match = _DURATION.match((text or "").strip().upper())
    if not match or not any(match.groups()):
        return default
    years, months, weeks, days = (int(g or 0) for g in match.groups())
    return years * 365 + months * 30 + weeks * 7 + days


@dataclass(frozen=True)
class Rule:
    code: str
    when: str
    title: Mapping[str, str]
    description: Mapping[str, str]
    owner_role: str
    due: str
    priority: str
    legal_ref: str
    question: str  # the question (or panel/survey name) the rule sits on


def rules_in(definition: Mapping[str, Any]) -> Iterator[Rule]:
    """Every follow-up rule in a definition, in document order."""

    def make(raw: Mapping[str, Any], where: str) -> Rule:
        def loc(value: Any) -> Mapping[str, str]:
            if isinstance(value, str):
                return {"default": value}
            return value if isinstance(value, Mapping) else {}

        role = str(raw.get("ownerRole") or Role.LEADER)
        return Rule(
            code=str(raw.get("code", "")),
            when=str(raw.get("when", "")),
            title=loc(raw.get("title")),
            description=loc(raw.get("description")),
            owner_role=str(ROLE_ALIASES.get(role, role)),
            due=str(raw.get("due") or "P30D"),
            priority=str(raw.get("priority") or "medium"),
            legal_ref=str(raw.get("legalRef") or ""),
            question=where,
        )

    for raw in definition.get("verneFollowUps") or []:
        yield make(raw, "")

    def walk(elements: list[Mapping[str, Any]]) -> Iterator[Rule]:
        for el in elements or []:
            for raw in el.get("verneFollowUps") or []:
                yield make(raw, str(el.get("name", "")))
            yield from walk(el.get("elements") or [])
            yield from walk(el.get("templateElements") or [])

    for page in definition.get("pages") or []:
        for raw in page.get("verneFollowUps") or []:
            yield make(raw, str(page.get("name", "")))
        yield from walk(page.get("elements") or [])
    yield from walk(definition.get("elements") or [])


@dataclass
class Proposal:
    rule: Rule
    title: str
    description: str
    question_title: str
    owner: User | None
    due: dt.date
    due_is_default: bool


def _text(value: Mapping[str, str], locale: str) -> str:
    return value.get(locale) or value.get("nb") or value.get("default") or next(iter(value.values()), "")


def proposals_for(response: Response, *, session: engine_api.Session, locale: str) -> list[Proposal]:
    """The rules the current answers meet, with the owner and deadline chosen so far."""
    titles = session.question_titles()
    choices = response.followup_choices or {}
    holders_cache: dict[str, list[User]] = {}
    people = {u.pk: u for u in owner_candidates(response)}
    base = (response.submitted_at.date() if response.submitted_at else timezone.localdate())
    out = []
    for rule in rules_in(engine_api.definition_of(response.version)):
        if not rule.code or not session.condition(rule.when):
            continue
        chosen = choices.get(rule.code, {})
        owner = people.get(chosen.get("owner")) if chosen.get("owner") else None
        if owner is None:
            if rule.owner_role not in holders_cache:
                holders_cache[rule.owner_role] = _holders(response, rule.owner_role)
            owner = next(iter(holders_cache[rule.owner_role]), None)
        due_text = chosen.get("due")
        due = dt.date.fromisoformat(due_text) if due_text else base + dt.timedelta(days=duration_days(rule.due))
        out.append(
            Proposal(
                rule=rule,
                title=_text(rule.title, locale),
                description=_text(rule.description, locale),
                question_title=titles.get(rule.question, rule.question),
                owner=owner,
                due=due,
                due_is_default=not due_text,
            )
        )
    return out


def _holders(response: Response, role: str) -> list[User]:
    try:
        return unit_role_holders(response.unit, Role(role))
    except ValueError:
        return []


def owner_candidates(response: Response) -> list[User]:
    """People who can own an action of this unit: everyone holding a role in it."""
    from core.selectors import unit_people

    return [p.user for p in unit_people(response.unit)]


def owner_choices(response: Response) -> list[tuple[int, str]]:
    return [(u.pk, u.get_full_name() or u.username) for u in owner_candidates(response)]


def parse_choices(response: Response, data: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Owner and deadline per rule code from the review page's form (validated)."""
    allowed = {u.pk for u in owner_candidates(response)}
    codes = {r.code for r in rules_in(engine_api.definition_of(response.version)) if r.code}
    result: dict[str, dict[str, Any]] = {}
    errors = []
    for code in codes:
        owner_raw = data.get(f"owner-{code}", "")
        due_raw = data.get(f"due-{code}", "")
        entry: dict[str, Any] = {}
        if owner_raw:
            try:
                owner_id = int(owner_raw)
            except ValueError:
                owner_id = -1
            if owner_id not in allowed:
                errors.append(_("Ukjent ansvarlig for %(code)s.") % {"code": code})
            else:
                entry["owner"] = owner_id
        if due_raw:
            try:
                due = dt.date.fromisoformat(due_raw)
            except ValueError:
                errors.append(_("Ugyldig frist for %(code)s.") % {"code": code})
            else:
                if due < timezone.localdate():
                    errors.append(_("Fristen for %(code)s kan ikke være i fortiden.") % {"code": code})
                entry["due"] = due.isoformat()
        if entry:
            result[code] = entry
    if errors:
        raise ValidationError(errors)
    return result


def choices_save(*, actor: User, response: Response, data: Mapping[str, Any]) -> Response:
    from .services import response_set_followup_choices

    return response_set_followup_choices(actor=actor, response=response, choices=parse_choices(response, data))


def apply_on_submit(*, actor: User | None, response: Response, signed_at: dt.datetime) -> list[Any]:
    """Turn the proposals into actions (workflows) when the second signature submits."""
    try:
        from workflows.followups import FollowUpProposal
        from workflows.services import followup_actions_sync
    except ImportError:  # pragma: no cover - the workflows app is part of Verne
        return []
    session = engine_api.session_for_response(response, "nb", prefill=False)
    proposals = []
    choices = response.followup_choices or {}
    for p in proposals_for(response, session=session, locale="nb"):
        chosen_due = choices.get(p.rule.code, {}).get("due")
        local_day = timezone.localdate(signed_at)  # the deadline counts from the Norwegian date
        due = dt.date.fromisoformat(chosen_due) if chosen_due else local_day + dt.timedelta(days=duration_days(p.rule.due))
        proposals.append(
            FollowUpProposal(
                code=p.rule.code,
                title=dict(p.rule.title),
                description=dict(p.rule.description),
                owner_role=p.rule.owner_role,
                owner=p.owner,
                due=due,
                priority=p.rule.priority,
                legal_ref=p.rule.legal_ref,
                question=p.rule.question,
                question_title=p.question_title,
            )
        )
    return followup_actions_sync(actor=actor, response=response, proposals=proposals, signed_at=signed_at)
