"""Back-office editing of schedule entries (each entry is reviewed: type ``schedule_entry``)."""

from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.schedule.models import ScheduleEntry
from app.workflow.admin import ReviewableModelView


class ScheduleEntryView(ReviewableModelView):
    """Schedule entries; the form comes from the declaration in ``app/schedule/content.py``."""

    column_list = ("date", "start_time", "title", "presiding", "location", "state")
    column_labels = {"state": _l("State")}
    column_default_sort = ("date", True)
    column_searchable_list = ("title", "presiding", "location")
    column_filters = ("state", "date")


def init_app(app):
    admin = app.extensions["portal_admin"]
    admin.add_view(
        ScheduleEntryView(
            ScheduleEntry, db, name=_l("Leaders' schedule"), endpoint="schedule_admin", category=_l("Content")
        )
    )
