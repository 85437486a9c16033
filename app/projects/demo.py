"""Demo projects (``flask demo load``): calls for investment, bidding notices, science programmes."""

from datetime import date

from sqlalchemy import select

from app.core.models import Tenant
from app.core.timeutil import utcnow
from app.extensions import db
from app.projects.models import Project
from app.workflow.models import ReviewState

INVESTMENT = (
    ("Khu công nghiệp Minh Hưng - Sikico mở rộng", "Công nghiệp", "Thị xã Chơn Thành", "655 ha", 3_200_000_000_000),
    ("Khu du lịch sinh thái hồ Suối Lam", "Du lịch", "Thành phố Đồng Xoài", "120 ha", 850_000_000_000),
    ("Nhà máy chế biến hạt điều xuất khẩu công nghệ cao", "Nông nghiệp", "Huyện Bù Đăng", "15 ha", 420_000_000_000),
    ("Trung tâm logistics Hoa Lư", "Thương mại - Dịch vụ", "Thị xã Lộc Ninh", "50 ha", 1_100_000_000_000),
)
BIDDING = (
    (
        "Gói thầu số 05: Xây lắp đường ĐT.741 đoạn Đồng Xoài - Phước Long",
        "Sở Giao thông vận tải",
        "Đấu thầu rộng rãi",
        96_500_000_000,
    ),
    ("Mua sắm thiết bị y tế cho Bệnh viện đa khoa tỉnh năm 2026", "Sở Y tế", "Đấu thầu rộng rãi", 28_400_000_000),
    (
        "Cung cấp dịch vụ thuê hạ tầng điện toán đám mây cho Cổng thông tin điện tử tỉnh",
        "Sở Thông tin và Truyền thông",
        "Chào hàng cạnh tranh",
        3_850_000_000,
    ),
)
SCIENCE = (
    (
        "ĐT.01/2025",
        "Nghiên cứu chọn tạo giống điều năng suất cao phù hợp điều kiện Bình Phước",
        "provincial",
        "Trường Đại học Nông Lâm TP. Hồ Chí Minh",
        2025,
        2027,
        "Nông nghiệp",
    ),
    (
        "ĐT.04/2026",
        "Ứng dụng công nghệ số trong quản lý hồ sơ thủ tục hành chính cấp xã",
        "provincial",
        "Sở Khoa học và Công nghệ",
        2026,
        2027,
        "Công nghệ thông tin",
    ),
    (
        "NV.02/2024",
        "Bảo tồn và phát huy văn hóa dân tộc S'tiêng",
        "grassroots",
        "Bảo tàng tỉnh Bình Phước",
        2024,
        2025,
        "Văn hóa",
    ),
)


def load_demo(scale=1):
    if db.session.execute(select(Project.id).limit(1)).first() is not None:
        yield "projects: already loaded"
        return
    tenants = {t.code: t for t in db.session.execute(select(Tenant)).scalars()}
    now, count = utcnow(), 0
    live = {"state": ReviewState.PUBLISHED, "published_at": now}
    for code in ("portal", "skhdt"):
        if code not in tenants:
            continue
        tid = tenants[code].id
        for title, field, location, scale_text, capital in INVESTMENT:
            db.session.add(
                Project(
                    tenant_id=tid,
                    kind="investment",
                    title=title,
                    field=field,
                    status="calling",
                    location=location,
                    scale=scale_text,
                    total_capital=capital,
                    objective=f"Thu hút đầu tư: {title.lower()}.",
                    project_type="Dự án đầu tư có sử dụng đất",
                    investment_form="100% vốn nhà đầu tư",
                    incentives="Miễn tiền thuê đất 11 năm; ưu đãi thuế thu nhập doanh nghiệp theo quy định.",
                    contact="Sở Kế hoạch và Đầu tư, 0271 3879 148",
                    summary=f"Dự án {title} kêu gọi đầu tư.",
                    **live,
                )
            )
            count += 1
    for code in ("portal", "sgtvt", "syt", "stttt"):
        if code not in tenants:
            continue
        for n, (title, entity, method, value) in enumerate(BIDDING, start=1):
            db.session.add(
                Project(
                    tenant_id=tenants[code].id,
                    kind="bidding",
                    title=title,
                    code=f"TBMT-2026-{n:03d}",
                    field="Đấu thầu",
                    status="open",
                    procuring_entity=entity,
                    procurement_method=method,
                    tender_opens_at=date(2026, 11, 2),
                    tender_closes_at=date(2026, 12, 15),
                    estimated_value=value,
                    currency="VND",
                    summary=f"Thông báo mời thầu: {title}.",
                    **live,
                )
            )
            count += 1
    for code in ("portal", "skhcn"):
        if code not in tenants:
            continue
        for pcode, title, level, lead, start, end, field in SCIENCE:
            db.session.add(
                Project(
                    tenant_id=tenants[code].id,
                    kind="science",
                    code=pcode,
                    title=title,
                    management_level=level,
                    lead_organisation=lead,
                    start_year=start,
                    end_year=end,
                    field=field,
                    status="accepted" if end < 2026 else "ongoing",
                    summary=f"Nhiệm vụ khoa học và công nghệ: {title}.",
                    results_report="Đã nghiệm thu, xếp loại Đạt." if end < 2026 else "",
                    **live,
                )
            )
            count += 1
    db.session.commit()
    yield f"projects: {count} published"
