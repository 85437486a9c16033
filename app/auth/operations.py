"""User operations shared by the CLI, the back office and the login view."""

import hashlib
import logging
import secrets
import unicodedata
from datetime import timedelta

from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import case, func, or_, select, update

from app.auth.models import ApiToken, Membership, User, password_hasher
from app.auth.roles import ALL_ROLES, GLOBAL_ROLES
from app.core import audit
from app.core.errors import DomainError
from app.core.scoping import scope_filter
from app.core.timeutil import utcnow
from app.extensions import db

log = logging.getLogger(__name__)

# Settings of this module; the app config overrides any of them under the same name.
DEFAULTS = {
    # Failures in a row (password or second factor) before an account's attempts are delayed.
    "LOGIN_FREE_FAILURES": 5,
    # The first delay in seconds; it doubles with every further failure...
    "LOGIN_FIRST_DELAY": 60,
    # ...up to this: from then on a stranger gets one try an hour on the account.
    "LOGIN_MAX_DELAY": 3600,
    # A failure counter with no new failure for this many seconds starts again from zero.
    "LOGIN_FAILURE_MEMORY": 24 * 3600,
    # Failures in a row from trusted devices before no device of the account is trusted any more.
    "TRUSTED_DEVICE_MAX_FAILURES": 10,
    # Days a new API token works (``flask users token EMAIL --days N`` chooses another lifetime).
    "API_TOKEN_DAYS": 90,
    # Seconds a password-reset link works.
    "PASSWORD_RESET_MAX_AGE": 3600,
    # At most one reset email per account in this many seconds (no mailbox flooding).
    "PASSWORD_RESET_RESEND": 300,
}


def setting(name):
    return current_app.config.get(name, DEFAULTS[name])


class UserError(DomainError):
    """A refused user operation, with a message fit for the user."""


def normalise_email(email):
    return unicodedata.normalize("NFC", (email or "").strip()).lower()


def active_members(tenant, roles):
    """The active users holding an active membership of ``tenant`` in one of ``roles`` (who is told what)."""
    return (
        db.session.execute(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                scope_filter(Membership, tenant),
                Membership.role.in_(list(roles)),
                Membership.active.is_(True),
                User.active.is_(True),
            )
            .order_by(User.id)
        )
        .scalars()
        .unique()
        .all()
    )


def find_user(email):
    return db.session.execute(select(User).where(func.lower(User.email) == normalise_email(email))).scalars().first()


def ensure_user(email, tenant, role, password=None, name="", actor=None, password_hash=None):
    """Create the user if needed and give them ``role`` in ``tenant``.

    Global roles are given with the portal tenant. Return ``(user, generated_password)``;
    the password is None when one was given or the user already existed.
    """
    if role not in ALL_ROLES:
        raise UserError(f"unknown role {role!r}; choose one of: {', '.join(ALL_ROLES)}")
    if role in GLOBAL_ROLES and not tenant.is_portal:
        raise UserError(f"{role} is a global role: give it with --tenant portal")
    email = normalise_email(email)
    if "@" not in email or len(email) > 255:
        raise UserError(f"not an email address: {email!r}")
    user = find_user(email)
    generated = None
    if user is None:
        user = User(email=email, name=name or email.split("@")[0])
        if password_hash is not None:
            user.password_hash = password_hash
        elif password is None:
            password = generated = secrets.token_urlsafe(12)
        if password is not None:
            user.set_password(password)
        db.session.add(user)
        audit.record("user.create", email, user=actor, tenant=tenant)
    elif password is not None:
        user.set_password(password)
    if role in GLOBAL_ROLES:
        if user.global_role != role:
            user.global_role = role
            audit.record("role.grant", f"{email}:{role}", user=actor, tenant=tenant)
    else:
        db.session.flush()
        exists = (
            db.session.execute(
                select(Membership).where(
                    Membership.user_id == user.id, scope_filter(Membership, tenant), Membership.role == role
                )
            )
            .scalars()
            .first()
        )
        if exists is None:
            user.memberships.append(Membership(tenant_id=tenant.id, role=role))
            audit.record("role.grant", f"{email}:{role}", user=actor, tenant=tenant)
        elif not exists.active:
            exists.active = True
    db.session.flush()
    return user, generated


