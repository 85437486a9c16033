"""Word-filter terms: a global list (province admin) and per-tenant additions (tenant admin)."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.scoping import TenantScoped
from app.core.timeutil import utcnow
from app.extensions import db


class FilterTerm(TenantScoped, db.Model):
    """One word or phrase that flags visitors' input for a moderator's attention (never drops it).

    ``is_global`` terms (kept on the portal by the province admin) apply on every site; the others only
    on their tenant.
    """

    __tablename__ = "moderation_filter_term"

    id: Mapped[int] = mapped_column(primary_key=True)
    term: Mapped[str] = mapped_column(String(200))
    is_global: Mapped[bool] = mapped_column(default=False, index=True)
    note: Mapped[str] = mapped_column(String(300), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __str__(self):
        return self.term
