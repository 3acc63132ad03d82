"""What a reader can do with the work or translation in front of them: like it, keep it on
the reading list, add it to one of their collections (the work and translation pages'
personal panel, loaded apart from the cached page)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from ...models import Translation, User, Work
from ..errors import NotFound
from ..reading import lookups
from .bookmarks import BookmarkState, bookmark_state
from .collections import PickerEntry, picker
from .likes import LikeState, like_state


@dataclass
class ItemActions:
    work: Work
    translation: Translation | None
    like: LikeState
    bookmark: BookmarkState
    collections: list[PickerEntry]
    signed_in: bool


def item_actions(session: Session, viewer: User | None, slug: str, key: str | None = None) -> ItemActions:
    """The panel for a work (``key`` None) or one of its published translations."""
    work = lookups.work(session, slug=slug)
    translation = lookups.published_translation(session, work_slug=slug, key=key) if key else None
    if work is None or (key and translation is None):
        raise NotFound("There is no such work or translation.")
    kind, target_id = ("translation", translation.id) if translation else ("work", work.id)
    return ItemActions(work=work, translation=translation, like=like_state(session, viewer, kind, target_id),
                       bookmark=bookmark_state(session, viewer, work.id),
                       collections=picker(session, viewer, work_id=work.id,
                                          translation_id=translation.id if translation else None),
                       signed_in=viewer is not None)


def item_actions_by_id(session: Session, viewer: User | None, *, work_id: int | None = None,
                       translation_id: int | None = None) -> ItemActions:
    """The same panel, for a work or translation named by id (after a form on the panel)."""
    translation = lookups.published_translation(session, id=translation_id) if translation_id else None
    work = translation.work if translation else (lookups.work(session, id=work_id) if work_id else None)
    if work is None:
        raise NotFound("There is no such work or translation.")
    return item_actions(session, viewer, work.slug, translation.key if translation else None)
