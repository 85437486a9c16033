"""Standing pages: rich text per tenant, reviewed before publication (type ``page``)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.workflow.models import Reviewable, TitledItem

# Section keys: where a page appears (R-08 a introduction, f planning, n other sections).
SECTION_KEYS = {
    "introduction": _l("Introduction"),
    "functions": _l("Functions and duties"),
    "planning": _l("Strategies and planning"),
    "other": _l("Other sections"),
}
INTRODUCTION_SLUG = "gioi-thieu"
FUNCTIONS_SLUG = "chuc-nang-nhiem-vu"


class Page(TitledItem, Reviewable, db.Model):
    """A standing page at ``/pages/<slug>``; the slug is chosen by staff and kept off revision copies.

    Its fields are declared in ``app/pages/content.py``; its attachments (documents, maps) are shown under
    the page.
    """

    __tablename__ = "pages_page"
    __table_args__ = (UniqueConstraint("tenant_id", "slug", name="uq_pages_page_tenant_slug"),)
    content_type = "page"

    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(Text, default="")
    body_en: Mapped[str] = mapped_column(Text, default="")
    section: Mapped[str] = mapped_column(String(20), default="other", index=True)
    sort_order: Mapped[int] = mapped_column(default=0)
    show_in_nav: Mapped[bool] = mapped_column(default=True)
