"""Whole-page cache for anonymous visitors: public pages are served from memory (or Redis) under load.

A page is cached only when the request carries no session cookie and the response sets none (so no
form with a CSRF token, no flash message, no logged-in user is ever cached). Keys hold the resolved
tenant and its normalised host (app/core/caching.py), the path with its query string, the language and
the *site generation*: a counter in the database that every committed write increases, so a change
anywhere is visible on the next request, in every worker. An entry also expires before the next
``publish_at``/``expire_at`` of any reviewable item, so scheduled items appear on time.
``PAGE_CACHE_SECONDS`` (0 = off) bounds the lifetime.
"""

import logging
from datetime import timedelta

from flask import current_app, g, request, session
from sqlalchemy import event, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core import caching
from app.core.models import SiteGeneration
from app.core.timeutil import utcnow
from app.extensions import db

log = logging.getLogger(__name__)
SKIP_PREFIXES = ("/api/", "/admin", "/login", "/logout", "/account", "/media/", "/static/", "/healthz", "/readyz")
CACHEABLE_TYPES = ("text/html", "application/atom+xml", "application/xml", "text/calendar", "text/plain")


def _on_flush(session, flush_context):
    if session.new or session.dirty or session.deleted:
        session.info["site_changed"] = True


def _before_commit(session):
    if session.new or session.dirty or session.deleted:
        session.info["site_changed"] = True
    if session.info.pop("site_changed", False):
        session.execute(update(SiteGeneration).where(SiteGeneration.id == 1).values(value=SiteGeneration.value + 1))


def _after_rollback(session):
    session.info.pop("site_changed", None)


def current_generation():
    value = db.session.execute(select(SiteGeneration.value).where(SiteGeneration.id == 1)).scalar()
    if value is None:
        db.session.add(SiteGeneration(id=1, value=0))
        try:
            db.session.commit()
        except IntegrityError:  # another worker created it first
            db.session.rollback()
        value = db.session.execute(select(SiteGeneration.value).where(SiteGeneration.id == 1)).scalar()
    return value


def _next_time_boundary(now):
    """Seconds until the next scheduled publication or expiry of any reviewable item (None if none)."""
    from app.workflow import registry

    soonest = None
    for ct in registry.all_types():
        model = ct.model
        for column in (model.publish_at, model.expire_at):
            moment = db.session.execute(select(func.min(column)).where(column > now)).scalar()
            if moment is not None and (soonest is None or moment < soonest):
                soonest = moment
    return None if soonest is None else max(1, int((soonest - now) / timedelta(seconds=1)) + 1)


def _key_parts():
    from app.core.i18n import select_locale

    # The tenant and its normalised host are added by caching.tenant_key (never the proxy's Host).
    return (request.full_path, select_locale(), g.page_cache_generation)


def _eligible():
    seconds = current_app.config.get("PAGE_CACHE_SECONDS", 0)
    return (
        seconds > 0
        and request.method in ("GET", "HEAD")
        and g.get("tenant") is not None
        and not request.path.startswith(SKIP_PREFIXES)
        and current_app.config["SESSION_COOKIE_NAME"] not in request.cookies
        and "lang" not in request.args  # that response sets the language cookie
    )


def serve_cached():
    """``before_request`` (after the tenant is resolved): answer from the cache when possible."""
    g.page_cache_key = None
    if not _eligible():
        return None
    g.page_cache_generation = current_generation()
    key = _key_parts()
    hit = caching.lookup("page", *key)
    if hit is not None:
        body, status, headers = hit
        response = current_app.response_class(body, status=status, headers=headers)
        response.headers["X-Page-Cache"] = "hit"
        return response
    g.page_cache_key = key
    return None


def store(response):
    """``after_request``: keep a fresh public page for the next visitors."""
    key = g.get("page_cache_key")
    if (
        not key
        or session.modified  # a CSRF token or a flash message: this page belongs to one visitor
        or response.status_code != 200
        or response.mimetype not in CACHEABLE_TYPES
        or "Set-Cookie" in response.headers
        or response.direct_passthrough
    ):
        return response
    ttl = current_app.config.get("PAGE_CACHE_SECONDS", 0)
    boundary = _next_time_boundary(utcnow())
    if boundary is not None:
        ttl = min(ttl, boundary)
    headers = [(k, v) for k, v in response.headers.items() if k.lower() not in ("content-length", "set-cookie")]
    caching.store("page", *key, value=(response.get_data(), response.status_code, headers), timeout=ttl)
    response.headers["X-Page-Cache"] = "miss"
    return response


def init_app(app):
    if not event.contains(Session, "after_flush", _on_flush):
        event.listen(Session, "after_flush", _on_flush)
        event.listen(Session, "before_commit", _before_commit)
        event.listen(Session, "after_rollback", _after_rollback)
    app.before_request(serve_cached)
    app.after_request(store)
