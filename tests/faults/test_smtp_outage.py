"""The mail server stops while citizens ask questions, then comes back: every receipt arrives exactly once."""

import time

from app.core import outbox
from tests.faults.conftest import outbox_rows, wait_for
from tests.questions.conftest import ASK


def _ask(client_for, n):
    body = {**ASK, "email": f"nguoi.hoi{n}@example.vn"}
    # One visitor each (the form is rate-limited per address).
    response = client_for("stc").post("/api/v1/questions", json=body, environ_base={"REMOTE_ADDR": f"127.0.1.{n + 1}"})
    assert response.status_code == 202, response.get_data(as_text=True)
    return response.json["tracking_code"]


def test_every_message_arrives_once_after_the_mail_server_comes_back(app, client_for, mailbox, worker_env):
    mailbox.start()
    worker = worker_env()
    _ask(client_for, 0)
    wait_for(lambda: len(mailbox.messages) == 1, 30, "the first receipt through the worker", worker.log)
    mailbox.stop()  # the outage
    for n in range(1, 7):
        _ask(client_for, n)
    wait_for(
        lambda: sum(r.attempts >= 2 for r in outbox_rows(app)) >= 6, 30, "the worker retrying during the outage",
        worker.log,
    )  # fmt: skip
    assert len(mailbox.messages) == 1 and all(r.status != outbox.FAILED for r in outbox_rows(app))
    mailbox.start()
    wait_for(lambda: len(mailbox.messages) >= 7, 30, "the queued receipts after the outage", worker.log)
    time.sleep(2)  # time enough for a duplicate to show up
    rows = outbox_rows(app)
    assert sorted(mailbox.ids()) == sorted(r.message_id for r in rows)  # each message once, none lost
    assert len(set(mailbox.ids())) == len(mailbox.ids()) == 7
    assert {tuple(m["to"]) for m in mailbox.messages} == {(f"nguoi.hoi{n}@example.vn",) for n in range(7)}
    assert all(r.status == outbox.SENT for r in rows)
