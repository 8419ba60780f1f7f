"""Writes for anonymous campaigns.

Like every service in Verne these are keyword-only and atomic, and the ones a person does
take the `actor` and write an AuditEvent in the same transaction. The one exception is the
anonymous answer itself (`anonymous_answer_submit`): it has no actor, writes no audit event
and no history, and logs nothing. Per-person link emails are not audited either: a trail of
"reminder sent to X" would say who had not answered when (the invite and remind events record
counts only).
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, models, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from core.models import OrgUnit, User
from core.permissions import Perm, has_perm
from core.services import audit_record
from surveys import engine_api
from surveys import services as survey_services
from surveys.models import (
    AnonymousAnswer,
    AnonymousComment,
    Campaign,
    Mode,
    Participation,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    ResponseRateSnapshot,
    SurveyFollowUp,
)

from . import emails, selectors, tokens
from .questions import split_answers

# How many existing rows of the unit are rewritten with a new answer (all of them up to this).
MIX_LIMIT = 250
_rng = random.SystemRandom()


def _require(actor: User | None, perm: Perm, unit: OrgUnit | None = None) -> None:
    if actor is not None and not has_perm(actor, perm, unit):
        raise PermissionDenied


def _require_anonymous(campaign: Campaign) -> None:
    if campaign.mode != Mode.ANONYMOUS:
        raise ValidationError(_("Kampanjen er ikke anonym."))


# --------------------------------------------------------------------------- invitations


@transaction.atomic
def anonymous_campaign_invite(*, actor: User | None, campaign: Campaign, send_links: bool = True) -> int:
    """Invite everyone employed in the campaign's units who is not invited yet.

    Idempotent: run it again after people join a unit and only they are invited. The links
    are sent by a background task after commit (`send_links=False`: no email; people answer
    from the home page - the demo uses this).
    """
    _require(actor, Perm.ORG_ADMINISTER)
    _require_anonymous(campaign)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != Campaign.Status.OPEN:
        raise ValidationError(_("Kampanjen må være åpen før noen kan inviteres."))
    existing = set(Participation.objects.filter(campaign=campaign).values_list("person_id", flat=True))
    now = timezone.now()
    new = [
        Participation(campaign=campaign, person=inv.person, unit=inv.unit, invited_at=now)
        for inv in selectors.invitees(campaign)
        if inv.person.pk not in existing
    ]
    Participation.objects.bulk_create(new)
    ids = [str(p.pk) for p in new]
    if ids and send_links:
        transaction.on_commit(lambda: _enqueue_links(ids, "invitation"))
    audit_record(actor=actor, verb="campaign.invite", target=campaign, data={"invited": len(ids)})
    return len(ids)


def _enqueue_links(ids: list[str], kind: str) -> None:
    from .tasks import send_survey_link

    for pk in ids:
        send_survey_link.enqueue(pk, kind)


@sensitive_variables("token", "email")
def participation_send_link(*, participation_id: str, kind: str) -> bool:
    """Make a new one-time link for the person and email it (the background task calls this).

    Only the hash is stored; the previous link keeps working until the person answers.
    Returns False when there is nothing to send (answered, closed, already invited).
    """
    token = tokens.new_token()
    with transaction.atomic():
        p = (
            Participation.objects.select_for_update()
            .select_related("campaign__version__questionnaire", "person")
            .filter(pk=participation_id, answered=False, campaign__status=Campaign.Status.OPEN)
            .first()
        )
        if p is None or not p.person.email or not p.person.is_active:
            return False
        if kind == "invitation" and p.link_sent_at is not None:
            return False
        Participation.objects.filter(pk=p.pk).update(
            previous_token_hash=F("token_hash") if p.token_hash else None,
            token_hash=tokens.token_hash(token),
            link_sent_at=timezone.now(),
        )
    person = p.person
    language = person.language or "nb"
    title = p.campaign.title
    email = emails.build(
        kind, language=language, name=person.first_name or person.username, to=person.email, title=title,
        due=date_format(p.campaign.closes_on, "j. F Y"), link=tokens.link_for(token), code=token,
    )  # fmt: skip
    EmailMessage(subject=email.subject, body=email.body, to=[email.to]).send()
    return True


# --------------------------------------------------------------------------- answering


class AnswerRejected(Exception):
    """The answer cannot be stored: `reason` is "used", "closed" or "invalid"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def anonymous_answer_submit(
    *, participation_id: uuid.UUID | str, values: Mapping[str, Any], submitted_on: dt.date | None = None
) -> None:
    """Store an anonymous answer and mark the person as having answered, in one transaction.

    No actor, no audit event, no history, no logging (see the module docstring). The order of
    writes hides which answer belongs to whom:

    0. the answer is stored under the person's *reporting group*: their unit, or - when fewer
       than VERNE_MIN_GROUP_SIZE were invited there - the unit above it that the response rates
       merge it into (`selectors.reporting_group`), so no answer is ever marked with a unit of
       one to four people;
    1. every participation of that group is locked (in key order, so two submissions in one
       group queue instead of deadlocking);
    2. one UPDATE rewrites all of them, setting `answered` and clearing the link hashes and the
       reminder fields for this person only - the changed row gets the same transaction id as
       its neighbours and keeps its place among them;
    3. the answer and the free texts are inserted together with the group's existing answers
       and free texts, all deleted and re-inserted in a random order: one transaction id for
       all, new row ids (SQLite) and physical positions (PostgreSQL) in random order.
    """
    with transaction.atomic():
        head = Participation.objects.filter(pk=participation_id).values("campaign_id", "unit_id").first()
        if head is None:
            raise AnswerRejected("invalid")
        # The answer is stored under the unit's reporting group (small units merged upwards);
        # everything below is done for the whole group.
        unit_id, group_units = selectors.reporting_group(head["campaign_id"], head["unit_id"])
        locked = list(
            Participation.objects.select_for_update()
            .filter(campaign_id=head["campaign_id"], unit_id__in=group_units)
            .order_by("pk")
            .values_list("pk", "answered")
        )
        answered = dict(locked).get(uuid.UUID(str(participation_id)))
        if answered is None:
            raise AnswerRejected("invalid")
        if answered:
            raise AnswerRejected("used")
        campaign = Campaign.objects.select_related("version").get(pk=head["campaign_id"])
        if campaign.mode != Mode.ANONYMOUS or not campaign.is_open():
            raise AnswerRejected("closed")
        answers, background, texts = split_answers(campaign.version, values)
        me = Q(pk=participation_id)
        fields = {f.name: f for f in Participation._meta.get_fields() if hasattr(f, "column")}

        def only_me(name: str, value: Any) -> Case:
            return Case(When(me, then=Value(value)), default=F(name), output_field=fields[name])

        Participation.objects.filter(campaign_id=campaign.pk, unit_id__in=group_units).update(
            answered=only_me("answered", True),
            token_hash=only_me("token_hash", None),
            previous_token_hash=only_me("previous_token_hash", None),
            reminded_at=only_me("reminded_at", None),
            reminder_count=only_me("reminder_count", 0),
            link_sent_at=only_me("link_sent_at", None),  # when the last email went could date the answer
        )
        today = submitted_on or timezone.localdate()  # another day only for loading past data (demo)
        _rewrite_shuffled(
            AnonymousAnswer, campaign.pk, unit_id,
            [AnonymousAnswer(campaign_id=campaign.pk, unit_id=unit_id, background=background, answers=answers,
                             submitted_on=today)],
        )  # fmt: skip
        _rewrite_shuffled(
            AnonymousComment, campaign.pk, unit_id,
            [AnonymousComment(campaign_id=campaign.pk, unit_id=unit_id, question=key, text=text[:4000])
             for key, text in sorted(texts.items())],
        )  # fmt: skip


