"""``/search?q=`` and ``/api/v1/search?q=``: the portal searches every site, a subsite its own by default."""

from flask import Blueprint, render_template, request
from sqlalchemy import select

from app.api.pagination import page_args
from app.core import hooks
from app.core.errors import APIError
from app.core.models import Tenant
from app.core.pagination import pager_for, requested_page
from app.core.tenancy import current_tenant
from app.core.timeutil import isoformat
from app.extensions import csrf, db
from app.search.indexing import hits_for, query
from app.workflow import registry

bp = Blueprint("search", __name__, template_folder="templates")
api_bp = Blueprint("search_api", __name__, url_prefix="/api/v1")
csrf.exempt(api_bp)

MAX_QUERY = 200
PER_PAGE = 20


def _scope():
    """Tenants searched: every active site from the portal or with ``scope=all``, else this site."""
    everywhere = current_tenant.is_portal or request.args.get("scope") == "all"
    stmt = select(Tenant).where(Tenant.active.is_(True))
    if not everywhere:
        stmt = stmt.where(Tenant.id == current_tenant.id)
    return db.session.execute(stmt).scalars().all(), everywhere


def _type_filter():
    wanted = request.args.get("type") or None
    names = {ct.name for ct in registry.all_types()}
    return wanted if wanted in names else None


def _provider_hits(q, tenants, limit):
    hits = []
    for provider in hooks.collect("search"):
        hits.extend(provider(q, tenants, limit) or [])
    return hits[:limit]


@bp.get("/search")
def page():
    q = (request.args.get("q") or "").strip()[:MAX_QUERY]
    page_number = requested_page()
    tenants, everywhere = _scope()
    results, total, extra = [], 0, []
    if q:
        entries, total = query(q, [t.id for t in tenants], _type_filter(), page_number, PER_PAGE)
        results = hits_for(entries)
        if page_number == 1:
            seen = {hit.url for hit in results}
            extra = [hit for hit in _provider_hits(q, tenants, 20) if hit.url not in seen]
    types = [(ct.name, ct.label) for ct in registry.all_types() if ct.public_url is not None]
    return render_template(
        "search/results.html",
        q=q,
        results=results,
        extra=extra,
        pager=pager_for(page_number, total, PER_PAGE),
        everywhere=everywhere,
        types=types,
        selected_type=_type_filter(),
    )


@api_bp.get("/search")
def api_search():
    """Search published items (portal: every site; subsite: its own, or all with scope=all)."""
    q = (request.args.get("q") or "").strip()
    if not q:
        raise APIError(400, "Give a search query in q.", fields={"q": "required"})
    if len(q) > MAX_QUERY:
        raise APIError(400, f"The query is longer than {MAX_QUERY} characters.", fields={"q": "too long"})
    page_number, per_page = page_args()
    tenants, _ = _scope()
    entries, total = query(q, [t.id for t in tenants], _type_filter(), page_number, per_page)
    items = [
        {
            "title": hit.title,
            "url": hit.url,
            "summary": hit.summary,
            "type": hit.content_type,
            "kind": hit.kind,
            "tenant": hit.tenant_code,
            "tenant_name": hit.tenant_name,
            "published_at": isoformat(hit.date),
        }
        for hit in hits_for(entries)
    ]
    return {"items": items, "page": page_number, "per_page": per_page, "total": total}
