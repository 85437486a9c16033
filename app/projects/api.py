"""Projects in the API: the generic collection of the declared type, with a ``kind`` filter (investment,
bidding, science) and the module's other filters."""

from flask import Blueprint
from marshmallow import Schema, fields

from app.api.content import SMALL_BODY, register_collection
from app.core.errors import APIError
from app.core.filters import where_args, where_words
from app.extensions import csrf
from app.projects.content import PROJECT
from app.projects.models import KINDS, Project

bp = Blueprint("projects_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


class ProjectQuery(Schema):
    kind = fields.Str(metadata={"enum": list(KINDS)})
    field = fields.Str(metadata={"description": "The field (lĩnh vực)."})
    status = fields.Str(metadata={"description": "The kind's status (calling, open, awarded...)."})
    q = fields.Str(metadata={"description": "Words of the title, code, location or organisations."})


def filters(stmt, args, staff):
    """``kind``, ``field``, ``status``, ``q`` (diacritic-insensitive)."""
    kind = args.get("kind")
    if kind and kind not in KINDS:
        raise APIError(400, "Unknown kind.", fields={"kind": f"one of {', '.join(KINDS)}"})
    stmt = where_args(stmt, args, {"kind": Project.kind, "field": Project.field, "status": Project.status})
    return where_words(stmt, Project.search_text, args.get("q"))


register_collection(
    bp,
    PROJECT,
    filters=filters,
    query=ProjectQuery,
    max_body=SMALL_BODY,
    example={
        "kind": "investment",
        "title": "Dự án đầu tư xây dựng khu công nghiệp Minh Hưng III mở rộng",
        "field": "Công nghiệp",
        "status": "calling",
        "summary": "Kêu gọi nhà đầu tư xây dựng và kinh doanh hạ tầng khu công nghiệp.",
        "location": "Thị xã Chơn Thành",
        "total_capital": "1500000000000",
    },
)


def init_app(app):
    app.register_blueprint(bp)
