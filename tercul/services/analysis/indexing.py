"""Form features reach search: when an analysis lands, its text is indexed again.

The search index holds each text's form features (sonnet, rhymed, iambic, free verse,
readability band) as a facet, filled at index time from ``text_analyses``. A text is
usually indexed before its analysis is done (both are asked for at publication), so the
``analyse`` job ends by asking for the work to be indexed again. The request waits
:data:`REINDEX_DELAY` seconds and is written once per work while one is waiting: the
analyses of a work's many translations (the UDHR's 500) landing meanwhile share one
index job instead of one each.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import OutboxEntry, TextAnalysis, Translation, Work
from ...models._base import utcnow
from ..outbox import enqueue
from .subjects import analyser_version

REINDEX_DELAY = 5  # seconds an index request waits for more analyses of the same work


def _work_of(session: Session, entity: str, entity_id: int) -> int | None:
    if entity == "work":
        return entity_id
    if entity == "translation":
        return session.scalar(select(Translation.work_id).where(Translation.id == entity_id))
    return None


def request_search_refresh(session: Session, covered: dict[tuple[str, int], int], *,
                           delay: float = REINDEX_DELAY) -> list[int]:
    """Ask for the works of these analysed texts ((entity, id) -> revision) to be indexed
    again, for those whose analysis found form features; returns the works asked for.

    Nothing is written for a work that already has an index request waiting (not yet
    claimed by a worker): that one will read the new features. Flushes; the caller commits.
    """
    revisions = {revision_id: key for key, revision_id in covered.items()}
    if not revisions:
        return []
    with_features = set(session.scalars(select(TextAnalysis.revision_id).where(
        TextAnalysis.revision_id.in_(list(revisions)), TextAnalysis.analyzer_version == analyser_version(),
        TextAnalysis.facets.is_not(None))))
    works = sorted({w for w in (_work_of(session, *revisions[r]) for r in with_features) if w is not None})
    return _request(session, works, delay)


def request_reindex_of_works(session: Session, work_ids: Iterable[int], *, delay: float = 0) -> list[int]:
    """Ask for these works to be indexed again (e.g. after ``tercul enrich``); flushes."""
    return _request(session, sorted(set(work_ids)), delay)


def _request(session: Session, works: list[int], delay: float) -> list[int]:
    if not works:
        return []
    waiting: set[int] = set()
    for start in range(0, len(works), 500):
        waiting |= set(session.scalars(select(OutboxEntry.entity_id).where(
            OutboxEntry.topic == "index", OutboxEntry.entity == "work",
            OutboxEntry.entity_id.in_(works[start:start + 500]), OutboxEntry.processed_at.is_(None),
            OutboxEntry.dead_at.is_(None), OutboxEntry.claimed_by.is_(None))))
    asked = [w for w in works if w not in waiting]
    at = utcnow() + timedelta(seconds=delay)
    existing = set(session.scalars(select(Work.id).where(Work.id.in_(asked)))) if asked else set()
    asked = [w for w in asked if w in existing]
    for work_id in asked:
        enqueue(session, "index", "work", work_id, None, reason="analysis").available_at = at
    session.flush()
    return asked
