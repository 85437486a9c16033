"""Search provider of legal documents (R-24), registered on the ``search`` hook."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.core.text import nfc, unaccent
from app.documents.models import LegalDocument, _public_url
from app.extensions import db
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
    """Published documents of ``tenants`` whose number, title, issuer, signer or field contain every word."""
    words = unaccent(nfc(query or "")).lower().split()
    if not words or not tenants:
        return []
    by_id = {t.id: t for t in tenants}
    stmt = select(LegalDocument).where(visible_filter(LegalDocument), LegalDocument.tenant_id.in_(list(by_id)))
    for word in words[:10]:
        stmt = stmt.where(LegalDocument.search_text.contains(word, autoescape=True))
    rows = db.session.execute(stmt.order_by(LegalDocument.issued_on.desc()).limit(limit)).scalars()
    return [
        SearchHit(
            title=f"{d.doc_type} {d.number}: {d.title}",
            url=_public_url(d),
            summary=d.summary[:300] if d.summary else d.issuer,
            kind=str(_l("Legal document")),
            tenant_name=by_id[d.tenant_id].name_vi,
            date=d.published_at,
            tenant_code=by_id[d.tenant_id].code,
        )
        for d in rows
    ]
