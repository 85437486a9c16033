from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.scoping import TenantScoped
from app.core.timeutil import utcnow
from app.extensions import db


class Evaluation(TenantScoped, db.Model):
    """The annual evaluation of one site (R-30): computed indicators plus the assessor's scores."""

    __tablename__ = "report_evaluation"
    __table_args__ = (UniqueConstraint("tenant_id", "year", name="uq_report_evaluation_tenant_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column()
    indicators: Mapped[dict] = mapped_column(JSON, default=dict)
    scores: Mapped[dict] = mapped_column(JSON, default=dict)
    total: Mapped[int] = mapped_column(default=0)
    grade: Mapped[str] = mapped_column(String(20), default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    assessed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    assessed_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
