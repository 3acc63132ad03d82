"""The jobs page for administrators: dead letters, what is pending, and retrying."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..models import OutboxEntry
from ..models._base import utcnow
from ..services.errors import Forbidden, NotFound
from .jobs import HANDLERS

PAGE_SIZE = 50


def _require_admin(actor) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.has_role("admin"):
        raise Forbidden("Only administrators can see and retry jobs.")


@dataclass
class JobsOverview:
    dead: list[OutboxEntry]
    dead_total: int
    pending: list[tuple[str, int]]  # topic -> rows waiting (topics without a handler included)
    handled_topics: tuple[str, ...]


def jobs_overview(session: Session, actor, *, limit: int = PAGE_SIZE) -> JobsOverview:
    """Dead-letter rows (newest first) and the pending count per topic."""
    _require_admin(actor)
    dead = list(session.scalars(select(OutboxEntry).where(OutboxEntry.dead_at.is_not(None))
                                .order_by(OutboxEntry.dead_at.desc(), OutboxEntry.id.desc()).limit(limit)))
    dead_total = session.scalar(select(func.count(OutboxEntry.id)).where(OutboxEntry.dead_at.is_not(None))) or 0
    pending = [(topic, n) for topic, n in session.execute(
        select(OutboxEntry.topic, func.count(OutboxEntry.id))
        .where(OutboxEntry.processed_at.is_(None), OutboxEntry.dead_at.is_(None))
        .group_by(OutboxEntry.topic).order_by(OutboxEntry.topic))]
    return JobsOverview(dead=dead, dead_total=dead_total, pending=pending, handled_topics=tuple(HANDLERS))


def retry_job(session: Session, actor, entry_id: int) -> OutboxEntry:
    """Send a dead job back to the queue, with its attempts reset."""
    _require_admin(actor)
    entry = session.get(OutboxEntry, entry_id)
    if entry is None or entry.dead_at is None:
        raise NotFound("There is no such dead job (it may have been retried already).")
    entry.dead_at = None
    entry.attempts = 0
    entry.available_at = utcnow()
    session.flush()
    return entry


def retry_all_dead(session: Session, actor) -> int:
    _require_admin(actor)
    result = session.execute(update(OutboxEntry).where(OutboxEntry.dead_at.is_not(None))
                             .values(dead_at=None, attempts=0, available_at=utcnow())
                             .execution_options(synchronize_session=False))
    return result.rowcount or 0
