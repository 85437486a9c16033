"""``/search`` and ``/api/v1/search``: the portal searches every site, a subsite its own by default (R-24).

Both take ``q``, ``site`` (a site's code), ``type`` (a content type), ``year`` and ``page``; ``?lang=en``
searches the English text. A site filter searches that site from anywhere.
"""

from flask import Blueprint, render_template, request
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from app.api.describe import operation
from app.api.pagination import page_args
from app.core import hooks
from app.core.errors import APIError
from app.core.i18n import current_language
from app.core.models import Tenant
from app.core.pagination import pager_for, requested_page
from app.core.tenancy import current_tenant
from app.core.timeutil import isoformat
from app.extensions import csrf, db
from app.search.query import Filters, cached, cached_search
from app.workflow import registry

bp = Blueprint("search", __name__, template_folder="templates")
api_bp = Blueprint("search_api", __name__, url_prefix="/api/v1")
csrf.exempt(api_bp)

MAX_QUERY = 200
PER_PAGE = 20
FIRST_YEAR, LAST_YEAR = 1900, 2200


class FilterError(ValueError):
    def __init__(self, name, message):
        super().__init__(message)
        self.name = name


def _searchable_types():
    return {ct.name: ct for ct in registry.all_types() if ct.public_url is not None}


def filters_from_request():
    """The :class:`Filters` of the request; :class:`FilterError` names a filter no item can have."""
    active = db.session.execute(select(Tenant).where(Tenant.active.is_(True))).scalars().all()
    portal = next((t for t in active if t.is_portal), None)
    site_code = (request.args.get("site") or "").strip()
    site = None
    if site_code:
        site = next((t for t in active if t.code == site_code), None)
        if site is None:
            raise FilterError("site", "There is no active site with this code.")
    everywhere = current_tenant.is_portal or request.args.get("scope") == "all" or site is not None
    tenants = active if everywhere else [t for t in active if t.id == current_tenant.id]
    wanted_type = (request.args.get("type") or "").strip() or None
    if wanted_type and wanted_type not in _searchable_types():
        raise FilterError("type", "There is no searchable content type with this name.")
    year_text = (request.args.get("year") or "").strip()
    year = None
    if year_text:
        if not (year_text.isascii() and year_text.isdigit() and FIRST_YEAR <= int(year_text) <= LAST_YEAR):
            raise FilterError("year", f"year must be a whole number from {FIRST_YEAR} to {LAST_YEAR}.")
        year = int(year_text)
    return Filters(
        tenant_ids=[t.id for t in tenants],
        own_tenant_id=current_tenant.id,
        boost_tenant_id=current_tenant.id,
        portal_id=portal.id if portal else None,
        language="en" if current_language() == "en" else "vi",
        site=site.id if site else None,
        type=wanted_type,
        year=year,
    ), everywhere


def _provider_hits(q, tenants, limit):
    hits = []
    for provider in hooks.collect("search"):
        hits.extend(provider(q, tenants, limit) or [])
    return hits[:limit]


def _filter_link(**changes):
    """This search's URL with ``changes`` to its filters (None removes one); the page goes back to 1."""
    from urllib.parse import urlencode

    args = {k: v for k, v in request.args.items() if k != "page"}
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    return f"{request.path}?{urlencode(args)}"


@bp.get("/search")
def page():
    q = (request.args.get("q") or "").strip()[:MAX_QUERY]
    page_number = requested_page()
    try:
        filters, everywhere = filters_from_request()
    except FilterError:
        filters, everywhere = None, current_tenant.is_portal
    results, total, extra, facets = [], 0, [], {"site": [], "type": [], "year": []}
    if q and filters is not None:
        found = cached_search(q, filters, page_number, PER_PAGE)
        results, total, facets = found.hits, found.total, found.facets
        if page_number == 1 and not (filters.site or filters.type or filters.year):
            seen = {hit.url for hit in results}
            tenants = db.session.execute(select(Tenant).where(Tenant.id.in_(filters.tenant_ids))).scalars().all()
            ids = sorted(filters.tenant_ids)
            provided = cached("search-extra", (ids, q), filters.own_tenant_id, lambda: _provider_hits(q, tenants, 20))
            extra = [hit for hit in provided if hit.url not in seen]
    types = [(name, ct.label) for name, ct in _searchable_types().items()]
    return render_template(
        "search/results.html",
        q=q,
        results=results,
        extra=extra,
        facets=facets,
        filters=filters,
        pager=pager_for(page_number, total, PER_PAGE),
        everywhere=everywhere,
        types=types,
        selected_type=filters.type if filters else None,
        selected_site=request.args.get("site") or "",
        selected_year=str(filters.year) if filters and filters.year else "",
        filter_link=_filter_link,
    )


