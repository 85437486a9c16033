"""Search latency over HTTP against gunicorn (issue 13): p50/p95/p99 of ``/api/v1/search`` and ``/search``.

Serves an already loaded database (``flask demo load --scale N``) with one gunicorn worker on a free port,
page cache off, and sends the 30 fixed queries below (15 Vietnamese queries, each typed with and without
diacritics) from one client, one request at a time: a warm-up round, then ``--rounds`` measured rounds.

    DATABASE_URL=sqlite:///instance/bench.db .venv/bin/python bench/search.py --rounds 5 [--write]

``--write`` puts the result row into the search section of bench/README.md (replacing the row of the same
database and size).
"""

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from urllib.parse import quote

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
README = os.path.join(ROOT, "bench", "README.md")
START, END = "<!-- search-bench:start -->", "<!-- search-bench:end -->"

QUERIES_VI = [
    "Đồng Xoài",
    "ngân sách",
    "công khai dự toán",
    "thủ tục hành chính",
    "giấy phép xây dựng",
    "quyền sử dụng đất",
    "hạt điều xuất khẩu",
    "chuyển đổi số",
    "tiếp công dân",
    "Bù Gia Mập",
    "khu công nghiệp",
    "lễ hội Sóc Bom Bo",
    "quy hoạch tỉnh",
    "phòng chống cháy rừng",
    "cao su",
]
QUERIES = QUERIES_VI + [
    "dong xoai",
    "ngan sach",
    "cong khai du toan",
    "thu tuc hanh chinh",
    "giay phep xay dung",
    "quyen su dung dat",
    "hat dieu xuat khau",
    "chuyen doi so",
    "tiep cong dan",
    "bu gia map",
    "khu cong nghiep",
    "le hoi soc bom bo",
    "quy hoach tinh",
    "phong chong chay rung",
    "cao su",
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def entries(url):
    """``(items, index entries)`` of the database: reviewable items of the bulk types and search entries."""
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(url)
    with engine.connect() as conn:
        indexed = conn.execute(text("SELECT count(*) FROM search_entry")).scalar()
        # Reviewable items: the rows of every table with review states (revision copies included).
        reviewable = [
            name
            for name in inspect(conn).get_table_names()
            if {"state", "revision_of_id"} <= {c["name"] for c in inspect(conn).get_columns(name)}
        ]
        items = sum(conn.execute(text(f"SELECT count(*) FROM {name}")).scalar() for name in reviewable)  # noqa: S608
    engine.dispose()
    return items, indexed


def serve(url, port, cache_seconds):
    # A broad uncached query on PostgreSQL at 200k items takes longer than gunicorn's default 30 s.
    env = dict(os.environ, DATABASE_URL=url, LOG_LEVEL="WARNING", PAGE_CACHE_SECONDS="0")
    env.update(GUNICORN_TIMEOUT="120", SEARCH_CACHE_SECONDS=cache_seconds)
    process = subprocess.Popen(
        [os.path.join(ROOT, ".venv", "bin", "gunicorn"), "-w", "1", "-b", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz", headers={"Host": "localhost"})
            if conn.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    sys.exit("gunicorn did not start")


def timed(conn, path):
    start = time.perf_counter()
    conn.request("GET", path, headers={"Host": "localhost"})
    response = conn.getresponse()
    response.read()
    elapsed = (time.perf_counter() - start) * 1000
    if response.status != 200:
        raise SystemExit(f"{path}: {response.status}")
    return elapsed


def percentile(values, p):
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def measure(port, rounds):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    paths = {
        "api": [f"/api/v1/search?q={quote(q)}" for q in QUERIES],
        "page": [f"/search?q={quote(q)}" for q in QUERIES],
    }
    results = {}
    for name, urls in paths.items():
        # Warm-up: the first request of each query (with the search cache on, the uncached cost).
        first = [timed(conn, url) for url in urls]
        samples, slowest = [], {}
        for _ in range(rounds):
            for url in urls:
                elapsed = timed(conn, url)
                samples.append(elapsed)
                slowest[url] = max(slowest.get(url, 0), elapsed)
        worst = max(slowest, key=slowest.get)
        results[name] = {
            "p50": percentile(samples, 50),
            "p95": percentile(samples, 95),
            "p99": percentile(samples, 99),
            "mean": statistics.mean(samples),
            "n": len(samples),
            "worst": (worst, slowest[worst]),
            "first_p50": percentile(first, 50),
            "first_max": max(first),
        }
    return results


def row(database, items, indexed, results, note):
    api, page = results["api"], results["page"]
    return (
        f"| {database} | {items:,} | {indexed:,} | {api['p50']:.1f} | {api['p95']:.1f} | {api['p99']:.1f} | "
        f"{page['p50']:.1f} | {page['p95']:.1f} | {page['p99']:.1f} | {api['n']} | {note} |"
    )


def write(line, database, items):
    text = ""
    if os.path.exists(README):
        with open(README, encoding="utf-8") as fh:
            text = fh.read()
    if START not in text:
        text += (
            f"\n## Search (issue 13, bench/search.py)\n\n{START}\n"
            "| database | items | index entries | API p50 ms | API p95 | API p99 | page p50 | page p95 | page p99 "
            "| requests each | notes |\n|---|---|---|---|---|---|---|---|---|---|---|\n"
            f"{END}\n"
        )
    head, rest = text.split(START, 1)
    table, tail = rest.split(END, 1)
    size = f"| {database} | {items:,} |"
    lines = [ln for ln in table.strip("\n").split("\n") if ln and not ln.startswith(size)]
    lines.append(line)

    def order(ln):
        return ln.split("|")[1], int(re.sub(r"\D", "", ln.split("|")[2]))

    header, body = lines[:2], sorted(lines[2:], key=order)
    with open(README, "w", encoding="utf-8") as fh:
        fh.write(head + START + "\n" + "\n".join(header + body) + "\n" + END + tail)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="put the row into bench/README.md")
    parser.add_argument("--note", default="", help="what else ran on the machine")
    parser.add_argument("--modes", default="off,on", help="search cache modes to measure: off,on")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL")
    if not url:
        sys.exit("DATABASE_URL: the database to serve (loaded with flask demo load --scale N)")
    database = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    items, indexed = entries(url)
    modes = {"off": ("search cache off", "0"), "on": ("search cache on", "300")}
    for mode, seconds in (modes[m] for m in args.modes.split(",")):
        port = free_port()
        process = serve(url, port, seconds)
        try:
            results = measure(port, args.rounds)
        finally:
            process.terminate()
            process.wait()
        for name, r in results.items():
            print(
                f"{database} {items} items, {mode}, {name}: p50 {r['p50']:.1f} ms, p95 {r['p95']:.1f} ms, "
                f"p99 {r['p99']:.1f} ms, mean {r['mean']:.1f} ms over {r['n']} requests; "
                f"slowest {r['worst'][0]} {r['worst'][1]:.0f} ms; first request of each query: "
                f"p50 {r['first_p50']:.0f} ms, max {r['first_max']:.0f} ms"
            )
        line = row(f"{database}, {mode}", items, indexed, results, args.note)
        print(line)
        if args.write:
            write(line, f"{database}, {mode}", items)


if __name__ == "__main__":
    main()
