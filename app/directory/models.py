"""Units (a tree per tenant) and officials with their official contact details."""

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.scoping import TenantScoped
from app.extensions import db
from app.media.models import MediaFile


class Unit(TenantScoped, db.Model):
    """An organisational unit (leadership board, office, division, attached unit); ``parent`` builds the tree."""

    __tablename__ = "directory_unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    name_en: Mapped[str] = mapped_column(String(255), default="")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("directory_unit.id", ondelete="SET NULL"), index=True)
    sort_order: Mapped[int] = mapped_column(default=0)
    phone: Mapped[str] = mapped_column(String(50), default="")
    email: Mapped[str] = mapped_column(String(255), default="")
    address: Mapped[str] = mapped_column(String(500), default="")
    duties: Mapped[str] = mapped_column(Text, default="")

    parent: Mapped["Unit | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Unit"]] = relationship(back_populates="parent", order_by="Unit.sort_order")
    officials: Mapped[list["Official"]] = relationship(back_populates="unit", order_by="Official.sort_order")

    def __str__(self):
        return self.name


class Official(TenantScoped, db.Model):
    """A competent official (R-08 g); leaders also carry a short biography and a photo (R-08 a)."""

    __tablename__ = "directory_official"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[str] = mapped_column(String(255))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("directory_unit.id", ondelete="SET NULL"), index=True)
    phone: Mapped[str] = mapped_column(String(50), default="")
    email: Mapped[str] = mapped_column(String(255), default="")
    duties: Mapped[str] = mapped_column(Text, default="")
    is_leader: Mapped[bool] = mapped_column(default=False)
    biography: Mapped[str] = mapped_column(Text, default="")
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("media_file.id", ondelete="SET NULL"))
    sort_order: Mapped[int] = mapped_column(default=0)
    published: Mapped[bool] = mapped_column(default=True)

    unit: Mapped[Unit | None] = relationship(back_populates="officials")
    photo: Mapped[MediaFile | None] = relationship()

    def __str__(self):
        return f"{self.name} ({self.position})"
