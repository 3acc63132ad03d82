"""Rows of contribution lists (my contributions, the review queue), in a fixed number of queries."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...models import Contribution, ReviewEvent, Translation, User, Work
from ...models._base import utcnow


def page_numbers(page: int | None, per_page: int) -> tuple[int, int]:
    """The page asked for, at least 1, and the page size, between 1 and 200."""
    page = max(1, int(page or 1))
    per_page = max(1, min(int(per_page or 50), 200))
    return page, per_page


@dataclass
class ContributionItem:
    """One line of a list of contributions (no text loaded)."""

    id: int
    kind: str
    status: str
    title: str
    language: str
    revision_number: int
    submitted_at: datetime | None
    updated_at: datetime
    work_slug: str | None
    work_title: str | None
    translation_key: str | None
    contributor: str | None = None
    contributor_username: str | None = None
    original_changed: bool = False
    base_changed: bool = False
    last_action: str | None = None
    last_comment: str | None = None
    last_actor: str | None = None
    last_at: datetime | None = None

    @property
    def waiting_days(self) -> int | None:
        if self.submitted_at is None:
            return None
        submitted = self.submitted_at if self.submitted_at.tzinfo else self.submitted_at.replace(tzinfo=utcnow().tzinfo)
        return max(0, (utcnow() - submitted).days)


def item_columns():
    """The columns of a :class:`ContributionItem` (used with :func:`with_joins`)."""
    return (Contribution.id, Contribution.kind, Contribution.status, Contribution.title, Contribution.language,
            Contribution.revision_number, Contribution.submitted_at, Contribution.updated_at,
            Contribution.original_revision_id, Contribution.base_revision_id, Work.slug.label("work_slug"),
            Work.title.label("work_title"), Work.current_revision_id.label("work_revision"),
            Translation.key.label("translation_key"), Translation.current_revision_id.label("translation_revision"),
            User.display_name, User.username)


def list_items(session: Session, stmt) -> list[ContributionItem]:
    """The items of a statement built from :func:`item_columns`, each with its latest event."""
    items = []
    for r in session.execute(stmt):
        items.append(ContributionItem(
            id=r.id, kind=r.kind, status=r.status, title=r.title, language=r.language,
            revision_number=r.revision_number, submitted_at=r.submitted_at, updated_at=r.updated_at,
            work_slug=r.work_slug, work_title=r.work_title, translation_key=r.translation_key,
            contributor=r.display_name, contributor_username=r.username,
            original_changed=(r.kind != "new_work" and r.original_revision_id is not None
                              and r.work_revision is not None and r.work_revision != r.original_revision_id),
            base_changed=(r.kind == "edit_translation" and r.translation_revision != r.base_revision_id)))
    _last_events(session, items)
    return items


def with_joins(stmt):
    """The work, translation and contributor joined to a statement on contributions."""
    return (stmt.outerjoin(Work, Work.id == Contribution.work_id)
            .outerjoin(Translation, Translation.id == Contribution.translation_id)
            .outerjoin(User, User.id == Contribution.contributor_id))


def _last_events(session: Session, items: list[ContributionItem]) -> None:
    """Each item's latest event (one query for the page)."""
    if not items:
        return
    latest = (select(func.max(ReviewEvent.id)).where(ReviewEvent.contribution_id.in_([i.id for i in items]))
              .group_by(ReviewEvent.contribution_id))
    by_id = {i.id: i for i in items}
    for e_contribution, action, comment, at, name in session.execute(
            select(ReviewEvent.contribution_id, ReviewEvent.action, ReviewEvent.comment, ReviewEvent.created_at,
                   User.display_name).outerjoin(User, User.id == ReviewEvent.actor_id)
            .where(ReviewEvent.id.in_(latest))):
        item = by_id[e_contribution]
        item.last_action, item.last_comment, item.last_at, item.last_actor = action, comment, at, name
