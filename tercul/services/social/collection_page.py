"""One collection as its page (and the API) shows it: its items with their languages and
authors, in order, a page at a time, in a fixed number of queries."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...models import Collection, CollectionItem, Translation, User, Work
from ..reading import lookups
from ..reading.pagination import Pagination
from .collections import get_collection
from .likes import like_state

ITEMS_PER_PAGE = 100


@dataclass
class ItemView:
    id: int
    index: int  # 0-based place in the whole collection (the keyboard buttons send it back)
    work_id: int
    work_slug: str
    work_title: str
    work_language: str
    translation_id: int | None
    translation_key: str | None
    translation_title: str | None
    translation_language: str | None
    note: str | None
    added_at: datetime
    authors: list[str]

    @property
    def languages(self) -> list[str]:
        return [self.work_language] + ([self.translation_language] if self.translation_language else [])


@dataclass
class CollectionView:
    collection: Collection
    owner: User
    items: list[ItemView]
    pagination: Pagination
    is_owner: bool
    liked: bool
    like_count: int

    @property
    def ident(self) -> str:
        return f"{self.collection.id}-{self.collection.slug}"


def _item_columns():
    return (select(CollectionItem, Work.slug, Work.title, Work.language, Translation.key, Translation.title,
                   Translation.language)
            .join(Work, Work.id == CollectionItem.work_id)
            .outerjoin(Translation, Translation.id == CollectionItem.translation_id))


def _views(session: Session, rows, indexes: list[int]) -> list[ItemView]:
    authors = lookups.authors_of_works(session, [row[0].work_id for row in rows]) if rows else []
    return [ItemView(id=item.id, index=index, work_id=item.work_id, work_slug=slug, work_title=title,
                     work_language=lang, translation_id=item.translation_id, translation_key=t_key,
                     translation_title=t_title, translation_language=t_lang, note=item.note, added_at=item.added_at,
                     authors=[a.name for a in authors[n]])
            for n, ((item, slug, title, lang, t_key, t_title, t_lang), index) in enumerate(zip(rows, indexes))]


def collection_items(session: Session, collection_id: int, *, offset: int = 0, limit: int = ITEMS_PER_PAGE
                     ) -> list[ItemView]:
    """Items ``offset`` to ``offset + limit`` of a collection (the caller checked who may see it)."""
    rows = session.execute(_item_columns().where(CollectionItem.collection_id == collection_id)
                           .order_by(CollectionItem.position, CollectionItem.id).limit(limit).offset(offset)).all()
    return _views(session, rows, [offset + n for n in range(len(rows))])


def first_items(session: Session, keys: Sequence[tuple[int, int]]) -> list[list[ItemView]]:
    """For a DataLoader: the first ``limit`` items of each (collection id, limit) key, for a
    list of collections in one query (and one for their authors)."""
    ids, limit = list({cid for cid, _ in keys}), max(n for _, n in keys)
    ranked = select(CollectionItem.id.label("item_id"), func.row_number().over(
        partition_by=CollectionItem.collection_id, order_by=(CollectionItem.position, CollectionItem.id)
    ).label("n")).where(CollectionItem.collection_id.in_(ids)).subquery()
    rows = session.execute(_item_columns().join(ranked, ranked.c.item_id == CollectionItem.id)
                           .where(ranked.c.n <= limit)
                           .order_by(CollectionItem.collection_id, CollectionItem.position, CollectionItem.id)).all()
    indexes, seen = [], {}
    for row in rows:
        seen[row[0].collection_id] = seen.get(row[0].collection_id, -1) + 1
        indexes.append(seen[row[0].collection_id])
    views = _views(session, rows, indexes)
    by_collection: dict[int, list[ItemView]] = {}
    for row, view in zip(rows, views):
        by_collection.setdefault(row[0].collection_id, []).append(view)
    return [by_collection.get(cid, [])[:n] for cid, n in keys]


def collection_page(session: Session, viewer: User | None, ident: str | int, *, page: int = 1,
                    per_page: int = ITEMS_PER_PAGE) -> CollectionView:
    """A collection ``viewer`` may see, with one page of its items (NotFound otherwise)."""
    collection = get_collection(session, viewer, ident)
    pagination = Pagination(page, per_page, collection.item_count)
    items = collection_items(session, collection.id, offset=pagination.offset, limit=per_page)
    state = like_state(session, viewer, "collection", collection.id)
    owner = session.get(User, collection.owner_id)
    return CollectionView(collection, owner, items, pagination,
                          is_owner=viewer is not None and viewer.id == collection.owner_id,
                          liked=state.liked, like_count=state.count)
