"""Browser: the portal and a subsite, their names, and the language switch (R-01, R-06)."""

from playwright.sync_api import expect


def test_portal_and_subsite_in_a_browser(live_server, page):
    """R-01, R-06: each host shows its own site; the language switch changes the interface."""
    page.goto(live_server.url("portal", "/"))
    expect(page.locator(".site-name")).to_have_text("Cổng thông tin điện tử tỉnh Bình Phước")
    page.goto(live_server.url("stc", "/"))
    expect(page.locator(".site-name")).to_have_text("Sở Tài chính")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    page.get_by_role("link", name="English").click()
    expect(page.locator(".site-name")).to_have_text("Department of Finance")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("link", name="Contact us").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact us")
    page.goto(live_server.url("dongxoai", "/"))
    expect(page.locator(".site-name")).to_have_text("UBND thị xã Đồng Xoài")


def test_staff_login_in_a_browser(live_server, page, make_user):
    """R-25: a head of stc logs in through the form and reaches the back office; dongxoai's is 403."""
    email = make_user("head", "stc")
    page.goto(live_server.url("stc", "/login"))
    page.get_by_label("Thư điện tử").fill(email)
    page.get_by_label("Mật khẩu").fill("Mat-khau-thu-nghiem-2026")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_text(email).first).to_be_visible()
    response = page.goto(live_server.url("dongxoai", "/admin/"))
    assert response.url.startswith(live_server.url("dongxoai", "/login"))
