"""Demo editorial boards: a realistic board for every tenant."""

from sqlalchemy import select

from app.board.models import BoardMember
from app.core.models import Tenant
from app.core.scoping import scoped
from app.extensions import db

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ")
MIDDLE = ("Văn", "Thị", "Hữu", "Minh", "Thanh", "Quốc", "Ngọc", "Đức")
GIVEN = ("Hùng", "Lan", "Tuấn", "Hạnh", "Phúc", "Dũng", "Mai", "Sơn", "Thảo", "Long", "Hương", "Khải")
BOARD = (
    ("head", "Giám đốc"),
    ("deputy_head", "Phó Giám đốc"),
    ("deputy_head", "Chánh Văn phòng"),
    ("secretary", "Chuyên viên Văn phòng"),
    ("member", "Trưởng phòng Tổng hợp"),
    ("member", "Chuyên viên phụ trách công nghệ thông tin"),
)
DISTRICT_TITLES = {"Giám đốc": "Chủ tịch UBND", "Phó Giám đốc": "Phó Chủ tịch UBND"}


def _name(seed):
    return f"{SURNAMES[seed % len(SURNAMES)]} {MIDDLE[(seed // 3) % len(MIDDLE)]} {GIVEN[(seed * 7) % len(GIVEN)]}"


def load_board(scale=1):
    count = 0
    tenants = db.session.execute(select(Tenant).order_by(Tenant.sort_order, Tenant.code)).scalars().all()
    for t_index, tenant in enumerate(tenants):
        if db.session.execute(scoped(BoardMember, tenant, BoardMember.id)).first():
            continue
        for order, (position, title) in enumerate(BOARD):
            if tenant.kind == "district":
                title = DISTRICT_TITLES.get(title, title)
            db.session.add(
                BoardMember(
                    tenant_id=tenant.id,
                    position=position,
                    name=_name(t_index * len(BOARD) + order),
                    title=f"{title}, {tenant.name_vi}",
                    sort_order=order,
                )
            )
            count += 1
    db.session.commit()
    yield f"editorial boards: {count} members"


def init_app(app):
    from app.demo import register

    register(load_board)
