"""Public schedule pages: ``/schedule/?week=YYYY-Www``, ``/schedule/print`` and ``/schedule/feed.ics``."""

from datetime import timedelta

from flask import Blueprint, Response, abort, render_template, request

from app.core.i18n import localized
from app.core.navigation import section
from app.core.tenancy import current_tenant, primary_host
from app.core.timeutil import to_local, utcnow
from app.extensions import db
from app.schedule import ical
from app.schedule.models import TRACKED_FIELDS, ScheduleEntry
from app.schedule.weeks import monday_of, neighbours, parse_week, week_label
from app.workflow.models import published

bp = Blueprint("schedule", __name__, template_folder="templates")


def today():
    return to_local(utcnow()).date()


def entries_between(first, last, tenant=None):
    stmt = published(ScheduleEntry, tenant).where(ScheduleEntry.date >= first, ScheduleEntry.date <= last)
    return db.session.execute(stmt.order_by(ScheduleEntry.date, ScheduleEntry.start_time)).scalars().all()


def upcoming_entries(tenant, limit=5):
    """The next published entries from today (for hubs such as ``/direction/``)."""
    stmt = published(ScheduleEntry, tenant).where(ScheduleEntry.date >= today())
    return db.session.execute(stmt.order_by(ScheduleEntry.date, ScheduleEntry.start_time).limit(limit)).scalars().all()


def _week_from_request():
    value = request.args.get("week", "").strip()
    if not value:
        return monday_of(today())
    monday = parse_week(value)
    if monday is None:
        abort(404)
    return monday


def _week_context():
    monday = _week_from_request()
    sunday = monday + timedelta(days=6)
    entries = entries_between(monday, sunday)
    days = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        days.append((day, [e for e in entries if e.date == day]))
    previous, following = neighbours(monday)
    return {
        "section": section("direction"),
        "monday": monday,
        "sunday": sunday,
        "label": week_label(monday),
        "previous": previous,
        "following": following,
        "current": week_label(monday_of(today())),
        "days": days,
        "count": len(entries),
        "tracked": TRACKED_FIELDS,
    }


@bp.route("/schedule/")
def week():
    """R-22, R-08 b: the leaders' schedule of one ISO week, with previous and next weeks."""
    return render_template("schedule/week.html", **_week_context())


@bp.route("/schedule/print")
def print_view():
    return render_template("schedule/print.html", **_week_context())


@bp.route("/schedule/feed.ics")
def feed():
    """The published schedule from 30 days ago to 90 days ahead, as iCalendar (RFC 5545)."""
    start = today() - timedelta(days=30)
    entries = entries_between(start, start + timedelta(days=120))
    tenant = current_tenant._get_current_object()
    body = ical.calendar(entries, host=primary_host(tenant), name=f"Lịch công tác - {localized(tenant, 'name')}")
    return Response(
        body, mimetype="text/calendar", headers={"Content-Disposition": 'inline; filename="lich-cong-tac.ics"'}
    )


@bp.app_template_filter("weekday_name")
def weekday_name(day):
    from flask_babel import format_date

    return format_date(day, "EEEE").capitalize()
