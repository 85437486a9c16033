"""Under load, a gunicorn worker is killed with SIGKILL and the master is sent HUP (a reload): no request fails
beyond the one in flight on the killed worker (a sync worker serves one request at a time).

gunicorn runs with ``--preload``, as ``make run`` does: on HUP it stops the old workers at once, and new workers
that had to import the app themselves would leave the port unserved for the seconds that takes (a busy machine:
over ten); forked from a loaded master they answer at once.
"""

import os
import signal
import subprocess
import threading
import time

from tests.faults.conftest import BIN, ROOT, free_port, http_get, stop, tail, wait_for

CLIENTS = 6


def _children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return {int(p) for p in f.read().split()}
    except OSError:
        return set()


def test_killed_worker_and_reload_lose_no_request_beyond_the_one_in_flight(app, tmp_path):
    overrides = {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "MEDIA_ROOT": app.config["MEDIA_ROOT"],
        "TENANTS_DIR": app.config["TENANTS_DIR"],
        "RATELIMIT_ENABLED": False,
    }
    port = free_port()
    log = str(tmp_path / "gunicorn.log")
    command = [os.path.join(BIN, "gunicorn"), "--workers", "3", "--bind", f"127.0.0.1:{port}", "--no-control-socket",
               "--graceful-timeout", "10", "--preload", f"app:create_app('testing', {overrides!r})"]  # fmt: skip
    with open(log, "w") as out:
        master = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: len(_children(master.pid)) == 3, 30, "three gunicorn workers", log)

        def up():
            try:
                return http_get(port, "/healthz")[0] == 200
            except OSError:
                return False

        wait_for(up, 30, "gunicorn to answer", log)
        results, stop_load = [], threading.Event()

        def load():
            while not stop_load.is_set():
                try:
                    status, _body = http_get(port, "/", timeout=30)
                    results.append(status)
                except OSError as exc:
                    results.append(type(exc).__name__)

        threads = [threading.Thread(target=load) for _ in range(CLIENTS)]
        for t in threads:
            t.start()
        time.sleep(2)
        before = _children(master.pid)
        victim = sorted(before)[0]
        os.kill(victim, signal.SIGKILL)
        time.sleep(1)
        os.kill(master.pid, signal.SIGHUP)
        wait_for(lambda: not (_children(master.pid) & before), 30, "the reload to replace every worker", log)
        time.sleep(2)
        stop_load.set()
        for t in threads:
            t.join(15)
        failed = [r for r in results if r != 200]
        assert len(results) > 50, f"too little load: {len(results)} requests"
        assert len(failed) <= 1, f"{len(failed)} failed of {len(results)}: {failed[:10]}\n{tail(log)}"
        assert master.poll() is None and len(_children(master.pid)) == 3
    finally:
        stop(master)
