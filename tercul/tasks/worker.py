"""Dramatiq with Redis: the broker, the app-context middleware, the actor, the relay loop.

The broker is declared before the actor module is imported (an actor binds to the
broker that is global when it is declared). flask-dramatiq is not used: it replaces
any ``worker`` CLI command; the middleware below is all we need from it.
"""
from __future__ import annotations

import logging
import signal
import threading
import time

import dramatiq
from dramatiq.middleware import Middleware
from flask import Flask, current_app

log = logging.getLogger("tercul.tasks")
QUEUE = "tercul"
_configured: dict[str, object] = {}


class AppContextMiddleware(Middleware):
    """Each message runs inside an app context, with a fresh database session after."""

    def __init__(self, app: Flask):
        self.app = app
        self._local = threading.local()

    def before_process_message(self, broker, message):
        context = self.app.app_context()
        context.push()
        self._local.context = context

    def _pop(self):
        context = getattr(self._local, "context", None)
        if context is None:
            return
        from ..extensions import db

        try:
            db.session.remove()
        finally:
            context.pop()
            self._local.context = None

    def after_process_message(self, broker, message, *, result=None, exception=None):
        self._pop()

    def after_skip_message(self, broker, message):
        self._pop()


def setup_broker(app: Flask):
    """The Dramatiq broker for ``BROKER_URL`` (a stub broker without one), with our middleware."""
    url = app.config.get("BROKER_URL")
    if _configured.get("url") == url and _configured.get("broker") is not None:
        _configured["middleware"].app = app
        return _configured["broker"]
    if url:
        from dramatiq.brokers.redis import RedisBroker

        broker = RedisBroker(url=url)
    else:
        from dramatiq.brokers.stub import StubBroker

        broker = StubBroker()
    middleware = AppContextMiddleware(app)
    broker.add_middleware(middleware)
    dramatiq.set_broker(broker)
    from . import actors  # noqa: F401 - declares the actors on this broker

    actors.declare(broker)
    _configured.update(url=url, broker=broker, middleware=middleware)
    return broker


def relay_once(session, limit: int = 200) -> int:
    """Claim due rows and send them to the broker; returns how many were sent."""
    from . import actors, jobs

    setup_broker(current_app._get_current_object())
    ids = jobs.claim_due(session, limit=limit)
    for sent, entry_id in enumerate(ids):
        try:
            actors.run_outbox_entry.send(entry_id)
        except Exception:
            # the broker is down: the rows not sent are due again now, not after the lease
            session.rollback()
            released = jobs.release_claims(session, ids[sent:])
            log.warning("broker send failed; %d claimed job(s) released at once", released)
            raise
    return len(ids)


def _wait_for_claims(app: Flask, stop: threading.Event, timeout: float = 1800) -> None:
    """Until the rows this process sent are done (or dead, or ``timeout`` passed), sending
    again those that failed once their backoff has passed."""
    from sqlalchemy import func, select

    from ..extensions import db
    from ..models import OutboxEntry
    from .jobs import claimant

    deadline = time.monotonic() + timeout
    while not stop.is_set() and time.monotonic() < deadline:
        with app.app_context():
            try:  # a job that failed meanwhile is due again after its backoff: send it again
                relay_once(db.session)
            except Exception:  # noqa: BLE001 - the broker or database hiccuped; try again next round
                log.exception("relay failed; retrying")
                db.session.rollback()
            left = db.session.scalar(select(func.count(OutboxEntry.id)).where(
                OutboxEntry.claimed_by == claimant(), OutboxEntry.processed_at.is_(None),
                OutboxEntry.dead_at.is_(None)))
            db.session.remove()
        if not left:
            return
        stop.wait(0.2)


def run_worker(app: Flask, *, threads: int = 2, poll: float = 1.0, once: bool = False) -> None:
    """`tercul worker`: run jobs until SIGTERM/SIGINT.

    With a broker: Dramatiq worker threads plus the relay loop in this thread. Without
    one: this process drains the outbox itself (the same jobs, one at a time).
    """
    from ..extensions import db
    from . import jobs

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    broker_mode = bool(app.config.get("BROKER_URL"))
    from ..observability.metrics import start_worker_server

    start_worker_server(app)  # WORKER_METRICS_PORT: this process's job metrics
    worker = None
    if broker_mode:
        broker = setup_broker(app)
        worker = dramatiq.Worker(broker, queues={QUEUE}, worker_threads=threads)
        worker.start()
        log.info("worker started: %d threads on %s", threads, app.config["BROKER_URL"].split("@")[-1])
    else:
        log.info("worker started: embedded jobs (no BROKER_URL)")
    with app.app_context():
        try:
            jobs.on_start(db.session)
        finally:
            db.session.remove()
    from .schedule import Scheduler

    scheduler = None if once else Scheduler(app)  # periodic jobs, each once across workers
    try:
        while not stop.is_set():
            if scheduler is not None:
                scheduler.run_due()
            with app.app_context():
                try:
                    if broker_mode:
                        relay_once(db.session)
                    else:
                        jobs.drain(db.session)
                except Exception:  # noqa: BLE001 - keep the worker alive through a DB/broker hiccup
                    log.exception("relay failed; retrying")
                finally:
                    db.session.remove()
            if once:
                if worker is not None:
                    _wait_for_claims(app, stop)
                break
            stop.wait(poll)
    finally:
        if worker is not None:
            worker.stop()
        log.info("worker stopped")