def _rewrite_shuffled(model: type[models.Model], campaign_id: Any, unit_id: int, new: list[Any]) -> None:
    """Insert `new` rows by deleting and re-inserting the unit's rows in a random order."""
    if not new:
        return
    ids = list(model.objects.filter(campaign_id=campaign_id, unit_id=unit_id).values_list("pk", flat=True))  # type: ignore[attr-defined]
    if len(ids) > MIX_LIMIT:
        ids = _rng.sample(ids, MIX_LIMIT)
    old = list(model.objects.filter(pk__in=ids)) if ids else []  # type: ignore[attr-defined]
    if old:
        model.objects.filter(pk__in=ids).delete()  # type: ignore[attr-defined]
    rows = old + new
    _rng.shuffle(rows)
    model.objects.bulk_create(rows)  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- reminders


def _reminder_candidates(campaign: Campaign, *, now: dt.datetime, interval: bool) -> models.QuerySet[Participation]:
    qs = Participation.objects.filter(
        campaign=campaign, answered=False, link_sent_at__isnull=False,
        reminder_count__lt=settings.VERNE_SURVEY_MAX_REMINDERS,
    )  # fmt: skip
    if interval:
        cutoff = now - dt.timedelta(days=settings.VERNE_SURVEY_REMINDER_INTERVAL_DAYS)
        qs = qs.filter(Q(reminded_at__isnull=True, link_sent_at__lte=cutoff) | Q(reminded_at__lte=cutoff))
    else:
        start_of_day = timezone.make_aware(dt.datetime.combine(timezone.localdate(now), dt.time.min))
        qs = qs.filter(Q(reminded_at__isnull=True, link_sent_at__lt=start_of_day) | Q(reminded_at__lt=start_of_day))
    return qs


