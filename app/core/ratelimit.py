"""Rate limits: the key (tenant and client address) and the counter store every worker shares.

``client_key`` is the tenant and ``request.remote_addr``; behind a proxy ProxyFix (app/core/proxy.py) has
made that the visitor's address, so visitors never share the proxy's bucket. Counters live in Redis when
``REDIS_URL`` is set; otherwise in a SQLite file (``RATELIMIT_STORAGE_URI = sqlite:///path``) that all the
gunicorn workers of the machine open, so a limit is not multiplied by the number of workers.
``limits`` (behind Flask-Limiter) ships no file or SQL storage, hence :class:`SQLiteStorage`.
"""

import os
import random
import sqlite3
import threading
import time
from urllib.parse import unquote, urlparse

from flask import g, request
from limits.storage import Storage

_SCHEMA = "CREATE TABLE IF NOT EXISTS counter (key TEXT PRIMARY KEY, value INTEGER NOT NULL, expires_at REAL NOT NULL)"
# One statement, so two workers incrementing at once never lose a hit: a live window grows, a dead one
# starts again at ``amount``.
_INCR = """
INSERT INTO counter (key, value, expires_at) VALUES (:key, :amount, :now + :expiry)
ON CONFLICT (key) DO UPDATE SET
  value = CASE WHEN counter.expires_at <= :now THEN :amount ELSE counter.value + :amount END,
  expires_at = CASE WHEN counter.expires_at <= :now THEN :now + :expiry ELSE counter.expires_at END
RETURNING value
"""


def client_key():
    tenant = getattr(g, "tenant", None)
    return f"{tenant.code if tenant else '-'}:{request.remote_addr or '-'}"


class SQLiteStorage(Storage):
    """Fixed-window counters in a SQLite file shared by the processes of one machine.

    ``sqlite:///relative/path.db`` or ``sqlite:////absolute/path.db``, as SQLAlchemy spells them. Each
    process and thread opens its own connection (gunicorn forks after import); WAL lets readers and the
    one writer of the moment work side by side.
    """

    STORAGE_SCHEME = ["sqlite"]

    def __init__(self, uri, wrap_exceptions=False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        path = unquote(urlparse(uri).path)
        self.path = path[1:] if path.startswith("/") else path
        if not self.path:
            raise ValueError(f"rate-limit storage {uri!r} names no file")
        self.timeout = float(options.get("timeout", 10))
        self._local = threading.local()

    @property
    def base_exceptions(self):
        return sqlite3.Error

    def _db(self):
        conn = getattr(self._local, "conn", None)
        if conn is None or self._local.pid != os.getpid():
            directory = os.path.dirname(self.path)
            if directory:
                os.makedirs(directory, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute(_SCHEMA)
            self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    def incr(self, key, expiry, amount=1):
        now = time.time()
        db = self._db()
        value = db.execute(_INCR, {"key": key, "amount": amount, "now": now, "expiry": float(expiry)}).fetchone()[0]
        if random.random() < 0.01:  # now and then, forget windows that ended
            db.execute("DELETE FROM counter WHERE expires_at <= ?", (now,))
        return value

    def get(self, key):
        row = (
            self._db()
            .execute("SELECT value FROM counter WHERE key = ? AND expires_at > ?", (key, time.time()))
            .fetchone()
        )
        return row[0] if row else 0

    def get_expiry(self, key):
        row = self._db().execute("SELECT expires_at FROM counter WHERE key = ?", (key,)).fetchone()
        return row[0] if row else time.time()

    def check(self):
        self._db().execute("SELECT 1").fetchone()
        return True

    def reset(self):
        return self._db().execute("DELETE FROM counter").rowcount

    def clear(self, key):
        self._db().execute("DELETE FROM counter WHERE key = ?", (key,))
