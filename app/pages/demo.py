"""Demo standing pages: an introduction and functions page for every tenant, planning pages for several."""

from sqlalchemy import select

from app.core.models import Tenant
from app.core.scoping import scoped
from app.core.timeutil import utcnow
from app.demo import published, register_corpus
from app.extensions import db
from app.pages.models import FUNCTIONS_SLUG, INTRODUCTION_SLUG, Page

PORTAL_INTRODUCTION = """
<p>Bình Phước là tỉnh miền núi, biên giới thuộc vùng Đông Nam Bộ, được tái lập ngày 01/01/1997 trên cơ sở chia tách tỉnh
Sông Bé. Tỉnh lỵ là thành phố Đồng Xoài, cách Thành phố Hồ Chí Minh khoảng 120 km theo Quốc lộ 14.</p>
<h2>Vị trí địa lý và tự nhiên</h2>
<p>Diện tích tự nhiên khoảng 6.877 km²; phía Bắc giáp Vương quốc Campuchia với đường biên giới dài hơn 260 km qua các
huyện Lộc Ninh, Bù Đốp, Bù Gia Mập; phía Nam giáp tỉnh Bình Dương và Đồng Nai, phía Đông giáp Lâm Đồng và Đắk Nông,
phía Tây giáp Tây Ninh. Địa hình là vùng chuyển tiếp giữa Tây Nguyên và đồng bằng Nam Bộ, với đất đỏ bazan màu mỡ.
Núi Bà Rá (cao 736 m) ở thị xã Phước Long và Vườn quốc gia Bù Gia Mập là những thắng cảnh tiêu biểu.</p>
<h2>Dân số và dân tộc</h2>
<p>Dân số khoảng 1 triệu người, gồm hơn 40 dân tộc anh em; đồng bào S'tiêng là cư dân bản địa với nét văn hóa đặc sắc
(nhà dài, cồng chiêng, lễ hội mừng lúa mới). Lễ hội Sóc Bom Bo ở huyện Bù Đăng tái hiện truyền thống giã gạo nuôi quân
trong kháng chiến.</p>
<h2>Kinh tế</h2>
<p>Bình Phước là vùng trồng cây công nghiệp lớn của cả nước: cao su, điều (hạt điều Bình Phước chiếm phần lớn diện tích
điều cả nước), hồ tiêu. Các khu công nghiệp Chơn Thành, Đồng Xoài, Minh Hưng và Khu kinh tế cửa khẩu Hoa Lư thu hút
nhiều dự án đầu tư.</p>
<h2>Lịch sử và di tích</h2>
<p>Căn cứ Tà Thiết (Lộc Ninh) từng là nơi đặt Bộ Chỉ huy Quân giải phóng miền Nam; Sóc Bom Bo, Trảng cỏ Bù Lạch,
Địa đạo Bình Long là những địa danh gắn với lịch sử cách mạng.</p>
<h2>Bản đồ hành chính</h2>
<p>Tỉnh có 11 đơn vị hành chính cấp huyện: thành phố Đồng Xoài, các thị xã Phước Long, Bình Long, Chơn Thành
và các huyện
Đồng Phú, Hớn Quản, Lộc Ninh, Bù Đốp, Bù Gia Mập, Bù Đăng, Phú Riềng.</p>
"""

PORTAL_FUNCTIONS = """
<p>Cổng thông tin điện tử tỉnh Bình Phước do Văn phòng UBND tỉnh quản lý, có chức năng cung cấp thông tin chính thống
về hoạt động chỉ đạo, điều hành của Tỉnh ủy, HĐND, UBND tỉnh, theo Nghị định 43/2011/NĐ-CP.</p>
<ul><li>Cung cấp thông tin giới thiệu, tin tức, văn bản quy phạm pháp luật;</li>
<li>Cung cấp dịch vụ công trực tuyến, thủ tục hành chính;</li>
<li>Tiếp nhận, trả lời ý kiến, kiến nghị của tổ chức, cá nhân;</li>
<li>Liên kết các trang thông tin điện tử của các sở, ban, ngành, huyện, thị xã, thành phố.</li></ul>
"""

PLANNING = (
    (
        "quy-hoach-tinh-2021-2030",
        "Quy hoạch tỉnh Bình Phước thời kỳ 2021-2030, tầm nhìn đến năm 2050",
        "<p>Quy hoạch tỉnh được Thủ tướng Chính phủ phê duyệt, xác định Bình Phước phát triển công nghiệp, nông nghiệp "
        "công nghệ cao và đô thị dọc hành lang Quốc lộ 13, Quốc lộ 14, cao tốc Thành phố Hồ Chí Minh - Thủ Dầu Một - "
        "Chơn Thành.</p><h2>Các khu chức năng</h2><ul><li>Vùng công nghiệp - đô thị phía Nam (Đồng Xoài, Chơn Thành, "
        "Đồng Phú)"
        "</li><li>Vùng biên giới và kinh tế cửa khẩu (Lộc Ninh, Bù Đốp, Hoa Lư)</li><li>Vùng sinh thái rừng phía Bắc "
        "(Bù Gia Mập, Phước Long)</li></ul>",
    ),
    (
        "uu-dai-dau-tu",
        "Chính sách ưu đãi và hỗ trợ đầu tư",
        "<p>Nhà đầu tư vào địa bàn có điều kiện kinh tế - xã hội khó khăn và đặc biệt khó khăn được hưởng ưu đãi "
        "thuế thu "
        "nhập doanh nghiệp, miễn giảm tiền thuê đất theo Luật Đầu tư 2020 và Nghị định 31/2021/NĐ-CP.</p>",
    ),
    (
        "quy-hoach-su-dung-dat",
        "Kế hoạch sử dụng đất năm 2026",
        "<p>Kế hoạch sử dụng đất năm 2026 được UBND tỉnh phê duyệt, gồm chỉ tiêu đất khu công nghiệp, đất ở đô thị "
        "và đất "
        "rừng phòng hộ; danh mục công trình, dự án thu hồi đất.</p>",
    ),
)

