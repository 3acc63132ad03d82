"""Statistics for administrators: daily series, review times, search usage, CSV export."""
from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...models import ReviewEvent, SearchQueryDaily, User, ViewDaily
from ..errors import Forbidden, Invalid

DEFAULT_DAYS = 30
MAX_DAYS = 366
DECISIONS = ("approved", "rejected", "changes_requested")
SERIES = (("views", "Views"), ("accounts", "New accounts"), ("submitted", "Contributions submitted"),
          ("approved", "Contributions approved"), ("searches", "Searches"), ("empty_searches", "Searches with no results"))


def require_admin(actor) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.has_role("admin"):
        raise Forbidden("Only administrators can see the statistics.")


def clean_days(raw) -> int:
    """The number of days shown: 1 to 366 (default 30)."""
    if raw in (None, ""):
        return DEFAULT_DAYS
    try:
        days = int(raw)
    except (TypeError, ValueError):
        raise Invalid("days", "The number of days must be a whole number.") from None
    if not 1 <= days <= MAX_DAYS:
        raise Invalid("days", f"The number of days must be between 1 and {MAX_DAYS}.")
    return days


@dataclass
class DayRow:
    day: date
    views: int = 0
    accounts: int = 0
    submitted: int = 0
    approved: int = 0
    searches: int = 0
    empty_searches: int = 0


@dataclass
class AdminStats:
    days: list[DayRow]
    review_hours_median: float | None
    review_hours_p90: float | None
    reviews: int
    top_queries: list[tuple[str, int]]
    empty_queries: list[tuple[str, int]]

    def series(self, name: str) -> list[int]:
        return [getattr(row, name) for row in self.days]

    def total(self, name: str) -> int:
        return sum(self.series(name))


def percentile(values: list[float], fraction: float) -> float | None:
    """The ``fraction`` percentile of ``values`` (nearest rank); None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def admin_stats(session: Session, actor, *, days: int = DEFAULT_DAYS, today: date | None = None,
                top: int = 20) -> AdminStats:
    """The last ``days`` days (today included) for the ``/admin/stats`` page (admins only)."""
    require_admin(actor)
    today = today or datetime.now(timezone.utc).date()
    first = today - timedelta(days=days - 1)
    since = datetime.combine(first, datetime.min.time(), tzinfo=timezone.utc)
    rows = {first + timedelta(days=i): DayRow(day=first + timedelta(days=i)) for i in range(days)}

    for day, views in session.execute(select(ViewDaily.day, func.sum(ViewDaily.views))
                                      .where(ViewDaily.day >= first).group_by(ViewDaily.day)):
        if day in rows:
            rows[day].views = int(views)
    for day, searches, empty in session.execute(
            select(SearchQueryDaily.day, func.sum(SearchQueryDaily.searches), func.sum(SearchQueryDaily.empty))
            .where(SearchQueryDaily.day >= first).group_by(SearchQueryDaily.day)):
        if day in rows:
            rows[day].searches, rows[day].empty_searches = int(searches), int(empty)
    for when in session.scalars(select(User.created_at).where(User.created_at >= since)):
        _bump(rows, when, "accounts")

    events = session.execute(select(ReviewEvent.contribution_id, ReviewEvent.to_status, ReviewEvent.created_at)
                             .where(ReviewEvent.created_at >= since)).all()
    for _cid, status, when in events:
        if status in ("pending", "approved"):
            _bump(rows, when, "submitted" if status == "pending" else "approved")
    hours = _review_hours(session, events)

    def top_of(column):
        total = func.sum(column)
        return [(q, int(n)) for q, n in session.execute(
            select(SearchQueryDaily.query, total).where(SearchQueryDaily.day >= first, column > 0)
            .group_by(SearchQueryDaily.query).order_by(total.desc(), SearchQueryDaily.query).limit(top))]

    return AdminStats(days=list(rows.values()), review_hours_median=percentile(hours, 0.5),
                      review_hours_p90=percentile(hours, 0.9), reviews=len(hours),
                      top_queries=top_of(SearchQueryDaily.searches), empty_queries=top_of(SearchQueryDaily.empty))


def _bump(rows: dict[date, DayRow], when: datetime, name: str) -> None:
    row = rows.get(_utc(when).date())
    if row is not None:
        setattr(row, name, getattr(row, name) + 1)


def _utc(when: datetime) -> datetime:
    return when.astimezone(timezone.utc) if when.tzinfo else when.replace(tzinfo=timezone.utc)


def _review_hours(session: Session, events) -> list[float]:
    """Hours from a submission to the decision on it, for the decisions among ``events``."""
    decided = {cid for cid, status, _w in events if status in DECISIONS}
    if not decided:
        return []
    history: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
    for cid, status, when in session.execute(
            select(ReviewEvent.contribution_id, ReviewEvent.to_status, ReviewEvent.created_at)
            .where(ReviewEvent.contribution_id.in_(decided)).order_by(ReviewEvent.created_at, ReviewEvent.id)):
        history[cid].append((_utc(when), status))
    window = {(cid, _utc(when)) for cid, status, when in events if status in DECISIONS}
    hours = []
    for cid, steps in history.items():
        submitted = None
        for when, status in steps:
            if status == "pending":
                submitted = when
            elif status in DECISIONS and submitted is not None:
                if (cid, when) in window:
                    hours.append((when - submitted).total_seconds() / 3600)
                submitted = None
    return hours


def stats_csv(stats: AdminStats) -> str:
    """One line per day: the date and each series."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["day", *(name for name, _label in SERIES)])
    for row in stats.days:
        writer.writerow([row.day.isoformat(), *(getattr(row, name) for name, _label in SERIES)])
    return out.getvalue()
