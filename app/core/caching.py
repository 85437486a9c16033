"""The one way to the shared cache: every key holds the resolved tenant and its normalised host.

Flask-Caching keys default to the path, and the Host header Flask receives may be a proxy's: a key built
here from ``g.tenant`` and ``g.tenant_host`` (set by the tenant resolver, after ProxyFix) can never answer
for another site. Nothing else imports ``app.extensions.cache`` (``tests/core/test_caching.py`` checks).

The cache store also keeps the *generations*: one random token per tenant, one for the portal (which
shows every subsite's news) and one for everything. A page is kept with the tokens it was rendered under
and served only while they are current; a commit replaces the tokens of the tenants it touched
(app/core/page_cache.py). The tokens live in the store itself, so with ``REDIS_URL`` every worker of every
server sees a change at once, and reading them costs the same round trip as the page.
"""

import hashlib
import secrets
import time

from flask import g

from app.extensions import cache

ALL = "all"
PORTAL = "portal"


def key_for(namespace, tenant_id, host, *parts):
    """The cache key of ``parts`` for ``tenant_id`` served on ``host`` (already normalised)."""
    raw = "\x1f".join([str(tenant_id), host, *(str(p) for p in parts)])
    return f"{namespace}:{tenant_id}:{hashlib.sha256(raw.encode('utf-8')).hexdigest()}"


def tenant_key(namespace, *parts):
    """The cache key of ``parts`` for the request's tenant and host.

    :raise RuntimeError: outside a request whose tenant is resolved.
    """
    tenant, host = g.get("tenant"), g.get("tenant_host")
    if tenant is None or not host:
        raise RuntimeError("cache keys need the request's tenant")
    return key_for(namespace, tenant.id, host, *parts)


def lookup(namespace, *parts):
    """The cached value of ``parts`` for this tenant and host, or None."""
    return cache.get(tenant_key(namespace, *parts))


def store(namespace, *parts, value, timeout):
    """Keep ``value`` under ``parts`` for this tenant and host for ``timeout`` seconds."""
    cache.set(tenant_key(namespace, *parts), value, timeout=timeout)


def backend(app):
    """The app's cache store itself (cachelib), for the page cache's WSGI layer that runs outside Flask."""
    return app.extensions["cache"][cache]


def generation_key(scope):
    """Store key of one generation: a tenant id, ``PORTAL`` or ``ALL``."""
    return f"generation:{scope}"


def new_generation():
    """A fresh generation token: when it was made (seconds, for Last-Modified) and a random part."""
    return f"{time.time():.3f}:{secrets.token_hex(6)}"


def generations(store_, tenant_id):
    """The current (everything, tenant, portal) generations and nothing else, in one round trip."""
    return tuple(store_.get_many(generation_key(ALL), generation_key(tenant_id), generation_key(PORTAL)))


def ensure_generations(store_, tenant_id):
    """The current generations of ``tenant_id``, creating any the store does not hold (first run, eviction)."""
    scopes = (ALL, tenant_id, PORTAL)
    current = list(store_.get_many(*(generation_key(s) for s in scopes)))
    for index, scope in enumerate(scopes):
        if current[index] is None:
            store_.add(generation_key(scope), new_generation(), timeout=0)
            current[index] = store_.get(generation_key(scope))
    return tuple(current)


def bump_generations(store_, scopes):
    """Replace the generations of ``scopes``: every page rendered under the old ones is stale at once."""
    # A random token, not a counter: two workers bumping at once can never land on the same value.
    store_.set_many({generation_key(scope): new_generation() for scope in scopes}, timeout=0)
