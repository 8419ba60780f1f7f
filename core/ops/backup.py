"""Backup and restore of everything Verne stores: every table (history tables and the audit
trail included) and the uploaded files.

Format: one `.tar.gz` with
* `manifest.json` – format version, time, database vendor, the applied migrations, the row
  count of every model and the number and SHA-256 of the media files;
* `data.verne_json` – Django's serialisation of every model (`dumpdata` with natural foreign
  keys, full-precision timestamps: ops/serializer.py), read in one transaction so that it is a
  consistent snapshot; content types and permissions are left out (migrate creates them and
  natural keys find them), and so are sessions (everyone logs in again after a restore);
* `media/…` – every file under MEDIA_ROOT (deviation and round photos, report templates).

Why serialisation and not pg_dump: the same command works on SQLite and PostgreSQL, the
archive can move between them, and restore checks every count. For very large databases a
PostgreSQL dump is faster; docs/operations.md describes both.

Restore needs the same code version (the applied migrations must match the manifest) and an
empty database (or `--flush`); it loads the data, puts the files back and checks every count.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.test.utils import override_settings
from django.utils import timezone

FORMAT = "verne-backup/1"
EXCLUDED = ["contenttypes", "auth.permission", "sessions.session"]
EXCLUDED_MODELS = {"contenttypes.contenttype", "auth.permission", "sessions.session"}
DATA_NAME = "data.verne_json"


class BackupError(Exception):
    pass


@dataclass
class Result:
    path: Path
    manifest: dict[str, Any]


def backed_up_models() -> list[Any]:
    return [
        m for m in apps.get_models()
        if m._meta.label_lower not in EXCLUDED_MODELS and m._meta.managed and not m._meta.proxy
    ]  # fmt: skip


def row_counts() -> dict[str, int]:
    counts = {m._meta.label_lower: m._default_manager.count() for m in backed_up_models()}
    for model in backed_up_models():  # many-to-many tables Django creates itself
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if through._meta.auto_created:
                counts[through._meta.label_lower] = through._default_manager.count()
    return dict(sorted(counts.items()))


def applied_migrations() -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connection).migration_qs.values_list("app", "name").order_by("app", "name"):
        result.setdefault(app, []).append(name)
    return result


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _snapshot_transaction() -> Any:
    """A transaction that sees one consistent state of the database."""
    outermost = not connection.in_atomic_block
    atomic = transaction.atomic()
    atomic.__enter__()
    if connection.vendor == "postgresql" and outermost:
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
    return atomic


def create_backup(target: Path) -> Result:
    """Write a backup archive to `target` (a file, or a folder for a timestamped name)."""
    if target.is_dir() or str(target).endswith(os.sep):
        target.mkdir(parents=True, exist_ok=True)
        target = target / f"verne-backup-{timezone.now():%Y%m%dT%H%M%S}.tar.gz"
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        data_path = Path(tmp) / DATA_NAME
        atomic = _snapshot_transaction()
        try:
            counts = row_counts()
            migrations = applied_migrations()
            call_command(
                "dumpdata", format="verne_json", natural_foreign=True, exclude=EXCLUDED,
                output=str(data_path), verbosity=0,
            )  # fmt: skip
        finally:
            atomic.__exit__(None, None, None)
        media_root = Path(settings.MEDIA_ROOT)
        media = {str(p.relative_to(media_root)): _sha256(p) for p in _media_files()}
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "database": connection.vendor,
            "migrations": migrations,
            "counts": counts,
            "data_sha256": _sha256(data_path),
            "media": media,
        }
        partial = target.with_name(target.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            blob = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(blob)
            info.mtime = int(dt.datetime.now().timestamp())
            tar.addfile(info, io.BytesIO(blob))
            tar.add(data_path, arcname=DATA_NAME)
            for name in media:
                tar.add(media_root / name, arcname=f"media/{name}")
        partial.replace(target)
    target.chmod(0o600)
    return Result(path=target, manifest=manifest)


def read_manifest(archive: Path) -> dict[str, Any]:
    with tarfile.open(archive, "r:gz") as tar:
        member = tar.extractfile("manifest.json")
        if member is None:
            raise BackupError("the archive has no manifest.json")
        manifest: dict[str, Any] = json.loads(member.read())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    return manifest


def _database_is_empty() -> bool:
    from core.models import AuditEvent, OrgUnit, User

    return not (User.objects.exists() or OrgUnit.objects.exists() or AuditEvent.objects.exists())


def restore_backup(archive: Path, *, flush: bool = False) -> dict[str, Any]:
    """Restore an archive made by `create_backup` into this (empty, migrated) database."""
    manifest = read_manifest(archive)
    if manifest["migrations"] != applied_migrations():
        raise BackupError(
            "the archive was made with other migrations than this database has; run the same "
            "Verne version (and `manage.py migrate`) before restoring"
        )
    if flush:
        call_command("flush", interactive=False, verbosity=0)
    elif not _database_is_empty():
        raise BackupError("the database is not empty; restore into a new database or use --flush")
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(tmp, filter="data")
        data_path = Path(tmp) / DATA_NAME
        if _sha256(data_path) != manifest["data_sha256"]:
            raise BackupError("the data file does not match its checksum")
        # The archive holds the history rows already: simple-history must not add new ones
        # (it records many-to-many changes even for raw loads).
        with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
            call_command("loaddata", str(data_path), verbosity=0)
            counts = row_counts()
            if counts != manifest["counts"]:
                diff = {k: (manifest["counts"].get(k), counts.get(k)) for k in set(counts) | set(manifest["counts"])
                        if manifest["counts"].get(k) != counts.get(k)}  # fmt: skip
                raise BackupError(f"row counts differ after loading (expected, found): {diff}")
        for name, digest in manifest["media"].items():
            source = Path(tmp) / "media" / name
            if _sha256(source) != digest:
                raise BackupError(f"media file {name} does not match its checksum")
            destination = media_root / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)
    return manifest
