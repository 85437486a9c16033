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
