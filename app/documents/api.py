"""Documents in the API: the generic collection of the declared type, with its filters and relations.

Staff input is the declaration's (``content.py``) plus the parsing of ``relations``; ``files`` is still
accepted as the former name of ``attachments``. Staff read relations to documents not public yet.
"""

from flask import Blueprint
from marshmallow import EXCLUDE, Schema, fields, post_load, validate
from sqlalchemy import extract

from app.api.content import LARGE_BODY, input_schema, register_collection
from app.api.helpers import invalid
from app.api.inputs import Id
from app.core.filters import where_args, where_words
from app.core.scoping import scoped
from app.core.tenancy import current_tenant
from app.documents.content import DOCUMENT
from app.documents.models import RELATIONS, STATUSES, LegalDocument
from app.documents.views import SORTS
from app.extensions import csrf, db

bp = Blueprint("documents_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

FILTER_COLUMNS = {
    "type": LegalDocument.doc_type,
    "issuer": LegalDocument.issuer,
    "field": LegalDocument.field,
    "status": LegalDocument.status,
}


class RelationInput(Schema):
    class Meta:
        unknown = EXCLUDE

    kind = fields.Str(required=True, validate=validate.OneOf(list(RELATIONS)))
    target_id = Id(required=True)


class DocumentInputSchema(type(input_schema(DOCUMENT))):
    """What staff send: the declared fields, ``relations`` as a list, ``files`` for ``attachments``."""

    files = fields.List(Id(), metadata={"description": "The former name of ``attachments``."})
    relations = fields.List(fields.Nested(RelationInput))

    @post_load
    def _former_names(self, data, **kwargs):
        if "files" in data:
            data.setdefault("attachments", data.pop("files"))
        return data


class DocumentQuery(Schema):
    type = fields.Str(metadata={"description": "The document type (Quyết định, Nghị quyết...)."})
    issuer = fields.Str(metadata={"description": "The issuing body."})
    field = fields.Str(metadata={"description": "The field."})
    status = fields.Str(metadata={"enum": list(STATUSES)})
    year = fields.Int(metadata={"description": "The year of issue."})
    q = fields.Str(metadata={"description": "Words of the number, title or text."})
    sort = fields.Str(metadata={"enum": list(SORTS), "description": "Newest issued (default) or effective first."})


def filters(stmt, args, staff):
    """``type``, ``issuer``, ``field``, ``status``, ``year``, ``q``; ``sort`` issued (default) or effective."""
    stmt = where_args(stmt, args, FILTER_COLUMNS)
    year = str(args.get("year", "")).strip()
    if year.isascii() and year.isdigit() and len(year) <= 4:
        stmt = stmt.where(extract("year", LegalDocument.issued_on) == int(year))
    stmt = where_words(stmt, LegalDocument.search_text, args.get("q"))
    return stmt.order_by(None).order_by(*SORTS.get(args.get("sort"), SORTS["issued"]))


def after_apply(doc, data):
    """Relations name live documents of this site."""
    targets = [r["target_id"] for r in data.get("relations", [])]
    if targets:
        found = set(
            db.session.execute(
                scoped(LegalDocument, current_tenant.id, LegalDocument.id).where(
                    LegalDocument.id.in_(targets), LegalDocument.revision_of_id.is_(None)
                )
            ).scalars()
        )
        if set(targets) - found:
            raise invalid({"relations": ["Unknown target document on this site."]})


register_collection(
    bp,
    DOCUMENT,
    filters=filters,
    query=DocumentQuery,
    input=DocumentInputSchema,
    after_apply=after_apply,
    defaults={"status": "in_effect"},
    order_by=SORTS["issued"],
    max_body=LARGE_BODY,
    former_names={"attachments": "files"},
    example={
        "number": "15/2027/QĐ-UBND",
        "doc_type": "Quyết định",
        "issuer": "Ủy ban nhân dân tỉnh Bình Phước",
        "title": "Quyết định ban hành Quy chế quản lý cổng thông tin điện tử tỉnh",
        "issued_on": "2027-01-05",
        "effective_on": "2027-01-15",
        "summary": "Quy chế quản lý, vận hành cổng thông tin điện tử tỉnh.",
    },
)


def init_app(app):
    app.register_blueprint(bp)
