"""Public pages of press releases: the list, one release, and the Atom feed."""

from flask import Blueprint, Response, abort, render_template

from app.core.i18n import current_language
from app.core.pagination import page_of
from app.core.tenancy import current_tenant, tenant_url
from app.core.text import plain_text
from app.extensions import db
from app.media.operations import files_by_ids
from app.press.models import PressRelease
from app.workflow.models import published

bp = Blueprint("press", __name__, template_folder="templates")

PER_PAGE = 10
FEED_SIZE = 30


def visible_releases(english=False):
    """The site's visible press releases, newest first; on the English site those with an English version."""
    stmt = published(PressRelease)
    if english:
        stmt = stmt.where(PressRelease.title_en != "")
    return stmt.order_by(PressRelease.published_at.desc().nulls_last(), PressRelease.id.desc())


@bp.route("/press/")
def index():
    english = current_language() == "en"
    rows, pager = page_of(visible_releases(english), PER_PAGE)
    return render_template("press/index.html", releases=rows, pager=pager, english=english)


@bp.route("/press/<slug>")
def detail(slug):
    release = db.session.execute(published(PressRelease).where(PressRelease.slug == slug)).scalars().first()
    if release is None:
        abort(404)
    lang = current_language()
    tenant = current_tenant._get_current_object()
    return render_template(
        "press/detail.html",
        release=release,
        english=lang == "en" and release.has_english,
        missing_english=lang == "en" and not release.has_english,
        attachments=files_by_ids(release.attachments, tenant.id),
        attribution=tenant.attribution(lang),
        canonical=tenant_url(tenant, "press.detail", slug=release.slug),
    )


@bp.route("/feeds/press.atom")
def feed():
    tenant = current_tenant._get_current_object()
    lang = current_language()
    english = lang == "en"
    entries = []
    for r in db.session.execute(visible_releases(english).limit(FEED_SIZE)).scalars():
        url = tenant_url(tenant, "press.detail", slug=r.slug)
        entries.append(
            {
                "id": url,
                "url": url,
                "title": r.title_en if english else r.title,
                "updated": r.updated_at or r.published_at,
                "published": r.published_at,
                "summary": (r.summary_en if english else r.summary)
                or plain_text(r.body_en if english else r.body, 300),
                "author": r.contact_name or tenant.name_vi,
            }
        )
    name = tenant.name_en if english else tenant.name_vi
    xml = render_template(
        "feed.atom",
        title=f"{name}: {_section_title()}",
        entries=entries,
        self_url=tenant_url(tenant, "press.feed"),
        alternate_url=tenant_url(tenant, "press.index"),
        updated=max((e["updated"] for e in entries if e["updated"]), default=None),
        attribution=tenant.attribution(lang),
        lang=lang,
    )
    return Response(xml, mimetype="application/atom+xml")


def _section_title():
    from flask_babel import gettext as _

    return _("Press releases")
