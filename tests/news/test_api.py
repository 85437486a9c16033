"""Articles API: list, detail, create, patch, errors, transitions through the generic API (contract)."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.news.models import Article

CONTRACT_FIELDS = {
    "id", "title", "slug", "summary", "body", "category", "language", "featured", "publish_at",
    "expire_at", "state", "url", "source_tenant", "cover", "attribution",
}  # fmt: skip


def test_list_shows_published_articles_in_contract_shape(publish, tenants, staff, client_for):
    """R-11: anonymous callers see published articles only, with the attribution and absolute URLs."""
    publish(title="Tin công khai")
    db.session.add(Article(tenant_id=tenants["stc"].id, title="Bản nháp", author_id=staff["contributor"].id))
    db.session.commit()
    body = client_for("stc").get("/api/v1/articles").get_json()
    assert set(body) == {"items", "page", "per_page", "total"} and body["total"] == 1
    item = body["items"][0]
    assert set(item) >= CONTRACT_FIELDS
    assert item["title"] == "Tin công khai" and item["state"] == "published"
    assert item["url"] == "http://stc.localhost/news/tin-cong-khai"
    assert item["attribution"] == tenants["stc"].attribution("vi") and item["category"] == "kinh-te"


def test_list_filters(publish, client_for):
    """R-08 c: category, featured and q filter the list."""
    publish(title="Hạt điều xuất khẩu", category="kinh-te", featured=True)
    publish(title="Diễn tập phòng thủ", category="quoc-phong-an-ninh")
    client = client_for("stc")
    titles = lambda q: [i["title"] for i in client.get(f"/api/v1/articles?{q}").get_json()["items"]]  # noqa: E731
    assert titles("category=kinh-te") == ["Hạt điều xuất khẩu"]
    assert titles("featured=true") == ["Hạt điều xuất khẩu"]
    assert titles("featured=false") == ["Diễn tập phòng thủ"]
    assert titles("q=phòng") == ["Diễn tập phòng thủ"]
    assert client.get("/api/v1/articles?per_page=500").status_code == 400


def test_detail_and_tenant_isolation(publish, client_for):
    """R-04: an article is readable on its tenant; its id on another tenant is 404 JSON."""
    a = publish(title="Tin riêng")
    assert client_for("stc").get(f"/api/v1/articles/{a.id}").get_json()["slug"] == "tin-rieng"
    response = client_for("dongxoai").get(f"/api/v1/articles/{a.id}")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"
    assert client_for("dongxoai").get("/api/v1/articles").get_json()["total"] == 0


def test_anonymous_cannot_read_a_draft(tenants, staff, client_for):
    """R-09: a draft is 404 for anonymous callers."""
    a = Article(tenant_id=tenants["stc"].id, title="Nháp", author_id=staff["contributor"].id)
    db.session.add(a)
    db.session.commit()
    assert client_for("stc").get(f"/api/v1/articles/{a.id}").status_code == 404


def test_create_returns_201_with_the_item(client_for, token, image):
    """R-05: staff create a draft with a cover; 201 with the item."""
    cover = image()
    payload = {
        "title": "Bình Phước đón nhà đầu tư",
        "summary": "Tóm tắt",
        "body": "<p>Nội dung</p>",
        "category": None,
        "featured": True,
        "tags": ["đầu tư"],
        "cover": cover.id,
        "cover_caption": "Ảnh hội nghị",
        "publish_at": "2027-01-02T08:00:00+07:00",
    }
    response = client_for("stc").post("/api/v1/articles", json=payload, headers=token("contributor"))
    assert response.status_code == 201
    item = response.get_json()
    assert item["state"] == "draft" and item["slug"] == "binh-phuoc-don-nha-dau-tu" and item["featured"] is True
    assert item["cover"]["id"] == cover.id and item["cover"]["caption"] == "Ảnh hội nghị"
    assert item["cover"]["url"].startswith("http://stc.localhost/media/")
    assert item["publish_at"] == "2027-01-02T08:00:00+07:00"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "title"),
        ({"title": ""}, "title"),
        ({"title": "x" * 400}, "title"),
        ({"title": "Tin", "featured": "rất"}, "featured"),
        ({"title": "Tin", "publish_at": "ngày mai"}, "publish_at"),
        ({"title": "Tin", "category": "khong-co"}, "category"),
        ({"title": "Tin", "cover": "một"}, "cover"),
        ({"title": "Tin", "gallery": [99999]}, "gallery"),
        ({"title": "Tin", "language": "fr"}, "language"),
        ({"title": "Tin", "publish_at": "2027-01-02T08:00:00", "expire_at": "2027-01-01T08:00:00"}, "expire_at"),
        ({"title": "Tin", "tags": "không phải danh sách"}, "tags"),
    ],
)
def test_create_rejects_bad_input_with_fields(client_for, token, payload, field):
    """R-05: bad input gets 422 with the field named, never a 500."""
    response = client_for("stc").post("/api/v1/articles", json=payload, headers=token("contributor"))
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_media_of_another_tenant_is_refused(client_for, token, image):
    """R-04, R-05: a cover from another tenant's library is a 422."""
    foreign = image("dongxoai")
    response = client_for("stc").post(
        "/api/v1/articles", json={"title": "Tin", "cover": foreign.id}, headers=token("contributor")
    )
    assert response.status_code == 422 and "cover" in response.get_json()["error"]["fields"]


