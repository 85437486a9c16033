"""Citizens' questions (with their tracking code and deadline) and the agencies' answers."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.enums import LabelledEnum
from app.core.scoping import TenantScoped
from app.core.timeutil import utcnow
from app.extensions import db
from app.workflow.models import Reviewable

KINDS = {
    "question": _l("Question"),
    "feedback": _l("Feedback"),
    "petition": _l("Petition on an administrative regulation"),
}


class QuestionStatus(LabelledEnum):
    RECEIVED = "received", _l("Received")
    FORWARDED = "forwarded", _l("Forwarded to the responsible agency")
    IN_PROGRESS = "in_progress", _l("Answer being prepared")
    ANSWERED = "answered", _l("Answered")


STATUS_LABELS = QuestionStatus.labels()


class Question(TenantScoped, db.Model):
    """A question, feedback or petition. ``tenant_id`` is the site handling it now (the portal's board until
    it forwards the case); ``origin_tenant_id`` the site where it was asked."""

    __tablename__ = "question"

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_code: Mapped[str] = mapped_column(String(24), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="question")
    topic: Mapped[str] = mapped_column(String(200), default="")
    origin_tenant_id: Mapped[int] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"), index=True)
    target_tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenant.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    # Personal data: visible only to the handling staff; blanked on erasure.
    name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(255), default="", index=True)
    phone: Mapped[str] = mapped_column(String(50), default="")
    address: Mapped[str] = mapped_column(String(500), default="")
    publish_allowed: Mapped[bool] = mapped_column(default=False)
    consent_at: Mapped[datetime | None] = mapped_column()
    consent_version: Mapped[str] = mapped_column(String(40), default="")
    erased_at: Mapped[datetime | None] = mapped_column()
    status: Mapped[str] = mapped_column(String(20), default=QuestionStatus.RECEIVED, index=True)
    filter_hits: Mapped[list] = mapped_column(JSON, default=list)
    source: Mapped[str] = mapped_column(String(10), default="web")
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # Deadline in working days per kind; the clock runs from receipt, forwarding does not reset it.
    due_at: Mapped[datetime | None] = mapped_column(index=True)
    reminder_sent_at: Mapped[datetime | None] = mapped_column()
    overdue_notified_at: Mapped[datetime | None] = mapped_column()
    forwarded_at: Mapped[datetime | None] = mapped_column()
    forwarded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    forward_note: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None] = mapped_column()

    origin_tenant = relationship("Tenant", foreign_keys=[origin_tenant_id])
    target_tenant = relationship("Tenant", foreign_keys=[target_tenant_id])

    @property
    def is_overdue(self):
        return self.status != QuestionStatus.ANSWERED and self.due_at is not None and self.due_at < utcnow()

    def __str__(self):
        return f"{self.tracking_code} {self.title}"


class Answer(Reviewable, db.Model):
    """The agency's written answer; published through its review chain, then shown with the question."""

    __tablename__ = "question_answer"
    content_type = "answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"), index=True)
    # Rich text, sanitised on every write; the asker's email carries it as plain text.
    body: Mapped[str] = mapped_column(Text, default="")

    question: Mapped[Question] = relationship()

    @property
    def title(self):
        return self.question.title if self.question else f"#{self.id}"

    def __str__(self):
        return self.title
