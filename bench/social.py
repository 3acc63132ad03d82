"""Benchmark of reading statistics (issue 16), section "stats": counting views and trending.

On ``tercul seed --synthetic N`` (built once under ``bench/out/`` by ``bench/pages.py``'s
``build_library``), this script simulates ``--views`` views over 90 days (a Zipf-like
popularity: a few works read a lot, most rarely; 30% of views on translations' own
pages) as the daily counts the flush writes, then measures, in process (Flask's test
client, i.e. server time without HTTP):

- **counting a view**: a cached work page read by new visitors (counted) against the
  same page with ``DNT: 1`` (identical path, not counted); the difference is what
  counting costs. Once with the in-process buffer (embedded), once with the Redis
  buffer (production; needs Redis on 127.0.0.1:6379, database 14);
- **the trending job**: :func:`tercul.services.stats.compute_trending` over the 90 days;
- **the trending list for a language**: ``/trending?period=week&lang=<most common>``,
  the page and its htmx fragment, rendered each time (no cache).

Goals (issue 16): counting <= 0.2 ms, trending list <= 10 ms, trending job <= 30 s on 2
cores. Usage::

    .venv/bin/python bench/social.py                          # synthetic 100000, 10 million views
    .venv/bin/python bench/social.py --synthetic 20000 --views 2000000
"""
from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

DAYS = 90
REDIS_URL = "redis://127.0.0.1:6379/14"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def simulate_views(database: Path, views: int, today: date, seed: int = 16) -> int:
    """Write ``views`` views over the last 90 days as daily counts (once per database and size)."""
    import numpy as np

    with sqlite3.connect(database) as db:
        done = db.execute("SELECT count(*), coalesce(sum(views), 0) FROM views_daily").fetchone()
        if done[1] == views:
            return done[0]
        db.execute("DELETE FROM views_daily")
        works = np.array([r[0] for r in db.execute("SELECT id FROM works ORDER BY id")])
        translations = np.array([r[0] for r in db.execute("SELECT id FROM translations ORDER BY id")])
        rng = np.random.default_rng(seed)
        rows = 0
        per_day = views // DAYS
        for kind, ids, share in (("work", works, 0.7), ("translation", translations, 0.3)):
            if not len(ids):
                continue
            weights = 1.0 / np.arange(1, len(ids) + 1) ** 0.9  # Zipf-like popularity
            weights /= weights.sum()
            order = rng.permutation(len(ids))
            for ago in range(DAYS):
                day = (today - timedelta(days=ago)).isoformat()
                counts = rng.multinomial(int(per_day * share), weights)
                hit = np.nonzero(counts)[0]
                db.executemany("INSERT INTO views_daily (kind, target_id, day, views) VALUES (?, ?, ?, ?)",
                               ((kind, int(ids[order[i]]), day, int(counts[i])) for i in hit))
                rows += len(hit)
        db.commit()
        db.execute("ANALYZE")
        return rows


def median_ms(fn, n: int) -> float:
    times = []
    for i in range(n):
        started = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure_counting(app, client, path: str, buffer_name: str, n: int) -> tuple[float, float]:
    """(median ms counted, median ms with DNT) for a cached page, new visitors each time."""
    def counted(i):
        client.get(path, headers={"User-Agent": BROWSER}, environ_base={"REMOTE_ADDR": f"10.{i // 65536 % 256}."
                                                                                       f"{i // 256 % 256}.{i % 256}"})

    def not_counted(i):
        client.get(path, headers={"User-Agent": BROWSER, "DNT": "1"},
                   environ_base={"REMOTE_ADDR": f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}"})

    client.get(path, headers={"User-Agent": BROWSER})  # fill the cache
    rounds = []
    for _ in range(5):  # interleaved rounds: the machine's load moves
        rounds.append((median_ms(counted, n), median_ms(not_counted, n)))
    with_count = statistics.median(r[0] for r in rounds)
    without = statistics.median(r[1] for r in rounds)
    log(f"  {buffer_name}: counted {with_count:.3f} ms, DNT {without:.3f} ms")
    return with_count, without


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--synthetic", type=int, default=100000)
    parser.add_argument("--views", type=int, default=10_000_000)
    parser.add_argument("--requests", type=int, default=400, help="requests per round and case")
    args = parser.parse_args()

    import pages  # bench/pages.py: the library builder and its environment

    pages.ARGS = argparse.Namespace(trace_sample=1.0)
    database = pages.build_library("synthetic", args.synthetic)
    os.environ.update(pages.tercul_env(database))

    from tercul import create_app
    from tercul.extensions import db
    from tercul.services import stats
    from tercul.services.stats.buffer import MemoryBuffer, RedisBuffer

    today = stats.today()
    started = time.perf_counter()
    rows = simulate_views(database, args.views, today)
    log(f"views: {args.views:,} over {DAYS} days = {rows:,} daily rows ({time.perf_counter() - started:.1f} s)")

    app = create_app()
    app.config["READING_STAMP_SECONDS"] = 2
    with app.app_context():
        started = time.perf_counter()
        entries = stats.compute_trending(db.session)
        db.session.commit()
        job_s = time.perf_counter() - started
        language = db.session.execute(db.text(
            "SELECT language FROM trending WHERE period = 'week' AND language != '' GROUP BY language "
            "ORDER BY count(*) DESC LIMIT 1")).scalar()
        path = pages.pick_work(database)
        db.session.remove()
    log(f"trending job: {job_s:.2f} s, {entries:,} list entries")

    client = app.test_client()
    trending_path = f"/trending?period=week&lang={language}"
    client.get(trending_path)
    page_ms = median_ms(lambda i: client.get(trending_path), 60)
    fragment_ms = median_ms(lambda i: client.get(trending_path, headers={"HX-Request": "true"}), 60)

    results = []
    app.extensions["tercul.stats.buffer"] = MemoryBuffer()
    results.append(("memory buffer", *measure_counting(app, client, path, "memory", args.requests)))
    try:
        redis_buffer = RedisBuffer.from_url(REDIS_URL, f"tercul-bench:{uuid.uuid4().hex}")
        redis_buffer.client.ping()
        app.extensions["tercul.stats.buffer"] = redis_buffer
        results.append(("Redis buffer", *measure_counting(app, client, path, "redis", args.requests)))
        for key in redis_buffer.client.scan_iter(match=f"{redis_buffer.prefix}:*"):
            redis_buffer.client.delete(key)
    except Exception as exc:  # noqa: BLE001 - Redis is optional
        log(f"  Redis buffer skipped: {exc}")

    load = os.getloadavg()
    print(f"stats: synthetic {args.synthetic}, {args.views:,} views over {DAYS} days ({rows:,} daily rows); "
          f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} (shared machine)")
    print(f"  trending job (3 periods, every language): {job_s:.2f} s   goal <= 30 s   "
          f"{'met' if job_s <= 30 else 'NOT met'}")
    print(f"  /trending?period=week&lang={language}: page {page_ms:.2f} ms, fragment {fragment_ms:.2f} ms   "
          f"goal <= 10 ms   {'met' if page_ms <= 10 else 'NOT met'}")
    for name, counted, dnt in results:
        extra = counted - dnt
        print(f"  cached work page, {name}: counted {counted:.3f} ms, DNT (not counted) {dnt:.3f} ms, "
              f"counting adds {extra:.3f} ms   goal <= 0.2 ms   {'met' if extra <= 0.2 else 'NOT met'}")


if __name__ == "__main__":
    main()
