"""Articles API (contract): list and detail for everyone, create and change for staff with a token."""

from flask import Blueprint, request
from sqlalchemy import or_

from app.api.auth import require_staff
from app.api.content import apply_input, input_schema
from app.api.helpers import create_reviewable, edit_reviewable, is_staff, load_json
from app.api.pagination import paginate
from app.core.errors import APIError
from app.core.scoping import get_scoped
from app.core.tenancy import current_tenant
from app.core.text import nfc
from app.extensions import csrf
from app.news.content import ARTICLE
from app.news.models import Article, Category
from app.workflow.models import ReviewState, live_items, published

bp = Blueprint("news_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


def _truthy(value):
    return value.lower() in ("1", "true", "yes")


@bp.get("/articles")
def list_articles():
    """Published articles of this site (staff with a token also see drafts with ``state=``)."""
    stmt = live_items(Article, request.args.get("state")) if is_staff() else published(Article)
    category = request.args.get("category")
    if category:
        stmt = stmt.join(Category, Article.category_id == Category.id).where(Category.slug == category)
    featured = request.args.get("featured")
    if featured is not None:
        stmt = stmt.where(Article.featured.is_(_truthy(featured)))
    if request.args.get("lang") == "en":
        stmt = stmt.where(Article.title_en != "")
    q = nfc(request.args.get("q", "")).strip()
    if q:
        pattern = f"%{q[:100]}%"
        stmt = stmt.where(
            or_(Article.title.ilike(pattern), Article.summary.ilike(pattern), Article.title_en.ilike(pattern))
        )
    stmt = stmt.order_by(Article.published_at.desc().nulls_last(), Article.id.desc())
    return paginate(stmt, ARTICLE.schema())


def _load(article_id):
    article = get_scoped(Article, article_id)
    if article is None or article.revision_of_id is not None:
        raise APIError(404, "No such article on this site.")
    if not is_staff() and not article.is_visible:
        raise APIError(404, "No such article on this site.")
    return article


@bp.get("/articles/<int:article_id>")
def get_article(article_id):
    return ARTICLE.schema().dump(_load(article_id))


def _apply(article, data):
    apply_input(article, data, ARTICLE)


@bp.post("/articles")
def create_article():
    """Create a draft; 201 with the item, 422 with ``fields`` on bad input."""
    user = require_staff()
    data = load_json(input_schema(ARTICLE))
    if not data.get("title"):
        raise APIError(422, "Some fields are not valid.", fields={"title": ["A title is required."]})
    article = Article(tenant_id=current_tenant.id, state=ReviewState.DRAFT, author_id=user.id)
    create_reviewable(article, user, _apply, data)
    return ARTICLE.schema().dump(article), 201, {"Location": f"/api/v1/articles/{article.id}"}


@bp.patch("/articles/<int:article_id>")
def update_article(article_id):
    """Change an article; a live one is changed through its pending revision (the public copy stays)."""
    user = require_staff()
    article = _load(article_id)
    data = load_json(input_schema(ARTICLE))
    target = edit_reviewable(article, user, _apply, data)
    return ARTICLE.schema().dump(target)


def init_app(app):
    app.register_blueprint(bp)
