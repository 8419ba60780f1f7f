"""The benchmark's baseline endpoint: insert one JSON row and answer 200.

Only routed when VERNE_BENCH_BASELINE=1 (bench/barometer.py sets it for its own gunicorn on a
throwaway database); never in production. It writes into a table the benchmark creates
(`bench_baseline_row`), with plain SQL, so the baseline is "Django + one JSON insert".
"""

from __future__ import annotations

import json

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST


@csrf_exempt
@require_POST
def baseline(request: HttpRequest) -> HttpResponse:
    payload = json.dumps(dict(request.POST.items()))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_baseline_row (data) VALUES (%s)", [payload])
    return HttpResponse("ok", content_type="text/plain")
