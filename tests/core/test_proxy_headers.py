"""Behind a reverse proxy: tenant, page cache, audit log and rate limits follow the visitor (R-01, R-25, R-27).

In-process, on the session app with ``PROXY_FIX`` switched per test; tests/test_proxy.py runs the same
promises through gunicorn (and nginx when installed).
"""

import pytest
from sqlalchemy import select

from app.core.models import AuditEvent
from app.extensions import cache, db

PROXY = "10.0.0.1:8080"  # the Host a proxy sends upstream when it does not pass the visitor's on


@pytest.fixture
def behind_proxy(app):
    """One trusted proxy, the page cache on and a small login limit."""
    saved = {k: app.config.get(k) for k in ("PROXY_FIX", "PAGE_CACHE_SECONDS", "LOGIN_RATE_LIMIT")}
    app.config.update(PROXY_FIX=1, PAGE_CACHE_SECONDS=60, LOGIN_RATE_LIMIT="3 per minute")
    with app.app_context():
        cache.clear()  # the site generation restarts with each test's fresh database
    yield app
    app.config.update(saved)


def _get(app, host, path="/", client_ip="198.51.100.7", **headers):
    return app.test_client().get(
        path,
        headers={"Host": PROXY, "X-Forwarded-Host": host, "X-Forwarded-For": client_ip, **headers},
    )


def _login_attempts(app, client_ip, count, host="stc.localhost"):
    """POST ``count`` wrong logins from ``client_ip`` (as the proxy reports it); return 429 or "ok" for each."""
    client = app.test_client()
    statuses = []
    for _ in range(count):
        html = client.get("/login", headers={"Host": host}).get_data(as_text=True)
        token = html.split('name="csrf_token"')[1].split('value="')[1].split('"')[0]
        response = client.post(
            "/login",
            data={"email": "nobody@example.vn", "password": "x", "csrf_token": token},
            headers={"Host": host, "X-Forwarded-For": client_ip},
        )
        statuses.append(429 if response.status_code == 429 else "ok")
    return statuses


def _site_name(response):
    html = response.get_data(as_text=True)
    start = html.index('class="site-name"')
    return html[start : start + 200]


@pytest.mark.parametrize("setting", [{"PROXY_FIX": 1}, {"PROXY_FIX": 0, "TRUST_FORWARDED_HOST": True}])
def test_each_subsite_gets_its_own_cached_home_page(app, behind_proxy, setting):
    """R-01, R-27: with the page cache on, a subsite's home page is never served on another one.

    The cache keys on the resolved tenant and its host, not on the proxy's Host header; the deprecated
    TRUST_FORWARDED_HOST=1 means one trusted proxy.
    """
    app.config.update(setting)
    try:
        first = {code: _get(app, host) for code, host in (("stc", "stc.localhost"), ("dx", "dongxoai.localhost"))}
        again = {code: _get(app, host) for code, host in (("stc", "stc.localhost"), ("dx", "dongxoai.localhost"))}
    finally:
        app.config["TRUST_FORWARDED_HOST"] = False
    assert [r.headers["X-Page-Cache"] for r in first.values()] == ["miss", "miss"]
    assert [r.headers["X-Page-Cache"] for r in again.values()] == ["hit", "hit"]
    for responses in (first, again):
        assert "Sở Tài chính" in _site_name(responses["stc"])
        assert "Đồng Xoài" in _site_name(responses["dx"]) and "Sở Tài chính" not in _site_name(responses["dx"])


def test_port_and_case_of_the_host_neither_split_nor_mix_entries(app, behind_proxy):
    """R-27: the key holds the normalised host: STC.localhost:8443 hits stc's entry; dongxoai's port does not."""
    assert _get(app, "stc.localhost").headers["X-Page-Cache"] == "miss"
    hit = _get(app, "STC.localhost:8443")
    assert hit.headers["X-Page-Cache"] == "hit" and "Sở Tài chính" in _site_name(hit)
    other = _get(app, "dongxoai.localhost:8443")
    assert other.headers["X-Page-Cache"] == "miss" and "Sở Tài chính" not in _site_name(other)


def test_only_the_value_the_trusted_proxy_added_is_believed(app, behind_proxy):
    """R-01, R-25: a visitor's own X-Forwarded-Host/-For values, in front of the proxy's, change nothing."""
    page = app.test_client().get(
        "/contact",
        headers={"Host": PROXY, "X-Forwarded-Host": "dongxoai.localhost, stc.localhost"},
    )
    assert "Sở Tài chính" in _site_name(page)
    _login_attempts(app, "6.6.6.6, 198.51.100.7", 1)
    with app.app_context():
        ips = db.session.execute(select(AuditEvent.ip).where(AuditEvent.action == "login.failed")).scalars().all()
    assert ips == ["198.51.100.7"]


def test_rate_limits_and_audit_log_see_the_visitor_not_the_proxy(app, behind_proxy):
    """R-25: each visitor behind the proxy has its own login limit and its own address in the audit log."""
    assert _login_attempts(app, "198.51.100.7", 4) == ["ok", "ok", "ok", 429]
    assert _login_attempts(app, "198.51.100.8", 1) == ["ok"]
    with app.app_context():
        ips = db.session.execute(select(AuditEvent.ip).where(AuditEvent.action == "login.failed")).scalars().all()
    assert sorted(ips) == ["198.51.100.7"] * 3 + ["198.51.100.8"]


def test_without_proxy_fix_forwarded_headers_are_the_visitors_own_words(app, behind_proxy):
    """R-01, R-25: with PROXY_FIX=0 a made-up X-Forwarded-For neither escapes a limit nor enters the audit log."""
    app.config["PROXY_FIX"] = 0
    statuses = [_login_attempts(app, f"203.0.113.{n}", 1)[0] for n in range(4)]
    assert statuses == ["ok", "ok", "ok", 429]
    with app.app_context():
        ips = set(db.session.execute(select(AuditEvent.ip).where(AuditEvent.action == "login.failed")).scalars())
    assert ips == {"127.0.0.1"}
    page = app.test_client().get("/", headers={"Host": "stc.localhost", "X-Forwarded-Host": "dongxoai.localhost"})
    assert "Sở Tài chính" in _site_name(page)
