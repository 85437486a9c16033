"""Models shared by every module: the tenant and the audit log."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.timeutil import utcnow
from app.extensions import db

TENANT_KINDS = ("portal", "department", "district", "special", "commune")
# Lifecycle (issue 17): an archived site is read-only under its URLs; a merged one redirects to its successor.
TENANT_STATES = ("active", "merged", "archived")


class Tenant(db.Model):
    """The portal or one subsite (R-01, R-02)."""

    __tablename__ = "tenant"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    name_vi: Mapped[str] = mapped_column(String(255))
    name_en: Mapped[str] = mapped_column(String(255))
    domain: Mapped[str] = mapped_column(String(255), default="")
    address: Mapped[str] = mapped_column(String(500), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    fax: Mapped[str] = mapped_column(String(50), default="")
    email: Mapped[str] = mapped_column(String(255), default="")
    aliases: Mapped[list] = mapped_column(JSON, default=list)
    theme: Mapped[dict] = mapped_column(JSON, default=dict)
    review_chains: Mapped[dict] = mapped_column(JSON, default=dict)
    # Working days allowed for review per content type ("default" for the rest), R-12.
    review_deadlines: Mapped[dict] = mapped_column(JSON, default=dict)
    attribution_vi: Mapped[str] = mapped_column(String(255), default="")
    attribution_en: Mapped[str] = mapped_column(String(255), default="")
    # False takes the site offline (unknown host); ``state`` is its place in a reorganisation.
    active: Mapped[bool] = mapped_column(default=True)
    state: Mapped[str] = mapped_column(String(20), default="active", server_default="active")
    state_since: Mapped[datetime | None] = mapped_column()
    successor_id: Mapped[int | None] = mapped_column(ForeignKey("tenant.id", ondelete="SET NULL"))
    # Codes it had before a rename: ``tenants sync`` maps their tenant.yaml onto this row.
    former_codes: Mapped[list] = mapped_column(JSON, default=list)
    # Portal only: the base domain every host is built on, overriding BASE_DOMAIN (set by change-base-domain).
    base_domain: Mapped[str] = mapped_column(String(255), default="", server_default="")
    # Portal only: the legal basis (rules/<basis>.yaml) the province admin pinned for reports; "" = by date.
    rules_basis: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # The General Statistics Office's code of the administrative unit (communes created from the official list).
    unit_code: Mapped[str] = mapped_column(String(20), default="", server_default="")
    # Set by the first lifecycle operation: ``tenants sync`` no longer overwrites its names, contact and hosts.
    restructured_at: Mapped[datetime | None] = mapped_column()
    sort_order: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def is_portal(self):
        return self.kind == "portal"

    def name(self, locale="vi"):
        return self.name_en if locale == "en" and self.name_en else self.name_vi

    @property
    def is_archived(self):
        return self.state == "archived"

    def identity_at(self, when):
        """The names and contact the unit had at ``when`` (a UTC datetime; None: today's).

        :return: the :class:`TenantIdentity` in force then, or the tenant itself (same attributes).
        """
        if when is None:
            return self
        from sqlalchemy import select

        from app.extensions import db

        stmt = (
            select(TenantIdentity)
            .where(TenantIdentity.tenant_id == self.id, TenantIdentity.valid_until > when)
            .order_by(TenantIdentity.valid_until)
        )
        return db.session.execute(stmt).scalars().first() or self

    def name_at(self, when, locale="vi"):
        """The name the unit had at ``when``: a page published before a rename shows the former name."""
        return self.identity_at(when).name(locale)

    def attribution(self, locale="vi"):
        """The R-11 wording that reuse of this tenant's content must carry."""
        if locale == "en":
            return self.attribution_en or f"Source: {self.name_en}"
        return self.attribution_vi or f"Theo {self.name_vi}"

    def __repr__(self):
        return f"<Tenant {self.code}>"


class TenantIdentity(db.Model):
    """Names and contact a tenant had until ``valid_until`` (written by a rename or a merger)."""

    __tablename__ = "tenant_identity"

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"), index=True)
    valid_until: Mapped[datetime] = mapped_column()
    code: Mapped[str] = mapped_column(String(40), default="")
    name_vi: Mapped[str] = mapped_column(String(255))
    name_en: Mapped[str] = mapped_column(String(255), default="")
    address: Mapped[str] = mapped_column(String(500), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    fax: Mapped[str] = mapped_column(String(50), default="")
    email: Mapped[str] = mapped_column(String(255), default="")

    def name(self, locale="vi"):
        return self.name_en if locale == "en" and self.name_en else self.name_vi


class FormerHost(db.Model):
    """A host that served ``tenant`` before a rename, a merger or a new base domain: it answers 301 to the same
    path on the tenant's host (its successor's when it was merged)."""

    __tablename__ = "former_host"

    id: Mapped[int] = mapped_column(primary_key=True)
    host: Mapped[str] = mapped_column(String(253), unique=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"), index=True)
    moved_at: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str] = mapped_column(String(40), default="")


class Redirect(db.Model):
    """An old path of a tenant answered with 301 to a new path of the same tenant (or of its successor once it
    was merged). A target is a path, never a host: a redirect never leaves its tenant."""

    __tablename__ = "redirect"
    __table_args__ = (UniqueConstraint("tenant_id", "old_path", name="uq_redirect_tenant_old_path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"), index=True)
    old_path: Mapped[str] = mapped_column(String(1000))
    new_path: Mapped[str] = mapped_column(String(1000))
    # manual (an editor), merge, rename: who made it.
    source: Mapped[str] = mapped_column(String(20), default="manual")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    tenant = relationship("Tenant", foreign_keys=[tenant_id], lazy="select", load_on_pending=True)


class AuditEvent(db.Model):
    """Who did what and when: logins, role changes, transitions, settings (R-25)."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    actor: Mapped[str] = mapped_column(String(255), default="")
    action: Mapped[str] = mapped_column(String(60), index=True)
    target: Mapped[str] = mapped_column(String(255), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    ip: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class SiteGeneration(db.Model):
    """One row; its value grows with every committed write (the page cache's invalidation)."""

    __tablename__ = "site_generation"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(default=0)
