"""R-27 (issue 15): /metrics for Prometheus, closed to the public; a request id, tenant and user on every log line."""

import logging

import pytest

from app.core.logs import FORMAT, ContextFilter
from tests.outbox.test_outbox import ask
from tests.questions.conftest import ASK


@pytest.fixture
def metrics_config(app):
    keys = ("METRICS_TOKEN", "METRICS_ALLOW")
    old = {k: app.config.get(k) for k in keys}
    yield app.config
    app.config.update(old)


def test_metrics_are_closed_when_not_configured(client_for, metrics_config):
    metrics_config.update(METRICS_TOKEN="", METRICS_ALLOW="")
    assert client_for("stc").get("/metrics").status_code == 404


def test_metrics_need_the_token_or_an_allowed_address(client_for, metrics_config):
    metrics_config.update(METRICS_TOKEN="s3cret-token", METRICS_ALLOW="10.0.0.0/8")
    c = client_for("stc")
    assert c.get("/metrics").status_code == 403
    assert c.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert c.get("/metrics", headers={"Authorization": "Bearer s3cret-token"}).status_code == 200
    metrics_config.update(METRICS_ALLOW="10.0.0.0/8, 127.0.0.1")
    assert c.get("/metrics").status_code == 200  # the test client's address is 127.0.0.1


def test_metrics_count_requests_queue_and_backup(app, client_for, metrics_config, smtp_server):
    metrics_config.update(METRICS_TOKEN="s3cret-token")
    stc = client_for("stc")
    stc.get("/")
    stc.get("/no-such-page-here")
    app.config["WORKER_EAGER"] = False  # leave the receipt in the queue
    try:
        ask(client_for)
    finally:
        app.config.pop("WORKER_EAGER")
    # Any host, even one no tenant has: Prometheus scrapes an address.
    body = client_for("10.1.2.3").get("/metrics", headers={"Authorization": "Bearer s3cret-token"})
    text = body.get_data(as_text=True)
    assert body.status_code == 200 and body.mimetype == "text/plain"
    assert 'portal_http_requests_total{status="404",tenant="stc"}' in text
    assert 'portal_http_requests_total{status="200",tenant="stc"}' in text
    assert 'portal_http_request_duration_seconds_bucket{le="0.5",tenant="stc"}' in text
    assert "portal_outbox_queue_length 1.0" in text
    assert "portal_outbox_failed_messages 0.0" in text
    assert "portal_last_backup_age_seconds -1.0" in text


class Lines(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []
        self.addFilter(ContextFilter())
        self.setFormatter(logging.Formatter(FORMAT))

    def emit(self, record):
        self.lines.append(self.format(record))


@pytest.fixture
def log_lines():
    handler = Lines()
    root = logging.getLogger()
    root.addHandler(handler)
    old = root.level
    root.setLevel(logging.INFO)
    yield handler.lines
    root.removeHandler(handler)
    root.setLevel(old)


def test_log_lines_carry_request_id_tenant_and_user(app, client_for, make_user, tenant, log_lines):
    c = client_for("stc")
    response = c.post("/api/v1/questions", json=ASK, headers={"X-Request-ID": "req-from-proxy-123"})
    assert response.status_code == 202 and response.headers["X-Request-ID"] == "req-from-proxy-123"
    [line] = [x for x in log_lines if "received on stc" in x]
    assert "[req=req-from-proxy-123 tenant=stc user=-]" in line
    response = c.get("/", headers={"X-Request-ID": "bad id with spaces"})
    assert len(response.headers["X-Request-ID"]) == 16  # a new one, not the malformed header
    editor = make_user("editor", "stc")
    with app.test_request_context(base_url="http://stc.localhost"):
        from flask import g
        from flask_login import login_user

        from app.auth.operations import find_user

        user = find_user(editor)
        g.tenant, g.request_id = tenant("stc"), "abc12345"
        login_user(user)
        logging.getLogger("app.test").warning("acting")
        assert log_lines[-1].endswith(f"[req=abc12345 tenant=stc user=user:{user.id}]: acting")
    logging.getLogger("app.test").warning("probe")  # outside a request: dashes
    assert log_lines[-1].endswith("[req=- tenant=- user=-]: probe")
