"""Back-office editing of standing pages (reviewed: type ``page``)."""

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import SelectField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from app.core.tenancy import current_tenant
from app.core.text import nfc, sanitize_html
from app.extensions import db
from app.media.operations import files_by_ids, library_choices
from app.pages.models import SECTION_KEYS, Page
from app.workflow.admin import ReviewableModelView

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED_SLUGS = {"ban-bien-tap"}  # served by the editorial-board module


def _document_choices():
    """The tenant's documents and images (full reports, maps) offered as attachments."""
    tenant = current_tenant._get_current_object()
    return [SelectChoice(i, label) for i, label in library_choices(tenant, ("document", "image"))]


def _own_media(ids, tenant_id):
    return [m.id for m in files_by_ids(ids, tenant_id)]


class PageView(ReviewableModelView):
    column_list = ("title", "slug", "section", "sort_order", "show_in_nav", "state", "updated_at")
    column_searchable_list = ("title", "slug")
    column_filters = ("state", "section")
    form_columns = (
        "title",
        "title_en",
        "slug",
        "section",
        "sort_order",
        "show_in_nav",
        "body",
        "body_en",
        "attachments",
    )
    form_extra_fields = {"attachments": SelectMultipleField(_l("Documents and maps (files)"), coerce=int, choices=[])}
    form_overrides = {"section": SelectField}
    form_args = {"section": {"choices": [SelectChoice(k, v) for k, v in SECTION_KEYS.items()], "label": _l("Section")}}
    column_labels = {
        "title": _l("Title"),
        "title_en": _l("Title (English)"),
        "slug": _l("Address (slug)"),
        "section": _l("Section"),
        "sort_order": _l("Order"),
        "show_in_nav": _l("Show in navigation"),
        "body": _l("Content"),
        "body_en": _l("Content (English)"),
    }

    def create_form(self, obj=None):
        form = super().create_form(obj)
        form.attachments.choices = _document_choices()
        return form

    def edit_form(self, obj=None):
        form = super().edit_form(obj)
        form.attachments.choices = _document_choices()
        return form

    def on_form_prefill(self, form, id):
        if "slug" in form:
            live = db.session.get(Page, id)
            if live is not None and live.revision_of_id is None and not form.slug.data:
                form.slug.data = live.slug

    def validate_form(self, form):
        ok = super().validate_form(form)
        if not ok or "slug" not in form:
            return ok
        slug = (form.slug.data or "").strip().lower()
        form.slug.data = slug
        try:
            if not SLUG_RE.match(slug):
                raise ValidationError(_l("Use lower-case unaccented letters, digits and hyphens."))
            if slug in RESERVED_SLUGS:
                raise ValidationError(_l("This address is reserved."))
        except ValidationError as exc:
            form.slug.errors = [*form.slug.errors, str(exc)]
            return False
        return True

    def on_model_change(self, form, model, is_created):
        super().on_model_change(form, model, is_created)
        model.title = nfc(model.title)
        model.body = sanitize_html(model.body)
        model.body_en = sanitize_html(model.body_en)
        model.attachments = _own_media(model.attachments, model.tenant_id)
        if model.revision_of_id is not None:
            model.slug = None  # the address stays with the live page
        elif not _slug_free(model.slug, model.id):
            raise ValidationError(str(_l("Another page of this site already uses this address.")))


def _slug_free(slug, exclude_id):
    stmt = select(Page.id).where(Page.tenant_id == current_tenant.id, Page.slug == slug)
    if exclude_id:
        stmt = stmt.where(Page.id != exclude_id)
    with db.session.no_autoflush:
        return db.session.execute(stmt).first() is None


def init_app(app):
    admin = app.extensions["portal_admin"]
    admin.add_view(PageView(Page, db, name=_l("Pages"), endpoint="pages_admin", category=_l("Content")))
