"""News operations: default categories and checking an article before it is saved.

Views, the API and the demo loader call these; state changes go through ``app.workflow.operations``.
Cleaning (NFC, sanitised rich text, safe URLs) happens for every write from the declaration in
``app/news/content.py``.
"""

import logging

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.core.errors import DomainError
from app.core.scoping import get_scoped, scope_filter, scoped
from app.extensions import db
from app.news.models import DEFAULT_CATEGORIES, Category

log = logging.getLogger(__name__)


def ensure_default_categories(tenant):
    """Create the missing default categories of ``tenant``; return how many were created."""
    existing = set(db.session.execute(scoped(Category, tenant, Category.slug)).scalars())
    created = 0
    for order, (slug, name_vi, name_en) in enumerate(DEFAULT_CATEGORIES):
        if slug not in existing:
            db.session.add(Category(tenant_id=tenant.id, slug=slug, name_vi=name_vi, name_en=name_en, sort_order=order))
            created += 1
    if created:
        db.session.flush()
        log.info("created %s default news categories for tenant %s", created, tenant.code)
    return created


def has_categories(tenant):
    return bool(db.session.execute(select(func.count(Category.id)).where(scope_filter(Category, tenant))).scalar())


def check(article):
    """Raise :class:`DomainError` (422, with ``fields``) when ``article`` cannot be saved as it is."""
    errors = {}
    if article.language not in ("vi", "en"):
        article.language = "vi"
    if article.category_id is not None and get_scoped(Category, article.category_id, article.tenant) is None:
        errors["category"] = str(_l("Choose one of this site's categories."))
    if article.publish_at and article.expire_at and article.expire_at <= article.publish_at:
        errors["expire_at"] = str(_l("The end of publication must come after its start."))
    if errors:
        raise DomainError(_l("Some fields are not valid."), fields=errors)
