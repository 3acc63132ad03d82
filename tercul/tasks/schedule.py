"""Periodic jobs: the view flush, the trending lists, the cleanup of visitor hashes.

Each job runs at most once per interval across every process that runs a
:class:`Scheduler`:

- with Redis (``REDIS_URL``), a process runs a job only if it could create the key
  ``tercul:schedule:<job>`` (``SET NX EX interval``): the key is the lock and the
  interval at once, so of several ``tercul worker`` processes one runs each job;
- without Redis (the embedded mode), the one serving process runs them in a thread of
  its own (:func:`start_in_process`), keeping the last run time in memory.

``tercul worker`` calls :meth:`Scheduler.run_due` between its rounds. A failing job is
logged and tried again at its next interval; the jobs are idempotent.
"""
from __future__ import annotations

import atexit
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask

log = logging.getLogger("tercul.tasks.schedule")
_THREAD = "tercul.schedule.thread"


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    seconds: float
    run: Callable[[], None]  # called inside an app context


def _flush() -> None:
    from flask import current_app

    from ..extensions import db
    from ..services import stats

    stats.flush_buffer(db.session, stats.buffer_for(current_app))


def _trending() -> None:
    from ..extensions import db
    from ..services import stats

    stats.compute_trending(db.session)
    db.session.commit()


def _cleanup() -> None:
    from flask import current_app

    from ..extensions import db
    from ..services import stats

    stats.cleanup(db.session, stats.buffer_for(current_app))


def periodic_jobs(app: Flask) -> list[PeriodicJob]:
    return [PeriodicJob("stats-flush", app.config.get("STATS_FLUSH_SECONDS", 60), _flush),
            PeriodicJob("stats-trending", app.config.get("TRENDING_SECONDS", 600), _trending),
            PeriodicJob("stats-cleanup", 300, _cleanup)]


class Scheduler:
    """Runs the periodic jobs that are due (see the module)."""

    def __init__(self, app: Flask, jobs: list[PeriodicJob] | None = None, redis_client=None):
        self.app = app
        self.jobs = jobs if jobs is not None else periodic_jobs(app)
        self._last: dict[str, float] = {}
        self._redis = redis_client
        if self._redis is None and app.config.get("REDIS_URL"):
            import redis

            self._redis = redis.Redis.from_url(app.config["REDIS_URL"], socket_connect_timeout=0.5,
                                               socket_timeout=0.5)
        self._owner = f"{socket.gethostname()}:{os.getpid()}"

    def _claim(self, job: PeriodicJob) -> bool:
        now = time.monotonic()
        if self._redis is not None:
            try:
                return bool(self._redis.set(f"tercul:schedule:{job.name}", self._owner, nx=True,
                                            ex=max(1, int(job.seconds))))
            except Exception:  # noqa: BLE001 - Redis away: fall back to this process's own clock
                log.warning("scheduler: Redis unavailable, deciding %s locally", job.name)
        if now - self._last.get(job.name, -job.seconds) < job.seconds:
            return False
        self._last[job.name] = now
        return True

    def run_due(self) -> list[str]:
        """Run each job whose interval has passed and that no other process claimed; their names."""
        from ..extensions import db

        ran = []
        for job in self.jobs:
            if not self._claim(job):
                continue
            with self.app.app_context():
                try:
                    job.run()
                    ran.append(job.name)
                except Exception:  # noqa: BLE001 - one failing job must not stop the others
                    log.exception("periodic job %s failed", job.name)
                    db.session.rollback()
                finally:
                    db.session.remove()
        return ran


def start_in_process(app: Flask, *, tick: float = 5.0) -> None:
    """Embedded mode: run the periodic jobs in a daemon thread of this process (once per app),
    and flush the view buffer when the process exits normally."""
    if app.extensions.get(_THREAD) is not None:
        return
    scheduler = Scheduler(app)
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(tick):
            scheduler.run_due()

    thread = threading.Thread(target=loop, name="tercul-schedule", daemon=True)
    app.extensions[_THREAD] = thread
    thread.start()

    def flush_at_exit() -> None:
        stop.set()
        with app.app_context():
            try:
                _flush()
            except Exception:  # noqa: BLE001 - the database may be gone at exit
                log.exception("final view flush failed")

    atexit.register(flush_at_exit)
