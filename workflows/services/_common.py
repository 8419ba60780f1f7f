"""Helpers shared by the workflow services: permission checks, saving with history, audit."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from core.models import OrgUnit, User
from core.permissions import Perm, has_perm
from core.services import _with_history, audit_record

__all__ = [
    "PermissionDenied",
    "ValidationError",
    "audit",
    "require",
    "require_text",
    "save",
]


def require(actor: User | None, perm: Perm, unit: OrgUnit | None) -> None:
    """Refuse unless the person may do `perm` on the unit. `actor=None` is the system itself."""
    if actor is None:
        return
    if not has_perm(actor, perm, unit):
        raise PermissionDenied


def require_text(value: str | None, field: str, message: Any) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: message})
    return text


def save(obj: models.Model, actor: User | None, reason: str, *, clean: bool = True) -> None:
    """full_clean() and save with an explicit history user and change reason."""
    if clean:
        obj.full_clean()
    _with_history(obj, actor, reason[:100])
    obj.save()


def audit(
    *,
    actor: User | None,
    verb: str,
    target: models.Model,
    unit: OrgUnit | None,
    data: dict[str, Any] | None = None,
) -> None:
    audit_record(actor=actor, verb=verb, target=target, unit=unit, data=data)
