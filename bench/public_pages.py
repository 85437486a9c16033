"""Load benchmark of public pages against gunicorn on loopback (R-27, "fast under load").

Starts gunicorn on a free port with the demo database (loading demo data into a scratch SQLite file
unless DATABASE_URL is set), then for each page runs a bounded closed-loop load (CONCURRENCY threads for
DURATION seconds) and reports requests per second and latency percentiles. Results are reported as
ratios to /healthz measured in the same run (the framework's floor), so machines can be compared.

    .venv/bin/python bench/public_pages.py [--duration 5] [--concurrency 8]
"""

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAGES = [
    ("localhost", "/healthz"),
    ("localhost", "/"),
    ("stc.localhost", "/"),
    ("localhost", "/news/"),
    ("stc.localhost", "/contact"),
    ("localhost", "/links/"),
    ("localhost", "/search?q=ngan+sach"),
    ("localhost", "/api/v1/tenants"),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load(port, host, path, duration, concurrency):
    latencies, errors = [], [0]
    deadline = time.monotonic() + duration
    lock = threading.Lock()

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        local = []
        while time.monotonic() < deadline:
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Host": host})
                response = conn.getresponse()
                response.read()
                if response.status >= 400:
                    errors[0] += 1
            except (OSError, http.client.HTTPException):
                errors[0] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                continue
            local.append(time.perf_counter() - start)
        conn.close()
        with lock:
            latencies.extend(local)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    count = len(latencies)
    return {
        "rps": count / duration,
        "p50": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p95": latencies[int(count * 0.95) - 1] * 1000 if count > 20 else float("nan"),
        "errors": errors[0],
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    env = dict(os.environ)
    scratch = tempfile.mkdtemp(prefix="portal-bench-")
    env.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.db")
    env["MEDIA_ROOT"] = os.path.join(scratch, "media")
    env["LOG_LEVEL"] = "WARNING"
    flask = [os.path.join(ROOT, ".venv", "bin", "flask"), "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([*flask, "demo", "load", "--if-empty"], cwd=ROOT, env=env, check=True, capture_output=True)
    runs = {}
    for mode, seconds in (("no page cache", "0"), ("page cache", "60")):
        runs[mode] = measure(dict(env, PAGE_CACHE_SECONDS=seconds), args)
    report(runs, args)
    return 0 if all(r["errors"] == 0 for results in runs.values() for _, _, r in results) else 1


def measure(env, args):
    """Serve with gunicorn under ``env`` and load every page; return ``[(host, path, result)]``."""
    port = free_port()
    server = subprocess.Popen(
        [
            os.path.join(ROOT, ".venv", "bin", "gunicorn"),
            "-w",
            str(args.workers),
            "-b",
            f"127.0.0.1:{port}",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        for host, path in PAGES:  # warm up every worker's caches
            load(port, host, path, 0.5, 2)
        results = [(host, path, load(port, host, path, args.duration, args.concurrency)) for host, path in PAGES]
    finally:
        server.terminate()
        server.wait(timeout=10)
    return results


def report(runs, args):
    print(f"gunicorn -w {args.workers}, {args.concurrency} concurrent clients, {args.duration:.0f} s per page")
    base, cached = runs["no page cache"], runs["page cache"]
    floor = base[0][2]["rps"]
    print(f"{'page':<38} {'req/s':>7} {'x healthz':>9} {'p95 ms':>7} | {'cached':>7} {'x uncached':>10} {'p95 ms':>7}")
    for (host, path, r), (_, _, c) in zip(base, cached, strict=True):
        ratio = r["rps"] / floor if floor else float("nan")
        gain = c["rps"] / r["rps"] if r["rps"] else float("nan")
        left = f"{host + path:<38} {r['rps']:7.0f} {ratio:9.2f} {r['p95']:7.1f}"
        print(f"{left} | {c['rps']:7.0f} {gain:10.1f} {c['p95']:7.1f}")


if __name__ == "__main__":
    sys.exit(main())
