"""Working-day arithmetic for deadlines (R-12): Saturdays, Sundays and public holidays excluded."""

from datetime import date, datetime, timedelta

from flask import current_app, has_app_context

# Vietnam's public holidays (Labour Code 2019 art. 112), with the lunar dates resolved per year.
DEFAULT_HOLIDAYS = {
    # 2025
    "2025-01-01", "2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31",
    "2025-04-07", "2025-04-30", "2025-05-01", "2025-09-01", "2025-09-02",
    # 2026
    "2026-01-01", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20",
    "2026-04-27", "2026-04-30", "2026-05-01", "2026-09-01", "2026-09-02",
    # 2027
    "2027-01-01", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11",
    "2027-04-16", "2027-04-30", "2027-05-01", "2027-09-01", "2027-09-02",
}  # fmt: skip


def holidays():
    """The configured public holidays (``PUBLIC_HOLIDAYS`` setting, ISO dates), as dates."""
    configured = current_app.config.get("PUBLIC_HOLIDAYS") if has_app_context() else None
    return {date.fromisoformat(d) for d in (configured if configured is not None else DEFAULT_HOLIDAYS)}


def is_working_day(day, holiday_set=None):
    holiday_set = holidays() if holiday_set is None else holiday_set
    return day.weekday() < 5 and day not in holiday_set


def add_working_days(start, days, holiday_set=None):
    """Return ``start`` moved forward by ``days`` working days, keeping the time of day.

    A start on a non-working day counts from the next working day.
    """
    holiday_set = holidays() if holiday_set is None else holiday_set
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        day = current.date() if isinstance(current, datetime) else current
        if is_working_day(day, holiday_set):
            remaining -= 1
    return current
