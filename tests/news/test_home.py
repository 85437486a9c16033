"""Home-page blocks: featured and latest news everywhere; "News from agencies" on the portal (R-08 c, R-10)."""


def test_subsite_home_shows_featured_and_latest(publish, client_for):
    """R-08 c: every tenant's home shows its featured and latest news."""
    publish(title="Tin nổi bật trang chủ", featured=True)
    publish(title="Tin mới trang chủ")
    html = client_for("stc").get("/").get_data(as_text=True)
    assert "Tin nổi bật trang chủ" in html and "Tin mới trang chủ" in html
    assert "Tin từ các đơn vị" not in html


def test_portal_home_shows_news_from_agencies(publish, client_for):
    """R-10: the portal's home lists subsites' latest articles, labelled and linked to the subsite."""
    publish(title="Tin của Sở Tài chính trên trang chủ")
    publish("portal", title="Tin của Cổng")
    html = client_for("portal").get("/").get_data(as_text=True)
    block = html[html.index('id="agencies-title"') :]
    assert "Tin từ các đơn vị" in html
    assert 'href="http://stc.localhost/news/tin-cua-so-tai-chinh-tren-trang-chu"' in block
    assert "Sở Tài chính" in block and "Tin của Cổng" not in block


def test_media_usage_counts_articles(publish, image, tenants, app):
    """R-05: the media library learns from the declarations how many articles use each file."""
    from app.media.operations import usage_counts

    cover = image()
    publish(title="Một", cover_id=cover.id)
    publish(title="Hai", cover_id=cover.id, gallery=[cover.id])
    assert usage_counts(tenants["stc"])[cover.id] == 2
