"""Articles API (contract): list and detail for everyone, create and change for staff with a token."""

from flask import Blueprint, request
from sqlalchemy import or_

from app.api.auth import require_staff
from app.api.helpers import create_reviewable, edit_reviewable, is_staff, load_json
from app.api.pagination import paginate
from app.core.errors import APIError
from app.core.scoping import get_scoped, scoped
from app.core.tenancy import current_tenant
from app.core.text import nfc
from app.core.timeutil import to_storage
from app.extensions import csrf, db
from app.news.models import Article, Category
from app.news.operations import ArticleError, check
from app.news.schemas import ArticleInputSchema, ArticleSchema
from app.workflow.models import ReviewState, published

bp = Blueprint("news_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

# Input names that differ from the model's attributes.
RENAMED = {"source": "source_name", "cover": "cover_id", "audio": "audio_id", "video": "video_id"}


def _truthy(value):
    return value.lower() in ("1", "true", "yes")


@bp.get("/articles")
def list_articles():
    """Published articles of this site (staff with a token also see drafts with ``state=``)."""
    if is_staff():
        stmt = scoped(Article).where(Article.revision_of_id.is_(None))
        state = request.args.get("state")
        if state:
            if state not in {s.value for s in ReviewState}:
                raise APIError(400, "Unknown state.", fields={"state": "unknown"})
            stmt = stmt.where(Article.state == state)
    else:
        stmt = published(Article)
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
    return paginate(stmt, ArticleSchema())


def _load(article_id):
    article = get_scoped(Article, article_id)
    if article is None or article.revision_of_id is not None:
        raise APIError(404, "No such article on this site.")
    if not is_staff() and not article.is_visible:
        raise APIError(404, "No such article on this site.")
    return article


@bp.get("/articles/<int:article_id>")
def get_article(article_id):
    return ArticleSchema().dump(_load(article_id))


def _apply(article, data):
    for key, value in data.items():
        if key == "category":
            article.category_id = _category_id(value)
            continue
        if key in ("publish_at", "expire_at"):
            value = to_storage(value)
        setattr(article, RENAMED.get(key, key), value)
    try:
        check(article)
    except ArticleError as exc:
        raise APIError(422, "Some fields are not valid.", fields=exc.fields) from None


def _category_id(value):
    if value in (None, ""):
        return None
    stmt = scoped(Category, None, Category.id)
    if isinstance(value, int) and not isinstance(value, bool):
        row = db.session.execute(stmt.where(Category.id == value)).scalar()
    elif isinstance(value, str):
        row = db.session.execute(stmt.where(Category.slug == value)).scalar()
    else:
        row = None
    if row is None:
        raise APIError(422, "Unknown category.", fields={"category": "Use the slug of one of this site's categories."})
    return row


@bp.post("/articles")
def create_article():
    """Create a draft; 201 with the item, 422 with ``fields`` on bad input."""
    user = require_staff()
    data = load_json(ArticleInputSchema())
    if not data.get("title"):
        raise APIError(422, "Some fields are not valid.", fields={"title": ["A title is required."]})
    article = Article(tenant_id=current_tenant.id, state=ReviewState.DRAFT, author_id=user.id)
    create_reviewable(article, user, _apply, data)
    return ArticleSchema().dump(article), 201, {"Location": f"/api/v1/articles/{article.id}"}


@bp.patch("/articles/<int:article_id>")
def update_article(article_id):
    """Change an article; a live one is changed through its pending revision (the public copy stays)."""
    user = require_staff()
    article = _load(article_id)
    data = load_json(ArticleInputSchema())
    target = edit_reviewable(article, user, _apply, data)
    return ArticleSchema().dump(target)


def init_app(app):
    app.register_blueprint(bp)
