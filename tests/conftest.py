"""Shared fixtures: the app on a real database, per-host clients, users per role, a live server."""

import os
import re
import tempfile
import threading

import pytest
from sqlalchemy import create_engine, delete, select, text
from werkzeug.serving import make_server

from app import create_app
from app.auth.operations import ensure_user
from app.core.models import Tenant
from app.core.tenancy import invalidate_host_map
from app.core.tenant_sync import read_all, sync_tenants
from app.extensions import db, limiter

PASSWORD = "Mat-khau-thu-nghiem-2026"
_TMP = tempfile.mkdtemp(prefix="portal-tests-")


def _database_url():
    """SQLite in a temporary folder, or DATABASE_URL; each xdist worker gets a database of its own."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{_TMP}/test.db"
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker or not url.startswith("postgresql"):
        return url
    base, _, name = url.rpartition("/")
    worker_url = f"{base}/{name}_{worker}"
    engine = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": f"{name}_{worker}"}).first()
        if not exists:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}_{worker}"')
    engine.dispose()
    return worker_url


@pytest.fixture(scope="session")
def app():
    app = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": _database_url(),
            "MEDIA_ROOT": os.path.join(_TMP, "media"),
            "BACKUP_DIR": os.path.join(_TMP, "backups"),
            "LOGIN_RATE_LIMIT": "1000 per minute",
        },
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        sync_tenants(app.config["TENANTS_DIR"])
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def _tenant_records(app):
    return read_all(app.config["TENANTS_DIR"])


def reset_database(app, records):
    """Delete every row but the reference tenants (restored from their tenant.yaml records)."""
    with app.app_context():
        db.session.rollback()
        for table in reversed(db.metadata.sorted_tables):
            if table.name != "tenant":
                db.session.execute(table.delete())
        codes = {r["code"] for r in records}
        db.session.execute(delete(Tenant).where(Tenant.code.notin_(codes)))
        db.session.commit()
        sync_tenants(app.config["TENANTS_DIR"], records)
        invalidate_host_map()
        limiter.reset()


@pytest.fixture(autouse=True)
def _clean_database(app, _tenant_records):
    """Every test starts from the reference tenants and nothing else."""
    yield
    reset_database(app, _tenant_records)


class HostClient:
    """A test client bound to one host name, so cookies and tenants behave as in a browser."""

    def __init__(self, app, host):
        self.app = app
        self.host = host
        self._client = app.test_client()

    def open(self, path, method="GET", **kwargs):
        kwargs.setdefault("base_url", f"http://{self.host}")
        return self._client.open(path, method=method, **kwargs)

    def get(self, path, **kwargs):
        return self.open(path, "GET", **kwargs)

    def post(self, path, **kwargs):
        return self.open(path, "POST", **kwargs)

    def patch(self, path, **kwargs):
        return self.open(path, "PATCH", **kwargs)

    def delete(self, path, **kwargs):
        return self.open(path, "DELETE", **kwargs)

    def csrf_token(self, path):
        """GET ``path`` and return the CSRF token of its first form."""
        html = self.get(path).get_data(as_text=True)
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
            r'value="([^"]+)"[^>]*name="csrf_token"', html
        )
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def login(self, email, password=PASSWORD):
        token = self.csrf_token("/login")
        return self.post("/login", data={"email": email, "password": password, "csrf_token": token})


def host_for(code, base="localhost"):
    return base if code == "portal" else f"{code}.{base}"


@pytest.fixture
def client_for(app):
    """``client_for("stc")`` returns a client on stc.localhost."""

    def make(code):
        return HostClient(app, host_for(code))

    return make


@pytest.fixture
def client(client_for):
    return client_for("portal")


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def tenant(app):
    """``tenant("stc")`` returns the Tenant row."""

    def get(code):
        return db.session.execute(select(Tenant).where(Tenant.code == code)).scalars().one()

    with app.app_context():
        yield get


@pytest.fixture
def make_user(app):
    """``make_user("head", "stc")`` creates ``head.stc@test.vn`` with that role and returns the email."""

    def make(role, code, email=None):
        with app.app_context():
            t = db.session.execute(select(Tenant).where(Tenant.code == code)).scalars().one()
            email = email or f"{role}.{code}@test.vn"
            ensure_user(email, t, role, password=PASSWORD)
            db.session.commit()
            return email

    return make


@pytest.fixture(scope="session")
def _live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    port = server.server_port
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    class Live:
        def __init__(self):
            self.port = port

        def url(self, code, path="/"):
            return f"http://{host_for(code)}:{port}{path}"

    yield Live()
    server.shutdown()


@pytest.fixture
def live_server(app, _live_server):
    """The app served on a loopback port for browser tests; ``live_server.url("stc", "/")``.

    Links in pages and emails use ``PUBLIC_PORT``, never the Host header's port: during the test it is the
    live server's.
    """
    old = app.config["PUBLIC_PORT"]
    app.config["PUBLIC_PORT"] = str(_live_server.port)
    yield _live_server
    app.config["PUBLIC_PORT"] = old


@pytest.fixture
def smtp_server(app):
    """A real local SMTP server (aiosmtpd); the app sends through it during the test."""
    from email import message_from_bytes, policy

    from aiosmtpd.controller import Controller

    class Collect:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            msg = message_from_bytes(envelope.content, policy=policy.default)
            content = {"subject": msg["Subject"], "body": msg.get_content(), "raw": envelope.content}
            self.messages.append({"to": list(envelope.rcpt_tos), **content})
            return "250 OK"

    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    old = app.config["MAIL_SERVER"], app.config["MAIL_PORT"]
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    yield handler
    app.config["MAIL_SERVER"], app.config["MAIL_PORT"] = old
    controller.stop()
