"""Record who did what (the audit log read in the back office)."""

import logging

from flask import g, has_request_context, request
from flask_login import current_user

from app.core.models import AuditEvent
from app.extensions import db

log = logging.getLogger(__name__)


def record(action, target="", detail="", user=None, tenant=None):
    """Add an audit event to the session (committed with the change it describes)."""
    if user is None and has_request_context() and current_user and current_user.is_authenticated:
        user = current_user
    if tenant is None and has_request_context():
        tenant = g.get("tenant")
    event = AuditEvent(
        tenant_id=tenant.id if tenant is not None else None,
        user_id=user.id if user is not None else None,
        actor=user.email if user is not None else "",
        action=action,
        target=str(target)[:255],
        detail=str(detail)[:4000],
        ip=(request.remote_addr or "") if has_request_context() else "",
    )
    db.session.add(event)
    log.debug("audit %s target=%s actor=%s tenant=%s", action, target, event.actor, tenant.code if tenant else "-")
    return event
