"""The schedule entry, declared once: its fields and where it lives; everything else is derived from this."""

import datetime as dt

from flask_babel import lazy_gettext as _l
from marshmallow import fields

from app.core.fields import Field, Kind
from app.core.timeutil import to_local, utcnow
from app.schedule.models import ScheduleEntry
from app.schedule.operations import check
from app.schedule.weeks import week_label
from app.workflow.registry import ContentType, register
from app.workflow.schemas import ItemSchema


def sample(tenant, author):
    """A new, valid, unsaved entry of ``tenant`` tomorrow morning (tests and ``demo load --scale``)."""
    return ScheduleEntry(
        date=to_local(utcnow()).date() + dt.timedelta(days=1),
        start_time=dt.time(8, 0),
        end_time=dt.time(9, 30),
        title="Họp giao ban mẫu",
        location="Phòng họp cơ quan",
    )


def _time(value):
    return value.strftime("%H:%M") if value is not None else None


class ScheduleEntrySchema(ItemSchema):
    """An entry as the API shows it: every declared field, times of day as ``HH:MM`` (local time)."""

    start_time = fields.Function(lambda entry: _time(entry.start_time), allow_none=True)
    end_time = fields.Function(lambda entry: _time(entry.end_time), allow_none=True)


SCHEDULE_ENTRY = register(
    ContentType(
        name="schedule_entry",
        collection="schedule",
        model=ScheduleEntry,
        label=_l("Schedule entry"),
        # An entry is shown on the page of its ISO week.
        endpoint="schedule.week",
        url_args=lambda entry: {"week": week_label(entry.date)},
        admin_endpoint="schedule_admin",
        schema=ScheduleEntrySchema,
        deadline_days=1,
        sample=sample,
        check=check,
        # The week pages are not items: one entry per meeting would list each week many times.
        sitemap=False,
        fields=(
            Field("date", Kind.DATE, _l("Date"), required=True),
            # Times of day (``datetime.time``, local time): the form and the views handle them as they are.
            Field("start_time", Kind.DATA, _l("Start time"), required=True),
            Field("end_time", Kind.DATA, _l("End time")),
            Field("title", Kind.TEXT, _l("Content"), search="title", required=True, max_length=500),
            Field("location", Kind.TEXT, _l("Location"), search="body", max_length=300),
            Field("presiding", Kind.TEXT, _l("Presiding leader"), search="body", max_length=200),
            Field("participants", Kind.TEXT, _l("Participants"), search="body"),
            Field("preparing_unit", Kind.TEXT, _l("Preparing unit"), search="body", max_length=300),
            Field("notes", Kind.TEXT, _l("Notes")),
            Field("cancelled", Kind.FLAG, _l("Cancelled")),
        ),
    )
)
