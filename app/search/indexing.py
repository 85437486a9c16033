"""Keeping the search index in step with what is published, and rebuilding it in bulk (R-24).

An item gives one entry per language it has text in: its own language (``language``, Vietnamese by default)
from the fields its content type declares searchable, and English from the fields declared ``lang="en"``
(``title_en``...). Personal fields are never indexed (R-17).
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import delete, func, insert, select, update

from app.core.fields import Kind
from app.core.text import plain_text
from app.core.timeutil import to_local, utcnow
from app.extensions import db
from app.search import backends
from app.search.models import SearchEntry
from app.workflow import registry
from app.workflow.models import LIVE_STATES

log = logging.getLogger(__name__)
TEXT_LIMIT = 20000
SUMMARY_LIMIT = 400
BATCH = 1000
WEIGHTS = ("title", "summary", "body")


@dataclass
class SearchHit:
    """What the search page and API show for one result (providers of the ``search`` hook return these)."""

    title: str
    url: str
    summary: str
    kind: str
    tenant_name: str
    date: datetime | None = None
    content_type: str = ""
    tenant_code: str = ""
    object_id: int | None = None
    snippet: str = ""
    # ``[(code, name)]`` of every site showing this item (a syndicated copy and its original: both).
    sites: list = field(default_factory=list)


@dataclass
class Document:
    language: str
    title: str
    summary: str
    body: str


def documents_for(item):
    """The :class:`Document` s of ``item``: its own language, and English when it has English fields."""
    ct = registry.for_item(item)
    own_language = getattr(item, "language", None) or "vi"
    if ct.search is not None:
        title, summary, text, language = ct.search(item)
        found = [Document(language or own_language, title, summary, text)]
    else:
        found = []
        # Personal data is never searchable, whatever a field's ``search`` says.
        searchable = [f for f in ct.fields if f.search and not f.personal]
        for lang in ("vi", "en"):
            parts = {weight: [] for weight in WEIGHTS}
            for f in searchable:
                if (f.lang == "en") != (lang == "en"):
                    continue
                value = getattr(item, f.name, None)
                if isinstance(value, str) and value.strip():
                    parts.setdefault(f.search, []).append(plain_text(value) if f.kind == Kind.RICH_TEXT else value)
            if not any(parts.values()):
                continue
            language = own_language if lang == "vi" else "en"
            title = next(iter(parts["title"]), None) or (item.display_title() if lang == "vi" else "")
            if not title:
                continue
            found.append(Document(language, title, " ".join(parts["summary"]), " ".join(parts["body"])))
    personal = [
        getattr(item, f.name, None).strip()
        for f in ct.fields
        if f.personal and isinstance(getattr(item, f.name, None), str) and len(getattr(item, f.name).strip()) >= 3
    ]
    documents, seen = [], set()
    for doc in found:
        if doc.language in seen:  # an English article has no second English document
            continue
        seen.add(doc.language)
        title, summary, body = (_without(personal, part or "") for part in (doc.title, doc.summary, doc.body))
        documents.append(Document(doc.language, title, plain_text(summary, limit=SUMMARY_LIMIT), body[:TEXT_LIMIT]))
    return documents


def _without(values, text):
    """``text`` without ``values`` (a type's own ``search`` may copy a personal field)."""
    for value in values:
        text = text.replace(value, " ")
    return text


def group_key(item):
    """``<type>:<id of the original>``: shared by a copy proposed to the portal and its original (R-10)."""
    return f"{item.content_type}:{item.source_object_id or item.id}"


def entry_rows(item, ct=None, now=None):
    """The ``search_entry`` rows of ``item`` (none when it is not live or has no public page of its own)."""
    ct = ct or registry.for_item(item)
    if item.revision_of_id is not None or item.state not in LIVE_STATES or ct.public_url is None:
        return []
    # An item without a public address of its own (an answer the asker did not let publish) is not found.
    url = ct.public_url(item)
    if not url:
        return []
    published = item.published_at or now or utcnow()
    local = to_local(published)
    rows = []
    for doc in documents_for(item):
        rows.append(
            {
                "tenant_id": item.tenant_id,
                "content_type": ct.name,
                "object_id": item.id,
                "language": doc.language,
                "title": doc.title[:500],
                "summary": doc.summary,
                "body": doc.body,
                "url": url[:500],
                "group_key": group_key(item),
                "syndicated": bool(item.source_object_id),
                "year": local.year if local else None,
                "published_at": published,
                "publish_at": item.publish_at,
                "expire_at": item.expire_at,
                "indexed_at": now or utcnow(),
            }
        )
    return rows


def index_item(item):
    """Add or refresh ``item`` in the index when it is live; remove it otherwise."""
    rows = entry_rows(item)
    table = SearchEntry.__table__
    db.session.execute(delete(table).where(table.c.content_type == item.content_type, table.c.object_id == item.id))
    if rows:
        db.session.execute(insert(table), rows)
    _refresh_group(group_key(item))


def remove_item(item):
    table = SearchEntry.__table__
    db.session.execute(delete(table).where(table.c.content_type == item.content_type, table.c.object_id == item.id))
    _refresh_group(group_key(item))


def _refresh_group(key):
    """Mark the rows of a group syndicated when it has more than one (an original and its portal copy)."""
    table = SearchEntry.__table__
    twin = table.alias("twin")
    twins = (
        select(func.count())
        .select_from(twin)
        .where(twin.c.group_key == table.c.group_key, twin.c.language == table.c.language)
        .scalar_subquery()
    )
    db.session.execute(update(table).where(table.c.group_key == key).values(syndicated=twins > 1))


def on_published(item, **_):
    try:
        with db.session.no_autoflush:
            index_item(item)
    except Exception:  # the index must never block publishing; `flask search reindex` repairs it
        log.exception("search indexing failed for %s %s", item.content_type, item.id)


def on_withdrawn(item, **_):
    remove_item(item)


def _live_items(ct):
    model = ct.model
    stmt = (
        select(model)
        .where(model.revision_of_id.is_(None), model.state.in_([s.value for s in LIVE_STATES]))
        .order_by(model.id)
        .execution_options(yield_per=BATCH)
    )
    return db.session.execute(stmt).scalars()


def reindex_all():
    """Rebuild the whole index from every registered content type, in bulk; return the number of items."""
    db.session.flush()
    connection = db.session.connection()
    table = SearchEntry.__table__
    count = 0
    now = utcnow()

    def load():
        nonlocal count
        batch = []
        with current_app.test_request_context():  # one request context for every URL built
            for ct in registry.all_types():
                if ct.public_url is None:
                    continue
                for item in _live_items(ct):
                    rows = entry_rows(item, ct, now)
                    count += 1 if rows else 0
                    batch.extend(rows)
                    db.session.expunge(item)  # keep the tenants (every URL needs one), not the items
                    if len(batch) >= BATCH:
                        connection.execute(insert(table), batch)
                        batch = []
        if batch:
            connection.execute(insert(table), batch)
        twins = select(table.c.group_key).group_by(table.c.group_key, table.c.language).having(func.count() > 1)
        connection.execute(update(table).where(table.c.group_key.in_(twins)).values(syndicated=True))
        connection.execute(update(table).where(table.c.group_key.notin_(twins)).values(syndicated=False))

    backends.bulk_load(connection, load)
    db.session.commit()
    return count


search_cli = AppGroup("search", help="The search index (R-24).")


@search_cli.command("reindex")
@with_appcontext
def reindex_command():
    """Rebuild the search index from every published item."""
    import time

    started = time.perf_counter()
    count = reindex_all()
    entries = db.session.execute(select(func.count()).select_from(SearchEntry)).scalar()
    click.echo(f"search: {count} items indexed ({entries} entries) in {time.perf_counter() - started:.1f} s")


def init_cli(app):
    app.cli.add_command(search_cli)
