"""Public pages of the procedures catalogue (R-19, R-08 e): filtered list, full record, print view."""

from flask import Blueprint, abort, render_template, request

from app.core.filters import choices, where_args, where_words
from app.core.pagination import page_of
from app.extensions import db
from app.media.operations import files_by_ids
from app.procedures.models import CHANNELS, LEVELS, ONLINE_LEVELS, Procedure
from app.workflow.models import published

bp = Blueprint("procedures", __name__, template_folder="templates")

PER_PAGE = 20


FILTER_COLUMNS = {
    "agency": Procedure.implementing_agency,
    "field": Procedure.field,
    "level": Procedure.level,
    "online_level": Procedure.online_level,
}


def filtered(args, tenant=None):
    """Published procedures matching the filters in ``args`` (agency, field, level, online_level, q)."""
    stmt = where_args(published(Procedure, tenant), args, FILTER_COLUMNS)
    return where_words(stmt, Procedure.search_text, args.get("q")).order_by(Procedure.field, Procedure.code)


@bp.get("/procedures/")
def index():
    rows, pager = page_of(filtered(request.args), PER_PAGE)
    return render_template(
        "procedures/index.html",
        procedures=rows,
        pager=pager,
        args=request.args,
        agencies=choices(published(Procedure), Procedure.implementing_agency),
        fields=choices(published(Procedure), Procedure.field),
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
