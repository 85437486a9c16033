"""R-21, R-22, R-26: the back-office views of statistics, schedule, directory and pages answer, scope and refuse."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.schedule.models import ScheduleEntry
from app.statistics.models import Release

VIEWS = ("statistics_datasets", "statistics_releases", "schedule_admin", "directory_units", "directory_officials",
         "pages_admin")  # fmt: skip


@pytest.mark.parametrize("view", VIEWS)
def test_lists_and_forms_answer(client_for, make_user, view):
    """R-26: list and create form of each view answer 200 for a member; anonymous visitors are sent to log in."""
    assert client_for("ctk").get(f"/admin/{view}/").status_code == 302
    c = client_for("ctk")
    c.login(make_user("tenant_admin", "ctk"))
    assert c.get(f"/admin/{view}/").status_code == 200
    assert c.get(f"/admin/{view}/new/").status_code == 200


def test_a_release_cancelled_without_reason_is_refused(client_for, make_user, ctx):
    """R-21: the calendar form refuses a cancellation without a reason (an error, never a 500) and keeps history."""
    c = client_for("ctk")
    c.login(make_user("editor", "ctk"))
    data = {"csrf_token": c.csrf_token("/admin/statistics_releases/new/"), "title": "Niên giám thống kê 2026",
            "planned_date": "2027-06-15", "precision": "month", "status": "cancelled", "cancel_reason": ""}  # fmt: skip
    assert c.post("/admin/statistics_releases/new/", data=data).status_code == 200
    assert db.session.execute(select(Release)).first() is None
    data.update(status="provisional", change_note="Dự kiến")
    assert c.post("/admin/statistics_releases/new/", data=data).status_code == 302
    release = db.session.execute(select(Release)).scalars().one()
    assert release.planned_date.day == 1 and release.history[-1]["note"] == "Dự kiến"


def test_a_schedule_entry_ending_before_it_starts_is_refused(client_for, make_user, ctx):
    """R-22: the end time must follow the start time; the form says so."""
    c = client_for("dongxoai")
    c.login(make_user("editor", "dongxoai"))
    data = {"csrf_token": c.csrf_token("/admin/schedule_admin/new/"), "date": "2026-12-31", "start_time": "14:00",
            "end_time": "09:00", "title": "Họp giao ban"}  # fmt: skip
    assert c.post("/admin/schedule_admin/new/", data=data).status_code == 200
    assert db.session.execute(select(ScheduleEntry)).first() is None
    data["end_time"] = "15:00"
    assert c.post("/admin/schedule_admin/new/", data=data).status_code == 302
    entry = db.session.execute(select(ScheduleEntry)).scalars().one()
    assert entry.state == "draft" and entry.tenant_id is not None


def test_a_dataset_address_is_unique_on_the_site(client_for, make_user, make_dataset):
    """R-21: a second dataset cannot take an address the site already uses; without one it gets its own."""
    from app.statistics.models import Dataset

    make_dataset(slug="dan-so")
    c = client_for("ctk")
    c.login(make_user("editor", "ctk"))
    data = {"csrf_token": c.csrf_token("/admin/statistics_datasets/new/"), "title": "Dân số trung bình",
            "slug": "dan-so", "summary": "Số liệu dân số"}  # fmt: skip
    refused = c.post("/admin/statistics_datasets/new/", data=data)
    assert refused.status_code == 200 and "đã dùng địa chỉ này" in refused.get_data(as_text=True)
    assert db.session.execute(select(Dataset).where(Dataset.state == "draft")).first() is None
    data["slug"] = ""
    assert c.post("/admin/statistics_datasets/new/", data=data).status_code == 302
    made = db.session.execute(select(Dataset).where(Dataset.state == "draft")).scalars().one()
    assert made.slug == "dan-so-trung-binh" and made.author_id is not None
