"""Schedule entries in the API: the generic collection of the declared type; times of day as ``HH:MM``."""

import datetime as dt

from flask import Blueprint
from marshmallow import Schema, ValidationError, fields

from app.api.content import input_schema, register_collection
from app.core.errors import APIError
from app.extensions import csrf
from app.schedule.content import SCHEDULE_ENTRY
from app.schedule.models import ScheduleEntry

bp = Blueprint("schedule_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
SCHEDULE_BODY = 16 * 1024


class TimeOfDay(fields.Field):
    """A local time of day, ``HH:MM`` (or ``HH:MM:SS``)."""

    default_error_messages = {"invalid": "A time of day such as 08:30."}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or not 4 <= len(value) <= 8:
            raise self.make_error("invalid")
        try:
            return dt.time.fromisoformat(value)
        except ValueError:
            raise self.make_error("invalid") from None

    def _serialize(self, value, attr, obj, **kwargs):
        return value.strftime("%H:%M") if value is not None else None


class ScheduleEntryInputSchema(type(input_schema(SCHEDULE_ENTRY))):
    start_time = TimeOfDay(metadata={"example": "08:00"})
    end_time = TimeOfDay(allow_none=True, metadata={"example": "09:30"})


class ScheduleQuery(Schema):
    date_from = fields.Date(data_key="from", metadata={"description": "Entries on or after this date."})
    date_to = fields.Date(data_key="to", metadata={"description": "Entries on or before this date."})


def _date(value):
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        raise ValidationError("A date such as 2027-03-02.") from None


def filters(stmt, args, staff):
    """``from`` and ``to`` (dates, inclusive); in time order."""
    for name, compare in (("from", ScheduleEntry.date.__ge__), ("to", ScheduleEntry.date.__le__)):
        try:
            value = _date(args.get(name))
        except ValidationError as exc:
            raise APIError(400, f"{name}: {exc.messages[0]}", fields={name: "date"}) from None
        if value is not None:
            stmt = stmt.where(compare(value))
    return stmt


register_collection(
    bp,
    SCHEDULE_ENTRY,
    input=ScheduleEntryInputSchema,
    filters=filters,
    query=ScheduleQuery,
    order_by=(ScheduleEntry.date.desc(), ScheduleEntry.start_time, ScheduleEntry.id),
    max_body=SCHEDULE_BODY,
    example={
        "date": "2027-03-02",
        "start_time": "08:00",
        "end_time": "11:00",
        "title": "Họp Ban Thường vụ Tỉnh ủy",
        "location": "Phòng họp số 1, Tỉnh ủy",
        "presiding": "Bí thư Tỉnh ủy",
    },
)


def init_app(app):
    app.register_blueprint(bp)
