"""The fixed relevance set: each query names the item that must be among the first three results (issue 13).

``(site searched from, query string, (site of the item, type, start of its title))``; about half the queries are
typed without diacritics, as people type them. Used by tests/search/test_relevance.py and bench/search.py.
"""

CASES = [
    ("portal", "dong xoai", ("dongxoai", "page", "Giới thiệu UBND thị xã Đồng Xoài")),
    ("portal", "dong xoa", ("dongxoai", "page", "Giới thiệu UBND thị xã Đồng Xoài")),
    ("portal", "Đồng Xoài", ("dongxoai", "page", "Giới thiệu UBND thị xã Đồng Xoài")),
    ("portal", "gioi thieu loc ninh", ("locninh", "page", "Giới thiệu UBND huyện Lộc Ninh")),
    ("portal", "so tai chinh", ("stc", "page", "Giới thiệu Sở Tài chính")),
    ("portal", "dang ky khai sinh", ("*", "procedure", "1.002517 · Đăng ký khai sinh")),
    ("portal", "giấy phép xây dựng", ("*", "procedure", "1.002221 · Cấp giấy phép xây dựng mới")),
    ("portal", "bang gia dat 2026", ("*", "document", "Quyết định 25/2026/QĐ-UBND")),
    ("portal", "quy hoạch tỉnh 2021-2030", ("portal", "page", "Quy hoạch tỉnh Bình Phước thời kỳ 2021-2030")),
    ("portal", "ho ngheo", ("*", "procedure", "1.002739 · Xác nhận hộ nghèo")),
    ("portal", "chung chi hanh nghe thu y", ("*", "procedure", "1.001740 · Cấp Chứng chỉ hành nghề thú y")),
    ("portal", "vườn quốc gia bù gia mập", ("*", "article", "Vườn quốc gia Bù Gia Mập")),
    ("portal", "gia mu cao su", ("*", "article", "Giá mủ cao su tăng")),
    ("portal", "trung tam logistics hoa lu", ("*", "project", "Trung tâm logistics Hoa Lư")),
    ("portal", "cây điều bền vững", ("*", "consultation", "Dự thảo Kế hoạch phát triển cây điều bền vững")),
    ("portal", "nui ba ra", ("portal", "page", "Giới thiệu tỉnh Bình Phước")),
    ("portal", "quy che cong thong tin dien tu", ("*", "document", "Quyết định 05/2025/QĐ-UBND")),
    ("portal", "trợ giúp pháp lý", ("*", "procedure", "1.002332 · Giải quyết yêu cầu trợ giúp pháp lý")),
    ("portal", "phong kham", ("*", "procedure", "1.002924 · Cấp giấy phép hoạt động phòng khám")),
    ("portal", "chuyen muc dich su dung dat", ("*", "procedure", "1.002813 · Chuyển mục đích sử dụng đất")),
    ("portal", "giai ngan von dau tu cong", ("*", "schedule_entry", "Làm việc với Sở Kế hoạch và Đầu tư")),
    ("portal", "thanh toan tam ung von", ("*", "procedure", "1.001111 · Thanh toán, tạm ứng vốn")),
    ("stc", "chuc nang nhiem vu", ("stc", "page", "Chức năng, nhiệm vụ")),
    ("stc", "ke hoach hoat dong&scope=all", ("stc", "page", "Kế hoạch hoạt động năm 2026 của Sở Tài chính")),
    ("portal", "cashew export&lang=en", ("*", "article", "Binh Phuoc promotes deep processing of cashew")),
    ("portal", "national park&lang=en", ("*", "article", "Bu Gia Map National Park")),
]
