"""Reads for anonymous campaigns (participations, invitees, rate snapshots).

Raw answers are read only by `reports.anonymity`, through `answer_rows`/`comment_rows`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from core.models import Membership, OrgUnit, Role, User
from surveys.models import (
    AnonymousAnswer,
    AnonymousComment,
    Campaign,
    Mode,
    Participation,
    QuestionnaireVersion,
    ResponseRateSnapshot,
)

from . import tokens

_VERSIONS: dict[int, QuestionnaireVersion] = {}


def version(pk: int) -> QuestionnaireVersion:
    """A questionnaire version, cached per process (versions are immutable once published)."""
    found = _VERSIONS.get(pk)
    if found is None:
        found = QuestionnaireVersion.objects.select_related("questionnaire").get(pk=pk)
        if len(_VERSIONS) > 256:
            _VERSIONS.clear()
        _VERSIONS[pk] = found
    return found


def _with_version(participation: Participation | None) -> Participation | None:
    if participation is not None:
        participation.campaign.version = version(participation.campaign.version_id)
    return participation


@sensitive_variables("token", "digest")
def participation_for_token(token: str) -> Participation | None:
    """The unanswered participation of an open campaign that this link belongs to."""
    digest = tokens.token_hash(token)
    if not digest:
        return None
    return _with_version(
        Participation.objects.select_related("campaign")
        .filter(Q(token_hash=digest) | Q(previous_token_hash=digest), answered=False)
        .first()
    )


def participation_for_user(user: User, campaign_id: object) -> Participation | None:
    if not user.is_authenticated:
        return None
    return _with_version(
        Participation.objects.select_related("campaign").filter(campaign_id=campaign_id, person=user).first()
    )


def open_participations_for_user(user: User) -> QuerySet[Participation]:
    """Open anonymous campaigns this person is invited to and has not answered (home page)."""
    today = timezone.localdate()
    return (
        Participation.objects.filter(
            person=user, answered=False, campaign__status=Campaign.Status.OPEN,
            campaign__mode=Mode.ANONYMOUS, campaign__opens_on__lte=today,
        )  # fmt: skip
        .select_related("campaign__version__questionnaire")
        .order_by("campaign__closes_on")
    )


@dataclass(frozen=True)
class Invitee:
    person: User
    unit: OrgUnit


def invitees(campaign: Campaign, *, on: dt.date | None = None) -> list[Invitee]:
    """Everyone employed in the campaign's units (and the units below them).

    A unit leader's answer counts in the unit above the one they lead (UiO's ARK practice:
    leaders' answers are left out of their own unit and counted at higher levels).
    """
    on = on or timezone.localdate()
    paths = [u.path for u in campaign.units.all()]
    if not paths:
        return []
    in_scope = Q()
    for path in paths:
        in_scope |= Q(path__startswith=path)
    units = {u.pk: u for u in OrgUnit.objects.active(on).filter(in_scope)}
    employed = (
        Membership.objects.active(on)
        .filter(role=Role.EMPLOYEE, unit_id__in=units, user__is_active=True)
        .select_related("user")
        .order_by("unit__path", "user_id")
    )
    leads = set(
        Membership.objects.active(on)
        .filter(role__in=[Role.LEADER, Role.DEPUTY_LEADER], unit_id__in=units)
        .values_list("user_id", "unit_id")
    )
    parents = {u.pk: u.parent for u in OrgUnit.objects.filter(pk__in=units).select_related("parent")}
    seen: set[int] = set()
    out: list[Invitee] = []
    for m in employed:
        if m.user_id in seen:
            continue
        seen.add(m.user_id)
        unit = units[m.unit_id]
        if (m.user_id, unit.pk) in leads and parents.get(unit.pk) is not None:
            unit = parents[unit.pk]
        out.append(Invitee(person=m.user, unit=unit))
    return out


def invited_counts(campaign: Campaign) -> dict[int, int]:
    return dict(
        Participation.objects.filter(campaign=campaign)
        .values_list("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )


def reporting_group(campaign_id: object, unit_id: int) -> tuple[int, list[int]]:
    """(unit the answer is stored under, every unit counted with it) for a respondent's unit.

    A unit with fewer than VERNE_MIN_GROUP_SIZE invited (with what is merged into it) is
    merged into its parent, exactly as the response rates are grouped; the answer is stored
    under the group's unit, so the database never holds an answer marked with a unit of one to
    four people (whose only respondent would be plain to see next to the participations).
    """
    from reports.anonymity import partition, thresholds, unit_refs, with_ancestors

    counts = dict(
        Participation.objects.filter(campaign_id=campaign_id)
        .values_list("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    groups = partition(with_ancestors(unit_refs(), counts), counts, thresholds().normal)
    for anchor, group in groups.items():
        if unit_id in group.unit_ids:
            return anchor, list(group.unit_ids)
    return unit_id, [unit_id]


def invited_groups(campaign: Campaign) -> dict[int, list[int]]:
    """{unit answers are stored under: every unit whose people count there} (for results'
    labels), from the participations or, once they are deleted, the last rate snapshot."""
    from reports.anonymity import partition, thresholds, unit_refs, with_ancestors

    counts = invited_counts(campaign)
    if not counts:
        _day, snapshot = latest_snapshot(campaign)
        counts = {uid: invited for uid, (invited, _answered) in snapshot.items()}
    if not counts:
        return {}
    groups = partition(with_ancestors(unit_refs(), counts), counts, thresholds().normal)
    return {anchor: list(g.unit_ids) for anchor, g in groups.items()}


def answered_counts(campaign: Campaign, *, before: dt.date | None = None) -> dict[int, int]:
    """Answers per unit, counted from the answers' dates (those before `before`)."""
    qs = AnonymousAnswer.objects.filter(campaign=campaign)
    if before is not None:
        qs = qs.filter(submitted_on__lt=before)
    return dict(qs.values_list("unit_id").annotate(n=Count("id")).values_list("unit_id", "n"))


