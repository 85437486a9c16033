"""Fill the English catalogue: the source strings are English, so msgstr = msgid where empty."""

import sys

from babel.messages.pofile import read_po, write_po


def main(path):
    with open(path, "rb") as fh:
        catalog = read_po(fh, locale="en")
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            if not any(message.string):
                message.string = (message.id[0], message.id[1])
        elif not message.string:
            message.string = message.id
        message.flags.discard("fuzzy")
    with open(path, "wb") as fh:
        write_po(fh, catalog, width=120, omit_header=False)


if __name__ == "__main__":
    main(sys.argv[1])
