"""R-05: ``/admin/media/browse.json``, the staff editor's media picker."""

from tests.media.conftest import all_media, jpeg_bytes, pdf_bytes, upload_file

BROWSE = "/admin/media/browse.json"


def test_browse_returns_the_tenants_files(app, staff):
    """R-05: items carry id, url, thumb_url, name, kind, alt, width, height; with page and total."""
    client = staff("contributor")
    upload_file(client, "anh.jpg", jpeg_bytes(size=(64, 48)))
    upload_file(client, "van-ban.pdf", pdf_bytes())
    image, document = all_media(app)
    body = client.get(BROWSE).get_json()
    assert body["page"] == 1 and body["total"] == 2
    assert body["items"][1] == {
        "id": image.id,
        "url": f"/media/{image.stored_name}",
        "thumb_url": f"/media/{image.thumb_name}",
        "name": "anh.jpg",
        "kind": "image",
        "alt": "",
        "width": 64,
        "height": 48,
    }
    assert body["items"][0]["id"] == document.id


def test_browse_filters_by_kind_and_name_and_pages(app, staff, monkeypatch):
    """R-05: ``kind``, ``q`` and ``page`` narrow the list."""
    client = staff("editor")
    for name in ("a.jpg", "b.jpg", "c.pdf"):
        upload_file(client, name, pdf_bytes() if name.endswith("pdf") else jpeg_bytes())
    images = client.get(BROWSE, query_string={"kind": "image"}).get_json()
    assert sorted(i["name"] for i in images["items"]) == ["a.jpg", "b.jpg"] and images["total"] == 2
    assert [i["name"] for i in client.get(BROWSE, query_string={"q": "b."}).get_json()["items"]] == ["b.jpg"]
    monkeypatch.setattr("app.media.admin.BROWSE_PAGE_SIZE", 1)
    second = client.get(BROWSE, query_string={"kind": "image", "page": 2}).get_json()
    assert second["page"] == 2 and second["total"] == 2 and [i["name"] for i in second["items"]] == ["a.jpg"]


def test_browse_is_tenant_scoped(app, staff):
    """R-01, R-05: dongxoai's picker never lists stc's files."""
    upload_file(staff("editor"), "anh.jpg", jpeg_bytes())
    body = staff("editor", "dongxoai").get(BROWSE).get_json()
    assert body["items"] == [] and body["total"] == 0


def test_browse_is_403_without_back_office_access(app, staff, client_for):
    """R-04: anonymous callers and members of other tenants get a JSON 403."""
    upload_file(staff("editor"), "anh.jpg", jpeg_bytes())
    anonymous = client_for("stc").get(BROWSE)
    assert anonymous.status_code == 403 and anonymous.get_json()["error"]["code"] == "forbidden"
    response = staff("editor", "dongxoai", host_code="stc").get(BROWSE)
    assert response.status_code == 403 and "items" not in response.get_json()
