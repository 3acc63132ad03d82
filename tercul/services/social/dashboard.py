"""/me: a reader's own collections, reading list, likes, comments, contributions and saved
searches, each a page of its own list (a fixed number of queries, whatever the sizes)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...models import SavedSearch, User
from ..accounts import require_user
from ..contributions import MyContributions, my_contributions
from ..reading.pagination import Pagination
from .bookmarks import ReadingListItem, continue_reading, reading_list
from .collections import CollectionList, collections_of
from .likes import LikedItem, likes_of

# the sections of /me, each paged by its own query argument (``<name>_page``)
SECTIONS = ("collections", "reading", "likes", "comments", "contributions", "searches")
PER_PAGE = 10


@dataclass
class Dashboard:
    collections: CollectionList
    reading: tuple[list[ReadingListItem], Pagination]
    likes: tuple[list[LikedItem], Pagination]
    contributions: MyContributions
    searches: tuple[list[SavedSearch], Pagination]
    continue_reading: list[ReadingListItem]
    # the comments helper fills this section (tercul/services/social/comments.py)
    comments: Any = None
    pages: dict[str, int] = field(default_factory=dict)

    def pages_args(self, section: str) -> dict[str, int]:
        """Query arguments keeping the other sections on their pages while ``section`` changes."""
        return {f"{name}_page": n for name, n in self.pages.items() if name != section and n > 1}


def saved_searches_page(session: Session, user: User, *, page: int = 1, per_page: int = PER_PAGE
                        ) -> tuple[list[SavedSearch], Pagination]:
    """One's saved searches, newest first, a page at a time."""
    total = session.scalar(select(func.count(SavedSearch.id)).where(SavedSearch.user_id == user.id)) or 0
    pagination = Pagination(page, per_page, total)
    items = list(session.scalars(select(SavedSearch).where(SavedSearch.user_id == user.id)
                                 .order_by(SavedSearch.created_at.desc(), SavedSearch.id.desc())
                                 .limit(per_page).offset(pagination.offset))) if total else []
    return items, pagination


def dashboard(session: Session, user: User | None, pages: dict[str, int] | None = None,
              per_page: int = PER_PAGE) -> Dashboard:
    """Everything /me shows for ``user``; ``pages`` gives each section's page number (default 1)."""
    user = require_user(user)
    pages = {name: max(1, int((pages or {}).get(name) or 1)) for name in SECTIONS}
    return Dashboard(
        collections=collections_of(session, user, user.id, page=pages["collections"], per_page=per_page),
        reading=reading_list(session, user, page=pages["reading"], per_page=per_page),
        likes=likes_of(session, user, page=pages["likes"], per_page=per_page),
        contributions=my_contributions(session, user, page=pages["contributions"], per_page=per_page),
        searches=saved_searches_page(session, user, page=pages["searches"], per_page=per_page),
        continue_reading=continue_reading(session, user),
        pages=pages)
