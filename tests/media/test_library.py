"""R-05, R-04: the back-office media library: grid, search, filters, usage, edit, delete, permissions."""

import os
import unicodedata

import pytest
from sqlalchemy import select

from app.core.models import AuditEvent
from app.extensions import db
from tests.media.conftest import LIBRARY, all_media, jpeg_bytes, media_files, pdf_bytes, upload_file


def _upload_as(staff, role, files, code="stc"):
    client = staff(role, code)
    for name, data in files:
        assert upload_file(client, name, data).status_code == 200
    return client


def test_any_member_reads_the_library_and_anonymous_is_sent_to_login(app, staff, client_for):
    """R-04: contributors read the library; an anonymous visitor is sent to log in."""
    assert staff("contributor").get(LIBRARY).status_code == 200
    response = client_for("stc").get(LIBRARY)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_member_of_another_tenant_gets_403(staff):
    """R-04: an editor of dongxoai has no access to stc's library."""
    assert staff("editor", "dongxoai", host_code="stc").get(LIBRARY).status_code == 403


def test_grid_shows_name_size_dimensions_uploader_and_usage(app, staff, usage):
    """R-05: each card shows the name, size, dimensions, uploader, date and "used in 3 items" from the hooks."""
    client = _upload_as(
        staff, "editor", [("cau-dong-xoai.jpg", jpeg_bytes(size=(300, 200))), ("ke-hoach.pdf", pdf_bytes())]
    )
    image, document = all_media(app)
    usage({image.id: 3})
    html = client.get(LIBRARY).get_data(as_text=True)
    assert "cau-dong-xoai.jpg" in html and "ke-hoach.pdf" in html
    assert "300×200" in html
    assert image.thumb_url in html
    assert "media-icon-document" in html and ">PDF<" in html
    assert "editor.stc" in html
    assert html.count("media-usage") == 2
    assert _usage_text(html, image.id) != _usage_text(html, document.id)
    assert "3" in _usage_text(html, image.id)


def _usage_text(html, media_id):
    card = html.split(f'data-id="{media_id}"', 1)[1].split("</li>", 1)[0]
    return card.split('class="media-usage">', 1)[1].split("</span>", 1)[0]


def test_search_by_name_and_filter_by_kind(app, staff):
    """R-05, R-07: the library searches names (Vietnamese, with or without accents) and filters by kind."""
    client = _upload_as(
        staff,
        "editor",
        [("Hội nghị tỉnh.jpg", jpeg_bytes()), ("lễ hội.jpg", jpeg_bytes()), ("Hội nghị biên bản.pdf", pdf_bytes())],
    )
    html = client.get(LIBRARY, query_string={"q": "Hội nghị"}).get_data(as_text=True)
    assert "Hội nghị tỉnh.jpg" in html and "Hội nghị biên bản.pdf" in html and "lễ hội.jpg" not in html
    html = client.get(LIBRARY, query_string={"q": "Hội nghị", "kind": "document"}).get_data(as_text=True)
    assert "Hội nghị biên bản.pdf" in html and "Hội nghị tỉnh.jpg" not in html
    html = client.get(LIBRARY, query_string={"q": "hoi NGHI"}).get_data(as_text=True)
    assert "Hội nghị tỉnh.jpg" in html and "lễ hội.jpg" not in html, "accents and case are ignored"
    html = client.get(LIBRARY, query_string={"q": "100%_"}).get_data(as_text=True)
    assert "media-empty" in html


def test_pagination(app, staff, monkeypatch):
    """R-05: the grid is paginated; the second page shows the older files."""
    monkeypatch.setattr("app.media.admin.PAGE_SIZE", 2)
    client = _upload_as(staff, "contributor", [(f"anh-{i}.jpg", jpeg_bytes()) for i in range(3)])
    first = client.get(LIBRARY).get_data(as_text=True)
    second = client.get(LIBRARY, query_string={"page": 2}).get_data(as_text=True)
    assert first.count('class="media-card"') == 2 and second.count('class="media-card"') == 1
    assert "anh-0.jpg" in second and "anh-0.jpg" not in first
    assert 'href="/admin/media/?page=2"' in first


def test_edit_alt_text_and_caption(app, staff):
    """R-05: the alt text and caption are saved (NFC) and audited."""
    client = _upload_as(staff, "contributor", [("anh.jpg", jpeg_bytes())])
    (media,) = all_media(app)
    path = f"/admin/media/{media.id}"
    token = client.csrf_token(path)
    alt = "Cầu Đồng Xoài lúc hoàng hôn"
    decomposed = unicodedata.normalize("NFD", alt)
    assert decomposed != alt, "precondition: the text is sent decomposed"
    response = client.post(path, data={"csrf_token": token, "alt": decomposed, "caption": " Ảnh: STC "})
    assert response.status_code == 302
    (media,) = all_media(app)
    assert (media.alt, media.caption) == (alt, "Ảnh: STC")
    assert _audit_actions(app) >= {"media.upload", "media.edit"}


