"""Every log line carries the request id, the tenant and the acting user (R-27): a filter on the root handlers.

The request id is the ``X-Request-ID`` a trusted proxy sent (when it looks like one) or a new one, and is sent
back in the response's ``X-Request-ID``. Outside a request (the worker) the line carries the job's name instead.
"""

import contextvars
import logging
import re
import uuid

from flask import g, has_request_context, request

FORMAT = "%(asctime)s %(levelname)s %(name)s [req=%(request_id)s tenant=%(tenant)s user=%(user)s]: %(message)s"
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{8,80}")
# What the worker is doing (``job:question_reminders``), for lines logged outside a request.
job_context = contextvars.ContextVar("job_context", default="-")


def _request_fields():
    tenant = g.get("tenant")
    user = g.get("_login_user")  # set by Flask-Login once loaded; never loaded here (no query from a log line)
    user_id = getattr(user, "id", None) if getattr(user, "is_authenticated", False) else None
    return g.get("request_id", "-"), getattr(tenant, "code", "-"), f"user:{user_id}" if user_id else "-"


class ContextFilter(logging.Filter):
    """Add ``request_id``, ``tenant`` and ``user`` to every record (``-`` where there is none)."""

    def filter(self, record):
        if has_request_context():
            try:
                record.request_id, record.tenant, record.user = _request_fields()
            except Exception:  # noqa: BLE001 - a log line never fails because of its context
                record.request_id, record.tenant, record.user = "-", "-", "-"
        else:
            record.request_id, record.tenant, record.user = job_context.get(), "-", "-"
        return True


def _start_request():
    given = request.headers.get("X-Request-ID", "")
    g.request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex[:16]


def _send_request_id(response):
    response.headers.setdefault("X-Request-ID", g.get("request_id", "-"))
    return response


def install(root=None):
    """Put the filter and the format on every handler of the root logger (once)."""
    root = root or logging.getLogger()
    for handler in root.handlers:
        if not any(isinstance(f, ContextFilter) for f in handler.filters):
            handler.addFilter(ContextFilter())
            handler.setFormatter(logging.Formatter(FORMAT))


def init_app(app):
    install()
    # First of all: even a request refused by the tenant resolver has its id.
    app.before_request_funcs.setdefault(None, []).insert(0, _start_request)
    app.after_request(_send_request_id)
