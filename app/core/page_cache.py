"""Whole-page cache for anonymous visitors: a hit is answered before Flask runs, without the database.

A page is cached only when the request carries no session cookie and the response sets none (so no form with
a CSRF token, no flash message, no logged-in user is ever cached). Keys hold the resolved tenant and its
normalised host (app/core/caching.py), the scheme, the path with its query string and the language.

An entry is kept with the *generations* it was rendered under (random tokens in the cache store itself, one
per tenant, one for the portal and one for everything) and is served only while they are current. A commit
that writes a tenant's rows replaces that tenant's token and the portal's (the portal lists every subsite's
news); a change of a tenant itself, or of a row of no tenant, replaces the token of everything. So an edit on
stc leaves dongxoai's pages cached, and with ``REDIS_URL`` every worker of every server sees it at once.
An entry also expires before the next ``publish_at``/``expire_at`` of an item its site shows, so scheduled
items appear and disappear on time; ``PAGE_CACHE_SECONDS`` (0 = off) bounds the lifetime.

A hit is answered by :class:`CachedPages`, WSGI middleware inside ProxyFix: host -> tenant from the process's
host map, then one ``get_many`` of the three generations and the entry. Anything it is unsure of (a stale
host map, a cookie, ``?lang=``) goes to Flask, which renders the page and stores it (:func:`finish`).
"""

import logging
import re
import secrets
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl

from flask import current_app, g, has_app_context, request, session
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session
from werkzeug.http import is_resource_modified, parse_accept_header, parse_cookie

from app.core import caching, http_caching
from app.core.i18n import LANG_COOKIE
from app.core.models import Tenant
from app.core.tenancy import MalformedHost, cached_tenant_id, normalise_host
from app.core.timeutil import utcnow
from app.extensions import db

log = logging.getLogger(__name__)
# /search has a cache of its own (app/search), invalidated by the index: its pages are not kept here.
SKIP_PREFIXES = (
    "/api/",
    "/admin",
    "/login",
    "/logout",
    "/account",
    "/media/",
    "/static/",
    "/healthz",
    "/readyz",
    "/search",
)
CACHEABLE_TYPES = ("text/html", "application/atom+xml", "application/xml", "text/calendar", "text/plain")
# Rows no public page shows: writing them (a login, a token, the audit log, the worker's outbox and job runs, a
# staff notice, the review history) keeps every page cached. A table not named here invalidates: the safe default.
IGNORED_TABLES = frozenset(
    {
        "audit_event",
        "user",
        "api_token",
        "membership",
        "site_generation",
        "outbox_message",
        "staff_notice",
        "task_run",
        "workflow_transition",
        "workflow_revision",
        "report_evaluation",
        "procedure_import_batch",
        "search_entry",  # the index follows content writes, which invalidate; search pages are not kept here
    }
)
_NONCE = re.compile(r"'nonce-[^']*'")
# Left out of a 304: they describe a body it does not have.
_NOT_IN_304 = frozenset({"content-type", "content-length", "content-encoding", "content-disposition"})


# Invalidation: which generations a commit replaces.


def _scopes_of(obj):
    if getattr(obj, "__tablename__", None) in IGNORED_TABLES:
        return ()
    if isinstance(obj, Tenant):
        return (caching.ALL,)  # names, hosts and links of a site show on every other site
    tenant_id = getattr(obj, "tenant_id", None)
    return (caching.ALL,) if tenant_id is None else (tenant_id, caching.PORTAL)


def _after_flush(session_, flush_context):
    scopes = session_.info.setdefault("page_cache_scopes", set())
    for obj in (*session_.new, *session_.deleted):
        scopes.update(_scopes_of(obj))
    for obj in session_.dirty:
        if session_.is_modified(obj, include_collections=False):
            scopes.update(_scopes_of(obj))


def _on_orm_execute(state):
    """Bulk INSERT/UPDATE/DELETE statements name no rows: they replace the generation of everything."""
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) not in IGNORED_TABLES:
            state.session.info.setdefault("page_cache_scopes", set()).add(caching.ALL)


def _after_commit(session_):
    scopes = session_.info.pop("page_cache_scopes", None)
    if scopes and has_app_context():
        try:
            caching.bump_generations(caching.backend(current_app), scopes)
        except Exception:  # the cache store is down: the write stands; pages may be stale for their lifetime
            log.exception("could not invalidate the page cache for %s", sorted(map(str, scopes)))


def _after_rollback(session_):
    session_.info.pop("page_cache_scopes", None)


def invalidate_all():
    """Make every cached page stale (after a restore or anything written outside the ORM)."""
    caching.bump_generations(caching.backend(current_app), (caching.ALL,))


# Keys and lifetimes.


