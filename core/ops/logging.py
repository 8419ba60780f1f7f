"""Structured logs without personal data.

* `JsonFormatter` (LOG_FORMAT=json): one JSON object a line with time, level, logger, message
  and the request fields below; never the request object, headers, cookies or the user.
* `RedactFilter` (on every handler): strips query strings, email addresses and long
  token-like path segments (one-time survey links, calendar feed tokens) from messages.
* `RequestLogMiddleware` (LOG_REQUESTS=1): one line per request with the method, the URL
  *pattern* (``avvik/<int:pk>/``, not the path, so no ids or tokens), the status and the time.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import time
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

REQUEST_FIELDS = ("method", "route", "status", "duration_ms")
_QUERY = re.compile(r"\?\S*")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_TOKEN = re.compile(r"(?<=/)[A-Za-z0-9_\-]{20,}(?=[/.]|$|\s)")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def redact(text: str) -> str:
    text = _QUERY.sub("?[redacted]", text)
    text = _EMAIL.sub("[email]", text)
    text = _UUID.sub("[id]", text)
    return _TOKEN.sub("[redacted]", text)


class RedactFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            return True
        record.msg = redact(message)
        record.args = ()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in REQUEST_FIELDS:
            if hasattr(record, name):
                data[name] = getattr(record, name)
        if record.exc_info:
            data["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(data, ensure_ascii=False)


request_log = logging.getLogger("verne.request")


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        route = match.route if match is not None else "-"
        fields = {
            "method": request.method,
            "route": "/" + route.lstrip("^"),
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - start) * 1000, 1),
        }
        request_log.info("%(method)s %(route)s %(status)s %(duration_ms)sms", fields, extra=fields)
        return response
