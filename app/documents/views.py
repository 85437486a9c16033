"""Public pages of legal documents and the e-gazette (R-20, R-08 d, m)."""

from flask import Blueprint, abort, render_template, request
from sqlalchemy import extract

from app.core.filters import choices, where_args, where_words
from app.core.pagination import page_of
from app.core.scoping import scoped
from app.documents.models import STATUSES, GazetteIssue, LegalDocument
from app.documents.operations import relations_of
from app.extensions import db
from app.media.operations import files_by_ids
from app.workflow.models import published

bp = Blueprint("documents", __name__, template_folder="templates")

PER_PAGE = 20
SORTS = {
    "issued": (LegalDocument.issued_on.desc(), LegalDocument.id.desc()),
    "effective": (LegalDocument.effective_on.desc(), LegalDocument.id.desc()),
}


def filtered(args, tenant=None):
    """Published documents matching ``args``: type, issuer, field, status, year, q; sort issued|effective."""
    stmt = where_args(
        published(LegalDocument, tenant),
        args,
        {
            "type": LegalDocument.doc_type,
            "issuer": LegalDocument.issuer,
            "field": LegalDocument.field,
            "status": LegalDocument.status,
        },
    )
    year = str(args.get("year", "")).strip()
    if year.isascii() and year.isdigit() and len(year) <= 4:
        stmt = stmt.where(extract("year", LegalDocument.issued_on) == int(year))
    stmt = where_words(stmt, LegalDocument.search_text, args.get("q"))
    return stmt.order_by(*SORTS.get(args.get("sort"), SORTS["issued"]))


@bp.get("/documents/")
def index():
    rows, pager = page_of(filtered(request.args), PER_PAGE)
    years = sorted({d.year for d in db.session.execute(published(LegalDocument)).scalars() if d.year}, reverse=True)
    return render_template(
        "documents/index.html",
        documents=rows,
        pager=pager,
        args=request.args,
        types=choices(published(LegalDocument), LegalDocument.doc_type),
        issuers=choices(published(LegalDocument), LegalDocument.issuer),
        fields=choices(published(LegalDocument), LegalDocument.field),
        years=years,
        statuses=STATUSES,
    )


def files_of(doc):
    return files_by_ids(doc.attachments, doc.tenant_id)


@bp.get("/documents/<int:doc_id>")
def detail(doc_id):
    doc = db.session.execute(published(LegalDocument).where(LegalDocument.id == doc_id)).scalars().first()
    if doc is None:
        abort(404)
    outgoing, incoming = relations_of(doc)
    return render_template(
        "documents/detail.html", doc=doc, outgoing=outgoing, incoming=incoming, files=files_of(doc), statuses=STATUSES
    )


@bp.get("/documents/gazette/")
def gazette():
    """The e-gazette: issues, newest first, each with its published documents."""
    issues = (
        db.session.execute(scoped(GazetteIssue).order_by(GazetteIssue.issued_on.desc(), GazetteIssue.id.desc()))
        .scalars()
        .all()
    )
    docs = db.session.execute(
        published(LegalDocument).where(LegalDocument.gazette_issue_id.is_not(None)).order_by(LegalDocument.number)
    ).scalars()
    by_issue = {}
    for doc in docs:
        by_issue.setdefault(doc.gazette_issue_id, []).append(doc)
    return render_template("documents/gazette.html", issues=issues, by_issue=by_issue)
