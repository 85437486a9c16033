"""Fault tests (issue 15): real processes on loopback (the worker, gunicorn, aiosmtpd, a PostgreSQL of their own),
each bounded well under a minute. They use the suite's database (SQLite or DATABASE_URL) unless they start one."""

import asyncio
import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from app.core import outbox
from app.extensions import db

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tail(path, size=4000):
    try:
        with open(path, errors="replace") as f:
            return f.read()[-size:]
    except OSError:
        return ""


def wait_for(predicate, timeout, what, log=None):
    """Poll ``predicate`` every 0.1 s until it is true; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    pytest.fail(f"timed out after {timeout}s waiting for {what}" + (f"\n{tail(log)}" if log else ""))


def stop(process, sig=signal.SIGTERM, timeout=15):
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def http_get(port, path, host="stc.localhost", timeout=10):
    """``(status, body)`` of one GET on loopback; raises OSError when the connection fails."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": host})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


class Mailbox:
    """An aiosmtpd server that can be stopped and started on the same port; ``hold`` keeps RCPT waiting."""

    def __init__(self):
        self.port = free_port()
        self.messages = []
        self.hold = threading.Event()  # set: the server waits at RCPT until released
        self.held = threading.Event()  # set by the server when a client waits at RCPT
        self.controller = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        while self.hold.is_set():
            self.held.set()
            await asyncio.sleep(0.05)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        msg = message_from_bytes(envelope.content, policy=policy.default)
        message = {"to": list(envelope.rcpt_tos), "message_id": msg["Message-ID"], "subject": msg["Subject"]}
        self.messages.append(message)
        return "250 OK"

    def start(self):
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def ids(self):
        return [m["message_id"] for m in self.messages]


@pytest.fixture
def mailbox(app):
    box = Mailbox()
    old = app.config["MAIL_SERVER"], app.config["MAIL_PORT"]
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=box.port)
    yield box
    box.hold.clear()
    box.stop()
    app.config["MAIL_SERVER"], app.config["MAIL_PORT"] = old


@pytest.fixture
def worker_env(app, tmp_path, mailbox):
    """The in-process app hands its mail to a real ``flask worker`` (a subprocess) through a huey SQLite file."""
    settings = {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "MEDIA_ROOT": app.config["MEDIA_ROOT"],
        "BACKUP_DIR": app.config["BACKUP_DIR"],
        "TENANTS_DIR": app.config["TENANTS_DIR"],
        "REDIS_URL": None,
        "HUEY_PATH": str(tmp_path / "huey.db"),
        "WORKER_EAGER": False,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": mailbox.port,
        "MAIL_TIMEOUT": 5,
        "OUTBOX_RETRY_DELAYS": (1,) * 30,
        "OUTBOX_LEASE_SECONDS": 3,
    }
    keys = ("REDIS_URL", "HUEY_PATH", "WORKER_EAGER", "OUTBOX_RETRY_DELAYS", "OUTBOX_LEASE_SECONDS")
    old = {k: app.config.get(k) for k in keys}
    app.config.update({k: settings[k] for k in keys})
    app.extensions.pop("huey", None)
    started = []

    def start_worker(name="worker"):
        log = str(tmp_path / f"{name}.log")
        with open(log, "w") as out:
            process = subprocess.Popen(
                [os.path.join(BIN, "flask"), "--app", f"app:create_app('testing', {settings!r})", "worker"],
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                env={**os.environ, "LOG_LEVEL": "INFO"},
            )
        process.log = log
        started.append(process)
        return process

    yield start_worker
    for process in started:
        stop(process, signal.SIGKILL)
    app.config.update(old)
    for key in ("OUTBOX_RETRY_DELAYS", "OUTBOX_LEASE_SECONDS", "HUEY_PATH", "WORKER_EAGER"):
        if old[key] is None:
            app.config.pop(key, None)
    app.extensions.pop("huey", None)


def outbox_rows(app):
    with app.app_context():
        rows = db.session.execute(select(outbox.OutboxMessage).order_by(outbox.OutboxMessage.id)).scalars().all()
        db.session.expunge_all()
        return rows
