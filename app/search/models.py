from datetime import datetime

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.scoping import TenantScoped
from app.core.timeutil import utcnow
from app.extensions import db


class SearchEntry(TenantScoped, db.Model):
    """One published item in the search index; ``haystack`` is lower-case, unaccented text (R-07, R-24)."""

    __tablename__ = "search_entry"
    __table_args__ = (UniqueConstraint("content_type", "object_id", name="uq_search_entry_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    content_type: Mapped[str] = mapped_column(String(40), index=True)
    object_id: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(String(500))
    summary: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(500))
    language: Mapped[str] = mapped_column(String(5), default="vi")
    haystack: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    publish_at: Mapped[datetime | None] = mapped_column()
    expire_at: Mapped[datetime | None] = mapped_column()
    indexed_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
