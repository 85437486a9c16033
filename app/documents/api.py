"""Documents API (contract): list and detail for everyone, create and change for staff with a token."""

from flask import Blueprint, request
from sqlalchemy import select

from app.api.auth import require_staff
from app.api.helpers import create_reviewable, edit_reviewable, invalid, is_staff, load_json
from app.api.pagination import paginate
from app.core.errors import APIError
from app.core.scoping import get_scoped, scoped
from app.core.tenancy import current_tenant
from app.core.text import nfc, sanitize_html
from app.documents.models import GazetteIssue, LegalDocument
from app.documents.operations import DocumentError, check
from app.documents.schemas import DocumentInputSchema, DocumentSchema
from app.documents.views import filtered
from app.extensions import csrf, db
from app.media.operations import files_by_ids
from app.workflow.models import ReviewState

bp = Blueprint("documents_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.get("/documents")
def list_documents():
    """Published documents; filters ``type``, ``issuer``, ``field``, ``status``, ``year``, ``q``, ``sort``."""
    stmt = filtered(request.args)
    if is_staff() and request.args.get("state"):
        state = request.args["state"]
        if state not in {s.value for s in ReviewState}:
            raise APIError(400, "Unknown state.", fields={"state": "unknown"})
        stmt = scoped(LegalDocument).where(LegalDocument.revision_of_id.is_(None), LegalDocument.state == state)
        stmt = stmt.order_by(LegalDocument.id.desc())
    return paginate(stmt, DocumentSchema())


def _load(doc_id):
    doc = get_scoped(LegalDocument, doc_id)
    if doc is None or doc.revision_of_id is not None or (not is_staff() and not doc.is_visible):
        raise APIError(404, "No such document on this site.")
    return doc


@bp.get("/documents/<int:doc_id>")
def get_document(doc_id):
    """One document with its relations both ways and its files (published only for anonymous callers)."""
    return DocumentSchema(staff=is_staff()).dump(_load(doc_id))


def _apply(doc, data):
    tenant_id = current_tenant.id
    for key, value in data.items():
        if isinstance(value, str):
            value = sanitize_html(value) if key == "body" else nfc(value)
        setattr(doc, key, value)
    if data.get("files"):
        found = {m.id for m in files_by_ids(data["files"], tenant_id)}
        if set(data["files"]) - found:
            raise invalid({"files": ["Unknown file."]})
    if data.get("gazette_issue_id") and get_scoped(GazetteIssue, data["gazette_issue_id"]) is None:
        raise invalid({"gazette_issue_id": ["Unknown gazette issue."]})
    targets = [r["target_id"] for r in data.get("relations", [])]
    if targets:
        found = set(
            db.session.execute(
                select(LegalDocument.id).where(
                    LegalDocument.id.in_(targets),
                    LegalDocument.tenant_id == tenant_id,
                    LegalDocument.revision_of_id.is_(None),
                )
            ).scalars()
        )
        if set(targets) - found:
            raise invalid({"relations": ["Unknown target document on this site."]})
    try:
        check(doc)
    except DocumentError as exc:
        raise invalid(exc.fields) from None


@bp.post("/documents")
def create_document():
    """Create a draft document; 201 with the item, 422 with ``fields`` on bad input."""
    user = require_staff()
    data = load_json(DocumentInputSchema())
    missing = {k: ["This field is required."] for k in ("number", "title") if not data.get(k)}
    if missing:
        raise invalid(missing)
    doc = LegalDocument(tenant_id=current_tenant.id, state=ReviewState.DRAFT, status="in_effect")
    create_reviewable(doc, user, _apply, data)
    return DocumentSchema().dump(doc), 201, {"Location": f"/api/v1/documents/{doc.id}"}


@bp.patch("/documents/<int:doc_id>")
def update_document(doc_id):
    """Change a document; a live one is changed through its pending revision."""
    user = require_staff()
    doc = _load(doc_id)
    data = load_json(DocumentInputSchema())
    target = edit_reviewable(doc, user, _apply, data)
    return DocumentSchema().dump(target)


def init_app(app):
    app.register_blueprint(bp)
