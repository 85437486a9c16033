"""The two full-text backends behind one interface: SQLite FTS5 and PostgreSQL ``tsvector`` (R-07, R-24).

Both fold the same way on both sides of the match: case, every diacritic (FTS5's ``remove_diacritics 2``,
which also strips letters with two marks such as "ộ"; PostgreSQL's ``unaccent``) and ``đ`` -> ``d``,
which no Unicode decomposition gives (a ``replace`` in the SQLite triggers; ``unaccent`` does it).

The database keeps the index in step by itself, whatever writes ``search_entry`` (the ORM, a bulk insert,
a backup restore, a tenant deleted by cascade):

- SQLite: ``search_fts``, a contentless FTS5 table (its rowid is ``search_entry.id``) with the columns
  ``title``, ``summary``, ``body``, written by triggers on ``search_entry``;
- PostgreSQL: ``search_entry.document``, a ``tsvector`` with the weights A (title), B (summary), C (body),
  set by a trigger from ``search_fold()``, an IMMUTABLE wrapper of ``unaccent`` that the GIN index needs.

:func:`install` creates these (called after ``search_entry`` is created, by ``db.create_all`` and by the
migration); :class:`Query` builds the match, the rank and the phrase bonus for either database.
"""

import re
import unicodedata

from sqlalchemy import Integer, cast, event, func, literal_column, table
from sqlalchemy import column as sql_column

from app.search.models import SearchEntry

# Words as both tokenizers see them: letters and digits (an underscore or a dash separates words).
WORD = re.compile(r"[^\W_]+")
MAX_TERMS = 10
# Column weights: the title counts most, then the summary, then the body.
SQLITE_WEIGHTS = (10.0, 4.0, 1.0)
PG_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"  # D, C (body), B (summary), A (title)

_D = str.maketrans({"đ": "d", "Đ": "D"})

FTS = table("search_fts", sql_column("rowid"))


def _sqlite_fold(expr):
    return f"replace(replace(coalesce({expr}, ''), 'Đ', 'D'), 'đ', 'd')"


SQLITE_DDL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    "title, summary, body, content='', tokenize='unicode61 remove_diacritics 2')",
    f"""CREATE TRIGGER IF NOT EXISTS search_entry_fts_insert AFTER INSERT ON search_entry BEGIN
      INSERT INTO search_fts(rowid, title, summary, body)
      VALUES (new.id, {_sqlite_fold("new.title")}, {_sqlite_fold("new.summary")}, {_sqlite_fold("new.body")});
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS search_entry_fts_delete AFTER DELETE ON search_entry BEGIN
      INSERT INTO search_fts(search_fts, rowid, title, summary, body)
      VALUES ('delete', old.id, {_sqlite_fold("old.title")}, {_sqlite_fold("old.summary")}, {_sqlite_fold("old.body")});
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS search_entry_fts_update AFTER UPDATE OF id, title, summary, body ON search_entry
    BEGIN
      INSERT INTO search_fts(search_fts, rowid, title, summary, body)
      VALUES ('delete', old.id, {_sqlite_fold("old.title")}, {_sqlite_fold("old.summary")}, {_sqlite_fold("old.body")});
      INSERT INTO search_fts(rowid, title, summary, body)
      VALUES (new.id, {_sqlite_fold("new.title")}, {_sqlite_fold("new.summary")}, {_sqlite_fold("new.body")});
    END""",
]
SQLITE_TRIGGERS = ("search_entry_fts_insert", "search_entry_fts_delete", "search_entry_fts_update")

PG_DDL = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    # unaccent() is STABLE (it reads its dictionary); naming the dictionary makes the wrapper safe to mark
    # IMMUTABLE, which an index expression or a stored derived value needs.
    """CREATE OR REPLACE FUNCTION search_fold(value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, value)) $$""",
    # Punctuation separates words, as in the query ("2021-2030" is 2021 and 2030, not 2021 and -2030).
    """CREATE OR REPLACE FUNCTION search_words(value text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT to_tsvector('simple'::regconfig, regexp_replace(search_fold(value), '[[:punct:]]+', ' ', 'g')) $$""",
    """CREATE OR REPLACE FUNCTION search_entry_document() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.document :=
        setweight(search_words(coalesce(NEW.title, '')), 'A') ||
        setweight(search_words(coalesce(NEW.summary, '')), 'B') ||
        setweight(search_words(coalesce(NEW.body, '')), 'C');
      RETURN NEW;
    END $$""",
    "DROP TRIGGER IF EXISTS search_entry_document ON search_entry",
    """CREATE TRIGGER search_entry_document BEFORE INSERT OR UPDATE ON search_entry
    FOR EACH ROW EXECUTE FUNCTION search_entry_document()""",
]


def install(connection):
    """Create the full-text structures of ``connection``'s database (idempotent)."""
    statements = SQLITE_DDL if connection.dialect.name == "sqlite" else PG_DDL
    for statement in statements:
        connection.exec_driver_sql(statement)


