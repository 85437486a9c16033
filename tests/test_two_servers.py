"""Several servers (issue 14): deploy/nginx/portal.conf, run by the Debian nginx, in front of two gunicorn servers
on one PostgreSQL database and one Redis.

A page published through server A is visible through server B at once, a login works whichever server answers,
rate limits are counted once, and a media file uploaded through A is served through B (nginx sends it from the
shared media folder after the app allowed it). Skipped without nginx, PostgreSQL on 127.0.0.1:5432 (or a
PostgreSQL ``DATABASE_URL``) or Redis (``REDIS_URL``, else 127.0.0.1:6379).
"""

import http.client
import io
import json
import os
import pwd
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import uuid
from urllib.parse import urlencode

import pytest
from PIL import Image
from sqlalchemy import create_engine, select, text

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GUNICORN = os.path.join(os.path.dirname(sys.executable), "gunicorn")
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
LOGIN_LIMIT = 4
PROXY_CACHE_SECONDS = 2
PASSWORD = "Mat-khau-hai-may-chu-2026"
NGINX_MAIN = """
daemon off;
worker_processes 1;
user {user};
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
  client_body_temp_path {tmp}/body;
  proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi;
  scgi_temp_path {tmp}/scgi;
  include {tmp}/portal.conf;
}}
"""


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _postgres_url():
    url = os.environ.get("DATABASE_URL", "")
    base = url.rpartition("/")[0] if url.startswith("postgresql") else "postgresql://postgres@127.0.0.1:5432"
    name = f"portal_two_servers_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    try:
        engine = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first():
                conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        engine.dispose()
    except Exception as exc:  # no server to run against: say so
        pytest.skip(f"PostgreSQL is not reachable ({type(exc).__name__})")
    return f"{base}/{name}"


def _redis_url():
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as exc:
        pytest.skip(f"Redis is not reachable ({type(exc).__name__})")
    return url


def _tail(path):
    with open(path) as f:
        return f.read()[-3000:]


def _wait_until_up(port, process, log, tls=False):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server on {port} exited:\n{_tail(log)}")
        try:
            if tls:
                conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=2, context=_tls_context())
            else:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz", headers={"Host": "localhost"})
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    pytest.fail(f"server on {port} did not start:\n{_tail(log)}")


def _tls_context():
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the test's own self-signed certificate
    return context


def _render_nginx(tmp, ports, media_root):
    """deploy/nginx/portal.conf with this machine's addresses, ports and folders (and a self-signed certificate)."""
    with open(os.path.join(ROOT, "deploy", "nginx", "portal.conf"), encoding="utf-8") as f:
        conf = f.read()
    for old, new in (
        ("10.0.0.11:8000", f"127.0.0.1:{ports['a']}"),
        ("10.0.0.12:8000", f"127.0.0.1:{ports['b']}"),
        ("listen 443 ssl", f"listen 127.0.0.1:{ports['https']} ssl"),
        ("listen 80;", f"listen 127.0.0.1:{ports['http']};"),
        ("/var/cache/nginx/portal", f"{tmp}/nginx-cache"),
        ("/etc/ssl/portal/", f"{tmp}/"),
        ("/var/www/acme", f"{tmp}/acme"),
        ("/srv/portal/app/app/static/", f"{ROOT}/app/static/"),
        ("/srv/portal/media/", f"{media_root}/"),
        ("binhphuoc.gov.vn", "localhost"),
    ):
        assert old in conf, f"deploy/nginx/portal.conf no longer holds {old!r}"
        conf = conf.replace(old, new)
    conf = "\n".join(line for line in conf.splitlines() if "listen [::]" not in line)
    with open(os.path.join(tmp, "portal.conf"), "w", encoding="utf-8") as f:
        f.write(conf)
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
         "-keyout", f"{tmp}/privkey.pem", "-out", f"{tmp}/fullchain.pem"],
        check=True, capture_output=True,
    )  # fmt: skip
    main = os.path.join(tmp, "nginx.conf")
    with open(main, "w", encoding="utf-8") as f:
        f.write(NGINX_MAIN.format(tmp=tmp, user=pwd.getpwuid(os.geteuid())[0]))
    return main


