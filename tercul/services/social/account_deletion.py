"""What happens to a reader's own things when their account is deleted."""
from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ...models import Collection, Like, User
from .bookmarks import forget_bookmarks_of
from .collections import invalidate_collection_lists
from .likes import forget_likes_of


def forget_user(session: Session, user: User) -> None:
    """Remove ``user``'s collections, likes and bookmarks, keeping every counter right.

    The rows would go with the user anyway (ON DELETE CASCADE); this takes them off the
    stored counts first, and removes the likes others gave to the user's collections.
    """
    forget_likes_of(session, user)
    forget_bookmarks_of(session, user)
    owned = select(Collection.id).where(Collection.owner_id == user.id).scalar_subquery()
    session.execute(delete(Like).where(Like.target_kind == "collection", Like.target_id.in_(owned)))
    session.execute(delete(Collection).where(Collection.owner_id == user.id))
    invalidate_collection_lists()