@transaction.atomic
def anonymous_campaign_remind(
    *, actor: User | None, campaign: Campaign, now: dt.datetime | None = None, interval: bool = False
) -> int:
    """Send a reminder with a new link to everyone who has not answered; returns how many.

    Each person is claimed with a conditional UPDATE, so running this twice (or the command
    and the button at once) never sends two reminders. Without `interval` (the button) nobody
    is reminded twice on the same day; with it (the scheduled command) only people whose last
    email is at least VERNE_SURVEY_REMINDER_INTERVAL_DAYS old. At most
    VERNE_SURVEY_MAX_REMINDERS per person. Nobody sees who was reminded.
    """
    _require(actor, Perm.ORG_ADMINISTER)
    _require_anonymous(campaign)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    now = now or timezone.now()
    if not campaign.is_open(timezone.localdate(now)):
        raise ValidationError(_("Påminnelser kan bare sendes mens undersøkelsen er åpen."))
    claimed: list[str] = []
    for pk, count in _reminder_candidates(campaign, now=now, interval=interval).values_list("pk", "reminder_count"):
        updated = Participation.objects.filter(pk=pk, answered=False, reminder_count=count).update(
            reminder_count=F("reminder_count") + 1, reminded_at=now
        )
        if updated == 1:
            claimed.append(str(pk))
    if claimed:
        transaction.on_commit(lambda: _enqueue_links(claimed, "reminder"))
    audit_record(actor=actor, verb="campaign.remind", target=campaign,
                 data={"sent": len(claimed), "scheduled": interval})  # fmt: skip
    return len(claimed)


# --------------------------------------------------------------------------- response rates


def rate_snapshot_take(*, campaign: Campaign, today: dt.date | None = None) -> dt.date | None:
    """Take today's snapshot of invited and answered per unit, unless there is one.

    Answers are counted up to the end of yesterday (by their date), so the figure cannot
    change during the day and no single answer can be timed. After the campaign has closed
    the final snapshot counts every answer. Derived data: no audit event.
    """
    _require_anonymous(campaign)
    today = today or timezone.localdate()
    if ResponseRateSnapshot.objects.filter(campaign=campaign, taken_on=today).exists():
        return today
    invited = selectors.invited_counts(campaign)
    if not invited:
        day, _latest = selectors.latest_snapshot(campaign)
        return day  # the participations are gone (retention): the last snapshot stands
    closed = campaign.status == Campaign.Status.CLOSED
    answered = selectors.answered_counts(campaign, before=None if closed else today)
    # Answers are stored under their reporting group's unit, which may have no invitees of its
    # own: keep a row for every unit with invitees or answers (the rates add them up per group).
    rows = [
        ResponseRateSnapshot(campaign=campaign, unit_id=unit_id, taken_on=today,
                             invited=invited.get(unit_id, 0), answered=answered.get(unit_id, 0))  # fmt: skip
        for unit_id in sorted(set(invited) | set(answered))
    ]
    try:
        with transaction.atomic():
            ResponseRateSnapshot.objects.bulk_create(rows)
    except IntegrityError:
        pass  # another request took it at the same moment
    return today


