"""Likes of works, translations, collections and comments.

A like is (user, kind, id), unique. Liking what one already likes, or unliking what
one does not, changes nothing and answers with the current state: the same click sent
twice is harmless. Each target keeps its ``like_count`` column, changed here in the
same transaction as the like, so that lists read counts and never count rows.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Sequence

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ...models import Collection, Comment, Like, Translation, User, Work
from ..accounts import require_user
from ..errors import Invalid, NotFound
from ..reading.pagination import Pagination
from .collections import can_see, invalidate_collection_lists

KINDS = {"work": Work, "translation": Translation, "collection": Collection, "comment": Comment}


@dataclass
class LikeState:
    kind: str
    target_id: int
    liked: bool
    count: int


def _model(kind: str):
    if kind not in KINDS:
        raise Invalid("kind", f"Likes are for {', '.join(KINDS)}.")
    return KINDS[kind]


def _visible_target(session: Session, viewer: User | None, kind: str, target_id: int):
    """The target, when ``viewer`` may see it (NotFound otherwise)."""
    target = session.get(_model(kind), target_id)
    if target is None:
        raise NotFound(f"There is no such {kind}.")
    if kind == "translation" and target.status != "published":
        raise NotFound("There is no such translation.")
    if kind == "collection" and not can_see(viewer, target):
        raise NotFound("There is no such collection.")
    if kind == "comment" and (target.deleted_at is not None or getattr(target, "hidden_at", None) is not None):
        raise NotFound("This comment was removed.")
    return target


def _count(session: Session, model, target_id: int) -> int:
    return session.scalar(select(model.like_count).where(model.id == target_id)) or 0


def set_like(session: Session, actor: User | None, kind: str, target_id: int, liked: bool) -> LikeState:
    """Like (``liked`` True) or unlike a target; idempotent. Returns the new state and count."""
    actor = require_user(actor)
    model = _model(kind)
    _visible_target(session, actor, kind, target_id)
    existing = session.scalar(select(Like.id).where(Like.user_id == actor.id, Like.target_kind == kind,
                                                    Like.target_id == target_id))
    delta = 0
    if liked and existing is None:
        try:
            with session.begin_nested():  # a double click racing itself: the second insert loses
                session.add(Like(user_id=actor.id, target_kind=kind, target_id=target_id,
                                 work_id=target_id if kind == "work" else None))
            delta = 1
        except IntegrityError:
            pass
    elif not liked and existing is not None:
        delta = -session.execute(delete(Like).where(Like.id == existing)).rowcount
    if delta:
        session.execute(update(model).where(model.id == target_id).values(like_count=model.like_count + delta)
                        .execution_options(synchronize_session=False))
        session.flush()
        if kind == "collection":
            invalidate_collection_lists()
    return LikeState(kind, target_id, liked, _count(session, model, target_id))


def like_state(session: Session, viewer: User | None, kind: str, target_id: int) -> LikeState:
    """Whether ``viewer`` likes a target, and its count (for a toggle)."""
    _visible_target(session, viewer, kind, target_id)
    liked = bool(viewer) and target_id in liked_ids(session, viewer, kind, [target_id])
    return LikeState(kind, target_id, liked, _count(session, _model(kind), target_id))


def liked_ids(session: Session, viewer: User | None, kind: str, ids: Sequence[int]) -> set[int]:
    """Which of ``ids`` (of one kind) ``viewer`` likes: one query, for lists and DataLoaders."""
    if viewer is None or not ids:
        return set()
    return set(session.scalars(select(Like.target_id).where(Like.user_id == viewer.id, Like.target_kind == kind,
                                                            Like.target_id.in_(list(ids)))))


def viewer_likes(session: Session, viewer: User | None, keys: Sequence[tuple[str, int]]) -> list[bool]:
    """For a DataLoader: (kind, id) keys -> liked by ``viewer``, one query per kind present."""
    found: set[tuple[str, int]] = set()
    for kind in {k for k, _ in keys}:
        found |= {(kind, i) for i in liked_ids(session, viewer, kind, [i for k, i in keys if k == kind])}
    return [key in found for key in keys]


@dataclass
class LikedItem:
    """Something the user liked, as /me lists it."""

    kind: str
    target_id: int
    title: str
    work_slug: str | None  # for works and translations: where to read it
    key: str | None  # a translation's key, a collection's URL segment
    liked_at: datetime


def _titles(session: Session, viewer: User, kind: str, ids: list[int]) -> dict[int, tuple[str, str | None, str | None]]:
    if not ids:
        return {}
    if kind == "work":
        rows = session.execute(select(Work.id, Work.title, Work.slug).where(Work.id.in_(ids)))
        return {i: (t, s, None) for i, t, s in rows}
    if kind == "translation":
        rows = session.execute(select(Translation.id, Translation.title, Work.slug, Translation.key)
                               .join(Work, Work.id == Translation.work_id).where(Translation.id.in_(ids)))
        return {i: (t, s, k) for i, t, s, k in rows}
    if kind == "collection":
        rows = session.execute(select(Collection.id, Collection.title, Collection.slug, Collection.is_public,
                                      Collection.owner_id).where(Collection.id.in_(ids)))
        return {i: (t, None, f"{i}-{s}") for i, t, s, public, owner in rows if public or owner == viewer.id}
    rows = session.execute(select(Comment.id, Comment.body, Work.slug).outerjoin(Work, Work.id == Comment.work_id)
                           .where(Comment.id.in_(ids), Comment.deleted_at.is_(None)))
    return {i: (body[:80], s, None) for i, body, s in rows}


def likes_of(session: Session, user: User | None, *, page: int = 1, per_page: int = 20
             ) -> tuple[list[LikedItem], Pagination]:
    """What ``user`` liked, newest first: at most one query per kind for the titles.

    Likes of things gone since (a collection made private, a removed comment) are left out
    of the page rather than shown empty.
    """
    user = require_user(user)
    total = session.scalar(select(func.count(Like.id)).where(Like.user_id == user.id)) or 0
    pagination = Pagination(page, per_page, total)
    rows = session.execute(select(Like.target_kind, Like.target_id, Like.created_at).where(Like.user_id == user.id)
                           .order_by(Like.created_at.desc(), Like.id.desc())
                           .limit(per_page).offset(pagination.offset)).all() if total else []
    titles = {kind: _titles(session, user, kind, [i for k, i, _ in rows if k == kind]) for kind in KINDS}
    items = [LikedItem(k, i, *titles[k][i], liked_at=at) for k, i, at in rows if i in titles[k]]
    return items, pagination


def forget_likes_of(session: Session, user: User) -> None:
    """Before an account goes: take its likes off the counters, then the likes themselves."""
    for kind, model in KINDS.items():
        counts = select(Like.target_id, func.count().label("n")).where(
            Like.user_id == user.id, Like.target_kind == kind).group_by(Like.target_id)
        for target_id, n in session.execute(counts).all():
            session.execute(update(model).where(model.id == target_id).values(like_count=model.like_count - n)
                            .execution_options(synchronize_session=False))
    session.execute(delete(Like).where(Like.user_id == user.id))
