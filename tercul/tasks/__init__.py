"""Background jobs: the outbox relay, Dramatiq actors, and the app context they run in.

Two ways to run the same jobs:

- **embedded** (no ``BROKER_URL``): after a commit that wrote outbox rows, a thread in
  the serving process runs them (:class:`Relay`); no other server is needed.
- **broker** (``BROKER_URL``, Redis): the relay sends row ids to Dramatiq; ``tercul
  worker`` runs the actors and a relay loop (which also re-sends rows whose lease ran
  out, e.g. after a worker was killed).

Either way the outbox row is the source of truth (see :mod:`tercul.tasks.jobs`).
"""
from __future__ import annotations

import logging
import threading

from flask import Flask, current_app, has_request_context
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger("tercul.tasks")
_OUTBOX_FLAG = "tercul_outbox_written"
_listening = False


def init_app(app: Flask) -> None:
    """Start relaying outbox rows after commits (called once per app)."""
    global _listening
    app.extensions["tercul.relay"] = Relay(app)
    if not _listening:
        event.listen(Session, "after_flush", _note_outbox_rows)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", _forget_outbox_rows)
        _listening = True


def start_jobs(app: Flask) -> None:
    """At the start of a serving process (``wsgi.py``, ``tercul serve``): take back rows
    that a crashed process left claimed and run what is due, in the relay thread, without
    waiting for a first request."""
    relay = app.extensions.get("tercul.relay")
    if relay is not None:
        relay.catch_up()
    if relay is not None and relay.enabled and app.config.get("JOBS_MODE") != "broker":
        from .schedule import start_in_process

        start_in_process(app)  # the periodic jobs (view flush, trending); `tercul worker` runs them otherwise


def _note_outbox_rows(session: Session, _flush_context) -> None:
    from ..models import OutboxEntry

    if any(isinstance(obj, OutboxEntry) for obj in session.new):
        session.info[_OUTBOX_FLAG] = True


def _forget_outbox_rows(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_OUTBOX_FLAG, None)


def _after_commit(session: Session) -> None:
    if not session.info.pop(_OUTBOX_FLAG, False):
        return
    try:
        relay = current_app.extensions.get("tercul.relay")
    except RuntimeError:  # no app context: nothing to kick
        return
    if relay is not None and relay.enabled and has_request_context():
        # CLI commands leave their rows to `tercul worker` or the next server
        relay.kick()


class Relay:
    """A thread that runs (embedded) or sends (broker) due outbox rows when kicked."""

    def __init__(self, app: Flask):
        self.app = app
        self.enabled = bool(app.config.get("JOBS_IN_PROCESS", True))
        self._event = threading.Event()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._caught_up = False
        self._released = False
        self._stopping = False

    def kick(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            with self._start_lock:
                if self._thread is None or not self._thread.is_alive():
                    self._thread = threading.Thread(target=self._loop, name="tercul-relay", daemon=True)
                    self._thread.start()
        self._event.set()

    def stop(self, timeout: float = 10) -> None:
        """End the thread (tests; a server just exits)."""
        self._stopping = True
        self._event.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def catch_up(self) -> None:
        """Once per process: rows left by CLI commands or a previous server."""
        if self.enabled and not self._caught_up:
            self._caught_up = True
            self.kick()

    def _loop(self) -> None:
        from ..extensions import db
        from . import jobs

        while not self._stopping:
            self._event.wait(timeout=30)
            self._event.clear()
            if self._stopping:
                break
            wait = None
            with self.app.app_context():
                try:
                    if not self._released:
                        jobs.on_start(db.session)
                        self._released = True
                    if self.app.config.get("JOBS_MODE") == "broker":
                        from .worker import relay_once

                        relay_once(db.session)
                    else:
                        jobs.drain(db.session)
                    wait = jobs.next_due_in(db.session)
                except Exception:  # noqa: BLE001 - the relay must survive a bad moment (DB restart)
                    log.exception("outbox relay failed; retrying later")
                finally:
                    db.session.remove()
            if wait is not None and wait < 30:
                threading.Timer(wait + 0.05, self._event.set).start()
