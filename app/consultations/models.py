"""Consultations, their sections, visitors' comments and the outcome report."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.enums import LabelledEnum
from app.core.scoping import TenantScoped
from app.core.timeutil import utcnow
from app.extensions import db
from app.workflow.models import Reviewable, visible_filter


class Status(LabelledEnum):
    """A consultation's status, computed at read time from its dates (never stored)."""

    UPCOMING = "upcoming", _l("Upcoming")
    OPEN = "open", _l("Open for comment")
    CLOSED = "closed", _l("Closed")
    OUTCOME_PUBLISHED = "outcome_published", _l("Outcome published")


class CommentStatus(LabelledEnum):
    PENDING = "pending", _l("Awaiting moderation")
    PUBLISHED = "published", _l("Published")
    HIDDEN = "hidden", _l("Hidden")
    DUPLICATE = "duplicate", _l("Duplicate")


STATUS_LABELS = Status.labels()
COMMENT_STATUS_LABELS = CommentStatus.labels()


class Consultation(Reviewable, db.Model):
    """A draft document or policy open for public comment between ``opens_at`` and ``closes_at``."""

    __tablename__ = "consultation"
    content_type = "consultation"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    document_type: Mapped[str] = mapped_column(String(120), default="")
    field: Mapped[str] = mapped_column(String(200), default="")
    drafting_unit: Mapped[str] = mapped_column(String(300), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    opens_at: Mapped[datetime] = mapped_column(index=True)
    closes_at: Mapped[datetime] = mapped_column(index=True)
    receiving_address: Mapped[str] = mapped_column(String(500), default="")
    receiving_email: Mapped[str] = mapped_column(String(255), default="")
    # Media ids of this tenant: the draft, the explanatory report (tờ trình) and other documents.
    attachments: Mapped[list] = mapped_column(JSON, default=list)

    sections: Mapped[list["ConsultationSection"]] = relationship(
        back_populates="consultation", order_by="ConsultationSection.position", cascade="all, delete-orphan"
    )

    def status_at(self, now=None):
        now = now or utcnow()
        if self.opens_at and now < self.opens_at:
            return Status.UPCOMING
        if self.closes_at and now < self.closes_at:
            return Status.OPEN
        return Status.OUTCOME_PUBLISHED if self.published_outcome() is not None else Status.CLOSED

    @property
    def status(self):
        return self.status_at()

    @property
    def is_open(self):
        return self.status == Status.OPEN

    def published_outcome(self):
        if self.id is None:
            return None
        stmt = select(Outcome).where(Outcome.consultation_id == self.id, visible_filter(Outcome))
        return db.session.execute(stmt).scalars().first()

    def __str__(self):
        return self.title


class ConsultationSection(TenantScoped, db.Model):
    """One article or part of the draft (``number`` like "Điều 2"); a comment may target it."""

    __tablename__ = "consultation_section"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    number: Mapped[str] = mapped_column(String(60), default="")
    title: Mapped[str] = mapped_column(String(500), default="")
    body: Mapped[str] = mapped_column(Text, default="")

    consultation: Mapped[Consultation] = relationship(back_populates="sections")

    def label(self):
        return " - ".join(part for part in (self.number, self.title) if part)

    def __str__(self):
        return self.label()


class Comment(TenantScoped, db.Model):
    """A visitor's comment: held for moderation; its personal fields are shown only to handling staff."""

    __tablename__ = "consultation_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int | None] = mapped_column(ForeignKey("consultation_section.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    # Personal data: never public; blanked on erasure.
    name: Mapped[str] = mapped_column(String(200), default="")
    organisation: Mapped[str] = mapped_column(String(300), default="")
    email: Mapped[str] = mapped_column(String(255), default="", index=True)
    phone: Mapped[str] = mapped_column(String(50), default="")
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("media_file.id", ondelete="SET NULL"))
    consent_at: Mapped[datetime | None] = mapped_column()
    consent_version: Mapped[str] = mapped_column(String(40), default="")
    erased_at: Mapped[datetime | None] = mapped_column()
    # Moderation.
    status: Mapped[str] = mapped_column(String(20), default=CommentStatus.PENDING, index=True)
    filter_hits: Mapped[list] = mapped_column(JSON, default=list)
    hidden_reason: Mapped[str] = mapped_column(String(500), default="")
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("consultation_comment.id", ondelete="SET NULL"))
    moderated_at: Mapped[datetime | None] = mapped_column()
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(10), default="web")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    consultation: Mapped[Consultation] = relationship()
    section: Mapped[ConsultationSection | None] = relationship()

    @property
    def public_name(self):
        """What the public sees of the author: the name (or organisation), never contact details."""
        return self.organisation or self.name or ""


class Outcome(Reviewable, db.Model):
    """The drafting agency's report after closing: comments summarised by group, how each was taken into
    account, and the final document; published through the tenant's review chain."""

    __tablename__ = "consultation_outcome"
    content_type = "consultation_outcome"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(500), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    final_document_id: Mapped[int | None] = mapped_column(ForeignKey("media_file.id", ondelete="SET NULL"))

    consultation: Mapped[Consultation] = relationship()

    def __str__(self):
        return self.title or f"#{self.id}"
