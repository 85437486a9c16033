"""Public news pages: lists, pagination, categories, article page, print view, English, isolation."""

from datetime import timedelta

from app.core.timeutil import utcnow
from app.extensions import db
from app.media.storage import save_upload
from app.news.models import Article
from tests.news.conftest import Upload


def test_news_index_lists_only_visible_articles(publish, tenants, staff, client_for):
    """R-08 c, R-09: /news/ shows published articles, never drafts or expired ones."""
    publish(title="Tin đã đăng về hạt điều")
    publish(title="Tin đã hết hạn", expire_at=utcnow() - timedelta(days=1))
    db.session.add(Article(tenant_id=tenants["stc"].id, title="Bản nháp bí mật", author_id=staff["contributor"].id))
    db.session.commit()
    html = client_for("stc").get("/news/").get_data(as_text=True)
    assert "Tin đã đăng về hạt điều" in html
    assert "Bản nháp bí mật" not in html and "Tin đã hết hạn" not in html
    assert 'type="application/atom+xml"' in html and "/feeds/news.atom" in html


def test_news_index_paginates(publish, client_for):
    """R-08 c: the list is paginated, ten per page; a page beyond the end is 404."""
    for i in range(12):
        publish(title=f"Bản tin số {i:02d}")
    client = client_for("stc")
    first = client.get("/news/").get_data(as_text=True)
    second = client.get("/news/?page=2").get_data(as_text=True)
    assert "Bản tin số 11" in first and "Bản tin số 00" not in first
    assert "Bản tin số 00" in second and "Bản tin số 11" not in second
    assert 'aria-current="page">2<' in second
    assert client.get("/news/?page=9").status_code == 404


def test_featured_articles_are_shown_first(publish, client_for):
    """R-08 c: featured news is presented above the latest list."""
    publish(title="Tin nổi bật về Sóc Bom Bo", featured=True)
    publish(title="Tin thường")
    html = client_for("stc").get("/news/").get_data(as_text=True)
    featured = html.index('id="featured-title"')
    assert featured < html.index("Tin nổi bật về Sóc Bom Bo") < html.index('id="latest-title"')


def test_category_page(publish, client_for):
    """R-08 c: each category has its own page listing its articles."""
    publish(title="Tin kinh tế cao su", category="kinh-te")
    publish(title="Tin quốc phòng", category="quoc-phong-an-ninh")
    client = client_for("stc")
    html = client.get("/news/category/kinh-te").get_data(as_text=True)
    assert "<h1>Kinh tế</h1>" in html and "Tin kinh tế cao su" in html and "Tin quốc phòng" not in html
    assert client.get("/news/category/khong-co").status_code == 404


def test_article_page_shows_media_and_attribution(publish, image, tenants, staff, client_for):
    """R-05, R-11: cover with caption, audio and video players, gallery, attachments, "Theo ..." line."""
    stc = tenants["stc"]
    cover, photo = image(), image(name="anh-2.jpg")
    audio = save_upload(Upload(b"ID3" + b"\x00" * 200, "ban-tin.mp3"), stc, staff["contributor"])
    video = save_upload(Upload(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 200, "phong-su.mp4"), stc, staff["contributor"])
    pdf = save_upload(Upload(b"%PDF-1.4\n" + b"0" * 300, "du-toan.pdf"), stc, staff["contributor"])
    a = publish(
        title="Công khai dự toán",
        cover_id=cover.id,
        cover_caption="Quang cảnh hội nghị",
        audio_id=audio.id,
        video_id=video.id,
        gallery=[photo.id],
        attachments=[pdf.id],
    )
    assert a.slug == "cong-khai-du-toan"
    html = client_for("stc").get("/news/cong-khai-du-toan").get_data(as_text=True)
    assert html.count("<h1") == 1 and "<h1>Công khai dự toán</h1>" in html
    assert f'src="{cover.url}"' in html and "<figcaption>Quang cảnh hội nghị</figcaption>" in html
    assert f'<audio controls preload="none" src="{audio.url}"' in html
    assert f'<video controls preload="none" src="{video.url}"' in html
    assert photo.thumb_url in html
    assert f'<a href="{pdf.url}" download>du-toan.pdf</a>' in html
    assert stc.attribution("vi") in html and "Theo " in stc.attribution("vi")


