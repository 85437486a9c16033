"""A real reverse-proxy set-up: gunicorn workers behind ProxyFix, two subsites, the page cache on (R-01, R-25, R-27).

gunicorn serves the test database with ``PROXY_FIX=1``; requests reach it either straight with the
X-Forwarded-For/-Host/-Proto headers a proxy sends (``via="headers"``), or through a real nginx on a
loopback port (``via="nginx"``, skipped when the Debian package ``nginx`` is not installed; ``make test``
installs it). Visitors are told apart by their source address (127.0.0.2, 127.0.0.3...).
"""

import http.client
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from urllib.parse import urlencode

import pytest
from limits.storage import storage_from_string
from sqlalchemy import select

from app.core.models import AuditEvent
from app.extensions import db

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GUNICORN = os.path.join(os.path.dirname(sys.executable), "gunicorn")
NGINX = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.path.exists(p)), None)
LOGIN_LIMIT = 3
NGINX_CONF = """
daemon off;
worker_processes 1;
user {user};
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 64; }}
http {{
  access_log off;
  client_body_temp_path {tmp}/body;
  proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi;
  scgi_temp_path {tmp}/scgi;
  upstream portal {{ server 127.0.0.1:{upstream}; }}
  server {{
    listen 127.0.0.1:{port};
    server_name _;
    location / {{
      proxy_pass http://portal;
      # Host stays nginx's default, the upstream name "portal": the app must take the visitor's host
      # from X-Forwarded-Host, as it does behind most proxies.
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Host $host;
      proxy_set_header X-Forwarded-Proto $scheme;
    }}
  }}
}}
"""


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tail(log):
    with open(log) as f:
        return f.read()[-3000:]


def _wait_until_up(port, process, log):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server on {port} exited:\n{_tail(log)}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    pytest.fail(f"server on {port} did not start:\n{_tail(log)}")


def _stop(*processes):
    for process in processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _start_gunicorn(app, tmp, name, workers, limits_uri):
    """Start gunicorn on a free loopback port, serving the test database with one trusted proxy.

    :return: ``(port, process, log)``; pass them to :func:`_wait_until_up`.
    """
    overrides = {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "MEDIA_ROOT": app.config["MEDIA_ROOT"],
        "BACKUP_DIR": app.config["BACKUP_DIR"],
        "PROXY_FIX": 1,
        "PAGE_CACHE_SECONDS": 60,
        "RATELIMIT_STORAGE_URI": limits_uri,
        "LOGIN_RATE_LIMIT": f"{LOGIN_LIMIT} per minute",
    }
    port = _free_port()
    log = os.path.join(tmp, f"{name}.log")
    # No control socket: its default path is shared by every gunicorn of the user (make run, bench...).
    command = [GUNICORN, "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--no-control-socket",
               "--graceful-timeout", "1"]  # fmt: skip
    with open(log, "w") as out:
        process = subprocess.Popen(
            [*command, f"app:create_app('testing', {overrides!r})"],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "LOG_LEVEL": "WARNING"},
        )
    return port, process, log


@pytest.fixture(scope="module")
def servers(app, tmp_path_factory):
    """gunicorn with 2 workers (nginx in front when installed), and a second gunicorn on the same counter file."""
    tmp = str(tmp_path_factory.mktemp("proxy"))
    limits = os.path.join(tmp, "limits.db")
    started = [
        _start_gunicorn(app, tmp, name, workers, f"sqlite:///{limits}") for name, workers in (("a", 2), ("b", 1))
    ]
    for port, process, log in started:
        _wait_until_up(port, process, log)
    (port, gunicorn, _), (second_port, second, _) = started
    result = {"gunicorn": port, "second": second_port, "limits": limits, "nginx": None}
    nginx = None
    if NGINX:
        nginx_port = _free_port()
        conf = os.path.join(tmp, "nginx.conf")
        with open(conf, "w") as f:
            f.write(NGINX_CONF.format(tmp=tmp, port=nginx_port, upstream=port, user=pwd.getpwuid(os.geteuid())[0]))
        log = os.path.join(tmp, "nginx.log")
        with open(log, "w") as out:
            command = [NGINX, "-p", tmp, "-e", f"{tmp}/nginx-error.log", "-c", conf]
            nginx = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        _wait_until_up(nginx_port, nginx, log)
        result["nginx"] = nginx_port
    yield result
    _stop(*[p for p in (nginx, gunicorn, second) if p is not None])


