"""Every UI string is translatable and translated to English."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1]
EN_PO = ROOT / "locale/en/LC_MESSAGES/django.po"


def test_every_english_message_is_translated_and_not_fuzzy() -> None:
    po = polib.pofile(str(EN_PO))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated[:20]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:20]}"


def test_placeholders_survive_translation() -> None:
    import re

    pattern = re.compile(r"%\(\w+\)[sd]|\{\w*\}")
    for entry in polib.pofile(str(EN_PO)).translated_entries():
        if entry.msgid_plural:
            continue
        assert sorted(pattern.findall(entry.msgid)) == sorted(pattern.findall(entry.msgstr)), entry.msgid


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed")
def test_the_committed_catalogue_has_every_string_in_the_code(tmp_path: Path) -> None:
    """Run makemessages on a copy of the code and compare the msgids with the committed .po."""
    work = tmp_path / "src"
    ignore = shutil.ignore_patterns(".venv", "node_modules", ".git", "staticfiles", "*.sqlite3*", "test-results")
    shutil.copytree(ROOT, work, ignore=ignore, symlinks=True)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--ignore=tests", "--ignore=bench",
         "--ignore=.venv", "--ignore=node_modules", "-v", "0"],
        cwd=work, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    fresh = {e.msgid for e in polib.pofile(str(work / "locale/en/LC_MESSAGES/django.po")) if not e.obsolete}
    committed = {e.msgid for e in polib.pofile(str(EN_PO)) if not e.obsolete}
    missing = fresh - committed
    assert not missing, f"run makemessages and translate: {sorted(missing)[:20]}"
