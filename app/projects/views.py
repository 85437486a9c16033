"""Public pages of projects (R-23, R-08 f, i, k): the three kinds as tabs, filters, detail pages."""

from flask import Blueprint, abort, render_template, request

from app.core.filters import choices, where_args, where_words
from app.core.pagination import page_of
from app.extensions import db
from app.media.operations import files_by_ids
from app.projects.models import KINDS, MANAGEMENT_LEVELS, STATUSES, Project
from app.workflow.models import published

bp = Blueprint("projects", __name__, template_folder="templates")

PER_PAGE = 20


def filtered(args, tenant=None):
    """Published projects matching ``args``: kind, field, status, q (diacritic-insensitive)."""
    stmt = where_args(
        published(Project, tenant), args, {"kind": Project.kind, "field": Project.field, "status": Project.status}
    )
    stmt = where_words(stmt, Project.search_text, args.get("q"))
    return stmt.order_by(Project.published_at.desc().nulls_last(), Project.id.desc())


def _render(kind):
    # The kind comes from the path (or a valid ?kind=), never from another query argument.
    rows, pager = page_of(filtered({**request.args.to_dict(), "kind": kind}), PER_PAGE)
    of_kind = published(Project).where(Project.kind == kind) if kind else published(Project)
    return render_template(
        "projects/index.html",
        kind=kind,
        kinds=KINDS,
        projects=rows,
        pager=pager,
        args=request.args,
        fields=choices(of_kind, Project.field),
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
    files = files_by_ids(project.attachments, project.tenant_id)
    return render_template(
        "projects/detail.html", project=project, kinds=KINDS, files=files, management_levels=MANAGEMENT_LEVELS
    )
