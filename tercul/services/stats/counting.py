"""Counting views and searches into the buffer, and flushing the buffer into the database.

:func:`count_view` is what a page calls (``kind``, ``id``): the web layer's
``tercul.web.stats.count_request_view(kind, id)`` builds the :class:`~.visitors.Visit`
from the request and calls it; a collection page calls
``count_request_view("collection", collection.id)`` after it has found the collection.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import delete
from sqlalchemy.orm import Session

from ...models import VIEW_KINDS, SearchQueryDaily, StatsFlush, ViewDaily
from .buffer import MemoryBuffer, RedisBuffer, search_key, view_key
from .visitors import Visit, countable, visitor_digest

Buffer = MemoryBuffer | RedisBuffer
FLUSHES_KEPT_DAYS = 7
QUERY_MAX = 200


def today() -> date:
    return datetime.now(timezone.utc).date()


def count_view(buffer: Buffer, kind: str, target_id: int, visit: Visit, *, day: date | None = None) -> bool:
    """Count a view of (``kind``, ``target_id``) by ``visit``, at most once per visitor and day.

    Robots and readers who ask not to be tracked are not counted. Nothing is written to
    the database here: the flush job does that. Returns True when the view was counted.
    """
    if kind not in VIEW_KINDS:
        raise ValueError(f"unknown view kind {kind!r}")
    if not countable(visit):
        return False
    day = day or today()
    salt = buffer.salt(day)
    if salt is None:  # Redis is away: the view is not counted, the page is served as usual
        return False
    digest = visitor_digest(salt, visit, kind, target_id)
    return buffer.add_view(day, digest, view_key(day, kind, target_id))


def normalise_query(query: str) -> str:
    """A search as counted: lower case, spaces collapsed, at most 200 characters."""
    return " ".join(query.lower().split())[:QUERY_MAX]


def count_search(buffer: Buffer, query: str, found: int, *, day: date | None = None) -> None:
    """Count one search for ``query`` (no user data), noting whether it found nothing."""
    text = normalise_query(query)
    if text:
        buffer.add(search_key(day or today(), text, found == 0))


def flush_buffer(session: Session, buffer: Buffer) -> int:
    """Write the buffered counts to ``views_daily`` and ``search_queries_daily``; returns how many.

    Each batch is committed with its id in ``stats_flushes`` and deleted from the buffer
    after: a batch left by a crash is written by the next flush, or only deleted if its
    commit had happened.
    """
    buffer.seal()
    written = 0
    for batch, counts in buffer.batches():
        if session.get(StatsFlush, batch) is None:
            _write_counts(session, counts)
            session.add(StatsFlush(batch=batch))
            session.commit()
            written += sum(counts.values())
        buffer.done(batch)
    return written


def _write_counts(session: Session, counts: dict[str, int]) -> None:
    views: dict[tuple[str, int, date], int] = defaultdict(int)
    searches: dict[tuple[date, str], list[int]] = defaultdict(lambda: [0, 0])
    for key, n in counts.items():
        what, day, first, rest = key.split("|", 3)
        if what == "v":
            views[(first, int(rest), date.fromisoformat(day))] += n
        elif what == "q":
            entry = searches[(date.fromisoformat(day), rest)]
            entry[0] += n
            entry[1] += n if first == "1" else 0
    if views:
        _add(session, ViewDaily, [{"kind": k, "target_id": t, "day": d, "views": n} for (k, t, d), n in views.items()],
             ("kind", "target_id", "day"), ("views",))
    if searches:
        _add(session, SearchQueryDaily, [{"day": d, "query": q, "searches": s, "empty": e}
                                         for (d, q), (s, e) in searches.items()], ("day", "query"), ("searches", "empty"))


def _add(session: Session, model, rows: list[dict], keys: tuple[str, ...], counters: tuple[str, ...]) -> None:
    """Insert ``rows``, adding their counters to the rows that exist (one statement per 500)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    table = model.__table__
    for start in range(0, len(rows), 500):
        statement = insert(table).values(rows[start:start + 500])
        session.execute(statement.on_conflict_do_update(
            index_elements=list(keys),
            set_={c: table.c[c] + statement.excluded[c] for c in counters}))


def cleanup(session: Session, buffer: Buffer, *, day: date | None = None) -> None:
    """Forget the visitor hashes and salts of past days, and old flush records."""
    day = day or today()
    buffer.forget_before(day)
    limit = datetime.now(timezone.utc) - timedelta(days=FLUSHES_KEPT_DAYS)
    session.execute(delete(StatsFlush).where(StatsFlush.flushed_at < limit))
    session.commit()

