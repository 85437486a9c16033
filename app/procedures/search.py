"""Search provider of the procedures catalogue (R-24), registered on the ``search`` hook."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.core.text import nfc, unaccent
from app.extensions import db
from app.procedures.models import Procedure, _public_url
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
    """Published procedures of ``tenants`` whose code, name, field or agency contain every word of ``query``."""
    words = unaccent(nfc(query or "")).lower().split()
    if not words or not tenants:
        return []
    by_id = {t.id: t for t in tenants}
    stmt = select(Procedure).where(visible_filter(Procedure), Procedure.tenant_id.in_(list(by_id)))
    for word in words[:10]:
        stmt = stmt.where(Procedure.search_text.contains(word, autoescape=True))
    rows = db.session.execute(stmt.order_by(Procedure.published_at.desc()).limit(limit)).scalars()
    return [
        SearchHit(
            title=f"{p.code} · {p.name}",
            url=_public_url(p),
            summary=" · ".join(x for x in (p.field, p.implementing_agency) if x),
            kind=str(_l("Administrative procedure")),
            tenant_name=by_id[p.tenant_id].name_vi,
            date=p.published_at,
            tenant_code=by_id[p.tenant_id].code,
        )
        for p in rows
    ]