def _request_key(app, environ, tenant_id=None):
    """``(tenant_id, host, parts)`` of a request the cache may answer, from the WSGI environ alone; else None.

    :param tenant_id: the tenant already resolved (in Flask); by default the process's host map says.
    """
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return None
    path = environ.get("PATH_INFO") or "/"
    if path.startswith(SKIP_PREFIXES):
        return None
    cookies = parse_cookie(environ.get("HTTP_COOKIE")) if environ.get("HTTP_COOKIE") else {}
    if app.config["SESSION_COOKIE_NAME"] in cookies:
        return None
    query = environ.get("QUERY_STRING", "")
    if query and any(name == "lang" for name, _value in parse_qsl(query, keep_blank_values=True)):
        return None  # that response sets the language cookie
    try:
        host = normalise_host(environ.get("HTTP_HOST") or environ.get("SERVER_NAME", ""))
    except MalformedHost:
        return None
    tenant_id = tenant_id or cached_tenant_id(host)
    if tenant_id is None:
        return None
    # The language as app.core.i18n.select_locale chooses it when there is no ?lang=.
    locale = cookies.get(LANG_COOKIE)
    if locale not in app.config["LANGUAGES"]:
        locale = app.config["BABEL_DEFAULT_LOCALE"]
    return tenant_id, host, (environ.get("wsgi.url_scheme", "http"), path, query, locale)


def next_time_boundary(now, tenant_id=None):
    """Seconds until the next scheduled publication or expiry of an item (of ``tenant_id``; None: of any)."""
    from app.workflow import registry

    soonest = None
    for ct in registry.all_types():
        model = ct.model
        for column in (model.publish_at, model.expire_at):
            query = select(func.min(column)).where(column > now)
            if tenant_id is not None:
                query = query.where(model.tenant_id == tenant_id)
            moment = db.session.execute(query).scalar()
            if moment is not None and (soonest is None or moment < soonest):
                soonest = moment
    return None if soonest is None else max(1, int((soonest - now) / timedelta(seconds=1)) + 1)


_next_time_boundary = next_time_boundary  # the name tests/core/test_page_cache.py knows


def _seconds_to_boundary(store_, tenant, generations):
    """Seconds to the next boundary of the pages of ``tenant`` (the portal shows every site's items).

    Kept in the store under the generations: a commit that could move a boundary replaces them, so the
    reviewable tables are queried once per change, not once per page rendered.
    """
    key = f"boundary:{tenant.id}"
    now = time.time()
    kept = store_.get(key)
    if kept is not None and kept[0] == generations and (kept[1] is None or kept[1] > now + 1):
        return None if kept[1] is None else int(kept[1] - now)
    seconds = next_time_boundary(utcnow(), None if tenant.is_portal else tenant.id)
    store_.set(key, (generations, None if seconds is None else now + seconds), timeout=0)
    return seconds


# The Flask side: headers of public pages, storing an entry.


def _is_public(response):
    """Whether ``response`` is the same for every anonymous visitor, so any cache may keep it."""
    return (
        request.method in ("GET", "HEAD")
        and response.status_code == 200
        and g.get("tenant") is not None
        and not request.path.startswith(SKIP_PREFIXES)
        and response.mimetype in CACHEABLE_TYPES
        and not response.direct_passthrough
        and not response.is_streamed
        and current_app.config["SESSION_COOKIE_NAME"] not in request.cookies
        and not session.modified  # a CSRF token or a flash message: this page belongs to one visitor
        and "Set-Cookie" not in response.headers
    )


def finish(response):
    """``after_request`` of every response (after the security headers are set): validators, Cache-Control,
    compression, and a copy in the page cache for the next visitors."""
    if response.headers.get("X-Page-Cache") == "hit":
        return response  # answered by serve_or_remember: as it was stored
    if not _is_public(response):
        if (
            g.get("tenant") is not None
            and not request.path.startswith(("/api/", "/static/", "/media/"))
            and "Cache-Control" not in response.headers
        ):
            response.headers["Cache-Control"] = "private, no-cache"  # never in a shared cache
        return http_caching.compress(response)
    ttl = current_app.config.get("PAGE_CACHE_SECONDS", 0)
    key = _request_key(current_app, request.environ, g.tenant.id) if ttl > 0 and not g.get("page_cache_down") else None
    generations = None
    if key is not None:
        store_ = caching.backend(current_app)
        generations = g.get("page_cache_generations") or caching.ensure_generations(store_, g.tenant.id)
        if not g.tenant.is_portal:
            generations = generations[:2]
        boundary = _seconds_to_boundary(store_, g.tenant, generations)
        if boundary is not None:
            ttl = min(ttl, boundary)
        response.last_modified = datetime.fromtimestamp(int(time.time()), UTC)
    http_caching.set_public_headers(response, ttl if key is not None else None)
    variants = http_caching.Variants.of(response)
    if key is not None:
        entry = {
            "generations": generations,
            "expires": time.time() + ttl,
            "stored": time.time(),
            "status": response.status_code,
            "headers": [(k, v) for k, v in response.headers.items() if k.lower() not in ("content-length",)],
            "body": variants.body,
            "etag": variants.etag,
            "gzip": variants.gzip_body,
            "last_modified": response.headers.get("Last-Modified"),
        }
        caching.backend(current_app).set(caching.key_for("page", *key[:2], *key[2]), entry, timeout=ttl)
        response.headers["X-Page-Cache"] = "miss"
    return variants.answer(response, request)


