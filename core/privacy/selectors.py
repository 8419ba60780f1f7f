"""What Verne holds about a person (GDPR art. 15 access), read across the apps.

`person_data` is the whole export, as plain JSON-able data. It never contains anonymous
survey answers or free text (they are not linked to anyone, and are not theirs to find):
for anonymous campaigns it says only that the person was invited and whether they answered,
which is exactly what Verne itself knows. Deviations reported without a name are not linked
to the reporter and so cannot appear.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import Q
from django.utils import timezone

from core.models import AuditEvent, Membership, User
from surveys.models import Participation, Response, ResponseSignature
from workflows.models import (
    ActionItem,
    CalendarFeedToken,
    Deviation,
    HmsRound,
    RiskRow,
    RoundFinding,
)

FORMAT = "verne-personal-data/1"


def _v(value: Any) -> Any:
    """JSON-able copy: dates as ISO strings, decimals as strings."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _v(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_v(v) for v in value]
    return value


def _unit(unit: Any) -> dict[str, str] | None:
    return {"code": unit.code, "name": unit.name} if unit is not None else None


def _profile(person: User) -> dict[str, Any]:
    return {
        "username": person.username,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "language": person.language,
        "external_id": person.external_id,
        "is_active": person.is_active,
        "date_joined": _v(person.date_joined),
        "last_login": _v(person.last_login),
        "has_password": person.has_usable_password(),
    }


def _memberships(person: User) -> list[dict[str, Any]]:
    rows = Membership.objects.filter(user=person).select_related("unit", "safety_area").order_by("valid_from", "pk")
    return [
        {
            "role": m.role,
            "role_label": str(m.get_role_display()),
            "unit": _unit(m.unit),
            "safety_area": _unit(m.safety_area),
            "valid_from": _v(m.valid_from),
            "valid_to": _v(m.valid_to),
        }
        for m in rows
    ]


def _response_head(r: Response) -> dict[str, Any]:
    return {
        "id": str(r.pk),
        "questionnaire": r.version.questionnaire.title,
        "campaign": r.campaign.title if r.campaign else None,
        "year": r.campaign.year if r.campaign else None,
        "purpose": r.purpose,
        "unit": {"code": r.unit_code or r.unit.code, "name": r.unit_name or r.unit.name},
        "status": r.status,
    }