def _overrides(database_url, redis_url, prefix, media_root):
    return {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "CACHE_TYPE": "RedisCache",
        "CACHE_REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": f"{prefix}:cache:",
        "RATELIMIT_STORAGE_URI": redis_url,
        "RATELIMIT_KEY_PREFIX": f"{prefix}:limits",
        "LOGIN_RATE_LIMIT": f"{LOGIN_LIMIT} per minute",
        "PAGE_CACHE_SECONDS": 60,
        "PROXY_CACHE_SECONDS": PROXY_CACHE_SECONDS,
        "COMPRESS_RESPONSES": False,
        "PROXY_FIX": 1,
        "MEDIA_ROOT": media_root,
        "MEDIA_ACCEL_REDIRECT": "/_media/",
        "BACKUP_DIR": os.path.join(media_root, "..", "backups"),
    }


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    if not NGINX:
        pytest.skip("the Debian package nginx is not installed (make test installs it)")
    database_url, redis_url = _postgres_url(), _redis_url()
    tmp = str(tmp_path_factory.mktemp("two-servers"))
    media_root = os.path.join(tmp, "media")
    os.makedirs(media_root)
    overrides = _overrides(database_url, redis_url, f"two-servers-{uuid.uuid4().hex[:8]}", media_root)

    from app import create_app
    from app.auth.operations import ensure_user, issue_token
    from app.core.models import Tenant
    from app.core.tenant_sync import sync_tenants
    from app.extensions import db

    setup = create_app("testing", overrides)
    tokens = {}
    with setup.app_context():
        db.drop_all()
        db.create_all()
        sync_tenants(setup.config["TENANTS_DIR"])
        stc = db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalars().one()
        for role in ("contributor", "head", "editor"):
            user, _ = ensure_user(f"{role}.stc@two.test.vn", stc, role, password=PASSWORD)
            tokens[role] = issue_token(user)
        db.session.commit()
        db.engine.dispose()

    ports = {name: _free_port() for name in ("a", "b", "http", "https")}
    processes, logs = {}, {}
    for name, workers in (("a", 2), ("b", 2)):
        logs[name] = os.path.join(tmp, f"{name}.log")
        with open(logs[name], "w") as out:
            processes[name] = subprocess.Popen(
                [GUNICORN, "-c", "gunicorn.conf.py", "--workers", str(workers), "--bind", f"127.0.0.1:{ports[name]}",
                 "--no-control-socket", "--graceful-timeout", "1", f"app:create_app('testing', {overrides!r})"],
                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "LOG_LEVEL": "WARNING"},
            )  # fmt: skip
    conf = _render_nginx(tmp, ports, media_root)
    logs["nginx"] = os.path.join(tmp, "nginx.log")
    with open(logs["nginx"], "w") as out:
        processes["nginx"] = subprocess.Popen(
            [NGINX, "-p", tmp, "-e", f"{tmp}/nginx-error.log", "-c", conf], stdout=out, stderr=subprocess.STDOUT
        )
    try:
        for name in ("a", "b"):
            _wait_until_up(ports[name], processes[name], logs[name])
        _wait_until_up(ports["https"], processes["nginx"], logs["nginx"], tls=True)
        yield {"ports": ports, "tokens": tokens, "media_root": media_root, "tmp": tmp}
    finally:
        for process in processes.values():
            process.send_signal(signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


class Browser:
    """One visitor (a loopback source address and its cookies) reaching ``via``: "a", "b" or "nginx"."""

    def __init__(self, cluster, address="127.0.0.2"):
        self.cluster, self.address, self.cookies = cluster, address, {}

    def request(self, via, method, path, host="stc.localhost", body=None, headers=None):
        headers = dict(headers or {})
        ports = self.cluster["ports"]
        if via == "nginx":
            conn = http.client.HTTPSConnection(
                "127.0.0.1", ports["https"], timeout=15, context=_tls_context(), source_address=(self.address, 0)
            )
            headers["Host"] = host
        else:  # straight to one app server, with what nginx would add
            conn = http.client.HTTPConnection("127.0.0.1", ports[via], timeout=15, source_address=(self.address, 0))
            headers.update({"Host": host, "X-Forwarded-Host": host, "X-Forwarded-For": self.address,
                            "X-Forwarded-Proto": "https"})  # fmt: skip
        if method == "POST":
            headers.setdefault("Referer", f"https://{host}{path}")  # as a browser sends (CSRF check over https)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name] = value
        conn.close()
        return response, data

    def get(self, via, path, **kwargs):
        return self.request(via, "GET", path, **kwargs)

    def csrf(self, via, path="/login"):
        _, html = self.get(via, path)
        match = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
            rb'value="([^"]+)"[^>]*name="csrf_token"', html
        )
        return match.group(1).decode()

    def login(self, via_form, via_post, email, password=PASSWORD):
        token = self.csrf(via_form)
        body = urlencode({"email": email, "password": password, "csrf_token": token})
        response, _ = self.request(
            via_post, "POST", "/login", body=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
        return response.status


def _api(cluster, via, method, path, role, payload=None):
    headers = {"Authorization": f"Bearer {cluster['tokens'][role]}", "Content-Type": "application/json"}
    response, data = Browser(cluster).request(via, method, path, body=json.dumps(payload or {}), headers=headers)
    assert response.status < 300, (method, path, response.status, data[:500])
    return json.loads(data)


def _publish_through(cluster, via, title):
    """Write, submit and approve an article on stc through server ``via`` (the staff API)."""
    item = _api(cluster, via, "POST", "/api/v1/articles", "contributor", {"title": title, "body": "<p>Nội dung</p>"})
    _api(cluster, via, "POST", f"/api/v1/articles/{item['id']}/transitions", "contributor", {"action": "submit"})
    _api(cluster, via, "POST", f"/api/v1/articles/{item['id']}/transitions", "head", {"action": "approve"})
    return item


def test_a_page_published_on_a_is_visible_on_b_at_once(cluster):
    """Issue 14: B's cached copy of the list goes stale the moment A commits (the generation is in Redis)."""
    visitor = Browser(cluster)
    visitor.get("b", "/news/")
    response, _ = visitor.get("b", "/news/")
    assert response.getheader("X-Page-Cache") == "hit"
    _publish_through(cluster, "a", "Tin dang qua may chu A")
    response, html = visitor.get("b", "/news/")
    assert response.getheader("X-Page-Cache") == "miss" and "Tin dang qua may chu A" in html.decode()
    response, _ = visitor.get("a", "/news/")  # A's workers read B's copy from the same store
    assert response.getheader("X-Page-Cache") == "hit"


def test_another_sites_cache_stays_warm(cluster):
    """Issue 14: publishing on stc leaves dongxoai's pages cached on both servers."""
    visitor = Browser(cluster)
    visitor.get("a", "/news/", host="dongxoai.localhost")
    _publish_through(cluster, "b", "Tin rieng cua stc")
    for via in ("a", "b"):
        response, _ = visitor.get(via, "/news/", host="dongxoai.localhost")
        assert response.getheader("X-Page-Cache") == "hit"


def test_nginx_micro_caches_anonymous_pages_for_s_maxage(cluster):
    """Anonymous pages are kept by nginx for PROXY_CACHE_SECONDS, and a new article shows once that is over."""
    visitor = Browser(cluster)
    path = f"/news/?page=1&probe={uuid.uuid4().hex[:6]}"
    first, _ = visitor.get("nginx", path)
    second, _ = visitor.get("nginx", path)
    assert first.status == 200 and first.getheader("X-Cache-Status") == "MISS"
    assert second.getheader("X-Cache-Status") == "HIT"
    assert f"s-maxage={PROXY_CACHE_SECONDS}" in second.getheader("Cache-Control")
    _publish_through(cluster, "a", "Tin sau bo dem nginx")
    time.sleep(PROXY_CACHE_SECONDS + 1.5)
    deadline = time.monotonic() + 5
    while True:  # the first request after expiry may be answered stale while nginx updates (background update)
        response, html = visitor.get("nginx", path)
        if "Tin sau bo dem nginx" in html.decode() or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert "Tin sau bo dem nginx" in html.decode()


def test_a_signed_in_visitor_never_gets_the_shared_copy(cluster):
    visitor = Browser(cluster, "127.0.0.4")
    assert visitor.login("nginx", "nginx", "editor.stc@two.test.vn") == 302
    for _ in range(4):
        response, html = visitor.get("nginx", "/news/")
        assert response.getheader("X-Cache-Status") == "BYPASS" and b"/admin/" in html
        assert "private" in response.getheader("Cache-Control")


def test_a_login_works_whichever_server_answers(cluster):
    """The form from A, the POST to B, the back office from A, B and nginx (which alternates between them)."""
    visitor = Browser(cluster, "127.0.0.5")
    assert visitor.login("a", "b", "editor.stc@two.test.vn") == 302
    for via in ("a", "b", "nginx", "nginx", "nginx"):
        response, _ = visitor.get(via, "/admin/")
        assert response.status == 200, via
    anonymous, _ = Browser(cluster, "127.0.0.6").get("b", "/admin/")
    assert anonymous.status in (302, 401, 403)


def test_rate_limits_are_counted_once_over_both_servers(cluster):
    """The login limit (LOGIN_LIMIT a minute) holds over A, B and nginx together: it is not doubled."""
    if time.time() % 60 > 45:  # the limit counts per minute (fixed window): start in a fresh one
        time.sleep(61 - time.time() % 60)
    visitor = Browser(cluster, "127.0.0.7")
    statuses = [visitor.login(via, via, "nobody@two.test.vn", "sai") for via in ("a", "b", "a", "b", "nginx")]
    assert [s == 429 for s in statuses] == [False] * LOGIN_LIMIT + [True]
    assert Browser(cluster, "127.0.0.8").login("b", "b", "nobody@two.test.vn", "sai") != 429


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 16, 46)).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_media_file_uploaded_through_a_is_served_through_b(cluster):
    """The upload lands in the shared media folder; B allows it (tenant check) and nginx sends the file."""
    editor = Browser(cluster, "127.0.0.9")
    assert editor.login("a", "a", "editor.stc@two.test.vn") == 302
    token = editor.csrf("a", "/admin/media/")
    boundary = uuid.uuid4().hex
    png = _png()
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="logo.png"\r\n'
            "Content-Type: image/png\r\n\r\n"
        ).encode()
        + png
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response, data = editor.request(
        "a", "POST", "/admin/media/upload", body=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}", "Accept": "application/json"},
    )  # fmt: skip
    assert response.status == 200, data[:300]
    url = json.loads(data)["stored"][0]["url"]
    path = "/" + url.split("/", 3)[3] if url.startswith("http") else url
    name = path.rsplit("/", 1)[1]
    visitor = Browser(cluster, "127.0.0.10")
    on_b, _ = visitor.get("b", path)
    assert on_b.status == 200 and on_b.getheader("X-Accel-Redirect") == f"/_media/{name}"
    for _ in range(2):  # nginx alternates between A and B
        served, content = visitor.get("nginx", path)
        assert served.status == 200 and served.getheader("Content-Type") == on_b.getheader("Content-Type")
        assert Image.open(io.BytesIO(content)).size == (64, 48)
        assert "sandbox" in served.getheader("Content-Security-Policy")
    elsewhere, _ = visitor.get("nginx", path, host="dongxoai.localhost")
    assert elsewhere.status == 404  # the app still decides: another tenant's file does not exist there
    direct, _ = visitor.get("nginx", f"/_media/{name}")
    assert direct.status == 404  # the internal location is not reachable from outside
