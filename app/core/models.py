"""Models shared by every module: the tenant and the audit log."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.timeutil import utcnow
from app.extensions import db

TENANT_KINDS = ("portal", "department", "district", "special")


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
    active: Mapped[bool] = mapped_column(default=True)
    sort_order: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def is_portal(self):
        return self.kind == "portal"

    def name(self, locale="vi"):
        return self.name_en if locale == "en" and self.name_en else self.name_vi

    def attribution(self, locale="vi"):
        """The R-11 wording that reuse of this tenant's content must carry."""
        if locale == "en":
            return self.attribution_en or f"Source: {self.name_en}"
        return self.attribution_vi or f"Theo {self.name_vi}"

    def __repr__(self):
        return f"<Tenant {self.code}>"


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
