"""Does a search flood from one client slow the pages for others? With and without rate tiers.

Builds a synthetic library once under ``bench/out/rate-tiers/`` (``tercul seed``, then a
keyword index), starts gunicorn (gthread, 2 workers x 4 threads, loopback) with Redis for
rate limits and cache (``redis://127.0.0.1:6379/5`` unless ``--redis``), and measures the
latency of work pages read by READERS clients, each from its own loopback address
(127.0.0.10, .11, ...) at a reader's pace (4 pages a second, within RATELIMIT_READ), in
five runs:

1. ``alone``: the readers only;
2. ``steady flood``: one client (127.0.0.2) sends FLOOD_RATE keyword searches a second
   (new words each time, so no cached result), as a scraper would, tiers on (the default
   RATELIMIT_SEARCH, 60/minute: the rest are 429s) then off (RATELIMIT_ENABLED=false);
3. ``flat-out flood``: the same client from FLOOD threads that send again as soon as they
   have an answer, tiers on then off.

Prints, per run (medians over ROUNDS interleaved rounds), the readers' p50/p95/p99
latency and errors, the flood's answers (200s, 429s) and requests per second, and the CPU
seconds per second the server's processes used (which other load on the machine does not
change). The load generator shares the machine with the
server, so its figures are for comparing the runs with each other. Usage::

    .venv/bin/python bench/rate_tiers.py                  # 3 rounds of 10 s runs, about 4 minutes
    .venv/bin/python bench/rate_tiers.py --rounds 1 --duration 5 --works 200
"""
from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "rate-tiers"
BIN = Path(sys.executable).parent
WORDS = "river stone light winter evening candle harbour orchard silver window".split()


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(redis_url: str, tiers: bool) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": f"sqlite:///{OUT / 'library.sqlite'}",
        "TERCUL_ENV": "development",
        "TERCUL_INSTANCE": str(OUT / "instance"),
        "SEARCH_INDEX_PATH": str(OUT / "search"),
        "SECRET_KEY": "benchmark-only-secret-key-benchmark-only",
        "REDIS_URL": redis_url,
        "BROKER_URL": redis_url,
        "JOBS_IN_PROCESS": "false",
        "LOG_LEVEL": "WARNING",
        "LOG_ACCESS": "false",
        "RATELIMIT_ENABLED": "true" if tiers else "false",
    })
    return env


def build_library(works: int, redis_url: str) -> list[str]:
    """The library (built once) and the paths of its work pages."""
    OUT.mkdir(parents=True, exist_ok=True)
    env = environment(redis_url, tiers=False)
    env.pop("REDIS_URL")
    env.pop("BROKER_URL")
    tercul = str(BIN / "tercul")
    marker = OUT / f"ready-{works}"
    subprocess.run([tercul, "db", "upgrade"], env=env, check=True, capture_output=True)
    if not marker.exists():
        log(f"building a library of {works} synthetic works in {OUT} (once)...")
        subprocess.run([tercul, "seed", "--synthetic", str(works)], env=env, check=True, capture_output=True)
        marker.write_text(dt.datetime.now(dt.timezone.utc).isoformat())
    # every time: an index of an older layout is discarded when the app starts
    subprocess.run([tercul, "reindex", "--no-embed"], env=env, check=True, capture_output=True)
    with sqlite3.connect(OUT / "library.sqlite") as db:
        slugs = [r[0] for r in db.execute("SELECT slug FROM works WHERE current_revision_id IS NOT NULL "
                                          "ORDER BY id LIMIT 150")]
    return [f"/works/{slug}" for slug in slugs]


