"""Demo news for every tenant (``flask demo load``): categories, articles in every state, covers, proposals."""

import io
import random
from datetime import timedelta

from PIL import Image, ImageDraw
from sqlalchemy import func, select

from app.core.models import Tenant
from app.core.scoping import scoped
from app.core.text import unaccent
from app.core.timeutil import utcnow
from app.demo import ENGLISH_SHARE, Volume, act, approve, demo_users, quiet_mail, register_volume
from app.extensions import db
from app.media.storage import save_upload
from app.news.models import Article, Category
from app.news.operations import ensure_default_categories

# (category slug, title, summary, paragraphs, English title or "", English summary)
TOPICS = (
    (
        "kinh-te",
        "Bình Phước đẩy mạnh chế biến sâu hạt điều xuất khẩu",
        "Ngành điều tỉnh Bình Phước tập trung nâng cao giá trị gia tăng qua chế biến sâu và xây dựng thương hiệu.",
        [
            "Bình Phước hiện có diện tích điều lớn nhất cả nước, với hàng trăm cơ sở chế biến hạt điều.",
            "Tỉnh khuyến khích doanh nghiệp đầu tư công nghệ chế biến sâu, đạt chứng nhận hữu cơ để mở thị trường.",
        ],
        "Binh Phuoc promotes deep processing of cashew for export",
        "The province's cashew industry focuses on adding value through deep processing and branding.",
    ),
    (
        "kinh-te",
        "Giá mủ cao su tăng, nông dân phấn khởi vào mùa cạo",
        "Giá mủ cao su những tháng gần đây tăng khá, giúp người trồng cao su trên địa bàn tỉnh có thêm thu nhập.",
        [
            "Cao su là cây công nghiệp chủ lực của Bình Phước với diện tích hơn 240 nghìn héc-ta.",
            "Ngành nông nghiệp khuyến cáo người dân cạo mủ đúng kỹ thuật để bảo vệ vườn cây lâu dài.",
        ],
        "",
        "",
    ),
    (
        "van-hoa-xa-hoi",
        "Lễ hội Sóc Bom Bo tái hiện không khí giã gạo nuôi quân",
        "Lễ hội văn hóa dân tộc S'tiêng Sóc Bom Bo thu hút đông đảo du khách và đồng bào tham gia.",
        [
            "Lễ hội được tổ chức tại xã Bình Minh, huyện Bù Đăng với nhiều hoạt động văn hóa đặc sắc.",
            "Tiếng chày giã gạo Sóc Bom Bo gợi nhớ truyền thống đoàn kết của đồng bào trong kháng chiến.",
        ],
        "Soc Bom Bo festival recreates rice pounding for the troops",
        "The S'tieng ethnic cultural festival at Soc Bom Bo draws many visitors and local people.",
    ),
    (
        "van-hoa-xa-hoi",
        "Vườn quốc gia Bù Gia Mập phát triển du lịch sinh thái",
        "Vườn quốc gia Bù Gia Mập xây dựng các tuyến du lịch sinh thái gắn với bảo tồn đa dạng sinh học.",
        [
            "Vườn quốc gia có diện tích hơn 25 nghìn héc-ta rừng nguyên sinh giáp biên giới Campuchia.",
            "Các tuyến tham quan thác Đắk Mai, trảng cỏ Bù Lạch được giới thiệu đến du khách.",
        ],
        "Bu Gia Map National Park develops eco-tourism",
        "The national park builds eco-tourism routes linked to biodiversity conservation.",
    ),
    (
        "kinh-te",
        "Thu hút đầu tư vào các khu công nghiệp đạt kết quả tích cực",
        "Nhiều dự án đầu tư trong và ngoài nước đã được cấp phép tại các khu công nghiệp của tỉnh.",
        [
            "Tỉnh tiếp tục cải thiện môi trường đầu tư, rút ngắn thời gian giải quyết thủ tục cho nhà đầu tư.",
            "Các khu công nghiệp Đồng Xoài, Minh Hưng, Chơn Thành được đầu tư hạ tầng đồng bộ.",
        ],
        "Industrial parks attract new investment",
        "Many domestic and foreign projects were licensed in the province.",
    ),
    (
        "chi-dao-dieu-hanh",
        "UBND tỉnh chỉ đạo đẩy nhanh giải ngân vốn đầu tư công",
        "Chủ tịch UBND tỉnh yêu cầu các sở, ngành, địa phương tập trung giải ngân vốn đầu tư công.",
        [
            "Các chủ đầu tư phải rà soát từng dự án, tháo gỡ vướng mắc về giải phóng mặt bằng.",
            "Đơn vị chậm giải ngân sẽ bị điều chuyển vốn sang dự án có khả năng thực hiện tốt hơn.",
        ],
        "",
        "",
    ),
    (
        "kinh-te",
        "Công khai dự toán ngân sách địa phương năm 2027",
        "Dự toán thu, chi ngân sách được công khai theo quy định của Luật Ngân sách nhà nước.",
        [
            "Tổng thu ngân sách dự kiến tăng so với năm trước nhờ các nguồn thu từ sản xuất, kinh doanh.",
            "Chi đầu tư phát triển ưu tiên giao thông, giáo dục và y tế cơ sở.",
        ],
        "Local budget estimates for 2027 published",
        "Revenue and spending estimates are published as the law requires.",
    ),
    (
        "van-hoa-xa-hoi",
        "Ngành giáo dục chuẩn bị tốt cho năm học mới",
        "Các trường học trên địa bàn hoàn tất sửa chữa cơ sở vật chất, sẵn sàng đón học sinh.",
        [
            "Ngành giáo dục tổ chức tập huấn chương trình giáo dục phổ thông mới cho giáo viên.",
            "Nhiều trường vùng sâu, vùng xa được đầu tư thêm phòng học và thiết bị dạy học.",
        ],
        "Schools ready for the new school year",
        "Schools across the province have completed repairs.",
    ),
    (
        "quoc-phong-an-ninh",
        "Ra quân huấn luyện dân quân tự vệ năm 2027",
        "Lực lượng dân quân tự vệ tổ chức lễ ra quân huấn luyện, bảo đảm an ninh trật tự địa bàn.",
        [
            "Công tác huấn luyện bám sát tình hình thực tế, nâng cao khả năng sẵn sàng chiến đấu.",
            "Các địa phương biên giới tăng cường phối hợp tuần tra, bảo vệ cột mốc.",
        ],
        "",
        "",
    ),
    (
        "chinh-tri",
        "Hội nghị sơ kết công tác 6 tháng đầu năm",
        "Hội nghị đánh giá kết quả thực hiện nhiệm vụ chính trị và đề ra giải pháp cho 6 tháng cuối năm.",
        [
            "Nhiều chỉ tiêu kinh tế - xã hội đạt và vượt kế hoạch đề ra.",
            "Hội nghị thống nhất tập trung cải cách hành chính, chuyển đổi số và thu hút đầu tư.",
        ],
        "Mid-year review conference",
        "The conference reviewed the first half of the year and set out solutions.",
    ),
    (
        "thong-bao",
        "Thông báo lịch tiếp công dân định kỳ tháng này",
        "Lãnh đạo đơn vị tiếp công dân định kỳ vào ngày 15 hằng tháng tại trụ sở cơ quan.",
        [
            "Công dân có nhu cầu phản ánh, kiến nghị vui lòng mang theo giấy tờ tùy thân.",
            "Trường hợp trùng ngày nghỉ, lịch tiếp công dân chuyển sang ngày làm việc kế tiếp.",
        ],
        "",
        "",
    ),
    (
        "van-hoa-xa-hoi",
        "Đồng Xoài chỉnh trang đô thị, phát triển không gian xanh",
        "Thành phố Đồng Xoài triển khai nhiều công trình chỉnh trang đô thị và công viên cây xanh.",
        [
            "Các tuyến đường trung tâm được lắp đặt chiếu sáng và trồng thêm cây xanh.",
            "Hồ Suối Cam được cải tạo thành không gian công cộng cho người dân.",
        ],
        "Dong Xoai upgrades its urban spaces",
        "The city carries out works on streets and green parks.",
    ),
    (
        "kinh-te",
        "Hợp tác xã nông nghiệp ứng dụng công nghệ cao",
        "Nhiều hợp tác xã trồng sầu riêng, hồ tiêu áp dụng tưới tiết kiệm và truy xuất nguồn gốc.",
        [
            "Mô hình giúp giảm chi phí sản xuất, nâng cao chất lượng nông sản.",
            "Tỉnh hỗ trợ hợp tác xã xây dựng mã số vùng trồng phục vụ xuất khẩu.",
        ],
        "",
        "",
    ),
    (
        "chi-dao-dieu-hanh",
        "Đẩy mạnh chuyển đổi số và dịch vụ công trực tuyến",
        "Tỷ lệ hồ sơ thủ tục hành chính nộp trực tuyến tăng rõ rệt trong năm qua.",
        [
            "Người dân có thể nộp hồ sơ, tra cứu kết quả trên Cổng dịch vụ công của tỉnh.",
            "Các cơ quan được yêu cầu số hóa hồ sơ, kết quả giải quyết thủ tục hành chính.",
        ],
        "Digital transformation and online public services",
        "The share of administrative files submitted online rose markedly.",
    ),
    (
        "van-hoa-xa-hoi",
        "Tuyên truyền phòng chống sốt xuất huyết mùa mưa",
        "Ngành y tế khuyến cáo người dân diệt lăng quăng, phòng bệnh sốt xuất huyết.",
        [
            "Các trạm y tế xã tổ chức chiến dịch vệ sinh môi trường tại khu dân cư.",
            "Người có triệu chứng sốt cao cần đến cơ sở y tế để được khám và điều trị kịp thời.",
        ],
        "",
        "",
    ),
)
STATES = ("published", "published", "published", "draft", "in_review", "changes_requested", "published",
          "rejected", "scheduled", "published", "unpublished", "archived", "published")  # fmt: skip
