"""Public news pages (R-05, R-06, R-08 c, R-11, R-33): lists, categories, articles, print view, Atom feeds."""

from flask import Blueprint, Response, abort, render_template
from sqlalchemy import select

from app.core.i18n import current_language
from app.core.models import Tenant
from app.core.navigation import section
from app.core.pagination import page_of, requested_page
from app.core.scoping import scoped
from app.core.tenancy import current_tenant, tenant_url
from app.core.text import plain_text
from app.extensions import db
from app.media.operations import files_by_ids
from app.news.models import Article, Category
from app.workflow.models import published, visible_filter

bp = Blueprint("news", __name__, template_folder="templates")

PER_PAGE = 10
FEED_SIZE = 30


def _newest_first(stmt):
    return stmt.order_by(Article.published_at.desc().nulls_last(), Article.id.desc())


def visible_articles(tenant=None, english=None):
    """The tenant's visible articles, newest first; on the English site only those with an English version."""
    stmt = published(Article, tenant)
    if english is None:
        english = current_language() == "en"
    if english:
        stmt = stmt.where(Article.title_en != "")
    return _newest_first(stmt)


def categories():
    return db.session.execute(scoped(Category).order_by(Category.sort_order, Category.id)).scalars().all()


def _article_or_404(slug):
    article = db.session.execute(published(Article).where(Article.slug == slug)).scalars().first()
    if article is None:
        abort(404)
    return article


@bp.route("/news/")
def index():
    featured = []
    english = current_language() == "en"
    stmt = visible_articles(english=english)
    if requested_page() == 1:
        featured = db.session.execute(stmt.where(Article.featured.is_(True)).limit(3)).scalars().all()
    rows, pager = page_of(stmt.where(Article.id.notin_([a.id for a in featured])) if featured else stmt, PER_PAGE)
    return render_template(
        "news/index.html",
        section=section("news"),
        featured=featured,
        articles=rows,
        pager=pager,
        categories=categories(),
        english=english,
    )


@bp.route("/news/category/<slug>")
def category(slug):
    row = db.session.execute(scoped(Category).where(Category.slug == slug)).scalars().first()
    if row is None:
        abort(404)
    rows, pager = page_of(visible_articles().where(Article.category_id == row.id), PER_PAGE)
    return render_template(
        "news/category.html",
        category=row,
        articles=rows,
        pager=pager,
        categories=categories(),
        english=current_language() == "en",
    )


def _article_context(article):
    tenant = current_tenant._get_current_object()
    lang = current_language()
    related = []
    if article.category_id:
        related = (
            db.session.execute(
                visible_articles(english=lang == "en")
                .where(Article.category_id == article.category_id, Article.id != article.id)
                .limit(5)
            )
            .scalars()
            .all()
        )
    return {
        "article": article,
        "english": lang == "en",
        "missing_english": lang == "en" and not article.has_english,
        "gallery": files_by_ids(article.gallery, tenant.id),
        "attachments": files_by_ids(article.attachments, tenant.id),
        "related": related,
        "attribution": tenant.attribution(lang),
        "source_tenant": article.source_tenant,
        "canonical": tenant_url(tenant, "news.article", slug=article.slug),
    }


@bp.route("/news/<slug>")
def article(slug):
    return render_template("news/article.html", **_article_context(_article_or_404(slug)))


@bp.route("/news/<slug>/print")
def print_view(slug):
    return render_template("news/print.html", **_article_context(_article_or_404(slug)))


def _feed(title, rows, self_url, alternate_url):
    tenant = current_tenant._get_current_object()
    lang = current_language()
    entries = []
    for a in rows:
        english = lang == "en" and a.has_english
        summary = (a.summary_en if english else a.summary) or plain_text(a.body_en if english else a.body, 300)
        entries.append(
            {
                "id": tenant_url(tenant, "news.article", slug=a.slug),
                "url": tenant_url(tenant, "news.article", slug=a.slug),
                "title": a.title_en if english else a.title,
                "updated": a.updated_at or a.published_at,
                "published": a.published_at,
                "summary": summary,
                "category": a.category,
                "author": a.byline or (a.source_tenant.name_vi if a.source_tenant else tenant.name_vi),
            }
        )
    updated = max((e["updated"] for e in entries if e["updated"]), default=None)
    xml = render_template(
        "feed.atom",
        title=title,
        entries=entries,
        self_url=self_url,
        alternate_url=alternate_url,
        updated=updated,
        attribution=tenant.attribution(lang),
        lang=lang,
    )
    return Response(xml, mimetype="application/atom+xml")


@bp.route("/feeds/news.atom")
def feed():
    tenant = current_tenant._get_current_object()
    rows = db.session.execute(visible_articles().limit(FEED_SIZE)).scalars().all()
    name = tenant.name_en if current_language() == "en" else tenant.name_vi
    return _feed(
        f"{name}: {section('news').title}",
        rows,
        tenant_url(tenant, "news.feed"),
        tenant_url(tenant, "news.index"),
    )


@bp.route("/feeds/<slug>.atom")
def category_feed(slug):
    tenant = current_tenant._get_current_object()
    row = db.session.execute(scoped(Category).where(Category.slug == slug)).scalars().first()
    if row is None:
        abort(404)
    rows = db.session.execute(visible_articles().where(Article.category_id == row.id).limit(FEED_SIZE)).scalars().all()
    name = tenant.name_en if current_language() == "en" else tenant.name_vi
    label = row.name_en if current_language() == "en" and row.name_en else row.name_vi
    return _feed(
        f"{name}: {label}",
        rows,
        tenant_url(tenant, "news.category_feed", slug=slug),
        tenant_url(tenant, "news.category", slug=slug),
    )


# Hooks ---------------------------------------------------------------------------------------


def home_block(tenant):
    """Featured and latest news on every tenant's home page."""
    stmt = visible_articles(tenant)
    featured = db.session.execute(stmt.where(Article.featured.is_(True)).limit(3)).scalars().all()
    ids = [a.id for a in featured]
    latest_stmt = stmt.where(Article.id.notin_(ids)) if ids else stmt
    latest = db.session.execute(latest_stmt.limit(6)).scalars().all()
    return 10, "news/_home.html", {"featured": featured, "latest": latest}


def agencies_block(tenant):
    """The portal's "News from agencies": the latest published articles of every subsite (R-10)."""
    if not tenant.is_portal:
        return None
    stmt = (
        select(Article, Tenant)
        .join(Tenant, Tenant.id == Article.tenant_id)
        .where(visible_filter(Article), Tenant.kind != "portal", Tenant.active.is_(True))
        .order_by(Article.published_at.desc().nulls_last(), Article.id.desc())
        .limit(8)
    )
    if current_language() == "en":
        stmt = stmt.where(Article.title_en != "")
    items = [
        {"article": a, "tenant": t, "url": tenant_url(t, "news.article", slug=a.slug)}
        for a, t in db.session.execute(stmt).all()
    ]
    return 20, "news/_agencies.html", {"items": items}


def sitemap_entries(tenant):
    rows = db.session.execute(
        scoped(Article, tenant, Article.slug, Article.updated_at, Article.published_at)
        .where(visible_filter(Article))
        .order_by(Article.id)
    ).all()
    return [(tenant_url(tenant, "news.article", slug=slug), updated or pub) for slug, updated, pub in rows if slug]


@bp.app_template_filter("atom_date")
def atom_date(value):
    """RFC 3339 date-time in the server's zone, for Atom (``updated`` must never be empty)."""
    from app.core.timeutil import isoformat, utcnow

    return isoformat(value or utcnow())
