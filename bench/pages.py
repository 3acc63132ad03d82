"""Benchmark of the reading pages under gunicorn, next to a minimal Flask hello route.

For each library (the demo library, and ``tercul seed --synthetic N``) this script
builds a SQLite database once under ``bench/out/`` (reused afterwards), starts
gunicorn (2 sync workers on loopback) for Tercul and for a bare Flask app with one
hello route, and measures with ``wrk`` (16 connections) the requests per second and
the p50/p99 latency of:

- ``/hello`` on the bare Flask app (the baseline),
- ``/healthz`` on Tercul (what every Tercul request costs before any page: security
  headers, session, the app's extensions),
- ``/works`` (browse, first page, default sort),
- a work page (``/works/<slug>``: a poem beside one translation),
- work pages taken in turn from up to 2,000 different works, so that most requests
  miss the rendered-HTML cache (a work page costs this the first time it is read).

It prints one table per library with the ratios to the hello route, and the goal of
issue 3: the work page at >= 40% of hello's throughput with p99 < 25 ms on the
synthetic library.

``--observability compare`` serves Tercul twice, side by side in the same rounds: once
with metrics, traces and JSON logs off, once with them all on (Prometheus multiprocess
metrics, spans exported over OTLP/HTTP to a receiver in this process, JSON access log
written to ``bench/out/observability.log``), and prints each page's figures for both
(issue 18: within 10%), then CPU per request in process for off, on (traces sampled at
the app's default, 10%) and on with every request traced. ``on`` measures only the
second; ``cpu`` only the in-process CPU table (no servers, no wrk). Usage::

    .venv/bin/python bench/pages.py                       # demo and synthetic 100000
    .venv/bin/python bench/pages.py --library demo --duration 5
    .venv/bin/python bench/pages.py --synthetic 20000
    .venv/bin/python bench/pages.py --library demo --observability compare
    .venv/bin/python bench/pages.py --library demo --observability cpu --rounds 5

``wrk`` comes from Debian (``apt-get install wrk``); without it a Python load
generator (threads and ``http.client``) is used and the output says so: on a small
machine it competes with the servers for CPU, so its figures are lower bounds.
"""
from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import platform
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
BIN = Path(sys.executable).parent

# the baseline: the smallest Flask app there is (gunicorn imports it from here)
hello_app = Flask("hello")


@hello_app.get("/hello")
def hello():
    return "Hello, World!"


