"""Feeds and the sitemap are escaped for XML (R-33, R-25): no title or byline can break them or add elements."""

import feedparser
from lxml import etree

ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE_TITLE = 'Thu & chi <ngân sách> "2027" ]]> cuối năm'
HOSTILE_BYLINE = "<b>Phóng viên</b><entry><title>giả mạo</title></entry> & cộng sự"


def _strict(response):
    """Parse with lxml, refusing anything that is not well-formed XML."""
    return etree.fromstring(response.get_data(), etree.XMLParser(recover=False, resolve_entities=False))


def test_markup_and_ampersands_in_titles_and_bylines_stay_text(publish, client_for):
    """R-33, R-25: '&', '<', quotes and ']]>' in a title, markup in a byline: the feed parses, the text is as typed."""
    publish(title=HOSTILE_TITLE, byline=HOSTILE_BYLINE, summary="Tóm tắt <i>có</i> thẻ & ký hiệu")
    response = client_for("stc").get("/feeds/news.atom")
    assert response.status_code == 200
    root = _strict(response)
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 1, "the byline's <entry> became a feed element"
    assert entries[0].findtext(f"{ATOM}title") == HOSTILE_TITLE
    assert entries[0].findtext(f"{ATOM}author/{ATOM}name") == HOSTILE_BYLINE
    assert entries[0].find(f"{ATOM}author/{ATOM}name/b") is None
    assert entries[0].findtext(f"{ATOM}summary").startswith("Tóm tắt <i>có</i> thẻ & ký hiệu")
    parsed = feedparser.parse(response.get_data())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert [e.title for e in parsed.entries] == [HOSTILE_TITLE]


def test_control_characters_never_break_the_feed(publish, client_for):
    """R-33: a character XML forbids (a vertical tab pasted from Word) is dropped, not sent."""
    publish(title="Báo cáo\x0bquý\x01 I")
    root = _strict(client_for("stc").get("/feeds/news.atom"))
    assert root.find(f"{ATOM}entry").findtext(f"{ATOM}title") == "Báo cáoquý I"


def test_the_sitemap_is_well_formed_xml(publish, client_for):
    """R-33: the sitemap parses strictly, every <loc> is an absolute URL of this host."""
    publish(title=HOSTILE_TITLE)
    response = client_for("stc").get("/sitemap.xml")
    root = _strict(response)
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locs = [u.findtext(f"{ns}loc") for u in root.findall(f"{ns}url")]
    assert locs and all(loc.startswith("http://stc.localhost/") for loc in locs)
    assert any("/news/thu-chi-ngan-sach-2027" in loc for loc in locs)
