"""Press releases."""

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.media.models import MediaFile
from app.workflow.models import Reviewable, WrittenItem


class PressRelease(WrittenItem, Reviewable, db.Model):
    """An official statement of the agency to the press; ``slug`` is made from the title when published."""

    __tablename__ = "press_release"
    __table_args__ = (UniqueConstraint("tenant_id", "slug", name="uq_press_release_tenant_slug"),)
    content_type = "press_release"

    id: Mapped[int] = mapped_column(primary_key=True)
    cover_id: Mapped[int | None] = mapped_column(ForeignKey("media_file.id", ondelete="SET NULL"))
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(255), default="")
    contact_phone: Mapped[str] = mapped_column(String(50), default="")
    link: Mapped[str] = mapped_column(String(500), default="")

    cover: Mapped[MediaFile | None] = relationship(foreign_keys=[cover_id])
