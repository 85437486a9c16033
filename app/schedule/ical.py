"""An RFC 5545 calendar of published schedule entries: UID, DTSTAMP, and times in UTC (no VTIMEZONE needed)."""

import re
from datetime import UTC, datetime, timedelta

from app.core.timeutil import LOCAL_TZ

PRODID = "-//Binh Phuoc web portal//Leaders' schedule//VI"


# RFC 5545 3.3.11: TEXT holds no control character but the tab (line breaks are written as "\n").
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def _escape(text):
    """``text`` as an iCalendar TEXT value: backslash, semicolon, comma and line breaks escaped."""
    text = (text or "").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    text = text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    return _CONTROL.sub("", text)


def _fold(line):
    """Fold a content line at 75 octets without splitting a UTF-8 character."""
    out, current = [], b""
    for ch in line:
        encoded = ch.encode("utf-8")
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current)
            current = b""
        current += encoded
    out.append(current)
    return "\r\n ".join(part.decode("utf-8") for part in out)


def _utc(day, clock):
    return datetime.combine(day, clock, tzinfo=LOCAL_TZ).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(entries, host, name, now=None):
    """Return the ``text/calendar`` body for ``entries`` of the site at ``host``."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
        "X-WR-TIMEZONE:Asia/Ho_Chi_Minh",
    ]
    for e in entries:
        end = e.end_time
        end_day = e.date
        if end is None or end <= e.start_time:
            start_dt = datetime.combine(e.date, e.start_time) + timedelta(hours=1)
            end_day, end = start_dt.date(), start_dt.time()
        description = "\n".join(
            part
            for part in (
                f"Chủ trì: {e.presiding}" if e.presiding else "",
                f"Thành phần: {e.participants}" if e.participants else "",
                f"Chuẩn bị: {e.preparing_unit}" if e.preparing_unit else "",
                e.notes or "",
            )
            if part
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:schedule-{e.id}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_utc(e.date, e.start_time)}",
            f"DTEND:{_utc(end_day, end)}",
            f"SEQUENCE:{e.sequence or 0}",
            f"SUMMARY:{_escape(e.title)}",
        ]
        if e.location:
            lines.append(f"LOCATION:{_escape(e.location)}")
        if description:
            lines.append(f"DESCRIPTION:{_escape(description)}")
        lines.append("STATUS:CANCELLED" if e.cancelled else "STATUS:CONFIRMED")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
