"""The search index: one row per published item and language; the full-text index proper lives beside it.

The full-text structures are the database's own (see :mod:`app.search.backends`): on SQLite an FTS5 table
``search_fts`` kept in step by triggers, on PostgreSQL the ``document`` column (a ``tsvector``) filled by a
trigger and indexed with GIN. Both are derived from ``title``, ``summary`` and ``body``; nothing in Python
has to remember to update them.
"""

from datetime import datetime

from sqlalchemy import Boolean, Index, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, deferred, mapped_column

from app.core.scoping import TenantScoped
from app.core.timeutil import utcnow
from app.extensions import db

# PostgreSQL's tsvector; on SQLite the column stays empty (the FTS5 table holds the index there).
DocumentType = Text().with_variant(TSVECTOR(), "postgresql")


class SearchEntry(TenantScoped, db.Model):
    """One published item in one language (R-07, R-24): what is shown and what is matched.

    ``group_key`` is ``<type>:<id of the original>``: a copy proposed to the portal and its original share it,
    and ``syndicated`` marks the rows of such a group, so that a search shows them as one result.
    """

    __tablename__ = "search_entry"
    __table_args__ = (
        UniqueConstraint("content_type", "object_id", "language", name="uq_search_entry_item"),
        Index("ix_search_entry_document", "document", postgresql_using="gin"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    content_type: Mapped[str] = mapped_column(String(40), index=True)
    object_id: Mapped[int] = mapped_column()
    language: Mapped[str] = mapped_column(String(5), default="vi")
    title: Mapped[str] = mapped_column(String(500))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = deferred(mapped_column(Text, default="", nullable=False))
    url: Mapped[str] = mapped_column(String(500))
    group_key: Mapped[str] = mapped_column(String(60), index=True)
    syndicated: Mapped[bool] = mapped_column(Boolean, default=False)
    year: Mapped[int | None] = mapped_column()
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    publish_at: Mapped[datetime | None] = mapped_column(index=True)
    expire_at: Mapped[datetime | None] = mapped_column(index=True)
    indexed_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Derived by the database (a trigger); never written from Python and left out of backups.
    document: Mapped[str | None] = deferred(mapped_column(DocumentType, nullable=True, info={"derived": True}))
