"""Browser walk (issue 16, "Done when"): a contributor writes an article with an inline picture and submits it from
the edit page; the head sees the rendered preview, approves, later sees the preview and the side-by-side diff of an
edit, approves it; the article is proposed and published on the portal with every picture loading (no 404 among the
page's requests). Screenshots of the portal home, the article and the review page, desktop and phone, are written
to docs/screenshots/ by the run."""

import os

from playwright.sync_api import expect
from sqlalchemy import select

from app.core.models import Tenant
from app.extensions import db
from app.media.storage import save_upload
from app.news.models import Article
from tests.e2e.test_news import _login, _portal_copy_id
from tests.e2e.test_phone import PHONE
from tests.uploads import Upload, jpeg

SHOTS = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "screenshots")
DESKTOP = {"width": 1366, "height": 768}
TITLE = "Sở Tài chính hướng dẫn quyết toán ngân sách xã năm 2026"
SLUG = "so-tai-chinh-huong-dan-quyet-toan-ngan-sach-xa-nam-2026"


def _picture(app, email):
    from app.auth.operations import find_user

    with app.app_context():
        stc = db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalar_one()
        media = save_upload(
            Upload(jpeg((20, 110, 60)), "quyet-toan.jpg"), stc, find_user(email), allowed_kinds=("image",)
        )
        db.session.commit()
        return media.url


def _write_body(page, html):
    """Put ``html`` in the article's rich-text editor (Quill) as pasted text: its textarea follows."""
    page.wait_for_selector(".ql-editor")
    page.evaluate(
        "html => document.querySelector('textarea.rich-text').quill.clipboard.dangerouslyPasteHTML(html, 'user')", html
    )


def _shoot(browser, url, name, storage_state=None):
    """Screenshots of ``url``: ``<name>-desktop.png`` and ``<name>-phone.png`` (the whole page)."""
    os.makedirs(SHOTS, exist_ok=True)
    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        context = browser.new_context(viewport=viewport, storage_state=storage_state, device_scale_factor=1)
        page = context.new_page()
        page.goto(url)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=os.path.join(SHOTS, f"{name}-{label}.png"), full_page=label == "phone")
        context.close()


def _act(page, action):
    page.locator(f'button[name="action"][value="{action}"]').click()
    expect(page.locator(".alert-success, .alert-info").first).to_be_visible()


def test_write_preview_diff_approve_propose_and_publish_with_pictures(app, live_server, browser, make_user):
    contributor, head = make_user("contributor", "stc"), make_user("head", "stc")
    portal_editor, portal_head = make_user("editor", "portal"), make_user("head", "portal")
    picture = _picture(app, contributor)

    # The contributor writes the article with an inline picture and submits it from the edit page.
    context, page = _login(browser, live_server, "stc", contributor)
    page.goto(live_server.url("stc", "/admin/news_articles/new/"))
    page.locator("#title").fill(TITLE)
    page.locator("#summary").fill("Hướng dẫn các xã lập báo cáo quyết toán ngân sách.")
    _write_body(
        page, f'<p>Các xã gửi báo cáo trước ngày 31/3.</p><p><img src="{picture}" alt="Hội nghị quyết toán"></p>'
    )
    page.locator('button[name="_review_action"][value="submit"]').click()
    page.wait_for_url("**/admin/review/article/**")
    article_id = int(page.url.split("?")[0].rstrip("/").rsplit("/", 1)[-1])
    with app.app_context():
        article = db.session.get(Article, article_id)
        assert article.state == "in_review" and picture in article.body
    context.close()

    # The head sees the rendered preview (the picture loads, nothing published) and approves.
    context, page = _login(browser, live_server, "stc", head)
    review = live_server.url("stc", f"/admin/review/article/{article_id}")
    page.goto(review)
    with context.expect_page() as opened:
        page.locator("#preview-link").click()
    preview = opened.value
    preview.wait_for_load_state()
    expect(preview.locator(".preview-banner")).to_be_visible()
    expect(preview.get_by_role("heading", level=1)).to_have_text(TITLE)
    image = preview.locator(f'.news-body img[src="{picture}"]')
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth") > 0
    preview.close()
    assert browser.new_page().goto(live_server.url("stc", f"/news/{SLUG}")).status == 404
    _act(page, "approve")

    context.close()

    # A later edit by the contributor, saved and submitted from the edit page.
    context, page = _login(browser, live_server, "stc", contributor)
    page.goto(live_server.url("stc", f"/admin/news_articles/edit/?id={article_id}"))
    page.locator("#summary").fill("Hướng dẫn các xã lập và gửi báo cáo quyết toán ngân sách đúng hạn.")
    page.locator('button[name="_review_action"][value="submit"]').click()
    page.wait_for_url("**/admin/review/article/**")
    context.close()

    # The head sees the side-by-side diff and the preview of the edit (the public still reads the old text).
    context, page = _login(browser, live_server, "stc", head)
    page.goto(review)
    diff = page.locator("#review-diff")
    expect(diff.locator(".diff-old").first).to_contain_text("lập")
    expect(diff.locator(".diff-new ins").first).to_contain_text("và gửi")
    expect(diff).to_contain_text("đúng hạn")
    preview = context.new_page()
    preview.goto(live_server.url("stc", f"/admin/review/article/{article_id}/preview"))
    expect(preview.locator("main")).to_contain_text("đúng hạn")
    preview.close()
    _shoot(browser, review, "review-page", storage_state=context.storage_state())
    page.goto(review)
    _act(page, "approve")
    public = browser.new_page()
    public.goto(live_server.url("stc", f"/news/{SLUG}"))
    expect(public.locator("body")).to_contain_text("đúng hạn")
    public.close()

    # Proposed to the portal, approved there, published with every picture loading.
    page.goto(review)
    _act(page, "propose_to_portal")
    context.close()
    copy_id = _portal_copy_id(app, article_id)
    for email in (portal_editor, portal_head):
        context, page = _login(browser, live_server, "portal", email)
        page.goto(live_server.url("portal", f"/admin/review/article/{copy_id}"))
        _act(page, "approve")
        context.close()

    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    failed = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    article_url = live_server.url("portal", f"/news/{SLUG}")
    page.goto(article_url)
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    images = page.locator(".news-body img")
    assert images.count() == 1
    assert not images.first.get_attribute("src").startswith(picture)  # the portal's own copy of the file
    assert images.first.evaluate("img => img.complete && img.naturalWidth") > 0
    assert failed == []
    context.close()
    _shoot(browser, live_server.url("portal", "/"), "portal-home")
    _shoot(browser, article_url, "portal-article")
    for name in ("portal-home", "portal-article", "review-page"):
        for label in ("desktop", "phone"):
            assert os.path.getsize(os.path.join(SHOTS, f"{name}-{label}.png")) > 5000