@pytest.fixture(autouse=True)
def _fresh_limits(servers):
    storage_from_string(f"sqlite:///{servers['limits']}").reset()


class Visitor:
    """One browser at ``address`` (a loopback source address), reaching the portal as ``via`` says."""

    def __init__(self, servers, via, address):
        if via == "nginx" and not servers["nginx"]:
            pytest.skip("the Debian package nginx is not installed (make test installs it)")
        self.servers, self.via, self.address = servers, via, address
        self.cookie = ""

    def request(self, method, host, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.via == "nginx":
            port, headers["Host"] = self.servers["nginx"], host
        else:  # what nginx above sends
            port = self.servers["gunicorn"]
            forwarded_for = ", ".join(filter(None, [headers.pop("X-Forwarded-For", ""), self.address]))
            headers.update({"Host": "portal", "X-Forwarded-Host": host, "X-Forwarded-For": forwarded_for,
                            "X-Forwarded-Proto": "http"})  # fmt: skip
        if self.cookie:
            headers["Cookie"] = self.cookie
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10, source_address=(self.address, 0))
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        conn.close()
        return response.status, response, text

    def failed_login(self, host, headers=None):
        """GET the login form, then POST a wrong login with its CSRF token; return the POST's status."""
        _, _, html = self.request("GET", host, "/login")
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
            r'value="([^"]+)"[^>]*name="csrf_token"', html
        )
        body = urlencode({"email": "nobody@example.vn", "password": "sai-mat-khau", "csrf_token": token.group(1)})
        status, _, _ = self.request(
            "POST",
            host,
            "/login",
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", **(headers or {})},
        )
        return status


def _site_name(html):
    match = re.search(r'class="site-name"[^>]*>(.*?)<', html, re.S)
    return match.group(1).strip() if match else html[:200]


VIA = ["headers", "nginx"]


@pytest.mark.parametrize("via", VIA)
def test_each_subsite_gets_its_own_home_page_with_the_cache_on(servers, via):
    """R-01, R-27: behind the proxy each subsite and the portal get their own home page, cached or not."""
    visitor = Visitor(servers, via, "127.0.0.2")
    expected = {
        "stc.localhost": "Sở Tài chính",
        "dongxoai.localhost": "UBND thị xã Đồng Xoài",
        "localhost": "Cổng thông tin điện tử tỉnh Bình Phước",
    }
    seen = []
    for _ in range(3):  # the first round fills the cache (in whichever worker), later rounds read it
        for host, name in expected.items():
            status, response, html = visitor.request("GET", host, "/")
            assert status == 200 and _site_name(html) == name, (host, _site_name(html))
            seen.append(response.getheader("X-Page-Cache"))
    assert "hit" in seen[len(expected) :]


@pytest.mark.parametrize("via", VIA)
def test_rate_limit_and_audit_log_see_the_visitor_across_workers(app, servers, via):
    """R-25: the login limit counts per visitor over both workers; the audit log records the visitor's address.

    A visitor's own X-Forwarded-For value (127.0.0.2, sent by 127.0.0.3) is not believed.
    """
    first, second = Visitor(servers, via, "127.0.0.2"), Visitor(servers, via, "127.0.0.3")
    statuses = [first.failed_login("stc.localhost") for _ in range(LOGIN_LIMIT + 2)]
    assert [s == 429 for s in statuses] == [False] * LOGIN_LIMIT + [True, True]
    assert second.failed_login("stc.localhost", headers={"X-Forwarded-For": "127.0.0.2"}) != 429
    with app.app_context():
        ips = db.session.execute(select(AuditEvent.ip).where(AuditEvent.action == "login.failed")).scalars().all()
    assert sorted(ips) == ["127.0.0.2"] * LOGIN_LIMIT + ["127.0.0.3"]


def test_two_app_processes_share_one_counter(servers):
    """R-25: two separate app instances (as two workers are) on one counter file: the limit is not doubled."""
    one = Visitor(servers, "headers", "127.0.0.2")
    two = Visitor({**servers, "gunicorn": servers["second"]}, "headers", "127.0.0.2")
    statuses = [(one if n % 2 else two).failed_login("stc.localhost") for n in range(LOGIN_LIMIT + 1)]
    assert [s == 429 for s in statuses] == [False] * LOGIN_LIMIT + [True]
