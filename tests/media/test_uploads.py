"""R-05: uploads are checked by content: size limits, magic bytes, markup, names, bombs, EXIF."""

import io
import os
import re

import pytest
from PIL import Image

from tests.media.conftest import (
    LIBRARY,
    all_media,
    bomb_png,
    jpeg_bytes,
    media_files,
    pdf_bytes,
    png_bytes,
    upload_file,
    upload_files,
)

STORED_NAME = re.compile(r"^[0-9a-f]{32}\.(jpg|png|pdf)$")


def refusal(response):
    body = response.get_json()
    assert body["stored"] == [], body
    assert len(body["refused"]) == 1, body
    return body["refused"][0]["reason"]


@pytest.mark.parametrize("kind", ["image", "document"])
def test_exactly_at_the_limit_is_accepted(app, staff, small_limits, kind):
    """R-05: a file of exactly the configured limit is stored."""
    data = jpeg_bytes() if kind == "image" else pdf_bytes(5000)
    small_limits(**{kind: len(data)})
    response = upload_file(staff("editor"), f"file.{'jpg' if kind == 'image' else 'pdf'}", data)
    assert response.status_code == 200, response.get_json()
    assert [m.kind for m in all_media(app)] == [kind]


@pytest.mark.parametrize("kind", ["image", "document"])
def test_one_byte_over_the_limit_is_refused(app, staff, small_limits, kind):
    """R-05: one byte over the configured limit is refused with the limit in the message; nothing is written."""
    data = jpeg_bytes() if kind == "image" else pdf_bytes(5000)
    small_limits(**{kind: len(data) - 1})
    before = media_files(app)
    response = upload_file(staff("editor"), "file.bin", data)
    assert response.status_code == 422
    assert "quá lớn" in refusal(response)
    assert all_media(app) == []
    assert media_files(app) == before


def test_streamed_video_over_the_limit_is_refused_and_leaves_no_temporary_file(app, staff, small_limits):
    """R-05: audio and video are streamed to disk; over the limit, the partial file is removed."""
    video = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 5000
    small_limits(video=len(video) - 1)
    before = media_files(app)
    client = staff("editor")
    assert "quá lớn" in refusal(upload_file(client, "clip.mp4", video))
    assert media_files(app) == before
    small_limits(video=len(video))
    assert upload_file(client, "clip.mp4", video).status_code == 200
    (media,) = all_media(app)
    assert (media.kind, media.content_type, media.size) == ("video", "video/mp4", len(video))


def test_text_named_jpg_is_refused(app, staff):
    """R-05: the type comes from the content: a text file named .jpg is refused."""
    response = upload_file(staff("editor"), "anh.jpg", b"This is plain text, not a JPEG.\n" * 10)
    assert "Không nhận loại tệp này" in refusal(response)
    assert all_media(app) == []


def test_pdf_renamed_png_is_stored_as_pdf(app, staff):
    """R-05: a PDF renamed .png is stored and served as a PDF document, not as an image."""
    client = staff("editor")
    response = upload_file(client, "bao-cao.png", pdf_bytes())
    assert response.status_code == 200
    (media,) = all_media(app)
    assert (media.kind, media.content_type) == ("document", "application/pdf")
    assert media.stored_name.endswith(".pdf") and media.thumb_name == ""
    served = client.get(media.url)
    assert served.headers["Content-Type"] == "application/pdf"


def test_heif_is_not_taken_for_a_video(app, staff):
    """R-05: an ISO-BMFF file of an image brand (HEIC) is not accepted as an MP4 video."""
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 100
    refusal(upload_file(staff("editor"), "photo.mp4", heic))
    assert all_media(app) == []


