import pytest
from sqlalchemy import select

from app.auth.operations import find_user, issue_token
from app.core.models import Tenant
from app.extensions import db
from app.media.storage import save_upload
from app.news.models import Article, Category
from app.news.operations import ensure_default_categories
from app.workflow.operations import transition
from tests.conftest import HostClient, host_for
from tests.uploads import Upload, jpeg  # noqa: F401  (used by the news tests through this module)


class FreshLocaleClient(HostClient):
    """The tests share one app context with the requests: forget the cached locale before each one."""

    def open(self, path, method="GET", **kwargs):
        from flask import has_app_context
        from flask_babel import refresh

        if has_app_context():
            refresh()
        return super().open(path, method, **kwargs)


@pytest.fixture
def client_for(app):
    def make(code):
        return FreshLocaleClient(app, host_for(code))

    return make


@pytest.fixture
def ctx(app):
    with app.test_request_context(base_url="http://localhost"):
        yield


@pytest.fixture
def tenants(ctx):
    return {t.code: t for t in db.session.execute(select(Tenant)).scalars()}


@pytest.fixture
def staff(make_user, ctx):
    emails = {
        "contributor": make_user("contributor", "stc"),
        "head": make_user("head", "stc"),
        "dx_contributor": make_user("contributor", "dongxoai"),
        "dx_head": make_user("head", "dongxoai"),
        "portal_contributor": make_user("contributor", "portal"),
        "portal_editor": make_user("editor", "portal"),
        "portal_head": make_user("head", "portal"),
    }
    return {name: find_user(email) for name, email in emails.items()}


@pytest.fixture
def image(tenants, staff):
    """``image("stc")`` stores a small JPEG in the tenant's media library."""

    def make(code="stc", name="anh.jpg"):
        media = save_upload(Upload(jpeg(), name), tenants[code], staff["contributor"], allowed_kinds=("image",))
        db.session.commit()
        return media

    return make


@pytest.fixture
def publish(tenants, staff):
    """``publish(code, title=..., **fields)`` writes an article and takes it through the chain."""

    def make(code="stc", title="Sở Tài chính công khai dự toán ngân sách năm 2027", **fields):
        tenant = tenants[code]
        ensure_default_categories(tenant)
        category = fields.pop("category", "kinh-te")
        if category:
            fields["category_id"] = db.session.execute(
                select(Category.id).where(Category.tenant_id == tenant.id, Category.slug == category)
            ).scalar()
        prefix = "" if code == "stc" else ("portal_" if code == "portal" else "dx_")
        author = staff[prefix + "contributor"]
        fields.setdefault("summary", "Tóm tắt: " + title)
        fields.setdefault("body", "<p>Nội dung bài viết.</p>")
        article = Article(tenant_id=tenant.id, title=title, author_id=author.id, last_editor_id=author.id, **fields)
        db.session.add(article)
        db.session.flush()
        transition(article, "submit", author)
        if code == "portal":
            transition(article, "approve", staff["portal_editor"])
            transition(article, "approve", staff["portal_head"])
        else:
            transition(article, "approve", staff[prefix + "head"])
        db.session.commit()
        return article

    return make


@pytest.fixture
def token(staff):
    """``token("contributor")``: a bearer header for that staff user."""

    def make(name):
        plain = issue_token(staff[name])
        db.session.commit()
        return {"Authorization": f"Bearer {plain}"}

    return make