COLOURS = ((0, 91, 150), (178, 34, 34), (34, 120, 60), (200, 120, 0), (90, 60, 140), (0, 120, 120))


class _Upload(io.BytesIO):
    def __init__(self, data, filename):
        super().__init__(data)
        self.filename = filename


def banner(text, colour, size=(480, 270)):
    """A small coloured JPEG banner with an unaccented caption."""
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, size[1] - 60, size[0], size[1]), fill=tuple(max(c - 50, 0) for c in colour))
    draw.text((20, size[1] - 45), unaccent(text)[:70], fill=(255, 255, 255))
    draw.text((20, 20), "BINH PHUOC", fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70)
    return out.getvalue()


def _make_article(tenant, users, categories, index, rng, offset=0):
    category_slug, title, summary, paragraphs, title_en, summary_en = TOPICS[(index + offset) % len(TOPICS)]
    round_no = index // len(TOPICS)
    if round_no:
        title = f"{title} - kỳ {round_no + 1}"
    colour = COLOURS[index % len(COLOURS)]
    cover = save_upload(
        _Upload(banner(title, colour), f"anh-bia-{index + 1}.jpg"),
        tenant,
        users["contributor"],
        allowed_kinds=("image",),
        alt=title,
    )
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    body += f"<p><strong>{tenant.name_vi}</strong> sẽ tiếp tục cập nhật thông tin đến bạn đọc.</p>"
    article = Article(
        tenant_id=tenant.id,
        title=title,
        summary=summary,
        body=body,
        category_id=categories.get(category_slug),
        cover_id=cover.id,
        cover_caption=f"Ảnh: {tenant.name_vi}",
        byline=rng.choice(["Minh Anh", "Thanh Hà", "Quốc Huy", "Ngọc Lan", "Văn Tùng", "Thu Trang"]),
        featured=index % 5 == 0,
        tags=[category_slug.replace("-", " "), "Bình Phước"],
        author_id=users["contributor"].id,
        last_editor_id=users["contributor"].id,
    )
    if title_en:
        article.title_en = title_en if not round_no else f"{title_en} (part {round_no + 1})"
        article.summary_en = summary_en
        article.body_en = f"<p>{summary_en}</p>"
    db.session.add(article)
    db.session.flush()
    state = STATES[(index + offset) % len(STATES)]
    if state == "draft":
        return article
    if state == "scheduled":
        article.publish_at = utcnow() + timedelta(days=3)
    act(article, "submit", users["contributor"])
    if state == "in_review":
        return article
    if state == "changes_requested":
        act(article, "request_changes", users["head"], "Đề nghị bổ sung số liệu và nguồn tin.")
        return article
    if state == "rejected":
        act(article, "reject", users["head"], "Nội dung trùng với tin đã đăng.")
        return article
    approve(article, tenant, users)
    if article.state == "published":
        article.published_at = utcnow() - timedelta(days=index + offset % 4, hours=rng.randint(0, 20))
    if state == "unpublished":
        act(article, "unpublish", users["head"], "Thông tin đã hết hiệu lực.")
    elif state == "archived":
        act(article, "archive", users["head"], "Lưu trữ theo quy định.")
    return article


