from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.scoping import TenantScoped
from app.core.timeutil import utcnow
from app.extensions import db

WORK_KINDS = ("article", "photo", "video", "audio", "graphic", "translation", "other")
STATUSES = ("proposed", "approved", "paid")


class Royalty(TenantScoped, db.Model):
    """One author's fee for one published work, in Vietnamese đồng (R-31)."""

    __tablename__ = "royalty"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    author_name: Mapped[str] = mapped_column(String(255))
    work_title: Mapped[str] = mapped_column(String(500))
    work_url: Mapped[str] = mapped_column(String(500), default="")
    kind: Mapped[str] = mapped_column(String(20), default="article")
    amount: Mapped[int] = mapped_column()
    period: Mapped[str] = mapped_column(String(7), index=True)  # YYYY-MM
    status: Mapped[str] = mapped_column(String(20), default="proposed", index=True)
    paid_on: Mapped[date | None] = mapped_column()
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author = relationship("User")

    def __str__(self):
        return f"{self.author_name}: {self.work_title}"
