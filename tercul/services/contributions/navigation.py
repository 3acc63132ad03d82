"""The navigation's counts (unread notices, contributions to review), cached briefly."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ...extensions import cache
from ...models import Contribution, User
from .. import notifications
from ..accounts import can_review

NAV_TTL = 30  # seconds the navigation's counts are cached


@dataclass
class NavigationCounts:
    unread: int  # unread notices
    review: int | None  # contributions waiting for this reviewer; None for non-reviewers


def navigation_counts(session: Session, actor: User | None) -> NavigationCounts | None:
    """Counts for the navigation, cached briefly; any state change or notice forgets them."""
    if actor is None or not getattr(actor, "is_authenticated", False) or getattr(actor, "id", None) is None:
        return None
    reviewer = can_review(actor)
    key = f"contrib-nav:{_generation()}:{actor.id}:{int(reviewer)}"
    cached = cache.get(key)
    if cached is not None:
        return NavigationCounts(*cached)
    review = None
    if reviewer:
        review = session.scalar(select(func.count(Contribution.id)).where(
            Contribution.status == "pending",
            or_(Contribution.contributor_id.is_(None), Contribution.contributor_id != actor.id))) or 0
    counts = NavigationCounts(notifications.unread_count(session, actor.id), review)
    cache.set(key, (counts.unread, counts.review), timeout=NAV_TTL)
    return counts


def forget_navigation_counts() -> None:
    """Called on every state change and notice: cached counts are keyed by a generation."""
    try:
        cache.set("contrib-nav:generation", _generation() + 1, timeout=0)
    except RuntimeError:  # outside an application (no cache to forget)
        pass


def _generation() -> int:
    return cache.get("contrib-nav:generation") or 0
