"""Public directory pages: ``/contacts/`` (searchable), ``/contacts/org-chart``, ``/contacts/leaders``."""

from flask import Blueprint, abort, render_template, request
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.core.navigation import section
from app.core.scoping import get_scoped, scope_filter_many, scoped
from app.core.text import nfc, unaccent
from app.directory.models import Official, Unit
from app.extensions import db

bp = Blueprint("directory", __name__, template_folder="templates")


def _units():
    return db.session.execute(scoped(Unit).order_by(Unit.sort_order, Unit.id)).scalars().all()


def unit_tree():
    """The tenant's units as ``[(unit, [children...])]`` nested lists, roots first; cycles are cut."""
    units = _units()
    ids = {u.id for u in units}
    by_parent = {}
    for u in units:
        parent = u.parent_id if u.parent_id in ids else None
        by_parent.setdefault(parent, []).append(u)

    def build(parent, seen):
        return [(u, build(u.id, seen | {u.id})) for u in by_parent.get(parent, []) if u.id not in seen]

    return build(None, frozenset())


def _fold(text):
    return unaccent(nfc(text or "")).lower()


@bp.route("/contacts/")
def index():
    """R-08 g: officials with official phone and email, searchable by name, position or unit."""
    q = nfc(request.args.get("q", "")).strip()[:100]
    stmt = scoped(Official).where(Official.published.is_(True))
    rows = db.session.execute(stmt.order_by(Official.sort_order, Official.id)).scalars().all()
    if q:
        needle = _fold(q)
        rows = [
            o for o in rows
            if needle in _fold(o.name) or needle in _fold(o.position) or (o.unit and needle in _fold(o.unit.name))
        ]  # fmt: skip
    groups = {}
    for o in rows:
        groups.setdefault(o.unit, []).append(o)
    ordered = sorted(groups.items(), key=lambda kv: (kv[0] is None, kv[0].sort_order if kv[0] else 0))
    return render_template("directory/index.html", section=section("contacts"), groups=ordered, q=q, total=len(rows))


@bp.route("/contacts/org-chart")
def org_chart():
    """R-08 a: the organisation chart as nested lists (no script)."""
    return render_template("directory/org_chart.html", tree=unit_tree())


@bp.route("/contacts/leaders")
def leaders():
    """R-08 a: the leaders with photo and short biography."""
    stmt = scoped(Official).where(Official.is_leader.is_(True), Official.published.is_(True))
    rows = db.session.execute(stmt.order_by(Official.sort_order, Official.id)).scalars().all()
    return render_template("directory/leaders.html", leaders=rows)


@bp.route("/contacts/leaders/<int:official_id>")
def leader(official_id):
    official = get_scoped(Official, official_id)
    if official is None or not official.is_leader or not official.published:
        abort(404)
    return render_template("directory/leader.html", leader=official)


def search_hits(query, tenants, limit):
    """``search`` hook (R-24): officials and units whose name, position or unit matches, on the searched sites."""
    from app.core.i18n import localized
    from app.core.tenancy import tenant_url
    from app.search.indexing import SearchHit

    needle = _fold(query)
    if not needle:
        return []
    hits = []
    by_id = {t.id: t for t in tenants}
    # One query for every searched site (units loaded with it); accents are folded in Python.
    stmt = (
        select(Official)
        .options(joinedload(Official.unit))
        .where(scope_filter_many(Official, tenants), Official.published.is_(True))
        .order_by(Official.tenant_id, Official.sort_order)
    )
    for o in db.session.execute(stmt).unique().scalars():
        tenant = by_id[o.tenant_id]
        if needle in _fold(o.name) or needle in _fold(o.position) or (o.unit and needle in _fold(o.unit.name)):
            hits.append(
                SearchHit(
                    title=f"{o.name} - {o.position}",
                    url=tenant_url(tenant, "directory.index", q=o.name),
                    summary=" · ".join(x for x in (o.unit.name if o.unit else "", o.phone, o.email) if x),
                    kind="contact",
                    tenant_name=localized(tenant, "name"),
                    tenant_code=tenant.code,
                )
            )
            if len(hits) >= limit:
                return hits
    return hits
