"""Back office of projects: one list per kind, each showing the kind's own fields."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField

from app.extensions import db
from app.projects.models import MANAGEMENT_LEVELS, PROCUREMENT_METHODS, STATUSES, Project
from app.workflow.admin import ReviewableModelView

COMMON = ("title", "code", "field", "status", "summary", "contact", "documents_text")
KIND_FORM = {
    "investment": ("objective", "project_type", "location", "scale", "total_capital", "investment_form", "incentives"),
    "bidding": (
        "procuring_entity",
        "procurement_method",
        "tender_opens_at",
        "tender_closes_at",
        "estimated_value",
        "currency",
        "award_result",
    ),
    "science": ("management_level", "lead_organisation", "start_year", "end_year", "results_report"),
}


def view_for(kind):
    """A :class:`ReviewableModelView` of the projects of one ``kind``."""
    extra = {
        "status": SelectField(_l("Status"), choices=[(k, v) for k, v in STATUSES[kind].items()]),
        "documents_text": TextAreaField(_l("Documents (media ids, in order)")),
    }
    if kind == "bidding":
        extra["procurement_method"] = SelectField(
            _l("Procurement method"), choices=[(m, m) for m in PROCUREMENT_METHODS]
        )
    if kind == "science":
        extra["management_level"] = SelectField(_l("Management level"), choices=list(MANAGEMENT_LEVELS.items()))

    class KindView(ReviewableModelView):
        column_list = ("code", "title", "field", "status", "state", "updated_at")
        column_searchable_list = ("title", "code", "search_text")
        column_filters = ("state", "field", "status")
        form_columns = COMMON[:4] + KIND_FORM[kind] + COMMON[4:]
        form_extra_fields = extra

        def get_query(self):
            return super().get_query().filter(Project.kind == kind)

        def get_count_query(self):
            return super().get_count_query().filter(Project.kind == kind)

        def get_one(self, id):
            from flask import abort

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
