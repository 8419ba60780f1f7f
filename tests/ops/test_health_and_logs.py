"""The health endpoint and the logs: JSON, no personal data, 503 when something is wrong."""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

import pytest
from django.test import Client

from core.ops import health
from core.ops.logging import JsonFormatter, RedactFilter, redact
from tests.conftest import Org


def test_health_is_public_json_and_ok(org: Org) -> None:
    response = Client().get("/helse/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    data = response.json()
    assert data["status"] == "ok"
    assert set(data["checks"]) == {"database", "cache", "tasks"}
    assert all(check["ok"] for check in data["checks"].values())
    text = response.content.decode()
    for person in org.people.values():
        assert person.username not in text and person.email not in text


def test_a_failing_check_gives_503(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> dict[str, Any]:
        raise ConnectionError("redis://secret-host:6379 refused")

    monkeypatch.setitem(health.CHECKS, "cache", broken)
    response = Client().get("/helse/")
    assert response.status_code == 503
    data = response.json()
    assert data["status"] == "fail" and data["checks"]["cache"] == {"ok": False, "ms": data["checks"]["cache"]["ms"],
                                                                    "error": "ConnectionError"}  # fmt: skip
    assert "secret-host" not in response.content.decode()


def test_the_database_task_queue_reports_waiting_and_stuck_tasks(db: None, settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    assert Client().get("/helse/").json()["checks"]["tasks"]["ok"] is True
    DBTaskResult.objects.create(
        task_path="workflows.tasks.send_notification", args_kwargs={"args": [], "kwargs": {}},
        backend_name="default", queue_name="default", run_after=timezone.now() - dt.timedelta(hours=2),
        status="READY",
    )  # fmt: skip
    response = Client().get("/helse/")
    assert response.status_code == 503 and response.json()["checks"]["tasks"]["waiting_too_long"] == 1


def test_redaction_removes_tokens_queries_and_emails() -> None:
    line = redact("GET /kalender/Yq3vN9xK2mPw8ZrT4bLc7dHs.ics?token=abc&e=kari@example.no from kari.nordmann@uio.no")
    assert "Yq3vN9xK2mPw8ZrT4bLc7dHs" not in line and "abc" not in line and "@" not in line
    assert redact("/besvarelser/4f0c2d8e-1b2a-4c3d-9e8f-0a1b2c3d4e5f/svar/") == "/besvarelser/[id]/svar/"


def test_json_log_lines_carry_the_request_fields_and_nothing_personal(org: Org, settings: Any) -> None:
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    logger = logging.getLogger("verne.request")
    handler = Keep()
    handler.addFilter(RedactFilter())
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    try:
        client = Client()
        client.force_login(org.person("leader", "a"))
        client.get("/enheter/A/?secret=token123&email=leader_a@example.no")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
    assert records
    line = JsonFormatter().format(records[-1])
    data = json.loads(line)
    assert data["logger"] == "verne.request" and data["method"] == "GET" and data["status"] == 200
    assert data["route"] == "/enheter/<str:code>/"
    assert "token123" not in line and "leader_a" not in line and "/enheter/A/" not in line
