"""Back office of the news: articles (through the review chain) and categories."""

from flask import request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.validators import ValidationError

from app.admin.views import TenantModelView
from app.auth.permissions import can_write
from app.core.tenancy import current_tenant
from app.core.text import nfc, slugify
from app.extensions import db
from app.media.models import MediaFile
from app.news.models import Category
from app.news.operations import clean, ensure_default_categories, has_categories, media_errors
from app.workflow.admin import ReviewableModelView

EDITOR_AND_UP = ("editor", "secretary", "deputy_head", "head", "tenant_admin")
MEDIA_CHOICES_LIMIT = 500


def _optional_int(value):
    if value in (None, "", "None"):
        return None
    return int(value)


class TagsField(StringField):
    """Tags typed as a comma-separated line, stored as a list."""

    def _value(self):
        return ", ".join(self.data or []) if isinstance(self.data, list) else (self.data or "")

    def process_formdata(self, valuelist):
        text = nfc(valuelist[0]) if valuelist else ""
        self.data = [t.strip() for t in text.split(",") if t.strip()][:30]


def _tenant_categories():
    return db.session.query(Category).filter(Category.tenant_id == current_tenant.id).order_by(Category.sort_order)


def _media_choices(kinds, optional):
    rows = db.session.execute(
        select(MediaFile)
        .where(MediaFile.tenant_id == current_tenant.id, MediaFile.kind.in_(kinds))
        .order_by(MediaFile.id.desc())
        .limit(MEDIA_CHOICES_LIMIT)
    ).scalars()
    choices = [("", _l("(none)"))] if optional else []
    return choices + [(str(m.id), f"#{m.id} · {m.original_name or m.stored_name}") for m in rows]


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
    column_list = ("title", "category", "state", "featured", "published_at")
    column_labels = {
        "title": _l("Title"),
        "category": _l("Category"),
        "state": _l("State"),
        "featured": _l("Featured"),
        "published_at": _l("Published"),
        "summary": _l("Summary"),
        "body": _l("Body"),
        "cover_id": _l("Cover image"),
        "cover_caption": _l("Cover caption"),
        "gallery": _l("Photo gallery"),
        "audio_id": _l("Audio"),
        "video_id": _l("Video"),
        "attachments": _l("Attachments"),
        "byline": _l("Author (byline)"),
        "source_name": _l("Source"),
        "tags": _l("Tags"),
        "title_en": _l("Title (English)"),
        "summary_en": _l("Summary (English)"),
        "body_en": _l("Body (English)"),
        "publish_at": _l("Publish at"),
        "expire_at": _l("Hide after"),
        "language": _l("Language"),
    }
    column_filters = ("state", "featured", "published_at", "language")
    column_searchable_list = ("title", "summary")
    column_default_sort = ("updated_at", True)
    form_columns = (
        "title",
        "category",
        "summary",
        "body",
        "cover_id",
        "cover_caption",
        "gallery",
        "audio_id",
        "video_id",
        "attachments",
        "byline",
        "source_name",
        "tags",
        "featured",
        "title_en",
        "summary_en",
        "body_en",
        "publish_at",
        "expire_at",
    )
    form_extra_fields = {
        "cover_id": SelectField(_l("Cover image"), coerce=_optional_int, choices=[]),
        "gallery": SelectMultipleField(_l("Photo gallery"), coerce=int, choices=[]),
        "audio_id": SelectField(_l("Audio"), coerce=_optional_int, choices=[]),
        "video_id": SelectField(_l("Video"), coerce=_optional_int, choices=[]),
        "attachments": SelectMultipleField(_l("Attachments"), coerce=int, choices=[]),
        "tags": TagsField(_l("Tags"), description=_l("Separate tags with commas.")),
    }
    form_args = {"category": {"query_factory": _tenant_categories}}
    form_widget_args = {
        "body": {"class": "rich-text form-control", "rows": 16},
        "body_en": {"class": "rich-text form-control", "rows": 10},
        "summary": {"rows": 3},
        "summary_en": {"rows": 3},
    }

    def _fill_choices(self, form):
        form.cover_id.choices = _media_choices(("image",), True)
        form.gallery.choices = _media_choices(("image",), False)
        form.audio_id.choices = _media_choices(("audio",), True)
        form.video_id.choices = _media_choices(("video",), True)
        form.attachments.choices = _media_choices(("document", "image", "audio", "video"), False)
        return form

    def create_form(self, obj=None):
        return self._fill_choices(super().create_form(obj))

    def edit_form(self, obj=None):
        return self._fill_choices(super().edit_form(obj))

    def validate_form(self, form):
        ok = super().validate_form(form)
        dates = ok and hasattr(form, "expire_at") and form.expire_at.data and form.publish_at.data
        if dates and form.expire_at.data <= form.publish_at.data:
            form.expire_at.errors = [*form.expire_at.errors, _l("The end of publication must come after its start.")]
            return False
        return ok

    def on_model_change(self, form, model, is_created):
        super().on_model_change(form, model, is_created)
        clean(model)
        errors = media_errors(model)
        if errors:
            raise ValidationError("; ".join(errors.values()))


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
