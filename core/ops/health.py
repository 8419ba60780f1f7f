"""`/helse/`: is this Verne process able to work? JSON for load balancers and monitoring.

Checks the database, the cache and the task queue (with django-tasks-db: tasks that wait too
long, meaning no worker is running, and tasks stuck in RUNNING). 200 when every check passes,
503 otherwise. Counts and timings only: no personal data, no task arguments, no hostnames.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _timed(fn: Any) -> dict[str, Any]:
    start = time.perf_counter()
    try:
        result = fn() or {}
        ok = result.pop("ok", True)
    except Exception as exc:
        result, ok = {"error": type(exc).__name__}, False
    return {"ok": ok, "ms": round((time.perf_counter() - start) * 1000, 1), **result}


def check_database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


def check_cache() -> dict[str, Any]:
    key = f"verne-health-{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    ok = cache.get(key) == "1"
    cache.delete(key)
    return {"ok": ok}


def check_tasks() -> dict[str, Any]:
    backend = settings.TASKS["default"]["BACKEND"]
    if not apps.is_installed("django_tasks_db") or "django_tasks_db" not in backend:
        return {"backend": backend.rsplit(".", 1)[-1]}
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    waiting = DBTaskResult.objects.ready().filter(
        run_after__lt=now - dt.timedelta(minutes=settings.VERNE_HEALTH_TASK_WAIT_MINUTES)
    ).count()
    stuck = DBTaskResult.objects.running().filter(
        started_at__lt=now - dt.timedelta(minutes=settings.VERNE_HEALTH_TASK_STUCK_MINUTES)
    ).count()
    failed_last_day = DBTaskResult.objects.failed().filter(finished_at__gte=now - dt.timedelta(days=1)).count()
    return {
        "ok": waiting == 0 and stuck == 0,
        "backend": "DatabaseBackend",
        "waiting_too_long": waiting,
        "stuck": stuck,
        "failed_last_24h": failed_last_day,
    }


CHECKS = {"database": check_database, "cache": check_cache, "tasks": check_tasks}


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    results = {name: _timed(fn) for name, fn in CHECKS.items()}
    ok = all(r["ok"] for r in results.values())
    return JsonResponse({"status": "ok" if ok else "fail", "checks": results}, status=200 if ok else 503)
