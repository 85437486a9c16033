"""R-22, R-08 b: ISO week navigation of the leaders' schedule, across year boundaries."""

import datetime as dt
import re

import pytest

from app.schedule.weeks import neighbours, parse_week, weeks_in_year


def test_years_with_53_iso_weeks():
    """R-22: 2026 and 2032 have 53 ISO weeks; 2025, 2027 and 2028 have 52."""
    assert [y for y in range(2024, 2034) if weeks_in_year(y) == 53] == [2026, 2032]


@pytest.mark.parametrize(
    "week, previous, following",
    [
        ("2026-W53", "2026-W52", "2027-W01"),
        ("2027-W01", "2026-W53", "2027-W02"),
        ("2025-W52", "2025-W51", "2026-W01"),
        ("2026-W01", "2025-W52", "2026-W02"),
        ("2028-W52", "2028-W51", "2029-W01"),
    ],
)
def test_neighbours_cross_the_year(week, previous, following):
    """R-22: previous and next weeks are right at the turn of the year."""
    assert neighbours(parse_week(week)) == (previous, following)


def test_first_iso_week_may_start_in_december():
    """R-22: 2026-W01 starts on Monday 29 December 2025; 2026-W53 ends on Sunday 3 January 2027."""
    assert parse_week("2026-W01") == dt.date(2025, 12, 29)
    assert parse_week("2026-W53") == dt.date(2026, 12, 28)


@pytest.mark.parametrize("value", ["2027-W53", "2026-W00", "2026-W54", "2026W48", "2026-48", "abc", "0000-W01", ""])
def test_invalid_weeks_are_refused(value, client_for):
    """R-22: a week that does not exist is None for the parser and a 404 page, never a 500."""
    assert parse_week(value) is None
    assert client_for("portal").get(f"/schedule/?week={value}").status_code == (200 if value == "" else 404)


def test_the_week_page_links_across_the_boundary(client_for, make_entry):
    """R-22: 2026-W53 shows its entries (including 2 January 2027) and links 2026-W52 and 2027-W01."""
    make_entry(day=dt.date(2026, 12, 31), title="Tổng kết năm 2026")
    make_entry(day=dt.date(2027, 1, 2), title="Dự lễ ra quân đầu năm")
    make_entry(day=dt.date(2027, 1, 4), title="Giao ban tuần đầu năm")
    html = client_for("portal").get("/schedule/?week=2026-W53").get_data(as_text=True)
    assert "Tổng kết năm 2026" in html and "Dự lễ ra quân đầu năm" in html and "Giao ban tuần đầu năm" not in html
    assert re.search(r'href="/schedule/\?week=2026-W52"', html) and re.search(r'href="/schedule/\?week=2027-W01"', html)
    following = client_for("portal").get("/schedule/?week=2027-W01").get_data(as_text=True)
    assert "Giao ban tuần đầu năm" in following and 'href="/schedule/?week=2026-W53"' in following
    printed = client_for("portal").get("/schedule/print?week=2026-W53").get_data(as_text=True)
    assert "Tổng kết năm 2026" in printed and "Theo Cổng TTĐT tỉnh Bình Phước" in printed


def test_drafts_and_other_tenants_stay_off_the_page(client_for, make_entry):
    """R-09, R-01: only published entries of the host's tenant are listed."""
    from app.workflow.models import ReviewState

    make_entry(title="Lịch nháp", state=ReviewState.IN_REVIEW)
    make_entry(code="dongxoai", title="Lịch của Đồng Xoài")
    html = client_for("portal").get("/schedule/?week=2026-W53").get_data(as_text=True)
    assert "Lịch nháp" not in html and "Lịch của Đồng Xoài" not in html
    assert "Lịch của Đồng Xoài" in client_for("dongxoai").get("/schedule/?week=2026-W53").get_data(as_text=True)
