"""Demo directory for every tenant: the leadership, two or three units and their officials (fictional names)."""

from sqlalchemy import select

from app.core.models import Tenant
from app.core.scoping import scoped
from app.directory.models import Official, Unit
from app.extensions import db

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô")
MIDDLE = ("Văn", "Thị", "Minh", "Quốc", "Thanh", "Hữu", "Ngọc", "Đức")
GIVEN = ("An", "Bình", "Cường", "Dũng", "Hải", "Hòa", "Hùng", "Lan", "Long", "Mai", "Nam", "Phúc", "Sơn", "Tâm", "Thảo")


def _name(seed):
    return f"{SURNAMES[seed % len(SURNAMES)]} {MIDDLE[(seed // 3) % len(MIDDLE)]} {GIVEN[(seed * 7) % len(GIVEN)]}"


def _structure(tenant):
    if tenant.kind == "portal":
        head = (
            "Lãnh đạo UBND tỉnh",
            [
                ("Chủ tịch UBND tỉnh", "Phụ trách chung, lãnh đạo, điều hành mọi hoạt động của UBND tỉnh."),
                ("Phó Chủ tịch Thường trực UBND tỉnh", "Phụ trách khối kinh tế, tài chính, đầu tư."),
                ("Phó Chủ tịch UBND tỉnh", "Phụ trách khối văn hóa - xã hội."),
            ],
        )
        units = [
            ("Ban Biên tập Cổng thông tin điện tử", ["Trưởng ban", "Biên tập viên"]),
            ("Văn phòng UBND tỉnh", ["Chánh Văn phòng", "Phó Chánh Văn phòng"]),
            ("Trung tâm Phục vụ hành chính công", ["Giám đốc", "Phó Giám đốc"]),
        ]
    elif tenant.kind == "district":
        head = (
            "Lãnh đạo UBND",
            [
                ("Chủ tịch UBND", "Phụ trách chung."),
                ("Phó Chủ tịch UBND", "Phụ trách kinh tế, hạ tầng, đô thị."),
                ("Phó Chủ tịch UBND", "Phụ trách văn hóa - xã hội."),
            ],
        )
        units = [
            ("Văn phòng HĐND và UBND", ["Chánh Văn phòng", "Chuyên viên"]),
            ("Phòng Tài chính - Kế hoạch", ["Trưởng phòng", "Phó Trưởng phòng"]),
            ("Phòng Tài nguyên và Môi trường", ["Trưởng phòng", "Chuyên viên"]),
        ]
    else:
        head = (
            "Ban Giám đốc" if tenant.kind == "department" else "Lãnh đạo",
            [
                ("Giám đốc" if tenant.kind == "department" else "Cục trưởng", "Phụ trách chung, lãnh đạo toàn diện."),
                ("Phó Giám đốc" if tenant.kind == "department" else "Phó Cục trưởng", "Phụ trách công tác chuyên môn."),
            ],
        )
        units = [
            ("Văn phòng", ["Chánh Văn phòng", "Chuyên viên"]),
            ("Thanh tra", ["Chánh Thanh tra", "Thanh tra viên"]),
            ("Phòng Nghiệp vụ", ["Trưởng phòng", "Phó Trưởng phòng"]),
        ]
    return head, units  # fmt: skip


def load_directory(scale=1):
    units_made = officials_made = 0
    for index, tenant in enumerate(
        db.session.execute(select(Tenant).order_by(Tenant.sort_order, Tenant.code)).scalars()
    ):
        if db.session.execute(scoped(Unit, tenant, Unit.id)).first():
            continue
        domain = tenant.domain or f"{tenant.code}.binhphuoc.gov.vn"
        (head_name, leaders), units = _structure(tenant)
        root = Unit(tenant_id=tenant.id, name=head_name, sort_order=0, phone=tenant.phone, email=tenant.email)
        db.session.add(root)
        seed = index * 11
        for order, (position, duties) in enumerate(leaders):
            seed += 1
            name = _name(seed)
            db.session.add(
                Official(
                    tenant_id=tenant.id,
                    unit=root,
                    name=name,
                    position=position,
                    duties=duties,
                    is_leader=True,
                    phone=f"0271 38{(index * 37 + order) % 100:02d} {100 + order * 11}",
                    email=f"lanhdao{order + 1}@{domain}",
                    sort_order=order,
                    biography=(
                        f"<p>Ông/Bà {name}, sinh năm {1968 + seed % 12}, quê quán tỉnh Bình Phước.</p>"
                        "<p>Trình độ chuyên môn: Thạc sĩ Quản lý công; lý luận chính trị: Cao cấp.</p>"
                        f"<p>Chức vụ hiện nay: {position}, {tenant.name_vi}.</p>"
                    ),
                )  # fmt: skip
            )
            officials_made += 1
        for u_order, (unit_name, positions) in enumerate(units, start=1):
            unit = Unit(
                tenant_id=tenant.id, name=unit_name, parent=root, sort_order=u_order,
                phone=f"0271 38{(index * 13 + u_order) % 100:02d} 2{u_order}0", email=f"vanthu{u_order}@{domain}",
            )  # fmt: skip
            db.session.add(unit)
            units_made += 1
            for p_order, position in enumerate(positions):
                seed += 1
                db.session.add(
                    Official(
                        tenant_id=tenant.id,
                        unit=unit,
                        name=_name(seed),
                        position=position,
                        sort_order=p_order,
                        phone=f"0271 38{(index * 7 + u_order) % 100:02d} {300 + p_order}",
                        email=f"cb{u_order}{p_order}@{domain}",
                    )  # fmt: skip
                )
                officials_made += 1
        units_made += 1
    db.session.commit()
    yield f"directory: {units_made} units, {officials_made} officials"
