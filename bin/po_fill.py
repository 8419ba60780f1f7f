"""Fill English msgstr values in locale/en/LC_MESSAGES/django.po from a JSON mapping.

Usage: python bin/po_fill.py translations.json   (JSON object: Norwegian msgid -> English)
Prints the msgids that are still untranslated. A developer tool; the .po file stays the
source of truth and is committed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parents[1] / "locale/en/LC_MESSAGES/django.po"


def main() -> int:
    mapping: dict[str, str] = json.loads(Path(sys.argv[1]).read_text()) if len(sys.argv) > 1 else {}
    po = polib.pofile(str(PO))
    for entry in po:
        if entry.msgid in mapping:
            if entry.msgid_plural:
                value = mapping[entry.msgid]
                plural = value if isinstance(value, list) else [value, value]
                entry.msgstr_plural = {0: plural[0], 1: plural[1]}
            else:
                entry.msgstr = mapping[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.save()
    missing = [e.msgid for e in po if not e.obsolete and not (e.msgstr or any(e.msgstr_plural.values()))]
    for msgid in missing:
        print(json.dumps(msgid, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
