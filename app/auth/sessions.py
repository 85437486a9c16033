"""Sessions the server can end, and the devices an account has logged in from (R-28).

A session names the account and its ``session_version`` (:meth:`User.get_id`); logging out or a new
password raises the version, so a copy of the cookie taken before stops working. A browser where an
account completed a login keeps a signed *device cookie* (OWASP's "device cookies"): its attempts on
that account are counted apart from everyone else's, so a stranger who fails on purpose delays
strangers, not the owner.
"""

from datetime import timedelta

from flask import after_this_request, current_app, redirect, request, session
from flask_login import current_user, login_user, logout_user
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.auth.models import User
from app.auth.operations import login_succeeded
from app.core import audit
from app.extensions import db, login_manager

DEVICE_COOKIE = "portal_device"
DEVICE_MAX_AGE = timedelta(days=180)
DEVICE_ACCOUNTS = 5  # accounts remembered per browser (shared office computers)
PENDING = "two_factor_pending"  # the session key of a login waiting for its second factor


@login_manager.user_loader
def load_user(session_id):
    """Return the user of a session whose version is still the account's, else None (logged out)."""
    user_id, _, version = str(session_id).partition(":")
    try:
        user = db.session.get(User, int(user_id))
        version = int(version)
    except (TypeError, ValueError):
        return None
    if user is None or (user.session_version or 1) != version:
        return None
    return user


def _device_serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="portal.trusted-device")


def _device_pairs():
    """``[(user_id, device_epoch), ...]`` from this browser's device cookie; empty when absent or forged."""
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw:
        return []
    try:
        data = _device_serializer().loads(raw, max_age=int(DEVICE_MAX_AGE.total_seconds()))
    except BadSignature:
        return []
    if not isinstance(data, list):
        return []
    return [(p[0], p[1]) for p in data[:DEVICE_ACCOUNTS] if isinstance(p, list) and len(p) == 2]


def is_trusted(user):
    """True when this browser completed a login of ``user`` since the account's devices were last voided."""
    return (user.id, user.device_epoch) in _device_pairs()


def remember_device(user):
    """Give this browser (through the response being built) a device cookie for ``user``."""
    pairs = [[uid, epoch] for uid, epoch in _device_pairs() if uid != user.id]
    pairs = [[user.id, user.device_epoch], *pairs][:DEVICE_ACCOUNTS]
    value = _device_serializer().dumps(pairs)
    cfg = current_app.config

    @after_this_request
    def set_cookie(response):
        response.set_cookie(
            DEVICE_COOKIE,
            value,
            max_age=int(DEVICE_MAX_AGE.total_seconds()),
            httponly=True,
            secure=cfg.get("SESSION_COOKIE_SECURE", False),
            samesite="Lax",
        )
        return response


def log_in(user, target, tenant=None):
    """Complete a login (both steps passed): clear the failure count, open the session, trust the device."""
    trusted = is_trusted(user)
    login_succeeded(user, trusted, tenant)
    db.session.commit()
    session.pop(PENDING, None)
    login_user(user)
    remember_device(user)
    return redirect(target)


def log_out():
    """End the current session on the server: every copy of this account's session cookie stops working."""
    if current_user.is_authenticated:
        user = current_user._get_current_object()
        user.end_sessions()
        audit.record("logout", user.email, user=user)
        db.session.commit()
    logout_user()
    session.clear()
