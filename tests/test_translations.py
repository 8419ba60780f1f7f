"""Every UI string is translatable and translated to nynorsk and English."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1]
EN_PO = ROOT / "locale/en/LC_MESSAGES/django.po"
NN_PO = ROOT / "locale/nn/LC_MESSAGES/django.po"
CATALOGUES = pytest.mark.parametrize("po_path", [EN_PO, NN_PO], ids=["en", "nn"])


@CATALOGUES
def test_every_message_is_translated_and_not_fuzzy(po_path: Path) -> None:
    po = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated[:20]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:20]}"


@CATALOGUES
def test_placeholders_survive_translation(po_path: Path) -> None:
    import re

    pattern = re.compile(r"%\(\w+\)[sd]|\{\w*\}")
    for entry in polib.pofile(str(po_path)).translated_entries():
        if entry.msgid_plural:
            for form in entry.msgstr_plural.values():
                assert set(pattern.findall(form)) <= set(pattern.findall(entry.msgid_plural)), entry.msgid
            continue
        assert sorted(pattern.findall(entry.msgid)) == sorted(pattern.findall(entry.msgstr)), entry.msgid


def test_the_nynorsk_catalogue_has_the_same_messages_as_the_english_one() -> None:
    en = {e.msgid for e in polib.pofile(str(EN_PO)) if not e.obsolete}
    nn = {e.msgid for e in polib.pofile(str(NN_PO)) if not e.obsolete}
    assert en == nn, f"only in en: {sorted(en - nn)[:10]}; only in nn: {sorted(nn - en)[:10]}"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed")
def test_the_committed_catalogue_has_every_string_in_the_code(tmp_path: Path) -> None:
    """Run makemessages on a copy of the code and compare the msgids with the committed .po."""
    work = tmp_path / "src"
    ignore = shutil.ignore_patterns(".venv", "node_modules", ".git", "staticfiles", "*.sqlite3*", "test-results")
    shutil.copytree(ROOT, work, ignore=ignore, symlinks=True)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "-l", "nn", "--ignore=tests", "--ignore=bench",
         "--ignore=.venv", "--ignore=node_modules", "-v", "0"],
        cwd=work, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    for language, po_path in (("en", EN_PO), ("nn", NN_PO)):
        fresh = {e.msgid for e in polib.pofile(str(work / f"locale/{language}/LC_MESSAGES/django.po")) if not e.obsolete}
        committed = {e.msgid for e in polib.pofile(str(po_path)) if not e.obsolete}
        missing = fresh - committed
        assert not missing, f"run makemessages -l {language} and translate: {sorted(missing)[:20]}"
