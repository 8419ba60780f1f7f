"""A deviation reported without a name leaves no trace of its reporter anywhere.

Checked after a real POST through the phone form (with a photo): the deviation row, every
history table of every app, the audit events, every log record at DEBUG level, the emails,
the session and the cookies.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from django.apps import apps
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from core.models import AuditEvent, Role, User
from tests.conftest import Org
from tests.workflows import factories as f
from workflows.models import Deviation, Photo


def _history_rows_by(user: User) -> int:
    total = 0
    for model in apps.get_models():
        if model.__name__.startswith("Historical") and any(fld.name == "history_user" for fld in model._meta.fields):
            total += model.objects.filter(history_user=user).count()
    return total


def _traces(user: User) -> list[str]:
    values = [user.username, user.email, user.get_full_name()]
    return [v for v in values if v]


@pytest.fixture
def reporter(org: Org) -> User:
    user = org.person(Role.EMPLOYEE, "a")
    user.first_name, user.last_name = "Kari", "Hemmelig"
    user.save()
    return user


def test_an_unnamed_report_leaves_no_trace_of_its_reporter(
    org: Org, reporter: User, caplog: pytest.LogCaptureFixture, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    client.force_login(reporter)
    history_before = _history_rows_by(reporter)
    audit_before = set(AuditEvent.objects.values_list("pk", flat=True))
    photo = SimpleUploadedFile("kari_hemmelig_iphone.jpg", f.jpeg_with_exif(), content_type="image/jpeg")
    with caplog.at_level(logging.DEBUG), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("deviation_report"),
            {"unit": org.a.pk, "category": "psychosocial", "what": "Nedsettende kommentarer i lunsjen",
             "location": "Pauserommet", "occurred_at": "2026-02-01T12:00", "involved_party": "own",
             "anonymous": "on", "photos": [photo]},
        )  # fmt: skip
    assert response.status_code == 200, response.context["form"].errors if response.context else response
    code = response.context["code"]

    deviation = Deviation.objects.get()
    assert deviation.anonymous and deviation.reporter is None
    assert code not in deviation.receipt_hash and len(deviation.receipt_hash) == 64

    # History: no row anywhere names the reporter; the deviation's and photo's rows name nobody.
    assert _history_rows_by(reporter) == history_before
    assert list(deviation.history.values_list("history_user_id", flat=True)) == [None]
    assert list(Photo.history.values_list("history_user_id", flat=True)) == [None]
    assert all(h.reporter_id is None for h in deviation.history.all())

    # Audit: the new events have no actor and nothing that points at the person.
    new_events = AuditEvent.objects.exclude(pk__in=audit_before)
    assert new_events.exists()
    for event in new_events:
        assert event.actor_id is None, event.verb
        dumped = json.dumps(event.data, ensure_ascii=False)
        for trace in [*_traces(reporter), str(reporter.pk) + ","]:
            assert trace not in dumped, (event.verb, trace)

    # Logs: no record at any level mentions the person (and the capture did see records).
    assert caplog.records
    for record in caplog.records:
        text = record.getMessage() + " " + " ".join(str(a) for a in (record.args or ()))
        for trace in _traces(reporter):
            assert trace not in text, (record.name, text)

    # Emails: the handlers are told about a new case, nobody is told who reported it.
    assert mail.outbox, "the case handlers should have been told"
    for message in mail.outbox:
        assert reporter.email not in message.to
        for trace in _traces(reporter):
            assert trace not in message.subject + message.body

    # Session and cookies hold neither the receipt code nor the case.
    session_dump = json.dumps(dict(client.session.items()), default=str)
    assert code not in session_dump and f"AVVIK-{deviation.pk}" not in session_dump
    assert all(code not in morsel.value for morsel in client.cookies.values())

    # The photo kept no file name and no EXIF.
    stored = deviation.photos.get()
    assert "kari" not in stored.image.name.lower()


def test_the_case_pages_say_it_was_reported_without_a_name(org: Org, reporter: User) -> None:
    deviation = f.deviation(org, "a", anonymous=True, reporter=reporter)
    client = Client()
    client.force_login(org.person(Role.CASE_HANDLER, "a"))
    page = client.get(reverse("deviation_detail", kwargs={"pk": deviation.pk}))
    assert "uten navn" in page.text and "Hemmelig" not in page.text


def test_the_reporter_of_an_unnamed_report_cannot_open_it_as_its_reporter(org: Org, reporter: User) -> None:
    deviation = f.deviation(org, "a", anonymous=True, reporter=reporter)
    client = Client()
    client.force_login(reporter)
    assert client.get(reverse("deviation_detail", kwargs={"pk": deviation.pk})).status_code == 404
