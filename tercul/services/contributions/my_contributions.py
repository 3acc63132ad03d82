"""A contributor's own contributions, with counts by status."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...models import Contribution, User
from ..accounts import require_user
from .lifecycle import STATUS_LABELS
from ..reading.pagination import Pagination
from .listing import ContributionItem, item_columns, list_items, page_numbers, with_joins


@dataclass
class MyContributions:
    items: list[ContributionItem]
    counts: dict[str, int]  # status -> count, all of the user's contributions
    status: str | None
    pagination: Pagination


def my_contributions(session: Session, actor: User | None, *, status: str | None = None, page: int = 1,
                     per_page: int = 50) -> MyContributions:
    """The actor's own contributions, most recently changed first, with counts by status."""
    actor = require_user(actor)
    page, per_page = page_numbers(page, per_page)
    if status is not None and status not in STATUS_LABELS:
        status = None
    counts = dict(session.execute(select(Contribution.status, func.count()).where(
        Contribution.contributor_id == actor.id).group_by(Contribution.status)).all())
    total = counts.get(status, 0) if status else sum(counts.values())
    stmt = with_joins(select(*item_columns())).where(Contribution.contributor_id == actor.id)
    if status:
        stmt = stmt.where(Contribution.status == status)
    stmt = stmt.order_by(Contribution.updated_at.desc(), Contribution.id.desc()) \
        .limit(per_page).offset((page - 1) * per_page)
    return MyContributions(list_items(session, stmt), counts, status, Pagination(page, per_page, total))
