"""Standing pages in the API: the generic collection of the declared type (list, detail, create, change)."""

from flask import Blueprint
from marshmallow import Schema, fields

from app.api.content import LARGE_BODY, register_collection
from app.extensions import csrf
from app.pages.content import PAGE
from app.pages.models import SECTION_KEYS, Page

bp = Blueprint("pages_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


class PageQuery(Schema):
    section = fields.Str(metadata={"enum": list(SECTION_KEYS)})


def filters(stmt, args, staff):
    """``section`` (introduction, planning...); in the site's own order."""
    section = args.get("section")
    if section:
        stmt = stmt.where(Page.section == section)
    return stmt


register_collection(
    bp,
    PAGE,
    filters=filters,
    query=PageQuery,
    order_by=(Page.section, Page.sort_order, Page.id),
    max_body=LARGE_BODY,
    example={
        "title": "Chức năng, nhiệm vụ",
        "slug": "chuc-nang-nhiem-vu",
        "section": "introduction",
        "body": "<p>Sở Tài chính là cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh.</p>",
    },
)


def init_app(app):
    app.register_blueprint(bp)
