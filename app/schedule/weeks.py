"""ISO 8601 weeks: parse ``2026-W48``, step across year boundaries (some years have 53 weeks)."""

import re
from datetime import date, timedelta

WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")


def weeks_in_year(year):
    """52 or 53: 28 December always falls in the year's last ISO week."""
    return date(year, 12, 28).isocalendar()[1]


def parse_week(value):
    """Return the Monday of the ISO week ``YYYY-Www``, or None when it is not a real week."""
    match = WEEK_RE.match(value or "")
    if not match:
        return None
    year, week = int(match.group(1)), int(match.group(2))
    if not (1 <= year <= 9999) or not (1 <= week <= weeks_in_year(year)):
        return None
    return date.fromisocalendar(year, week, 1)


def week_label(monday):
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def monday_of(day):
    return day - timedelta(days=day.weekday())


def neighbours(monday):
    """``(previous_week_label, next_week_label)``."""
    return week_label(monday - timedelta(days=7)), week_label(monday + timedelta(days=7))
