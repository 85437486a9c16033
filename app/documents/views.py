"""Public pages of legal documents and the e-gazette (R-20, R-08 d, m)."""

import math

from flask import Blueprint, abort, render_template, request
from sqlalchemy import extract, func, select

from app.core.scoping import scoped
from app.core.text import nfc, unaccent
from app.documents.models import STATUSES, GazetteIssue, LegalDocument
from app.documents.operations import relations_of
from app.extensions import db
from app.media.operations import files_by_ids
from app.workflow.models import published

bp = Blueprint("documents", __name__, template_folder="templates")

PER_PAGE = 20
FILTERS = ("type", "issuer", "field", "status", "year", "sort", "q")
SORTS = {
    "issued": (LegalDocument.issued_on.desc(), LegalDocument.id.desc()),
    "effective": (LegalDocument.effective_on.desc(), LegalDocument.id.desc()),
}


def filtered(args, tenant=None):
    """Published documents matching ``args``: type, issuer, field, status, year, q; sort issued|effective."""
    stmt = published(LegalDocument, tenant)
    for key, column in (
        ("type", LegalDocument.doc_type),
        ("issuer", LegalDocument.issuer),
        ("field", LegalDocument.field),
        ("status", LegalDocument.status),
    ):
        if args.get(key):
            stmt = stmt.where(column == nfc(args[key]))
    year = str(args.get("year", "")).strip()
    if year.isdigit():
        stmt = stmt.where(extract("year", LegalDocument.issued_on) == int(year))
    q = unaccent(nfc(args.get("q", ""))).lower()[:200]
    for word in q.split():
        stmt = stmt.where(LegalDocument.search_text.contains(word, autoescape=True))
    return stmt.order_by(*SORTS.get(args.get("sort"), SORTS["issued"]))


def _choices(column):
    stmt = published(LegalDocument).with_only_columns(column).distinct().order_by(column)
    return [v for v in db.session.execute(stmt).scalars() if v]


@bp.get("/documents/")
def index():
    stmt = filtered(request.args)
    page = request.args.get("page", 1, type=int) or 1
    total = db.session.execute(select(func.count()).select_from(stmt.order_by(None).subquery())).scalar_one()
    pages = max(1, math.ceil(total / PER_PAGE))
    if page < 1 or page > pages:
        abort(404)
    rows = db.session.execute(stmt.limit(PER_PAGE).offset((page - 1) * PER_PAGE)).scalars().all()
    years = sorted({d.year for d in db.session.execute(published(LegalDocument)).scalars() if d.year}, reverse=True)
    return render_template(
        "documents/index.html",
        documents=rows,
        total=total,
        page=page,
        pages=pages,
        args={k: v for k, v in request.args.items() if k in FILTERS and v},
        types=_choices(LegalDocument.doc_type),
        issuers=_choices(LegalDocument.issuer),
        fields=_choices(LegalDocument.field),
        years=years,
        statuses=STATUSES,
    )


def files_of(doc):
    return files_by_ids(doc.files, doc.tenant_id)


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