def load_news(scale=1):
    """Categories and articles for every tenant; skipped for a tenant that already has articles."""
    rng = random.Random(2026)
    created = proposed = 0
    with quiet_mail():
        tenants = db.session.execute(select(Tenant).order_by(Tenant.sort_order, Tenant.id)).scalars().all()
        portal = next(t for t in tenants if t.is_portal)
        for position, tenant in enumerate(tenants):
            ensure_default_categories(tenant)
            exists = db.session.execute(scoped(Article, tenant, func.count(Article.id))).scalar()
            users = demo_users(tenant.code)
            if exists or not all(users.values()):
                continue
            categories = dict(db.session.execute(scoped(Category, tenant, Category.slug, Category.id)).all())
            count = (20 if tenant.is_portal else 5) * max(1, int(scale))
            for index in range(count):
                _make_article(tenant, users, categories, index, rng, offset=0 if tenant.is_portal else position * 3)
                created += 1
            db.session.commit()
        # A few subsites propose a published article; the portal's board publishes the copies.
        portal_users = demo_users(portal.code)
        for tenant in [t for t in tenants if not t.is_portal][:6]:
            users = demo_users(tenant.code)
            article = (
                db.session.execute(
                    scoped(Article, tenant)
                    .where(Article.state == "published", Article.revision_of_id.is_(None))
                    .order_by(Article.id)
                )
                .scalars()
                .first()
            )
            if article is None or not all(users.values()) or not all(portal_users.values()):
                continue
            already = db.session.execute(
                scoped(Article, portal, Article.id).where(Article.source_object_id == article.id)
            ).scalar()
            if already:
                continue
            act(article, "propose_to_portal", users["head"], "Đề nghị đăng trên Cổng thông tin tỉnh.")
            copy = (
                db.session.execute(scoped(Article, portal).where(Article.source_object_id == article.id))
                .scalars()
                .first()
            )
            if copy is not None:
                approve(copy, portal, portal_users)
                proposed += 1
            db.session.commit()
    yield f"news: {created} articles, {proposed} proposed to the portal and published there"


