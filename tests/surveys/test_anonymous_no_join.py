"""Nothing in Verne joins a person (or a one-time link) to an anonymous answer.

Two kinds of proof:

* **schema** (introspection of every model, including history tables, sessions, the task
  queue if installed, and audit events): the answer tables have UUID keys, a date without
  time, relations only to the campaign and the unit, no history, no admin page; no model
  points at them; participations hold nothing about answers;
* **data** (after answering through every path - the emailed link, the home page, a resumed
  draft, reminders, closing): no other table, no session, no audit event, no log line and no
  error report contains an answer's id, its free text, or a link's code; and after a
  submission every answer of the unit was rewritten (one transaction id, new row ids), so
  neither order nor system columns point at the newest answer.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any
from unittest import mock

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.sessions.models import Session
from django.db import connection, models
from django.test import Client
from django.views.debug import ExceptionReporter

from core.models import AuditEvent, Role, User
from surveys.anon import services as anon_services
from surveys.models import (
    AnonymousAnswer,
    AnonymousComment,
    Campaign,
    Participation,
    QuestionnaireVersion,
)
from tests.conftest import Org
from tests.surveys.anon_support import (
    add_employees,
    answer_by_link,
    answer_logged_in,
    barometer,  # noqa: F401 - fixture
    barometer_answer,
    codes_by_email,
    issue,
)
from tests.surveys.conftest import client_for

ANSWER_MODELS = (AnonymousAnswer, AnonymousComment)
PERSON_WORDS = ("user", "person", "participation", "token", "ip", "agent", "session", "created", "updated",
                "modified", "email", "name")  # fmt: skip


# ============================================================================ schema


@pytest.mark.parametrize("model", ANSWER_MODELS, ids=lambda m: m.__name__)
def test_answer_tables_have_uuid_keys_a_date_and_only_campaign_and_unit(model: type[models.Model]) -> None:
    assert isinstance(model._meta.pk, models.UUIDField)
    relations = {f.name: f.related_model for f in model._meta.get_fields() if f.is_relation}
    assert {name: m._meta.label for name, m in relations.items()} == {"campaign": "surveys.Campaign", "unit": "core.OrgUnit"}
    for f in model._meta.concrete_fields:
        assert not isinstance(f, (models.DateTimeField, models.TimeField)), f"{model.__name__}.{f.name} has a time"
        assert not isinstance(f, (models.AutoField, models.BigAutoField)), "no counting ids"
        assert not any(word in f.name.lower() for word in PERSON_WORDS), f"{model.__name__}.{f.name}"
        assert not isinstance(f, models.GenericIPAddressField)
    if model is AnonymousAnswer:
        submitted = model._meta.get_field("submitted_on")
        assert type(submitted) is models.DateField
    assert not hasattr(model, "history"), "no simple-history on anonymous answers"
    assert model not in admin.site._registry, "no Django-admin page"


def test_no_model_anywhere_points_at_an_anonymous_answer() -> None:
    checked = 0
    for model in apps.get_models(include_auto_created=True):
        for f in model._meta.get_fields():
            if f.is_relation and f.concrete:
                assert f.related_model not in ANSWER_MODELS, f"{model._meta.label}.{f.name} -> {f.related_model}"
        checked += 1
    labels = {m._meta.label_lower for m in apps.get_models(include_auto_created=True)}
    assert "sessions.session" in labels and "core.auditevent" in labels
    assert not any(label.startswith("surveys.historicalanonymous") or label == "surveys.historicalparticipation" for label in labels)
    assert checked > 30


def test_a_participation_says_only_whether_someone_answered() -> None:
    fields = {f.name: f for f in Participation._meta.concrete_fields}
    assert isinstance(Participation._meta.pk, models.UUIDField)
    related = {f.related_model for f in fields.values() if f.is_relation}
    assert related == {Campaign, User, apps.get_model("core", "OrgUnit")}
    times = {name for name, f in fields.items() if isinstance(f, models.DateTimeField)}
    assert times == {"invited_at", "link_sent_at", "reminded_at"}  # no "answered at"
    assert not any("answer" in name and name != "answered" for name in fields)
    assert not hasattr(Participation, "history")
    assert Participation not in admin.site._registry


def test_the_only_neighbours_of_an_answer_are_shared_by_every_answer_of_the_unit() -> None:
    """A join from a person to an answer must go through the campaign or the unit: many answers."""
    graph: dict[str, set[str]] = {}
    for model in apps.get_models(include_auto_created=True):
        for f in model._meta.get_fields():
            if f.is_relation and f.concrete and f.related_model is not None:
                a, b = model._meta.label, f.related_model._meta.label
                graph.setdefault(a, set()).add(b)
                graph.setdefault(b, set()).add(a)
    assert graph["surveys.AnonymousAnswer"] == {"surveys.Campaign", "core.OrgUnit"}
    assert graph["surveys.AnonymousComment"] == {"surveys.Campaign", "core.OrgUnit"}


# ============================================================================ data


def _all_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).decode("utf-8", "replace")
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _scan_database(excluded: set[str]) -> dict[str, list[str]]:
    """Every cell of every table (except `excluded`), as text, per table."""
    out: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in excluded:
                continue
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from introspection
            out[table] = [_all_text(cell) for row in cursor.fetchall() for cell in row]
    return out


@pytest.fixture
def answered(org: Org, barometer: QuestionnaireVersion, django_capture_on_commit_callbacks: Any,  # noqa: F811
             caplog: Any) -> dict[str, Any]:  # fmt: skip
    """Three people answer (link, link after a reminder, home page); the campaign is closed."""
    caplog.set_level(logging.DEBUG)
    staff = add_employees(org.a, 6)
    campaign = issue(org, barometer, [org.a], django_capture_on_commit_callbacks)
    codes = dict(codes_by_email())
    answer_by_link(Client(), codes[staff[0].email], barometer, barometer_answer(b_improve="MARKØR-ALFA skrev dette"))
    # A reminder issues new links to the five who have not answered (the old ones still work).
    with django_capture_on_commit_callbacks(execute=True):
        sent = anon_services.anonymous_campaign_remind(actor=org.person(Role.HMS_ADMIN), campaign=campaign,
                                                       now=dt.datetime.now(dt.UTC) + dt.timedelta(days=1))  # fmt: skip
    assert sent == 6  # five new employees and the fixture's employee_a
    new_codes = codes_by_email()
    all_codes = set(codes.values()) | set(new_codes.values())
    answer_by_link(Client(), new_codes[staff[1].email], barometer, barometer_answer(b_works_well="MARKØR-BETA"))
    home = client_for(staff[2])
    answer_logged_in(home, campaign, barometer_answer(b_improve="MARKØR-GAMMA"))
    from tests.surveys.anon_support import close

    close(org, campaign)
    return {"campaign": campaign, "codes": all_codes, "staff": staff, "markers": ["MARKØR-ALFA", "MARKØR-BETA", "MARKØR-GAMMA"],
            "caplog": caplog}  # fmt: skip


def test_no_table_session_or_audit_event_holds_an_answer_id_free_text_or_code(answered: dict[str, Any]) -> None:
    campaign: Campaign = answered["campaign"]
    answer_ids = [str(a.pk) for a in AnonymousAnswer.objects.filter(campaign=campaign)]
    comment_ids = [str(c.pk) for c in AnonymousComment.objects.filter(campaign=campaign)]
    assert len(answer_ids) == 3 and len(comment_ids) == 3
    needles = [*answer_ids, *(i.replace("-", "") for i in answer_ids), *comment_ids, *(i.replace("-", "") for i in comment_ids),
               *answered["markers"], *answered["codes"], *(c.replace("-", "") for c in answered["codes"])]  # fmt: skip
    tables = _scan_database({AnonymousAnswer._meta.db_table, AnonymousComment._meta.db_table})
    assert Session._meta.db_table in tables and AuditEvent._meta.db_table in tables
    for table, cells in tables.items():
        blob = "\n".join(cells)
        for needle in needles:
            assert needle not in blob, f"{table} contains {needle!r}"
    # Sessions decoded (they are signed and may be compressed).
    for session in Session.objects.all():
        decoded = json.dumps(session.get_decoded(), default=str)
        for needle in needles:
            assert needle not in decoded
        assert "state" not in session.get_decoded()
    # No audit event with an actor is about an answer.
    answer_types = {AnonymousAnswer._meta.label_lower, AnonymousComment._meta.label_lower}
    assert not AuditEvent.objects.filter(target_type__in=answer_types).exists()
    participation_ids = set(Participation.objects.filter(campaign=campaign).values_list("id", flat=True))
    assert not AuditEvent.objects.filter(target_id__in=[str(p) for p in participation_ids]).exists()


def test_no_log_line_holds_a_code_an_answer_or_free_text(answered: dict[str, Any]) -> None:
    caplog = answered["caplog"]
    records = [*caplog.get_records("setup"), *caplog.records]  # the answering happened in the fixture
    assert records, "logging was captured"
    text = "\n".join(f"{r.getMessage()} {r.args!r} {getattr(r, 'request', '')}" for r in records)
    for needle in [*answered["codes"], *answered["markers"]]:
        assert needle not in text


def test_error_reports_hide_the_code_and_the_answers(org: Org, barometer: QuestionnaireVersion,  # noqa: F811
                                                     django_capture_on_commit_callbacks: Any, caplog: Any) -> None:  # fmt: skip
    staff = add_employees(org.a, 1)
    issue(org, barometer, [org.a], django_capture_on_commit_callbacks)
    code = codes_by_email()[staff[0].email]
    client = Client(raise_request_exception=False)
    with mock.patch("surveys.anon.views._check_open", side_effect=RuntimeError("boom")):
        response = client.post("/undersokelse/side/", {"token": code, "state": "x", "page": "b_training",
                                                       "b_training-b_vo_trained": "MARKØR-FEIL"})  # fmt: skip
    assert response.status_code == 500
    record = next(r for r in caplog.records if r.name == "django.request")
    assert code not in record.getMessage()
    report = ExceptionReporter(record.request, *record.exc_info).get_traceback_text()
    assert "boom" in report
    assert code not in report and code.replace("-", "") not in report
    assert "MARKØR-FEIL" not in report


def test_a_submission_rewrites_the_units_answers_so_nothing_points_at_the_newest(
    org: Org, barometer: QuestionnaireVersion, django_capture_on_commit_callbacks: Any  # noqa: F811
) -> None:
    staff = add_employees(org.a, 4)
    campaign = issue(org, barometer, [org.a], django_capture_on_commit_callbacks)
    from tests.surveys.anon_support import submit_direct

    for person in staff[:3]:
        submit_direct(campaign, person, barometer_answer())
    table = AnonymousAnswer._meta.db_table
    # Make the "random" order reversed, so the newest answer would be written first.
    with mock.patch.object(anon_services._rng, "shuffle", lambda rows: rows.reverse()):
        submit_direct(campaign, staff[3], barometer_answer(b_vo_trained="no"))
    newest = AnonymousAnswer.objects.get(answers__b_vo_trained="no").pk
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f'SELECT id FROM "{table}" ORDER BY rowid')  # noqa: S608
        else:
            cursor.execute(f'SELECT id FROM "{table}" ORDER BY ctid')  # noqa: S608
        physical = [r[0] for r in cursor.fetchall()]
        assert len(physical) == 4
        assert str(physical[0]).replace("-", "") == newest.hex, "rows were re-inserted in the shuffled order"
        if connection.vendor == "postgresql":
            cursor.execute(f'SELECT DISTINCT xmin::text FROM "{table}"')  # noqa: S608
            answer_tx = {r[0] for r in cursor.fetchall()}
            cursor.execute(f'SELECT DISTINCT xmin::text FROM "{Participation._meta.db_table}"')  # noqa: S608
            participation_tx = {r[0] for r in cursor.fetchall()}
            assert len(answer_tx) == 1, "every answer of the unit has the same transaction id"
            assert len(participation_tx) == 1, "and so has every participation of the unit"
    # Dates only.
    assert {a.submitted_on for a in AnonymousAnswer.objects.all()} == {dt.date.today()}


def test_participations_keep_their_order_when_someone_answers(
    org: Org, barometer: QuestionnaireVersion, django_capture_on_commit_callbacks: Any  # noqa: F811
) -> None:
    staff = add_employees(org.a, 4)
    campaign = issue(org, barometer, [org.a], django_capture_on_commit_callbacks)
    from tests.surveys.anon_support import submit_direct

    table = Participation._meta.db_table
    order_column = "rowid" if connection.vendor == "sqlite" else "ctid"
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT id FROM "{table}" ORDER BY {order_column}')  # noqa: S608
        before = [r[0] for r in cursor.fetchall()]
        submit_direct(campaign, staff[2], barometer_answer())
        cursor.execute(f'SELECT id FROM "{table}" ORDER BY {order_column}')  # noqa: S608
        after = [r[0] for r in cursor.fetchall()]
    assert before == after, "the person who answered did not move to the end"


def test_answers_store_no_link_between_free_text_and_the_rest(answered: dict[str, Any]) -> None:
    campaign: Campaign = answered["campaign"]
    for a in AnonymousAnswer.objects.filter(campaign=campaign):
        assert not any(str(c.pk) in json.dumps(a.answers) for c in AnonymousComment.objects.all())
        assert not any(key.endswith("-Comment") or key in ("b_improve", "b_works_well") for key in a.answers)
