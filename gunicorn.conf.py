"""gunicorn's settings for ``gunicorn wsgi:app`` run from the repository (``make run``, deployments): read by
gunicorn itself from the working directory; command-line flags override them. Environment variables change the
few that differ per machine (deploy/portal.env): ``GUNICORN_BIND``, ``WEB_CONCURRENCY``, ``GUNICORN_TIMEOUT``,
``GUNICORN_ACCESSLOG`` ("-" for the journal; unset: no access log, nginx keeps one).

gunicorn answers a request line or a header over its limits itself, with an HTML page, before the portal sees
the request. These limits sit above the portal's own (``MAX_URL_LENGTH`` 4000 characters, ``MAX_HEADER_BYTES``
16 KiB, app/core/limits.py), so that whatever the portal refuses it refuses itself: 414 and 431 as the JSON error
under /api/ (tests/api/test_openapi.py checks the order). Only a request line over 8190 bytes or one header over
16380 bytes still gets gunicorn's page (8190 is the most gunicorn allows for a request line).

Graceful reload: ``systemctl reload portal-web`` sends HUP; gunicorn starts new workers with the new code and
lets the old ones finish their requests (``graceful_timeout``). The app is not preloaded, so HUP reloads it.
"""

import multiprocessing
import os

limit_request_line = 8190
limit_request_field_size = 16380

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: the portal's work is CPU (templates) and short database calls; nginx buffers slow clients.
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
# A request still running after this is killed and logged (nginx's proxy_read_timeout is a little longer).
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
# On HUP or TERM, workers get this long to finish what they are answering.
graceful_timeout = 20
# nginx keeps connections to the app open (upstream keepalive): a little longer than its idle time.
keepalive = 5
# A worker is replaced after this many requests (slow leaks never grow); the jitter keeps the workers of a
# server from restarting at the same moment.
max_requests = 2000
max_requests_jitter = 200

accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
# Client address (after ProxyFix's view: nginx passes it in X-Forwarded-For), host, request, status, bytes,
# duration in microseconds, referrer and agent.
access_log_format = '%({x-forwarded-for}i)s %({host}i)s "%(r)s" %(s)s %(B)s %(D)sus "%(f)s" "%(a)s"'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
# The X-Forwarded-* headers are read by the app's ProxyFix (PROXY_FIX), not by gunicorn.
forwarded_allow_ips = "127.0.0.1"
