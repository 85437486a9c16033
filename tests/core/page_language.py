"""Words of the interface in the wrong language on a page (issue 16, "Language").

The catalogues say which strings are the interface's: on a page in Vietnamese (``<html lang="vi">``), a text
that is the English msgid of a string translated otherwise is untranslated; so is a label Flask-Admin made from
a column's name (``created_at`` → "Created At") and a declared choice shown by its stored value ("district"
for "Cấp huyện"). On a page in English, a text that is the Vietnamese translation of a string is one that was
written in Vietnamese instead of going through the catalogue; text in table cells, list items and paragraphs
(where content without an English version is shown as it is) is not judged on an English page, and a part
marked with its own ``lang`` is not judged at all.
"""

import functools
import re
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
# Words both languages write the same way, and texts no person reads as a sentence.
SAME_IN_BOTH = {"Email", "Fax", "Video", "Logo", "Website", "Online", "OK", "Slug", "Tags", "Audio", "Số"}
TEXT_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
SKIP_TAGS = {"script", "style", "code", "pre", "textarea"}
# Where a page shows content (a procedure's fields, a unit's name): text there may be Vietnamese on the
# English site when the content has no English version; the interface around it may not.
CONTENT_TAGS = {"td", "dd", "li", "p"}


def _strings(path):
    with path.open("rb") as f:
        catalogue = read_po(f)
    for message in catalogue:
        if not message.id or "%(" in str(message.id):
            continue
        english = message.id if isinstance(message.id, str) else message.id[0]
        vietnamese = message.string if isinstance(message.string, str) else message.string[0]
        if vietnamese and vietnamese != english:
            yield english, vietnamese


@functools.cache
def interface_words():
    """``(English strings, Vietnamese strings)`` of the interface that differ between the languages."""
    pairs = [*_strings(ROOT / "translations/vi/LC_MESSAGES/messages.po")]
    pairs += _strings(ROOT / "translations/vi/LC_MESSAGES/admin.po")
    english = {e for e, v in pairs} - SAME_IN_BOTH
    vietnamese = {v for e, v in pairs} - SAME_IN_BOTH - english
    return english, vietnamese


@functools.cache
def made_up_labels():
    """What Flask-Admin would call every mapped column and relationship when no label is given."""
    from flask_admin.model.helpers import prettify_name

    from app.extensions import db

    names = set()
    for mapper in db.Model.registry.mappers:
        names |= {prettify_name(a.key) for a in mapper.attrs}
    return {n for n in names if len(n) > 3} - SAME_IN_BOTH - interface_words()[1]


@functools.cache
def raw_choices():
    """Stored values of every declared choice whose label is another word (``district`` for "District")."""
    from app.core.fields import Kind, declared

    values = set()
    for spec in declared():
        for field in spec.fields:
            if field.kind == Kind.CHOICE:
                values |= {value for value, label in field.choices if value and str(label) != value}
    return values


def _texts(doc, lang):
    """``(text, in a table cell or definition)`` of every text node and readable attribute of ``doc`` that is in
    the page's language: a part marked with another ``lang`` (content in the other language, WCAG 3.1.2) is not."""
    for el in doc.iter():
        if not isinstance(el.tag, str) or el.tag in SKIP_TAGS:
            continue
        marked = (
            next((e.get("lang") for e in el.iterancestors() if e.get("lang")), None)
            if el.get("lang") is None
            else el.get("lang")
        )
        if marked and marked[:2] != lang:
            continue
        cell = el.tag in CONTENT_TAGS
        if el.text and el.text.strip():
            yield el.text.strip(), cell
        parent = el.getparent()
        if el.tail and el.tail.strip():
            yield el.tail.strip(), parent is not None and parent.tag in CONTENT_TAGS
        for name in TEXT_ATTRIBUTES:
            if el.get(name, "").strip():
                yield el.get(name).strip(), False
        if el.tag == "input" and el.get("type") in ("submit", "button") and el.get("value"):
            yield el.get("value").strip(), False


def wrong_language(url, doc):
    """What on the parsed page ``doc`` is in the other language than the page's ``lang``."""
    lang = (doc.get("lang") or "vi")[:2]
    english, vietnamese = interface_words()
    found = []
    for text, cell in _texts(doc, lang):
        text = re.sub(r"\s+", " ", text)
        if lang == "vi":
            if text in english or text in made_up_labels():
                found.append(f"{url}: English on a Vietnamese page: {text!r}")
            elif cell and text in raw_choices():
                found.append(f"{url}: a stored value instead of its label: {text!r}")
        elif lang == "en" and not cell and text in vietnamese:
            found.append(f"{url}: Vietnamese on an English page: {text!r}")
    return found
