"""``/metrics`` in the Prometheus text format (R-27), closed to the public.

Answered only to ``Authorization: Bearer $METRICS_TOKEN`` or an address in ``METRICS_ALLOW`` (addresses or
networks, comma-separated); 404 when neither is configured, 403 to anyone else. Requests are counted by status and
tenant, with a latency histogram; with several gunicorn workers set ``PROMETHEUS_MULTIPROC_DIR`` (an empty folder)
so that every worker's counts are summed. The gauges (outbox queue, failed messages, last good backup's age) are
read from the database at scrape time: the same figures whichever worker answers.
"""

import hmac
import ipaddress
import logging
import os
import time

from flask import Response, abort, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

from app.core import jobs, outbox
from app.core.timeutil import utcnow

log = logging.getLogger(__name__)

REQUESTS = Counter("portal_http_requests", "HTTP requests answered, by status and tenant", ("status", "tenant"))
LATENCY = Histogram(
    "portal_http_request_duration_seconds",
    "Time to answer a request",
    ("tenant",),
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


class DatabaseGauges:
    """Gauges read from the database when Prometheus scrapes."""

    def collect(self):
        queue = GaugeMetricFamily("portal_outbox_queue_length", "Messages waiting to be sent (queued or sending)")
        failed = GaugeMetricFamily("portal_outbox_failed_messages", "Messages that failed after every retry")
        by_status = GaugeMetricFamily("portal_outbox_messages", "Outbox messages by status", labels=("status",))
        backup = GaugeMetricFamily(
            "portal_last_backup_age_seconds", "Age of the last verified scheduled backup (-1: none yet)"
        )
        try:
            counts = outbox.counts()
            run = jobs.last_success("weekly_backup")
        except Exception:  # noqa: BLE001 - the database is down: /readyz says so; the request counts still answer
            from app.extensions import db

            db.session.rollback()
            return
        queue.add_metric([], counts[outbox.QUEUED] + counts[outbox.SENDING])
        failed.add_metric([], counts[outbox.FAILED])
        for status, n in sorted(counts.items()):
            by_status.add_metric([status], n)
        backup.add_metric([], (utcnow() - run.finished_at).total_seconds() if run else -1)
        yield from (queue, failed, by_status, backup)


def _allowed():
    cfg = current_app.config
    token = cfg.get("METRICS_TOKEN") or os.environ.get("METRICS_TOKEN", "")
    allow = cfg.get("METRICS_ALLOW") or os.environ.get("METRICS_ALLOW", "")
    if not token and not allow:
        abort(404)
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    for part in str(allow).split(","):
        try:
            if part.strip() and address in ipaddress.ip_network(part.strip(), strict=False):
                return True
        except ValueError:
            log.warning("METRICS_ALLOW: %r is not an address or network", part)
    return False


def metrics_view():
    if not _allowed():
        abort(403)
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUESTS)
        registry.register(LATENCY)
    registry.register(DatabaseGauges())
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)


def _start():
    g.metrics_start = time.perf_counter()


def _observe(response):
    start = g.pop("metrics_start", None)
    if start is not None:
        tenant = getattr(g.get("tenant"), "code", None) or "-"
        REQUESTS.labels(str(response.status_code), tenant).inc()
        LATENCY.labels(tenant).observe(time.perf_counter() - start)
    return response


def init_app(app):
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_observe)
    app.add_url_rule("/metrics", "metrics", metrics_view)
