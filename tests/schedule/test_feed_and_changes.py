"""R-22: the iCalendar feed (parsed by a real parser) and changes after publication marked as changes."""

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar

from app.extensions import db
from app.schedule.models import ScheduleEntry
from app.schedule.views import today
from app.workflow.models import ReviewState
from app.workflow.operations import start_revision, transition

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def test_the_feed_is_valid_icalendar(client_for, make_entry):
    """R-22: /schedule/feed.ics parses; each event has UID, DTSTAMP, DTSTART/DTEND at the right instant."""
    day = today() + dt.timedelta(days=2)
    long_title = "Làm việc với Sở Kế hoạch và Đầu tư về tình hình giải ngân vốn đầu tư công, dự án trọng điểm; 2026"
    make_entry(day=day, title=long_title, start_time=dt.time(7, 30), end_time=dt.time(9, 0))
    make_entry(day=day, title="Bản nháp", state=ReviewState.DRAFT)
    make_entry(code="dongxoai", day=day, title="Lịch Đồng Xoài")
    response = client_for("portal").get("/schedule/feed.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert all(len(line.encode()) <= 75 for line in response.data.decode().split("\r\n"))
    cal = icalendar.Calendar.from_ical(response.data)
    events = [c for c in cal.walk("VEVENT")]
    assert len(events) == 1
    event = events[0]
    assert str(event["SUMMARY"]) == long_title
    assert str(event["UID"]).endswith("@localhost") and event.get("DTSTAMP") is not None
    assert event.decoded("DTSTART") == dt.datetime.combine(day, dt.time(7, 30), tzinfo=HCM)
    assert event.decoded("DTEND") == dt.datetime.combine(day, dt.time(9, 0), tzinfo=HCM)
    assert str(event["LOCATION"]) == "Phòng họp A, UBND tỉnh"
    assert cal["VERSION"] == "2.0" and cal.get("PRODID")


def test_a_change_after_publication_is_marked(client_for, make_entry, users, tenants):
    """R-22: moving a published meeting goes through review, then the page says "Thay đổi" with what changed."""
    entry = make_entry(
        code="dongxoai", day=dt.date(2026, 12, 31), start_time=dt.time(8, 0), author_id=users["editor"].id
    )
    copy = start_revision(entry, users["editor"])
    copy.start_time = dt.time(14, 0)
    copy.location = "Hội trường UBND thị xã"
    copy.last_editor_id = users["editor"].id
    transition(copy, "submit", users["editor"])
    db.session.commit()
    html = client_for("dongxoai").get("/schedule/?week=2026-W53").get_data(as_text=True)
    assert "08:00" in html and "Thay đổi" not in html  # the published version stays until approval
    transition(copy, "approve", users["head"])
    db.session.commit()
    live = db.session.get(ScheduleEntry, entry.id)
    assert {c["field"] for c in live.changes} == {"start_time", "location"} and live.sequence == 1
    html = client_for("dongxoai").get("/schedule/?week=2026-W53").get_data(as_text=True)
    assert "Thay đổi" in html and "08:00 → 14:00" in html and "Hội trường UBND thị xã" in html


def test_editing_a_draft_is_not_a_change(make_entry):
    """R-22: edits before publication are not announced as changes."""
    entry = make_entry(state=ReviewState.DRAFT)
    entry.start_time = dt.time(9, 0)
    db.session.commit()
    assert entry.changes == [] and not entry.is_changed
