"""Links that leave the request use the tenant's public scheme, host and port (R-01, R-11, R-15).

Feeds, emails, robots.txt and API urls are read far from the request that made them (and cached pages
are shown to everybody): a port or case a client typed into its Host header must never end up in them.
"""

import re
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import select

from app.core.models import Tenant
from app.core.timeutil import utcnow
from app.extensions import cache, db
from app.news.models import Article

ATOM = "{http://www.w3.org/2005/Atom}"
TYPED_HOST = "STC.localhost:6666"


@pytest.fixture
def article(app):
    with app.app_context():
        stc = db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalars().one()
        row = Article(
            tenant_id=stc.id,
            title="Công khai dự toán ngân sách",
            summary="Tóm tắt",
            body="<p>Nội dung.</p>",
            state="published",
            published_at=utcnow(),
        )
        db.session.add(row)
        db.session.commit()
        return row.slug


@pytest.fixture
def public_address(app):
    """``public_address(scheme, port)`` sets PUBLIC_SCHEME and PUBLIC_PORT for the test."""
    saved = app.config["PUBLIC_SCHEME"], app.config["PUBLIC_PORT"]

    def set_(scheme, port):
        app.config.update(PUBLIC_SCHEME=scheme, PUBLIC_PORT=port)

    yield set_
    app.config["PUBLIC_SCHEME"], app.config["PUBLIC_PORT"] = saved


def _feed_links(app, host, slug):
    response = app.test_client().get("/feeds/news.atom", headers={"Host": host})
    assert response.status_code == 200
    root = ET.fromstring(response.get_data())
    links = [link.get("href") for link in root.iter(f"{ATOM}link")]
    links += [e.text for e in root.iter(f"{ATOM}id")]
    assert any(slug in link for link in links)
    return links


def test_feed_links_ignore_the_port_a_client_typed(app, article):
    """R-11: a feed fetched with Host stc.localhost:6666 links to http://stc.localhost/..., never :6666."""
    links = _feed_links(app, TYPED_HOST, article)
    assert links and all(link.startswith("http://stc.localhost/") for link in links), links


@pytest.mark.parametrize(
    ("scheme", "port", "base"),
    [
        ("https", "", "https://stc.localhost/"),
        ("https", "443", "https://stc.localhost/"),
        ("https", "8443", "https://stc.localhost:8443/"),
        ("http", "8000", "http://stc.localhost:8000/"),
    ],
)
def test_feed_links_use_the_configured_public_scheme_and_port(app, article, public_address, scheme, port, base):
    """R-11: PUBLIC_SCHEME and PUBLIC_PORT give the address in links (the scheme's own port is left out)."""
    public_address(scheme, port)
    links = _feed_links(app, TYPED_HOST, article)
    assert all(link.startswith(base) for link in links), links


def test_email_links_ignore_the_port_a_client_typed(app, smtp_server):
    """R-15: the tracking link emailed after a question asked on stc.localhost:6666 has no :6666."""
    ask = {
        "kind": "question",
        "title": "Thủ tục hoàn thuế thu nhập cá nhân",
        "body": "Tôi muốn hỏi thời hạn giải quyết hồ sơ hoàn thuế thu nhập cá nhân năm 2025.",
        "name": "Phạm Thị Dung",
        "email": "dung.pham@example.vn",
        "publish_allowed": True,
        "consent": True,
    }
    response = app.test_client().post("/api/v1/questions", json=ask, headers={"Host": TYPED_HOST})
    assert response.status_code == 202, response.get_data(as_text=True)
    code = response.get_json()["tracking_code"]
    [mail] = smtp_server.messages
    links = re.findall(r"https?://\S+", mail["body"])
    assert links == [f"http://stc.localhost/questions/track/{code}"]


def test_robots_and_api_urls_ignore_the_port_a_client_typed(app, article):
    """R-33, API: robots.txt's sitemap and an item's ``url`` are on the public host, without :6666."""
    robots = app.test_client().get("/robots.txt", headers={"Host": TYPED_HOST}).get_data(as_text=True)
    assert "Sitemap: http://stc.localhost/sitemap.xml" in robots
    items = app.test_client().get("/api/v1/articles", headers={"Host": TYPED_HOST}).get_json()["items"]
    assert items and all(item["url"].startswith("http://stc.localhost/news/") for item in items)
    assert "6666" not in str(items)


def test_a_cached_feed_carries_no_visitors_port(app, article):
    """R-27: with the page cache on, the feed a :6666 visitor filled is the same one everybody gets."""
    app.config["PAGE_CACHE_SECONDS"] = 60
    with app.app_context():
        cache.clear()
    try:
        first = app.test_client().get("/feeds/news.atom?cache-test", headers={"Host": TYPED_HOST})
        second = app.test_client().get("/feeds/news.atom?cache-test", headers={"Host": "stc.localhost"})
    finally:
        app.config["PAGE_CACHE_SECONDS"] = 0
    assert second.headers["X-Page-Cache"] == "hit"
    assert b"6666" not in first.get_data() and second.get_data() == first.get_data()
