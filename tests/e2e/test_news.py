"""Browser: an stc article from the back office to the portal (R-05, R-09, R-10, R-11, the issue's "Done when")."""

import io

from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import select

from app.core.models import Tenant
from app.extensions import db
from app.media.storage import save_upload
from app.news.models import Article
from tests.conftest import PASSWORD


class _Upload(io.BytesIO):
    def __init__(self, data, filename):
        super().__init__(data)
        self.filename = filename


def _cover(app, email):
    from app.auth.operations import find_user

    out = io.BytesIO()
    Image.new("RGB", (320, 180), (0, 91, 150)).save(out, "JPEG")
    with app.app_context():
        stc = db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalar_one()
        media = save_upload(_Upload(out.getvalue(), "hoi-nghi-ngan-sach.jpg"), stc, find_user(email))
        db.session.commit()
        return media.id, media.url


def _login(browser, live_server, code, email):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(live_server.url(code, "/login"))
    page.get_by_label("Thư điện tử").fill(email)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/login" not in url)
    return context, page


def _act(page, live_server, code, object_id, action):
    page.goto(live_server.url(code, f"/admin/review/article/{object_id}"))
    page.locator(f'button[name="action"][value="{action}"]').click()
    expect(page.locator(".alert-success, .alert-info").first).to_be_visible()


def _portal_copy_id(app, source_id):
    with app.app_context():
        return db.session.execute(select(Article.id).where(Article.source_object_id == source_id)).scalar_one()


def test_article_from_subsite_back_office_to_the_portal(app, live_server, browser, make_user):
    """R-05, R-09, R-10, R-11: write with a cover, approve on stc, propose, approve on the portal, credited."""
    contributor = make_user("contributor", "stc")
    head = make_user("head", "stc")
    portal_editor = make_user("editor", "portal")
    portal_head = make_user("head", "portal")
    cover_id, cover_url = _cover(app, contributor)
    title = "Sở Tài chính công khai quyết toán ngân sách năm 2026"
    slug = "so-tai-chinh-cong-khai-quyet-toan-ngan-sach-nam-2026"

    # The contributor writes the article in the back office, with the cover, and submits it.
    context, page = _login(browser, live_server, "stc", contributor)
    page.goto(live_server.url("stc", "/admin/news_articles/new/"))
    page.locator("#title").fill(title)
    page.locator("#summary").fill("Báo cáo quyết toán được công khai theo Luật Ngân sách nhà nước.")
    if page.locator(".ql-editor").count():
        page.locator(".ql-editor").first.click()
        page.keyboard.type("Tổng thu ngân sách trên địa bàn vượt dự toán.")
    else:
        page.locator("#body").fill("<p>Tổng thu ngân sách trên địa bàn vượt dự toán.</p>")
    page.locator("#cover_id").select_option(str(cover_id))
    page.locator("#cover_caption").fill("Hội nghị công khai ngân sách")
    page.locator("form.admin-form [type=submit]").first.click()
    page.wait_for_url("**/admin/review/article/**")
    article_id = int(page.url.rstrip("/").rsplit("/", 1)[-1].split("?")[0])
    page.locator('button[name="action"][value="submit"]').click()
    expect(page.locator('button[name="action"][value="submit"]')).to_have_count(0)
    context.close()

    # The head of stc approves; the article is public on stc only.
    context, page = _login(browser, live_server, "stc", head)
    _act(page, live_server, "stc", article_id, "approve")
    page.goto(live_server.url("stc", f"/news/{slug}"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator(f'.news-cover img[src="{cover_url}"]')).to_be_visible()
    expect(page.locator(".news-cover figcaption")).to_have_text("Hội nghị công khai ngân sách")
    response = page.goto(live_server.url("dongxoai", f"/news/{slug}"))
    assert response.status == 404
    page.goto(live_server.url("dongxoai", "/news/"))
    expect(page.get_by_text(title)).to_have_count(0)
    # The head proposes it to the portal.
    _act(page, live_server, "stc", article_id, "propose_to_portal")
    context.close()

    copy_id = _portal_copy_id(app, article_id)
    for email in (portal_editor, portal_head):
        context, page = _login(browser, live_server, "portal", email)
        _act(page, live_server, "portal", copy_id, "approve")
        context.close()

    context = browser.new_context()
    page = context.new_page()
    page.goto(live_server.url("portal", f"/news/{slug}"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator(".news-source")).to_contain_text("Nguồn: Sở Tài chính")
    link = page.locator(".news-source a")
    expect(link).to_have_attribute("href", live_server.url("stc", f"/news/{slug}"))
    link.click()
    expect(page).to_have_url(live_server.url("stc", f"/news/{slug}"))
    context.close()


def test_news_pages_pass_axe(app, live_server, page, make_user):
    """R-33: the news list, an article with media and the home page pass axe-core's WCAG 2.1 AA rules."""
    from app.auth.operations import find_user
    from app.workflow.operations import transition
    from tests.e2e.test_standards import AXE

    contributor = make_user("contributor", "stc")
    make_user("head", "stc")
    cover_id, _ = _cover(app, contributor)
    with app.test_request_context(base_url="http://localhost"):
        stc = db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalar_one()
        article = Article(
            tenant_id=stc.id,
            title="Bình Phước phát triển du lịch Bù Gia Mập",
            summary="Tóm tắt",
            body="<p>Nội dung</p>",
            cover_id=cover_id,
            cover_caption="Rừng Bù Gia Mập",
            featured=True,
            author_id=find_user(contributor).id,
        )
        db.session.add(article)
        db.session.flush()
        transition(article, "submit", find_user(contributor))
        transition(article, "approve", find_user("head.stc@test.vn"))
        db.session.commit()
        slug = article.slug
    for path in ("/", "/news/", f"/news/{slug}", f"/news/{slug}/print", f"/news/{slug}?lang=en"):
        page.goto(live_server.url("stc", path))
        page.add_script_tag(path=AXE)
        result = page.evaluate(
            "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        )
        violations = [f"{path}: {v['id']}: {v['help']}" for v in result["violations"]]
        assert violations == [], "\n".join(violations)
