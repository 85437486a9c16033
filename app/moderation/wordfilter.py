"""Matching visitors' text against the word filter (R-16), robust to the usual evasions.

Both the text and the terms are reduced to a *skeleton*: NFC, diacritics removed (đ -> d), lower case,
only letters and digits kept (so zero-width characters, spaces, dots and hyphens between letters vanish)
and runs of one repeated letter collapsed. A term matches when its skeleton occurs in the text's
skeleton; each hit maps back to a span of the original text so the moderator sees it highlighted.
Matching only flags input for moderation: nothing is dropped or changed.
"""

import unicodedata
from dataclasses import dataclass

from markupsafe import Markup, escape
from sqlalchemy import or_, select

from app.core.scoping import scope_filter
from app.core.text import nfc, unaccent
from app.extensions import db
from app.moderation.models import FilterTerm


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    term: str


def _base(ch):
    """The skeleton letter of one character ('' when it is not a letter or digit)."""
    if unicodedata.category(ch) in ("Cf", "Mn"):  # zero-width characters, stray combining marks
        return ""
    base = unaccent(ch).lower()
    return "".join(c for c in base if c.isalnum())


def skeleton(text):
    """Return ``(skeleton, positions)``: positions[i] is the index in ``nfc(text)`` of skeleton[i]."""
    chars, positions = [], []
    for index, ch in enumerate(nfc(text or "")):
        for c in _base(ch):
            if chars and chars[-1] == c:
                continue  # repeated letters: "nguuuu" == "ngu"
            chars.append(c)
            positions.append(index)
    return "".join(chars), positions


def terms_for(tenant):
    """The terms that apply on ``tenant``: the global list plus the tenant's own."""
    if tenant is None:
        return []
    stmt = select(FilterTerm.term).where(or_(FilterTerm.is_global.is_(True), scope_filter(FilterTerm, tenant)))
    return sorted(set(db.session.execute(stmt).scalars()))


def find_hits(text, terms):
    """Every occurrence of every term in ``text``, as spans of ``nfc(text)``, in reading order."""
    text = nfc(text or "")
    skel, positions = skeleton(text)
    hits = []
    for term in terms:
        needle = skeleton(term)[0]
        if not needle:
            continue
        start = skel.find(needle)
        while start >= 0:
            end_index = start + len(needle) - 1
            # Extend the span over trailing repeats of the last letter ("nguuu").
            end = positions[end_index] + 1
            while end < len(text) and _base(text[end]) == needle[-1]:
                end += 1
            hits.append(Hit(positions[start], end, term))
            start = skel.find(needle, start + 1)
    return sorted(set(hits), key=lambda h: (h.start, h.end))


def check(tenant, *texts):
    """The distinct terms found in any of ``texts`` on ``tenant`` (an empty list when clean)."""
    terms = terms_for(tenant)
    found = []
    for text in texts:
        for hit in find_hits(text, terms):
            if hit.term not in found:
                found.append(hit.term)
    return found


def highlight(text, terms):
    """``text`` escaped, with every hit wrapped in ``<mark>`` (for the moderation queue)."""
    text = nfc(text or "")
    out, cursor = [], 0
    for hit in find_hits(text, terms):
        if hit.start < cursor:
            continue
        out.append(escape(text[cursor : hit.start]))
        out.append(Markup('<mark title="{}">{}</mark>').format(hit.term, text[hit.start : hit.end]))
        cursor = hit.end
    out.append(escape(text[cursor:]))
    return Markup("").join(out)
