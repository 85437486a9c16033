"""Members of a tenant's editorial board (Ban biên tập)."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.enums import LabelledEnum
from app.core.scoping import TenantScoped
from app.core.timeutil import utcnow
from app.extensions import db


class Position(LabelledEnum):
    """Positions in the board, in the order they are listed (Regulation Art. 18)."""

    HEAD = "head", _l("Head of the editorial board")
    DEPUTY_HEAD = "deputy_head", _l("Deputy head")
    SECRETARY = "secretary", _l("Secretary")
    MEMBER = "member", _l("Member")


class BoardMember(TenantScoped, db.Model):
    """One person on the board, optionally linked to their staff account."""

    __tablename__ = "board_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[str] = mapped_column(String(20), default="member")
    name: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(String(500), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    sort_order: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user = relationship("User")

    @property
    def position_label(self):
        return Position.label_of(self.position)

    def __str__(self):
        return self.name
