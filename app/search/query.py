"""One search: the ranked page of results, its total and the facets (site, type, year), on either database.

Ranking (R-24): the title weighs more than the summary, the summary more than the body, and the exact
phrase adds to all three; on a subsite its own items come first (a boost, not a wall); recency breaks ties.
A copy proposed to the portal and its original are one result: the one on the searching site, else the
original, naming both sites.
"""

import os
from dataclasses import dataclass, field

from flask import current_app, g
from flask_babel import get_locale
from sqlalchemy import and_, case, desc, exists, func, or_, select

from app.core.models import Tenant
from app.core.scoping import scope_filter_many
from app.core.timeutil import utcnow
from app.extensions import db
from app.search import backends
from app.search.indexing import SearchHit
from app.search.models import SearchEntry
from app.search.snippets import snippet
from app.workflow import registry

OWN_SITE_BOOST = 1.5
NAMED_SITE_BOOST = 2.0
# A query naming more sites than this ("ubnd", "so") names none in particular.
MAX_NAMED_SITES = 3


@dataclass
class Filters:
    """What to search: ``tenant_ids`` (the scope), the facet filters and the language."""

    tenant_ids: list
    own_tenant_id: int | None = None  # the searching site (its items win a syndicated pair)
    boost_tenant_id: int | None = None  # the searching site, whose own items are boosted
    named_tenant_ids: list = field(default_factory=list)  # sites the query names ("dong xoai"), boosted too
    portal_id: int | None = None
    language: str = "vi"
    site: int | None = None
    type: str | None = None
    year: int | None = None


@dataclass
class Results:
    hits: list
    total: int
    facets: dict = field(default_factory=dict)


def _live(table, now):
    return [
        or_(table.c.publish_at.is_(None), table.c.publish_at <= now),
        or_(table.c.expire_at.is_(None), table.c.expire_at > now),
    ]


def _duplicate(table, filters, now, tenant_ids):
    """True for a row whose syndicated twin is shown instead (the twin on the searching site, else the original)."""
    twin = SearchEntry.__table__.alias("twin")
    preferred = exists().where(
        twin.c.group_key == table.c.group_key,
        twin.c.language == table.c.language,
        twin.c.id != table.c.id,
        twin.c.tenant_id.in_(tenant_ids),
        *_live(twin, now),
        or_(twin.c.tenant_id == (filters.own_tenant_id or -1), table.c.tenant_id == (filters.portal_id or -1)),
    )
    return and_(table.c.syndicated.is_(True), table.c.tenant_id != (filters.own_tenant_id or -1), preferred)


CACHE_SECONDS = 300


def cached_search(q, filters, page=1, per_page=20):
    """:func:`search`, kept in the shared cache until the index or a site changes (every write to the index
    replaces the cache's generations, app/core/page_cache.py) or an item's ``publish_at``/``expire_at`` passes.

    The facets and the total of a broad query are counted over every match: the cache spares a popular query
    that cost (Elasticsearch's request cache does the same for aggregations).
    """
    parts = (repr(sorted(filters.__dict__.items())), tuple(backends.terms(q)), page, per_page)
    return cached("search", parts, filters.own_tenant_id, lambda: search(q, filters, page, per_page))


def cached(namespace, parts, tenant_id, compute):
    """``compute()``, kept in the shared cache under ``parts`` and the current generations (see above)."""
    from app.core import caching

    now = utcnow()
    seconds = cache_seconds()
    if seconds <= 0:
        return compute()
    try:
        tokens = caching.ensure_generations(caching.backend(current_app), tenant_id or 0)
    except Exception:  # no cache store: search all the same
        return compute()
    key = ("v1", *tokens, *parts)
    found = caching.lookup(namespace, *key)
    if found is not None:
        return found
    found = compute()
    lifetime = min(seconds, _seconds_to_next_change(now))
    if lifetime >= 1:
        caching.store(namespace, *key, value=found, timeout=int(lifetime))
    return found


