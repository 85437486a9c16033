"""Browser: the back office of issue 4 end to end (R-04, R-09, R-25, R-28, R-32).

A tenant admin of stc invites a contributor, who sets a password through the emailed link, logs in
and writes a draft with the rich-text editor (with a picture from the media library); dongxoai's
admin cannot reach that user or that draft; the province admin creates a tenant that serves at once.
"""

import re

from playwright.sync_api import expect
from sqlalchemy import select

from app.core.models import Tenant
from app.extensions import db
from app.media.models import MediaFile
from app.news.models import Article
from tests.conftest import PASSWORD

NEW_PASSWORD = "Mat-khau-cong-tac-vien-2026"
CONTRIBUTOR = "ctv.nguyenthilan@stc.test.vn"
TITLE = "Sở Tài chính hướng dẫn quyết toán ngân sách năm 2026"


def _login(page, url, email, password=PASSWORD):
    page.goto(url)
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_text(email).first).to_be_visible()


def _seed_photo(app):
    with app.app_context():
        stc = db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalars().one()
        photo = MediaFile(
            tenant_id=stc.id,
            kind="image",
            stored_name="hoi-nghi-tai-chinh.jpg",
            content_type="image/jpeg",
            original_name="hoi-nghi-tai-chinh.jpg",
            size=1000,
            sha256="1" * 64,
            alt="Hội nghị tổng kết ngành tài chính",
        )
        db.session.add(photo)
        db.session.commit()


def test_invite_write_isolate_and_create_tenant(app, live_server, browser, smtp_server, make_user):
    """R-04, R-25, R-28, R-09: invitation, one-time password link, rich-text draft, isolation, new tenant."""
    admin = make_user("tenant_admin", "stc")
    _seed_photo(app)

    # The tenant admin of stc invites a contributor.
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10000)
    _login(page, live_server.url("stc", "/login"), admin)
    page.goto(live_server.url("stc", "/admin/memberships/"))
    page.locator("#invite-user").click()
    page.locator("#email").fill(CONTRIBUTOR)
    page.locator("#name").fill("Nguyễn Thị Lan")
    page.locator("#role").select_option("contributor")
    page.locator("form.admin-form [type=submit]").first.click()
    expect(page.locator("table").get_by_text(CONTRIBUTOR)).to_be_visible()
    context.close()

    # The invitation arrives through the real SMTP server; its link sets the password once.
    assert [m["to"] for m in smtp_server.messages] == [[CONTRIBUTOR]]
    link = re.search(r"http://\S+/account/set-password/\S+", smtp_server.messages[0]["body"]).group(0)
    assert link.startswith(live_server.url("stc", "/account/set-password/"))
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10000)
    page.goto(link)
    page.locator("#password").fill(NEW_PASSWORD)
    page.locator("#confirm").fill(NEW_PASSWORD)
    page.locator("main form button[type=submit]").click()
    assert page.url.startswith(live_server.url("stc", "/login"))
    assert page.goto(link).status == 404

    # The contributor logs in and writes a draft with the rich-text editor.
    _login(page, live_server.url("stc", "/login"), CONTRIBUTOR, NEW_PASSWORD)
    page.goto(live_server.url("stc", "/admin/news_articles/new/"))
    page.locator("#title").fill(TITLE)
    editor = page.locator(".ql-editor").first
    editor.click()
    page.keyboard.type("Căn cứ Luật Ngân sách nhà nước, Sở hướng dẫn các đơn vị quyết toán.")
    page.locator(".ql-toolbar .ql-image").first.click()
    page.locator(".media-picker-item").first.click()
    expect(editor.locator("img")).to_have_attribute("alt", "Hội nghị tổng kết ngành tài chính")
    page.locator("form.admin-form [type=submit]").first.click()
    expect(page.get_by_text(TITLE).first).to_be_visible()
    with app.app_context():
        article = db.session.execute(select(Article).where(Article.title == TITLE)).scalars().one()
        assert str(article.state) == "draft"
        assert "<p>Căn cứ Luật Ngân sách nhà nước" in article.body
        assert 'src="/media/hoi-nghi-tai-chinh.jpg"' in article.body and 'alt="Hội nghị tổng kết' in article.body
        article_id = article.id
    context.close()

    # The tenant admin of dongxoai sees neither the user nor the draft, whatever the URL.
    other = make_user("tenant_admin", "dongxoai")
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10000)
    _login(page, live_server.url("dongxoai", "/login"), other)
    for path in ("/admin/memberships/", "/admin/news_articles/", "/admin/", "/admin/review/"):
        page.goto(live_server.url("dongxoai", path))
        content = page.content()
        assert CONTRIBUTOR not in content and TITLE not in content, path
    fetch = "url => fetch(url, {credentials: 'same-origin'}).then(r => r.text())"
    for path in ("/admin/memberships/export/csv/", "/admin/news_articles/export/csv/"):
        body = page.evaluate(fetch, path)
        assert CONTRIBUTOR not in body and TITLE not in body, path
    for path in (
        f"/admin/news_articles/edit/?id={article_id}",
        f"/admin/news_articles/details/?id={article_id}",
        f"/admin/review/article/{article_id}",
    ):
        response = page.goto(live_server.url("dongxoai", path))
        assert response.status == 404 or "/edit/" not in page.url, path
        assert TITLE not in page.content(), path
    response = page.goto(live_server.url("stc", "/admin/memberships/"))
    assert response.status == 403 or "/login" in page.url
    context.close()

    # The province admin creates the tenant sotest; sotest.localhost serves it at once.
    province = make_user("province_admin", "portal")
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10000)
    assert page.goto(live_server.url("sotest", "/")).status == 404
    _login(page, live_server.url("portal", "/login"), province)
    page.goto(live_server.url("portal", "/admin/tenants/"))
    page.locator("#new-tenant").click()
    page.locator("#code").fill("sotest")
    page.locator("#kind").select_option("department")
    page.locator("#name_vi").fill("Sở Thử nghiệm")
    page.locator("#name_en").fill("Department of Testing")
    page.locator("#primary").fill("#0b4f8a")
    page.locator("#accent").fill("#b3261e")
    page.locator("form.admin-form [type=submit]").first.click()
    expect(page.locator("tr[data-tenant=sotest]")).to_be_visible()
    response = page.goto(live_server.url("sotest", "/"))
    assert response.status == 200
    expect(page.locator(".site-name")).to_have_text("Sở Thử nghiệm")
    context.close()
