"""Atom feeds and the sitemap (R-11, R-33)."""

import xml.etree.ElementTree as ET
from datetime import timedelta

from app.core.timeutil import utcnow

ATOM = "{http://www.w3.org/2005/Atom}"


def _feed(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    return ET.fromstring(response.get_data())


def test_news_feed_is_valid_atom_with_attribution(publish, tenants, client_for):
    """R-33, R-11: /feeds/news.atom has id, updated, rel=self; every entry carries the attribution."""
    publish(title="Bản tin thứ nhất")
    publish(title="Bản tin thứ hai")
    root = _feed(client_for("stc"), "/feeds/news.atom")
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}id") and root.findtext(f"{ATOM}updated")
    assert root.findtext(f"{ATOM}title")
    self_link = [link for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert self_link and self_link[0].get("href") == "http://stc.localhost/feeds/news.atom"
    attribution = tenants["stc"].attribution("vi")
    assert root.findtext(f"{ATOM}rights") == attribution
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Bản tin thứ hai", "Bản tin thứ nhất"]
    for entry in entries:
        assert entry.findtext(f"{ATOM}id").startswith("http://stc.localhost/news/")
        assert entry.findtext(f"{ATOM}updated")
        assert entry.find(f"{ATOM}link").get("href") == entry.findtext(f"{ATOM}id")
        assert entry.findtext(f"{ATOM}summary").endswith(f"({attribution})")
        assert entry.findtext(f"{ATOM}rights") == attribution


def test_category_feed_lists_only_its_category(publish, client_for):
    """R-33: /feeds/<category>.atom holds that category's articles; an unknown one is 404."""
    publish(title="Tin kinh tế", category="kinh-te")
    publish(title="Tin chính trị", category="chinh-tri")
    client = client_for("stc")
    root = _feed(client, "/feeds/kinh-te.atom")
    assert [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")] == ["Tin kinh tế"]
    assert client.get("/feeds/khong-co.atom").status_code == 404


def test_feed_excludes_other_tenants_and_hidden_items(publish, client_for):
    """R-04: dongxoai's feed has none of stc's articles; scheduled items stay out until their time."""
    publish(title="Tin của Sở Tài chính")
    publish("dongxoai", title="Tin Đồng Xoài")
    publish("dongxoai", title="Tin hẹn giờ", publish_at=utcnow() + timedelta(days=2))
    root = _feed(client_for("dongxoai"), "/feeds/news.atom")
    assert [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")] == ["Tin Đồng Xoài"]


def test_empty_feed_is_still_valid(client_for):
    """R-33: a feed without entries still has its updated element."""
    root = _feed(client_for("dongxoai"), "/feeds/news.atom")
    assert root.findtext(f"{ATOM}updated") and root.findall(f"{ATOM}entry") == []


def test_sitemap_lists_visible_articles_with_lastmod(publish, client_for):
    """R-33: the sitemap lists every visible article with its lastmod, and only this tenant's."""
    publish(title="Tin trong sơ đồ")
    publish(title="Tin đã hết hạn", expire_at=utcnow() - timedelta(minutes=1))
    publish("dongxoai", title="Tin Đồng Xoài")
    xml = client_for("stc").get("/sitemap.xml").get_data(as_text=True)
    root = ET.fromstring(xml)
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    urls = {u.findtext(f"{ns}loc"): u.findtext(f"{ns}lastmod") for u in root.findall(f"{ns}url")}
    assert urls["http://stc.localhost/news/tin-trong-so-do"]
    assert "http://stc.localhost/news/tin-da-het-han" not in urls
    assert not any("tin-dong-xoai" in u for u in urls)