def serve_or_remember():
    """``before_request`` (the tenant resolved): answer from the cache what the WSGI layer could not (its host
    map was stale), else note the generations as the request starts: a page rendered while a commit lands is
    then stored under the old ones and never served."""
    g.page_cache_generations = None
    if current_app.config.get("PAGE_CACHE_SECONDS", 0) <= 0 or g.get("tenant") is None:
        return None
    key = _request_key(current_app, request.environ, g.tenant.id)
    if key is None:
        return None
    try:
        answer = answer_from_cache(current_app, request.environ, key)
    except Exception:  # the cache store is down: render the page (and do not try to store it)
        log.warning("page cache lookup failed", exc_info=True)
        g.page_cache_down = True
        return None
    if answer is not None:
        status, headers, body = answer
        return current_app.response_class(body, status=status, headers=headers)
    g.page_cache_generations = caching.ensure_generations(caching.backend(current_app), g.tenant.id)
    return None


# The WSGI side: answering a hit.


def answer_from_cache(app, environ, key=None):
    """``(status, headers, body)`` of the cached page for this request, or None (Flask renders it)."""
    key = key or _request_key(app, environ)
    if key is None:
        return None
    tenant_id, host, parts = key
    store_ = caching.backend(app)
    *current, entry = store_.get_many(
        caching.generation_key(caching.ALL),
        caching.generation_key(tenant_id),
        caching.generation_key(caching.PORTAL),
        caching.key_for("page", tenant_id, host, *parts),
    )
    if entry is None:
        return None
    kept = entry["generations"]
    now = time.time()
    if tuple(current[: len(kept)]) != tuple(kept) or entry["expires"] <= now:
        return None
    gzip = entry["gzip"] is not None and "gzip" in parse_accept_header(environ.get("HTTP_ACCEPT_ENCODING"))
    etag = http_caching.variant_etag(entry["etag"], gzip)
    nonce = f"'nonce-{secrets.token_urlsafe(24)}'"  # never the nonce of another response
    headers = [
        (k, _NONCE.sub(nonce, v) if k.lower() == "content-security-policy" else v)
        for k, v in entry["headers"]
        if k.lower() != "etag"
    ]
    headers += [("ETag", etag), ("Age", str(int(now - entry["stored"]))), ("X-Page-Cache", "hit")]
    if not is_resource_modified(environ, etag=etag, last_modified=entry["last_modified"]):
        return "304 NOT MODIFIED", [(k, v) for k, v in headers if k.lower() not in _NOT_IN_304], b""
    body = entry["gzip"] if gzip else entry["body"]
    if gzip:
        headers.append(("Content-Encoding", "gzip"))
    headers.append(("Content-Length", str(len(body))))
    return "200 OK", headers, b"" if environ["REQUEST_METHOD"] == "HEAD" else body


class CachedPages:
    """WSGI middleware: answer cached anonymous pages before Flask (and its database session) runs."""

    def __init__(self, flask_app, wsgi_app):
        self.flask_app = flask_app
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if self.flask_app.config.get("PAGE_CACHE_SECONDS", 0) > 0:
            try:
                answer = answer_from_cache(self.flask_app, environ)
            except Exception:  # the cache store is down: render the page instead
                log.warning("page cache lookup failed", exc_info=True)
                answer = None
            if answer is not None:
                status, headers, body = answer
                start_response(status, headers)
                return [body]
        return self.wsgi_app(environ, start_response)


def init_app(app):
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "do_orm_execute", _on_orm_execute)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)
    app.before_request(serve_or_remember)
    app.after_request(finish)
    # Inside ProxyFix (app/core/proxy.py), so the host and scheme are the visitor's, as Flask sees them.
    outer = app.wsgi_app
    if hasattr(outer, "wsgi_app"):
        outer.wsgi_app = CachedPages(app, outer.wsgi_app)
    else:
        app.wsgi_app = CachedPages(app, outer)
    http_caching.init_app(app)
