"""Every response carries the security headers (R-25): pages, error pages, the API, static files; HSTS in production."""

import pytest

from app import create_app
from tests.conftest import host_for


def _directives(response):
    policy = response.headers.get("Content-Security-Policy", "")
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def assert_security_headers(response):
    csp = _directives(response)
    assert csp, f"no Content-Security-Policy on {response.request.path}"
    assert "'self'" in csp["script-src"] and "'unsafe-inline'" not in csp["script-src"]
    assert not any(source in ("*", "https:", "http:", "data:") for source in csp["script-src"])
    assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/news/", 200),
        ("/static/css/site.css", 200),
        ("/theme.css", 200),
        ("/feeds/news.atom", 200),
        ("/sitemap.xml", 200),
        ("/api/v1/articles", 200),
        ("/api/v1/articles/999999", 404),
        ("/no-such-page", 404),
        ("/admin/", 302),
        ("/healthz", 200),
    ],
)
def test_every_kind_of_response_sends_the_headers(client_for, path, status):
    """R-25: pages, feeds, static files, the API and its errors, error pages and redirects carry the headers."""
    response = client_for("stc").get(path)
    assert response.status_code == status
    assert_security_headers(response)


def test_the_unknown_host_page_sends_the_headers(app):
    """R-25, R-01: the plain 404 for a host that is no site has the headers too."""
    response = app.test_client().get("/", headers={"Host": "no-such-site.example.org"})
    assert response.status_code == 404
    assert_security_headers(response)


def test_an_unexpected_error_page_sends_the_headers(app):
    """R-25: the 500 page of an exception no view caught still has the headers."""
    other = create_app("testing", {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})

    @other.get("/boom")
    def boom():
        raise RuntimeError("boom")

    response = other.test_client().get("/boom", headers={"Host": host_for("stc")})
    assert response.status_code == 500
    assert_security_headers(response)


def test_a_view_keeps_its_own_stricter_policy(app):
    """R-25, R-05: a view that sets its own policy (media files: sandbox) keeps it, made unframeable too."""
    other = create_app("testing", {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})

    @other.get("/own-policy")
    def own_policy():
        return "x", 200, {"Content-Security-Policy": "default-src 'none'; sandbox"}

    response = other.test_client().get("/own-policy", headers={"Host": host_for("stc")})
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox; frame-ancestors 'none'"
    assert response.headers["X-Frame-Options"] == "DENY" and response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_page_from_the_cache_gets_a_fresh_policy(app, client_for):
    """R-25, R-27: a page served from the page cache carries this response's policy, not the cached one's."""
    app.config["PAGE_CACHE_SECONDS"] = 60
    try:
        c = client_for("stc")
        first, second = c.get("/contact"), c.get("/contact")
    finally:
        app.config["PAGE_CACHE_SECONDS"] = 0
    assert first.headers["X-Page-Cache"] == "miss" and second.headers["X-Page-Cache"] == "hit"
    assert_security_headers(second)
    assert first.headers["Content-Security-Policy"] != second.headers["Content-Security-Policy"]


def test_the_policy_carries_a_fresh_nonce_per_request(client_for):
    """R-25: script-src names a nonce that changes with every response (for inline script the back office needs)."""
    c = client_for("stc")
    first, second = (
        [s for s in _directives(c.get("/news/"))["script-src"] if s.startswith("'nonce-")] for _ in range(2)
    )
    assert len(first) == 1 and len(second) == 1 and first != second


def test_theme_colours_cannot_inject_css(app, client_for):
    """R-25: the site's colours come from /theme.css (no inline style); a value that is no colour is replaced."""
    from sqlalchemy import select

    from app.core.models import Tenant
    from app.extensions import db

    with app.app_context():
        stc = db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalars().one()
        stc.theme = {"primary": "#123456", "accent": "red;}body{display:none"}
        db.session.commit()
    c = client_for("stc")
    page = c.get("/").get_data(as_text=True)
    assert "<style" not in page
    href = page.split('href="/theme.css', 1)[1].split('"', 1)[0]
    css = c.get("/theme.css" + href.replace("&amp;", "&")).get_data(as_text=True)
    assert "--primary:#123456" in css and "display:none" not in css and "--accent:#b3261e" in css


def _production_app(app, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret-for-tests")
    return create_app(
        "production",
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "CACHE_TYPE": "SimpleCache",
            "RATELIMIT_STORAGE_URI": "memory://",
            "PAGE_CACHE_SECONDS": 0,
        },
    )


def test_production_sends_hsts_on_https(app, monkeypatch):
    """R-25, R-33: in production an https response carries Strict-Transport-Security (a year), error pages too."""
    prod = _production_app(app, monkeypatch)
    client = prod.test_client()
    for path in ("/", "/no-such-page"):
        response = client.get(path, base_url=f"https://{host_for('stc')}")
        hsts = response.headers.get("Strict-Transport-Security", "")
        assert "max-age=31536000" in hsts and "includeSubDomains" not in hsts
        assert_security_headers(response)


def test_no_hsts_over_http_or_outside_production(app, client_for, monkeypatch):
    """R-25: HSTS is not sent on plain http (browsers ignore it) nor by a development or test server."""
    prod = _production_app(app, monkeypatch)
    assert "Strict-Transport-Security" not in prod.test_client().get("/", base_url=f"http://{host_for('stc')}").headers
    testing = app.test_client().get("/", base_url=f"https://{host_for('stc')}")
    assert testing.status_code == 200 and "Strict-Transport-Security" not in testing.headers