@dataclass
class Result:
    name: str
    path: str
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tercul_env(database: Path, observability: str = "off", otlp: str | None = None) -> dict[str, str]:
    env = dict(os.environ)
    for name in [n for n in env if n.startswith("OTEL_")] + ["PROMETHEUS_MULTIPROC_DIR"]:
        env.pop(name, None)
    if observability == "on":
        metrics_dir = OUT / "metrics"
        shutil.rmtree(metrics_dir, ignore_errors=True)
        metrics_dir.mkdir(parents=True)
        env.update({"METRICS_ENABLED": "true", "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir), "LOG_FORMAT": "json",
                    "LOG_ACCESS": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": otlp or "", "OTEL_SERVICE_NAME": "bench"})
        if ARGS.trace_sample is not None:  # the SDK's standard sampler variables (else the app's 10%)
            env.update({"OTEL_TRACES_SAMPLER": "parentbased_traceidratio",
                        "OTEL_TRACES_SAMPLER_ARG": str(ARGS.trace_sample)})
    else:
        env.update({"METRICS_ENABLED": "false", "LOG_FORMAT": "plain", "LOG_ACCESS": "false"})
    env.update({
        "DATABASE_URL": f"sqlite:///{database}",
        "TERCUL_ENV": "development",
        "SECRET_KEY": "benchmark-only-secret-key-benchmark-only",
        "RATELIMIT_ENABLED": "false",  # the benchmark is one client hammering the server
        # measure serving pages, not the search indexing that a new library queues
        "JOBS_IN_PROCESS": "false",
        "TERCUL_INSTANCE": str(OUT / "instance"),
    })
    env.pop("REDIS_URL", None)
    env.pop("BROKER_URL", None)
    return env


def build_library(kind: str, count: int) -> Path:
    """The library's database, built on first use (``tercul demo`` / ``tercul seed``)."""
    OUT.mkdir(parents=True, exist_ok=True)
    database = OUT / ("demo.sqlite" if kind == "demo" else f"synthetic-{count}.sqlite")
    marker = database.with_suffix(".ready")
    env = tercul_env(database)
    tercul = str(BIN / "tercul")
    # the schema may have moved on since the library was built
    subprocess.run([tercul, "db", "upgrade"], env=env, check=True, capture_output=True)
    if marker.exists() and database.exists():
        return database
    log(f"building the {kind} library in {database} (once)...")
    command = [tercul, "demo"] if kind == "demo" else [tercul, "seed", "--synthetic", str(count)]
    subprocess.run(command, env=env, check=True)
    # SQLite plans by the statistics ANALYZE gathers (PostgreSQL gathers its own)
    with sqlite3.connect(database) as db:
        db.execute("ANALYZE")
    marker.write_text(dt.datetime.now(dt.timezone.utc).isoformat())
    return database


def pick_work(database: Path) -> str:
    """A poem with translations from the middle of the library, read beside one translation."""
    with sqlite3.connect(database) as db:
        total = db.execute("SELECT count(*) FROM works WHERE current_revision_id IS NOT NULL "
                           "AND translation_count > 0 AND form = 'poetry'").fetchone()[0]
        slug, key = db.execute(
            "SELECT w.slug, (SELECT t.key FROM translations t WHERE t.work_id = w.id ORDER BY t.key LIMIT 1) "
            "FROM works w WHERE w.current_revision_id IS NOT NULL AND w.translation_count > 0 "
            "AND w.form = 'poetry' ORDER BY w.id LIMIT 1 OFFSET ?", (total // 2,)).fetchone()
        counts = db.execute("SELECT (SELECT count(*) FROM works), (SELECT count(*) FROM translations), "
                            "(SELECT count(*) FROM text_lines)").fetchone()
    log(f"library {database.name}: {counts[0]} works, {counts[1]} translations, {counts[2]} lines")
    return f"/works/{slug}?with={key}"


def many_works(database: Path, n: int = 2000) -> list[str]:
    """Paths of up to ``n`` works with a text, spread over the library (deterministic)."""
    with sqlite3.connect(database) as db:
        total = db.execute("SELECT count(*) FROM works WHERE current_revision_id IS NOT NULL").fetchone()[0]
        step = max(1, total // n)
        slugs = [row[0] for row in db.execute(
            "SELECT slug FROM (SELECT slug, row_number() OVER (ORDER BY id) AS r FROM works "
            "WHERE current_revision_id IS NOT NULL) WHERE r % ? = 0 LIMIT ?", (step, n))]
    return [f"/works/{slug}" for slug in slugs]


class Server:
    """gunicorn serving ``app`` on a free loopback port, stopped on exit."""

    def __init__(self, app: str, env: dict[str, str], workers: int, cwd: Path, extra: tuple[str, ...] = (),
                 log: Path | None = None):
        self.port = free_port()
        self.log = log.open("ab") if log else None
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{self.port}",
             "--log-level", "warning", "--backlog", "2048", "--no-control-socket", *extra, app],
            env=env, cwd=cwd, stderr=self.log)

    def wait(self, path: str) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", path)
                status = conn.getresponse().status
                conn.close()
                if status == 200:
                    return
                raise RuntimeError(f"{path} answered {status}")
            except (ConnectionError, OSError):
                time.sleep(.2)
        raise RuntimeError("the server did not start")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        if self.log:
            self.log.close()


class OtlpSink:
    """A loopback OTLP/HTTP receiver that accepts span batches and counts their bytes."""

    def __init__(self):
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        sink = self
        self.requests = self.bytes = 0

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server API
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                sink.requests += 1
                sink.bytes += len(body)
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


WRK_PATHS = """
local paths = {%s}
local offset = 0
local threads = 0
setup = function(thread) thread:set("offset", threads * 7919); threads = threads + 1 end
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[((n + offset) %% #paths) + 1])
end
"""


def measure_wrk(port: int, path: str | list[str], connections: int, duration: int,
                warm: bool = True) -> tuple[float, float, float, int]:
    url = f"http://127.0.0.1:{port}{path if isinstance(path, str) else '/'}"
    script: list[str] = []
    if isinstance(path, list):
        lua = OUT / "paths.lua"
        lua.write_text(WRK_PATHS % ", ".join(f'"{p}"' for p in path))
        script = ["-s", str(lua)]
    if warm:  # each worker's caches, SQLite's pages
        subprocess.run(["wrk", "-t", "2", "-c", str(connections), "-d", "2s", *script, url],
                       capture_output=True, check=True)
    out = subprocess.run(["wrk", "-t", "2", "-c", str(connections), "-d", f"{duration}s", "--latency",
                          *script, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _wrk_ms(re.search(r"50%\s+([\d.]+\w+)", out).group(1))
    p99 = _wrk_ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1))
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", out))
    errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    return rps, p50, p99, errors


def _wrk_ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": .001, "ms": 1, "s": 1000, "m": 60000}[unit]


def measure_python(port: int, path: str | list[str], connections: int, duration: int,
                   warm: bool = True) -> tuple[float, float, float, int]:
    """Fallback load generator: one thread per connection, a new connection per request
    (gunicorn's sync workers close it after each response anyway)."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = [0.0]

    paths = [path] if isinstance(path, str) else path
    turn = [0]

    def client() -> None:
        mine: list[float] = []
        while time.perf_counter() < stop_at[0]:
            start = time.perf_counter()
            turn[0] += 1
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request("GET", paths[turn[0] % len(paths)])
                response = conn.getresponse()
                response.read()
                conn.close()
                if response.status != 200:
                    errors[0] += 1
            except OSError:
                errors[0] += 1
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)

    for seconds in ((2, duration) if warm else (duration,)):
        latencies.clear()
        stop_at[0] = time.perf_counter() + seconds
        threads = [threading.Thread(target=client) for _ in range(connections)]
        began = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - began
    latencies.sort()
    q = statistics.quantiles(latencies, n=100)
    return len(latencies) / elapsed, q[49] * 1000, q[98] * 1000, errors[0]


CPU_PROBE = """
import os, sys, time, json, logging
paths = json.loads(sys.argv[1])
from tercul import create_app
app = create_app()
for handler in logging.getLogger("tercul").handlers:
    handler.stream = open(os.devnull, "w")
client = app.test_client()
out = {}
for name, path in paths:
    many = path if isinstance(path, list) else [path]
    for p in many[:50]:
        client.get(p)
    n = max(1000, len(many))
    started = time.process_time()  # this process's CPU, its exporting threads included
    for i in range(n):
        client.get(many[i % len(many)])
    out[name] = (time.process_time() - started) / n * 1000
print(json.dumps(out))
"""


def cpu_per_request(database: Path, pages: list[tuple[str, object]], sink_url: str) -> str:
    """CPU milliseconds per request in process (Flask's test client), observability off and on:
    steadier than requests per second on a busy machine, since other processes' load is not counted."""
    import json

    on = "on" if ARGS.trace_sample is not None else "on (traces 10%)"
    configs = [("off", tercul_env(database)), (on, tercul_env(database, "on", sink_url))]
    if ARGS.trace_sample is None:
        configs.append(("on, traces 100%", {**tercul_env(database, "on", sink_url),
                                             "OTEL_TRACES_SAMPLER": "parentbased_always_on"}))
    rows: dict[str, list[float]] = {}
    for _round in range(ARGS.rounds):
        for label, env in configs:
            out = subprocess.run([sys.executable, "-c", CPU_PROBE, json.dumps(pages)], env=env, cwd=ROOT,
                                 capture_output=True, text=True, check=True).stdout
            for name, ms in json.loads(out.strip().splitlines()[-1]).items():
                rows.setdefault(f"{name}|{label}", []).append(ms)
    lines = ["CPU per request in process (ms, median of rounds; test client, no HTTP server):",
             f"  {'page':<12} " + " ".join(f"{label:>18}" for label, _ in configs)]
    for name, _path in pages:
        figures = [statistics.median(rows[f"{name}|{label}"]) for label, _ in configs]
        lines.append(f"  {name:<12} " + " ".join(f"{v:>11.3f} ({v / figures[0] - 1:+.0%})" for v in figures))
    return "\n".join(lines)


def run_library(kind: str, count: int, args) -> list[Result]:
    database = build_library(kind, count)
    work_path = pick_work(database)
    others = many_works(database)
    cpu_pages = [("/healthz", "/healthz"), ("/works", "/works"), ("work page", work_path), ("many works", others)]
    if args.observability == "cpu":
        sink = OtlpSink()
        try:
            log("  CPU per request in process ...")
            CPU_REPORTS[kind] = cpu_per_request(database, cpu_pages, sink.url)
            log(f"  OTLP receiver: {sink.requests} batches, {sink.bytes / 1e6:.1f} MB of spans")
        finally:
            sink.stop()
        return []
    measure = measure_wrk if shutil.which("wrk") and not args.python_client else measure_python
    results = []
    sink = OtlpSink() if args.observability != "off" else None
    hello = Server("pages:hello_app", dict(os.environ), args.workers, ROOT / "bench")
    servers = []
    if args.observability in ("off", "compare"):
        servers.append(("", Server("tercul:create_app()", tercul_env(database), args.workers, ROOT)))
    if args.observability in ("on", "compare"):
        servers.append((" +obs", Server(
            "tercul:create_app()", tercul_env(database, "on", sink.url), args.workers, ROOT,
            extra=("-c", "python:tercul.observability.gunicorn_conf"), log=OUT / "observability.log")))
    try:
        hello.wait("/hello")
        for _suffix, tercul in servers:
            tercul.wait("/works")
            tercul.wait(work_path)
        pages = [("hello", hello, "/hello")]
        for what, path in (("/healthz", "/healthz"), ("/works", "/works"), ("work page", work_path),
                           ("many works", others)):
            pages += [(what + suffix, tercul, path) for suffix, tercul in servers]
        runs: dict[str, list[tuple[float, float, float, int]]] = {name: [] for name, _s, _p in pages}
        # rounds interleave the pages, so that a burst of load from elsewhere on the
        # machine hits all of them alike; each figure is the median over the rounds
        for round_ in range(args.rounds):
            for name, server, path in pages:
                log(f"  {kind}: round {round_ + 1}/{args.rounds}: {name} ...")
                runs[name].append(measure(server.port, path, args.connections, args.duration,
                                          warm=isinstance(path, str) and round_ == 0))
        for name, _server, path in pages:
            label = path if isinstance(path, str) else f"{len(path)} different /works/<slug>, in turn"
            rps, p50, p99 = (statistics.median(r[i] for r in runs[name]) for i in range(3))
            results.append(Result(name, label, rps, p50, p99, sum(r[3] for r in runs[name])))
        if args.observability == "compare":
            log("  CPU per request in process ...")
            CPU_REPORTS[kind] = cpu_per_request(database, cpu_pages, sink.url)
        if sink is not None:
            log(f"  OTLP receiver: {sink.requests} batches, {sink.bytes / 1e6:.1f} MB of spans")
    finally:
        hello.stop()
        for _suffix, tercul in servers:
            tercul.stop()
        if sink is not None:
            sink.stop()
    return results


def report(kind: str, results: list[Result], client: str) -> str:
    hello = results[0]
    lines = [f"library: {kind}   (load: {client}, {ARGS.connections} connections, {ARGS.rounds} rounds of "
             f"{ARGS.duration} s per page, medians; gunicorn {ARGS.workers} sync workers)",
             f"{'page':<16} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'vs hello':>9} {'errors':>7}  path"]
    for r in results:
        lines.append(f"{r.name:<16} {r.rps:>9.0f} {r.p50_ms:>8.2f} {r.p99_ms:>8.2f} "
                     f"{r.rps / hello.rps:>8.0%} {r.errors:>7}  {r.path}")
    by_name = {r.name: r for r in results}
    if ARGS.observability == "compare":
        lines.append("observability on vs off (req/s, p99):")
        for r in results:
            on = by_name.get(r.name + " +obs")
            if on is not None:
                lines.append(f"  {r.name:<12} {on.rps / r.rps - 1:>+7.1%} req/s   p99 {r.p99_ms:.2f} -> "
                             f"{on.p99_ms:.2f} ms")
    work = by_name.get("work page") or by_name["work page +obs"]
    if kind.startswith("synthetic"):
        ok = work.rps >= .4 * hello.rps and work.p99_ms < 25
        lines.append(f"goal (work page >= 40% of hello, p99 < 25 ms): {'met' if ok else 'NOT met'} "
                     f"({work.rps / hello.rps:.0%}, p99 {work.p99_ms:.1f} ms)")
    return "\n".join(lines)


def main() -> None:
    global ARGS
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--library", choices=["demo", "synthetic", "both"], default="both")
    parser.add_argument("--synthetic", type=int, default=100_000, help="works in the synthetic library")
    parser.add_argument("--duration", type=int, default=5, help="seconds per page and round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds over all pages (medians are shown)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--python-client", action="store_true", help="use the Python load generator, not wrk")
    parser.add_argument("--observability", choices=["off", "on", "compare", "cpu"], default="off",
                        help="metrics, traces (to a local OTLP receiver) and JSON logs: off (default), on, both "
                             "side by side, or only the in-process CPU table")
    parser.add_argument("--trace-sample", type=float, default=None,
                        help="with observability on: share of requests traced (OTEL_TRACES_SAMPLER_ARG; "
                             "default: the app's own default, 10%%)")
    ARGS = args = parser.parse_args()
    client = "wrk" if shutil.which("wrk") and not args.python_client else "Python threads (wrk not found)"
    print(f"# {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC on {platform.node()} ({os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f} before starting), "
          f"load generator: {client}")
    kinds = ["demo", "synthetic"] if args.library == "both" else [args.library]
    for kind in kinds:
        results = run_library(kind, args.synthetic, args)
        if results:
            print(report("demo" if kind == "demo" else f"synthetic {args.synthetic}", results, client))
        if kind in CPU_REPORTS:
            print(CPU_REPORTS[kind])
        print(f"(load average {os.getloadavg()[0]:.1f} at the end)")
        print()


ARGS: argparse.Namespace
CPU_REPORTS: dict[str, str] = {}

if __name__ == "__main__":
    main()