@pytest.mark.parametrize(
    "name, data",
    [
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'),
        ("logo.png", b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("page.html", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"),
        ("page.jpg", b"  <html><body onload=alert(1)>hi</body></html>"),
    ],
)
def test_svg_and_html_are_refused(app, staff, name, data):
    """R-05: SVG (with script) and HTML are refused, whatever their name, and say why."""
    before = media_files(app)
    assert "SVG, HTML" in refusal(upload_file(staff("editor"), name, data))
    assert all_media(app) == []
    assert media_files(app) == before


@pytest.mark.parametrize(
    "name, shown",
    [
        ("../../etc/passwd.jpg", "passwd.jpg"),
        ("..\\..\\x.png", "x.png"),
        ("/etc/cron.d/evil.jpg", "evil.jpg"),
        ("C:\\Windows\\system32\\a.jpg", "a.jpg"),
        ("..", "tep-tin"),
        ("a\x07b\u202egpj.exe.jpg", "abgpj.exe.jpg"),
    ],
)
def test_path_traversal_names_never_reach_the_disk(app, staff, name, shown):
    """R-05: the stored name is server-generated, the display name is cleaned, nothing lands outside MEDIA_ROOT."""
    root = app.config["MEDIA_ROOT"]
    outside = os.path.dirname(root)  # the test run's folder: database, backups, media
    before_outside = _tree(outside, skip=root)
    response = upload_file(staff("editor"), name, jpeg_bytes())
    assert response.status_code == 200, response.get_json()
    (media,) = all_media(app)
    assert STORED_NAME.match(media.stored_name)
    # The multipart parser may already unescape backslashes; whatever arrives, only a plain name is kept.
    assert media.original_name.endswith(shown)
    assert not any(bad in media.original_name for bad in ("/", "\\", "..", "\x07", "\u202e"))
    assert os.path.isfile(os.path.join(root, media.stored_name))
    assert _tree(outside, skip=root) == before_outside
    for target in (os.path.normpath(os.path.join(root, name)), os.path.join(root, name.replace("\\", "/"))):
        assert not os.path.isfile(target)


def _tree(top, skip):
    found = set()
    for folder, dirs, names in os.walk(top):
        if os.path.abspath(folder).startswith(os.path.abspath(skip)):
            dirs[:] = []
            continue
        found.update(os.path.join(folder, n) for n in names if not n.startswith("test.db"))
    return found


def test_decompression_bomb_is_refused(app, staff):
    """R-05: a PNG declaring 100,000 x 100,000 pixels is refused before it is decoded."""
    before = media_files(app)
    reason = refusal(upload_file(staff("editor"), "bomb.png", bomb_png()))
    assert "điểm ảnh" in reason
    assert all_media(app) == []
    assert media_files(app) == before


def test_a_damaged_image_is_refused(app, staff):
    """R-05: a file with JPEG magic bytes but no image behind them is refused as damaged."""
    reason = refusal(upload_file(staff("editor"), "hong.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 200))
    assert "hỏng" in reason


def _gps_exif():
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    exif[0x0132] = "2026:11:28 09:00:00"  # DateTime
    gps = {1: "N", 2: (11.0, 32.0, 10.0), 3: "E", 4: (106.0, 53.0, 20.0)}
    exif[0x8825] = gps  # GPSInfo
    return exif


def test_exif_and_gps_are_stripped(app, staff):
    """R-05: uploaded JPEGs are re-encoded without EXIF: the GPS position of the camera is gone."""
    original = jpeg_bytes(size=(320, 200), exif=_gps_exif())
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825), "precondition: the upload carries GPS"
    response = upload_file(staff("editor"), "hien-truong.jpg", original)
    assert response.status_code == 200
    (media,) = all_media(app)
    assert (media.width, media.height) == (320, 200)
    for name in (media.stored_name, media.thumb_name):
        with open(os.path.join(app.config["MEDIA_ROOT"], name), "rb") as fh:
            stored = fh.read()
        image = Image.open(io.BytesIO(stored))
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info
        assert b"Exif" not in stored and b"Camera maker" not in stored


def test_png_keeps_transparency_and_gets_a_thumbnail(app, staff):
    """R-05: a PNG with alpha is re-encoded as PNG with a thumbnail of at most 480 pixels."""
    response = upload_file(staff("editor"), "logo.png", png_bytes(size=(1200, 300)))
    assert response.status_code == 200
    (media,) = all_media(app)
    assert media.content_type == "image/png" and media.thumb_name.endswith("-thumb.png")
    thumb = Image.open(os.path.join(app.config["MEDIA_ROOT"], media.thumb_name))
    assert thumb.mode == "RGBA" and max(thumb.size) == 480


def test_multi_upload_form_stores_the_good_file_and_names_the_refused_one(app, staff):
    """R-05: the plain form (no JavaScript) takes two files; the good one is stored, the bad one named with why."""
    client = staff("contributor")
    response = upload_files(client, [("anh-dep.jpg", jpeg_bytes()), ("ma-doc.html", b"<html><script>x</script>")])
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "ma-doc.html" in html
    refused = re.search(r'<ul class="mb-0 upload-refused">(.*?)</ul>', html, re.S).group(1)
    assert "ma-doc.html" in refused and "SVG, HTML" in refused
    assert "anh-dep.jpg" not in refused
    assert [m.original_name for m in all_media(app)] == ["anh-dep.jpg"]
    assert "anh-dep.jpg" in client.get(LIBRARY).get_data(as_text=True)


def test_upload_without_a_file_says_so(app, staff):
    """R-05: posting the form with no file answers 400 with a message, and stores nothing."""
    client = staff("editor")
    token = client.csrf_token(LIBRARY)
    response = client.post("/admin/media/upload", data={"csrf_token": token}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert all_media(app) == []


def test_a_request_over_the_request_limit_gets_a_clear_413(app, staff, monkeypatch):
    """R-05: a body above MAX_CONTENT_LENGTH answers 413 with the limits, as HTML and as JSON, not a crash."""
    client = staff("editor")
    token = client.csrf_token(LIBRARY)
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2000)
    big = {"csrf_token": token, "files": [(io.BytesIO(b"\xff\xd8\xff" + b"\0" * 5000), "big.jpg")]}
    response = client.post("/admin/media/upload", data=big, content_type="multipart/form-data")
    assert response.status_code == 413
    assert "MB" in response.get_data(as_text=True) and "quá lớn" in response.get_data(as_text=True)
    big["files"] = [(io.BytesIO(b"\xff\xd8\xff" + b"\0" * 5000), "big.jpg")]
    response = client.post(
        "/admin/media/upload", data=big, content_type="multipart/form-data", headers={"Accept": "application/json"}
    )
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "payload_too_large"
    assert all_media(app) == []
