"""Demo procedures (``flask demo load``): realistic records for the portal and several subsites."""

from datetime import date

from sqlalchemy import select

from app.core.models import Tenant
from app.demo import published, register_corpus
from app.extensions import db
from app.procedures.models import Procedure

# (tenant code, field, level, [names]) ; codes are generated in the national "1.00xxxx" style.
CATALOGUE = (
    (
        "stc",
        "Tài chính ngân sách",
        "province",
        [
            "Cấp mã số đơn vị có quan hệ với ngân sách",
            "Thẩm tra quyết toán vốn đầu tư dự án hoàn thành",
            "Thanh toán, tạm ứng vốn đầu tư xây dựng cơ bản",
            "Đăng ký giá hàng hóa, dịch vụ",
        ],
    ),
    (
        "stc",
        "Quản lý công sản",
        "province",
        ["Quyết định mua sắm tài sản công", "Quyết định thanh lý tài sản công", "Quyết định điều chuyển tài sản công"],
    ),
    (
        "stp",
        "Lý lịch tư pháp",
        "province",
        ["Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam", "Cấp Phiếu lý lịch tư pháp cho người nước ngoài"],
    ),
    (
        "stp",
        "Công chứng",
        "province",
        ["Đăng ký hành nghề và cấp Thẻ công chứng viên", "Thành lập Văn phòng công chứng"],
    ),
    ("stp", "Luật sư", "province", ["Đăng ký hoạt động của tổ chức hành nghề luật sư"]),
    (
        "skhdt",
        "Thành lập và hoạt động của doanh nghiệp",
        "province",
        [
            "Đăng ký thành lập doanh nghiệp tư nhân",
            "Đăng ký thành lập công ty TNHH một thành viên",
            "Đăng ký thay đổi người đại diện theo pháp luật",
            "Thông báo tạm ngừng kinh doanh",
        ],
    ),
    (
        "skhdt",
        "Đầu tư tại Việt Nam",
        "province",
        ["Chấp thuận chủ trương đầu tư của UBND cấp tỉnh", "Cấp Giấy chứng nhận đăng ký đầu tư"],
    ),
    ("snnptnt", "Trồng trọt", "province", ["Cấp Giấy chứng nhận đủ điều kiện buôn bán phân bón"]),
    (
        "snnptnt",
        "Thú y",
        "province",
        ["Cấp Chứng chỉ hành nghề thú y", "Cấp Giấy chứng nhận cơ sở an toàn dịch bệnh động vật"],
    ),
    ("snnptnt", "Lâm nghiệp", "province", ["Phê duyệt phương án quản lý rừng bền vững"]),
    (
        "dongxoai",
        "Hộ tịch",
        "district",
        [
            "Đăng ký khai sinh có yếu tố nước ngoài",
            "Đăng ký kết hôn có yếu tố nước ngoài",
            "Thay đổi, cải chính hộ tịch",
        ],
    ),
    (
        "dongxoai",
        "Chứng thực",
        "commune",
        ["Chứng thực bản sao từ bản chính", "Chứng thực chữ ký trong các giấy tờ, văn bản"],
    ),
    ("dongxoai", "Đất đai", "district", ["Đăng ký biến động quyền sử dụng đất", "Tách thửa hoặc hợp thửa đất"]),
    ("vpubnd", "Tiếp công dân", "province", ["Tiếp công dân tại cấp tỉnh"]),
    ("vpubnd", "Giải quyết khiếu nại", "province", ["Giải quyết khiếu nại lần hai tại cấp tỉnh"]),
    ("portal", "Đầu tư tại Việt Nam", "province", ["Quyết định chủ trương đầu tư dự án sử dụng đất"]),
    ("portal", "Xây dựng", "province", ["Cấp giấy phép xây dựng mới công trình cấp I, II"]),
    ("stp", "Hộ tịch", "province", ["Cấp bản sao trích lục hộ tịch", "Xác định lại dân tộc"]),
    ("stp", "Trợ giúp pháp lý", "province", ["Giải quyết yêu cầu trợ giúp pháp lý", "Cấp thẻ trợ giúp viên pháp lý"]),
    ("skhdt", "Đấu thầu", "province", ["Thẩm định kế hoạch lựa chọn nhà thầu"]),
    ("snnptnt", "Thủy lợi", "province", ["Cấp giấy phép hoạt động trong phạm vi bảo vệ công trình thủy lợi"]),
    ("snnptnt", "Chăn nuôi", "province", ["Cấp Giấy chứng nhận đủ điều kiện chăn nuôi trang trại quy mô lớn"]),
    (
        "dongxoai",
        "Hộ tịch",
        "commune",
        ["Đăng ký khai sinh", "Đăng ký khai tử", "Đăng ký kết hôn", "Đăng ký thường trú"],
    ),
    ("dongxoai", "Xây dựng", "district", ["Cấp giấy phép xây dựng nhà ở riêng lẻ", "Gia hạn giấy phép xây dựng"]),
    ("dongxoai", "Lao động - Thương binh và Xã hội", "commune", ["Xác nhận hộ nghèo, hộ cận nghèo"]),
    (
        "chonthanh",
        "Đất đai",
        "district",
        ["Cấp Giấy chứng nhận quyền sử dụng đất lần đầu", "Chuyển mục đích sử dụng đất"],
    ),
    ("chonthanh", "Chứng thực", "commune", ["Chứng thực hợp đồng, giao dịch liên quan đến tài sản"]),
    ("syt", "Y tế", "province", ["Cấp chứng chỉ hành nghề khám bệnh, chữa bệnh", "Cấp giấy phép hoạt động phòng khám"]),
    ("sgddt", "Giáo dục và Đào tạo", "province", ["Cho phép trường trung học phổ thông hoạt động giáo dục"]),
)

