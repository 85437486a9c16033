"""HTTP caching of public pages and static files, compression and icons (issue 14)."""

import gzip
import re

import pytest

PAGES = ["/", "/news/", "/contact", "/links/", "/feeds/news.atom"]


@pytest.fixture(autouse=True)
def _articles(app):
    """Two published articles, so that lists and the feed (whose date is its newest item's) hold something."""
    from sqlalchemy import select

    from app.core.models import Tenant
    from app.core.timeutil import utcnow
    from app.extensions import db
    from app.news.models import Article

    with app.app_context():
        stc = db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalars().one()
        for n in (1, 2):
            db.session.add(
                Article(
                    tenant_id=stc.id, title=f"Bao cao ngan sach {n}", slug=f"bao-cao-{n}", state="published",
                    published_at=utcnow(), summary="Tóm tắt " * 40, body="<p>Nội dung</p>",
                )
            )  # fmt: skip
        db.session.commit()


@pytest.fixture(params=[0, 60], ids=["uncached", "page-cache"])
def page_cache(app, request):
    """Both paths: pages rendered by Flask each time, and pages answered by the page cache."""
    app.config["PAGE_CACHE_SECONDS"] = request.param
    yield request.param
    app.config["PAGE_CACHE_SECONDS"] = 0


@pytest.mark.parametrize("path", PAGES)
def test_an_unchanged_page_answers_304_to_its_etag(client_for, page_cache, path):
    """A browser holding the current copy gets 304 and no body, from Flask and from the page cache alike."""
    c = client_for("stc")
    first = c.get(path)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and re.fullmatch(r'"[0-9a-f]{24}"', etag)
    again = c.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    other = c.get(path, headers={"If-None-Match": '"0000"'})
    assert other.status_code == 200 and other.data == first.data


def test_a_cached_page_answers_304_to_if_modified_since(client_for, page_cache):
    """With the page cache, Last-Modified is when the copy was made; asking with it gives 304."""
    if not page_cache:
        pytest.skip("Last-Modified comes with the page cache")
    c = client_for("stc")
    first = c.get("/news/")
    assert c.get("/news/").headers["X-Page-Cache"] == "hit"
    again = c.get("/news/", headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert again.status_code == 304 and again.headers["X-Page-Cache"] == "hit"


def test_anonymous_pages_are_public_and_staff_pages_private(app, client_for, make_user):
    """A shared cache may keep what every anonymous visitor gets, never a signed-in visitor's page."""
    anonymous = client_for("stc").get("/news/")
    assert anonymous.cache_control.public and anonymous.cache_control.no_cache
    app.config["PROXY_CACHE_SECONDS"] = 5
    try:
        micro = client_for("stc").get("/news/")
    finally:
        app.config["PROXY_CACHE_SECONDS"] = 0
    assert micro.cache_control.public and micro.cache_control.s_maxage == 5 and micro.cache_control.max_age == 0
    staff = client_for("stc")
    staff.login(make_user("editor", "stc"))
    private = staff.get("/news/")
    assert private.cache_control.private and "public" not in private.headers["Cache-Control"]
    assert "ETag" not in private.headers


def test_the_micro_cache_lifetime_stops_at_the_next_scheduled_item(app, client_for):
    """R-09: s-maxage never reaches past the next publish_at, so a proxy does not hide a scheduled item."""
    from datetime import timedelta

    from sqlalchemy import select

    from app.core.models import Tenant
    from app.core.timeutil import utcnow
    from app.extensions import db
    from app.news.models import Article

    with app.app_context():
        stc = db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalars().one()
        db.session.add(
            Article(tenant_id=stc.id, title="Sap dang", state="scheduled", publish_at=utcnow() + timedelta(seconds=3))
        )
        db.session.commit()
    app.config.update(PROXY_CACHE_SECONDS=30, PAGE_CACHE_SECONDS=60)
    try:
        response = client_for("stc").get("/news/")
    finally:
        app.config.update(PROXY_CACHE_SECONDS=0, PAGE_CACHE_SECONDS=0)
    assert 1 <= response.cache_control.s_maxage <= 4


@pytest.mark.parametrize("path", PAGES)
def test_text_is_gzipped_for_clients_that_accept_it(client_for, page_cache, path):
    """The app's own compression (when no proxy compresses): same bytes once unzipped, another ETag."""
    c = client_for("stc")
    plain = c.get(path)
    zipped = c.get(path, headers={"Accept-Encoding": "gzip, br"})
    if page_cache:
        assert zipped.headers["X-Page-Cache"] == "hit"
    assert zipped.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.data) == plain.data and len(zipped.data) < len(plain.data)
    assert zipped.headers["ETag"] != plain.headers["ETag"]
    assert int(zipped.headers["Content-Length"]) == len(zipped.data)
    again = c.get(path, headers={"Accept-Encoding": "gzip", "If-None-Match": zipped.headers["ETag"]})
    assert again.status_code == 304


def test_no_compression_when_switched_off(app, client_for):
    app.config["COMPRESS_RESPONSES"] = False
    try:
        response = client_for("stc").get("/news/", headers={"Accept-Encoding": "gzip"})
    finally:
        app.config["COMPRESS_RESPONSES"] = True
    assert "Content-Encoding" not in response.headers


def _static_links(html):
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_static_files_are_fingerprinted_and_immutable(client_for):
    """Pages link static files with their content hash; such an address is cached for a year."""
    c = client_for("stc")
    links = _static_links(c.get("/").get_data(as_text=True))
    css = next(link for link in links if "css/site.css" in link)
    assert re.search(r"\?v=[0-9a-f]{12}$", css)
    response = c.get(css, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    cache_control = response.headers["Cache-Control"]
    assert "immutable" in cache_control and "max-age=31536000" in cache_control and "public" in cache_control
    assert "no-cache" not in cache_control
    assert response.headers["Content-Encoding"] == "gzip" and b"{" in gzip.decompress(response.data)
    stale = c.get("/static/css/site.css?v=000000000000")
    assert "immutable" not in stale.headers.get("Cache-Control", "") and stale.cache_control.no_cache


def test_every_static_link_of_the_home_page_exists(client_for):
    c = client_for("portal")
    for link in _static_links(c.get("/").get_data(as_text=True)):
        assert c.get(link).status_code == 200, link


@pytest.mark.parametrize("code", ["portal", "stc"])
def test_favicon_and_app_icons(client_for, code):
    """Issue 14: no page asks for a missing favicon; the home page links the icons and the manifest."""
    c = client_for(code)
    icon = c.get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype in ("image/vnd.microsoft.icon", "image/x-icon")
    assert icon.data[:4] == b"\x00\x00\x01\x00" and icon.cache_control.max_age
    html = c.get("/").get_data(as_text=True)
    for rel in ('rel="icon"', 'rel="apple-touch-icon"', 'rel="manifest"'):
        assert rel in html
    manifest = c.get(next(link for link in _static_links(html) if "webmanifest" in link))
    assert manifest.status_code == 200 and manifest.json["icons"]
