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


@pytest.fixture
def count_queries(app):
    """A list that collects every SQL statement the app sends while the test runs."""
    from sqlalchemy import event

    with app.app_context():
        engine = db.engine
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    yield statements
    event.remove(engine, "before_cursor_execute", record)


def _publish(app, code, title, **values):
    from app.news.models import Article

    with app.app_context():
        tenant = db.session.execute(select(Tenant).where(Tenant.code == code)).scalars().one()
        values.setdefault("state", "published")
        values.setdefault("published_at", utcnow())
        db.session.add(Article(tenant_id=tenant.id, title=title, slug=title.lower().replace(" ", "-"), **values))
        db.session.commit()


@pytest.mark.parametrize("path", ["/", "/news/", "/contact", "/feeds/news.atom"])
def test_a_hit_touches_no_database(client_for, cache_on, count_queries, path):
    """Issue 14: a cached page is answered without one SQL statement (no tenant, no generation query)."""
    c = client_for("stc")
    assert c.get(path).headers["X-Page-Cache"] == "miss"
    count_queries.clear()
    again = c.get(path)
    assert again.headers["X-Page-Cache"] == "hit" and again.status_code == 200
    assert count_queries == []


def test_an_edit_on_one_subsite_leaves_the_others_cached(app, client_for, cache_on):
    """Issue 14: the generation is per tenant: stc's new article empties stc's and the portal's pages only."""
    sites = {code: client_for(code) for code in ("stc", "dongxoai", "portal")}
    for c in sites.values():
        c.get("/news/")
        assert c.get("/news/").headers["X-Page-Cache"] == "hit"
    _publish(app, "stc", "Thong bao ngan sach moi")
    stc = sites["stc"].get("/news/")
    assert stc.headers["X-Page-Cache"] == "miss" and "Thong bao ngan sach moi" in stc.get_data(as_text=True)
    assert sites["dongxoai"].get("/news/").headers["X-Page-Cache"] == "hit"
    assert sites["portal"].get("/news/").headers["X-Page-Cache"] == "miss"  # the portal lists every site's news


def test_a_change_of_a_tenant_empties_every_site(app, client_for, cache_on):
    """Names and hosts of a site show on the others (links, the portal's agencies): every page goes."""
    dongxoai = client_for("dongxoai")
    dongxoai.get("/links/")
    assert dongxoai.get("/links/").headers["X-Page-Cache"] == "hit"
    with app.app_context():
        db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalars().one().name_vi = "Sở Tài chính mới"
        db.session.commit()
    assert dongxoai.get("/links/").headers["X-Page-Cache"] == "miss"


def test_logins_and_the_audit_log_keep_pages_cached(app, client_for, make_user, cache_on):
    """Writes no public page shows (a user signing in, its audit event) do not empty the cache."""
    editor = make_user("editor", "stc")
    visitor = client_for("stc")
    visitor.get("/contact")
    client_for("stc").login(editor)
    assert visitor.get("/contact").headers["X-Page-Cache"] == "hit"


def test_the_generations_live_in_the_cache_store(app, client_for, cache_on):
    """Issue 14: the database holds no generation the hit path reads; the store holds one per tenant."""
    from app.core import caching

    c = client_for("stc")
    c.get("/contact")
    with app.app_context():
        stc = db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalars().one()
        store_ = caching.backend(app)
        before = store_.get(caching.generation_key(stc.id))
        other = store_.get(caching.generation_key(caching.ALL))
    _publish(app, "stc", "Tin moi")
    with app.app_context():
        assert before is not None and store_.get(caching.generation_key(stc.id)) != before
        assert store_.get(caching.generation_key(caching.ALL)) == other


def test_a_scheduled_article_appears_on_time(app, client_for, cache_on):
    """R-09: a page cached before an item's publish_at is not served after it: the item shows at once."""
    import time

    _publish(app, "stc", "Lich hen gio", state="scheduled", publish_at=utcnow() + timedelta(seconds=2))
    c = client_for("stc")
    first = c.get("/news/")
    assert "Lich hen gio" not in first.get_data(as_text=True)
    assert c.get("/news/").headers["X-Page-Cache"] == "hit"
    time.sleep(3.1)
    later = c.get("/news/")
    assert later.headers["X-Page-Cache"] == "miss" and "Lich hen gio" in later.get_data(as_text=True)


def test_an_expired_article_disappears_on_time(app, client_for, cache_on):
    """R-09: the same for expire_at: the item leaves the cached list when it expires."""
    import time

    _publish(app, "stc", "Tin het han", expire_at=utcnow() + timedelta(seconds=2))
    c = client_for("stc")
    assert "Tin het han" in c.get("/news/").get_data(as_text=True)
    time.sleep(3.1)
    assert "Tin het han" not in c.get("/news/").get_data(as_text=True)
