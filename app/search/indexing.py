"""Keeping the search index in step with what is published."""

import logging
from dataclasses import dataclass
from datetime import datetime

import click
from flask.cli import AppGroup
from sqlalchemy import and_, delete, or_, select

from app.core.fields import Kind
from app.core.models import Tenant
from app.core.pagination import count_rows
from app.core.scoping import scope_filter_many
from app.core.text import plain_text, unaccent
from app.core.timeutil import utcnow
from app.extensions import db
from app.search.models import SearchEntry
from app.workflow import registry
from app.workflow.models import LIVE_STATES

log = logging.getLogger(__name__)
TEXT_LIMIT = 20000


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


def normalise(text):
    return " ".join(unaccent(text or "").lower().split())


def document_for(item):
    """``(title, summary, text, language)`` of an item, from its declared ``search`` fields (R-24).

    Title fields come first, then summaries, then bodies; a type may give its own ``search`` function.
    """
    ct = registry.for_item(item)
    if ct.search is not None:
        return ct.search(item)
    # Personal data is never searchable, whatever a field's ``search`` says.
    searchable = [f for f in ct.fields if f.search and not f.personal]
    if not searchable:
        return _legacy_document(item, {f.name for f in ct.fields if f.personal})
    parts = {"title": [], "summary": [], "body": []}
    for field in searchable:
        value = getattr(item, field.name, None)
        if isinstance(value, str) and value.strip():
            parts.setdefault(field.search, []).append(plain_text(value) if field.kind == Kind.RICH_TEXT else value)
    title = next(iter(parts["title"]), None) or item.display_title()
    summary = plain_text(next(iter(parts["summary"]), "") or "", limit=400)
    text = " ".join(parts["title"] + parts["summary"] + parts["body"])
    return title, summary, text[:TEXT_LIMIT], getattr(item, "language", "vi") or "vi"


def _legacy_document(item, personal=frozenset()):
    title = getattr(item, "title", None) or getattr(item, "name", None) or item.display_title()
    summary = plain_text(getattr(item, "summary", "") or "", limit=400)
    parts = [title, summary]
    for field in ("body", "content", "text", "title_en", "summary_en", "code", "number"):
        if field in personal:
            continue
        value = getattr(item, field, None)
        if isinstance(value, str) and value:
            parts.append(plain_text(value))
    return title, summary, " ".join(parts)[:TEXT_LIMIT], getattr(item, "language", "vi") or "vi"


def _without_personal_data(item, ct, text):
    """``text`` without the values of the item's personal fields (a type's own ``search`` may copy them)."""
    for field in ct.fields:
        value = getattr(item, field.name, None) if field.personal else None
        if isinstance(value, str) and len(value.strip()) >= 3:
            text = text.replace(value.strip(), " ")
    return text


def index_item(item):
    """Add or refresh ``item`` in the index when it is live; remove it otherwise."""
    ct = registry.for_item(item)
    if item.revision_of_id is not None:
        return
    # An item without a public address of its own (an answer the asker did not let publish) is not found.
    url = ct.public_url(item) if ct.public_url is not None and item.state in LIVE_STATES else None
    if not url:
        remove_item(item)
        return
    title, summary, text, language = document_for(item)
    title, summary, text = (_without_personal_data(item, ct, part) for part in (title, summary, text))
    values = {
        "title": title[:500],
        "summary": summary,
        "url": url,
        "language": language,
        "haystack": normalise(text),
        "published_at": item.published_at or utcnow(),
        "publish_at": item.publish_at,
        "expire_at": item.expire_at,
    }
    with db.session.no_autoflush:
        entry = (
            db.session.execute(
                select(SearchEntry).where(SearchEntry.content_type == ct.name, SearchEntry.object_id == item.id)
            )
            .scalars()
            .first()
        )
    if entry is None:
        db.session.add(SearchEntry(content_type=ct.name, object_id=item.id, tenant_id=item.tenant_id, **values))
        return
    for key, value in values.items():
        setattr(entry, key, value)


def remove_item(item):
    db.session.execute(
        delete(SearchEntry).where(SearchEntry.content_type == item.content_type, SearchEntry.object_id == item.id)
    )


def on_published(item, **_):
    try:
        index_item(item)
    except Exception:  # the index must never block publishing; `flask search reindex` repairs it
        log.exception("search indexing failed for %s %s", item.content_type, item.id)


def on_withdrawn(item, **_):
    remove_item(item)


def reindex_all():
    """Rebuild the whole index from every registered content type; return the number of entries."""
    db.session.execute(delete(SearchEntry))
    count = 0
    for ct in registry.all_types():
        if ct.public_url is None:
            continue
        model = ct.model
        stmt = select(model).where(model.revision_of_id.is_(None), model.state.in_([s.value for s in LIVE_STATES]))
        for item in db.session.execute(stmt).scalars():
            index_item(item)
            count += 1
    db.session.commit()
    return count


def query(q, tenant_ids=None, content_type=None, page=1, per_page=20, now=None):
    """Return ``(entries, total)`` of live items matching every word of ``q`` (accents ignored)."""
    now = now or utcnow()
    words = normalise(q).split()[:10]
    stmt = select(SearchEntry).where(
        or_(SearchEntry.publish_at.is_(None), SearchEntry.publish_at <= now),
        or_(SearchEntry.expire_at.is_(None), SearchEntry.expire_at > now),
    )
    if words:
        stmt = stmt.where(and_(*[SearchEntry.haystack.contains(word, autoescape=True) for word in words]))
    if tenant_ids is not None:
        stmt = stmt.where(scope_filter_many(SearchEntry, tenant_ids))
    if content_type:
        stmt = stmt.where(SearchEntry.content_type == content_type)
    total = count_rows(stmt)
    rows = (
        db.session.execute(
            stmt.order_by(SearchEntry.published_at.desc(), SearchEntry.id.desc())
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
        .scalars()
        .all()
    )
    return rows, total


def hits_for(entries):
    tenants = {t.id: t for t in db.session.execute(select(Tenant)).scalars()}
    hits = []
    for entry in entries:
        ct = registry.get(entry.content_type) if entry.content_type in {c.name for c in registry.all_types()} else None
        tenant = tenants.get(entry.tenant_id)
        hits.append(
            SearchHit(
                title=entry.title,
                url=entry.url,
                summary=entry.summary,
                kind=str(ct.label) if ct else entry.content_type,
                tenant_name=tenant.name_vi if tenant else "",
                date=entry.published_at,
                content_type=entry.content_type,
                tenant_code=tenant.code if tenant else "",
            )
        )
    return hits


search_cli = AppGroup("search", help="The search index (R-24).")


@search_cli.command("reindex")
def reindex_command():
    """Rebuild the search index from every published item."""
    click.echo(f"search: {reindex_all()} items indexed")


def init_cli(app):
    app.cli.add_command(search_cli)
