"""Public pages of projects (R-23, R-08 f, i, k): the three kinds as tabs, filters, detail pages."""

import math

from flask import Blueprint, abort, render_template, request
from sqlalchemy import func, select

from app.core.text import nfc, unaccent
from app.extensions import db
from app.media.operations import files_by_ids
from app.projects.models import KINDS, MANAGEMENT_LEVELS, STATUSES, Project
from app.workflow.models import published

bp = Blueprint("projects", __name__, template_folder="templates")

PER_PAGE = 20
FILTERS = ("kind", "field", "status", "q")


def filtered(args, tenant=None):
    """Published projects matching ``args``: kind, field, status, q (diacritic-insensitive)."""
    stmt = published(Project, tenant)
    if args.get("kind"):
        stmt = stmt.where(Project.kind == args["kind"])
    if args.get("field"):
        stmt = stmt.where(Project.field == nfc(args["field"]))
    if args.get("status"):
        stmt = stmt.where(Project.status == args["status"])
    for word in unaccent(nfc(args.get("q", ""))).lower()[:200].split():
        stmt = stmt.where(Project.search_text.contains(word, autoescape=True))
    return stmt.order_by(Project.published_at.desc().nulls_last(), Project.id.desc())


def _render(kind):
    args = {k: v for k, v in request.args.items() if k in FILTERS and v}
    if kind:
        args["kind"] = kind
    stmt = filtered(args)
    page = request.args.get("page", 1, type=int) or 1
    total = db.session.execute(select(func.count()).select_from(stmt.order_by(None).subquery())).scalar_one()
    pages = max(1, math.ceil(total / PER_PAGE))
    if page < 1 or page > pages:
        abort(404)
    rows = db.session.execute(stmt.limit(PER_PAGE).offset((page - 1) * PER_PAGE)).scalars().all()
    fields_stmt = published(Project).with_only_columns(Project.field).distinct().order_by(Project.field)
    if kind:
        fields_stmt = fields_stmt.where(Project.kind == kind)
    args.pop("kind", None)
    return render_template(
        "projects/index.html",
        kind=kind,
        kinds=KINDS,
        projects=rows,
        total=total,
        page=page,
        pages=pages,
        args=args,
        fields=[f for f in db.session.execute(fields_stmt).scalars() if f],
        statuses=STATUSES.get(kind, {}) if kind else {},
    )


@bp.get("/projects/")
def index():
    kind = request.args.get("kind")
    return _render(kind if kind in KINDS else None)


@bp.get("/projects/investment/")
def investment():
    return _render("investment")


@bp.get("/projects/bidding/")
def bidding():
    return _render("bidding")


@bp.get("/projects/science/")
def science():
    return _render("science")


@bp.get("/projects/<int:project_id>")
def detail(project_id):
    project = db.session.execute(published(Project).where(Project.id == project_id)).scalars().first()
    if project is None:
        abort(404)
    files = files_by_ids(project.documents, project.tenant_id)
    return render_template(
        "projects/detail.html", project=project, kinds=KINDS, files=files, management_levels=MANAGEMENT_LEVELS
    )
