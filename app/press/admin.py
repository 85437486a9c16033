"""Back office of press releases: the form comes from the declaration in ``content.py``."""

from flask_babel import lazy_gettext as _l

from app.workflow.admin import ReviewableModelView


class PressReleaseView(ReviewableModelView):
    column_list = ("title", "state", "published_at")
    column_labels = {"state": _l("State"), "published_at": _l("Published")}
    column_searchable_list = ("title", "summary")
    column_default_sort = ("updated_at", True)
