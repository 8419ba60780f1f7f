"""Benchmark: 200 people answering the HMS barometer through their one-time links at once.

    .venv/bin/python bench/barometer.py          (or: make bench)

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth). It creates a throwaway
database, migrates it, sets up a minimal organisation with 250 employees and the barometer
issued to all of them (bench/_barometer_setup.py), starts gunicorn with several sync workers
(DEBUG=0, as in production) and then:

1. **Realistic peak.** 200 respondents open their link (GET the landing page, POST the code)
   and answer the six pages one by one with 1-3 s of thinking between pages, then submit; they
   start within 20 s. Reports completed responses per second, p50/p95/p99 per request, and
   errors (must be 0); checks that exactly 200 answers were stored.
2. **Highest sustained rate** (open loop: requests are sent on a schedule, latency counted from
   the scheduled time) with p95 < 250 ms, for Verne's page POST (a valid code, the signed draft
   and one page of answers: engine validation and the next page rendered) and, in the same
   run, for a baseline endpoint that only inserts one JSON row (/bench/baseline/, routed only
   when VERNE_BENCH_BASELINE=1). Prints the ratio.

Goals: 0 errors, p95 < 150 ms at the realistic peak, and at least half the baseline's rate.
The load generator (Python threads, http.client) runs on the same machine and competes with
gunicorn and PostgreSQL for its cores; the output says how many.
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 2) + 1)))
RESPONDENTS = 200
THINK = (1.0, 3.0)
RAMP = 20.0
STEP_SECONDS = 6.0
P95_LIMIT = 0.250

HIDDEN = re.compile(r'name="(csrfmiddlewaretoken|state|page)" value="([^"]*)"')


# ============================================================================ HTTP


@dataclass
class Sample:
    kind: str
    seconds: float
    ok: bool


@dataclass
class Recorder:
    samples: list[Sample] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, ok: bool, error: str = "") -> None:
        with self.lock:
            self.samples.append(Sample(kind, seconds, ok))
            if not ok:
                self.errors.append(f"{kind}: {error}")


class Browser:
    """One respondent: cookies, a new connection per request (gunicorn's sync workers close it)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict[str, Any] | None = None) -> tuple[int, str, dict[str, str]]:
        body = urllib.parse.urlencode(data or {}, doseq=True) if data is not None else None
        headers = {"Host": f"127.0.0.1:{self.port}", "User-Agent": "verne-bench"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, text, dict(response.getheaders())
        finally:
            conn.close()


def hidden_fields(html: str) -> dict[str, str]:
    return {m.group(1): m.group(2) for m in HIDDEN.finditer(html)}


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def ms(x: float) -> str:
    return f"{x * 1000:.0f} ms"


# ============================================================================ setup


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run(cmd: list[str], env: dict[str, str]) -> None:
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def pg_admin(sql: str) -> None:
    subprocess.run(["psql", f"{PG}/postgres", "-q", "-c", sql], check=True, stdout=subprocess.DEVNULL)


def wait_until_up(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            status, _, _ = Browser(port).request("GET", "/undersokelse/")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not start")


# ============================================================================ phase 1


def respondent(port: int, person: dict[str, Any], delay: float, rec: Recorder, done: list[float], rng: random.Random) -> None:
    time.sleep(delay)
    b = Browser(port)

    def timed(kind: str, method: str, path: str, data: dict[str, Any] | None = None, expect: int = 200) -> str | None:
        t = time.perf_counter()
        try:
            status, text, _ = b.request(method, path, data)
        except OSError as exc:
            rec.add(kind, time.perf_counter() - t, False, repr(exc))
            return None
        ok = status == expect
        rec.add(kind, time.perf_counter() - t, ok, f"HTTP {status} on {path}")
        return text if ok else None

    html = timed("landing GET", "GET", "/undersokelse/")
    if html is None:
        return
    form = hidden_fields(html)
    html = timed("open link POST", "POST", "/undersokelse/", {"csrfmiddlewaretoken": form["csrfmiddlewaretoken"],
                                                           "token": person["code"], "drafts": "{}"})  # fmt: skip
    for step in person["pages"]:
        if html is None:
            return
        form = hidden_fields(html)
        if form.get("page") != step["page"]:
            rec.add("page POST", 0.0, False, f"expected page {step['page']}, got {form.get('page')}")
            return
        time.sleep(rng.uniform(*THINK))
        data = {"csrfmiddlewaretoken": form["csrfmiddlewaretoken"], "token": person["code"], "state": form["state"],
                "page": step["page"], "nav": "next", "shown_questions": step["shown"], **step["data"]}  # fmt: skip
        html = timed("page POST", "POST", "/undersokelse/side/", data)
    if html is None:
        return
    form = hidden_fields(html)
    if form.get("page") != "__summary__":
        rec.add("submit POST", 0.0, False, f"expected the summary, got {form.get('page')}")
        return
    time.sleep(rng.uniform(*THINK))
    data = {"csrfmiddlewaretoken": form["csrfmiddlewaretoken"], "token": person["code"], "state": form["state"],
            "page": "__summary__", "nav": "submit"}  # fmt: skip
    if timed("submit POST", "POST", "/undersokelse/side/", data, expect=302) is not None:
        with rec.lock:
            done.append(time.perf_counter())


def realistic_peak(port: int, people: list[dict[str, Any]]) -> tuple[Recorder, float, int]:
    rec = Recorder()
    done: list[float] = []
    rng = random.Random(1)
    start = time.perf_counter()
    threads = [
        threading.Thread(target=respondent, args=(port, p, rng.uniform(0, RAMP), rec, done, random.Random(i)), daemon=True)
        for i, p in enumerate(people)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(600)
    elapsed = (max(done) if done else time.perf_counter()) - start
    return rec, elapsed, len(done)


# ============================================================================ phase 2


@dataclass
class Step:
    rate: float
    sent: int
    ok: int
    p50: float
    p95: float
    p99: float
    achieved: float

    @property
    def passed(self) -> bool:
        return self.ok == self.sent and self.p95 < P95_LIMIT


def open_loop(rate: float, seconds: float, make: Any, threads: int = 96) -> Step:
    """Send `rate` requests per second for `seconds` on a schedule; latency from the schedule."""
    jobs: queue.Queue[float | None] = queue.Queue()
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()

    def worker(i: int) -> None:
        while True:
            due = jobs.get()
            if due is None:
                return
            now = time.perf_counter()
            if due > now:
                time.sleep(due - now)
            try:
                ok = make(i)
            except OSError:
                ok = False
            with lock:
                latencies.append(time.perf_counter() - due)
                if not ok:
                    failures[0] += 1

    pool = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(threads)]
    for t in pool:
        t.start()
    n = int(rate * seconds)
    t0 = time.perf_counter() + 0.2
    for k in range(n):
        jobs.put(t0 + k / rate)
    for _ in pool:
        jobs.put(None)
    for t in pool:
        t.join(seconds + 120)
    elapsed = max(time.perf_counter() - t0, 1e-9)
    return Step(rate=rate, sent=n, ok=n - failures[0], p50=percentile(latencies, 50), p95=percentile(latencies, 95),
                p99=percentile(latencies, 99), achieved=n / elapsed)  # fmt: skip


def sustained(name: str, make: Any) -> tuple[Step | None, list[Step]]:
    """Raise the rate until p95 >= 250 ms (or an error), then narrow down between the last two."""
    steps: list[Step] = []
    best: Step | None = None
    rate = 10.0
    failed_at = None
    while rate <= 2000:
        step = open_loop(rate, STEP_SECONDS, make)
        steps.append(step)
        print(f"    {name:<22} {rate:7.1f}/s  p50 {ms(step.p50):>7}  p95 {ms(step.p95):>7}  "
              f"errors {step.sent - step.ok}  {'ok' if step.passed else 'over'}", flush=True)  # fmt: skip
        if not step.passed:
            failed_at = rate
            break
        best = step
        rate *= 1.5
        time.sleep(1.0)
    if best is not None and failed_at is not None:
        lo, hi = best.rate, failed_at
        for _ in range(3):
            mid = (lo + hi) / 2
            time.sleep(1.0)
            step = open_loop(mid, STEP_SECONDS, make)
            steps.append(step)
            print(f"    {name:<22} {mid:7.1f}/s  p50 {ms(step.p50):>7}  p95 {ms(step.p95):>7}  "
                  f"errors {step.sent - step.ok}  {'ok' if step.passed else 'over'}", flush=True)  # fmt: skip
            if step.passed:
                best, lo = step, mid
            else:
                hi = mid
    return best, steps


def prepare_page_clients(port: int, extra: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Open the links of the extra people (never submitted): cookies, CSRF token, first page."""
    clients = []
    for person in extra:
        b = Browser(port)
        _, html, _ = b.request("GET", "/undersokelse/")
        csrf = hidden_fields(html)["csrfmiddlewaretoken"]
        _, html, _ = b.request("POST", "/undersokelse/", {"csrfmiddlewaretoken": csrf, "token": person["code"], "drafts": "{}"})
        form = hidden_fields(html)
        step = person["pages"][0]
        data = {"csrfmiddlewaretoken": form["csrfmiddlewaretoken"], "token": person["code"], "state": form["state"],
                "page": step["page"], "nav": "next", "shown_questions": step["shown"], **step["data"]}  # fmt: skip
        clients.append({"browser": b, "data": data, "next": person["pages"][1]["page"]})
    return clients


# ============================================================================ main


def main() -> int:
    cores = os.cpu_count() or 1
    db = f"verne_bench_{os.getpid()}"
    data_file = Path(tempfile.mkstemp(prefix="verne-bench-", suffix=".json")[1])
    env = {
        **os.environ, "DATABASE_URL": f"{PG}/{db}", "DEBUG": "0", "SECRET_KEY": "bench-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost", "SECURE_SSL_REDIRECT": "0", "VERNE_BENCH_BASELINE": "1",
        "LOG_LEVEL": "WARNING", "TASKS_BACKEND": "immediate", "PYTHONPATH": str(ROOT),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend", "CONN_MAX_AGE": "600",
    }  # fmt: skip
    try:
        pg_admin(f'CREATE DATABASE "{db}"')
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"PostgreSQL is not reachable at {PG} ({exc}); the benchmark needs it.")
        return 1
    server: subprocess.Popen[bytes] | None = None
    try:
        print(f"Setting up database {db} …", flush=True)
        run([PY, "manage.py", "migrate", "-v", "0"], env)
        run([PY, "manage.py", "collectstatic", "--noinput", "-v", "0"], env)
        run([PY, str(ROOT / "bench" / "_barometer_setup.py"), str(data_file)], env)
        setup = json.loads(data_file.read_text(encoding="utf-8"))
        people = setup["people"]
        port = free_port()
        # The server's own logging (one line per request, as in production) goes to a file.
        server_log = open(data_file.with_suffix(".log"), "w")  # closed when the process ends
        server = subprocess.Popen(
            [PY, "-m", "gunicorn", "core.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS),
             "--worker-class", "sync", "--log-level", "warning", "--timeout", "120"],
            cwd=ROOT, env=env, stdout=server_log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_until_up(port)
        print(f"gunicorn: {WORKERS} sync workers on 127.0.0.1:{port} (DEBUG=0, request log on, to a file); PostgreSQL {db}.")
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"Load average before the run: {load:.2f} on {cores} cores (other work on the machine skews the figures).")
        print(f"NOTE: the load generator runs on the same {cores} cores as gunicorn and PostgreSQL.\n")

        print(f"Phase 1 - realistic peak: {RESPONDENTS} respondents start within {RAMP:.0f} s, "
              f"{THINK[0]:.0f}-{THINK[1]:.0f} s thinking between pages", flush=True)  # fmt: skip
        rec, elapsed, completed = realistic_peak(port, people[:RESPONDENTS])
        times = [s.seconds for s in rec.samples]
        by_kind: dict[str, list[float]] = defaultdict(list)
        for s in rec.samples:
            by_kind[s.kind].append(s.seconds)
        stored = subprocess.run(
            ["psql", f"{PG}/{db}", "-tA", "-c",
             "SELECT (SELECT count(*) FROM surveys_anonymousanswer) || ' ' || "
             "(SELECT count(*) FROM surveys_participation WHERE answered)"],
            capture_output=True, text=True, check=True,
        ).stdout.split()  # fmt: skip
        print(f"  completed responses: {completed}/{RESPONDENTS} in {elapsed:.1f} s = {completed / elapsed:.2f} responses/s")
        print(f"  requests: {len(times)}, errors: {len(rec.errors)}"
              + (f" (first: {rec.errors[0]})" if rec.errors else ""))  # fmt: skip
        print(f"  all requests: p50 {ms(percentile(times, 50))}, p95 {ms(percentile(times, 95))}, p99 {ms(percentile(times, 99))}")
        for kind in ("landing GET", "open link POST", "page POST", "submit POST"):
            v = by_kind.get(kind, [])
            print(f"    {kind:<15} n={len(v):4d}  p50 {ms(percentile(v, 50)):>7}  p95 {ms(percentile(v, 95)):>7}  "
                  f"p99 {ms(percentile(v, 99)):>7}")  # fmt: skip
        print(f"  stored: {stored[0]} anonymous answers, {stored[1]} participations marked answered")
        peak_ok = not rec.errors and completed == RESPONDENTS and percentile(times, 95) < 0.150 and stored == [str(RESPONDENTS)] * 2
        print(f"  goal (0 errors, p95 < 150 ms): {'MET' if peak_ok else 'NOT MET'}\n", flush=True)

        print(f"Phase 2 - highest sustained rate with p95 < {P95_LIMIT * 1000:.0f} ms (open loop, {STEP_SECONDS:.0f} s per step)",
              flush=True)  # fmt: skip
        clients = prepare_page_clients(port, people[RESPONDENTS:])
        baseline_payload = dict(clients[0]["data"])

        def verne_page(i: int) -> bool:
            c = clients[i % len(clients)]
            status, html, _ = c["browser"].request("POST", "/undersokelse/side/", c["data"])
            return status == 200 and f'name="page" value="{c["next"]}"' in html

        def baseline(i: int) -> bool:
            status, text, _ = Browser(port).request("POST", "/bench/baseline/", baseline_payload)
            return status == 200 and text == "ok"

        verne_best, _ = sustained("Verne page POST", verne_page)
        base_best, _ = sustained("baseline JSON insert", baseline)
        v = verne_best.rate if verne_best else 0.0
        b = base_best.rate if base_best else 0.0
        print(f"\n  Verne page POST:      {v:6.1f} requests/s sustained"
              + (f" (p95 {ms(verne_best.p95)})" if verne_best else ""))  # fmt: skip
        print(f"  baseline JSON insert: {b:6.1f} requests/s sustained" + (f" (p95 {ms(base_best.p95)})" if base_best else ""))
        ratio = v / b if b else float("nan")
        print(f"  ratio Verne/baseline: {ratio:.2f} (goal >= 0.50: {'MET' if ratio >= 0.5 else 'NOT MET'})")
        print(f"\nAll figures with the load generator on the same {cores} cores as the server and the database.")
        return 0 if not rec.errors else 1
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
        data_file.unlink(missing_ok=True)
        data_file.with_suffix(".log").unlink(missing_ok=True)
        try:
            pg_admin(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        except (OSError, subprocess.CalledProcessError):
            print(f"could not drop {db}")


if __name__ == "__main__":
    raise SystemExit(main())