STEPS = [
    "Bước 1: Tổ chức, cá nhân chuẩn bị hồ sơ theo quy định",
    "Bước 2: Nộp hồ sơ tại Trung tâm Phục vụ hành chính công tỉnh hoặc qua Cổng dịch vụ công",
    "Bước 3: Cơ quan có thẩm quyền tiếp nhận, thẩm định hồ sơ",
    "Bước 4: Trả kết quả cho tổ chức, cá nhân",
]


def load_demo(scale=1):
    tenants = {t.code: t for t in db.session.execute(select(Tenant)).scalars()}
    if db.session.execute(select(Procedure.id).limit(1)).first() is not None:
        yield "procedures: already loaded"
        return
    number, count = 1000, 0
    for _round in range(max(1, int(scale))):
        for code, field, level, names in CATALOGUE:
            tenant = tenants.get(code)
            if tenant is None:
                continue
            for name in names:
                number += 37
                days = 3 + number % 12
                fee = (number % 5) * 50000
                online = ("full", "partial", "none")[number % 3]
                db.session.add(
                    published(
                        Procedure,
                        tenant,
                        db.func.now(),
                        code=f"1.00{number:04d}" if _round == 0 else f"2.{_round:02d}{number:04d}",
                        name=name,
                        level=level,
                        field=field,
                        implementing_agency=tenant.name_vi,
                        competent_agency=tenant.name_vi if level != "province" else "Ủy ban nhân dân tỉnh Bình Phước",
                        steps=STEPS,
                        channels=[
                            {
                                "channel": "in_person",
                                "processing_days": days,
                                "processing_time": f"{days} ngày làm việc",
                                "fee": fee,
                                "fee_note": "",
                            },
                            {
                                "channel": "post",
                                "processing_days": days,
                                "processing_time": f"{days} ngày làm việc",
                                "fee": fee,
                                "fee_note": "",
                            },
                            {
                                "channel": "online",
                                "processing_days": max(1, days - 2),
                                "processing_time": f"{max(1, days - 2)} ngày làm việc",
                                "fee": fee // 2,
                                "fee_note": "",
                            },
                        ],
                        components=[
                            {"name": "Đơn đề nghị (theo mẫu)", "quantity": 1, "form_id": None},
                            {"name": "Bản sao Căn cước công dân", "quantity": 1, "form_id": None},
                            {"name": "Giấy tờ chứng minh liên quan", "quantity": 2, "form_id": None},
                        ],
                        applicants="Tổ chức, cá nhân",
                        requirements="Không",
                        legal_basis="Luật Tổ chức chính quyền địa phương năm 2015\n"
                        "12/2026/QĐ-UBND Quyết định công bố danh mục thủ tục hành chính",
                        result="Quyết định hoặc giấy chứng nhận của cơ quan có thẩm quyền",
                        online_level=online,
                        online_url="https://dichvucong.binhphuoc.gov.vn" if online != "none" else "",
                        announced_on=date(2026, 1, 15),
                        decision_number="45/QĐ-UBND",
                    )
                )
                count += 1
    db.session.commit()
    yield f"procedures: {count} published"


# Procedure names are titles people search for: they add to the corpus of the bulk items of ``--scale``.
register_corpus(titles=[f"Hướng dẫn thủ tục {name[0].lower()}{name[1:]}" for *_, names in CATALOGUE for name in names])
