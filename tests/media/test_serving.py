"""R-05: stored media are served with safe headers, on their own tenant's host only."""

import pytest

from tests.media.conftest import all_media, jpeg_bytes, pdf_bytes, upload_file


def test_image_headers(app, staff):
    """R-05: an image is served inline with its real type, nosniff and a sandboxing CSP."""
    client = staff("editor")
    upload_file(client, "anh.jpg", jpeg_bytes())
    (media,) = all_media(app)
    for path in (media.url, media.thumb_url):
        response = client_get(app, path)
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "image/jpeg"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Content-Disposition"] == "inline"
        assert "sandbox" in response.headers["Content-Security-Policy"]


def test_pdf_is_an_attachment(app, staff):
    """R-05: documents are downloads (Content-Disposition attachment with the cleaned name), never rendered."""
    client = staff("editor")
    upload_file(client, "Báo cáo quý 3.pdf", pdf_bytes())
    (media,) = all_media(app)
    response = client_get(app, media.url)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20qu%C3%BD%203.pdf" in disposition


def client_get(app, path, host="stc.localhost"):
    """Media are public: an anonymous visitor of the tenant's site fetches them."""
    return app.test_client().get(path, base_url=f"http://{host}")


def test_other_tenants_media_are_404(app, staff):
    """R-05, R-01: a file of stc does not exist on dongxoai or on the portal (file and thumbnail)."""
    upload_file(staff("editor"), "anh.jpg", jpeg_bytes())
    (media,) = all_media(app)
    assert client_get(app, media.url).status_code == 200
    for host in ("dongxoai.localhost", "localhost"):
        assert client_get(app, media.url, host).status_code == 404
        assert client_get(app, media.thumb_url, host).status_code == 404


@pytest.mark.parametrize("name", ["..%2F..%2Fetc%2Fpasswd", ".htaccess", "..", "nothing.jpg", "%5C..%5Cx.png"])
def test_unknown_or_crafted_names_are_404(app, name):
    """R-05: the serving route only answers names it stored, never a path."""
    assert client_get(app, f"/media/{name}").status_code == 404
