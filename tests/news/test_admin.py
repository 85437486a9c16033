"""Back office of the news: default categories, tenant-limited media choices, isolation, revisions."""

from sqlalchemy import func, select

from app.extensions import db
from app.news.models import Article, Category


def _admin_csrf(client, path):
    return client.csrf_token(path)


def test_opening_the_back_office_creates_default_categories(client_for, staff, tenants):
    """R-08 c: a tenant without categories gets the defaults (politics, economy...) on first visit."""
    client = client_for("dongxoai")
    client.login(staff["dx_head"].email)
    assert client.get("/admin/news_articles/").status_code == 200
    slugs = set(db.session.execute(select(Category.slug).where(Category.tenant_id == tenants["dongxoai"].id)).scalars())
    assert {"chinh-tri", "kinh-te", "van-hoa-xa-hoi", "quoc-phong-an-ninh"} <= slugs
    html = client.get("/admin/news_categories/").get_data(as_text=True)
    assert "Quốc phòng - An ninh" in html


def test_contributor_cannot_manage_categories(client_for, staff):
    """R-25: categories are managed by editors and up."""
    client = client_for("stc")
    client.login(staff["contributor"].email)
    assert client.get("/admin/news_categories/").status_code == 403


def test_media_choices_are_the_tenants_own(client_for, staff, image):
    """R-04, R-05: the cover list offers only this tenant's images."""
    own = image("stc", "anh-cua-stc.jpg")
    foreign = image("dongxoai", "anh-cua-dong-xoai.jpg")
    client = client_for("stc")
    client.login(staff["contributor"].email)
    html = client.get("/admin/news_articles/new/").get_data(as_text=True)
    assert f'value="{own.id}"' in html and "anh-cua-stc.jpg" in html
    assert "anh-cua-dong-xoai.jpg" not in html
    csrf = _admin_csrf(client, "/admin/news_articles/new/")
    response = client.post(
        "/admin/news_articles/new/", data={"csrf_token": csrf, "title": "Ảnh lạ", "cover_id": str(foreign.id)}
    )
    assert response.status_code == 200 and db.session.execute(select(func.count(Article.id))).scalar() == 0


def test_back_office_create_with_cover_and_tags(client_for, staff, image, tenants):
    """R-05: an article saved in the back office keeps its cover, gallery, tags and gets a slug."""
    cover = image()
    client = client_for("stc")
    client.login(staff["contributor"].email)
    csrf = _admin_csrf(client, "/admin/news_articles/new/")
    response = client.post(
        "/admin/news_articles/new/",
        data={
            "csrf_token": csrf,
            "title": "Hội nghị triển khai nhiệm vụ tài chính",
            "body": "<p>Nội dung</p>",
            "cover_id": str(cover.id),
            "cover_caption": "Toàn cảnh hội nghị",
            "gallery": [str(cover.id)],
            "tags": "ngân sách, tài chính",
        },
    )
    assert response.status_code == 302 and "/admin/review/article/" in response.headers["Location"]
    article = db.session.execute(select(Article)).scalar_one()
    assert article.slug == "hoi-nghi-trien-khai-nhiem-vu-tai-chinh"
    assert (article.cover_id, article.gallery, article.tags) == (cover.id, [cover.id], ["ngân sách", "tài chính"])
    assert article.tenant_id == tenants["stc"].id and article.author_id == staff["contributor"].id


def test_another_tenants_article_is_404_in_the_back_office(client_for, staff, publish):
    """R-04: editing or viewing a dongxoai article id from stc's back office is 404."""
    a = publish("dongxoai", title="Tin Đồng Xoài")
    client = client_for("stc")
    client.login(staff["head"].email)
    assert client.get(f"/admin/news_articles/edit/?id={a.id}").status_code == 404
    assert client.get(f"/admin/news_articles/details/?id={a.id}").status_code == 404
    assert "Tin Đồng Xoài" not in client.get("/admin/news_articles/").get_data(as_text=True)


def test_editing_a_live_article_edits_its_revision(client_for, staff, publish):
    """R-09, R-13: saving a published article creates a pending revision; the public page keeps the old text."""
    a = publish(title="Tin đang đăng", summary="Tóm tắt cũ")
    client = client_for("stc")
    client.login(staff["contributor"].email)
    path = f"/admin/news_articles/edit/?id={a.id}"
    csrf = _admin_csrf(client, path)
    response = client.post(path, data={"csrf_token": csrf, "title": "Tin đang đăng", "summary": "Tóm tắt mới"})
    assert response.status_code == 302
    revision = db.session.execute(select(Article).where(Article.revision_of_id == a.id)).scalar_one()
    assert revision.summary == "Tóm tắt mới" and revision.slug is None
    assert "Tóm tắt cũ" in client_for("stc").get("/news/tin-dang-dang").get_data(as_text=True)


def test_list_details_and_export_pages_work(client_for, staff, publish, image):
    """R-09: the article list links each state to the review page; details and CSV export answer."""
    a = publish(title="Tin trong danh sách", cover_id=image().id, tags=["ngân sách"])
    client = client_for("stc")
    client.login(staff["head"].email)
    html = client.get("/admin/news_articles/").get_data(as_text=True)
    assert "Tin trong danh sách" in html and f'href="/admin/review/article/{a.id}"' in html
    assert client.get(f"/admin/news_articles/details/?id={a.id}").status_code == 200
    export = client.get("/admin/news_articles/export/csv/")
    assert export.status_code == 200 and "Tin trong danh sách" in export.get_data(as_text=True)
    assert client.get("/admin/news_articles/?search=danh+s%C3%A1ch").status_code == 200
