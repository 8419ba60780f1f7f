"""Fill msgstr values in locale/<lang>/LC_MESSAGES/django.po from a JSON mapping.

Usage: python bin/po_fill.py [--lang nn] translations.json ...
(JSON object: Norwegian bokmål msgid -> translation; a list of two for plural forms; the
language is English unless --lang says otherwise). Prints the msgids that are still
untranslated. A developer tool; the .po file stays the source of truth and is committed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[1] / "locale"
PO = LOCALE / "en/LC_MESSAGES/django.po"


def main() -> int:
    args = sys.argv[1:]
    language = "en"
    if args[:1] == ["--lang"]:
        language, args = args[1], args[2:]
    mapping: dict[str, str] = {}
    for name in args:
        mapping.update(json.loads(Path(name).read_text()))
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES/django.po"))
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
