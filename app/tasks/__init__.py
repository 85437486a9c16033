"""Background work: the huey worker (``flask worker``) that delivers the outbox and runs the periodic jobs once per
cluster, the back office's outbox and notices, and the operations endpoints (``/metrics``, logs with context)."""


def init_app(app):
    from app.core import logs, metrics, outbox
    from app.tasks import admin, worker

    logs.init_app(app)
    metrics.init_app(app)
    outbox.on_commit(worker.kick)
    # Messages queued after the caller's last commit (a mail sent when the response closes) are committed too.
    app.teardown_appcontext(outbox.commit_leftovers)
    admin.init_app(app)
