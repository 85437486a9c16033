"""The demo loader: categories, articles in every state, covers, proposals (R-05, R-06, R-10)."""

from sqlalchemy import func, select

from app.core.models import Tenant
from app.demo import load_users
from app.extensions import db
from app.news.demo import load_news
from app.news.models import Article, Category


def test_demo_news_for_every_tenant(ctx):
    """R-05, R-06, R-10: every tenant gets articles with covers; every state exists; proposals are credited."""
    list(load_users())
    report = list(load_news())
    assert report and report[0].startswith("news: ")
    tenants = db.session.execute(select(Tenant)).scalars().all()
    counts = dict(db.session.execute(select(Article.tenant_id, func.count()).group_by(Article.tenant_id)).all())
    for tenant in tenants:
        assert counts.get(tenant.id, 0) >= (20 if tenant.is_portal else 5), tenant.code
    states = set(db.session.execute(select(Article.state)).scalars())
    assert states >= {"draft", "in_review", "changes_requested", "rejected", "scheduled", "published", "unpublished",
                      "archived"}  # fmt: skip
    assert db.session.execute(select(func.count()).where(Article.cover_id.is_(None))).scalar() == 0
    assert db.session.execute(select(func.count()).where(Article.title_en != "")).scalar() > 0
    credited = db.session.execute(select(Article).where(Article.source_tenant_id.is_not(None))).scalars().all()
    assert credited and all(a.state == "published" and a.source_url for a in credited)
    assert db.session.execute(select(func.count(Category.id))).scalar() >= 6 * len(tenants)
    assert list(load_news()) == ["news: 0 articles, 0 proposed to the portal and published there"]
