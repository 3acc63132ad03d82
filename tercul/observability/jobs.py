"""Outbox jobs, observed: a span per job (continuing the publishing request's trace) and
counts by topic and outcome. Applied to :func:`tercul.tasks.jobs.run_entry` as a decorator,
so every runner (the embedded relay, ``tercul worker``, the Dramatiq actor) is covered."""
from __future__ import annotations

import time
from functools import wraps

from .metrics import job_finished
from .tracing import job_span


def observed_job(run):
    """Wrap ``run(session, entry_id) -> outcome``."""

    @wraps(run)
    def wrapper(session, entry_id: int, *args, **kwargs) -> str:
        from ..models import OutboxEntry

        entry = session.get(OutboxEntry, entry_id)  # run() finds it in the session: no second query
        if entry is None:
            return run(session, entry_id, *args, **kwargs)
        topic, entity, entity_id = entry.topic, entry.entity, entry.entity_id
        traceparent = (entry.payload or {}).get("traceparent")
        started = time.perf_counter()
        with job_span(topic, entity, entity_id, traceparent) as current:
            outcome = run(session, entry_id, *args, **kwargs)
            if current is not None:
                current.set_attribute("job.outcome", outcome)
        job_finished(topic, outcome, time.perf_counter() - started)
        return outcome

    return wrapper
