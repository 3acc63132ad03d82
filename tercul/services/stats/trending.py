"""Trending works: a time-decayed score, computed by a scheduled job into ``trending``.

The score of a work for a period is

    score = sum over its events e of  weight(kind of e) * exp(-age(e) / tau(period))

over the events of the last ``WINDOW[period]`` days, where ``age`` is in days (a day's
views count as of that day: today's are age 0), ``tau`` is 1 day for "day", 7 for
"week" and 30 for "month", and the weights are those of :data:`WEIGHTS` (a view 1, a
like 5, a comment 4, a bookmark 3, a newly published translation 10). A short tau
forgets fast, so a burst today outranks a steady trickle for "day"; a long one sums
the trickle's weeks, which outweigh one day's burst for "month" (tests simulate both).

Every event has a language: the translation's for a view of a translation, a
bookmark or comment on one, or a new translation; otherwise the work's original
language. A work's score in a language counts the events in that language; the list
over every language (``language == ""``) counts them all. The top :data:`LIST_SIZE`
of each list are stored.
"""
from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import Date, Float, column, delete, func, insert, select, values
from sqlalchemy.orm import Session

from ...models import PERIODS, Translation, TrendingEntry, ViewDaily, Work
from . import sources

TAU_DAYS = {"day": 1.0, "week": 7.0, "month": 30.0}
WINDOW = {"day": 3, "week": 21, "month": 90}
WEIGHTS = {"view": 1.0, "like": 5.0, "bookmark": 3.0, "comment": 4.0, "translation": 10.0}
LIST_SIZE = 100

Scores = dict[str, dict[tuple[str, int], float]]  # period -> (language, work id) -> score


def decay(age_days: float, period: str) -> float:
    """The weight of an event ``age_days`` old in ``period``'s score (0 outside its window)."""
    if age_days < 0 or age_days >= WINDOW[period]:
        return 0.0
    return math.exp(-age_days / TAU_DAYS[period])


def compute_trending(session: Session, *, now: datetime | None = None) -> int:
    """Recompute every trending list from the daily views and the other areas' events.

    Replaces the table's rows in the caller's transaction (the caller commits);
    returns how many rows were stored.
    """
    now = now or datetime.now(timezone.utc)
    scores: Scores = {p: defaultdict(float) for p in PERIODS}
    _add_views(session, scores, now.date())
    _add_events(session, scores, now)
    session.execute(delete(TrendingEntry))
    rows = []
    for period, by_key in scores.items():
        lists: dict[str, list[tuple[float, int]]] = defaultdict(list)
        for (language, work_id), score in by_key.items():
            if score > 0:
                lists[language].append((score, work_id))
        for language, entries in lists.items():
            entries.sort(key=lambda e: (-e[0], e[1]))
            rows += [{"period": period, "language": language, "rank": rank, "work_id": work_id,
                      "score": round(score, 6), "computed_at": now}
                     for rank, (score, work_id) in enumerate(entries[:LIST_SIZE], start=1)]
    for start in range(0, len(rows), 1000):
        session.execute(insert(TrendingEntry), rows[start:start + 1000])
    return len(rows)


def _weights(today: date):
    """A 90-row table (day, weight for day, week, month) to join the daily counts with."""
    days = max(WINDOW.values())
    return values(column("day", Date), *(column(f"w_{p}", Float) for p in PERIODS), name="weights").data(
        [(today - timedelta(days=age), *(decay(age, p) for p in PERIODS)) for age in range(days)])


def _add_views(session: Session, scores: Scores, today: date) -> None:
    weights = _weights(today).cte("weights")
    since = today - timedelta(days=max(WINDOW.values()) - 1)

    def summed(kind: str):
        # one pass over the window's rows, summed per object before any other join
        return (select(ViewDaily.target_id, *(func.sum(ViewDaily.views * weights.c[f"w_{p}"]).label(p)
                                              for p in PERIODS))
                .join(weights, weights.c.day == ViewDaily.day)
                .where(ViewDaily.kind == kind, ViewDaily.day >= since, ViewDaily.day <= today)
                .group_by(ViewDaily.target_id).subquery())

    works, translations = summed("work"), summed("translation")
    queries = (select(works.c.target_id, Work.language, *(works.c[p] for p in PERIODS))
               .join(Work, Work.id == works.c.target_id),
               select(Translation.work_id, Translation.language, *(translations.c[p] for p in PERIODS))
               .join(Translation, Translation.id == translations.c.target_id))
    for query in queries:
        for row in session.execute(query):
            for period in PERIODS:
                _add(scores[period], row[0], row[1], WEIGHTS["view"] * float(getattr(row, period) or 0))


def _add_events(session: Session, scores: Scores, now: datetime) -> None:
    since = now - timedelta(days=max(WINDOW.values()))
    found = [("like", sources.likes_since(session, since)), ("bookmark", sources.bookmarks_since(session, since)),
             ("comment", sources.comments_since(session, since)),
             ("translation", sources.translations_published_since(session, since))]
    work_ids = {row[0] for _kind, rows in found for row in rows if row[1] is None}
    originals = dict(session.execute(select(Work.id, Work.language).where(Work.id.in_(work_ids))).all()) \
        if work_ids else {}
    for kind, rows in found:
        for work_id, language, when in rows:
            age = (now - _aware(when)).total_seconds() / 86400
            language = language or originals.get(work_id)
            for period in PERIODS:
                _add(scores[period], work_id, language, WEIGHTS[kind] * decay(age, period))


def _add(by_key: dict[tuple[str, int], float], work_id: int, language: str | None, value: float) -> None:
    if value:
        by_key[("", work_id)] += value
        if language:
            by_key[(language, work_id)] += value


def _aware(when: datetime) -> datetime:
    # SQLite hands back naive datetimes (stored in UTC)
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)

