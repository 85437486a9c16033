"""Email subscriptions to new items of followed agencies and topics, and to new consultations."""

from datetime import datetime

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.scoping import TenantScoped
from app.core.timeutil import utcnow
from app.extensions import db


class Subscription(TenantScoped, db.Model):
    """One address's subscription, made on ``tenant``; active once confirmed (double opt-in)."""

    __tablename__ = "subscription"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255), index=True)
    tenants: Mapped[list] = mapped_column(JSON, default=list)  # tenant codes followed
    topics: Mapped[list] = mapped_column(JSON, default=list)  # news category slugs followed
    consultations: Mapped[bool] = mapped_column(default=False)
    consent_at: Mapped[datetime | None] = mapped_column()
    consent_version: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column()
    unsubscribed_at: Mapped[datetime | None] = mapped_column()
    last_sent_at: Mapped[datetime | None] = mapped_column()

    @property
    def active(self):
        return self.confirmed_at is not None and self.unsubscribed_at is None
