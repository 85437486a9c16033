"""R-21: the release calendar: date precision, provisional/confirmed/cancelled, change history, replacement."""

import datetime as dt

import pytest

from app.extensions import db
from app.statistics.operations import ReleaseError, announce, change_release


def test_states_precision_and_history(tenants, client_for):
    """R-21: a month-precision release is shown as a month; each change keeps its note in the history."""
    ctk = tenants["ctk"]
    release = announce(ctk, "Niên giám thống kê 2026", dt.date(2027, 6, 17), "month", "provisional")
    db.session.commit()
    assert release.planned_date == dt.date(2027, 6, 1) and release.date_label() == "06/2027"
    change_release(
        release, "Chốt ngày phát hành.", planned_date=dt.date(2027, 6, 26), precision="day", status="confirmed"
    )
    db.session.commit()
    assert [h["status"] for h in release.history] == ["provisional", "confirmed"]
    assert release.history[-1]["note"] == "Chốt ngày phát hành." and release.date_label() == "26/06/2027"
    html = client_for("ctk").get("/statistics/calendar").get_data(as_text=True)
    assert "26/06/2027" in html and "Chốt ngày phát hành." in html


def test_cancelling_needs_a_reason(tenants, client_for):
    """R-21: a cancelled release states why; without a reason it is refused."""
    release = announce(tenants["ctk"], "Điều tra lao động quý", dt.date(2027, 1, 20), "day", "confirmed")
    with pytest.raises(ReleaseError):
        change_release(release, "Hủy.", status="cancelled")
    change_release(release, "Hủy.", status="cancelled", cancel_reason="Gộp vào báo cáo năm.")
    db.session.commit()
    html = client_for("portal").get("/statistics/calendar").get_data(as_text=True)
    assert "Gộp vào báo cáo năm." in html
    with pytest.raises(ReleaseError):
        change_release(release, "", status="confirmed")
    with pytest.raises(ReleaseError):
        announce(tenants["ctk"], "X", dt.date(2027, 1, 1), "week", "confirmed")


def test_a_released_dataset_replaces_its_announcement(tenants, make_dataset, client_for):
    """R-21: once the named dataset is public, the calendar links it instead of the announcement."""
    announce(tenants["ctk"], "Thông cáo dân số", dt.date(2026, 12, 1), "day", "confirmed", dataset_slug="dan-so")
    db.session.commit()
    before = client_for("portal").get("/statistics/calendar").get_data(as_text=True)
    assert "Thông cáo dân số" in before and "/statistics/dan-so" not in before
    make_dataset(title="Dân số trung bình 2026")
    after = client_for("portal").get("/statistics/calendar").get_data(as_text=True)
    assert "Thông cáo dân số" not in after and 'href="/statistics/dan-so"' in after