PLANNING_TENANTS = ("portal", "skhdt", "stnmt", "sxd", "dongxoai", "chonthanh")


def _introduction(tenant):
    if tenant.kind == "portal":
        return PORTAL_INTRODUCTION
    if tenant.kind == "district":
        return (
            f"<p>{tenant.name_vi} là đơn vị hành chính thuộc tỉnh Bình Phước. Địa bàn có diện tích trồng cao su, điều, "
            "hồ tiêu lớn, đời sống của đồng bào dân tộc thiểu số (S'tiêng, M'nông, Khmer) ngày càng được cải thiện.</p>"
            "<h2>Vị trí</h2><p>Nằm trên trục giao thông kết nối với thành phố Đồng Xoài và các tỉnh Đông Nam Bộ.</p>"
            "<h2>Tiềm năng</h2><p>Phát triển công nghiệp chế biến nông sản, du lịch sinh thái và văn hóa lịch sử.</p>"
        )
    return (
        f"<p>{tenant.name_vi} là cơ quan chuyên môn trực thuộc UBND tỉnh Bình Phước, tham mưu, giúp UBND tỉnh quản lý "
        "nhà nước trong lĩnh vực được giao.</p><p>Trụ sở đặt tại thành phố Đồng Xoài, tỉnh Bình Phước.</p>"
    )


def _functions(tenant):
    if tenant.kind == "portal":
        return PORTAL_FUNCTIONS
    return (
        f"<p>{tenant.name_vi} có các chức năng, nhiệm vụ chủ yếu sau:</p><ol>"
        "<li>Trình UBND tỉnh dự thảo quyết định, chỉ thị, kế hoạch dài hạn, 05 năm và hằng năm thuộc lĩnh vực quản "
        "lý;</li>"
        "<li>Tổ chức thực hiện các văn bản quy phạm pháp luật, quy hoạch, kế hoạch sau khi được phê duyệt;</li>"
        "<li>Giải quyết thủ tục hành chính, tiếp nhận và trả lời phản ánh, kiến nghị của người dân và doanh "
        "nghiệp;</li>"
        "<li>Thanh tra, kiểm tra, giải quyết khiếu nại, tố cáo theo quy định;</li>"
        "<li>Thực hiện chế độ thông tin, báo cáo định kỳ và đột xuất.</li></ol>"
    )


def _annual_plan(tenant):
    return (
        f"<p>Kế hoạch hoạt động năm 2026 của {tenant.name_vi} được xây dựng trên cơ sở Nghị quyết của Tỉnh ủy, HĐND "
        f"tỉnh "
        "về nhiệm vụ phát triển kinh tế - xã hội năm 2026.</p><h2>Mục tiêu</h2><ul><li>Hoàn thành các chỉ tiêu được "
        "UBND tỉnh giao;</li><li>Đẩy mạnh chuyển đổi số, cung cấp dịch vụ công trực tuyến toàn trình;</li>"
        "<li>Cải thiện chỉ số cải cách hành chính (PAR Index) và chỉ số hài lòng (SIPAS).</li></ul>"
    )


def _ensure(tenant, slug, title, body, section, order, now):
    exists = db.session.execute(scoped(Page, tenant, Page.id).where(Page.slug == slug)).first()
    if exists:
        return 0
    db.session.add(
        published(
            Page,
            tenant,
            now,
            slug=slug,
            title=title,
            body=body,
            section=section,
            sort_order=order,
        )
    )
    return 1


def load_pages(scale=1):
    now = utcnow()
    count = 0
    for tenant in db.session.execute(select(Tenant).order_by(Tenant.sort_order, Tenant.code)).scalars():
        intro_title = "Giới thiệu tỉnh Bình Phước" if tenant.kind == "portal" else f"Giới thiệu {tenant.name_vi}"
        count += _ensure(tenant, INTRODUCTION_SLUG, intro_title, _introduction(tenant), "introduction", 0, now)
        count += _ensure(tenant, FUNCTIONS_SLUG, "Chức năng, nhiệm vụ", _functions(tenant), "functions", 1, now)
        plan_title = f"Kế hoạch hoạt động năm 2026 của {tenant.name_vi}"
        count += _ensure(tenant, "ke-hoach-nam-2026", plan_title, _annual_plan(tenant), "planning", 9, now)
        if tenant.code in PLANNING_TENANTS:
            for order, (slug, title, body) in enumerate(PLANNING):
                count += _ensure(tenant, slug, title, body, "planning", order, now)
    db.session.commit()
    yield f"pages: {count} standing pages"


def _sentences(html):
    from app.core.text import plain_text

    return [s.strip() + "." for s in plain_text(html).split(". ") if len(s.strip()) > 20]


# The standing pages' text adds to the corpus of the bulk items of ``--scale``.
register_corpus(
    sentences=_sentences(PORTAL_INTRODUCTION)
    + _sentences(PORTAL_FUNCTIONS)
    + [_sentences(b)[0] for _, _, b in PLANNING],
    titles=[title for _, title, _ in PLANNING],
)
