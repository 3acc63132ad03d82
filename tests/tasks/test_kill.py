"""A worker killed with SIGKILL in the middle of indexing loses nothing.

Real processes on a real SQLite file: publish works (outbox rows), start `tercul
worker`, kill it with SIGKILL once it has done part of the work, start it again,
and `tercul search verify` must report 0 differences. Run once with the embedded
jobs and once through Redis (when Redis answers on 127.0.0.1:6379).
"""
from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TERCUL = str(Path(sys.executable).parent / "tercul")
REDIS_URL = "redis://127.0.0.1:6379/15"

SEED = """
from tercul import create_app
from tercul.extensions import db
from tercul.texts.model import Division, Line, Text
from tercul.services import catalog

def text(n, lang):
    return Text(divisions=[Division(key=str(s), kind="stanza", lines=[
        Line(key=f"{s}.{i}", text=f"{lang} poem {n} stanza {s} line {i} of rivers and light")
        for i in range(1, 4)]) for s in range(1, 4)])

app = create_app()
with app.app_context():
    author = catalog.upsert_author(db.session, slug="poet", name="A Poet")
    for n in range(WORKS):
        work, _ = catalog.upsert_work(db.session, catalog.WorkFields(
            slug=f"poem-{n}", title=f"Poem {n}", language="en", form="poetry", authors=["poet"],
            genres=["Lyric"], tags=[]))
        catalog.set_work_text(db.session, work, text(n, "en"))
        for lang in ("de", "fr"):
            catalog.upsert_translation(db.session, work, language=lang, title=f"Poem {n} ({lang})",
                                       text=text(n, lang), translator_name="T")
    db.session.commit()
"""


def _env(tmp: Path, broker: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEST_", "PYTEST"))}
    env.update(TERCUL_ENV="development", TERCUL_INSTANCE=str(tmp), DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite'}",
               SEARCH_INDEX_PATH=str(tmp / "index"), LOG_LEVEL="WARNING", JOBS_BACKOFF_SECONDS="1")
    env.pop("BROKER_URL", None)
    env.pop("REDIS_URL", None)
    if broker:
        env["BROKER_URL"] = broker
    return env


def _processed(tmp: Path) -> tuple[int, int]:
    with closing(sqlite3.connect(tmp / "db.sqlite", timeout=10)) as conn:
        done, total = conn.execute(
            "SELECT SUM(processed_at IS NOT NULL), COUNT(*) FROM outbox WHERE topic = 'index'").fetchone()
    return int(done or 0), int(total)


def _kill_and_recover(tmp: Path, broker: str | None) -> None:
    env = _env(tmp, broker)
    subprocess.run([TERCUL, "db", "upgrade"], env=env, check=True, capture_output=True, cwd=ROOT)
    subprocess.run([sys.executable, "-c", SEED.replace("WORKS", "12")], env=env, check=True, capture_output=True, cwd=ROOT)
    done, total = _processed(tmp)
    assert done == 0 and total == 36

    log = open(tmp / "worker.log", "wb")
    worker = subprocess.Popen([TERCUL, "worker", "--threads", "2"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=log)
    try:
        deadline = time.monotonic() + 300  # a loaded 2-core machine is slow to start a worker
        while time.monotonic() < deadline:
            done, _ = _processed(tmp)
            if done >= 2 or worker.poll() is not None:
                break
            time.sleep(0.05)
        assert worker.poll() is None, (tmp / "worker.log").read_text()[-2000:]
        worker.send_signal(signal.SIGKILL)  # in the middle of indexing
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
        log.close()
    done, total = _processed(tmp)
    assert 0 < done < total, ("the worker was not killed in the middle of the work: "
                              f"{done}/{total} done\n" + (tmp / "worker.log").read_text()[-2000:])

    restarted = subprocess.run([TERCUL, "worker", "--once", "--threads", "2"], env=env, cwd=ROOT,
                               capture_output=True, timeout=300)
    assert restarted.returncode == 0, restarted.stderr.decode()[-2000:]
    if broker:  # jobs run in the worker threads: wait for the last ones
        deadline = time.monotonic() + 60
        while _processed(tmp)[0] < total and time.monotonic() < deadline:
            subprocess.run([TERCUL, "worker", "--once"], env=env, cwd=ROOT, capture_output=True, timeout=300)
    assert _processed(tmp)[0] >= total
    # analyses that found form features asked for their works to be indexed again, a few
    # seconds later (tercul/services/analysis/indexing.py): let those run too
    deadline = time.monotonic() + 120
    while _processed(tmp)[0] < _processed(tmp)[1] and time.monotonic() < deadline:
        time.sleep(1)
        subprocess.run([TERCUL, "worker", "--once"], env=env, cwd=ROOT, capture_output=True, timeout=300)
    done, total = _processed(tmp)
    assert done == total, f"{done}/{total} index jobs done"
    verify = subprocess.run([TERCUL, "search", "verify"], env=env, cwd=ROOT, capture_output=True, timeout=300)
    assert verify.returncode == 0, verify.stdout.decode()[-2000:]
    assert verify.stdout.decode().strip().endswith("0 difference(s)")


def test_sigkill_with_embedded_jobs(tmp_path):
    _kill_and_recover(tmp_path, None)


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="Redis is not running on 127.0.0.1:6379")
def test_sigkill_with_the_redis_broker(tmp_path):
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    _kill_and_recover(tmp_path, REDIS_URL)
