"""R-12: answer deadlines in working days (weekends and PUBLIC_HOLIDAYS excluded) and idempotent reminders."""

from datetime import datetime, timedelta

from sqlalchemy import select

from app.core.timeutil import to_local, to_storage
from app.extensions import db
from app.questions.models import Question
from app.questions.operations import deadline_for
from tests.questions.conftest import ASK


def test_ten_working_days_skip_weekends(app):
    with app.app_context():
        app.config["PUBLIC_HOLIDAYS"] = []
        try:
            received = to_storage(datetime(2026, 11, 27, 9, 0))  # a Friday
            due = to_local(deadline_for("question", received))
        finally:
            app.config.pop("PUBLIC_HOLIDAYS")
    assert due.date().isoformat() == "2026-12-11" and due.hour == 9


def test_holidays_are_skipped(app):
    """R-12: Tết 2026 (16-20 Feb) does not count."""
    with app.app_context():
        app.config["PUBLIC_HOLIDAYS"] = ["2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20"]
        try:
            due = to_local(deadline_for("question", to_storage(datetime(2026, 2, 13, 10, 0))))  # Friday
        finally:
            app.config.pop("PUBLIC_HOLIDAYS")
    assert due.date().isoformat() == "2026-03-06"


def test_deadline_per_kind_is_configurable(app):
    with app.app_context():
        old = app.config["QUESTION_DEADLINE_DAYS"]
        app.config["QUESTION_DEADLINE_DAYS"] = {**old, "petition": 1}
        app.config["PUBLIC_HOLIDAYS"] = []
        try:
            due = to_local(deadline_for("petition", to_storage(datetime(2026, 11, 27, 9, 0))))
        finally:
            app.config["QUESTION_DEADLINE_DAYS"] = old
            app.config.pop("PUBLIC_HOLIDAYS")
    assert due.date().isoformat() == "2026-11-30"  # Friday + 1 working day = Monday


def test_remind_command_is_idempotent(app, client_for, make_user, runner, smtp_server):
    """R-12: one reminder before the deadline, one overdue notice after; running again sends nothing."""
    make_user("head", "stc")
    make_user("province_admin", "portal")
    stc = client_for("stc")
    soon = stc.post("/api/v1/questions", json=ASK).get_json()["tracking_code"]
    late = stc.post("/api/v1/questions", json={**ASK, "title": "Câu hỏi quá hạn"}).get_json()["tracking_code"]
    later = stc.post("/api/v1/questions", json={**ASK, "title": "Còn lâu"}).get_json()["tracking_code"]
    with app.app_context():
        rows = {q.tracking_code: q for q in db.session.execute(select(Question)).scalars()}
        now = rows[soon].received_at
        rows[soon].due_at = now + timedelta(hours=20)
        rows[late].due_at = now - timedelta(days=1)
        rows[later].due_at = now + timedelta(days=30)
        db.session.commit()
    smtp_server.messages.clear()
    result = runner.invoke(args=["questions", "remind"])
    assert "reminders: 1, overdue notices: 1" in result.output
    subjects = [m["subject"] for m in smtp_server.messages]
    assert len(subjects) == 2
    overdue = next(m for m in smtp_server.messages if "Câu hỏi quá hạn" in m["subject"])
    assert "admin" not in overdue["to"] and "province_admin.portal@test.vn" in overdue["to"]
    again = runner.invoke(args=["questions", "remind"])
    assert "reminders: 0, overdue notices: 0" in again.output
    assert len(smtp_server.messages) == 2


def test_received_cases_get_a_deadline(app, client_for):
    code = client_for("stc").post("/api/v1/questions", json=ASK).get_json()["tracking_code"]
    with app.app_context():
        q = db.session.execute(select(Question).where(Question.tracking_code == code)).scalar_one()
        assert q.due_at > q.received_at + timedelta(days=9)