# --- Failures and delays (R-28) ----------------------------------------------------------------
#
# Every failed password or second-factor attempt counts on the account, whatever host it came to.
# Attempts from a browser where the account has logged in before (a trusted device, see
# app/auth/sessions.py) count apart: a stranger's failures delay strangers, never the owner's own
# browsers. An attempt is counted *before* it is checked, in one UPDATE that also holds the rule,
# so parallel attempts cannot slip past the delay; the count goes back to zero once a login is
# complete.

_dummy_hashes = {}


def failure_delay(failures):
    """Seconds the account waits after ``failures`` failures in a row: none at first, then doubling to a cap."""
    free = setting("LOGIN_FREE_FAILURES")
    if failures < free:
        return 0
    return min(setting("LOGIN_FIRST_DELAY") * 2 ** min(failures - free, 20), setting("LOGIN_MAX_DELAY"))


def spend_password_check(password):
    """Check ``password`` against a throw-away hash, so a refusal that needs no check takes as long as one that does."""
    hasher = password_hasher()
    key = (hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    if key not in _dummy_hashes:
        _dummy_hashes[key] = hasher.hash(secrets.token_urlsafe(16))
    try:
        hasher.verify(_dummy_hashes[key], password or "")
    except (VerificationError, InvalidHashError):
        pass


def claim_attempt(user, trusted):
    """Count an attempt on ``user`` before checking it; False when the account must wait first.

    On PostgreSQL the UPDATE keeps the row locked until the caller commits the outcome, on SQLite the
    database is: a second attempt on the same account waits and then sees the new count.

    :param trusted: count on the trusted devices' counter; False when their cookies were voided meanwhile.
    """
    now = utcnow()
    if trusted:
        stmt = (
            update(User)
            .where(User.id == user.id, User.device_epoch == user.device_epoch)
            .values(device_failures=User.device_failures + 1)
        )
    else:
        forget_before = now - timedelta(seconds=setting("LOGIN_FAILURE_MEMORY"))
        stmt = (
            update(User)
            .where(User.id == user.id, or_(User.locked_until.is_(None), User.locked_until <= now))
            .values(
                failed_logins=case((User.last_failed_login_at < forget_before, 1), else_=User.failed_logins + 1),
                last_failed_login_at=now,
            )
        )
    claimed = db.session.execute(stmt.execution_options(synchronize_session=False)).rowcount == 1
    db.session.refresh(user)
    return claimed


def record_failure(user, trusted, action, tenant=None):
    """A claimed attempt failed: start the delay it earns (or stop trusting the devices) and audit it."""
    site = tenant.code if tenant is not None else "-"
    if trusted:
        if user.device_failures >= setting("TRUSTED_DEVICE_MAX_FAILURES"):
            user.device_epoch += 1
            user.device_failures = 0
            audit.record("login.devices_untrusted", user.email, user=user, tenant=tenant)
            log.warning("no device of %s is trusted any more after failures from them (tenant %s)", user.email, site)
    else:
        delay = failure_delay(user.failed_logins)
        if delay:
            user.locked_until = utcnow() + timedelta(seconds=delay)
            log.warning("%s waits %ss after %s failures (tenant %s)", user.email, delay, user.failed_logins, site)
    audit.record(action, user.email, f"failures: {user.device_failures if trusted else user.failed_logins}",
                 user=user, tenant=tenant)  # fmt: skip


def authenticate(email, password, tenant, is_trusted=None):
    """Check the password step; return the user when it may go on, else None.

    The login is complete only after :func:`login_succeeded` (after the second factor, if any).
    Unknown, disabled and delayed accounts get the same answer, after the same password work.

    :param is_trusted: ``is_trusted(user)`` says whether the request comes from a trusted device.
    """
    user = find_user(email)
    if user is None or not user.active or not user.password_hash:
        spend_password_check(password)
        audit.record("login.failed", normalise_email(email), user=user, tenant=tenant)
        return None
    trusted = bool(is_trusted and is_trusted(user))
    if trusted and not claim_attempt(user, trusted=True):
        trusted = False
    if not trusted and not claim_attempt(user, trusted=False):
        spend_password_check(password)
        audit.record("login.locked", user.email, user=user, tenant=tenant)
        return None
    if not user.check_password(password):
        record_failure(user, trusted, "login.failed", tenant)
        return None
    return user


def clear_failures(user, trusted):
    """A proof of identity passed: clear the counter the attempts were taken on."""
    if trusted:
        user.device_failures = 0
    else:
        user.failed_logins = 0
        user.locked_until = None
        user.last_failed_login_at = None


def login_succeeded(user, trusted, tenant=None):
    """Both steps passed: clear the counter the attempts were taken on and record the login."""
    clear_failures(user, trusted)
    user.last_login_at = utcnow()
    audit.record("login", user.email, user=user, tenant=tenant)


# --- Password reset by email ---------------------------------------------------------------------


def _reset_serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="portal.reset-password")