# --------------------------------------------------------------------------- closing


@transaction.atomic
def anonymous_campaign_closed(*, actor: User | None, campaign: Campaign) -> Campaign:
    """After an anonymous campaign is closed: every link stops working, a final rate snapshot."""
    _require(actor, Perm.ORG_ADMINISTER)
    _require_anonymous(campaign)
    campaign = Campaign.objects.get(pk=campaign.pk)
    if campaign.status != Campaign.Status.CLOSED:
        raise ValidationError(_("Kampanjen er ikke lukket."))
    revoked = Participation.objects.filter(campaign=campaign).filter(
        Q(token_hash__isnull=False) | Q(previous_token_hash__isnull=False)
    ).update(token_hash=None, previous_token_hash=None)
    today = timezone.localdate()
    ResponseRateSnapshot.objects.filter(campaign=campaign, taken_on=today).delete()
    rate_snapshot_take(campaign=campaign, today=today)
    audit_record(actor=actor, verb="campaign.links_revoked", target=campaign, data={"links": revoked})
    return campaign


# --------------------------------------------------------------------------- free text


@transaction.atomic
def comments_review(
    *, actor: User, campaign: Campaign, decisions: Mapping[str, tuple[str, str]]
) -> dict[str, int]:
    """Screen free-text answers: {comment id: (status, text shown to readers)}.

    Records who reviewed and when, and how many were released, redacted or withheld - never
    which comment or what it said.
    """
    _require(actor, Perm.ORG_ADMINISTER)
    _require_anonymous(campaign)
    if campaign.status != Campaign.Status.CLOSED:
        raise ValidationError(_("Fritekstsvar vurderes etter at undersøkelsen er lukket."))
    counts = {"released": 0, "redacted": 0, "withheld": 0, "pending": 0}
    comments = {str(c.pk): c for c in AnonymousComment.objects.filter(campaign=campaign, pk__in=list(decisions))}
    for pk, (status, shown) in decisions.items():
        comment = comments.get(str(pk))
        if comment is None:
            continue
        if status not in AnonymousComment.Status.values:
            raise ValidationError(_("Ukjent vurdering."))
        shown = (shown or "").strip()
        if status == AnonymousComment.Status.RELEASED:
            if not shown:
                raise ValidationError(_("En frigitt kommentar kan ikke være tom. Hold den tilbake i stedet."))
            counts["redacted" if shown != comment.text.strip() else "released"] += 1
        else:
            shown = ""
            counts["withheld" if status == AnonymousComment.Status.WITHHELD else "pending"] += 1
        if comment.status == status and comment.released_text == shown:
            continue
        AnonymousComment.objects.filter(pk=comment.pk).update(status=status, released_text=shown)
    audit_record(actor=actor, verb="survey.comments_review", target=campaign, data=counts)
    return counts


# --------------------------------------------------------------------------- ARK follow-up

FACT_SHEET_KEY = "ark_fact_sheet"
FACT_SHEET_FILE = Path(__file__).resolve().parent.parent / "questionnaires" / "followup" / "ark_fact_sheet.json"


def fact_sheet_version() -> QuestionnaireVersion:
    """The fact-sheet questionnaire (imported from the built-in file the first time)."""
    questionnaire = Questionnaire.objects.filter(key=FACT_SHEET_KEY).first()
    version = questionnaire.latest_version() if questionnaire else None
    if version is None:
        version = survey_services.questionnaire_import(actor=None, raw=FACT_SHEET_FILE.read_text(encoding="utf-8"))
    return version


def _followup_for(campaign: Campaign, unit: OrgUnit) -> SurveyFollowUp:
    followup, _created = SurveyFollowUp.objects.select_for_update().get_or_create(campaign=campaign, unit=unit)
    return followup


