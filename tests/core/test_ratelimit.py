"""Rate-limit counters are shared by every worker of the machine (R-25).

The SQLite store (app/core/ratelimit.py) is used when REDIS_URL is not set; tests/test_proxy.py shows two
gunicorn processes sharing one login limit through it.
"""

import multiprocessing
import os
import subprocess
import sys
import time

from limits.storage import storage_from_string

from app.core.ratelimit import SQLiteStorage

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _hammer(uri, hits):
    storage = storage_from_string(uri)
    for _ in range(hits):
        storage.incr("login/stc:198.51.100.7", 60)


def test_processes_hitting_at_once_lose_no_hit(tmp_path):
    """R-25: four processes counting at the same moment add up exactly (one atomic statement per hit)."""
    uri = f"sqlite:///{tmp_path}/limits.db"
    assert isinstance(storage_from_string(uri), SQLiteStorage)
    started = time.time()
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_hammer, args=(uri, 150)) for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(30)
    assert [w.exitcode for w in workers] == [0, 0, 0, 0]
    storage = storage_from_string(uri)
    assert storage.get("login/stc:198.51.100.7") == 600
    assert started + 60 <= storage.get_expiry("login/stc:198.51.100.7") <= time.time() + 60  # from the first hit


def test_a_window_ends_and_starts_again(tmp_path):
    """R-25: after its window a counter starts from one; clear and reset forget counters."""
    storage = storage_from_string(f"sqlite:///{tmp_path}/limits.db")
    assert [storage.incr("a", 0.3) for _ in range(3)] == [1, 2, 3]
    time.sleep(0.35)
    assert storage.get("a") == 0 and storage.incr("a", 0.3) == 1
    storage.incr("b", 60)
    storage.clear("a")
    assert storage.get("a") == 0 and storage.get("b") == 1
    assert storage.reset() == 1 and storage.get("b") == 0 and storage.check()


def _storage_uri(env):
    code = "import config; print(config.Config.RATELIMIT_STORAGE_URI)"
    clean = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )
    return result.stdout.strip()


def test_storage_is_redis_when_configured_else_a_file_the_workers_share():
    """R-25: REDIS_URL holds the counters when set; otherwise instance/ratelimits.db, never per-worker memory."""
    assert _storage_uri({"REDIS_URL": "redis://cache.internal:6379/0"}) == "redis://cache.internal:6379/0"
    assert _storage_uri({}) == f"sqlite:///{ROOT}/instance/ratelimits.db"
