"""Back office of projects: one list per kind, each showing the kind's own fields.

The fields, their labels and widgets come from the declaration in ``app/projects/content.py``.
"""

from flask import abort
from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from app.extensions import db
from app.projects.models import KIND_FIELDS, STATUSES, Project
from app.workflow.admin import ReviewableModelView

COMMON = ("title", "code", "field", "status", "summary", "contact", "attachments")


def view_for(kind):
    """A :class:`ReviewableModelView` of the projects of one ``kind``."""

    class KindView(ReviewableModelView):
        column_list = ("code", "title", "field", "status", "state", "updated_at")
        column_labels = {"state": _l("State"), "updated_at": _l("Updated")}
        column_searchable_list = ("title", "code", "search_text")
        column_filters = ("state", "field", "status")
        form_columns = COMMON[:4] + KIND_FIELDS[kind] + COMMON[4:]
        # Each kind has its own statuses.
        form_extra_fields = {
            "status": SelectField(_l("Status"), choices=[SelectChoice(k, v) for k, v in STATUSES[kind].items()])
        }

        def get_query(self):
            return super().get_query().filter(Project.kind == kind)

        def get_count_query(self):
            return super().get_count_query().filter(Project.kind == kind)

        def get_one(self, id):
            item = super().get_one(id)
            if item.kind != kind:
                abort(404)
            return item

        def on_model_change(self, form, model, is_created):
            model.kind = kind
            super().on_model_change(form, model, is_created)

    KindView.__name__ = f"{kind.title()}ProjectView"
    return KindView


NAMES = {"investment": _l("Investment projects"), "bidding": _l("Bidding notices"), "science": _l("Science programmes")}


def init_app(app):
    admin = app.extensions["portal_admin"]
    for kind, name in NAMES.items():
        view = view_for(kind)(Project, db, name=name, endpoint=f"projects_{kind}_admin", category=_l("Catalogues"))
        admin.add_view(view)
