from flask import Blueprint, Response, current_app, render_template
from sqlalchemy import select, text

from app.core import hooks
from app.core.models import Tenant
from app.core.navigation import SECTIONS, section
from app.core.tenancy import current_tenant, tenant_home_url
from app.extensions import db

bp = Blueprint("public", __name__, template_folder="templates")


@bp.route("/")
def home():
    blocks = []
    for contribute in hooks.collect("home"):
        block = contribute(current_tenant._get_current_object())
        if block is not None:
            blocks.append(block)
    blocks.sort(key=lambda b: b[0])
    return render_template("public/home.html", sections=SECTIONS, blocks=blocks)


@bp.route("/sitemap.xml")
def sitemap():
    """R-33: an XML sitemap of the tenant's public pages, fed by every module."""
    tenant = current_tenant._get_current_object()
    base = tenant_home_url(tenant).rstrip("/")
    entries = [(base + "/", None)] + [(base + s.path, None) for s in SECTIONS]
    for contribute in hooks.collect("sitemap"):
        entries.extend(contribute(tenant))
    xml = render_template("public/sitemap.xml", entries=entries)
    return Response(xml, mimetype="application/xml")


@bp.route("/contact")
def contact():
    return render_template("public/contact.html", section=section("contact"))


@bp.route("/links/")
def links():
    subsites = []
    if current_tenant.is_portal:
        rows = db.session.execute(
            select(Tenant)
            .where(Tenant.active.is_(True), Tenant.kind != "portal")
            .order_by(Tenant.sort_order, Tenant.code)
        ).scalars()
        subsites = [(t, tenant_home_url(t)) for t in rows]
    portal = db.session.execute(select(Tenant).where(Tenant.kind == "portal")).scalars().first()
    return render_template(
        "public/links.html",
        section=section("links"),
        subsites=subsites,
        latest=latest_updates() if subsites else {},
        gazette_url=_gazette_url(),
        portal_url=tenant_home_url(portal) if portal and not current_tenant.is_portal else None,
    )


def _gazette_url():
    gazette = (
        db.session.execute(select(Tenant).where(Tenant.code == "congbao", Tenant.active.is_(True))).scalars().first()
    )
    return tenant_home_url(gazette) if gazette else "/documents/"


def latest_updates():
    """R-03: tenant id -> the most recent ``published_at`` of any visible item of any registered content type."""
    from sqlalchemy import func

    from app.workflow import registry
    from app.workflow.models import visible_filter

    latest = {}
    for ct in registry.all_types():
        model = ct.model
        rows = db.session.execute(
            select(model.tenant_id, func.max(model.published_at)).where(visible_filter(model)).group_by(model.tenant_id)
        )
        for tenant_id, when in rows:
            if when is not None and (tenant_id not in latest or when > latest[tenant_id]):
                latest[tenant_id] = when
    return latest


@bp.route("/robots.txt")
def robots():
    sitemap = tenant_home_url(current_tenant._get_current_object()) + "sitemap.xml"
    body = f"User-agent: *\nDisallow: /admin/\nDisallow: /login\nSitemap: {sitemap}\n"
    return Response(body, mimetype="text/plain")


@bp.route("/healthz")
def healthz():
    return {"status": "ok"}


@bp.route("/readyz")
def readyz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as exc:  # the database is down: report, do not raise
        current_app.logger.warning("readiness check failed: %s", exc)
        db.session.rollback()
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}


def nav_context():
    return {"nav_sections": SECTIONS}
