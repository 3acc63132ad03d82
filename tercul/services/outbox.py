"""The outbox: requests for work after commit, written in the caller's transaction."""
from __future__ import annotations

from sqlalchemy.orm import Session

from ..models import OutboxEntry
from ..observability.tracing import current_traceparent

TEXT_TOPICS = ("index", "analyse")


def enqueue(session: Session, topic: str, entity: str, entity_id: int, version: int | None = None,
            **payload) -> OutboxEntry:
    """Add an outbox row; it is relayed to the workers only once the transaction commits.

    Within a trace, the row carries it (``payload["traceparent"]``) to the job's span.
    """
    traceparent = current_traceparent()
    if traceparent:
        payload.setdefault("traceparent", traceparent)
    entry = OutboxEntry(topic=topic, entity=entity, entity_id=entity_id, version=version, payload=payload)
    session.add(entry)
    return entry


def request_text_jobs(session: Session, entity: str, entity_id: int, revision_id: int) -> None:
    """A text revision was published: ask for re-indexing and analysis of it."""
    for topic in TEXT_TOPICS:
        enqueue(session, topic, entity, entity_id, revision_id)
