"""Issue 15: every message is written with the change that causes it, delivered with retries at growing delays,
marked failed after the last, shown to the right administrators and sent again on request."""

import re
import socket
from datetime import timedelta

from sqlalchemy import select

from app.core import outbox
from app.core.mail import send_mail, smtp_send
from app.core.models import Tenant
from app.core.timeutil import utcnow
from app.extensions import db
from app.questions.models import Question
from tests.questions.conftest import ASK


def dead_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rows(app):
    with app.app_context():
        found = db.session.execute(select(outbox.OutboxMessage).order_by(outbox.OutboxMessage.id)).scalars().all()
        db.session.expunge_all()
        return found


def ask(client_for, code="stc", **extra):
    response = client_for(code).post("/api/v1/questions", json={**ASK, **extra})
    assert response.status_code == 202, response.get_data(as_text=True)
    return response.json["tracking_code"]


def test_the_receipt_is_written_with_the_question_and_arrives_once(app, client_for, smtp_server):
    """The receipt row is the question's transaction's; it is sent once, with the Message-ID it was queued with."""
    code = ask(client_for)
    with app.app_context():
        question = db.session.execute(select(Question).where(Question.tracking_code == code)).scalar_one()
        qid = question.id
    [row] = [r for r in rows(app) if r.key == f"question-receipt:{qid}"]
    assert row.status == outbox.SENT and row.attempts == 1 and row.recipients == ["dung.pham@example.vn"]
    [mail] = [m for m in smtp_server.messages if m["to"] == ["dung.pham@example.vn"]]
    assert code in mail["subject"] and row.message_id.encode() in mail["raw"]


def test_a_rolled_back_change_sends_nothing(app, smtp_server):
    with app.test_request_context(base_url="http://stc.localhost"):
        assert send_mail("someone@example.vn", "Tiêu đề", "Nội dung")
        db.session.rollback()
        db.session.commit()
    assert rows(app) == [] and smtp_server.messages == []


def test_one_message_per_key(app, smtp_server):
    with app.test_request_context(base_url="http://stc.localhost"):
        for _ in range(3):
            send_mail("someone@example.vn", "Tiêu đề", "Nội dung", key="event:1")
        db.session.commit()
        send_mail("someone@example.vn", "Tiêu đề", "Nội dung", key="event:1")
        db.session.commit()
    assert len(rows(app)) == 1 and len(smtp_server.messages) == 1


def test_retries_wait_longer_each_time_then_the_message_fails(app, smtp_server):
    app.config.update(MAIL_PORT=dead_port(), OUTBOX_RETRY_DELAYS=(10, 100))
    try:
        with app.test_request_context(base_url="http://stc.localhost"):
            send_mail("someone@example.vn", "Tiêu đề", "Nội dung")
            db.session.commit()  # the first attempt runs right after the commit (eager in the tests) and fails
            [row] = rows(app)
            assert row.status == outbox.QUEUED and row.attempts == 1 and "Error" in row.last_error
            first_wait = row.next_attempt_at - utcnow()
            assert timedelta(seconds=8) < first_wait <= timedelta(seconds=10)
            assert outbox.deliver_due(smtp_send) == (0, 0)  # not due yet
            later = utcnow() + timedelta(seconds=11)
            assert outbox.deliver_due(smtp_send, now=later) == (0, 1)
            [row] = rows(app)
            assert row.attempts == 2 and row.next_attempt_at - later == timedelta(seconds=100)
            assert outbox.deliver_due(smtp_send, now=later + timedelta(seconds=101)) == (0, 1)
            [row] = rows(app)
            assert row.status == outbox.FAILED and row.attempts == 3
    finally:
        app.config.pop("OUTBOX_RETRY_DELAYS")
    assert smtp_server.messages == []


def _fail_one(app, code, subject):
    port = app.config["MAIL_PORT"]
    app.config.update(MAIL_PORT=dead_port(), OUTBOX_RETRY_DELAYS=())
    try:
        with app.test_request_context(base_url=f"http://{code}.localhost"):
            tenant = db.session.execute(select(Tenant).where(Tenant.code == code)).scalar_one()
            send_mail("someone@example.vn", subject, "Nội dung", tenant=tenant)
            db.session.commit()
    finally:
        app.config["MAIL_PORT"] = port
        app.config.pop("OUTBOX_RETRY_DELAYS")
    return next(r for r in rows(app) if r.subject == subject)


def test_failed_messages_are_shown_to_their_site_and_sent_again(app, logged_in, smtp_server):
    """Tenant admin: their site's failed messages; province admin on the portal: every site's; "send again"."""
    stc_row = _fail_one(app, "stc", "THU-STC-THAT-BAI")
    _fail_one(app, "dongxoai", "THU-DONGXOAI-THAT-BAI")
    assert stc_row.status == outbox.FAILED
    with app.app_context():
        assert stc_row.tenant_id == db.session.execute(select(Tenant.id).where(Tenant.code == "stc")).scalar()
    stc_admin = logged_in("tenant_admin", "stc")
    page = stc_admin.get("/admin/outbox_admin/").get_data(as_text=True)
    assert "THU-STC-THAT-BAI" in page and "THU-DONGXOAI-THAT-BAI" not in page
    province = logged_in("province_admin", "portal")
    page = province.get("/admin/outbox_admin/").get_data(as_text=True)
    assert "THU-STC-THAT-BAI" in page and "THU-DONGXOAI-THAT-BAI" in page
    editor = logged_in("editor", "stc")
    assert editor.get("/admin/outbox_admin/").status_code == 403
    other = logged_in("tenant_admin", "dongxoai")
    token = other.csrf_token("/admin/outbox_admin/")
    data = {"action": "send_again", "rowid": str(stc_row.id), "csrf_token": token}
    other.post("/admin/outbox_admin/action/", data=data)
    assert smtp_server.messages == []  # another site's message is not theirs to send
    token = stc_admin.csrf_token("/admin/outbox_admin/")
    response = stc_admin.post("/admin/outbox_admin/action/", data={**data, "csrf_token": token})
    assert response.status_code == 302
    assert [m["subject"] for m in smtp_server.messages] == ["THU-STC-THAT-BAI"]
    assert next(r for r in rows(app) if r.id == stc_row.id).status == outbox.SENT


def test_a_worker_that_died_mid_send_leaves_a_lease_another_takes(app, smtp_server):
    """A row claimed by a worker that never marked it is sent again once its lease runs out, same Message-ID."""
    app.config["WORKER_EAGER"] = False  # no delivery at the commit: the test plays the workers
    try:
        with app.test_request_context(base_url="http://stc.localhost"):
            send_mail("someone@example.vn", "Tiêu đề", "Nội dung")
            db.session.commit()
            [row] = rows(app)
            with db.engine.connect() as conn:  # a worker claimed it, then died
                conn.execute(
                    outbox.OutboxMessage.__table__.update().values(
                        status=outbox.SENDING, attempts=1, locked_until=utcnow() + timedelta(seconds=60)
                    )
                )
                conn.commit()
            assert outbox.deliver_due(smtp_send) == (0, 0)  # still leased
            assert outbox.deliver_due(smtp_send, now=utcnow() + timedelta(seconds=61)) == (1, 0)
    finally:
        app.config.pop("WORKER_EAGER")
    [mail] = smtp_server.messages
    assert row.message_id.encode() in mail["raw"]
    assert re.search(rb"Message-ID: <[^>]+>", mail["raw"])
