"""Public pages under wrk, against a Flask "hello" floor in the same run (issue 14).

Serves the portal with gunicorn (gunicorn.conf.py, ``--workers`` sync workers) on a database that already holds
the demo data (``DATABASE_URL``; ``flask demo load`` first), once without the page cache and once with it in
Redis (``--redis``), and the floor (bench/hello.py) under the same gunicorn. Each page gets ``wrk -c
--connections`` for ``--duration`` seconds; the cached pages also get ``--p99-connections`` for the p99. Figures
are ratios to the floor, so runs on a busy machine still compare. ``--readme`` rewrites the pages section of
bench/README.md with the table.

    DATABASE_URL=postgresql://... .venv/bin/python bench/wrk_pages.py --duration 10 --readme
"""

import argparse
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.dirname(sys.executable)
README = os.path.join(ROOT, "bench", "README.md")
BEGIN, END = "<!-- pages:begin -->", "<!-- pages:end -->"
PAGES = [
    ("localhost", "/", "portal home"),
    ("localhost", "/news/", "portal news list"),
    ("localhost", "/search?q=ngan+sach", "portal search"),
    ("stc.localhost", "/", "subsite home (stc)"),
    ("stc.localhost", "/news/", "subsite news list"),
    ("stc.localhost", "/procedures/", "subsite procedures list"),
    ("stc.localhost", "/documents/", "subsite documents list"),
    ("stc.localhost", "{article}", "subsite article"),
    ("dongxoai.localhost", "/", "subsite home (dongxoai)"),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ready(port, host):
    """Wait until a real request is answered (gunicorn listens before its workers have imported the app)."""
    import http.client

    for _ in range(600):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", "/", headers={"Host": host})
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"nothing answered on {port}")


def serve(app, env, workers):
    port = free_port()
    command = [os.path.join(BIN, "gunicorn"), "-c", "gunicorn.conf.py", "--workers", str(workers), "--bind",
               f"127.0.0.1:{port}", "--no-control-socket", "--max-requests", "0", app]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ready(port, "localhost")
    return port, process


def wrk(port, host, path, duration, connections):
    """``{"rps", "p50", "p99", "errors"}`` of one wrk run (latencies in ms)."""
    threads = min(2, connections)
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "-H", f"Host: {host}",
         f"http://127.0.0.1:{port}{path}"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    percentiles = {p: _ms(v) for p, v in re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.M)}
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    errors += sum(int(n) for n in re.findall(r"Socket errors: .*?(\d+)", out))
    return {"rps": rps, "p50": percentiles.get("50"), "p99": percentiles.get("99"), "errors": errors}


def _ms(value):
    number, unit = re.fullmatch(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def an_article(env):
    """The address of one published stc article (the demo data's first)."""
    code = (
        "from app import create_app\nfrom sqlalchemy import select\nfrom app.core.models import Tenant\n"
        "from app.news.models import Article\nfrom app.workflow.models import visible_filter\n"
        "from app.extensions import db\napp = create_app()\nwith app.app_context():\n"
        "    stc = db.session.execute(select(Tenant).where(Tenant.code == 'stc')).scalar_one()\n"
        "    print(db.session.execute(select(Article.slug).where(Article.tenant_id == stc.id, visible_filter(Article))"
        ".order_by(Article.id)).scalars().first())\n"
    )
    slug = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return f"/news/{slug.stdout.strip().splitlines()[-1]}"


def measure(env, args, pages, connections):
    port, process = serve("wsgi:app", env, args.workers)
    try:
        for host, path, _ in pages:  # warm up: every worker's host map, templates and (if on) the page cache
            wrk(port, host, path, 1, 4)
        return [wrk(port, host, path, args.duration, connections) for host, path, _ in pages]
    finally:
        process.terminate()
        process.wait(timeout=20)


def floor(args, connections):
    port, process = serve("bench.hello:app", dict(os.environ, PYTHONPATH=ROOT), args.workers)
    try:
        wrk(port, "localhost", "/", 1, 4)
        return wrk(port, "localhost", "/", args.duration, connections)
    finally:
        process.terminate()
        process.wait(timeout=20)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--p99-connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--redis", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5"))
    parser.add_argument("--readme", action="store_true", help="write the table into bench/README.md")
    parser.add_argument("--note", default="", help="what else ran on the machine (goes into the README)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian package wrk)")
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("set DATABASE_URL to a database holding the demo data (flask demo load)")
    env = dict(os.environ, APP_ENV="production", SECRET_KEY=secrets.token_hex(32), PUBLIC_SCHEME="http",
               LOG_LEVEL="WARNING", HSTS_SECONDS="0", PROXY_CACHE_SECONDS="0")  # fmt: skip
    env.pop("REDIS_URL", None)
    pages = [(h, p.format(article=an_article(env)), label) for h, p, label in PAGES]
    started = datetime.now(UTC)
    floors = [floor(args, args.connections)]
    uncached = measure(dict(env, PAGE_CACHE_SECONDS="0"), args, pages, args.connections)
    cached_env = dict(env, PAGE_CACHE_SECONDS="60", REDIS_URL=args.redis)
    floors.append(floor(args, args.connections))
    cached = measure(cached_env, args, pages, args.connections)
    floor64 = floor(args, args.p99_connections)
    cached64 = measure(cached_env, args, pages, args.p99_connections)
    floors.append(floor(args, args.connections))
    base = sum(f["rps"] for f in floors) / len(floors)
    table = render(args, pages, floors, base, uncached, cached, floor64, cached64, started)
    print(table)
    if args.readme:
        write_readme(table)
    bad = sum(r["errors"] for r in (*uncached, *cached, *cached64))
    return 1 if bad else 0


def render(args, pages, floors, base, uncached, cached, floor64, cached64, started):
    spread = ", ".join(f"{f['rps']:.0f}" for f in floors)
    lines = [
        f"Run {started:%Y-%m-%d %H:%M} UTC: gunicorn sync x{args.workers} (gunicorn.conf.py), wrk -t2 "
        f"-c{args.connections} -d{args.duration}s on loopback, demo data on "
        f"{os.environ['DATABASE_URL'].split('://')[0]}, production config; page cache in Redis.",
        f"Floor (Flask hello, same gunicorn): {base:.0f} req/s (runs: {spread}); at -c{args.p99_connections}: "
        f"{floor64['rps']:.0f} req/s, p99 {floor64['p99']:.1f} ms.",
        "",
        f"| page | uncached req/s | × floor | p50 ms | cached req/s | × floor | p99 ms (c{args.connections}) "
        f"| cached -c{args.p99_connections} req/s | p99 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for (host, path, label), u, c, c64 in zip(pages, uncached, cached, cached64, strict=True):
        lines.append(
            f"| {label} `{host}{path}` | {u['rps']:.0f} | {u['rps'] / base:.3f} | {u['p50']:.1f} | {c['rps']:.0f} "
            f"| {c['rps'] / base:.2f} | {c['p99']:.1f} | {c64['rps']:.0f} | {c64['p99']:.1f} |"
        )
    return "\n".join(lines)


def write_readme(table):
    text = "# Benchmarks\n"
    if os.path.exists(README):
        with open(README, encoding="utf-8") as f:
            text = f.read()
    section = f"{BEGIN}\n{table}\n{END}"
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + section + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    with open(README, "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    sys.exit(main())
