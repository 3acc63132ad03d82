"""The events trending reads from other areas' tables, each through one small query.

Each function returns ``(work_id, language or None, when)`` rows since ``since``:
``language`` is the translation's when the event is about one, else None (the work's
original language is used). Likes, bookmarks and comments belong to other areas; if
their tables change, only these functions do.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Bookmark, Comment, Like, Translation


def likes_since(session: Session, since: datetime):
    """Likes of works and of translations (for their work, in the translation's language);
    likes of collections and comments are not about one work."""
    works = session.execute(select(Like.work_id, None, Like.created_at).where(
        Like.created_at >= since, Like.target_kind == "work", Like.work_id.is_not(None))).all()
    translations = session.execute(
        select(Translation.work_id, Translation.language, Like.created_at)
        .join(Translation, Translation.id == Like.target_id)
        .where(Like.created_at >= since, Like.target_kind == "translation")).all()
    return works + translations


def bookmarks_since(session: Session, since: datetime):
    return session.execute(
        select(Bookmark.work_id, Translation.language, Bookmark.updated_at)
        .outerjoin(Translation, Translation.id == Bookmark.translation_id)
        .where(Bookmark.updated_at >= since)).all()


def comments_since(session: Session, since: datetime):
    return session.execute(
        select(Comment.work_id, Translation.language, Comment.created_at)
        .outerjoin(Translation, Translation.id == Comment.translation_id)
        .where(Comment.created_at >= since, Comment.deleted_at.is_(None), Comment.hidden_at.is_(None),
               Comment.work_id.is_not(None))).all()


def translations_published_since(session: Session, since: datetime):
    return session.execute(
        select(Translation.work_id, Translation.language, Translation.published_at)
        .where(Translation.published_at >= since, Translation.status == "published")).all()
