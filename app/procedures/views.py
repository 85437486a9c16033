"""Public pages of the procedures catalogue (R-19, R-08 e): filtered list, full record, print view."""

import math

from flask import Blueprint, abort, render_template, request
from sqlalchemy import func, select

from app.core.text import nfc, unaccent
from app.extensions import db
from app.media.operations import files_by_ids
from app.procedures.models import CHANNELS, LEVELS, ONLINE_LEVELS, Procedure
from app.workflow.models import published

bp = Blueprint("procedures", __name__, template_folder="templates")

PER_PAGE = 20
FILTERS = ("agency", "field", "level", "online_level")


def filtered(args, tenant=None):
    """Published procedures matching the filters in ``args`` (agency, field, level, online_level, q)."""
    stmt = published(Procedure, tenant)
    if args.get("agency"):
        stmt = stmt.where(Procedure.implementing_agency == nfc(args["agency"]))
    if args.get("field"):
        stmt = stmt.where(Procedure.field == nfc(args["field"]))
    if args.get("level"):
        stmt = stmt.where(Procedure.level == args["level"])
    if args.get("online_level"):
        stmt = stmt.where(Procedure.online_level == args["online_level"])
    q = unaccent(nfc(args.get("q", ""))).lower().strip()[:200]
    for word in q.split():
        stmt = stmt.where(Procedure.search_text.contains(word, autoescape=True))
    return stmt.order_by(Procedure.field, Procedure.code)


def _choices(column, tenant=None):
    stmt = published(Procedure, tenant).with_only_columns(column).distinct().order_by(column)
    return [v for v in db.session.execute(stmt).scalars() if v]


@bp.get("/procedures/")
def index():
    stmt = filtered(request.args)
    page = request.args.get("page", 1, type=int) or 1
    total = db.session.execute(select(func.count()).select_from(stmt.order_by(None).subquery())).scalar_one()
    pages = max(1, math.ceil(total / PER_PAGE))
    if page < 1 or page > pages:
        abort(404)
    rows = db.session.execute(stmt.limit(PER_PAGE).offset((page - 1) * PER_PAGE)).scalars().all()
    args = {k: v for k, v in request.args.items() if k in FILTERS + ("q",) and v}
    return render_template(
        "procedures/index.html",
        procedures=rows,
        total=total,
        page=page,
        pages=pages,
        args=args,
        agencies=_choices(Procedure.implementing_agency),
        fields=_choices(Procedure.field),
        levels=LEVELS,
        online_levels=ONLINE_LEVELS,
    )


def _load(code):
    proc = db.session.execute(published(Procedure).where(Procedure.code == code)).scalars().first()
    if proc is None:
        abort(404)
    return proc


def _context(proc):
    forms = {m.id: m for m in files_by_ids(proc.form_ids(), proc.tenant_id)}
    return {
        "proc": proc,
        "forms": forms,
        "levels": LEVELS,
        "channels": CHANNELS,
        "online_levels": ONLINE_LEVELS,
        "legal_basis": legal_basis_links(proc.legal_basis),
    }


def legal_basis_links(text):
    """``[(line, url_or_None)]``: a line whose document number is a published legal document links to it."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    try:
        from app.documents.operations import urls_for_numbers
    except ImportError:  # the documents module is optional
        return [(line, None) for line in lines]
    urls = urls_for_numbers(lines)
    return [(line, urls.get(line)) for line in lines]


@bp.get("/procedures/<code>")
def detail(code):
    return render_template("procedures/detail.html", **_context(_load(code)))


@bp.get("/procedures/<code>/print")
def print_view(code):
    return render_template("procedures/print.html", **_context(_load(code)))
