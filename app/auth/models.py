"""Users, their memberships in tenants and their API tokens."""

import hashlib
import secrets
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.timeutil import utcnow
from app.extensions import db


def password_hasher():
    """The Argon2id hasher with the configured cost."""
    cfg = current_app.config
    return PasswordHasher(time_cost=cfg["ARGON2_TIME_COST"], memory_cost=cfg["ARGON2_MEMORY_COST"])


class User(UserMixin, db.Model):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255), unique=True)
    name: Mapped[str] = mapped_column(String(255), default="")
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    global_role: Mapped[str | None] = mapped_column(String(30))
    active: Mapped[bool] = mapped_column(default=True)
    # Failed password or second-factor attempts from browsers the account has not logged in from
    # (app/auth/operations.py, "Failures and delays"), the end of the current delay and the last failure.
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column()
    last_failed_login_at: Mapped[datetime | None] = mapped_column()
    # Failures from trusted devices (app/auth/sessions.py) and the number those devices' cookies carry:
    # raising it stops every device cookie of the account from counting as trusted.
    device_failures: Mapped[int] = mapped_column(default=0, server_default="0")
    device_epoch: Mapped[int] = mapped_column(default=0, server_default="0")
    # Every session carries this number (see get_id); raising it ends every session of the account.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    password_reset_sent_at: Mapped[datetime | None] = mapped_column()
    last_login_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Second factor: a TOTP secret once enrolled; the last accepted time step blocks replays.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_counter: Mapped[int | None] = mapped_column()

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def is_active(self):
        return self.active

    def get_id(self):
        """The session's user id: ``"<id>:<session_version>"``, refused by the loader once the version moves."""
        return f"{self.id}:{self.session_version or 1}"

    def end_sessions(self):
        """Make every session cookie issued so far for this account worthless (logout, new password)."""
        self.session_version = (self.session_version or 1) + 1

    def set_password(self, password):
        """Store a new password: every open session ends and no device stays trusted with the old one."""
        self.password_hash = password_hasher().hash(password)
        self.end_sessions()
        self.device_epoch = (self.device_epoch or 0) + 1
        self.device_failures = 0

    def check_password(self, password):
        if not self.password_hash:
            return False
        try:
            return password_hasher().verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    @property
    def is_province_admin(self):
        return self.global_role == "province_admin"

    @property
    def is_inspector(self):
        return self.global_role == "inspector"

    def roles_in(self, tenant):
        """The roles this user holds in ``tenant`` through memberships."""
        if tenant is None:
            return set()
        return {m.role for m in self.memberships if m.tenant_id == tenant.id and m.active}

    def display_name(self):
        return self.name or self.email

    def __repr__(self):
        return f"<User {self.email}>"


class Membership(db.Model):
    """A user's role in one tenant; a user may hold several roles in several tenants."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("user_id", "tenant_id", "role", name="uq_membership_user_tenant_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(30))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")
    tenant = relationship("Tenant")


class ApiToken(db.Model):
    """A bearer token for the API; only its SHA-256 digest is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    last_used_at: Mapped[datetime | None] = mapped_column()
    revoked: Mapped[bool] = mapped_column(default=False)

    user: Mapped[User] = relationship()

    @property
    def status(self):
        """``active``, ``expired`` or ``revoked``."""
        if self.revoked:
            return "revoked"
        return "expired" if self.expires_at <= utcnow() else "active"

    @staticmethod
    def digest(token):
        return hashlib.sha256(token.encode("utf-8")).hexdigest()

    @classmethod
    def issue(cls, user, expires_at):
        """Create a token for ``user``; return ``(row, plain_token)``; the plain token is shown once."""
        plain = "bp_" + secrets.token_urlsafe(32)
        row = cls(user=user, token_hash=cls.digest(plain), prefix=plain[:10], expires_at=expires_at)
        db.session.add(row)
        return row, plain
