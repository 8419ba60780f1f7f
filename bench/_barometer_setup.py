"""Set up bench/barometer.py's throwaway database (run by it with DATABASE_URL set).

A minimal organisation (ten departments), 250 employees, the HMS barometer issued to all of
them as an anonymous campaign, and a one-time code per person: Verne stores only the hashes;
the codes and each respondent's page-by-page form data go to the JSON file given as argv[1].
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import sys
from pathlib import Path

import django

# Run as a script, this folder comes first on sys.path, and bench/reports.py would shadow
# the reports app: put the project root first instead.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [str(_HERE.parent)] + [p for p in sys.path if Path(p or ".").resolve() != _HERE]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings")
django.setup()

from django.db import connection, transaction  # noqa: E402

from core import services as core_services  # noqa: E402
from core.models import Role  # noqa: E402
from surveys import engine_api, services  # noqa: E402
from surveys.anon import services as anon_services  # noqa: E402
from surveys.anon import tokens  # noqa: E402
from surveys.demo import barometer_answers  # noqa: E402
from surveys.models import Participation  # noqa: E402
from surveys.wizard_forms import build_page_form  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RESPONDENTS = 200
EXTRA = 50  # people whose links are used only for the sustained-rate phase (never submitted)


def page_payloads(version, answers):  # type: ignore[no-untyped-def]
    """[(page, form data)] as a browser posts them, pages in the order the engine shows them."""
    session = engine_api.Session(version, {}, locale="nb")
    out = []
    seen = set()
    while True:
        pages = [p for p in session.visible_pages() if p not in seen]
        if not pages:
            break
        page = pages[0]
        seen.add(page)
        names = {q.name for q in session.page(page).questions()}
        values = {k: v for k, v in answers.items() if k in names}
        for k, v in values.items():
            session.run.answer(k, v)
        session._page_cache = {}
        form_class = build_page_form(session.page(page))
        data: dict[str, object] = {}
        for field, slot in form_class.slots.items():
            value = values.get(slot.question)
            if value is None:
                continue
            if slot.part == "row" and isinstance(value, dict):
                q = next(q for q in form_class.page.questions() if q.name == slot.question)
                row = q.rows[slot.row].value
                if row in value:
                    data[f"{page}-{field}"] = str(value[row])
            elif slot.part == "value":
                if isinstance(value, bool):
                    data[f"{page}-{field}"] = "true" if value else "false"
                elif isinstance(value, list):
                    data[f"{page}-{field}"] = [str(v) for v in value]
                else:
                    data[f"{page}-{field}"] = str(value)
        shown = [q.name for q in session.page(page).questions(visible_only=True) if q.has_input]
        out.append({"page": page, "data": data, "shown": shown})
    return out


def main() -> None:
    target = Path(sys.argv[1])
    rng = random.Random(4)
    with transaction.atomic():
        root = core_services.unit_create(actor=None, code="BENCH", name="Benchmark AS", kind="organisation")
        units = [core_services.unit_create(actor=None, code=f"B{i}", name=f"Avdeling {i}", kind="department", parent=root)
                 for i in range(10)]  # fmt: skip
        admin = core_services.person_create(actor=None, username="bench.admin", first_name="Bench", last_name="Admin")
        core_services.membership_grant(actor=None, user=admin, role=Role.HMS_ADMIN, unit=root, valid_from=dt.date(2020, 1, 1))
        for i in range(RESPONDENTS + EXTRA):
            person = core_services.person_create(actor=None, username=f"p{i}", first_name="P", last_name=str(i),
                                                 email=f"p{i}@bench.example")  # fmt: skip
            core_services.membership_grant(actor=None, user=person, role=Role.EMPLOYEE, unit=units[i % 10],
                                           valid_from=dt.date(2020, 1, 1))  # fmt: skip
        raw = (ROOT / "surveys/questionnaires/hms_barometer.json").read_text(encoding="utf-8")
        version = services.questionnaire_import(actor=None, raw=raw)
        today = dt.date.today()
        campaign = services.campaign_create(actor=admin, version=version, title="HMS-barometer", year=today.year,
                                            mode="anonymous", opens_on=today, closes_on=today + dt.timedelta(days=21),
                                            units=units)  # fmt: skip
        campaign = services.campaign_open(actor=admin, campaign=campaign)
        anon_services.anonymous_campaign_invite(actor=admin, campaign=campaign, send_links=False)
        people = []
        for p in Participation.objects.filter(campaign=campaign).select_related("person").order_by("person__username"):
            code = tokens.new_token()
            Participation.objects.filter(pk=p.pk).update(token_hash=tokens.token_hash(code))
            people.append({"username": p.person.username, "code": code})
        for person in people:
            person["pages"] = page_payloads(version, barometer_answers(rng, rng.uniform(0.05, 0.4)))
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE IF NOT EXISTS bench_baseline_row (id bigserial PRIMARY KEY, data jsonb NOT NULL)")
    target.write_text(json.dumps({"campaign": str(campaign.pk), "people": people}), encoding="utf-8")
    print(f"set up: {len(people)} invited, campaign {campaign.pk}")


if __name__ == "__main__":
    main()
