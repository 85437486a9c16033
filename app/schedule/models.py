"""Schedule entries, each reviewed on its own (type ``schedule_entry``).

Each entry is reviewed separately: a late change to one meeting need not hold up the week. Once an entry
has been published, an approved edit records what changed (``changes``) and the public pages mark it
"changed" (R-22).
"""

import datetime as dt
from datetime import date, time

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, String, Text, event, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.core.timeutil import utcnow
from app.extensions import db
from app.workflow.models import Reviewable, ReviewState

# Fields whose change after publication is announced to the public, with their labels.
TRACKED_FIELDS = {
    "date": _l("date"),
    "start_time": _l("start time"),
    "end_time": _l("end time"),
    "title": _l("content"),
    "location": _l("location"),
    "presiding": _l("presiding leader"),
    "participants": _l("participants"),
    "cancelled": _l("cancelled"),
}


class ScheduleEntry(Reviewable, db.Model):
    """One meeting or visit of a leader; its fields are declared in ``app/schedule/content.py``."""

    __tablename__ = "schedule_entry"
    content_type = "schedule_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    date: Mapped[dt.date] = mapped_column(index=True)
    start_time: Mapped[dt.time] = mapped_column()
    end_time: Mapped[dt.time | None] = mapped_column()
    title: Mapped[str] = mapped_column(String(500))
    location: Mapped[str] = mapped_column(String(300), default="")
    presiding: Mapped[str] = mapped_column(String(200), default="")
    participants: Mapped[str] = mapped_column(Text, default="")
    preparing_unit: Mapped[str] = mapped_column(String(300), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    cancelled: Mapped[bool] = mapped_column(default=False)
    # Changes after publication: [{"field", "old", "new", "at"}], newest last.
    changes: Mapped[list] = mapped_column(JSON, default=list)
    # Incremented on every published change (iCalendar SEQUENCE).
    sequence: Mapped[int] = mapped_column(default=0)

    def __str__(self):
        return self.title

    @property
    def is_changed(self):
        return bool(self.changes)


def _text(value):
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)


@event.listens_for(Session, "before_flush")
def _note_published_changes(session, flush_context, instances):
    """When a published entry's content changes (an approved revision), keep what changed."""
    for obj in list(session.dirty):
        if not isinstance(obj, ScheduleEntry) or obj.revision_of_id is not None or obj.published_at is None:
            continue
        state = inspect(obj)
        was_live = state.attrs.state.history.deleted or [obj.state]
        if str(was_live[0]) not in (ReviewState.PUBLISHED, ReviewState.SCHEDULED):
            continue
        noted = []
        for name in TRACKED_FIELDS:
            hist = state.attrs[name].history
            if hist.deleted and hist.added and hist.deleted[0] != hist.added[0]:
                noted.append(
                    {
                        "field": name,
                        "old": _text(hist.deleted[0]),
                        "new": _text(hist.added[0]),
                        "at": utcnow().isoformat(),
                    }
                )
        if noted:
            obj.changes = [*(obj.changes or []), *noted]
            obj.sequence = (obj.sequence or 0) + 1