def test_a_contributor_cannot_edit_someone_elses_file(app, staff):
    """R-04: a contributor may edit the alt text of their own uploads only."""
    _upload_as(staff, "editor", [("anh.jpg", jpeg_bytes())])
    (media,) = all_media(app)
    client = staff("contributor")
    token = client.csrf_token(LIBRARY)
    response = client.post(f"/admin/media/{media.id}", data={"csrf_token": token, "alt": "x"})
    assert response.status_code == 403
    assert all_media(app)[0].alt == ""


def test_an_editor_deletes_an_unused_file(app, staff):
    """R-05: an editor deletes an unused file: row and stored files are gone, and it is audited."""
    client = _upload_as(staff, "editor", [("anh.jpg", jpeg_bytes())])
    (media,) = all_media(app)
    token = client.csrf_token(f"/admin/media/{media.id}")
    response = client.post(f"/admin/media/{media.id}/delete", data={"csrf_token": token})
    assert response.status_code == 303
    assert all_media(app) == []
    root = app.config["MEDIA_ROOT"]
    assert not os.path.exists(os.path.join(root, media.stored_name))
    assert not os.path.exists(os.path.join(root, media.thumb_name))
    assert "media.delete" in _audit_actions(app)


def test_a_file_in_use_is_not_deleted(app, staff, usage):
    """R-05, R-13: a file used by an item is kept, with a message saying where it is used."""
    client = _upload_as(staff, "head", [("anh.jpg", jpeg_bytes())])
    (media,) = all_media(app)
    usage({media.id: 2})
    token = client.csrf_token(f"/admin/media/{media.id}")
    response = client.post(f"/admin/media/{media.id}/delete", data={"csrf_token": token}, follow_redirects=True)
    assert response.status_code == 200
    assert len(all_media(app)) == 1
    assert os.path.exists(os.path.join(app.config["MEDIA_ROOT"], media.stored_name))
    assert "media.delete" not in _audit_actions(app)


@pytest.mark.parametrize(
    "role, allowed",
    [
        ("contributor", False),
        ("tenant_admin", False),
        ("editor", True),
        ("secretary", True),
        ("head", True),
        ("province_admin", True),
    ],
)
def test_who_may_delete(app, staff, role, allowed):
    """R-04: deleting an unused file takes an editor or higher (or the province admin); others get 403."""
    _upload_as(staff, "contributor", [("anh.jpg", jpeg_bytes())])
    (media,) = all_media(app)
    client = staff(role)
    token = client.csrf_token(LIBRARY)
    response = client.post(f"/admin/media/{media.id}/delete", data={"csrf_token": token})
    assert response.status_code == (303 if allowed else 403)
    assert len(all_media(app)) == (0 if allowed else 1)


def test_inspector_reads_but_cannot_upload_edit_or_delete(app, staff):
    """R-04: the inspector reads the library; upload, edit and delete answer 403 and write nothing."""
    _upload_as(staff, "editor", [("anh.jpg", jpeg_bytes())])
    (media,) = all_media(app)
    inspector = staff("inspector", "stc")
    page = inspector.get(LIBRARY)
    assert page.status_code == 200 and "anh.jpg" in page.get_data(as_text=True)
    assert 'id="media-upload"' not in page.get_data(as_text=True)
    before = media_files(app)
    token = inspector.csrf_token("/login")
    response = upload_file(inspector, "x.jpg", jpeg_bytes(), page="/login")
    assert response.status_code == 403
    assert inspector.post(f"/admin/media/{media.id}/delete", data={"csrf_token": token}).status_code == 403
    assert inspector.post(f"/admin/media/{media.id}", data={"csrf_token": token, "alt": "x"}).status_code == 403
    assert media_files(app) == before
    assert [(m.id, m.alt) for m in all_media(app)] == [(media.id, "")]


def test_upload_is_audited(app, staff):
    """R-05, R-25: every stored upload leaves an audit event naming the file and the uploader."""
    _upload_as(staff, "editor", [("anh.jpg", jpeg_bytes())])
    (media,) = all_media(app)
    with app.app_context():
        event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "media.upload")).scalars().one()
        assert (event.target, event.detail, event.actor) == (f"media:{media.id}", "anh.jpg", "editor.stc@test.vn")


def _audit_actions(app):
    with app.app_context():
        return set(db.session.execute(select(AuditEvent.action)).scalars())


@pytest.mark.parametrize("method, suffix", [("GET", ""), ("POST", ""), ("POST", "/delete")])
def test_another_tenants_media_id_is_404_in_the_back_office(app, staff, method, suffix):
    """R-01, R-05: an stc media id opened on dongxoai's back office is 404, even for its head, and is untouched."""
    _upload_as(staff, "editor", [("anh.jpg", jpeg_bytes())])
    (media,) = all_media(app)
    other = staff("head", "dongxoai")
    token = other.csrf_token(LIBRARY)
    path = f"/admin/media/{media.id}{suffix}"
    response = other.get(path) if method == "GET" else other.post(path, data={"csrf_token": token, "alt": "x"})
    assert response.status_code == 404
    assert [(m.id, m.alt) for m in all_media(app)] == [(media.id, "")]
    assert "anh.jpg" not in other.get(LIBRARY).get_data(as_text=True)
