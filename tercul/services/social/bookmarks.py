"""Bookmarks: the reading list, and where the reader is in each work ("continue reading").

A bookmark is (user, work), with the translation being read and the key of the last
line reached (DESIGN.md: keys, never row ids, so the place survives edits). Bookmarking
twice or removing twice changes nothing. ``works.bookmark_count`` is kept here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ...models import Bookmark, Translation, User, Work
from ...models._base import utcnow
from ..accounts import require_user
from ..errors import Invalid, NotFound
from ..reading.pagination import Pagination

LINE_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")


@dataclass
class BookmarkState:
    work_id: int
    bookmarked: bool
    count: int


def _work(session: Session, work_id: int) -> Work:
    work = session.get(Work, work_id)
    if work is None:
        raise NotFound("There is no such work.")
    return work


def _translation_id(session: Session, work: Work, translation_key: str | None) -> int | None:
    if not translation_key:
        return None
    found = session.scalar(select(Translation.id).where(Translation.work_id == work.id,
                                                        Translation.key == translation_key,
                                                        Translation.status == "published"))
    if found is None:
        raise Invalid("translation", "This work has no such translation.")
    return found


def _line_key(line_key: str | None) -> str | None:
    if not line_key:
        return None
    if not LINE_KEY.match(line_key):
        raise Invalid("line", "This is not a line key (like 1.2.7).")
    return line_key


def _count(session: Session, work_id: int) -> int:
    return session.scalar(select(Work.bookmark_count).where(Work.id == work_id)) or 0


def _change_count(session: Session, work_id: int, delta: int) -> None:
    session.execute(update(Work).where(Work.id == work_id).values(bookmark_count=Work.bookmark_count + delta)
                    .execution_options(synchronize_session=False))


def set_bookmark(session: Session, actor: User | None, work_id: int, bookmarked: bool) -> BookmarkState:
    """Put a work on one's reading list (``bookmarked`` True) or take it off; idempotent."""
    actor = require_user(actor)
    work = _work(session, work_id)
    existing = session.get(Bookmark, (actor.id, work.id))
    if bookmarked and existing is None:
        try:
            with session.begin_nested():
                session.add(Bookmark(user_id=actor.id, work_id=work.id, updated_at=utcnow()))
            _change_count(session, work.id, +1)
        except IntegrityError:
            pass
    elif not bookmarked and existing is not None:
        if session.execute(delete(Bookmark).where(Bookmark.user_id == actor.id, Bookmark.work_id == work.id)
                           ).rowcount:
            _change_count(session, work.id, -1)
        session.expire_all()
    session.flush()
    return BookmarkState(work.id, bookmarked, _count(session, work.id))


def bookmark_state(session: Session, viewer: User | None, work_id: int) -> BookmarkState:
    bookmarked = viewer is not None and session.get(Bookmark, (viewer.id, work_id)) is not None
    return BookmarkState(work_id, bookmarked, _count(session, work_id))


def save_position(session: Session, actor: User | None, work_id: int, *, translation_key: str | None = None,
                  line_key: str | None = None) -> Bookmark | None:
    """Remember the last line reached in a bookmarked work (and which translation was read).

    Works that are not on the reading list are not tracked: returns None for them.
    """
    actor = require_user(actor)
    work = _work(session, work_id)
    line_key = _line_key(line_key)
    translation_id = _translation_id(session, work, translation_key)
    bookmark = session.get(Bookmark, (actor.id, work.id))
    if bookmark is None:
        return None
    bookmark.line_key, bookmark.translation_id, bookmark.updated_at = line_key, translation_id, utcnow()
    session.flush()
    return bookmark


@dataclass
class ReadingListItem:
    work_id: int
    work_slug: str
    work_title: str
    work_language: str
    translation_key: str | None
    translation_language: str | None
    line_key: str | None
    updated_at: datetime


def _items(session: Session, stmt) -> list[ReadingListItem]:
    rows = session.execute(stmt).all()
    return [ReadingListItem(*row) for row in rows]


def _listing(user_id: int):
    return (select(Work.id, Work.slug, Work.title, Work.language, Translation.key, Translation.language,
                   Bookmark.line_key, Bookmark.updated_at)
            .join(Work, Work.id == Bookmark.work_id)
            .outerjoin(Translation, Translation.id == Bookmark.translation_id)
            .where(Bookmark.user_id == user_id)
            .order_by(Bookmark.updated_at.desc(), Bookmark.work_id.desc()))


def reading_list(session: Session, user: User | None, *, page: int = 1, per_page: int = 20
                 ) -> tuple[list[ReadingListItem], Pagination]:
    """One's bookmarked works, most recently read first (two queries)."""
    user = require_user(user)
    total = session.scalar(select(func.count()).select_from(Bookmark).where(Bookmark.user_id == user.id)) or 0
    pagination = Pagination(page, per_page, total)
    items = _items(session, _listing(user.id).limit(per_page).offset(pagination.offset)) if total else []
    return items, pagination


def continue_reading(session: Session, user: User | None, limit: int = 5) -> list[ReadingListItem]:
    """Bookmarked works with a remembered line, most recently read first (nothing for anonymous readers)."""
    if user is None:
        return []
    return _items(session, _listing(user.id).where(Bookmark.line_key.is_not(None)).limit(limit))


def forget_bookmarks_of(session: Session, user: User) -> None:
    """Before an account goes: its bookmarks come off the works' counters, then go."""
    work_ids = list(session.scalars(select(Bookmark.work_id).where(Bookmark.user_id == user.id)))
    if work_ids:
        session.execute(update(Work).where(Work.id.in_(work_ids)).values(bookmark_count=Work.bookmark_count - 1)
                        .execution_options(synchronize_session=False))
    session.execute(delete(Bookmark).where(Bookmark.user_id == user.id))
