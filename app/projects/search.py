"""Search provider of projects (R-24), registered on the ``search`` hook."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.core.text import nfc, unaccent
from app.extensions import db
from app.projects.models import KINDS, Project, _public_url
from app.workflow.models import visible_filter


@dataclass
class SearchHit:
    title: str
    url: str
    summary: str
    kind: str
    tenant_name: str
    date: datetime | None
    tenant_code: str = ""


def search(query, tenants, limit=20):
    """Published projects of ``tenants`` whose title, code, field, location or organisations contain every word."""
    words = unaccent(nfc(query or "")).lower().split()
    if not words or not tenants:
        return []
    by_id = {t.id: t for t in tenants}
    stmt = select(Project).where(visible_filter(Project), Project.tenant_id.in_(list(by_id)))
    for word in words[:10]:
        stmt = stmt.where(Project.search_text.contains(word, autoescape=True))
    rows = db.session.execute(stmt.order_by(Project.published_at.desc()).limit(limit)).scalars()
    return [
        SearchHit(
            title=p.title,
            url=_public_url(p),
            summary=(p.summary or "")[:300],
            kind=str(KINDS[p.kind]),
            tenant_name=by_id[p.tenant_id].name_vi,
            date=p.published_at,
            tenant_code=by_id[p.tenant_id].code,
        )
        for p in rows
    ]
