"""Resolve the request's Host header to a tenant (R-01): the one tenant resolver.

The host map (host name -> tenant id) is cached per process and rebuilt when a tenant changes
here, when it is older than ``HOST_MAP_TTL`` seconds, or when a host is not in it (so a tenant
created by another worker serves at once). Unknown hosts get 404 and malformed ones 400: a
request is never answered with another tenant's site.
"""

import re
import threading
import time

from flask import abort, current_app, g, has_request_context, request, url_for
from sqlalchemy import select
from werkzeug.local import LocalProxy

from app.core.models import Tenant
from app.extensions import db

HOST_MAP_TTL = 30.0
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
HOSTNAME_RE = re.compile(rf"^{_LABEL}(?:\.{_LABEL})*$")
# Paths answered on any host, even an unknown one: they reveal nothing of a tenant.
HOSTLESS_PREFIXES = ("/healthz", "/readyz", "/static/")

_lock = threading.Lock()
_host_map = {"hosts": {}, "loaded_at": 0.0}


class MalformedHost(ValueError):
    """The Host header is empty or not a plain host name with an optional numeric port."""


def normalise_host(raw):
    """Return the lower-case host name without port.

    :raise MalformedHost: for an empty host, junk characters, a trailing dot or a bad port.
    """
    value = (raw or "").strip().lower()
    if not value:
        raise MalformedHost("empty host")
    if value.startswith("["):  # IPv6 literal: never a tenant, but a well-formed request.
        end = value.find("]")
        if end < 0:
            raise MalformedHost(value)
        host, rest = value[: end + 1], value[end + 1 :]
        if rest and not (rest.startswith(":") and rest[1:].isdigit() and len(rest) <= 6):
            raise MalformedHost(value)
        return host
    host, sep, port = value.partition(":")
    if sep and not (port.isdigit() and len(port) <= 5 and int(port) <= 65535):
        raise MalformedHost(value)
    if len(host) > 253 or not HOSTNAME_RE.match(host):
        raise MalformedHost(value)
    return host


def tenant_hosts(tenant, base_domain):
    """Every host name that serves ``tenant``: its primary host and its aliases."""
    hosts = [base_domain, f"www.{base_domain}"] if tenant.kind == "portal" else [f"{tenant.code}.{base_domain}"]
    hosts.extend(alias.strip().lower() for alias in (tenant.aliases or []) if alias and alias.strip())
    return hosts


def primary_host(tenant):
    base = current_app.config["BASE_DOMAIN"]
    return base if tenant.kind == "portal" else f"{tenant.code}.{base}"


def _build_host_map():
    base = current_app.config["BASE_DOMAIN"]
    hosts = {}
    rows = db.session.execute(select(Tenant).where(Tenant.active.is_(True)).order_by(Tenant.id)).scalars()
    for tenant in rows:
        for host in tenant_hosts(tenant, base):
            hosts.setdefault(host, tenant.id)
    return hosts


def invalidate_host_map():
    """Forget the cached host map; call after any change to tenants or their aliases."""
    with _lock:
        _host_map["loaded_at"] = 0.0


def lookup_tenant_id(host):
    """Return the id of the tenant serving ``host`` (already normalised), or None."""
    now = time.monotonic()
    with _lock:
        fresh = now - _host_map["loaded_at"] < HOST_MAP_TTL
        tenant_id = _host_map["hosts"].get(host) if fresh else None
    if tenant_id is not None:
        return tenant_id
    hosts = _build_host_map()
    with _lock:
        _host_map["hosts"], _host_map["loaded_at"] = hosts, time.monotonic()
    return hosts.get(host)


def request_host():
    """The raw host the client asked for; behind trusted proxies ProxyFix has already put it here."""
    if "HTTP_HOST" in request.environ:
        return request.environ["HTTP_HOST"]
    return request.environ.get("SERVER_NAME", "")


def resolve_tenant():
    """``before_request`` hook: put the request's tenant on ``g`` or refuse the request."""
    g.tenant = g.tenant_host = None
    if request.path.startswith(HOSTLESS_PREFIXES):
        return None
    try:
        host = normalise_host(request_host())
    except MalformedHost:
        g.host_error = "malformed"
        abort(400)
    tenant_id = lookup_tenant_id(host)
    tenant = db.session.get(Tenant, tenant_id) if tenant_id else None
    if tenant is None or not tenant.active:
        g.host_error = "unknown"
        abort(404)
    g.tenant, g.tenant_host = tenant, host
    return None


current_tenant = LocalProxy(lambda: g.get("tenant"))


def get_portal():
    return db.session.execute(select(Tenant).where(Tenant.kind == "portal")).scalars().first()


def public_base_url(tenant):
    """``scheme://host[:port]`` of ``tenant`` as the public reaches it (``PUBLIC_SCHEME``, ``PUBLIC_PORT``).

    Never the request's Host header: a port or alias a client typed must not end up in a feed, an email or
    a cached page that other visitors get.
    """
    scheme = current_app.config.get("PUBLIC_SCHEME") or "http"
    port = str(current_app.config.get("PUBLIC_PORT") or "")
    default = "443" if scheme == "https" else "80"
    host = primary_host(tenant)
    return f"{scheme}://{host}:{port}" if port and port != default else f"{scheme}://{host}"


def tenant_url(tenant, endpoint, _external=True, **values):
    """Build a URL for ``endpoint`` on ``tenant``'s public host, inside or outside a request."""
    base = public_base_url(tenant)
    if has_request_context():
        path = url_for(endpoint, **values)
    else:
        with current_app.test_request_context(base_url=base):
            path = url_for(endpoint, **values)
    return base + path if _external else path


def tenant_home_url(tenant):
    return tenant_url(tenant, "public.home")
