"""iCalendar text is escaped for iCalendar (R-22, R-25): commas, semicolons, backslashes, line breaks."""

import datetime as dt

import icalendar

from app.schedule.views import today

TITLE = "Họp, bàn; kế hoạch \\ năm 2027\r\nBEGIN:VEVENT\nSUMMARY:giả mạo"
LOCATION = "Phòng họp A; tầng 2, UBND tỉnh\nEND:VCALENDAR"
NOTES = "Mang theo: báo cáo, tờ trình; dự thảo\n\nGhi chú\tthêm\x07"


def test_hostile_text_stays_inside_its_property(client_for, make_entry):
    """R-22, R-25: the parsed SUMMARY, LOCATION and DESCRIPTION hold exactly the text typed; no event is added."""
    make_entry(day=today() + dt.timedelta(days=1), title=TITLE, location=LOCATION, notes=NOTES, presiding="")
    response = client_for("portal").get("/schedule/feed.ics")
    assert response.status_code == 200
    lines = response.data.decode().split("\r\n")
    assert lines.count("BEGIN:VEVENT") == 1 and lines.count("END:VCALENDAR") == 1
    assert all(len(line.encode()) <= 75 for line in lines)
    cal = icalendar.Calendar.from_ical(response.data)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert str(event["SUMMARY"]) == TITLE.replace("\r\n", "\n")
    assert str(event["LOCATION"]) == LOCATION
    assert str(event["DESCRIPTION"]) == NOTES.replace("\x07", "")
