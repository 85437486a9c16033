"""Search across the portal and every subsite (R-24, R-07)."""

import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth.operations import find_user
from app.core.models import Tenant
from app.core.timeutil import utcnow
from app.extensions import db
from app.news.models import Article
from app.search.indexing import reindex_all
from app.workflow.operations import transition


@pytest.fixture
def publish(app, make_user):
    """``publish("stc", title, body)`` creates an article and takes it through stc's chain."""
    heads = {}

    def make(code, title, body="", **fields):
        with app.test_request_context(base_url="http://localhost"):
            tenant = db.session.execute(select(Tenant).where(Tenant.code == code)).scalars().one()
            if code not in heads:
                writer = find_user(make_user("contributor", code))
                reviewers = [find_user(make_user("editor", code))] if code == "portal" else []
                heads[code] = (writer, [*reviewers, find_user(make_user("head", code))])
            writer, reviewers = heads[code]
            slug = f"{code}-{abs(hash(title)) % 100000}"
            article = Article(tenant_id=tenant.id, title=title, body=body, slug=slug, author_id=writer.id, **fields)
            db.session.add(article)
            db.session.flush()
            transition(article, "submit", writer)
            for reviewer in reviewers:
                transition(article, "approve", reviewer)
            db.session.commit()
            return article.id

    return make


def test_portal_search_finds_every_sites_items_without_accents(client_for, publish):
    """R-24, R-07: the portal searches all subsites; "dieu" finds "Điều", case and accents ignored."""
    publish("stc", "Quyết toán ngân sách tỉnh năm 2025", "Sở Tài chính công bố quyết toán.")
    publish("dongxoai", "Đồng Xoài chỉnh trang đô thị", "Ngân sách phường được phân bổ.")
    publish("portal", "Hội nghị điều hành kinh tế", "")
    html = client_for("portal").get("/search?q=ngan+sach").get_data(as_text=True)
    assert "Quyết toán ngân sách tỉnh năm 2025" in html and "Đồng Xoài chỉnh trang đô thị" in html
    assert "Sở Tài chính" in html and "Hội nghị điều hành" not in html
    assert "Hội nghị điều hành kinh tế" in client_for("portal").get("/search?q=DIEU+HANH").get_data(as_text=True)


def test_subsite_searches_its_own_site_unless_asked(client_for, publish):
    """R-24: a subsite searches itself by default and the whole province with scope=all."""
    publish("stc", "Hướng dẫn quyết toán vốn đầu tư")
    publish("dongxoai", "Đầu tư hạ tầng nông thôn")
    own = client_for("dongxoai").get("/search?q=dau+tu").get_data(as_text=True)
    assert "Đầu tư hạ tầng nông thôn" in own and "Hướng dẫn quyết toán" not in own
    everywhere = client_for("dongxoai").get("/search?q=dau+tu&scope=all").get_data(as_text=True)
    assert "Hướng dẫn quyết toán vốn đầu tư" in everywhere


def test_unpublished_scheduled_and_draft_items_are_not_found(app, client_for, publish, make_user):
    """R-24, R-09: only what the public may see now is found."""
    future = publish("stc", "Thông báo tuyển dụng công chức", publish_at=utcnow() + timedelta(seconds=2))
    assert "tuyển dụng" not in client_for("portal").get("/search?q=tuyen+dung").get_data(as_text=True)
    time.sleep(2.1)  # no job runs: the item appears when its publish_at passes
    assert "Thông báo tuyển dụng công chức" in client_for("portal").get("/search?q=tuyen+dung").get_data(as_text=True)
    with app.test_request_context(base_url="http://localhost"):
        head = find_user("head.stc@test.vn")
        transition(db.session.get(Article, future), "unpublish", head, "Đã hết hạn")
        db.session.commit()
    assert "tuyển dụng" not in client_for("portal").get("/search?q=tuyen+dung").get_data(as_text=True)


def test_search_api(client_for, publish):
    """R-24: the API returns the contract's list shape with absolute URLs on each item's own host."""
    publish("stc", "Công khai ngân sách quý III")
    body = client_for("portal").get("/api/v1/search?q=cong+khai").json
    assert body["total"] == 1 and body["page"] == 1
    item = body["items"][0]
    assert item["tenant"] == "stc" and item["url"].startswith("http://stc.localhost/news/")
    assert client_for("portal").get("/api/v1/search").status_code == 400
    assert client_for("portal").get("/api/v1/search?q=" + "a" * 300).status_code == 400


def test_reindex_rebuilds_from_published_items(app, client_for, publish):
    """R-24: `flask search reindex` rebuilds the index."""
    publish("stc", "Bảng giá đất giai đoạn mới")
    with app.app_context():
        assert reindex_all() == 1
    assert "Bảng giá đất" in client_for("portal").get("/search?q=bang+gia+dat").get_data(as_text=True)


def test_empty_and_hostile_queries_are_safe(client_for):
    """R-24: empty, wildcard and markup queries never error and are escaped."""
    c = client_for("portal")
    assert c.get("/search").status_code == 200
    assert c.get("/search?q=%25_%25").status_code == 200
    html = c.get("/search?q=<script>alert(1)</script>").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
