"""Fetch objects for the person asking: 404 when they may not (never reveal that it exists)."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from core.models import OrgUnit, User
from core.permissions import Perm, has_perm
from core.selectors import unit_people

from ..models import ActionItem, Deviation, HmsRound, Photo, RiskAssessment
from ..notifications import unit_leaders


def _get_unit_for_user(request: HttpRequest, code: str, perm: Perm) -> OrgUnit:
    unit = OrgUnit.objects.filter(code=code).select_related("parent").first()
    if unit is None or not has_perm(request.user, perm, unit):
        raise Http404
    return unit


def _get_action_for_user(request: HttpRequest, pk: int, perm: Perm = Perm.ACTION_VIEW) -> ActionItem:
    action = (
        ActionItem.objects.select_related("unit", "owner", "completed_by", "verified_by", "created_by",
                                          "source_deviation", "source_finding__round", "source_risk_row__assessment")
        .filter(pk=pk)
        .first()
    )  # fmt: skip
    if action is None or not has_perm(request.user, perm, action.unit):
        raise Http404
    return action


def _get_deviation_for_user(
    request: HttpRequest, pk: int, perm: Perm = Perm.DEVIATION_VIEW, *, allow_reporter: bool = False
) -> Deviation:
    deviation = Deviation.objects.select_related("unit", "case_handler", "reporter").filter(pk=pk).first()
    if deviation is None:
        raise Http404
    if has_perm(request.user, perm, deviation.unit):
        return deviation
    if allow_reporter and deviation.reporter_id and deviation.reporter_id == request.user.pk:
        return deviation
    raise Http404


def _get_round_for_user(request: HttpRequest, pk: int, perm: Perm = Perm.ROUND_VIEW) -> HmsRound:
    round_ = HmsRound.objects.select_related("unit", "safety_area", "summarised_by", "checklist_response").filter(pk=pk).first()
    if round_ is None or not has_perm(request.user, perm, round_.unit):
        raise Http404
    return round_


def _get_risk_for_user(request: HttpRequest, pk: int, perm: Perm = Perm.RISK_VIEW) -> RiskAssessment:
    assessment = RiskAssessment.objects.select_related("unit", "completed_by", "previous").filter(pk=pk).first()
    if assessment is None or not has_perm(request.user, perm, assessment.unit):
        raise Http404
    return assessment


def _get_photo_for_user(request: HttpRequest, photo_id: str) -> Photo:
    """A photo is visible to whoever may see its deviation (or its round)."""
    photo = Photo.objects.select_related("deviation__unit", "finding__round__unit").filter(pk=photo_id).first()
    if photo is None:
        raise Http404
    if photo.deviation_id:
        _get_deviation_for_user(request, photo.deviation_id, allow_reporter=True)
    elif not has_perm(request.user, Perm.ROUND_VIEW, photo.finding.round.unit):
        raise Http404
    return photo


def people_for_unit(unit: OrgUnit, *also: User | None) -> list[User]:
    """People to choose as owners/participants: everyone with a role in the unit, its leaders, and `also`."""
    people = {p.user.pk: p.user for p in unit_people(unit)}
    for user in [*unit_leaders(unit), *also]:
        if user is not None and user.is_authenticated:
            people[user.pk] = user
    return list(people.values())
