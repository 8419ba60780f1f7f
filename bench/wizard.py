"""Wizard page POST throughput against a plain Django form view, measured in the same run.

Verne: POST a 10-question page of a joint response through the formtools wizard (the
engine applies and validates the answers like survey-core, the response is saved with
optimistic locking, a history row and an audit event are written).
Baseline: a plain view with a hand-written 10-field Django form: it fetches the row,
validates, and saves the same JSON to it (no history, no audit event, no engine). Both answer a valid POST with a redirect to the
next page (Post/Redirect/Get), so the figures compare the POST itself. Both run in-process
through Django's test client on a fresh SQLite file, alternating answers so every POST
changes something.

Target: Verne's throughput at least 0.5 x the baseline's.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings")
DB = Path(tempfile.mkdtemp()) / "bench-wizard.sqlite3"
os.environ["SQLITE_PATH"] = str(DB)
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

from django import forms  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import include, path  # noqa: E402

N = int(os.environ.get("BENCH_WIZARD_REQUESTS", "200"))
QUESTIONS = 10

PAGE = {
    "verneKey": "bench_wizard",
    "pages": [
        {
            "name": "page1",
            "elements": [
                *(
                    {"type": "text", "inputType": "number", "name": f"n{i}", "title": f"Tall {i}",
                     "isRequired": True, "min": 0, "max": 1000}
                    for i in range(4)
                ),
                *(
                    {"type": "radiogroup", "name": f"r{i}", "title": f"Valg {i}", "isRequired": True,
                     "choices": ["ja", "nei", "delvis"]}
                    for i in range(3)
                ),
                {"type": "boolean", "name": "b0", "title": "Ja/nei", "isRequired": True},
                {"type": "comment", "name": "c0", "title": "Kommentar", "visibleIf": "{b0} = false"},
                {"type": "text", "name": "t0", "title": "Tekst",
                 "validators": [{"type": "text", "minLength": 2}]},
            ],
        },
        {"name": "page2", "elements": [{"type": "text", "name": "last", "title": "Siste"}]},
    ],
}  # fmt: skip


class BaselineForm(forms.Form):
    n0 = forms.IntegerField(min_value=0, max_value=1000)
    n1 = forms.IntegerField(min_value=0, max_value=1000)
    n2 = forms.IntegerField(min_value=0, max_value=1000)
    n3 = forms.IntegerField(min_value=0, max_value=1000)
    r0 = forms.ChoiceField(choices=[("ja", "ja"), ("nei", "nei"), ("delvis", "delvis")])
    r1 = forms.ChoiceField(choices=[("ja", "ja"), ("nei", "nei"), ("delvis", "delvis")])
    r2 = forms.ChoiceField(choices=[("ja", "ja"), ("nei", "nei"), ("delvis", "delvis")])
    b0 = forms.TypedChoiceField(choices=[("true", "ja"), ("false", "nei")], coerce=lambda v: v == "true")
    c0 = forms.CharField(required=False)
    t0 = forms.CharField(min_length=2)


def baseline_view(request: HttpRequest, response_id: str) -> HttpResponse:
    from surveys.models import Response

    # What a plain view does: fetch the object, validate, save the JSON, redirect.
    response = Response.objects.filter(pk=response_id).first()
    if response is None:
        return HttpResponse(status=404)
    form = BaselineForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    response.answers = form.cleaned_data
    response.skip_history_when_saving = True  # plain: no history row, no audit event
    response.save(update_fields=["answers"])
    return HttpResponseRedirect(f"/bench/baseline/{response_id}/?side=page2")


urlpatterns = [path("bench/baseline/<uuid:response_id>/", baseline_view), path("", include("core.urls"))]


def main() -> None:
    settings.ROOT_URLCONF = __name__
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)

    from core import services as core_services
    from core.models import Role
    from surveys import services
    from surveys.models import Response

    root = core_services.unit_create(actor=None, code="B", name="Bench", kind="organisation")
    unit = core_services.unit_create(actor=None, code="B1", name="Bench 1", kind="department", parent=root)
    leader = core_services.person_create(actor=None, username="leader")
    admin = core_services.person_create(actor=None, username="admin")
    core_services.membership_grant(actor=None, user=leader, role=Role.LEADER, unit=unit)
    core_services.membership_grant(actor=None, user=admin, role=Role.HMS_ADMIN, unit=root)
    version = services.questionnaire_import(actor=None, raw=PAGE)
    today = dt.date.today()
    campaign = services.campaign_create(actor=admin, version=version, title="Bench", year=today.year, mode="joint",
                                        opens_on=today, closes_on=today, units=[unit])  # fmt: skip
    services.campaign_open(actor=admin, campaign=campaign)
    response = Response.objects.get(campaign=campaign)
    client = Client()
    client.force_login(leader)
    prefix = f"response_{response.pk.hex}"

    def payload(i: int) -> dict[str, object]:
        v = {f"n{j}": str((i + j) % 900) for j in range(4)}
        v.update({f"r{j}": ["ja", "nei", "delvis"][(i + j) % 3] for j in range(3)})
        v.update({"b0": "true" if i % 2 else "false", "c0": f"kommentar {i}", "t0": f"tekst {i}"})
        return v

    def verne_post(i: int) -> None:
        lock = Response.objects.values_list("lock_version", flat=True).get(pk=response.pk)
        data = {f"{prefix}-current_step": "page1", "lock_version": str(lock)}
        data.update({f"page1-{k}": v for k, v in payload(i).items()})
        r = client.post(f"/besvarelser/{response.pk}/svar/", data)
        assert r.status_code == 302 and r["Location"].endswith("?side=page2"), r.status_code

    def baseline_post(i: int) -> None:
        r = client.post(f"/bench/baseline/{response.pk}/", payload(i))
        assert r.status_code == 302, r.status_code

    def run(fn: object, label: str) -> float:
        for i in range(10):  # warm up (engine cache, connections)
            fn(i)  # type: ignore[operator]
        timings = []
        start = time.perf_counter()
        for i in range(N):
            t0 = time.perf_counter()
            fn(i + 10)  # type: ignore[operator]
            timings.append(time.perf_counter() - t0)
        total = time.perf_counter() - start
        rate = N / total
        print(f"{label:<10} {rate:8.1f} req/s   median {statistics.median(timings) * 1000:6.2f} ms   "
              f"p95 {sorted(timings)[int(N * 0.95) - 1] * 1000:6.2f} ms")  # fmt: skip
        return rate

    print(f"{N} POSTs of a {QUESTIONS}-question page, in-process test client, SQLite file, one process")
    baseline = run(baseline_post, "baseline")
    if os.environ.get("BENCH_QUERIES"):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            verne_post(999)
        for q in ctx.captured_queries:
            print(q["sql"][:160])
        return
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.enable()
        verne = run(verne_post, "verne")
        profile.disable()
        pstats.Stats(profile).sort_stats(os.environ["BENCH_PROFILE"]).print_stats(50)
    else:
        verne = run(verne_post, "verne")
    ratio = verne / baseline
    history = response.history.count()
    print(f"ratio verne/baseline = {ratio:.2f} (target >= 0.5) {'OK' if ratio >= 0.5 else 'BELOW TARGET'}")
    print(f"(Verne wrote {history} history rows and audit events; the baseline writes neither)")


if __name__ == "__main__":
    main()
