from flask import Blueprint, Response, current_app, render_template, url_for
from sqlalchemy import select, text

from app.core.models import Tenant
from app.core.navigation import SECTIONS, section
from app.core.tenancy import current_tenant, tenant_home_url
from app.extensions import db

bp = Blueprint("public", __name__, template_folder="templates")

# Sections served here until their module exists; a module that takes one over removes it.
PENDING_SECTIONS = {
    "/direction/": "direction",
    "/news/": "news",
    "/documents/": "documents",
    "/procedures/": "procedures",
    "/planning/": "planning",
    "/contacts/": "contacts",
    "/projects/": "projects",
    "/consultations/": "participation",
    "/questions/": "participation",
    "/projects/science/": "science",
    "/statistics/": "statistics",
    "/schedule/": "direction",
    "/pages/": "more",
    "/pages/gioi-thieu": "introduction",
    "/search": None,
}


def pending_section(key):
    if key is None:
        return render_template("public/search_pending.html")
    return render_template("public/section_pending.html", section=section(key))


for _path, _key in PENDING_SECTIONS.items():
    bp.add_url_rule(
        _path,
        f"pending_{_path.strip('/').replace('/', '_').replace('-', '_') or 'root'}",
        (lambda key=_key: pending_section(key)),
    )


@bp.route("/")
def home():
    return render_template("public/home.html", sections=SECTIONS)


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
        portal_url=tenant_home_url(portal) if portal and not current_tenant.is_portal else None,
    )


@bp.route("/robots.txt")
def robots():
    sitemap = url_for("public.home", _external=True) + "sitemap.xml"
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