def _volume_article(tenant, number, text):
    """One bulk article (``--scale``): Vietnamese (a tenth with an English version) or, now and then, English."""
    rng = text.rng
    english = rng.random() < ENGLISH_SHARE
    sentences = text.sentences(english=english)
    row = {
        "title": text.title(english)[:300],
        "summary": sentences[0],
        "body": text.html(sentences[1:]),
        "language": "en" if english else "vi",
        "byline": rng.choice(["Minh Anh", "Thanh Hà", "Quốc Huy", "Ngọc Lan", "Văn Tùng", "Thu Trang"]),
        "featured": number % 50 == 0,
        "tags": ["Bình Phước"],
        "title_en": "",
        "summary_en": "",
        "body_en": "",
    }
    if not english and rng.random() < 0.1:
        english_text = text.sentences(300, 1200, english=True)
        row.update(title_en=text.title(True), summary_en=english_text[0], body_en=text.html(english_text[1:]))
    return row


register_volume(
    Volume(Article, 0.6, _volume_article),
    sentences=[t[2] for t in TOPICS] + [p for t in TOPICS for p in t[3]],
    titles=[t[1] for t in TOPICS],
    sentences_en=[t[5] for t in TOPICS if t[5]],
    titles_en=[t[4] for t in TOPICS if t[4]],
)
