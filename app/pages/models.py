"""Standing pages: rich text per tenant, reviewed before publication (type ``page``)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.workflow.models import Reviewable
from app.workflow.registry import ContentType, register

# Section keys: where a page appears (R-08 a introduction, f planning, n other sections).
SECTION_KEYS = {
    "introduction": _l("Introduction"),
    "functions": _l("Functions and duties"),
    "planning": _l("Strategies and planning"),
    "other": _l("Other sections"),
}
INTRODUCTION_SLUG = "gioi-thieu"
FUNCTIONS_SLUG = "chuc-nang-nhiem-vu"


class Page(Reviewable, db.Model):
    """A standing page at ``/pages/<slug>``; the slug is chosen by staff and kept off revision copies."""

    __tablename__ = "pages_page"
    __table_args__ = (UniqueConstraint("tenant_id", "slug", name="uq_pages_page_tenant_slug"),)
    content_type = "page"
    revision_fields = ("title", "title_en", "body", "body_en", "section", "sort_order", "show_in_nav", "attachments")

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300), default="")
    slug: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    body_en: Mapped[str] = mapped_column(Text, default="")
    section: Mapped[str] = mapped_column(String(20), default="other", index=True)
    sort_order: Mapped[int] = mapped_column(default=0)
    show_in_nav: Mapped[bool] = mapped_column(default=True)
    # Media ids of the tenant (documents, maps) shown under the page.
    attachments: Mapped[list] = mapped_column(JSON, default=list)

    def __str__(self):
        return self.title


def _public_url(page):
    from app.core.models import Tenant
    from app.core.tenancy import tenant_url

    return tenant_url(db.session.get(Tenant, page.tenant_id), "pages.page", slug=page.slug)


def _edit_url(page):
    from flask import url_for

    return url_for("pages_admin.edit_view", id=page.id)


def _dump(page):
    from app.core.timeutil import isoformat

    return {
        "id": page.id,
        "title": page.title,
        "slug": page.slug,
        "section": page.section,
        "body": page.body,
        "state": page.effective_state,
        "published_at": isoformat(page.published_at),
        "url": _public_url(page) if page.slug else None,
    }


register(
    ContentType(
        name="page",
        collection="pages",
        model=Page,
        label=_l("Standing page"),
        public_url=_public_url,
        edit_url=_edit_url,
        dump=_dump,
        deadline_days=3,
    )
)
