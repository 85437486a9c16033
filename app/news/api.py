"""Articles in the API: the generic collection of the declared type, with the list filters of its own."""

from flask import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import or_

from app.api.content import LARGE_BODY, register_collection
from app.core.text import nfc
from app.extensions import csrf
from app.news.content import ARTICLE
from app.news.models import Article, Category

bp = Blueprint("news_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


class ArticleQuery(Schema):
    category = fields.Str(metadata={"description": "A category's slug (kinh-te...)."})
    featured = fields.Bool(metadata={"description": "Only featured articles (true) or only the others (false)."})
    lang = fields.Str(metadata={"description": "en: only articles with an English version.", "enum": ["vi", "en"]})
    q = fields.Str(metadata={"description": "Words in the title or summary."})


def _truthy(value):
    return value.lower() in ("1", "true", "yes")


def filters(stmt, args, staff):
    """``category`` (slug), ``featured``, ``lang=en`` (with an English version), ``q`` (title, summary)."""
    category = args.get("category")
    if category:
        stmt = stmt.join(Category, Article.category_id == Category.id).where(Category.slug == category)
    featured = args.get("featured")
    if featured is not None:
        stmt = stmt.where(Article.featured.is_(_truthy(featured)))
    if args.get("lang") == "en":
        stmt = stmt.where(Article.title_en != "")
    q = nfc(args.get("q", "")).strip()
    if q:
        pattern = f"%{q[:100]}%"
        stmt = stmt.where(
            or_(Article.title.ilike(pattern), Article.summary.ilike(pattern), Article.title_en.ilike(pattern))
        )
    return stmt


register_collection(
    bp,
    ARTICLE,
    filters=filters,
    query=ArticleQuery,
    max_body=LARGE_BODY,
    example={
        "title": "Sở Tài chính công khai dự toán ngân sách năm 2027",
        "summary": "Dự toán thu, chi ngân sách tỉnh năm 2027 được công khai theo quy định.",
        "body": "<p>Ngày 05/01/2027, Sở Tài chính đã công khai dự toán ngân sách tỉnh năm 2027.</p>",
        "category": "kinh-te",
        "tags": ["ngân sách", "công khai"],
    },
)


def init_app(app):
    app.register_blueprint(bp)
