"""64 concurrent connections against mixed pages, with PostgreSQL: count the 5xx.

    .venv/bin/python bench/concurrency.py [--connections 64] [--seconds 20] [--database bench_h7]

Creates (again) the PostgreSQL database, a small library (40 works, each with two
translations, indexed), starts gunicorn (2 workers x 16 threads, Redis cache on db 7 when
Redis answers) on a free loopback port, and runs wrk with a Lua script that cycles
through home, browse, work pages (alone and side by side), authors, search and a
GraphQL GET. Prints wrk's summary and the count of answers by status; exits 1 if any answer
was a 5xx or the server logged an error. Rate limits are off (one client address). Needs wrk, PostgreSQL on 127.0.0.1:5432 (user postgres).
"""
from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

SEED = """
from tercul import create_app
from tercul.extensions import db
from tercul.texts.model import Division, Line, Text
from tercul.services import catalog

def text(n, lang):
    return Text(divisions=[Division(key=str(s), kind="stanza", lines=[
        Line(key=f"{s}.{i}", text=f"{lang} poem {n} stanza {s} line {i} of rivers, stone and winter light")
        for i in range(1, 9)]) for s in range(1, 7)])

app = create_app()
with app.app_context():
    for a in range(8):
        catalog.upsert_author(db.session, slug=f"poet-{a}", name=f"Poet Number{a}")
    for n in range(40):
        work, _ = catalog.upsert_work(db.session, catalog.WorkFields(
            slug=f"poem-{n}", title=f"Poem {n}", language="en", form="poetry", authors=[f"poet-{n % 8}"],
            genres=["Lyric"], tags=["river"]))
        catalog.set_work_text(db.session, work, text(n, "en"))
        for lang in ("de", "fr"):
            catalog.upsert_translation(db.session, work, language=lang, title=f"Poem {n} ({lang})",
                                       text=text(n, lang), translator_name="T")
    db.session.commit()
"""

LUA = r"""
local paths = {"/", "/works", "/works?language=de", "/authors", "/authors/poet-3", "/search?q=river",
               "/search?q=winter+light&language=fr", "/graphql?query=%7B%20stats%20%7B%20works%20%7D%20%7D"}
for n = 0, 39 do
  table.insert(paths, "/works/poem-" .. n)
  table.insert(paths, "/works/poem-" .. n .. "?with=fr")
end
local threads = {}
setup = function(thread)
  thread:set("offset", #threads * 7)
  table.insert(threads, thread)
end
init = function(args)
  counter = offset or 0
  statuses = {}
end
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1], {["Accept"] = "text/html"})
end
response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
done = function(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do total[status] = (total[status] or 0) + count end
  end
  for status, count in pairs(total) do io.write(string.format("status %d: %d\n", status, count)) end
  io.write(string.format("p50 %.1f ms, p90 %.1f ms, p99 %.1f ms\n", latency:percentile(50) / 1000,
                         latency:percentile(90) / 1000, latency:percentile(99) / 1000))
end
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--database", default="bench_h7")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=16)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="tercul-concurrency-"))
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{args.database}"
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", args.database], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", args.database], check=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEST_", "PYTEST"))}
    env.update(TERCUL_ENV="development", TERCUL_INSTANCE=str(tmp), DATABASE_URL=url,
               SEARCH_INDEX_PATH=str(tmp / "index"), LOG_LEVEL="WARNING", LOG_ACCESS="false",
               RATELIMIT_ENABLED="false")  # one client address: limits would answer 429 to most of it
    env.pop("BROKER_URL", None)
    env.pop("REDIS_URL", None)
    if _redis_up():
        env["REDIS_URL"] = "redis://127.0.0.1:6379/7"
        import redis

        redis.Redis.from_url(env["REDIS_URL"]).flushdb()
    run = dict(env=env, cwd=ROOT, check=True, capture_output=True)
    subprocess.run([str(BIN / "tercul"), "db", "upgrade"], **run)
    subprocess.run([sys.executable, "-c", SEED], **run)
    subprocess.run([str(BIN / "tercul"), "worker", "--once"], **run)  # index what was published

    port = _free_port()
    log = open(tmp / "gunicorn.log", "wb")
    server = subprocess.Popen([str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
                               "--threads", str(args.threads), "wsgi:app"], env=env, cwd=ROOT, stdout=log,
                              stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    print((tmp / "gunicorn.log").read_text()[-3000:])
                    return 2
                time.sleep(0.2)
        script = tmp / "mixed.lua"
        script.write_text(LUA)
        result = subprocess.run(["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "--timeout", "10s",
                                 "-s", str(script), base + "/"], capture_output=True, text=True)
        print(result.stdout)
        out = result.stdout
    finally:
        server.terminate()
        server.wait(20)
        log.close()
    gunicorn_log = (tmp / "gunicorn.log").read_text()
    statuses = {int(code): int(n) for code, n in re.findall(r"status (\d+): (\d+)", out)}
    errors = re.search(r"Socket errors: (.*)", out)
    five = sum(n for code, n in statuses.items() if code >= 500)
    logged = gunicorn_log.count("unhandled error") + gunicorn_log.count("Traceback")
    print(f"statuses: {dict(sorted(statuses.items()))}; 5xx: {five}; socket errors: "
          f"{errors.group(1) if errors else 'none'}; errors in the server log: {logged}")
    return 1 if five or logged or not statuses else 0


if __name__ == "__main__":
    sys.exit(main())
