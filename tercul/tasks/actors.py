"""Dramatiq actors. Import only through :func:`tercul.tasks.worker.setup_broker`.

Actors take ids, never ORM objects. Retries are the outbox's (with backoff and a
dead-letter state the admin page shows), so Dramatiq's own retries are off: a
failure is recorded on the row, which the relay sends again when it is due.
"""
from __future__ import annotations

import dramatiq

run_outbox_entry: dramatiq.Actor | None = None


def declare(broker) -> None:
    global run_outbox_entry

    def run_outbox_entry_fn(entry_id: int) -> None:
        from ..extensions import db
        from .jobs import run_entry

        run_entry(db.session, entry_id)

    run_outbox_entry = dramatiq.actor(run_outbox_entry_fn, actor_name="run_outbox_entry", queue_name="tercul",
                                      broker=broker, max_retries=0, time_limit=60 * 60 * 1000)
