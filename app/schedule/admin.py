"""Back-office editing of schedule entries (each entry is reviewed: type ``schedule_entry``)."""

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

from app.core.text import nfc
from app.extensions import db
from app.schedule.models import ScheduleEntry
from app.workflow.admin import ReviewableModelView


class ScheduleEntryView(ReviewableModelView):
    column_list = ("date", "start_time", "title", "presiding", "location", "state")
    column_default_sort = ("date", True)
    column_searchable_list = ("title", "presiding", "location")
    column_filters = ("state", "date")
    form_columns = (
        "date", "start_time", "end_time", "title", "location", "presiding", "participants", "preparing_unit", "notes",
        "cancelled",
    )  # fmt: skip
    column_labels = {
        "date": _l("Date"),
        "start_time": _l("Start time"),
        "end_time": _l("End time"),
        "title": _l("Content"),
        "location": _l("Location"),
        "presiding": _l("Presiding leader"),
        "participants": _l("Participants"),
        "preparing_unit": _l("Preparing unit"),
        "notes": _l("Notes"),
        "cancelled": _l("Cancelled"),
    }

    def on_model_change(self, form, model, is_created):
        if model.end_time is not None and model.start_time is not None and model.end_time <= model.start_time:
            raise ValidationError(str(_l("The end time must be after the start time.")))
        super().on_model_change(form, model, is_created)
        model.title = nfc(model.title)


def init_app(app):
    admin = app.extensions["portal_admin"]
    admin.add_view(
        ScheduleEntryView(
            ScheduleEntry, db, name=_l("Leaders' schedule"), endpoint="schedule_admin", category=_l("Content")
        )
    )
