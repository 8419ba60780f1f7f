"""Backup and restore lose nothing: every row of every model (history tables and the audit trail
included) and every uploaded file come back exactly, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import tarfile
from io import BytesIO, StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models
from django.test import Client

from core import services as core_services
from core.models import AuditEvent, Role, User
from core.ops.backup import backed_up_models, row_counts
from core.privacy import services as privacy_services
from tests.conftest import Org, build_org
from tests.privacy.test_personal_data import _anonymous_answer_by, _joint_response_signed
from tests.workflows import factories as f
from workflows import services as wf_services


def _natural(field: models.Field, value: Any) -> Any:
    if value is None:
        return None
    if field.related_model is ContentType:
        return ContentType.objects.get_for_id(value).natural_key()
    if field.related_model is Permission:
        return Permission.objects.get(pk=value).natural_key()
    return value


def snapshot() -> dict[str, list[Any]]:
    """Every row of every backed-up table, with content types and permissions by natural key.
    Rows of many-to-many tables Django creates are compared without their own ids (a restore
    recreates the links, with new ids)."""
    result: dict[str, list[Any]] = {}
    for model in backed_up_models():
        fields = model._meta.concrete_fields
        rows = []
        for values in model._default_manager.order_by("pk").values_list(*[fl.attname for fl in fields]):
            rows.append(tuple(_natural(fl, v) for fl, v in zip(fields, values, strict=True)))
        result[model._meta.label_lower] = rows
        for m2m in model._meta.local_many_to_many:
            through = m2m.remote_field.through
            if through._meta.auto_created:
                cols = [fl for fl in through._meta.concrete_fields if not fl.primary_key]
                links = sorted(
                    tuple(str(_natural(fl, v)) for fl, v in zip(cols, row, strict=True))
                    for row in through._default_manager.values_list(*[fl.attname for fl in cols])
                )
                result[through._meta.label_lower] = links
    return result


def _media() -> dict[str, bytes]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _build_everything(org: Org, capture: Any) -> None:
    """A bit of everything: responses and signatures, anonymous answers, follow-up, photos,
    history, audit events, an anonymised person, edited statements."""
    _joint_response_signed(org)
    _anonymous_answer_by(org, org.person(Role.EMPLOYEE, "a"), capture)
    action = f.action(org, "a", status="done")
    f.deviation(org, "b", anonymous=False, reporter=org.person(Role.EMPLOYEE, "b"))
    f.photo(org, "a")
    f.learning_report(org, "b")
    f.hms_round(org, "a")
    f.risk_assessment(org, "a", rows=2)
    f.cycle_item(org)
    wf_services.calendar_token_create(actor=org.person(Role.LEADER, "a"))
    admin = org.person(Role.HMS_ADMIN)
    privacy_services.info_page_update(actor=admin, key="privacy", body_nb="Vår tekst", body_nn="Vår tekst", body_en="")
    leaver = core_services.person_create(actor=admin, username="sluttet", first_name="Slutt", email="s@example.no")
    core_services.membership_grant(actor=admin, user=leaver, role=Role.EMPLOYEE, unit=org.a, valid_from=dt.date(2021, 1, 1))
    privacy_services.person_anonymise(actor=admin, person=leaver)
    User.objects.filter(pk=admin.pk).update(is_staff=True)
    admin.user_permissions.add(Permission.objects.get(codename="view_auditevent"))
    assert action.history.count() >= 2


@pytest.mark.slow
def test_backup_then_restore_into_an_emptied_database_loses_nothing(
    transactional_db: None, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    org = build_org()
    _build_everything(org, django_capture_on_commit_callbacks)
    before = snapshot()
    media_before = _media()
    assert media_before, "a photo should be on disk"
    assert all(before[label] for label in ("core.auditevent", "core.historicalmembership", "surveys.historicalresponse",
                                           "surveys.anonymousanswer", "workflows.historicalactionitem", "workflows.photo",
                                           "privacy.historicalinfopage", "surveys.responsesignature"))  # fmt: skip
    archive = tmp_path / "backup.tar.gz"
    out = StringIO()
    call_command("backup", "--output", str(archive), stdout=out)
    assert "rows in" in out.getvalue()
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert {"manifest.json", "data.verne_json"} <= set(names) and any(n.startswith("media/") for n in names)

    # Lose everything: a flushed database and an empty media folder.
    call_command("flush", interactive=False, verbosity=0)
    for path in Path(settings.MEDIA_ROOT).rglob("*"):
        if path.is_file():
            path.unlink()
    assert not any(row_counts().values())
    assert not AuditEvent.objects.exists() and not _media()

    call_command("restore", str(archive), stdout=StringIO())
    after = snapshot()
    assert after.keys() == before.keys()
    for label in before:
        assert after[label] == before[label], label
    assert _media() == media_before
    # And Verne works on the restored data.
    client = Client()
    client.force_login(User.objects.get(username="leader_a"))
    assert "Avdeling A" in client.get("/").content.decode()


def test_restore_refuses_a_database_that_is_not_empty_or_another_version(
    org: Org, tmp_path: Path
) -> None:
    archive = tmp_path / "b.tar.gz"
    call_command("backup", "--output", str(archive), stdout=StringIO())
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive), stdout=StringIO())
    # A manifest from other migrations is refused before anything is touched.
    tampered = tmp_path / "other.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(tampered, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == "manifest.json":
                manifest = json.loads(data)
                manifest["migrations"]["core"].append("9999_future")
                data = json.dumps(manifest).encode()
                member.size = len(data)
            dst.addfile(member, BytesIO(data))
    with pytest.raises(CommandError, match="other migrations"):
        call_command("restore", str(tampered), "--flush", stdout=StringIO())
    assert User.objects.filter(username="leader_a").exists()