def uninstall(connection):
    if connection.dialect.name == "sqlite":
        for trigger in SQLITE_TRIGGERS:
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger}")
        connection.exec_driver_sql("DROP TABLE IF EXISTS search_fts")
    else:
        connection.exec_driver_sql("DROP TRIGGER IF EXISTS search_entry_document ON search_entry")


def bulk_load(connection, load):
    """Empty the index and run ``load()`` (which inserts ``search_entry`` rows) the fast way for the database.

    SQLite: without triggers, then one ``INSERT ... SELECT`` into a new FTS table. PostgreSQL: without the GIN
    index, built once at the end (much faster than row by row).
    """
    if connection.dialect.name == "sqlite":
        uninstall(connection)
        connection.execute(SearchEntry.__table__.delete())
        load()
        connection.exec_driver_sql(SQLITE_DDL[0])
        connection.exec_driver_sql(
            "INSERT INTO search_fts(rowid, title, summary, body) SELECT id, "
            f"{_sqlite_fold('title')}, {_sqlite_fold('summary')}, {_sqlite_fold('body')} FROM search_entry"
        )
        for statement in SQLITE_DDL[1:]:
            connection.exec_driver_sql(statement)
        return
    connection.exec_driver_sql("DROP INDEX IF EXISTS ix_search_entry_document")
    connection.exec_driver_sql("TRUNCATE search_entry")
    load()
    connection.exec_driver_sql("CREATE INDEX ix_search_entry_document ON search_entry USING gin (document)")
    connection.exec_driver_sql("ANALYZE search_entry")


def _attach():
    target = SearchEntry.__table__
    if not event.contains(target, "after_create", _after_create):
        event.listen(target, "after_create", _after_create)
        event.listen(target, "before_drop", _before_drop)


def _after_create(target, connection, **_):
    install(connection)


def _before_drop(target, connection, **_):
    uninstall(connection)


_attach()


class _FoldTable(dict):
    """``str.translate`` table filled as characters are met: each one folds to one character."""

    def __missing__(self, code):
        ch = chr(code)
        base = unicodedata.normalize("NFD", ch.translate(_D))[0].lower()
        folded = base if len(base) == 1 else ch
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def fold(value):
    """``value`` folded as the index folds it: lower case, no diacritics, ``đ`` -> ``d`` (same length)."""
    return (value or "").translate(_FOLD)


def terms(q):
    """The folded words of ``q`` (at most :data:`MAX_TERMS`)."""
    return WORD.findall(fold(unicodedata.normalize("NFC", q or "")))[:MAX_TERMS]


class Query:
    """The full-text part of a search for ``words`` (folded, see :func:`terms`); the last one is a prefix.

    ``source()`` is what to select from, ``condition()`` the match, ``score()`` the rank (higher is better).
    """

    def __init__(self, dialect, words):
        self.dialect = dialect
        self.words = list(words)
        self.prefix = len(self.words[-1]) >= 2 if self.words else False

    @property
    def sqlite(self):
        return self.dialect == "sqlite"

    def source(self):
        if self.sqlite:
            return FTS.join(SearchEntry.__table__, SearchEntry.__table__.c.id == FTS.c.rowid)
        return SearchEntry.__table__

    def condition(self):
        if self.sqlite:
            return literal_column("search_fts").op("MATCH")(self._fts_expression())
        return SearchEntry.__table__.c.document.op("@@")(self._tsquery(self._pg_expression(" & ")))

    def score(self):
        if self.sqlite:
            # bm25() is lower for better matches; the phrase is in the MATCH expression, so it adds its own weight.
            return -func.bm25(literal_column("search_fts"), *SQLITE_WEIGHTS)
        document = SearchEntry.__table__.c.document
        weights = literal_column(f"'{PG_WEIGHTS}'::float4[]")
        rank = func.ts_rank(weights, document, self._tsquery(self._pg_expression(" & ")), 1)
        if len(self.words) > 1:
            phrase = self._tsquery(self._pg_expression(" <-> "))
            title_phrase = self._tsquery(self._pg_expression(" <-> ", weight="A"))
            rank = rank + cast(document.op("@@")(phrase), Integer) * 0.2
            rank = rank + cast(document.op("@@")(title_phrase), Integer) * 0.5
        return rank

    def _fts_expression(self):
        quoted = [f'"{w.translate(_D)}"' for w in self.words]
        if self.prefix:
            quoted[-1] += "*"
        terms_ = " AND ".join(quoted)
        if len(self.words) < 2:
            return terms_
        phrase = '"' + " ".join(w.translate(_D) for w in self.words) + '"' + ("*" if self.prefix else "")
        return f"({terms_}) OR {phrase}"

    def _pg_expression(self, joiner, weight=""):
        parts = [f"{w}{':' + weight if weight else ''}" for w in self.words]
        if self.prefix:
            parts[-1] = f"{self.words[-1]}:*{weight}"
        return joiner.join(parts)

    @staticmethod
    def _tsquery(expression):
        return func.to_tsquery(literal_column("'simple'::regconfig"), func.search_fold(expression))


def include_name(name, type_, parent_names):
    """Alembic's filter: the FTS5 table and its shadow tables are the search index's, not the models'."""
    return not (type_ == "table" and name is not None and (name == "search_fts" or name.startswith("search_fts_")))
