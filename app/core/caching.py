"""The one way to the shared cache: every key holds the resolved tenant and its normalised host.

Flask-Caching keys default to the path, and the Host header Flask receives may be a proxy's: a key built
here from ``g.tenant`` and ``g.tenant_host`` (set by the tenant resolver, after ProxyFix) can never answer
for another site. Nothing else imports ``app.extensions.cache`` (``tests/core/test_caching.py`` checks).
"""

import hashlib

from flask import g

from app.extensions import cache


def tenant_key(namespace, *parts):
    """The cache key of ``parts`` for the request's tenant and host.

    :raise RuntimeError: outside a request whose tenant is resolved.
    """
    tenant, host = g.get("tenant"), g.get("tenant_host")
    if tenant is None or not host:
        raise RuntimeError("cache keys need the request's tenant")
    raw = "\x1f".join([str(tenant.id), host, *(str(p) for p in parts)])
    return f"{namespace}:{tenant.id}:{hashlib.sha256(raw.encode('utf-8')).hexdigest()}"


def lookup(namespace, *parts):
    """The cached value of ``parts`` for this tenant and host, or None."""
    return cache.get(tenant_key(namespace, *parts))


def store(namespace, *parts, value, timeout):
    """Keep ``value`` under ``parts`` for this tenant and host for ``timeout`` seconds."""
    cache.set(tenant_key(namespace, *parts), value, timeout=timeout)
