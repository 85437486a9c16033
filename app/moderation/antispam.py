"""Anti-automation on every public form: a honeypot field, a minimum fill time (a signed timestamp
issued with the form) and per-form rate limits per address (Flask-Limiter; Redis when REDIS_URL is set).

A form template includes ``moderation/_antispam.html`` with ``form_name``; the view calls
:func:`refusal` (an API :func:`check_submission`) before validating and decorates its route with :func:`rate_limit`.
"""

import time

from flask import current_app, render_template, request
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer

from app.extensions import limiter

HONEYPOT_FIELD = "website"
TIMESTAMP_FIELD = "form_started"

# Settings (override in config): one comment per key.
DEFAULTS = {
    # Seconds a person needs at least to fill a public form; faster posts are refused as automated.
    "PARTICIPATION_MIN_FILL_SECONDS": 3,
    # Seconds after which a form's timestamp is stale (the visitor reloads the page).
    "PARTICIPATION_MAX_FORM_AGE": 2 * 24 * 3600,
    # Posts per address per public form (Flask-Limiter syntax, ";" between limits).
    "PARTICIPATION_RATE_LIMIT": "5/minute;30/day",
}


class Refused(Exception):
    """A submission refused as automated; ``message`` says why, for the visitor."""

    def __init__(self, reason, message, status=400):
        super().__init__(reason)
        self.reason = reason
        self.message = message
        self.status = status


def _setting(name):
    return current_app.config.get(name, DEFAULTS[name])


def _serializer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="participation-form-time")


def issue_token(form_name, issued_at=None):
    """A signed timestamp for ``form_name`` (``issued_at`` lets tests backdate it)."""
    return _serializer().dumps({"f": form_name, "t": round(issued_at if issued_at is not None else time.time(), 3)})


def check_submission(form_name, data=None):
    """Refuse a post that filled the honeypot, came too fast, or carries no valid timestamp.

    :raise Refused: with a message for the visitor.
    """
    data = request.form if data is None else data
    if (data.get(HONEYPOT_FIELD) or "").strip():
        raise Refused(
            "honeypot", _l("Your message looks like it was sent by an automated program, so it was not accepted.")
        )
    try:
        payload = _serializer().loads(data.get(TIMESTAMP_FIELD) or "")
    except BadSignature:
        payload = None
    if not isinstance(payload, dict) or payload.get("f") != form_name:
        raise Refused("timestamp", _l("The form has expired or is incomplete. Please reload the page and try again."))
    elapsed = time.time() - float(payload.get("t", 0))
    if elapsed < float(_setting("PARTICIPATION_MIN_FILL_SECONDS")):
        raise Refused("too_fast", _l("The form was sent too quickly. Please check what you wrote and send it again."))
    if elapsed > float(_setting("PARTICIPATION_MAX_FORM_AGE")):
        raise Refused("stale", _l("The form has expired or is incomplete. Please reload the page and try again."))


def refused_page(exc, back_url):
    return render_template("moderation/refused.html", message=exc.message, back_url=back_url), exc.status


def refusal(form_name, back_url):
    """The page that refuses a post failing :func:`check_submission`, with a link back; None when it passes."""
    try:
        check_submission(form_name)
    except Refused as exc:
        return refused_page(exc, back_url)
    return None


def rate_limit(scope):
    """Limit POSTs of one public form per address; the HTML form and its API share the limit."""
    return limiter.shared_limit(lambda: _setting("PARTICIPATION_RATE_LIMIT"), scope=scope, methods=["POST"])


def current_token(form_name):
    """The posted timestamp when the form is shown again after an error, else a new one."""
    posted = request.form.get(TIMESTAMP_FIELD) if request.method == "POST" else None
    return posted or issue_token(form_name)


def init_app(app):
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    app.jinja_env.globals["antispam_token"] = current_token
