"""Documents API (contract): list and detail for everyone, create and change for staff with a token.

Staff input is the declaration's (``content.py``) plus the parsing of ``relations``; ``files`` is still
accepted as the former name of ``attachments``.
"""

from flask import Blueprint, request
from marshmallow import EXCLUDE, Schema, fields, post_load, validate

from app.api.auth import require_staff
from app.api.content import apply_input, input_schema
from app.api.helpers import create_reviewable, edit_reviewable, invalid, is_staff, load_json
from app.api.inputs import Id
from app.api.pagination import paginate
from app.core.errors import APIError
from app.core.scoping import get_scoped, scoped
from app.core.tenancy import current_tenant
from app.documents.content import DOCUMENT
from app.documents.models import RELATIONS, LegalDocument
from app.documents.views import filtered
from app.extensions import csrf, db
from app.workflow.models import ReviewState, live_items

bp = Blueprint("documents_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


class RelationInput(Schema):
    class Meta:
        unknown = EXCLUDE

    kind = fields.Str(required=True, validate=validate.OneOf(list(RELATIONS)))
    target_id = Id(required=True)


class DocumentInputSchema(type(input_schema(DOCUMENT))):
    """What staff send: the declared fields, ``relations`` as a list, ``files`` for ``attachments``."""

    files = fields.List(Id())
    relations = fields.List(fields.Nested(RelationInput))

    @post_load
    def _former_names(self, data, **kwargs):
        if "files" in data:
            data.setdefault("attachments", data.pop("files"))
        return data


@bp.get("/documents")
def list_documents():
    """Published documents; filters ``type``, ``issuer``, ``field``, ``status``, ``year``, ``q``, ``sort``."""
    stmt = filtered(request.args)
    if is_staff() and request.args.get("state"):
        stmt = live_items(LegalDocument, request.args["state"]).order_by(LegalDocument.id.desc())
    return paginate(stmt, DOCUMENT.schema())


def _load(doc_id):
    doc = get_scoped(LegalDocument, doc_id)
    if doc is None or doc.revision_of_id is not None or (not is_staff() and not doc.is_visible):
        raise APIError(404, "No such document on this site.")
    return doc


@bp.get("/documents/<int:doc_id>")
def get_document(doc_id):
    """One document with its relations both ways and its files (published only for anonymous callers)."""
    return DOCUMENT.schema(staff=is_staff()).dump(_load(doc_id))


def _apply(doc, data):
    try:
        apply_input(doc, data, DOCUMENT)
    except APIError as exc:
        if "attachments" in exc.fields:
            exc.fields["files"] = exc.fields["attachments"]  # the name integrators may still send
        raise
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


@bp.post("/documents")
def create_document():
    """Create a draft document; 201 with the item, 422 with ``fields`` on bad input."""
    user = require_staff()
    data = load_json(DocumentInputSchema())
    doc = LegalDocument(tenant_id=current_tenant.id, state=ReviewState.DRAFT, status="in_effect")
    create_reviewable(doc, user, _apply, data)
    return DOCUMENT.schema().dump(doc), 201, {"Location": f"/api/v1/documents/{doc.id}"}


@bp.patch("/documents/<int:doc_id>")
def update_document(doc_id):
    """Change a document; a live one is changed through its pending revision."""
    user = require_staff()
    doc = _load(doc_id)
    data = load_json(DocumentInputSchema())
    target = edit_reviewable(doc, user, _apply, data)
    return DOCUMENT.schema().dump(target)


def init_app(app):
    app.register_blueprint(bp)
