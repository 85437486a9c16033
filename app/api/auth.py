"""Bearer-token authentication for the API, scoped to the request's tenant."""

from flask import g, request

from app.auth.operations import user_for_token
from app.auth.permissions import can_read_backoffice, can_write
from app.core.errors import APIError
from app.core.tenancy import current_tenant
from app.extensions import db


def load_api_user():
    """``before_request`` for ``/api/``: resolve the token; refuse it on tenants it has no access to."""
    g.api_user = None
    if not request.path.startswith("/api/") or g.get("tenant") is None:
        return
    header = request.headers.get("Authorization", "")
    if not header:
        return
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise APIError(401, "Use the header 'Authorization: Bearer <token>'.")
    user = user_for_token(token.strip())
    db.session.commit()  # the token's last use, before the handler's own work
    if user is None:
        raise APIError(401, "The token is not valid, has expired or has been revoked.")
    if not can_read_backoffice(user, current_tenant):
        raise APIError(403, "This token has no access to this site.")
    g.api_user = user


def require_staff(write=True):
    """Return the calling staff user or raise 401/403."""
    user = g.get("api_user")
    if user is None:
        raise APIError(401, "This operation needs a staff token.")
    if write and not can_write(user, current_tenant):
        raise APIError(403, "Your role does not allow changes on this site.")
    return user