def latest_snapshot(campaign: Campaign) -> tuple[dt.date | None, dict[int, tuple[int, int]]]:
    """(day, {unit id: (invited, answered)}) of the newest daily snapshot."""
    day = ResponseRateSnapshot.objects.filter(campaign=campaign).aggregate(d=Max("taken_on"))["d"]
    if day is None:
        return None, {}
    rows = ResponseRateSnapshot.objects.filter(campaign=campaign, taken_on=day)
    return day, {r.unit_id: (r.invited, r.answered) for r in rows}


def answer_rows(campaign: Campaign) -> Iterable[tuple[int, dict, dict]]:
    """(unit id, background, answers) of every anonymous answer. Only reports.anonymity calls this."""
    return AnonymousAnswer.objects.filter(campaign=campaign).values_list("unit_id", "background", "answers").iterator(
        chunk_size=500
    )


def comment_rows(campaign: Campaign) -> Iterable[tuple[str, int, str, str, str]]:
    """(id, unit id, question, status, released text). Only reports.anonymity calls this."""
    return AnonymousComment.objects.filter(campaign=campaign).values_list(
        "id", "unit_id", "question", "status", "released_text"
    )


def comments_for_review(campaign: Campaign) -> list[AnonymousComment]:
    """Every free-text answer of a campaign for the screening page: text and question only,
    ordered by their random ids (not by unit, not by time)."""
    return list(AnonymousComment.objects.filter(campaign=campaign).only("id", "question", "text", "status", "released_text").order_by("id"))


def comment_counts(campaign: Campaign) -> Counter[str]:
    return Counter(AnonymousComment.objects.filter(campaign=campaign).values_list("status", flat=True))


def has_raw_answers(campaign: Campaign) -> bool:
    return AnonymousAnswer.objects.filter(campaign=campaign).exists()
