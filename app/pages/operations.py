"""Standing page operations: checking a page before it is saved.

Cleaning (NFC text, sanitised rich text, the site's own files) happens for every write from the
declaration in ``app/pages/content.py``; publishing goes through ``app.workflow``.
"""

from flask_babel import lazy_gettext as _l

from app.core.errors import DomainError
from app.core.scoping import scoped
from app.extensions import db
from app.pages.models import Page


def slug_free(page):
    """True when no other page of the page's site has its address."""
    stmt = scoped(Page, page.tenant_id, Page.id).where(Page.slug == page.slug)
    if page.id:
        stmt = stmt.where(Page.id != page.id)
    return db.session.execute(stmt).first() is None


def check(page):
    """Raise :class:`DomainError` (422, with ``fields``) when ``page`` cannot be saved as it is."""
    # A revision copy has no address of its own: it keeps the live page's when it is approved.
    if page.revision_of_id is None and page.slug and not slug_free(page):
        raise DomainError(_l("Another page of this site already uses this address."), field="slug")
