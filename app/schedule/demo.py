"""Demo schedules: the provincial leaders on the portal and the leaders of several districts and departments."""

import datetime as dt
from datetime import time, timedelta

from sqlalchemy import select

from app.core.models import Tenant
from app.core.scoping import scoped
from app.core.timeutil import utcnow
from app.demo import published
from app.extensions import db
from app.schedule.models import ScheduleEntry
from app.schedule.views import today
from app.schedule.weeks import monday_of

PORTAL_LEADERS = ("Chủ tịch UBND tỉnh", "Phó Chủ tịch Thường trực UBND tỉnh", "Phó Chủ tịch UBND tỉnh")
PORTAL_ITEMS = (
    ("Họp UBND tỉnh thường kỳ tháng", "Phòng họp A, UBND tỉnh", "Văn phòng UBND tỉnh", "Thành viên UBND tỉnh"),
    ("Làm việc với Sở Kế hoạch và Đầu tư về tình hình giải ngân vốn đầu tư công", "Phòng họp B, UBND tỉnh",
     "Sở Kế hoạch và Đầu tư", "Lãnh đạo các sở: KH&ĐT, Tài chính, Xây dựng"),
    ("Kiểm tra tiến độ dự án đường cao tốc TP. Hồ Chí Minh - Thủ Dầu Một - Chơn Thành", "Thị xã Chơn Thành",
     "Sở Giao thông vận tải", "Ban QLDA đầu tư xây dựng tỉnh, UBND thị xã Chơn Thành"),
    ("Tiếp công dân định kỳ", "Trụ sở Tiếp công dân tỉnh", "Ban Tiếp công dân tỉnh", "Thanh tra tỉnh, Sở Tư pháp"),
    ("Dự Lễ hội Sóc Bom Bo", "Xã Bình Minh, huyện Bù Đăng", "Sở Văn hóa, Thể thao và Du lịch",
     "Lãnh đạo các sở, ngành"),
    ("Hội nghị xúc tiến đầu tư vào các khu công nghiệp", "Trung tâm Hội nghị tỉnh", "Ban Quản lý Khu kinh tế",
     "Các doanh nghiệp, nhà đầu tư"),
)  # fmt: skip
LOCAL_ITEMS = (
    ("Giao ban công tác tuần", "Phòng họp cơ quan", "Văn phòng", "Lãnh đạo, trưởng các phòng"),
    ("Làm việc với đoàn kiểm tra của UBND tỉnh", "Phòng họp cơ quan", "Văn phòng", "Lãnh đạo, các phòng liên quan"),
    ("Kiểm tra thực tế cơ sở", "Địa bàn", "Phòng Nghiệp vụ", "Phòng chuyên môn"),
    ("Tiếp công dân", "Phòng Tiếp công dân", "Thanh tra", "Lãnh đạo, Thanh tra"),
)
TENANTS = ("portal", "vpubnd", "dongxoai", "chonthanh", "budang", "stc", "skhdt", "ctk")
SLOTS = (time(7, 30), time(9, 0), time(14, 0), time(15, 30))


def load_schedules(scale=1):
    now = utcnow()
    first_monday = monday_of(today()) - timedelta(days=7)
    count = 0
    for code in TENANTS:
        tenant = db.session.execute(select(Tenant).where(Tenant.code == code)).scalars().first()
        if tenant is None or db.session.execute(scoped(ScheduleEntry, tenant, ScheduleEntry.id)).first():
            continue
        items = PORTAL_ITEMS if tenant.kind == "portal" else LOCAL_ITEMS
        leaders = PORTAL_LEADERS if tenant.kind == "portal" else ("Thủ trưởng cơ quan", "Phó Thủ trưởng cơ quan")
        n = 0
        for day_offset in range(21 * max(1, scale)):
            day = first_monday + timedelta(days=day_offset)
            if day.weekday() >= 5:
                continue
            for slot in range(2 if tenant.kind == "portal" else 1):
                title, location, unit, participants = items[(day_offset + slot + len(code)) % len(items)]
                start = SLOTS[(day_offset + slot * 2) % len(SLOTS)]
                end = (dt.datetime.combine(day, start) + timedelta(minutes=90)).time()
                db.session.add(
                    published(
                        ScheduleEntry,
                        tenant,
                        now,
                        date=day,
                        start_time=start,
                        end_time=end,
                        title=title,
                        location=location,
                        presiding=leaders[n % len(leaders)],
                        participants=participants,
                        preparing_unit=unit,
                    )  # fmt: skip
                )
                n += 1
        count += n
    db.session.commit()
    yield f"schedule: {count} entries"
