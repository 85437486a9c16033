"""Resolve the request's Host header to a tenant (R-01): the one tenant resolver.

The host map (host name -> tenant id) is cached per process and rebuilt when a tenant changes
here, when it is older than ``HOST_MAP_TTL`` seconds, or when a host is not in it (so a tenant
created by another worker serves at once). Unknown hosts get 404 and malformed ones 400: a
request is never answered with another tenant's site.

Hosts that moved (a former host, the hosts of a merged tenant, the hosts of a former base domain)
answer 301 to the same path on the tenant's host now (its successor's after a merger, through the
merged tenant's redirects when the item's path changed), never a page of their own.
"""

import re
import threading
import time

from flask import abort, current_app, g, has_request_context, redirect, request, url_for
from sqlalchemy import select
from werkzeug.local import LocalProxy

from app.core.models import FormerHost, Redirect, Tenant
from app.extensions import db

HOST_MAP_TTL = 30.0
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
HOSTNAME_RE = re.compile(rf"^{_LABEL}(?:\.{_LABEL})*$")
# Paths answered on any host, even an unknown one: they reveal nothing of a tenant.
HOSTLESS_PREFIXES = ("/healthz", "/readyz", "/metrics", "/static/")

_lock = threading.Lock()
_host_map = {"hosts": {}, "moved": {}, "base": "", "config_base": "", "loaded_at": 0.0}
# A merged tenant may have been merged again: follow at most this many successors.
MAX_SUCCESSORS = 8


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
    base = base_domain()
    return base if tenant.kind == "portal" else f"{tenant.code}.{base}"


def _build_host_map():
    """``(hosts, moved, base)``: the hosts served (host -> tenant id), the hosts that moved (host -> the id of
    the tenant they served) and the base domain in force."""
    config_base = current_app.config["BASE_DOMAIN"]
    rows = db.session.execute(select(Tenant).where(Tenant.active.is_(True)).order_by(Tenant.id)).scalars().all()
    portal = next((t for t in rows if t.kind == "portal"), None)
    base = (portal.base_domain if portal is not None else "") or config_base
    hosts, moved = {}, {}
    for tenant in rows:
        target = moved if tenant.state == "merged" else hosts
        for host in tenant_hosts(tenant, base):
            target.setdefault(host, tenant.id)
    for host, tenant_id in db.session.execute(select(FormerHost.host, FormerHost.tenant_id)):
        if host not in hosts:
            moved.setdefault(host, tenant_id)
    return hosts, {h: t for h, t in moved.items() if h not in hosts}, base


def _host_map_fresh(now):
    return now - _host_map["loaded_at"] < HOST_MAP_TTL and _host_map["config_base"] == current_app.config["BASE_DOMAIN"]


def _reload_host_map():
    hosts, moved, base = _build_host_map()
    with _lock:
        _host_map.update(
            hosts=hosts,
            moved=moved,
            base=base,
            config_base=current_app.config["BASE_DOMAIN"],
            loaded_at=time.monotonic(),
        )
    return hosts, moved, base


def invalidate_host_map():
    """Forget the cached host map; call after any change to tenants or their aliases."""
    with _lock:
        _host_map["loaded_at"] = 0.0


def base_domain():
    """The base domain hosts are built on: the portal's ``base_domain`` once it was changed, else BASE_DOMAIN."""
    with _lock:
        if _host_map_fresh(time.monotonic()):
            return _host_map["base"]
    return _reload_host_map()[2]


def lookup_tenant_id(host):
    """Return the id of the tenant serving ``host`` (already normalised), or None."""
    now = time.monotonic()
    with _lock:
        fresh = _host_map_fresh(now)
        tenant_id = _host_map["hosts"].get(host) if fresh else None
    if tenant_id is not None:
        return tenant_id
    hosts, _moved, _base = _reload_host_map()
    return hosts.get(host)


def moved_tenant_id(host):
    """The id of the tenant ``host`` served before it moved (a former host, a merged tenant's), or None."""
    with _lock:
        if _host_map_fresh(time.monotonic()):
            return _host_map["moved"].get(host)
    return _reload_host_map()[1].get(host)


def current_holder(tenant):
    """The tenant that holds ``tenant``'s content now: itself, or the last successor of a merged one."""
    seen = 0
    while tenant is not None and tenant.state == "merged" and tenant.successor_id and seen < MAX_SUCCESSORS:
        tenant = db.session.get(Tenant, tenant.successor_id)
        seen += 1
    return tenant


def redirect_path(tenant, path):
    """The new path of ``path`` in ``tenant``'s redirects, or None."""
    stmt = select(Redirect.new_path).where(Redirect.tenant_id == tenant.id, Redirect.old_path == path)
    return db.session.execute(stmt).scalar()


def moved_location(tenant, path, query=b""):
    """Where a request for ``path`` on a host ``tenant`` no longer serves goes now (absolute URL), or None."""
    holder, seen = tenant, 0
    while holder is not None and holder.state == "merged" and holder.successor_id and seen < MAX_SUCCESSORS:
        path = redirect_path(holder, path) or path
        holder = db.session.get(Tenant, holder.successor_id)
        seen += 1
    if holder is None or not holder.active or holder.state == "merged":
        return None
    location = public_base_url(holder) + path
    return f"{location}?{query.decode('latin-1')}" if query else location


def cached_tenant_id(host):
    """The id of the tenant serving ``host`` from this process's host map, without the database; None when the
    map is stale or does not hold ``host`` (the page cache's WSGI layer then lets the request through)."""
    with _lock:
        if time.monotonic() - _host_map["loaded_at"] >= HOST_MAP_TTL:
            return None
        return _host_map["hosts"].get(host)


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
    if tenant is None:
        moved_id = moved_tenant_id(host)
        moved = db.session.get(Tenant, moved_id) if moved_id else None
        location = moved_location(moved, request.path, request.query_string) if moved is not None else None
        if location:
            # 308 keeps the method and body of a write; a page or a feed moves with the contract's 301.
            return redirect(location, 301 if request.method in ("GET", "HEAD") else 308)
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
