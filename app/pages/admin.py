"""Back-office editing of standing pages (reviewed: type ``page``)."""

import re

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

from app.extensions import db
from app.pages.models import Page
from app.workflow.admin import ReviewableModelView

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED_SLUGS = {"ban-bien-tap"}  # served by the editorial-board module


class PageView(ReviewableModelView):
    """Standing pages; the form comes from the declaration in ``app/pages/content.py``."""

    column_list = ("title", "slug", "section", "sort_order", "show_in_nav", "state", "updated_at")
    column_labels = {"state": _l("State"), "updated_at": _l("Updated")}
    column_searchable_list = ("title", "slug")
    column_filters = ("state", "section")

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
        if model.revision_of_id is not None:
            model.slug = None  # the address stays with the live page


def init_app(app):
    admin = app.extensions["portal_admin"]
    admin.add_view(PageView(Page, db, name=_l("Pages"), endpoint="pages_admin", category=_l("Content")))
