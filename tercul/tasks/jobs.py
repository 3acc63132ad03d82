"""Outbox jobs: claiming due rows, running them, retries with backoff, the dead letters.

The outbox table is the durable queue. A row is *due* when it is neither processed
nor dead and its ``available_at`` has passed. Claiming a row moves ``available_at``
forward by a lease (a conditional UPDATE, so two relays never both claim it); a
process killed while holding a row loses nothing: the lease runs out and the row is
due again. Handlers are idempotent (they index the current state of the entity), so
running a row twice is harmless.

A failed run counts an attempt and waits ``JOBS_BACKOFF_SECONDS × 2^(attempts-1)``
(at most an hour); after ``JOBS_MAX_ATTEMPTS`` failures the row is dead: listed on
the admin jobs page, which can send it back.
"""
from __future__ import annotations

import logging
import os
import socket
import traceback
from datetime import datetime, timedelta
from typing import Callable

from flask import current_app
from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.orm import Session

from ..models import OutboxEntry
from ..models._base import utcnow
from ..observability.jobs import observed_job

log = logging.getLogger("tercul.tasks")

LEASE_SECONDS = 600
DRAIN_BATCH = 2
MAX_BACKOFF = 3600


def _index(session: Session, entry: OutboxEntry) -> dict[tuple[str, int], int]:
    from ..search import get_backend
    from ..search.indexer import index_entity
    from ..services.search import invalidate_search

    covered = index_entity(session, get_backend(), entry.entity, entry.entity_id)
    invalidate_search()
    return covered


def _analyse(session: Session, entry: OutboxEntry) -> dict[tuple[str, int], int]:
    # A text the analysers cannot handle gets a partial result with a note, not a failure.
    # The analysers run between two transactions (the read one is committed first): a read
    # transaction kept open for the seconds they take could not become a write on SQLite
    # once another worker thread had committed ("database is locked" at once).
    # Its form features become search filters: the work is indexed again (shortly, once for
    # the analyses of its texts landing meanwhile).
    from ..services.analysis import analyse_entity, request_search_refresh

    covered = analyse_entity(session, entry.entity, entry.entity_id, before_running=session.commit)
    request_search_refresh(session, covered)
    return covered


def _embed(session: Session, entry: OutboxEntry) -> dict[tuple[str, int], int]:
    # one step of the background embedding after a bulk load; it writes the next step's row
    from ..search import get_backend
    from ..services.search import invalidate_search
    from ..services.search_status import continue_embedding

    continue_embedding(session, get_backend(), entry)
    invalidate_search()
    return {}


# topic -> handler; a handler returns what it covered, (entity, id) -> the revision it saw,
# so that pending rows of the same topic about those revisions or older ones are done too
# (a work's texts are indexed together: 500 UDHR translations are one job, not 500).
# Topics without a handler stay pending, untouched.
HANDLERS: dict[str, Callable[[Session, OutboxEntry], dict[tuple[str, int], int] | None]] = {
    "index": _index, "analyse": _analyse, "embed": _embed}
# Claimed first: a publication's index job does not wait behind the backlogs of analyses
# and of the background embedding (a new translation is searchable within seconds).
URGENT_TOPICS = ("index",)


def _settings() -> tuple[int, int]:
    config = current_app.config
    return int(config.get("JOBS_MAX_ATTEMPTS", 5)), int(config.get("JOBS_BACKOFF_SECONDS", 10))


def _due(now: datetime):
    return and_(OutboxEntry.processed_at.is_(None), OutboxEntry.dead_at.is_(None),
                OutboxEntry.available_at <= now, OutboxEntry.topic.in_(list(HANDLERS)))


def claimant() -> str:
    """Who claims rows: this host and process."""
    return f"{socket.gethostname()[:80]}:{os.getpid()}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def on_start(session: Session) -> None:
    """What a worker or relay does once when it starts: take back the jobs of processes
    that died, and re-analyse in the background if a new analyser version was deployed."""
    from ..services.analysis import schedule_after_upgrade

    release_dead_claims(session)
    scheduled = schedule_after_upgrade(session)
    if scheduled:
        log.info("analyser version changed: %d text(s) scheduled for re-analysis", scheduled)


