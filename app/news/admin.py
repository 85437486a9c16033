"""Back office of the news: articles (through the review chain) and categories."""

from flask import request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms.validators import ValidationError

from app.admin.views import TenantModelView
from app.auth.permissions import can_write
from app.core.scoping import scope_filter
from app.core.tenancy import current_tenant
from app.core.text import nfc, slugify
from app.extensions import db
from app.news.models import Category
from app.news.operations import ensure_default_categories, has_categories
from app.workflow.admin import ReviewableModelView

EDITOR_AND_UP = ("editor", "secretary", "deputy_head", "head", "tenant_admin")


def _tenant_categories():
    return db.session.query(Category).filter(scope_filter(Category)).order_by(Category.sort_order)


class EnsureCategoriesMixin:
    """Staff opening the news back office of a tenant without categories get the defaults."""

    def _handle_view(self, name, **kwargs):
        response = super()._handle_view(name, **kwargs)
        writer = response is None and request.method == "GET" and can_write(current_user, current_tenant)
        if writer and not has_categories(current_tenant):
            ensure_default_categories(current_tenant._get_current_object())
            db.session.commit()
        return response


class ArticleView(EnsureCategoriesMixin, ReviewableModelView):
    """Articles; the form comes from the declaration in ``app/news/content.py``."""

    column_list = ("title", "category", "state", "featured", "published_at")
    column_labels = {"state": _l("State"), "published_at": _l("Published")}
    column_filters = ("state", "featured", "published_at", "language")
    column_searchable_list = ("title", "summary")
    column_default_sort = ("updated_at", True)
    form_args = {"category": {"query_factory": _tenant_categories}}


class CategoryView(EnsureCategoriesMixin, TenantModelView):
    allowed_roles = EDITOR_AND_UP
    can_delete = False
    column_list = ("name_vi", "name_en", "slug", "sort_order")
    column_labels = {
        "name_vi": _l("Name (Vietnamese)"),
        "name_en": _l("Name (English)"),
        "slug": _l("Address (slug)"),
        "sort_order": _l("Order"),
    }
    column_default_sort = "sort_order"
    form_columns = ("name_vi", "name_en", "slug", "sort_order")
    form_args = {"slug": {"description": _l("Leave empty to make it from the Vietnamese name.")}}

    def on_model_change(self, form, model, is_created):
        super().on_model_change(form, model, is_created)
        model.name_vi = nfc(model.name_vi or "").strip()
        model.name_en = nfc(model.name_en or "").strip()
        model.slug = slugify(model.slug or model.name_vi, max_length=100)
        clash = db.session.execute(
            select(Category.id).where(
                Category.tenant_id == model.tenant_id, Category.slug == model.slug, Category.id != (model.id or 0)
            )
        ).scalar()
        if clash:
            raise ValidationError(str(_l("Another category already uses this address.")))
