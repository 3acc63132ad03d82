"""Jobs under pressure: overlapping rows marked done without waiting (no deadlock), a
failed broker send releases its rows at once, and a serving process killed with SIGKILL
in the middle of indexing is resumed by the next one at start-up, losing nothing."""
from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from tercul.extensions import db
from tercul.models import OutboxEntry
from tercul.models._base import utcnow
from tercul.tasks import jobs

ROOT = Path(__file__).resolve().parents[2]
TERCUL = str(Path(sys.executable).parent / "tercul")


def _postgresql_only(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("row locks: PostgreSQL only (SQLite has one writer at a time)")


def test_workers_marking_overlapping_rows_never_wait_for_each_other(app):
    _postgresql_only(app)
    with app.app_context(), db.engine.connect() as setup:
        ids = list(setup.execute(text(
            "INSERT INTO outbox (topic, entity, entity_id, version, payload, attempts, available_at, created_at) "
            "SELECT 'index', 'work', 900000 + n, 1, '{}', 0, now(), now() FROM generate_series(1, 40) n "
            "RETURNING id")).scalars())
        setup.commit()
        covered = {("work", 900000 + n): 1 for n in range(1, 41)}
        first, second = Session(db.engine), Session(db.engine)
        try:
            # the first worker holds its rows (its transaction is open) ...
            assert jobs.mark_done(first, ids[0], "index", covered) == 40
            # ... the second, whose rows overlap, neither waits nor deadlocks
            second.execute(text("SET LOCAL lock_timeout = '2s'"))
            started = time.monotonic()
            assert jobs.mark_done(second, ids[-1], "index", dict(reversed(list(covered.items())))) == 0
            assert time.monotonic() - started < 1.5
            first.commit()
            second.commit()
            done = setup.execute(select(OutboxEntry.processed_at).where(OutboxEntry.id.in_(ids))).scalars().all()
            assert all(done)
        finally:
            first.close()
            second.close()
            setup.execute(OutboxEntry.__table__.delete().where(OutboxEntry.id.in_(ids)))
            setup.commit()


def test_concurrent_workers_marking_overlapping_rows_all_finish(app):
    _postgresql_only(app)
    with app.app_context(), db.engine.connect() as setup:
        ids = list(setup.execute(text(
            "INSERT INTO outbox (topic, entity, entity_id, version, payload, attempts, available_at, created_at) "
            "SELECT 'index', 'work', 910000 + n % 20, 1, '{}', 0, now(), now() FROM generate_series(1, 200) n "
            "RETURNING id")).scalars())
        setup.commit()
        errors = []

        def worker(order):
            try:
                with app.app_context():
                    for entry_id in order:
                        with Session(db.engine) as s:
                            jobs.mark_done(s, entry_id, "index", {("work", 910000 + n): 1 for n in range(20)})
                            s.commit()
            except Exception as exc:  # noqa: BLE001 - collected for the assertion
                errors.append(exc)

        threads = [threading.Thread(target=worker, args=(ids[i::4] if i % 2 else ids[::-1][i::4],)) for i in range(4)]
        try:
            with app.app_context():
                for t in threads:
                    t.start()
                for t in threads:
                    t.join(60)
            assert errors == []
            assert all(setup.execute(select(OutboxEntry.processed_at).where(OutboxEntry.id.in_(ids))).scalars())
        finally:
            setup.execute(OutboxEntry.__table__.delete().where(OutboxEntry.id.in_(ids)))
            setup.commit()


def test_a_failed_broker_send_releases_the_claimed_rows_at_once(app, session, monkeypatch):
    from tercul.tasks import actors, worker

    rows = [OutboxEntry(topic="index", entity="work", entity_id=n, version=1, payload={}) for n in (1, 2, 3)]
    session.add_all(rows)
    session.commit()
    calls = []

    def send(entry_id):
        calls.append(entry_id)
        if len(calls) == 2:
            raise ConnectionError("broker unreachable")

    worker.setup_broker(app)
    monkeypatch.setattr(actors.run_outbox_entry, "send", send)
    with pytest.raises(ConnectionError):
        worker.relay_once(session)
    session.expire_all()
    states = {r.id: (r.claimed_by, r.available_at) for r in session.scalars(
        select(OutboxEntry).where(OutboxEntry.id.in_([r.id for r in rows])))}
    sent, unsent = calls[0], [i for i in states if i != calls[0]]
    assert states[sent][0] is not None  # sent: still leased to the worker that runs it
    now = utcnow().replace(tzinfo=None)
    for entry_id in unsent:  # not sent: due again now, not in ten minutes
        claimed_by, available_at = states[entry_id]
        assert claimed_by is None and available_at.replace(tzinfo=None) <= now + timedelta(seconds=1)


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
    catalog.upsert_author(db.session, slug="poet", name="A Poet")
    for n in range(12):
        work, _ = catalog.upsert_work(db.session, catalog.WorkFields(
            slug=f"poem-{n}", title=f"Poem {n}", language="en", form="poetry", authors=["poet"], genres=[], tags=[]))
        catalog.set_work_text(db.session, work, text(n, "en"))
        for lang in ("de", "fr"):
            catalog.upsert_translation(db.session, work, language=lang, title=f"Poem {n} ({lang})",
                                       text=text(n, lang), translator_name="T")
    db.session.commit()
"""


def _env(tmp: Path) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TEST_", "PYTEST")) and k not in ("BROKER_URL", "REDIS_URL", "DATABASE_URL")}
    env.update(TERCUL_ENV="development", TERCUL_INSTANCE=str(tmp), DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite'}",
               SEARCH_INDEX_PATH=str(tmp / "index"), LOG_LEVEL="WARNING", JOBS_BACKOFF_SECONDS="1")
    return env


def _processed(tmp: Path) -> tuple[int, int]:
    with closing(sqlite3.connect(tmp / "db.sqlite", timeout=10)) as conn:
        done, total = conn.execute(
            "SELECT SUM(processed_at IS NOT NULL), COUNT(*) FROM outbox WHERE topic = 'index'").fetchone()
    return int(done or 0), int(total)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(tmp: Path, env: dict, name: str) -> subprocess.Popen:
    with open(tmp / f"{name}.log", "wb") as log:  # the child keeps its own descriptor
        return subprocess.Popen([TERCUL, "serve", "--port", str(_free_port())], env=env, cwd=ROOT,
                                stdout=log, stderr=subprocess.STDOUT)


def _wait(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def _claimed(tmp: Path, pid: int) -> int:
    """Rows claimed by process ``pid`` and not done."""
    with closing(sqlite3.connect(tmp / "db.sqlite", timeout=10)) as conn:
        return conn.execute("SELECT COUNT(*) FROM outbox WHERE claimed_by LIKE ? AND processed_at IS NULL",
                            (f"%:{pid}",)).fetchone()[0]


def test_a_web_process_killed_mid_indexing_is_resumed_at_start_up_by_the_next(tmp_path):
    env = _env(tmp_path)
    subprocess.run([TERCUL, "db", "upgrade"], env=env, check=True, capture_output=True, cwd=ROOT)
    subprocess.run([sys.executable, "-c", SEED], env=env, check=True, capture_output=True, cwd=ROOT)
    assert _processed(tmp_path) == (0, 36)
    # the embedded jobs start with the server, with no request sent to it
    server = _serve(tmp_path, env, "first")
    try:
        # kill it while it holds claimed rows: it claims 2 at a time, and between two batches it holds none
        started = _wait(lambda: (_processed(tmp_path)[0] >= 2 and _claimed(tmp_path, server.pid) > 0)
                        or server.poll() is not None, 300)
        assert started and server.poll() is None, (tmp_path / "first.log").read_text()[-2000:]
        server.send_signal(signal.SIGKILL)
        server.wait(10)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    done, total = _processed(tmp_path)
    assert 0 < done < total, f"not killed in the middle of the work: {done}/{total}"
    assert _claimed(tmp_path, server.pid) > 0  # rows the dead process held
    server = _serve(tmp_path, env, "second")
    try:
        finished = _wait(lambda: _processed(tmp_path)[0] == total, 120)  # taken back at once, not after the lease
        assert finished, (tmp_path / "second.log").read_text()[-2000:]
    finally:
        server.terminate()
        server.wait(10)
    verify = subprocess.run([TERCUL, "search", "verify"], env=env, cwd=ROOT, capture_output=True, timeout=300)
    assert verify.returncode == 0 and verify.stdout.decode().strip().endswith("0 difference(s)"), verify.stdout
