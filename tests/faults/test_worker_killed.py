"""The worker is killed (SIGKILL) in the middle of sending: the delivery runs again and the message arrives once."""

import signal

from app.core import outbox
from app.core.mail import send_mail
from app.extensions import db
from tests.faults.conftest import outbox_rows, stop, tail, wait_for


def test_a_delivery_cut_by_sigkill_runs_again_and_arrives_once(app, mailbox, worker_env):
    mailbox.hold.set()  # the mail server keeps the worker waiting in the middle of the SMTP dialogue
    mailbox.start()
    worker = worker_env("first")
    wait_for(lambda: "worker:" in tail(worker.log), 30, "the worker to start", worker.log)
    with app.test_request_context(base_url="http://stc.localhost"):
        send_mail("nguoi.nhan@example.vn", "Thư kiểm tra", "Nội dung")
        db.session.commit()  # the worker is woken by the commit
    wait_for(mailbox.held.is_set, 30, "the worker to be in the middle of sending", worker.log)
    [row] = outbox_rows(app)
    assert row.status == outbox.SENDING and row.attempts == 1
    stop(worker, signal.SIGKILL)
    mailbox.hold.clear()  # the server would now accept, but the client is gone: nothing was delivered
    assert mailbox.messages == []
    second = worker_env("second")  # starts with a pass over the outbox; the dead worker's lease runs out in 3 s
    wait_for(lambda: len(mailbox.messages) >= 1, 30, "the message after the restart", second.log)
    wait_for(lambda: outbox_rows(app)[0].status == outbox.SENT, 10, "the row marked sent", second.log)
    [row] = outbox_rows(app)
    assert mailbox.ids() == [row.message_id] and row.attempts == 2
