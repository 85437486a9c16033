"""The task queue: huey, on Redis when ``REDIS_URL`` is set (several servers share it), else on a SQLite file
(``HUEY_PATH``, one server, no extra service). ``flask worker`` runs its consumer with the periodic scheduler.

The database stays the source of truth: a huey task only says "look now". A task lost with a killed worker
changes nothing, as the outbox rows and the periodic jobs' runs are in the database and the next sweep finds them.
"""

import logging
import os
import threading

from flask import current_app, has_app_context
from huey import RedisHuey, SqliteHuey

from app.core import jobs as runs
from app.core import outbox
from app.core.logs import job_context
from app.core.timeutil import utcnow
from app.tasks.jobs import SCHEDULE, deliver_outbox

log = logging.getLogger(__name__)

# Settings (override in config or the environment): one comment per key.
DEFAULTS = {
    # True: mail is delivered inside the request right after the commit, no worker needed (the tests).
    # Default: the app's TESTING flag.
    "WORKER_EAGER": None,
    # The huey queue's SQLite file when REDIS_URL is not set.
    "HUEY_PATH": None,
    # Threads of `flask worker`.
    "WORKER_THREADS": 2,
}

_lock = threading.Lock()


def _setting(app, name):
    if name in app.config:
        return app.config[name]
    if name in os.environ:
        return os.environ[name]
    return DEFAULTS[name]


def eager(app):
    value = _setting(app, "WORKER_EAGER")
    if value is None:
        return bool(app.testing)
    return str(value).lower() in ("1", "true", "yes", "on")


def huey_for(app):
    """The app's huey instance (made once per app), with every task and periodic job registered on it."""
    with _lock:
        huey = app.extensions.get("huey")
        if huey is None:
            huey = app.extensions["huey"] = _make_huey(app)
        return huey


def _make_huey(app):
    redis_url = app.config.get("REDIS_URL")
    if redis_url:
        huey = RedisHuey("portal", url=redis_url, results=False)
    else:
        path = _setting(app, "HUEY_PATH") or os.path.join(os.path.dirname(app.root_path), "instance", "huey.db")
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        huey = SqliteHuey("portal", filename=path, results=False)
    tasks = {}

    def in_app(fn, name):
        """``fn`` in an app context, its log lines marked ``req=job:<name>``."""

        def run(*args, **kwargs):
            token = job_context.set(f"job:{name}")
            try:
                if has_app_context():
                    return fn(*args, **kwargs)
                with app.app_context():
                    return fn(*args, **kwargs)
            finally:
                job_context.reset(token)

        run.__name__ = fn.__name__
        return run

    def deliver():
        result = deliver_outbox()
        _schedule_next(huey, tasks["deliver"])
        return result

    tasks["deliver"] = huey.task(name="deliver_outbox")(in_app(deliver, "deliver_outbox"))
    for name, (when, job, once) in SCHEDULE.items():
        tasks[name] = huey.periodic_task(when, name=f"periodic.{name}")(in_app(_runner(name, job, once), name))
    huey.portal_tasks = tasks
    return huey


def _runner(name, job, once):
    """``job`` run as a periodic task: once per cluster for the minute (when ``once``), recorded in ``task_run``."""

    def run():
        return run_job(name, job, once)

    return run


def run_job(name, job, once=True, slot=None):
    """Run ``job`` for the scheduled minute ``slot`` unless another server took it; record the outcome."""
    run_id = None
    if once:
        run_id = runs.claim(name, slot or runs.slot_of(utcnow()))
        if run_id is None:
            log.info("job %s: taken by another server for this minute", name)
            return None
    try:
        detail = job()
    except Exception as exc:
        from app.extensions import db

        db.session.rollback()
        log.exception("job %s failed", name)
        if run_id is not None:
            runs.finish(run_id, runs.FAILED, f"{type(exc).__name__}: {exc}")
        raise
    if run_id is not None:
        runs.finish(run_id, runs.DONE, detail or "")
    log.info("job %s: %s", name, detail)
    return detail


def _schedule_next(huey, task):
    """Ask for one more delivery pass when the earliest retry is due within the minute (the sweep does the rest)."""
    due = outbox.next_due_at()
    if due is None:
        return
    wait = (due - utcnow()).total_seconds()
    if wait < 60:
        task.schedule(delay=max(wait, 0) + 0.05)


def kick():
    """After a commit that queued mail: deliver now (eager) or wake the worker."""
    app = current_app._get_current_object()
    if eager(app):
        deliver_outbox()
        return
    huey_for(app).portal_tasks["deliver"]()


def run_consumer(app, threads=None):
    """Run the worker until SIGTERM or SIGINT (both finish the running tasks first)."""
    from huey.consumer import Consumer

    huey = huey_for(app)
    huey.immediate = False
    threads = int(threads or _setting(app, "WORKER_THREADS"))
    consumer = Consumer(huey, workers=threads, worker_type="thread", periodic=True, graceful_signal="TERM")
    log.info("worker: %d thread(s), queue %s, %d periodic jobs", threads, type(huey.storage).__name__, len(SCHEDULE))
    with app.app_context():
        # A pass at start: what was queued or left half-sent while no worker ran.
        huey.portal_tasks["deliver"]()
    consumer.run()
