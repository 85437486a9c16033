"""Rate-limit key: the client address and the tenant, so one site's limits never block another."""

from flask import g, request


def client_key():
    tenant = getattr(g, "tenant", None)
    return f"{tenant.code if tenant else '-'}:{request.remote_addr or '-'}"