def cache_seconds():
    """How long a search is kept: ``SEARCH_CACHE_SECONDS`` (config, else the environment); 0 turns it off."""
    value = current_app.config.get("SEARCH_CACHE_SECONDS", os.environ.get("SEARCH_CACHE_SECONDS", CACHE_SECONDS))
    try:
        return int(value)
    except (TypeError, ValueError):
        return CACHE_SECONDS


def _seconds_to_next_change(now):
    """Seconds until the next ``publish_at`` or ``expire_at`` of the index passes (what is visible changes)."""
    table = SearchEntry.__table__
    moments = [
        db.session.execute(select(func.min(column)).where(column > now)).scalar()
        for column in (table.c.publish_at, table.c.expire_at)
    ]
    upcoming = [(m - now).total_seconds() for m in moments if m is not None]
    return min(upcoming, default=CACHE_SECONDS)


def search(q, filters, page=1, per_page=20, now=None, with_facets=True):
    """Search ``q`` with ``filters``; return :class:`Results` (an empty query finds nothing)."""
    words = backends.terms(q)
    if not words or not filters.tenant_ids:
        return Results([], 0, _empty_facets() if with_facets else {})
    now = now or utcnow()
    match = backends.Query(db.engine.dialect.name, words)
    table = SearchEntry.__table__
    base = [match.condition(), table.c.language == filters.language, *_live(table, now)]
    scope = [scope_filter_many(SearchEntry, filters.tenant_ids)]

    # The page: every filter, duplicates left out among the sites really searched.
    shown = [filters.site] if filters.site else filters.tenant_ids
    conditions = [*base, scope_filter_many(SearchEntry, shown)]
    if filters.type:
        conditions.append(table.c.content_type == filters.type)
    if filters.year:
        conditions.append(table.c.year == filters.year)
    if not filters.site:
        conditions.append(~_duplicate(table, filters, now, shown))
    score = match.score()
    if filters.boost_tenant_id:
        score = score * case((table.c.tenant_id == filters.boost_tenant_id, OWN_SITE_BOOST), else_=1.0)
    named = named_sites(match.words, match.prefix, filters.tenant_ids)
    if named:
        score = score * case((table.c.tenant_id.in_(named), NAMED_SITE_BOOST), else_=1.0)
    columns = (table.c.id, table.c.object_id, table.c.content_type, table.c.tenant_id, table.c.title,
               table.c.summary, table.c.body, table.c.url, table.c.published_at, table.c.syndicated,
               table.c.group_key)  # fmt: skip
    stmt = (
        select(*columns)
        .select_from(match.source())
        .where(*conditions)
        .order_by(desc(score), table.c.published_at.desc(), table.c.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    rows = db.session.execute(stmt).all()
    if with_facets:
        total, facets = _facets(match, base + scope, filters, now)
    else:
        total, facets = None, {}
    return Results(_hits(rows, match, filters, now), total, facets)


def named_sites(words, prefix, tenant_ids):
    """The ids of the sites (among ``tenant_ids``) whose name holds every word of the query: searching "dong xoai"
    puts the Đồng Xoài site's own pages first."""
    *whole, last = words
    named = []
    for tenant in _tenants().values():
        name = set(backends.terms(tenant.name_vi)) | {tenant.code}
        last_found = any(w == last or (prefix and w.startswith(last)) for w in name)
        if tenant.id in tenant_ids and set(whole) <= name and last_found:
            named.append(tenant.id)
    return named if len(named) <= MAX_NAMED_SITES else []


def _facets(match, conditions, filters, now):
    """``(total, facets)`` from one grouped pass over the matches; each facet ignores its own filter."""
    table = SearchEntry.__table__
    duplicate = case((_duplicate(table, filters, now, filters.tenant_ids), 1), else_=0)
    matches = (
        select(table.c.tenant_id, table.c.content_type, table.c.year, duplicate.label("dup"))
        .select_from(match.source())
        .where(*conditions)
        .subquery()
    )
    keys = (matches.c.tenant_id, matches.c.content_type, matches.c.year, matches.c.dup)
    counts = db.session.execute(select(*keys, func.count()).group_by(*keys)).all()
    site, kind, year = {}, {}, {}
    total = 0
    for tenant_id, content_type, y, dup, n in counts:
        ok_site = not filters.site or tenant_id == filters.site
        ok_type = not filters.type or content_type == filters.type
        ok_year = not filters.year or y == filters.year
        # With one site chosen there is no twin to prefer: every row of it counts.
        counted = n if (filters.site or not dup) else 0
        if ok_type and ok_year:
            site[tenant_id] = site.get(tenant_id, 0) + n
        if ok_site and ok_year and counted:
            kind[content_type] = kind.get(content_type, 0) + counted
        if ok_site and ok_type and counted and y is not None:
            year[y] = year.get(y, 0) + counted
        if ok_site and ok_type and ok_year:
            total += counted
    return total, _labelled(site, kind, year)


def _empty_facets():
    return {"site": [], "type": [], "year": []}


@dataclass(frozen=True)
class Site:
    id: int
    code: str
    name_vi: str
    name_en: str


def _tenants():
    """``{id: Site}`` of every tenant, read once per request (only the columns a result shows)."""
    if "search_sites" not in g:
        rows = db.session.execute(select(Tenant.id, Tenant.code, Tenant.name_vi, Tenant.name_en))
        g.search_sites = {row.id: Site(row.id, row.code, row.name_vi, row.name_en or "") for row in rows}
    return g.search_sites


def _tenant_name(tenant):
    english = str(get_locale() or "vi") == "en"
    return (tenant.name_en if english and getattr(tenant, "name_en", None) else tenant.name_vi) if tenant else ""


def _labelled(site, kind, year):
    tenants = _tenants()
    labels = {ct.name: str(ct.label) for ct in registry.all_types()}
    by_count = lambda pair: (-pair[1], str(pair[0]))  # noqa: E731
    return {
        "site": [
            {"value": tenants[t].code, "label": _tenant_name(tenants[t]), "count": n}
            for t, n in sorted(site.items(), key=by_count)
            if t in tenants
        ],
        "type": [{"value": k, "label": labels.get(k, k), "count": n} for k, n in sorted(kind.items(), key=by_count)],
        "year": [{"value": y, "label": str(y), "count": n} for y, n in sorted(year.items(), reverse=True)],
    }


def _hits(rows, match, filters, now):
    tenants = _tenants()
    labels = {ct.name: str(ct.label) for ct in registry.all_types()}
    twins = _twins([row for row in rows if row.syndicated], filters, now)
    prefix = match.words[-1] if match.prefix else None
    exact = match.words[:-1] if match.prefix else match.words
    hits = []
    for row in rows:
        tenant = tenants.get(row.tenant_id)
        sites = [(tenant.code, _tenant_name(tenant))] if tenant else []
        for other in twins.get(row.group_key, ()):
            if other != row.tenant_id and other in tenants:
                sites.append((tenants[other].code, _tenant_name(tenants[other])))
        hits.append(
            SearchHit(
                title=row.title,
                url=row.url,
                summary=row.summary,
                kind=labels.get(row.content_type, row.content_type),
                tenant_name=_tenant_name(tenant),
                date=row.published_at,
                content_type=row.content_type,
                tenant_code=tenant.code if tenant else "",
                object_id=row.object_id,
                snippet=snippet([row.summary, row.body], exact, prefix),
                sites=sites,
            )
        )
    return hits


def _twins(rows, filters, now):
    """``{group_key: [tenant ids]}`` of the live rows of the syndicated groups among ``rows``."""
    if not rows:
        return {}
    table = SearchEntry.__table__
    found = {}
    stmt = select(table.c.group_key, table.c.tenant_id).where(
        table.c.group_key.in_({row.group_key for row in rows}),
        table.c.language == filters.language,
        scope_filter_many(SearchEntry, filters.tenant_ids),
        *_live(table, now),
    )
    for key, tenant_id in db.session.execute(stmt):
        found.setdefault(key, []).append(tenant_id)
    return found
