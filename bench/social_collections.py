"""Benchmark of the public collection pages (issue 15): ``/collections`` with 10,000 public
collections, p99 <= 25 ms under 16 connections.

It builds a SQLite library once under ``bench/out/`` (``tercul seed --synthetic 200`` for
works, then 500 users and 10,000 public plus 2,000 private collections of 1 to 30 items,
with likes counted in their stored counters, then ``ANALYZE``), serves it with gunicorn
(2 sync workers, loopback, rate limits off) through ``bench/pages.py``'s helpers, and
measures with ``wrk`` (or, without it, the Python load generator of ``bench/pages.py``):

- ``/collections`` (newest first, page 1),
- ``/collections?sort=liked`` (most liked first),
- ``/collections?q=...`` (a title search, a LIKE over every public title),
- ``/collections?page=300`` (a deep page),
- one collection page with 30 items,

next to ``/healthz`` (what any request costs), and the CPU per request of each page in
process (Flask's test client), which a busy machine disturbs much less than latency.

Usage::

    .venv/bin/python bench/social_collections.py [--duration 5] [--rounds 3] [--connections 16]

The stats helper's section (view counting, trending) lives in its own script; the lead
merges both as ``bench/social.py``.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pages  # noqa: E402 - bench/pages.py: the server and load-generator helpers

PUBLIC, PRIVATE, USERS, WORKS = 10_000, 2_000, 500, 200
GOAL_P99_MS = 25.0
WORDS = ("night", "sea", "sonnets", "psalms", "love", "exile", "winter", "letters", "songs", "rivers", "odes",
         "elegies", "stars", "gardens", "voices", "roads")


def build(database: Path) -> None:
    """The library (works by ``tercul seed``), then users and collections inserted directly."""
    env = pages.tercul_env(database)
    tercul = str(pages.BIN / "tercul")
    subprocess.run([tercul, "db", "upgrade"], env=env, check=True, capture_output=True)
    marker = database.with_suffix(".ready")
    if marker.exists():
        return
    pages.log(f"building {database} (once)...")
    subprocess.run([tercul, "seed", "--synthetic", str(WORKS)], env=env, check=True, capture_output=True)
    rng = random.Random(15)
    now = dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc)
    with sqlite3.connect(database) as db:
        work_ids = [row[0] for row in db.execute("SELECT id FROM works WHERE current_revision_id IS NOT NULL")]
        first_user = (db.execute("SELECT coalesce(max(id), 0) FROM users").fetchone()[0]) + 1
        db.executemany(
            "INSERT INTO users (id, email, username, display_name, password_hash, role, session_version, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, NULL, 'reader', 1, ?, ?)",
            [(first_user + n, f"bench{n}@example.org", f"bench-{n}", f"Reader {n}", now, now) for n in range(USERS)])
        collections, items = [], []
        for n in range(PUBLIC + PRIVATE):
            title = " ".join(rng.sample(WORDS, 3)).capitalize() + f" {n}"
            created = now - dt.timedelta(minutes=n)
            count = rng.randint(1, 30)
            collections.append((n + 1, first_user + rng.randrange(USERS), f"c-{n}", title, n < PUBLIC, count,
                                rng.randint(0, 500), created, created))
            items += [(n + 1, position + 1, work_id, created)
                      for position, work_id in enumerate(rng.sample(work_ids, min(count, len(work_ids))))]
        db.executemany(
            "INSERT INTO collections (id, owner_id, slug, title, is_public, item_count, like_count, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", collections)
        db.executemany("INSERT INTO collection_items (collection_id, position, work_id, added_at) "
                       "VALUES (?, ?, ?, ?)", items)
        db.execute("ANALYZE")
    marker.write_text(now.isoformat())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds per measurement")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (figures are medians)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--python-client", action="store_true", help="use the Python load generator, not wrk")
    args = parser.parse_args()
    pages.ARGS = argparse.Namespace(trace_sample=1.0)
    pages.OUT.mkdir(parents=True, exist_ok=True)
    database = pages.OUT / f"collections-{PUBLIC}.sqlite"
    build(database)
    use_wrk = shutil.which("wrk") and not args.python_client
    measure = pages.measure_wrk if use_wrk else pages.measure_python
    targets = [("/healthz (baseline)", "/healthz"), ("/collections", "/collections"), ("sorted by likes", "/collections?sort=liked"),
               ("title search", "/collections?q=winter+songs"), ("page 300", "/collections?page=300"),
               ("one collection (30 items)", _biggest(database))]
    server = pages.Server("tercul:create_app()", pages.tercul_env(database), args.workers, pages.ROOT)
    runs: dict[str, list] = {name: [] for name, _ in targets}
    try:
        for _name, path in targets:
            server.wait(path)
        for round_ in range(args.rounds):
            for name, path in targets:
                pages.log(f"  round {round_ + 1}/{args.rounds}: {name} ...")
                runs[name].append(measure(server.port, path, args.connections, args.duration, warm=round_ == 0))
    finally:
        server.stop()
    client = "wrk" if use_wrk else "Python threads (wrk not found: figures are lower bounds)"
    print(f"/collections with {PUBLIC:,} public and {PRIVATE:,} private collections; load: {client}, "
          f"{args.connections} connections, {args.rounds} rounds of {args.duration} s, {args.workers} workers")
    print(f"{'page':28} {'path':34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for name, path in targets:
        rps, p50, p99 = (statistics.median(r[i] for r in runs[name]) for i in range(3))
        errors = sum(r[3] for r in runs[name])
        print(f"{name:28} {path:34} {rps:8.0f} {p50:8.1f} {p99:8.1f} {errors:7d}")
    print(cpu_per_request(database, targets, args.rounds))
    p99 = statistics.median(r[2] for r in runs["/collections"])
    print(f"goal: /collections p99 <= {GOAL_P99_MS:.0f} ms: {'met' if p99 <= GOAL_P99_MS else 'NOT met'} "
          f"({p99:.1f} ms)")


def cpu_per_request(database: Path, targets: list[tuple[str, str]], rounds: int) -> str:
    """CPU milliseconds per request in process (Flask's test client, no HTTP server): steadier
    than requests per second on a shared machine, since other processes' load is not counted."""
    figures: dict[str, list[float]] = {}
    for _round in range(rounds):
        out = subprocess.run([sys.executable, "-c", pages.CPU_PROBE, json.dumps(targets)],
                             env=pages.tercul_env(database), cwd=pages.ROOT, capture_output=True, text=True,
                             check=True).stdout
        for name, ms in json.loads(out.strip().splitlines()[-1]).items():
            figures.setdefault(name, []).append(ms)
    return "CPU per request in process (ms, median of rounds):\n" + "\n".join(
        f"  {name:28} {statistics.median(figures[name]):8.2f}" for name, _path in targets)


def _biggest(database: Path) -> str:
    with sqlite3.connect(database) as db:
        cid, slug = db.execute("SELECT id, slug FROM collections WHERE is_public ORDER BY item_count DESC, id "
                               "LIMIT 1").fetchone()
    return f"/collections/{cid}-{slug}"


if __name__ == "__main__":
    main()
