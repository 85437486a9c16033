"""User operations shared by the CLI, the back office and the login view."""

import secrets
import unicodedata
from datetime import timedelta

from sqlalchemy import func, select

from app.auth.models import ApiToken, Membership, User
from app.auth.roles import ALL_ROLES, GLOBAL_ROLES
from app.core import audit
from app.core.timeutil import utcnow
from app.extensions import db

MAX_FAILED_LOGINS = 5
LOCK_MINUTES = 15


class UserError(ValueError):
    """A refused user operation, with a message fit for the user."""


def normalise_email(email):
    return unicodedata.normalize("NFC", (email or "").strip()).lower()


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
                    Membership.user_id == user.id, Membership.tenant_id == tenant.id, Membership.role == role
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


def authenticate(email, password, tenant):
    """Return the user when the credentials are right and the account usable, else None.

    Repeated failures lock the account for a while (R-28); every attempt is audited.
    """
    user = find_user(email)
    now = utcnow()
    if user is None:
        audit.record("login.failed", normalise_email(email), tenant=tenant)
        return None
    if user.locked_until and user.locked_until > now:
        audit.record("login.locked", user.email, user=user, tenant=tenant)
        return None
    if not user.active or not user.check_password(password):
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until = now + timedelta(minutes=LOCK_MINUTES)
            user.failed_logins = 0
        audit.record("login.failed", user.email, user=user, tenant=tenant)
        return None
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    audit.record("login", user.email, user=user, tenant=tenant)
    return user


def issue_token(user):
    row, plain = ApiToken.issue(user)
    audit.record("token.issue", row.prefix, user=user)
    return plain


def user_for_token(plain):
    """Return the active user owning the bearer token ``plain``, or None."""
    if not plain:
        return None
    row = (
        db.session.execute(
            select(ApiToken).where(ApiToken.token_hash == ApiToken.digest(plain), ApiToken.revoked.is_(False))
        )
        .scalars()
        .first()
    )
    if row is None or not row.user.active:
        return None
    return row.user
