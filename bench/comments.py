"""Benchmark of a work page with many comments, against the reading-page goals of bench/pages.py.

Takes the work page that ``bench/pages.py`` measures (a poem beside one translation,
from the middle of the library), gives its work ``--comments`` comments (a fifth of
them replies, a quarter of the others anchored to lines, from 20 readers), and
measures with the same servers and load generator (gunicorn, 2 sync workers; ``wrk``,
16 connections) the hello route, the work page (its reading view now carries the line
markers) and the discussion (``/comments/work/<id>``: 50 comments with their replies,
rendered for every request, as htmx loads it under the work page). The goal is the
reading pages': >= 40% of hello's throughput and p99 < 25 ms. It also prints the CPU
milliseconds per request in process, which other processes' load does not change. Usage::

    .venv/bin/python bench/comments.py                       # demo library, 200 comments
    .venv/bin/python bench/comments.py --library synthetic --synthetic 20000 --comments 200
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pages  # noqa: E402 - the library, servers and load generators of bench/pages.py

SEED = """
import sys
from sqlalchemy import delete, select
from tercul import create_app
from tercul.extensions import db
from tercul.models import Comment, TextLine, User, Work

slug, count = sys.argv[1], int(sys.argv[2])
app = create_app()
with app.app_context():
    work = db.session.scalar(select(Work).where(Work.slug == slug))
    keys = list(db.session.scalars(select(TextLine.key).where(TextLine.revision_id == work.current_revision_id)
                                   .order_by(TextLine.position)))
    users = []
    for i in range(20):
        email = f"bench-reader-{i}@example.org"
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(email=email, username=f"bench-reader-{i}", display_name=f"Bench Reader {i}",
                        role="reader", session_version=1)
            db.session.add(user)
        users.append(user)
    db.session.flush()
    db.session.execute(delete(Comment).where(Comment.work_id == work.id))
    replies = count // 5
    tops = []
    for i in range(count - replies):
        line = keys[(i * 7) % len(keys)] if keys and i % 4 == 0 else None
        c = Comment(user_id=users[i % 20].id, work_id=work.id, line_key=line, reply_count=0,
                    body=f"Comment {i}: the *turn* in this line is [worth a look](https://example.org/{i}).")
        db.session.add(c)
        tops.append(c)
    db.session.flush()
    for i in range(replies):
        parent = tops[i % len(tops)]
        parent.reply_count += 1
        db.session.add(Comment(user_id=users[(i + 3) % 20].id, work_id=work.id, parent_id=parent.id,
                               line_key=parent.line_key, body=f"Reply {i}: agreed."))
    db.session.commit()
    print(work.id)
"""


CPU_PROBE = """
import json, sys, time
from tercul import create_app
app = create_app()
client = app.test_client()
out = {}
for name, path, headers in json.loads(sys.argv[1]):
    for _ in range(20):
        client.get(path, headers=headers)
    started = time.process_time()
    for _ in range(200):
        client.get(path, headers=headers)
    out[name] = (time.process_time() - started) / 200 * 1000
print(json.dumps(out))
"""


def cpu_per_request(database: Path, paths: list) -> dict[str, float]:
    """CPU milliseconds per request in process (test client): steadier than req/s on a busy machine."""
    import json

    out = subprocess.run([sys.executable, "-c", CPU_PROBE, json.dumps(paths)], env=pages.tercul_env(database),
                         cwd=pages.ROOT, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def seed(database: Path, slug: str, count: int) -> int:
    out = subprocess.run([sys.executable, "-c", SEED, slug, str(count)], env=pages.tercul_env(database),
                         cwd=pages.ROOT, capture_output=True, text=True, check=True).stdout
    return int(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--library", choices=["demo", "synthetic"], default="demo")
    parser.add_argument("--synthetic", type=int, default=20_000, help="works in the synthetic library")
    parser.add_argument("--comments", type=int, default=200)
    parser.add_argument("--duration", type=int, default=5, help="seconds per page and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--python-client", action="store_true", help="use the Python load generator, not wrk")
    args = parser.parse_args()
    pages.ARGS = argparse.Namespace(trace_sample=1.0)
    use_wrk = shutil.which("wrk") and not args.python_client
    measure = pages.measure_wrk if use_wrk else pages.measure_python
    client = "wrk" if use_wrk else "Python threads (wrk not found)"
    print(f"# {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC on {platform.node()} ({os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f} before starting), load generator: {client}")
    database = pages.build_library(args.library, args.synthetic)
    work_path = pages.pick_work(database)
    work_id = seed(database, work_path.split("/")[2].split("?")[0], args.comments)
    thread_path = f"/comments/work/{work_id}"
    hello = pages.Server("pages:hello_app", dict(os.environ), args.workers, pages.ROOT / "bench")
    tercul = pages.Server("tercul:create_app()", pages.tercul_env(database), args.workers, pages.ROOT)
    try:
        hello.wait("/hello")
        tercul.wait(work_path)
        tercul.wait(thread_path)
        targets = [("hello", hello, "/hello"), ("work page", tercul, work_path), ("discussion", tercul, thread_path)]
        runs: dict[str, list] = {name: [] for name, _s, _p in targets}
        for round_ in range(args.rounds):
            for name, server, path in targets:
                pages.log(f"  round {round_ + 1}/{args.rounds}: {name} ...")
                runs[name].append(measure(server.port, path, args.connections, args.duration, warm=round_ == 0))
    finally:
        hello.stop()
        tercul.stop()
    print(f"library: {args.library}, {args.comments} comments on the work ({args.connections} connections, "
          f"{args.rounds} rounds of {args.duration} s, medians; gunicorn {args.workers} sync workers)")
    print(f"{'page':<12} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'vs hello':>9} {'errors':>7}  path")
    figures = {}
    for name, _server, path in targets:
        rps, p50, p99 = (statistics.median(r[i] for r in runs[name]) for i in range(3))
        figures[name] = (rps, p99)
        errors = sum(r[3] for r in runs[name])
        print(f"{name:<12} {rps:>9.0f} {p50:>8.2f} {p99:>8.2f} {rps / figures['hello'][0]:>8.0%} {errors:>7}  {path}")
    for name in ("work page", "discussion"):
        rps, p99 = figures[name]
        ok = rps >= .4 * figures["hello"][0] and p99 < 25
        print(f"goal for the {name} (>= 40% of hello, p99 < 25 ms): {'met' if ok else 'NOT met'} "
              f"({rps / figures['hello'][0]:.0%}, p99 {p99:.1f} ms)")
    cpu = cpu_per_request(database, [("work page", work_path, {}), ("discussion", thread_path, {}),
                                     ("thread (htmx)", thread_path, {"HX-Request": "true"})])
    print("CPU per request in process (ms, 200 requests, test client): "
          + ", ".join(f"{name} {ms:.2f}" for name, ms in cpu.items()))
    print(f"(load average {os.getloadavg()[0]:.1f} at the end)")


if __name__ == "__main__":
    main()