def release_dead_claims(session: Session) -> int:
    """Make rows claimed by processes of this host that no longer run due again at once.

    A worker killed with SIGKILL leaves its claimed rows leased; its successor (or the
    next relay) calls this on start instead of waiting for the lease to run out.
    """
    host = socket.gethostname()[:80]
    now = utcnow()
    released = 0
    rows = session.execute(select(OutboxEntry.id, OutboxEntry.claimed_by).where(
        OutboxEntry.processed_at.is_(None), OutboxEntry.dead_at.is_(None),
        OutboxEntry.claimed_by.like(f"{host}:%"), OutboxEntry.available_at > now)).all()
    for entry_id, claimed_by in rows:
        pid = claimed_by.rsplit(":", 1)[-1]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            session.execute(update(OutboxEntry).where(OutboxEntry.id == entry_id, OutboxEntry.claimed_by == claimed_by)
                            .values(available_at=now, claimed_by=None).execution_options(synchronize_session=False))
            released += 1
    session.commit()
    if released:
        log.info("took back %d job(s) claimed by processes that died", released)
    return released


def claim_due(session: Session, limit: int = 50, lease: int = LEASE_SECONDS) -> list[int]:
    """Claim up to ``limit`` due rows for ``lease`` seconds and commit; returns their ids."""
    now = utcnow()
    me = claimant()
    urgent = case((OutboxEntry.topic.in_(URGENT_TOPICS), 0), else_=1)
    rows = session.execute(select(OutboxEntry.id, OutboxEntry.available_at).where(_due(now))
                           .order_by(urgent, OutboxEntry.available_at, OutboxEntry.id).limit(limit)).all()
    # end the read before writing: SQLite cannot turn a read snapshot into a write
    # transaction once another connection has committed (it fails at once, "locked")
    session.commit()
    claimed = []
    until = now + timedelta(seconds=lease)
    for entry_id, available_at in rows:
        result = session.execute(
            update(OutboxEntry)
            .where(OutboxEntry.id == entry_id, OutboxEntry.available_at == available_at,
                   OutboxEntry.processed_at.is_(None), OutboxEntry.dead_at.is_(None))
            .values(available_at=until, claimed_by=me).execution_options(synchronize_session=False))
        if result.rowcount == 1:
            claimed.append(entry_id)
    session.commit()
    return claimed


@observed_job  # trace span and metrics per job
def run_entry(session: Session, entry_id: int) -> str:
    """Run one outbox row and commit; returns ``done``, ``skipped``, ``retry`` or ``dead``."""
    entry = session.get(OutboxEntry, entry_id)
    if entry is None or entry.processed_at is not None or entry.dead_at is not None:
        session.rollback()
        return "skipped"
    handler = HANDLERS.get(entry.topic)
    if handler is None:
        session.rollback()
        return "skipped"
    topic, entity, entity_id = entry.topic, entry.entity, entry.entity_id
    try:
        covered = handler(session, entry) or {}
        session.commit()  # the handler's reads end here; the bookkeeping below starts with a write
        mark_done(session, entry_id, topic, covered)
        session.commit()
        return "done"
    except Exception as exc:  # noqa: BLE001 - any failure is recorded on the row and retried
        session.rollback()
        log.warning("job %s %s:%s failed: %s", topic, entity, entity_id, exc)
        return record_failure(session, entry_id, exc)