def _responses(person: User) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(the person's own named responses, the answers they saved in joint responses)."""
    own = []
    for r in (
        Response.objects.filter(person=person)
        .select_related("version__questionnaire", "campaign", "unit")
        .order_by("created_at")
    ):
        own.append({**_response_head(r), "submitted_at": _v(r.submitted_at), "answers": _v(r.answers)})
    given = []
    joint = (
        Response.objects.filter(person__isnull=True)
        .exclude(answer_meta={})
        .select_related("version__questionnaire", "campaign", "unit")
        .order_by("created_at")
    )
    for r in joint.iterator(chunk_size=200):
        mine = {q: meta for q, meta in (r.answer_meta or {}).items() if isinstance(meta, dict) and meta.get("by") == person.pk}
        if mine:
            given.append({
                **_response_head(r),
                "answers": {q: {"value": _v(r.answers.get(q)), "saved_at": meta.get("at")} for q, meta in sorted(mine.items())},
            })  # fmt: skip
    return own, given


def _signatures(person: User) -> list[dict[str, Any]]:
    rows = ResponseSignature.objects.filter(signer=person).select_related(
        "response__version__questionnaire", "response__campaign", "response__unit"
    )
    return [
        {
            "response": _response_head(s.response),
            "capacity": s.capacity,
            "role": s.role,
            "signed_at": _v(s.signed_at),
            "voided_at": _v(s.voided_at),
            "void_reason": s.void_reason,
        }
        for s in rows.order_by("signed_at")
    ]


def _actions(person: User) -> list[dict[str, Any]]:
    relation = Q(owner=person) | Q(created_by=person) | Q(completed_by=person) | Q(verified_by=person)
    rows = ActionItem.objects.filter(relation).select_related("unit").order_by("created_at")
    result = []
    for a in rows:
        how = [name for name, field in (("owner", "owner_id"), ("created_by", "created_by_id"),
               ("completed_by", "completed_by_id"), ("verified_by", "verified_by_id")) if getattr(a, field) == person.pk]  # fmt: skip
        result.append({
            "id": a.pk, "your_part": how, "unit": _unit(a.unit), "year": a.year, "title": a.title,
            "description": a.description, "status": a.status, "due_date": _v(a.due_date),
            "completion_note": a.completion_note, "completed_at": _v(a.completed_at),
            "verified_at": _v(a.verified_at), "created_at": _v(a.created_at),
        })  # fmt: skip
    return result


def _deviations(person: User) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    reported = [
        {
            "reference": d.reference, "unit": _unit(d.unit), "category": d.category, "what": d.what,
            "location": d.location, "occurred_at": _v(d.occurred_at), "reported_at": _v(d.reported_at),
            "immediate_measures": d.immediate_measures, "status": d.status,
            "feedback_to_reporter": d.feedback_to_reporter,
        }  # fmt: skip
        for d in Deviation.objects.filter(reporter=person, anonymous=False).select_related("unit").order_by("reported_at")
    ]
    handled = [
        {"reference": d.reference, "unit": _unit(d.unit), "status": d.status, "deadline": _v(d.deadline)}
        for d in Deviation.objects.filter(case_handler=person).select_related("unit").order_by("reported_at")
    ]
    return reported, handled


def _rounds(person: User) -> list[dict[str, Any]]:
    rows = HmsRound.objects.filter(Q(participants=person) | Q(created_by=person) | Q(summarised_by=person))
    return [
        {"id": r.pk, "title": r.title, "unit": _unit(r.unit), "planned_date": _v(r.planned_date),
         "conducted_on": _v(r.conducted_on), "participant": r.participants.filter(pk=person.pk).exists()}
        for r in rows.distinct().select_related("unit").order_by("planned_date")
    ]  # fmt: skip


def _other_records(person: User) -> dict[str, Any]:
    return {
        "risk_rows_owned": [
            {"assessment": r.assessment_id, "activity": r.activity, "hazard": r.hazard, "due_date": _v(r.due_date)}
            for r in RiskRow.objects.filter(owner=person).order_by("assessment_id", "position")
        ],
        "round_findings_written": RoundFinding.objects.filter(created_by=person).count(),
        "calendar_feed": [
            {"created_at": _v(t.created_at), "last_used_at": _v(t.last_used_at)}
            for t in CalendarFeedToken.objects.filter(user=person)
        ],
    }


def _anonymous_invitations(person: User) -> list[dict[str, Any]]:
    rows = Participation.objects.filter(person=person).select_related("campaign").order_by("invited_at")
    return [
        {"campaign": p.campaign.title, "year": p.campaign.year, "invited_at": _v(p.invited_at).split("T")[0],
         "answered": p.answered}
        for p in rows
    ]  # fmt: skip


def _audit(person: User) -> list[dict[str, Any]]:
    rows = AuditEvent.objects.filter(actor=person).select_related("unit").order_by("at")
    return [
        {"at": _v(e.at), "verb": e.verb, "target_type": e.target_type, "target_id": e.target_id,
         "unit": _unit(e.unit), "data": _v(e.data)}
        for e in rows.iterator(chunk_size=500)
    ]  # fmt: skip


def history_models() -> list[Any]:
    """Every django-simple-history model in the project."""
    return [m for m in apps.get_models() if m.__name__.startswith("Historical") and hasattr(m, "history_user_id")]


def _history(person: User) -> list[dict[str, Any]]:
    result = []
    for model in history_models():
        original = model.instance_type._meta  # type: ignore[attr-defined]
        pk_name = original.pk.attname
        for row in model.objects.filter(history_user_id=person.pk).values("history_date", "history_type", pk_name):
            result.append({
                "record": original.label_lower,
                "record_id": str(row[pk_name]), "change": {"+": "created", "~": "changed", "-": "deleted"}[row["history_type"]],
                "at": _v(row["history_date"]),
            })  # fmt: skip
    result.sort(key=lambda r: r["at"])
    return result


def person_data(person: User) -> dict[str, Any]:
    """Everything Verne holds about the person, for them to see and download."""
    own, given = _responses(person)
    reported, handled = _deviations(person)
    return {
        "format": FORMAT,
        "generated_at": _v(timezone.now()),
        "profile": _profile(person),
        "memberships": _memberships(person),
        "responses": own,
        "answers_in_joint_responses": given,
        "signatures": _signatures(person),
        "actions": _actions(person),
        "deviations_reported_by_name": reported,
        "deviations_as_case_handler": handled,
        "hms_rounds": _rounds(person),
        "other_records": _other_records(person),
        "anonymous_survey_invitations": _anonymous_invitations(person),
        "audit_events": _audit(person),
        "change_history": _history(person),
    }


def person_summary(data: dict[str, Any]) -> list[tuple[str, int]]:
    """(section key, number of entries) for the overview page."""
    keys = ["memberships", "responses", "answers_in_joint_responses", "signatures", "actions",
            "deviations_reported_by_name", "deviations_as_case_handler", "hms_rounds",
            "anonymous_survey_invitations", "audit_events", "change_history"]  # fmt: skip
    return [(k, len(data[k])) for k in keys]


def people_for_admin(query: str = "") -> Any:
    """People for the HMS admin's privacy page, with a search on name, username and email."""
    qs = User.objects.order_by("last_name", "first_name", "username")
    if query:
        qs = qs.filter(
            Q(username__icontains=query) | Q(first_name__icontains=query) | Q(last_name__icontains=query)
            | Q(email__icontains=query)
        )  # fmt: skip
    return qs


def protected_records(person: User) -> dict[str, int]:
    """Records that keep a person's row (they are the organisation's documentation)."""
    return {
        "responses": Response.objects.filter(person=person).count(),
        "signatures": ResponseSignature.objects.filter(signer=person).count(),
        "actions": ActionItem.objects.filter(owner=person).count(),
        "deviations": Deviation.objects.filter(reporter=person).count(),
        "participations": Participation.objects.filter(person=person).count(),
    }
