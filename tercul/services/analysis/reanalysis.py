"""The backlog: texts whose analysis is missing or stale, and the ``analyse`` outbox rows about them."""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from ...models import OutboxEntry, TextAnalysis, TextRevision, Translation, Work
from ..outbox import enqueue
from .subjects import TOPIC, _subjects, analyser_version


def stale_texts(session: Session, *, work_ids: Iterable[int] | None = None) -> list[tuple[str, int, int]]:
    """Published texts without an analysis under the current version: (entity, id, revision_id)."""
    version = analyser_version()
    done = exists().where(TextAnalysis.revision_id == TextRevision.id, TextAnalysis.analyzer_version == version)
    q = (select(TextRevision.work_id, TextRevision.translation_id, TextRevision.id)
         .outerjoin(Work, Work.current_revision_id == TextRevision.id)
         .outerjoin(Translation, and_(Translation.current_revision_id == TextRevision.id,
                                      Translation.status == "published"))
         .where(or_(Work.id.is_not(None), Translation.id.is_not(None)), ~done))
    if work_ids is not None:
        ids = list(work_ids)
        q = q.where(or_(Work.id.in_(ids), Translation.work_id.in_(ids)))
    rows = session.execute(q.order_by(TextRevision.id)).all()
    return [("work", w, r) if w is not None else ("translation", t, r) for w, t, r in rows]


def published_texts(session: Session, *, work_ids: Iterable[int] | None = None) -> list[tuple[str, int, int]]:
    """Every published text (or those of ``work_ids``): (entity, id, revision_id)."""
    wq = select(Work.id, Work.current_revision_id).where(Work.current_revision_id.is_not(None))
    tq = select(Translation.id, Translation.current_revision_id).where(
        Translation.current_revision_id.is_not(None), Translation.status == "published")
    if work_ids is not None:
        ids = list(work_ids)
        wq, tq = wq.where(Work.id.in_(ids)), tq.where(Translation.work_id.in_(ids))
    return ([("work", i, r) for i, r in session.execute(wq.order_by(Work.id))]
            + [("translation", i, r) for i, r in session.execute(tq.order_by(Translation.id))])


def by_language(session: Session, texts: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Texts grouped by language (then in reading order): the analysers load each language's data once."""
    languages = {rid: s.language for rid, s in _subjects(session, [r for _e, _i, r in texts]).items()}
    return sorted(texts, key=lambda t: (languages.get(t[2]) or "", t[2]))


def schedule_reanalysis(session: Session) -> int:
    """Ask the workers to analyse every published text whose analysis is missing or stale.

    Writes one ``analyse`` outbox row per such text, unless one is already pending; run
    after a new analyser version is deployed (``tercul enrich --stale``). Returns the
    number of rows written; the caller commits.
    """
    pending = {(e, i) for e, i in session.execute(
        select(OutboxEntry.entity, OutboxEntry.entity_id).where(*pending_condition()))}
    written = 0
    for entity, entity_id, revision_id in stale_texts(session):
        if (entity, entity_id) not in pending:
            enqueue(session, TOPIC, entity, entity_id, revision_id, reason="analyser version")
            written += 1
    session.flush()
    return written


def schedule_after_upgrade(session: Session) -> int:
    """On a worker's start: if analyses of another analyser version are stored (a new
    version was deployed), schedule the re-analysis in the background; commits.

    One cheap query when nothing changed. Several processes starting at once may both
    schedule: the second finds the first's rows pending and writes none (and a duplicate
    would only find the text analysed already).
    """
    outdated = session.scalar(select(TextAnalysis.id).where(
        TextAnalysis.analyzer_version != analyser_version()).limit(1))
    if outdated is None:
        return 0
    written = schedule_reanalysis(session)
    session.commit()
    return written


def pending_condition():
    return (OutboxEntry.topic == TOPIC, OutboxEntry.processed_at.is_(None), OutboxEntry.dead_at.is_(None))


def pending_count(session: Session) -> int:
    """``analyse`` outbox rows neither processed nor dead."""
    return session.scalar(select(func.count()).select_from(OutboxEntry).where(*pending_condition())) or 0


def mark_done(session: Session, covered: dict[tuple[str, int], int]) -> int:
    """Mark pending ``analyse`` rows about these texts (at these revisions or older) processed."""
    from sqlalchemy import update

    from ...models._base import utcnow

    items = sorted(covered.items())
    marked = 0
    for start in range(0, len(items), 200):
        result = session.execute(update(OutboxEntry).where(*pending_condition(), or_(*(
            and_(OutboxEntry.entity == e, OutboxEntry.entity_id == i, OutboxEntry.version <= rev)
            for (e, i), rev in items[start:start + 200]))).values(processed_at=utcnow(), last_error=None)
            .execution_options(synchronize_session=False))
        marked += result.rowcount or 0
    return marked