def test_writes_need_a_token_of_this_tenant(client_for, token):
    """R-25: no token is 401; a dongxoai token on stc is 403; non-JSON is 400."""
    stc = client_for("stc")
    assert stc.post("/api/v1/articles", json={"title": "Tin"}).status_code == 401
    assert stc.post("/api/v1/articles", json={"title": "Tin"}, headers=token("dx_contributor")).status_code == 403
    assert stc.post("/api/v1/articles", data="x", headers=token("contributor")).status_code == 400


def test_patch_a_draft_and_a_live_article(publish, client_for, token):
    """R-09, R-13: patching a draft edits it; patching a live article edits its pending revision."""
    stc = client_for("stc")
    created = stc.post("/api/v1/articles", json={"title": "Bản nháp"}, headers=token("contributor")).get_json()
    patched = stc.patch(f"/api/v1/articles/{created['id']}", json={"summary": "Mới"}, headers=token("contributor"))
    assert patched.status_code == 200 and patched.get_json()["summary"] == "Mới"
    live = publish(title="Tin đang đăng", summary="Cũ")
    response = stc.patch(f"/api/v1/articles/{live.id}", json={"summary": "Sửa đổi"}, headers=token("contributor"))
    assert response.status_code == 200
    assert response.get_json()["revision_of"] == live.id and response.get_json()["summary"] == "Sửa đổi"
    public = stc.get(f"/api/v1/articles/{live.id}").get_json()
    assert public["summary"] == "Cũ" and public["state"] == "published"
    bad = stc.patch(f"/api/v1/articles/{live.id}", json={"title": ""}, headers=token("contributor"))
    assert bad.status_code == 422


def test_patch_of_another_tenants_article_is_404(publish, client_for, token):
    """R-04: a dongxoai id patched on stc is 404."""
    a = publish("dongxoai", title="Tin Đồng Xoài")
    response = client_for("stc").patch(f"/api/v1/articles/{a.id}", json={"title": "X"}, headers=token("contributor"))
    assert response.status_code == 404


def test_transitions_through_the_generic_api(client_for, token, tenants):
    """R-09: submit and approve through /transitions; the item comes back in the article shape."""
    stc = client_for("stc")
    created = stc.post("/api/v1/articles", json={"title": "Qua API"}, headers=token("contributor")).get_json()
    url = f"/api/v1/articles/{created['id']}/transitions"
    submitted = stc.post(url, json={"action": "submit"}, headers=token("contributor"))
    assert submitted.status_code == 201 and submitted.get_json()["item"]["state"] == "in_review"
    inbox = stc.get("/api/v1/inbox", headers=token("head")).get_json()["items"]
    assert [i["title"] for i in inbox] == ["Qua API"] and inbox[0]["url"].startswith("http://stc.localhost/")
    self_approve = stc.post(url, json={"action": "approve"}, headers=token("contributor"))
    assert self_approve.status_code == 403
    approved = stc.post(url, json={"action": "approve", "comment": "Đồng ý"}, headers=token("head")).get_json()
    assert approved["item"]["state"] == "published" and approved["item"]["slug"] == "qua-api"
    assert stc.get("/news/qua-api").status_code == 200
    history = stc.get(f"/api/v1/articles/{created['id']}/history", headers=token("head")).get_json()
    assert [h["action"] for h in history["items"]] == ["submit", "approve"]
    assert client_for("dongxoai").post(url, json={"action": "submit"}, headers=token("dx_head")).status_code == 404


def test_proposal_to_portal_through_the_api(publish, client_for, token, tenants):
    """R-10: a subsite head proposes; the portal copy credits its source with the original URL."""
    a = publish(title="Tin đề xuất")
    response = client_for("stc").post(
        f"/api/v1/articles/{a.id}/transitions", json={"action": "propose_to_portal"}, headers=token("head")
    )
    assert response.status_code == 201
    copy = db.session.execute(select(Article).where(Article.tenant_id == tenants["portal"].id)).scalar_one()
    detail = client_for("portal").get(f"/api/v1/articles/{copy.id}", headers=token("portal_editor")).get_json()
    assert detail["source_tenant"]["code"] == "stc" and detail["source_url"] == "http://stc.localhost/news/tin-de-xuat"
    assert detail["state"] == "in_review"