def mark_done(session: Session, entry_id: int, topic: str, covered: dict[tuple[str, int], int]) -> int:
    """Mark a row done, with the pending rows of its topic that its work covered
    (requests about the revisions the handler saw, or older ones); returns how many.

    Each UPDATE takes its rows through a sub-select in id order that skips rows another
    worker holds (it is running or marking them): two workers whose covered rows overlap
    never wait for each other, so they cannot deadlock (each multi-row UPDATE used to
    lock rows in its own scan order: PostgreSQL found four deadlocks while indexing the
    demo). A skipped row stays pending and runs again later, harmlessly (handlers are
    idempotent). Every statement is a write, so SQLite takes its write lock at the first
    one (a read first could not become a write once another worker committed).
    """
    pending = and_(OutboxEntry.processed_at.is_(None), OutboxEntry.dead_at.is_(None))
    items = sorted(covered.items())
    groups = [[OutboxEntry.id == entry_id]] + [
        [and_(OutboxEntry.topic == topic, OutboxEntry.entity == e, OutboxEntry.entity_id == i,
              OutboxEntry.version <= rev) for (e, i), rev in items[start:start + 200]]
        for start in range(0, len(items), 200)]
    now, marked = utcnow(), 0
    for group in groups:
        free = (select(OutboxEntry.id).where(pending, or_(*group)).order_by(OutboxEntry.id)
                .with_for_update(skip_locked=True))
        marked += session.execute(update(OutboxEntry).where(OutboxEntry.id.in_(free))
                                  .values(processed_at=now, last_error=None)
                                  .execution_options(synchronize_session=False)).rowcount
    return marked


def release_claims(session: Session, entry_ids: list[int]) -> int:
    """Make rows this process claimed due again at once (e.g. the broker refused them)."""
    if not entry_ids:
        return 0
    result = session.execute(update(OutboxEntry).where(
        OutboxEntry.id.in_(entry_ids), OutboxEntry.claimed_by == claimant(), OutboxEntry.processed_at.is_(None))
        .values(available_at=utcnow(), claimed_by=None).execution_options(synchronize_session=False))
    session.commit()
    return result.rowcount


def record_failure(session: Session, entry_id: int, exc: BaseException) -> str:
    max_attempts, backoff = _settings()
    # write first (see claim_due), then read what was written
    session.execute(update(OutboxEntry).where(OutboxEntry.id == entry_id)
                    .values(attempts=func.coalesce(OutboxEntry.attempts, 0) + 1,
                            last_error="".join(traceback.format_exception(exc))[-4000:])
                    .execution_options(synchronize_session=False))
    entry = session.get(OutboxEntry, entry_id, populate_existing=True)
    if entry is None:
        session.rollback()
        return "skipped"
    now = utcnow()
    if entry.attempts >= max_attempts:
        entry.dead_at = now
        outcome = "dead"
    else:
        entry.available_at = now + timedelta(seconds=min(MAX_BACKOFF, backoff * 2 ** (entry.attempts - 1)))
        outcome = "retry"
    session.commit()
    return outcome


def drain(session: Session, *, limit: int | None = None, lease: int = LEASE_SECONDS) -> dict[str, int]:
    """Run due rows in this process until none is left (or ``limit`` were run)."""
    outcomes: dict[str, int] = {}
    done = 0
    while limit is None or done < limit:
        # a few rows at a time: an urgent row written meanwhile is claimed after these
        batch = claim_due(session, limit=min(DRAIN_BATCH, limit - done) if limit else DRAIN_BATCH, lease=lease)
        if not batch:
            break
        for entry_id in batch:
            outcome = run_entry(session, entry_id)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            done += 1
    return outcomes


def next_due_in(session: Session) -> float | None:
    """Seconds until the next pending row becomes due (None when none is pending)."""
    at = session.scalar(select(OutboxEntry.available_at).where(
        OutboxEntry.processed_at.is_(None), OutboxEntry.dead_at.is_(None),
        OutboxEntry.topic.in_(list(HANDLERS))).order_by(OutboxEntry.available_at).limit(1))
    session.rollback()
    if at is None:
        return None
    if at.tzinfo is None:
        from datetime import timezone

        at = at.replace(tzinfo=timezone.utc)
    return max(0.0, (at - utcnow()).total_seconds())