class Server:
    def __init__(self, env: dict[str, str]):
        self.port = free_port()
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--workers", "2", "--worker-class", "gthread", "--threads", "4",
             "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning", "wsgi:app"],
            cwd=ROOT, env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _ = get(self.port, "/healthz", "127.0.0.1")
                if status == 200:
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by gunicorn and its workers."""
        ticks = os.sysconf("SC_CLK_TCK")
        pids = [self.process.pid]
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        if children.exists():
            pids += [int(p) for p in children.read_text().split()]
        total = 0
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / ticks

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def get(port: int, path: str, source: str, conn: http.client.HTTPConnection | None = None):
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(source, 0))
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    return response.status, conn


def reader(port: int, source: str, paths: list[str], stop: threading.Event, latencies: list[float],
           errors: list[int], pace: float) -> None:
    rng = random.Random(source)
    conn = None
    next_at = time.monotonic()
    while not stop.is_set():
        path = rng.choice(paths)
        started = time.perf_counter()
        try:
            status, conn = get(port, path, source, conn)
        except (OSError, http.client.HTTPException):
            status, conn = 0, None
        if status == 200:
            latencies.append((time.perf_counter() - started) * 1000)
        else:
            errors.append(status)
        next_at += pace
        time.sleep(max(0.0, next_at - time.monotonic()))


def flooder(port: int, stop: threading.Event, statuses: list[int], pace: float | None) -> None:
    """Searches from one address: every ``pace`` seconds (missed turns are skipped), or flat out."""
    rng = random.Random()
    conn = None
    next_at = time.monotonic() + rng.random() * (pace or 0)
    while not stop.is_set():
        if pace:
            now = time.monotonic()
            if next_at > now:
                time.sleep(next_at - now)
            next_at = max(next_at + pace, time.monotonic())
        # a new query each time, as a flood would send: no cached result to fall back on
        path = f"/search?q={rng.choice(WORDS)}+{rng.choice(WORDS)}+{rng.randrange(10**6)}&mode=keyword"
        try:
            status, conn = get(port, path, "127.0.0.2", conn)
        except (OSError, http.client.HTTPException):
            status, conn = 0, None
        statuses.append(status)


def run(name: str, env: dict[str, str], paths: list[str], args, flood: str | None) -> dict:
    subprocess.run(["redis-cli", "-u", args.redis, "flushdb"], check=True, capture_output=True)  # counters, cache
    server = Server(env)
    try:
        for path in paths:  # warm the page cache, from an address that takes no part
            get(server.port, path, "127.0.0.3")
        stop = threading.Event()
        latencies: list[float] = []
        errors: list[int] = []
        statuses: list[int] = []
        threads = [threading.Thread(target=reader, args=(server.port, f"127.0.0.{10 + i}", paths, stop, latencies,
                                                         errors, 1 / args.pace))
                   for i in range(args.readers)]
        if flood == "steady":
            threads += [threading.Thread(target=flooder, args=(server.port, stop, statuses, 16 / args.flood_rate))
                        for _ in range(16)]
        elif flood == "flat-out":
            threads += [threading.Thread(target=flooder, args=(server.port, stop, statuses, None))
                        for _ in range(args.flood)]
        cpu_before = server.cpu_seconds()
        for thread in threads:
            thread.start()
        time.sleep(args.duration)
        stop.set()
        for thread in threads:
            thread.join()
        cpu = server.cpu_seconds() - cpu_before
    finally:
        server.stop()
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 2 else [float("nan")] * 99
    result = {"name": name, "pages": len(latencies), "p50": q[49], "p95": q[94], "p99": q[98],
              "errors": len(errors), "flood_200": statuses.count(200), "flood_429": statuses.count(429),
              "flood_other": len([s for s in statuses if s not in (200, 429)]),
              "flood_rps": len(statuses) / args.duration, "server_cpu": cpu / args.duration}
    log(f"{name}: {result}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per run")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the five runs (medians are printed)")
    parser.add_argument("--works", type=int, default=300, help="synthetic works in the library")
    parser.add_argument("--readers", type=int, default=8, help="reader clients, one address each")
    parser.add_argument("--pace", type=float, default=4.0, help="pages a second per reader")
    parser.add_argument("--flood", type=int, default=8, help="threads of the flat-out flooding client")
    parser.add_argument("--flood-rate", type=float, default=100, help="searches a second of the steady flood")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/5")
    args = parser.parse_args()
    paths = build_library(args.works, args.redis)
    on, off = environment(args.redis, tiers=True), environment(args.redis, tiers=False)
    scenarios = [
        ("alone", on, None),
        (f"steady flood ({args.flood_rate:g}/s), tiers on", on, "steady"),
        (f"steady flood ({args.flood_rate:g}/s), tiers off", off, "steady"),
        (f"flat-out flood ({args.flood} threads), tiers on", on, "flat-out"),
        (f"flat-out flood ({args.flood} threads), tiers off", off, "flat-out"),
    ]
    rounds: dict[str, list[dict]] = {name: [] for name, _, _ in scenarios}
    for _ in range(args.rounds):  # interleaved, so that a busier minute of the machine hits every run
        for name, env, flood in scenarios:
            rounds[name].append(run(name, env, paths, args, flood=flood))
    results = [{key: (statistics.median(r[key] for r in runs) if key != "name" else name) for key in runs[0]}
               for name, runs in rounds.items()]
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nrate tiers: {args.readers} readers x {args.pace:g} pages/s, {args.rounds} rounds of {args.duration} s "
          f"per run (medians), {args.works} works; load average as the last run ended: {load}")
    print("| run | reader p50 ms | p95 ms | p99 ms | reader errors | flood 200 | flood 429 | flood req/s "
          "| server CPU s/s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        print(f"| {r['name']} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} | {r['errors']:g} "
              f"| {r['flood_200']:g} | {r['flood_429']:g} | {r['flood_rps']:.0f} | {r['server_cpu']:.2f} |")


if __name__ == "__main__":
    main()
