import pytest
from sqlalchemy import select

from app.auth.operations import find_user
from app.core.models import Tenant
from app.extensions import db
from app.news.models import Article


@pytest.fixture
def ctx(app):
    with app.test_request_context(base_url="http://localhost"):
        yield


@pytest.fixture
def users(app, make_user, ctx):
    """Users by short name: contributor/head/head2 of stc, editor/head of the portal, head of dongxoai."""
    emails = {
        "contributor": make_user("contributor", "stc"),
        "editor_stc": make_user("editor", "stc"),
        "head": make_user("head", "stc"),
        "head2": make_user("head", "stc", "head2.stc@test.vn"),
        "portal_editor": make_user("editor", "portal"),
        "portal_head": make_user("head", "portal"),
        "dx_head": make_user("head", "dongxoai"),
        "admin": make_user("province_admin", "portal"),
        "inspector": make_user("inspector", "portal"),
    }
    return {name: find_user(email) for name, email in emails.items()}


@pytest.fixture
def tenants(ctx):
    return {t.code: t for t in db.session.execute(select(Tenant)).scalars()}


@pytest.fixture
def make_article(tenants, users):
    def make(code="stc", author="contributor", **fields):
        fields.setdefault("title", "Sở Tài chính triển khai dự toán ngân sách năm 2027")
        fields.setdefault("slug", None)
        article = Article(
            tenant_id=tenants[code].id, author_id=users[author].id, last_editor_id=users[author].id, **fields
        )
        db.session.add(article)
        db.session.commit()
        return article

    return make