def _check_followup(actor: User, campaign: Campaign, unit: OrgUnit) -> None:
    _require_anonymous(campaign)
    if not has_perm(actor, Perm.RESPONSE_EDIT, unit):
        raise PermissionDenied
    if campaign.status != Campaign.Status.CLOSED:
        raise ValidationError(_("Oppfølgingen starter når undersøkelsen er lukket."))


@transaction.atomic
def followup_fact_sheet_start(*, actor: User, campaign: Campaign, unit: OrgUnit) -> Response:
    """The unit's fact sheet for this survey (a joint response for the leader and verneombud)."""
    _check_followup(actor, campaign, unit)
    followup = _followup_for(campaign, unit)
    if followup.fact_sheet_id:
        return followup.fact_sheet  # type: ignore[return-value]
    version = fact_sheet_version()
    response = survey_services.response_create(
        actor=actor, version=version, unit=unit, purpose=Response.Purpose.FACT_SHEET,
        answers={"survey_title": campaign.title},
    )  # fmt: skip
    followup.fact_sheet = response
    followup.updated_at = timezone.now()
    followup.save(update_fields=["fact_sheet", "updated_at"])
    audit_record(actor=actor, verb="survey.followup_fact_sheet", target=followup, unit=unit,
                 data={"campaign": str(campaign.pk), "response": str(response.pk)})  # fmt: skip
    return response


@transaction.atomic
def followup_record_meeting(
    *, actor: User, campaign: Campaign, unit: OrgUnit, held_on: dt.date, attendees: int | None, summary: str
) -> SurveyFollowUp:
    """Record the feedback meeting with the employees (date, how many came, a short summary)."""
    _check_followup(actor, campaign, unit)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("Møtet kan ikke være holdt i fremtiden.")})
    from .retention import closed_on

    if held_on < closed_on(campaign):
        raise ValidationError({"held_on": _("Møtet holdes etter at undersøkelsen er lukket.")})
    followup = _followup_for(campaign, unit)
    followup.meeting_held_on = held_on
    followup.meeting_attendees = attendees
    followup.meeting_summary = summary.strip()
    followup.updated_at = timezone.now()
    followup.full_clean()
    followup.save()
    audit_record(actor=actor, verb="survey.followup_meeting", target=followup, unit=unit,
                 data={"held_on": held_on.isoformat(), "attendees": attendees})  # fmt: skip
    return followup


@transaction.atomic
def followup_add_measure(
    *,
    actor: User,
    campaign: Campaign,
    unit: OrgUnit,
    title: str,
    description: str = "",
    due_date: dt.date | None = None,
    owner_role: str = "",
) -> Any:
    """A measure agreed in the feedback meeting becomes an action in the unit's action plan."""
    _check_followup(actor, campaign, unit)
    followup = _followup_for(campaign, unit)
    if followup.meeting_held_on is None:
        raise ValidationError(_("Registrer tilbakemeldingsmøtet før tiltakene."))
    from workflows.services import action_create
    from workflows.services.actions import default_owner

    # A leader puts it straight into the plan with the role's holder as owner; otherwise (or
    # when nobody holds the role) it is a proposal for the leader to confirm.
    owner = default_owner(unit, owner_role or "leader") if has_perm(actor, Perm.ACTION_MANAGE, unit) else None
    action = action_create(
        actor=actor, unit=unit, title=title, description=description, due_date=due_date, owner=owner,
        owner_role=owner_role, source_kind="survey", year=campaign.year, confirm=owner is not None,
    )  # fmt: skip
    followup.action_ids = [*followup.action_ids, action.pk]
    followup.updated_at = timezone.now()
    followup.save(update_fields=["action_ids", "updated_at"])
    audit_record(actor=actor, verb="survey.followup_measure", target=followup, unit=unit,
                 data={"action": action.pk})  # fmt: skip
    return action


def completed_values(version: QuestionnaireVersion, answers: Mapping[str, Any]) -> dict[str, Any]:
    """What survey-core would submit: hidden answers cleared, calculated values included."""
    session = engine_api.Session(version, answers, locale="nb")
    session.run.do_complete()
    return session.values
