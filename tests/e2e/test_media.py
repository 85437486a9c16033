"""Browser: the media library's multi-file upload with progress, thumbnails and search (R-05)."""

import io
import re

from PIL import Image
from playwright.sync_api import expect

PASSWORD = "Mat-khau-thu-nghiem-2026"
THUMB_SRC = re.compile(r"^/media/[0-9a-f]{32}-thumb\.jpg$")


def _image(color, size=(120, 80)):
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()


def test_editor_uploads_two_images_and_searches(live_server, page, make_user):
    """R-05: an editor of stc uploads two images at once, sees each file's progress, then both thumbnails; search."""
    email = make_user("editor", "stc")
    page.goto(live_server.url("stc", "/login?next=/admin/media/"))
    page.get_by_label("Thư điện tử").fill(email)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(live_server.url("stc", "/admin/media/"))
    expect(page.get_by_role("heading", name="Thư viện đa phương tiện")).to_be_visible()
    expect(page.locator(".media-card")).to_have_count(0)

    page.get_by_label("Tải tệp lên").set_input_files(
        [
            {"name": "cau-dong-xoai.jpg", "mimeType": "image/jpeg", "buffer": _image((200, 40, 40))},
            {"name": "ho-suoi-lam.jpg", "mimeType": "image/jpeg", "buffer": _image((40, 90, 200))},
        ]
    )
    page.get_by_role("button", name="Tải lên", exact=True).click()

    progress = page.locator("#upload-progress progress")
    expect(progress).to_have_count(2)
    expect(page.locator("#upload-progress .upload-ok")).to_have_count(2)
    for i in range(2):
        expect(progress.nth(i)).to_have_attribute("value", "100")
    expect(page.locator("#upload-progress")).to_contain_text("cau-dong-xoai.jpg")
    # The grid is refreshed in place: both thumbnails, loaded from this tenant's /media/.
    thumbs = page.locator(".media-card img.media-thumb")
    expect(thumbs).to_have_count(2)
    for i in range(2):
        expect(thumbs.nth(i)).to_have_attribute("src", THUMB_SRC)
        thumbs.nth(i).evaluate("img => img.decode()")
        assert thumbs.nth(i).evaluate("img => img.naturalWidth") > 0

    page.get_by_label("Tìm theo tên").fill("suoi-lam")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page.locator(".media-card")).to_have_count(1)
    expect(page.locator(".media-card .media-name")).to_have_text("ho-suoi-lam.jpg")


def test_cover_is_uploaded_and_chosen_inside_the_picker(live_server, page, make_user, app):
    """R-05: on a press release form the one media picker uploads a picture and chooses it as the cover."""
    from sqlalchemy import select

    from app.extensions import db
    from app.press.models import PressRelease

    email = make_user("contributor", "stc")
    page.goto(live_server.url("stc", "/login?next=/admin/press_admin/new/"))
    page.get_by_label("Thư điện tử").fill(email)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(live_server.url("stc", "/admin/press_admin/new/"))
    page.locator("#title").fill("Thông cáo có ảnh bìa")
    page.locator("#cover_id ~ button").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Tải tệp mới lên").set_input_files(
        [{"name": "anh-bia.jpg", "mimeType": "image/jpeg", "buffer": _image((10, 120, 60))}]
    )
    expect(dialog).to_be_hidden()
    expect(page.locator("#cover_id option:checked")).to_contain_text("anh-bia.jpg")
    page.locator("form.admin-form [type=submit]").first.click()
    expect(page.get_by_text("Thông cáo có ảnh bìa").first).to_be_visible()
    with app.app_context():
        release = db.session.execute(
            select(PressRelease).where(PressRelease.title == "Thông cáo có ảnh bìa")
        ).scalar_one()
        assert release.cover is not None and release.cover.original_name == "anh-bia.jpg"
        assert release.cover.tenant.code == "stc"