class SearchQuery(Schema):
    """The query parameters of ``GET /api/v1/search``."""

    q = fields.Str(
        required=True,
        validate=validate.Length(min=1, max=MAX_QUERY),
        metadata={
            "description": "Words to find: case and accents are ignored (dong xoai finds Đồng Xoài); the last word "
            "also matches as the start of a word.",
            "example": "thủ tục đất đai",
        },
    )
    site = fields.Str(metadata={"description": "Only items of the site with this code (searched from any site).",
                                "example": "dongxoai"})  # fmt: skip
    type = fields.Str(metadata={"description": "Only items of this content type (article, procedure...)."})
    year = fields.Int(metadata={"description": "Only items published in this year (Asia/Ho_Chi_Minh)."})
    lang = fields.Str(
        validate=validate.OneOf(["vi", "en"]),
        metadata={"description": "en: search the English text of items (and answer with English labels)."},
    )
    scope = fields.Str(
        validate=validate.OneOf(["all"]),
        metadata={"description": "all: every site, from a subsite (the portal always searches every site)."},
    )
    page = fields.Int(metadata={"description": "The page, from 1.", "minimum": 1})
    per_page = fields.Int(metadata={"description": "Items per page, at most 100.", "minimum": 1, "maximum": 100})


class SiteSchema(Schema):
    code = fields.Str(required=True)
    name = fields.Str(required=True)


class SearchHitSchema(Schema):
    """One search result: the item's id in its collection, where it is and what it is."""

    id = fields.Int(required=True, metadata={"description": "The item's id (of its content type)."})
    title = fields.Str(required=True, metadata={"example": "Thủ tục cấp giấy chứng nhận quyền sử dụng đất"})
    url = fields.Str(required=True, metadata={"format": "uri"})
    snippet = fields.Str(
        required=True,
        metadata={"description": "HTML: the passage where the words are, escaped, with them in <mark>."},
    )
    summary = fields.Str(required=True)
    type = fields.Str(required=True, metadata={"description": "The content type (article, procedure...)."})
    kind = fields.Str(required=True, metadata={"description": "The content type's name for people."})
    site = fields.Str(required=True, metadata={"description": "The code of the item's site."})
    site_name = fields.Str(required=True)
    sites = fields.List(
        fields.Nested(SiteSchema),
        required=True,
        metadata={"description": "Every site showing the item: its own first, then a copy proposed to the portal "
                                 "or the original of such a copy."},
    )  # fmt: skip
    tenant = fields.Str(required=True, metadata={"description": "The same as site (kept for older callers)."})
    tenant_name = fields.Str(required=True)
    published_at = fields.Str(required=True, allow_none=True, metadata={"format": "date-time"})


class FacetValueSchema(Schema):
    value = fields.Raw(required=True, metadata={"description": "The filter's value (a site code, a type, a year)."})
    label = fields.Str(required=True)
    count = fields.Int(required=True)


class FacetsSchema(Schema):
    site = fields.List(fields.Nested(FacetValueSchema), required=True)
    type = fields.List(fields.Nested(FacetValueSchema), required=True)
    year = fields.List(fields.Nested(FacetValueSchema), required=True)


class SearchResponseSchema(Schema):
    """A page of results with the facets; each facet counts the matches as if its own filter were not set."""

    items = fields.List(fields.Nested(SearchHitSchema), required=True)
    page = fields.Int(required=True)
    per_page = fields.Int(required=True)
    total = fields.Int(required=True)
    facets = fields.Nested(FacetsSchema, required=True)


def hit_json(hit):
    return {
        "id": hit.object_id,
        "title": hit.title,
        "url": hit.url,
        "snippet": str(hit.snippet),
        "summary": hit.summary,
        "type": hit.content_type,
        "kind": hit.kind,
        "site": hit.tenant_code,
        "site_name": hit.tenant_name,
        "sites": [{"code": code, "name": name} for code, name in hit.sites],
        "tenant": hit.tenant_code,
        "tenant_name": hit.tenant_name,
        "published_at": isoformat(hit.date),
    }


@api_bp.get("/search")
@operation(tags=["search"], query=SearchQuery, response=SearchResponseSchema)
def api_search():
    """Search published items (portal: every site; subsite: its own, or all with scope=all or site=)."""
    q = (request.args.get("q") or "").strip()
    if not q:
        raise APIError(400, "Give a search query in q.", fields={"q": "required"})
    if len(q) > MAX_QUERY:
        raise APIError(400, f"The query is longer than {MAX_QUERY} characters.", fields={"q": "too long"})
    for name, allowed in (("lang", ("vi", "en")), ("scope", ("all",))):
        value = request.args.get(name)
        if value is not None and value not in allowed:
            raise APIError(400, f"{name} must be one of: {', '.join(allowed)}.", fields={name: "unknown"})
    page_number, per_page = page_args()
    try:
        filters, _ = filters_from_request()
    except FilterError as exc:
        raise APIError(400, str(exc), fields={exc.name: "unknown"}) from None
    found = cached_search(q, filters, page_number, per_page)
    return {
        "items": [hit_json(hit) for hit in found.hits],
        "page": page_number,
        "per_page": per_page,
        "total": found.total,
        "facets": found.facets,
    }
