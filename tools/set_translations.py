"""Merge Vietnamese translations into the vi catalogue: ``python tools/set_translations.py FILE.json``.

FILE.json maps English msgids to Vietnamese strings. Run ``make i18n`` first so the msgids are in
the catalogue; msgids that are not there are reported. The file lock keeps concurrent runs safe.
"""

import fcntl
import json
import sys

from babel.messages.pofile import read_po, write_po

PO = "translations/vi/LC_MESSAGES/messages.po"


def main(source):
    with open(source, encoding="utf-8") as fh:
        translations = json.load(fh)
    with open("translations/.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with open(PO, "rb") as fh:
            catalog = read_po(fh, locale="vi")
        missing = []
        for msgid, msgstr in translations.items():
            message = catalog.get(msgid)
            if message is None:
                missing.append(msgid)
                continue
            if message.pluralizable:
                # Vietnamese has one plural form; a list gives every form explicitly.
                forms = list(msgstr) if isinstance(msgstr, list) else [msgstr]
                message.string = tuple((forms + forms[-1:] * catalog.num_plurals)[: catalog.num_plurals])
            else:
                message.string = msgstr
            message.flags.discard("fuzzy")
        with open(PO, "wb") as fh:
            write_po(fh, catalog, width=120)
    untranslated = [m.id for m in catalog if m.id and not (any(m.string) if m.pluralizable else m.string)]
    for msgid in missing:
        print(f"not in the catalogue (run make i18n?): {msgid!r}")
    print(f"{len(translations) - len(missing)} set; {len(untranslated)} still untranslated in vi")
    for msgid in untranslated[:50]:
        print(f"  untranslated: {msgid!r}")


if __name__ == "__main__":
    main(sys.argv[1])
