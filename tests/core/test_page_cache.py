"""The anonymous page cache never serves stale or personal pages (R-27, R-09)."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.core.models import Tenant
from app.core.timeutil import utcnow
from app.extensions import db


@pytest.fixture
def cache_on(app):
    app.config["PAGE_CACHE_SECONDS"] = 60
    yield
    app.config["PAGE_CACHE_SECONDS"] = 0


def test_public_pages_are_cached_until_anything_changes(app, client_for, cache_on):
    """R-27: a second anonymous visit is a cache hit; any committed change is visible at once."""
    c = client_for("stc")
    assert c.get("/contact").headers["X-Page-Cache"] == "miss"
    assert c.get("/contact").headers["X-Page-Cache"] == "hit"
    with app.app_context():
        db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalars().one().phone = "0271 999 999"
        db.session.commit()
    fresh = c.get("/contact")
    assert fresh.headers["X-Page-Cache"] == "miss" and "0271 999 999" in fresh.get_data(as_text=True)


def test_pages_with_forms_or_sessions_are_never_cached(client_for, make_user, cache_on):
    """R-25: a page carrying a CSRF token, or any visitor with a session, is never served from the cache."""
    c = client_for("stc")
    c.get("/login")
    assert "X-Page-Cache" not in c.get("/login").headers
    staff = client_for("stc")
    staff.login(make_user("editor", "stc"))
    assert "X-Page-Cache" not in staff.get("/contact").headers


def test_cache_is_per_host_and_language(client_for, cache_on):
    """R-01, R-06: one tenant's or language's page never answers for another."""
    client_for("stc").get("/contact")
    other = client_for("dongxoai").get("/contact").get_data(as_text=True)
    assert "UBND thị xã Đồng Xoài" in other and "Sở Tài chính" not in other
    english = client_for("stc")
    english.get("/contact?lang=en")
    assert "Department of Finance" in english.get("/contact").get_data(as_text=True)


def test_ttl_follows_the_next_time_boundary(app, make_user):
    """R-09: the next publish_at or expire_at bounds the cache lifetime."""
    from app.core.page_cache import _next_time_boundary
    from app.news.models import Article

    with app.app_context():
        stc = db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalars().one()
        now = utcnow()
        assert _next_time_boundary(now) is None
        db.session.add(
            Article(tenant_id=stc.id, title="Hẹn giờ", state="scheduled", publish_at=now + timedelta(seconds=30))
        )
        db.session.commit()
        assert 29 <= _next_time_boundary(now) <= 31
