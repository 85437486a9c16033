"""Browser: the back office and the public site work under the Content-Security-Policy, with no violation (R-25).

Chromium enforces the policy the app sends (no inline script, no inline style): the rich-text editor (Quill),
the media picker with an upload inside it, the list's delete confirmation, bulk actions and filters, and the
public pages. Every ``securitypolicyviolation`` event and every console message about the policy is collected.
"""

import io

from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import select

from app.auth.operations import find_user
from app.board.models import BoardMember
from app.core.models import Tenant
from app.extensions import db
from app.news.models import Article
from app.workflow.operations import transition
from tests.conftest import PASSWORD

TITLE = "Sở Tài chính hướng dẫn lập dự toán năm 2027"
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " + e.sourceFile
                    + ":" + e.lineNumber);
});
"""


def _jpeg():
    out = io.BytesIO()
    Image.new("RGB", (120, 80), (20, 110, 160)).save(out, "JPEG")
    return out.getvalue()


class Watched:
    """A page whose policy violations (events and console messages) are collected across navigations."""

    def __init__(self, browser):
        self.context = browser.new_context()
        self.context.add_init_script(RECORD_VIOLATIONS)
        self.page = self.context.new_page()
        self.page.set_default_timeout(10000)
        self.console = []
        self.page.on("console", self._console)
        self.dialogs = []
        self.page.on("dialog", self._dialog)

    def _console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(message.text)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def goto(self, url):
        response = self.page.goto(url)
        assert response.status == 200, f"{url}: {response.status}"
        assert "script-src 'self'" in response.headers["content-security-policy"]
        return response

    def violations(self):
        return self.page.evaluate("window.__csp || []") + self.console


def test_back_office_tools_and_public_pages_run_under_the_policy(app, live_server, browser, make_user):
    """R-25, R-05: Quill, the media picker (with an upload), confirmations, bulk actions, filters and the public
    pages all work with the policy on, and the browser reports no violation."""
    admin_email = make_user("tenant_admin", "stc")
    with app.app_context():
        stc = db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalars().one()
        db.session.add(BoardMember(tenant_id=stc.id, position="member", name="Trần Văn Ủy Viên"))
        db.session.commit()
    w = Watched(browser)
    page = w.page
    w.goto(live_server.url("stc", "/login"))
    page.get_by_label("Thư điện tử").fill(admin_email)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_text(admin_email).first).to_be_visible()

    # The editor and the media picker: upload a picture from inside the picker, insert it, save.
    w.goto(live_server.url("stc", "/admin/news_articles/new/"))
    assert page.evaluate("document.documentElement.lang") == "vi"  # admin-lang.js ran
    page.locator("#title").fill(TITLE)
    editor = page.locator(".ql-editor").first
    editor.click()
    page.keyboard.type("Căn cứ Luật Ngân sách nhà nước, ")
    page.locator(".ql-toolbar .ql-bold").first.click()
    page.keyboard.type("các đơn vị lập dự toán.")
    page.locator(".ql-toolbar .ql-image").first.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Tải tệp mới lên").set_input_files(
        [{"name": "du-toan.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}]
    )
    expect(dialog).to_be_hidden()
    expect(editor.locator("img")).to_have_count(1)
    expect(editor.locator("strong")).to_have_text("các đơn vị lập dự toán.")
    page.locator("form.admin-form [type=submit]").first.click()
    expect(page.get_by_text(TITLE).first).to_be_visible()
    with app.app_context():
        article = db.session.execute(select(Article).where(Article.title == TITLE)).scalars().one()
        assert "<strong>các đơn vị lập dự toán.</strong>" in article.body and "<img" in article.body

    # A list: the delete button asks first (no onclick), bulk actions and filters run from files.
    w.goto(live_server.url("stc", "/admin/board_members/"))
    page.locator("form.icon button[data-confirm]").first.click()
    assert len(w.dialogs) == 1, "the delete button did not ask for confirmation"
    expect(page.get_by_text("Trần Văn Ủy Viên")).to_be_visible()  # dismissed: still there
    page.locator("input.action-checkbox").first.check()
    page.locator("a.dropdown-toggle", has=page.locator("text=/./")).filter(has_text="chọn").first.click()
    page.locator("[data-model-action]").first.click()
    assert len(w.dialogs) == 2, "the bulk action did not run"
    page.locator(".field-filters").locator("xpath=..").locator("a.dropdown-toggle").first.click()
    page.locator(".field-filters a.filter").first.click()
    expect(page.locator("#filter_form .filter-op, #filter_form select").first).to_be_visible()
    assert page.url.endswith("/admin/board_members/"), "a javascript: link navigated"

    # Public pages, with the published article.
    head_email = make_user("head", "stc")
    with app.test_request_context(base_url="http://stc.localhost"):
        head = find_user(head_email)
        article = db.session.get(Article, article.id)
        author = find_user(admin_email)
        transition(article, "submit", author)
        transition(article, "approve", head)
        db.session.commit()
        slug = article.slug
    public = Watched(browser)
    for path in ("/", "/news/", f"/news/{slug}", "/search?q=d%E1%BB%B1+to%C3%A1n", "/schedule/", "/contacts/",
                 "/questions/ask", "/consultations/", "/statistics/", "/procedures/", "/documents/"):  # fmt: skip
        public.goto(live_server.url("stc", path))
    primary = public.page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--primary')")
    assert primary.strip().startswith("#"), "the theme's colours (/theme.css) did not load"
    public.goto(live_server.url("stc", f"/news/{slug}"))
    expect(public.page.locator("main img").first).to_be_visible()

    assert w.violations() == [] and public.violations() == [], w.violations() + public.violations()
    w.context.close()
    public.context.close()
