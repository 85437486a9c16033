"""Filters of the public catalogues (procedures, documents, projects): fields equal to query arguments,
keywords matched without diacritics, and the choices of a filter's select.
"""

from app.core.text import nfc, unaccent
from app.extensions import db

MAX_KEYWORDS = 200  # characters of the keyword box that are searched


def where_args(stmt, args, columns):
    """Keep the rows whose column equals the argument of the same name, for every argument given.

    :param columns: ``{argument name: column}``.
    """
    for key, column in columns.items():
        if args.get(key):
            stmt = stmt.where(column == nfc(args[key]))
    return stmt


def where_words(stmt, haystack, text):
    """Keep the rows whose ``haystack`` (unaccented lower-case text) holds every word of ``text``."""
    for word in unaccent(nfc(text or "")).lower().strip()[:MAX_KEYWORDS].split():
        stmt = stmt.where(haystack.contains(word, autoescape=True))
    return stmt


def choices(stmt, column):
    """The distinct non-empty values of ``column`` in the rows of ``stmt``, sorted: a filter's options."""
    rows = db.session.execute(stmt.with_only_columns(column).distinct().order_by(column)).scalars()
    return [value for value in rows if value]
