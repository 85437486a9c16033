"""A PostgreSQL server of the test's own (initdb in a temporary folder, its own port) is stopped and started while
gunicorn serves a load: ``/readyz`` answers 503 while it is down and 200 after, without restarting the app."""

import glob
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import threading
import time

import pytest
import sqlalchemy

from app import create_app
from app.core.tenant_sync import sync_tenants
from app.extensions import db
from tests.faults.conftest import BIN, ROOT, free_port, http_get, stop, tail, wait_for

PG_BIN = next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)), None)


class Postgres:
    """``initdb`` once, then start and stop the server on its own port and socket folder (as ``postgres`` when
    the tests run as root, which PostgreSQL refuses)."""

    def __init__(self):
        self.folder = tempfile.mkdtemp(prefix="portal-pg-")
        self.data = os.path.join(self.folder, "data")
        self.port = free_port()
        self.log = os.path.join(self.folder, "postgres.log")
        self.user = None
        if os.geteuid() == 0:
            self.user = "postgres"
            entry = pwd.getpwnam(self.user)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        self.process = None
        self._run([os.path.join(PG_BIN, "initdb"), "-D", self.data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
                   "--no-sync", "--no-instructions"])  # fmt: skip

    def _run(self, command):
        done = subprocess.run(command, user=self.user, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stdout + done.stderr

    @property
    def url(self):
        return f"postgresql://postgres@127.0.0.1:{self.port}/portal_faults"

    def start(self):
        command = [os.path.join(PG_BIN, "postgres"), "-D", self.data, "-p", str(self.port), "-k", self.folder,
                   "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "max_connections=50"]  # fmt: skip
        with open(self.log, "a") as out:
            self.process = subprocess.Popen(command, user=self.user, stdout=out, stderr=subprocess.STDOUT)
        wait_for(self.ready, 30, "PostgreSQL to accept connections", self.log)

    def ready(self):
        engine = sqlalchemy.create_engine(f"postgresql://postgres@127.0.0.1:{self.port}/postgres")
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
            return True
        except sqlalchemy.exc.OperationalError:
            return False
        finally:
            engine.dispose()

    def stop(self):
        stop(self.process, signal.SIGINT, timeout=30)  # "fast" shutdown: open sessions are cut

    def remove(self):
        if self.process is not None:
            stop(self.process, signal.SIGINT)
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def postgres():
    if PG_BIN is None:
        pytest.skip("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin")
    server = Postgres()
    try:
        server.start()
        engine = sqlalchemy.create_engine(server.url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.exec_driver_sql("CREATE DATABASE portal_faults")
        engine.dispose()
        app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": server.url})
        with app.app_context():
            db.create_all()
            sync_tenants(app.config["TENANTS_DIR"])
            db.session.remove()
            db.engine.dispose()
        yield server
    finally:
        server.remove()


def test_readyz_follows_the_database_and_the_app_recovers_without_restart(postgres, tmp_path):
    overrides = {"SQLALCHEMY_DATABASE_URI": postgres.url, "RATELIMIT_ENABLED": False}
    port = free_port()
    log = str(tmp_path / "gunicorn.log")
    command = [os.path.join(BIN, "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}", "--no-control-socket",
               "--preload", f"app:create_app('testing', {overrides!r})"]  # fmt: skip
    with open(log, "w") as out:
        master = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    results, stop_load = [], threading.Event()

    def probe(path):
        try:
            return http_get(port, path, timeout=20)[0]
        except OSError as exc:
            return type(exc).__name__

    def load(path):
        while not stop_load.is_set():
            start = time.monotonic()
            status = probe(path)
            results.append((start, time.monotonic(), path, status))
            time.sleep(0.02)

    try:
        wait_for(lambda: probe("/readyz") == 200, 40, "gunicorn on the test's PostgreSQL", log)
        threads = [threading.Thread(target=load, args=(path,)) for path in ("/readyz", "/readyz", "/", "/")]
        for t in threads:
            t.start()
        time.sleep(1)
        stop_at = time.monotonic()
        postgres.stop()
        down_at = time.monotonic()
        wait_for(lambda: probe("/readyz") == 503, 20, "/readyz to answer 503", log)
        time.sleep(1)
        postgres.start()
        up_at = time.monotonic()
        wait_for(lambda: probe("/readyz") == 200, 20, "/readyz to answer 200 again", log)
        time.sleep(1)
        stop_load.set()
        for t in threads:
            t.join(30)
        assert probe("/") == 200  # the pages too, from the same processes
        assert master.poll() is None, tail(log)
        ready = [(at, status) for at, _end, path, status in results if path == "/readyz"]
        assert {status for _at, status in ready} <= {200, 503}, ready  # never a 500 or a hang
        assert any(status == 503 for at, status in ready if down_at < at < up_at)
        assert any(status == 200 for at, status in ready if at > up_at)
        before = [status for _at, end, path, status in results if path == "/" and end < stop_at]
        assert before and set(before) == {200}
    finally:
        stop_load.set()
        stop(master)
