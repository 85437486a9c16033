"""Public standing pages (R-08 a f n) and the direction hub (R-08 b)."""

from flask import Blueprint, abort, current_app, render_template

from app.core.navigation import section
from app.core.tenancy import current_tenant
from app.extensions import db
from app.media.operations import files_by_ids
from app.pages.models import INTRODUCTION_SLUG, SECTION_KEYS, Page
from app.workflow.models import published

bp = Blueprint("pages", __name__, template_folder="templates")


def visible_pages(tenant=None, section_key=None):
    stmt = published(Page, tenant)
    if section_key:
        stmt = stmt.where(Page.section == section_key)
    return db.session.execute(stmt.order_by(Page.section, Page.sort_order, Page.id)).scalars().all()


def _attachments(page):
    return files_by_ids(page.attachments, page.tenant_id)


@bp.route("/pages/")
def index():
    """R-08 n: every standing page of the site, grouped by section."""
    groups = []
    pages = visible_pages()
    for key, label in SECTION_KEYS.items():
        rows = [p for p in pages if p.section == key]
        if rows:
            groups.append((label, rows))
    return render_template("pages/index.html", section=section("more"), groups=groups)


@bp.route("/pages/<slug>")
def page(slug):
    """A standing page; ``/pages/gioi-thieu`` is the introduction (R-08 a)."""
    item = db.session.execute(published(Page).where(Page.slug == slug)).scalars().first()
    if item is None:
        if slug == INTRODUCTION_SLUG:
            return render_template("pages/empty.html", section=section("introduction"))
        abort(404)
    title = section("introduction").title if slug == INTRODUCTION_SLUG else None
    siblings = [p for p in visible_pages(section_key=item.section) if p.id != item.id and p.show_in_nav]
    return render_template(
        "pages/page.html", page=item, heading=title, attachments=_attachments(item), siblings=siblings
    )


@bp.route("/planning/")
def planning():
    """R-08 f: strategies, plans and planning pages of the site."""
    return render_template(
        "pages/planning.html", section=section("planning"), pages=visible_pages(section_key="planning")
    )


def _has_endpoint(name):
    return name in current_app.view_functions


@bp.route("/direction/")
def direction():
    """R-08 b: the hub of direction and administration (schedules, directives, answers to petitions)."""
    links = []
    if _has_endpoint("schedule.week"):
        links.append(("/schedule/", "schedule"))
    if _has_endpoint("news.category"):
        links.append(("/news/category/chi-dao-dieu-hanh", "directives"))
    if _has_endpoint("press.index"):
        links.append(("/press/", "press"))
    links.append(("/questions/", "answers"))
    upcoming = []
    if _has_endpoint("schedule.week"):
        from app.schedule.views import upcoming_entries

        upcoming = upcoming_entries(current_tenant._get_current_object(), limit=5)
    return render_template("pages/direction.html", section=section("direction"), links=links, upcoming=upcoming)
