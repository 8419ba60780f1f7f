"""Background tasks (django.tasks): notification emails. Enqueued by services on commit."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.mail import EmailMessage
from django.tasks import task

from core.models import User

from .notifications import build_email


@task
def send_notification(kind: str, recipient_id: int, target_label: str, target_id: str,
                      extra: dict[str, Any] | None = None) -> bool:  # fmt: skip
    """Send one notification email. Returns False when there is nothing to send any more."""
    recipient = User.objects.filter(pk=recipient_id, is_active=True).first()
    model = apps.get_model(target_label)
    target = model.objects.filter(pk=target_id).first()
    if recipient is None or not recipient.email or target is None:
        return False
    email = build_email(kind, recipient, target, extra)
    EmailMessage(subject=email.subject, body=email.body, to=[email.to]).send()
    return True
