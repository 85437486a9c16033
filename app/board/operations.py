"""Reading the editorial board (public page, other modules)."""

from sqlalchemy import case

from app.board.models import BoardMember, Position
from app.core.scoping import scoped
from app.extensions import db


def board_of(tenant=None):
    """The board of ``tenant`` (default: the request's), head first, then by order and name."""
    rank = case({p.value: i for i, p in enumerate(Position)}, value=BoardMember.position, else_=len(Position))
    stmt = scoped(BoardMember, tenant).order_by(rank, BoardMember.sort_order, BoardMember.name)
    return list(db.session.execute(stmt).scalars())