def _reset_tag(user):
    # Bound to the password hash and to the last request: a used link, or an older one, stops working.
    material = f"{user.password_hash}|{user.password_reset_sent_at}"
    return hashlib.sha256(material.encode()).hexdigest()[:16]


def request_password_reset(email, tenant):
    """Prepare a reset for ``email``; return ``(user, token)`` when a message should go, else None.

    Unknown and disabled accounts, and accounts sent a link a moment ago, get None; the caller gives
    every visitor the same answer either way.
    """
    user = find_user(email)
    now = utcnow()
    if user is None or not user.active:
        audit.record("password.reset_unknown", normalise_email(email), tenant=tenant)
        return None
    sent = user.password_reset_sent_at
    if sent is not None and sent > now - timedelta(seconds=setting("PASSWORD_RESET_RESEND")):
        audit.record("password.reset_throttled", user.email, user=user, tenant=tenant)
        return None
    user.password_reset_sent_at = now
    audit.record("password.reset_request", user.email, user=user, tenant=tenant)
    return user, _reset_serializer().dumps({"u": user.id, "h": _reset_tag(user)})


def user_for_reset_token(token):
    """Return the user of a valid, unexpired, unused reset token, else None."""
    try:
        data = _reset_serializer().loads(token, max_age=setting("PASSWORD_RESET_MAX_AGE"))
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    user = db.session.get(User, data["u"])
    if user is None or not user.active or data.get("h") != _reset_tag(user):
        return None
    return user


def reset_password(user, password, tenant=None):
    """Set the password chosen through a reset link: sessions end, failure counters are cleared."""
    user.set_password(password)
    user.failed_logins = 0
    user.locked_until = None
    user.last_failed_login_at = None
    audit.record("password.reset", user.email, user=user, tenant=tenant)


# --- API tokens ----------------------------------------------------------------------------------


def new_token(user, days=None):
    """Issue a token for ``user`` that works ``days`` days (default ``API_TOKEN_DAYS``); return ``(row, plain)``."""
    days = setting("API_TOKEN_DAYS") if days is None else days
    if not 1 <= int(days) <= 3660:
        raise UserError("a token works between 1 and 3660 days")
    row, plain = ApiToken.issue(user, utcnow() + timedelta(days=int(days)))
    audit.record("token.issue", row.prefix, f"expires {row.expires_at:%Y-%m-%d}", user=user)
    return row, plain


def issue_token(user, days=None):
    """Issue a token for ``user`` and return it in plain (shown once; only its digest is stored)."""
    return new_token(user, days)[1]


def user_for_token(plain):
    """Return the active user owning the unexpired, unrevoked bearer token ``plain``, or None.

    Marks the token used (at most once a minute, to spare the database a write per request); the
    caller commits.
    """
    if not plain or len(plain) > 200:
        return None
    now = utcnow()
    row = (
        db.session.execute(
            select(ApiToken).where(
                ApiToken.token_hash == ApiToken.digest(plain), ApiToken.revoked.is_(False), ApiToken.expires_at > now
            )
        )
        .scalars()
        .first()
    )
    if row is None or not row.user.active:
        return None
    if row.last_used_at is None or row.last_used_at < now - timedelta(seconds=60):
        row.last_used_at = now
    return row.user


def tokens_of(user):
    """Every token of ``user``, newest first (revoked and expired ones too: they tell what happened)."""
    stmt = select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    return db.session.execute(stmt).scalars().all()


def revoke_tokens(user, actor=None, token_id=None, prefix=None, every=False):
    """Revoke tokens of ``user``: one by id or prefix, all of them, or else the newest active one.

    :return: the tokens revoked (empty when there was nothing to revoke).
    """
    active = [t for t in tokens_of(user) if t.status == "active"]
    if every:
        chosen = active
    elif token_id is not None:
        chosen = [t for t in active if t.id == token_id]
    elif prefix:
        chosen = [t for t in active if t.prefix == prefix]
    else:
        chosen = active[:1]
    for token in chosen:
        token.revoked = True
        audit.record("token.revoke", f"{user.email}:{token.prefix}", user=actor)
    return chosen
