"""Contributions waiting for a reviewer: filters, facets, oldest first."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ...models import Contribution, User, Work
from ...models._base import utcnow
from ..accounts import require_reviewer
from ..errors import Invalid
from ..languages import normalize_language
from .lifecycle import KINDS
from ..reading.pagination import Pagination
from .listing import ContributionItem, item_columns, list_items, page_numbers, with_joins

AGES = {1: "waiting over a day", 7: "waiting over a week", 30: "waiting over a month"}
QUEUE_STATUSES = ("pending", "changes_requested")


@dataclass
class QueueFilters:
    language: str | None = None
    work: str | None = None  # a work's slug
    kind: str | None = None
    older_than_days: int | None = None
    status: str = "pending"

    def args(self, **changes: Any) -> dict[str, Any]:
        values = {"language": self.language, "work": self.work, "kind": self.kind, "age": self.older_than_days,
                  "status": None if self.status == "pending" else self.status, **changes}
        return {k: v for k, v in values.items() if v not in (None, "")}

    @property
    def active(self) -> bool:
        return bool(self.language or self.work or self.kind or self.older_than_days)


@dataclass
class ReviewQueue:
    items: list[ContributionItem]
    filters: QueueFilters
    pagination: Pagination
    languages: list[tuple[str, int]]  # languages waiting, with counts
    kinds: list[tuple[str, int]]
    work_title: str | None
    own_waiting: int  # the reviewer's own contributions waiting for someone else
    notices: list[str] = field(default_factory=list)


def clean_queue_filters(args: dict[str, Any]) -> tuple[QueueFilters, list[str]]:
    """Queue filters from URL arguments; what cannot be used is dropped and explained."""
    notices: list[str] = []
    filters = QueueFilters()
    raw_language = (args.get("language") or "").strip()
    if raw_language:
        try:
            filters.language = normalize_language(raw_language)
        except Invalid:
            notices.append(f"“{raw_language[:20]}” is not a language code; showing all languages.")
    filters.work = (args.get("work") or "").strip()[:200] or None
    kind = (args.get("kind") or "").strip()
    if kind in KINDS:
        filters.kind = kind
    elif kind:
        notices.append("Unknown kind of contribution; showing all kinds.")
    age = (args.get("age") or "").strip()
    if age:
        if age.isdigit() and int(age) in AGES:
            filters.older_than_days = int(age)
        else:
            notices.append("Unknown waiting time; showing all.")
    status = (args.get("status") or "pending").strip()
    filters.status = status if status in QUEUE_STATUSES else "pending"
    return filters, notices


def review_queue(session: Session, actor: User | None, filters: QueueFilters | None = None, *, page: int = 1,
                 per_page: int = 50, now: datetime | None = None) -> ReviewQueue:
    """Contributions waiting for a reviewer, oldest first, filtered; without the
    reviewer's own (four eyes). A fixed number of queries, whatever the page size."""
    reviewer = require_reviewer(actor)
    filters = filters or QueueFilters()
    page, per_page = page_numbers(page, per_page)
    now = now or utcnow()
    not_own = or_(Contribution.contributor_id.is_(None), Contribution.contributor_id != reviewer.id)
    base = [Contribution.status == filters.status, not_own]
    conditions = list(base)
    work_title = None
    if filters.work:
        work_row = session.execute(select(Work.id, Work.title).where(Work.slug == filters.work)).first()
        conditions.append(Contribution.work_id == (work_row.id if work_row else -1))
        work_title = work_row.title if work_row else None
    if filters.language:
        conditions.append(Contribution.language == filters.language)
    if filters.kind:
        conditions.append(Contribution.kind == filters.kind)
    if filters.older_than_days:
        conditions.append(Contribution.submitted_at <= now - timedelta(days=filters.older_than_days))
    total = session.scalar(select(func.count(Contribution.id)).where(*conditions)) or 0
    stmt = (with_joins(select(*item_columns())).where(*conditions)
            .order_by(Contribution.submitted_at.asc(), Contribution.id.asc())
            .limit(per_page).offset((page - 1) * per_page))
    items = list_items(session, stmt)
    facets = session.execute(
        select(Contribution.language, Contribution.kind, func.count()).where(*base)
        .group_by(Contribution.language, Contribution.kind)).all()
    languages: dict[str, int] = {}
    kinds: dict[str, int] = {}
    for language, kind, count in facets:
        languages[language] = languages.get(language, 0) + count
        kinds[kind] = kinds.get(kind, 0) + count
    own = session.scalar(select(func.count(Contribution.id)).where(
        Contribution.status == "pending", Contribution.contributor_id == reviewer.id)) or 0
    return ReviewQueue(items, filters, Pagination(page, per_page, total), sorted(languages.items()),
                       [(k, kinds[k]) for k in KINDS if k in kinds], work_title, own)