def test_print_view_carries_attribution(publish, tenants, client_for):
    """R-11: the print view names the source tenant and the article's address."""
    publish(title="Bản in thử")
    response = client_for("stc").get("/news/ban-in-thu/print")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<h1>Bản in thử</h1>" in html
    assert tenants["stc"].attribution("vi") in html
    assert "http://stc.localhost/news/ban-in-thu" in html
    assert 'class="site-header"' not in html


def test_english_site_lists_only_english_versions(publish, client_for):
    """R-06: on ?lang=en the lists show only articles with an English version, in English."""
    publish(title="Tin có bản tiếng Anh", title_en="News with an English version", summary_en="In English.")
    publish(title="Tin chỉ có tiếng Việt")
    client = client_for("stc")
    html = client.get("/news/?lang=en").get_data(as_text=True)
    assert "News with an English version" in html and "Tin chỉ có tiếng Việt" not in html
    page = client.get("/news/tin-co-ban-tieng-anh?lang=en").get_data(as_text=True)
    assert "<h1>News with an English version</h1>" in page and 'lang="en"' in page


def test_english_page_of_vietnamese_only_article_says_so(publish, client_for):
    """R-06: an article without English version shows a clear notice on the English site."""
    publish(title="Chỉ có tiếng Việt")
    html = client_for("stc").get("/news/chi-co-tieng-viet?lang=en").get_data(as_text=True)
    assert "no English version" in html and "<h1>Chỉ có tiếng Việt</h1>" in html


def test_other_tenants_article_is_404(publish, client_for):
    """R-04: a stc article does not exist on dongxoai, in lists, pages or print views."""
    publish(title="Tin riêng của Sở Tài chính")
    dx = client_for("dongxoai")
    assert dx.get("/news/tin-rieng-cua-so-tai-chinh").status_code == 404
    assert dx.get("/news/tin-rieng-cua-so-tai-chinh/print").status_code == 404
    assert "Tin riêng của Sở Tài chính" not in dx.get("/news/").get_data(as_text=True)
    assert client_for("stc").get("/news/tin-rieng-cua-so-tai-chinh").status_code == 200


def test_related_articles_of_the_same_category(publish, client_for):
    """R-08 c: the article page lists other news of its category."""
    publish(title="Bài chính", category="kinh-te")
    publish(title="Bài cùng chuyên mục", category="kinh-te")
    publish(title="Bài khác chuyên mục", category="chinh-tri")
    html = client_for("stc").get("/news/bai-chinh").get_data(as_text=True)
    related = html[html.index('id="related-title"') :]
    assert "Bài cùng chuyên mục" in related and "Bài khác chuyên mục" not in related


def test_slugs_are_unique_per_tenant_and_unaccented(publish):
    """R-07: slugs are unaccented Vietnamese and unique within a tenant; other tenants may reuse them."""
    a = publish(title="Đồng Xoài đón Tết")
    b = publish(title="Đồng Xoài đón Tết")
    c = publish("dongxoai", title="Đồng Xoài đón Tết")
    assert (a.slug, b.slug, c.slug) == ("dong-xoai-don-tet", "dong-xoai-don-tet-2", "dong-xoai-don-tet")


def test_proposed_article_credits_its_source(publish, image, staff, tenants, client_for):
    """R-10, R-05: the portal copy shows "Nguồn: <agency>", links back, and has its own copy of the cover."""
    from sqlalchemy import select

    from app.media.models import MediaFile
    from app.workflow.operations import transition

    cover = image()
    a = publish(title="Sở Tài chính hướng dẫn quyết toán", cover_id=cover.id, cover_caption="Ảnh")
    transition(a, "propose_to_portal", staff["head"], "Đề nghị đăng")
    db.session.commit()
    copy = db.session.execute(
        select(Article).where(Article.tenant_id == tenants["portal"].id, Article.source_object_id == a.id)
    ).scalar_one()
    transition(copy, "approve", staff["portal_editor"])
    transition(copy, "approve", staff["portal_head"])
    db.session.commit()
    html = client_for("portal").get(f"/news/{copy.slug}").get_data(as_text=True)
    assert "Nguồn: Sở Tài chính" in html
    assert 'href="http://stc.localhost/news/so-tai-chinh-huong-dan-quyet-toan"' in html
    portal_cover = db.session.get(MediaFile, copy.cover_id)
    assert portal_cover.tenant_id == tenants["portal"].id and portal_cover.id != cover.id
    assert f'src="{portal_cover.url}"' in html
    assert client_for("portal").get(portal_cover.url).status_code == 200
    home = client_for("portal").get("/").get_data(as_text=True)
    assert "Tin từ các đơn vị" in home
