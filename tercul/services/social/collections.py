"""Collections: a user's lists of works and translations, public or private.

Every function is told who acts (a ``User`` or None). A private collection exists only
for its owner: to anyone else, by id in a URL, a form or the API, it is "not found",
the same answer as for an id that was never used, so that nothing about it leaks.
Only the owner changes a collection; admins feature public ones on the home page.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from ...extensions import cache
from ...models import Collection, CollectionItem, Like, Translation, User, Work
from ...models._base import utcnow
from ..accounts import require_admin, require_user
from ..catalog import make_slug
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..reading.pagination import Pagination

TITLE_MAX = 300
DESCRIPTION_MAX = 5000
NOTE_MAX = 500
MAX_ITEMS = 500  # per collection
MAX_COLLECTIONS = 200  # per user
SORTS = {"new": "Newest", "liked": "Most liked"}
NOT_FOUND = "There is no such collection."
STALE = "The collection changed meanwhile: reload the page and try again."


LISTS_TTL = 60  # seconds a rendered list may be kept (changes show at once: they bump the version)


def lists_version() -> int:
    """Changes whenever a listed collection changes (title, visibility, items, likes,
    featuring): the key of cached lists and pages of collections."""
    return cache.get("collections:generation") or 0


def invalidate_collection_lists() -> None:
    """Called by every service that changes what a list of collections shows."""
    try:
        cache.set("collections:generation", lists_version() + 1, timeout=0)
    except RuntimeError:  # outside an application (no cache to forget)
        pass


def _clean_text(value: str | None, field: str, limit: int, *, required: bool = False) -> str | None:
    value = (value or "").strip()
    if required and not value:
        raise Invalid(field, "Give it a title.")
    if len(value) > limit:
        raise Invalid(field, f"Use at most {limit} characters.")
    return value or None


def parse_ident(ident: str | int) -> int | None:
    """The id in a collection's URL segment: ``12`` or ``12-sonnets-i-love``."""
    head = str(ident).split("-", 1)[0]
    return int(head) if head.isdigit() and len(head) < 10 else None


def _visible(session: Session, viewer: User | None, ident: str | int) -> Collection:
    collection_id = parse_ident(ident)
    collection = session.get(Collection, collection_id) if collection_id is not None else None
    if collection is None or not can_see(viewer, collection):
        raise NotFound(NOT_FOUND)
    return collection


def can_see(viewer: User | None, collection: Collection) -> bool:
    return collection.is_public or (viewer is not None and viewer.id == collection.owner_id)


def get_collection(session: Session, viewer: User | None, ident: str | int) -> Collection:
    """A collection ``viewer`` may see (NotFound otherwise, private or missing alike)."""
    return _visible(session, viewer, ident)


def _own(session: Session, actor: User | None, ident: str | int) -> Collection:
    """A collection the actor may change: their own (others' are "not found", or forbidden
    to change when public: the answer does not say whether a private one exists)."""
    actor = require_user(actor)
    collection = _visible(session, actor, ident)
    if collection.owner_id != actor.id:  # public: seen by all, changed by its owner alone
        raise Forbidden("Only its owner can change this collection.")
    return collection


def _unique_slug(session: Session, owner_id: int, title: str, exclude: int | None = None) -> str:
    try:
        base = make_slug(title, 150)
    except Invalid:
        base = "collection"
    stmt = select(Collection.slug).where(Collection.owner_id == owner_id, Collection.slug.like(f"{base}%"))
    if exclude is not None:
        stmt = stmt.where(Collection.id != exclude)
    taken = set(session.scalars(stmt))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_collection(session: Session, actor: User | None, *, title: str, description: str | None = None,
                      is_public: bool = False) -> Collection:
    """A new, empty collection owned by the actor (private unless said otherwise)."""
    actor = require_user(actor)
    title = _clean_text(title, "title", TITLE_MAX, required=True)
    description = _clean_text(description, "description", DESCRIPTION_MAX)
    owned = session.scalar(select(func.count(Collection.id)).where(Collection.owner_id == actor.id)) or 0
    if owned >= MAX_COLLECTIONS:
        raise Invalid("title", f"You can keep at most {MAX_COLLECTIONS} collections; delete some first.")
    collection = Collection(owner_id=actor.id, title=title, description=description, is_public=bool(is_public),
                            slug=_unique_slug(session, actor.id, title), item_count=0, like_count=0)
    session.add(collection)
    session.flush()
    invalidate_collection_lists()
    return collection


def update_collection(session: Session, actor: User | None, ident: str | int, *, title: str | None = None,
                      description: str | None = None, is_public: bool | None = None) -> Collection:
    """Change the title, description or visibility (None leaves a field as it is).

    Making a collection private also takes it off the home page.
    """
    collection = _own(session, actor, ident)
    if title is not None:
        collection.title = _clean_text(title, "title", TITLE_MAX, required=True)
        collection.slug = _unique_slug(session, collection.owner_id, collection.title, exclude=collection.id)
    if description is not None:
        collection.description = _clean_text(description, "description", DESCRIPTION_MAX)
    if is_public is not None:
        collection.is_public = bool(is_public)
        if not collection.is_public:
            collection.featured_at = None
    collection.updated_at = utcnow()
    session.flush()
    invalidate_collection_lists()
    return collection


def delete_collection(session: Session, actor: User | None, ident: str | int) -> None:
    """Delete one's collection, its items and the likes it had."""
    collection = _own(session, actor, ident)
    session.execute(delete(Like).where(Like.target_kind == "collection", Like.target_id == collection.id))
    session.delete(collection)
    session.flush()
    invalidate_collection_lists()


# ------------------------------------------------------------------ items

def _item(session: Session, collection: Collection, item_id: int) -> CollectionItem:
    item = session.get(CollectionItem, item_id)
    if item is None or item.collection_id != collection.id:
        raise Conflict("This item is no longer in the collection: reload the page.")
    return item


def _target(session: Session, work_id: int | None, translation_id: int | None) -> tuple[Work, Translation | None]:
    if translation_id is not None:
        translation = session.get(Translation, translation_id)
        if translation is None or translation.status != "published":
            raise NotFound("There is no such translation.")
        if work_id is not None and translation.work_id != work_id:
            raise Invalid("translation", "This translation is not of that work.")
        return translation.work, translation
    work = session.get(Work, work_id) if work_id is not None else None
    if work is None:
        raise NotFound("There is no such work.")
    return work, None


def add_item(session: Session, actor: User | None, ident: str | int, *, work_id: int | None = None,
             translation_id: int | None = None, note: str | None = None) -> CollectionItem:
    """Add a work (or one of its translations) at the end of one's collection.

    The same work (or translation) twice is refused with ``Conflict``, naming the collection.
    """
    collection = _own(session, actor, ident)
    work, translation = _target(session, work_id, translation_id)
    note = _clean_text(note, "note", NOTE_MAX)
    same = select(CollectionItem.id).where(CollectionItem.collection_id == collection.id,
                                           CollectionItem.work_id == work.id)
    same = same.where(CollectionItem.translation_id == translation.id) if translation else \
        same.where(CollectionItem.translation_id.is_(None))
    if session.scalar(same.limit(1)) is not None:
        what = "This translation" if translation else "This work"
        raise Conflict(f"{what} is already in “{collection.title}”.")
    if collection.item_count >= MAX_ITEMS:
        raise Invalid("collection", f"A collection holds at most {MAX_ITEMS} items.")
    last = session.scalar(select(func.max(CollectionItem.position))
                          .where(CollectionItem.collection_id == collection.id)) or 0
    item = CollectionItem(collection_id=collection.id, position=last + 1, work_id=work.id,
                          translation_id=translation.id if translation else None, note=note)
    session.add(item)
    _count_items(session, collection, +1)
    session.flush()
    return item


def _count_items(session: Session, collection: Collection, delta: int) -> None:
    session.execute(update(Collection).where(Collection.id == collection.id)
                    .values(item_count=Collection.item_count + delta, updated_at=utcnow()))
    session.expire(collection, ["item_count", "updated_at"])
    invalidate_collection_lists()


def remove_item(session: Session, actor: User | None, ident: str | int, item_id: int) -> None:
    """Take an item out of one's collection (removing it twice says it is gone)."""
    collection = _own(session, actor, ident)
    session.delete(_item(session, collection, item_id))
    _count_items(session, collection, -1)
    session.flush()


def set_item_note(session: Session, actor: User | None, ident: str | int, item_id: int,
                  note: str | None) -> CollectionItem:
    """A short note shown with an item (empty removes it)."""
    collection = _own(session, actor, ident)
    item = _item(session, collection, item_id)
    item.note = _clean_text(note, "note", NOTE_MAX)
    session.flush()
    return item


def _ordered_ids(session: Session, collection_id: int) -> list[int]:
    return list(session.scalars(select(CollectionItem.id).where(CollectionItem.collection_id == collection_id)
                                .order_by(CollectionItem.position, CollectionItem.id)))


def _renumber(session: Session, ids: list[int]) -> None:
    for position, item_id in enumerate(ids, start=1):
        session.execute(update(CollectionItem).where(CollectionItem.id == item_id).values(position=position))
    session.expire_all()


def move_item(session: Session, actor: User | None, ident: str | int, item_id: int, *, offset: int,
              expected_index: int | None = None) -> int:
    """Move an item ``offset`` places (-1 up, +1 down); returns its new index (0-based).

    ``expected_index`` is where the page showed it: when the order changed meanwhile
    (another tab, a stale page) the move is refused with ``Conflict``.
    """
    collection = _own(session, actor, ident)
    ids = _ordered_ids(session, collection.id)
    if item_id not in ids:
        raise Conflict("This item is no longer in the collection: reload the page.")
    index = ids.index(item_id)
    if expected_index is not None and expected_index != index:
        raise Conflict(STALE)
    target = max(0, min(len(ids) - 1, index + offset))
    if target != index:
        ids.insert(target, ids.pop(index))
        _renumber(session, ids)
    return target


def reorder_items(session: Session, actor: User | None, ident: str | int, item_ids: list[int]) -> None:
    """Put the items in the order of ``item_ids``, which must name every item once
    (else the page was stale: ``Conflict``)."""
    collection = _own(session, actor, ident)
    ids = _ordered_ids(session, collection.id)
    if sorted(ids) != sorted(item_ids) or len(set(item_ids)) != len(item_ids):
        raise Conflict(STALE)
    _renumber(session, list(item_ids))


# ------------------------------------------------------------------ featuring

def set_featured(session: Session, actor: User | None, ident: str | int, featured: bool) -> Collection:
    """Admins: show a public collection on the home page, or stop showing it."""
    require_admin(actor)
    collection = _visible(session, actor, ident)
    if featured and not collection.is_public:
        raise Invalid("featured", "Only a public collection can be featured.")
    collection.featured_at = utcnow() if featured else None
    session.flush()
    invalidate_collection_lists()
    return collection


@dataclass
class CollectionCard:
    """A collection in a list: what the list shows, read in one query."""

    id: int
    slug: str
    title: str
    is_public: bool
    item_count: int
    like_count: int
    created_at: datetime
    featured: bool
    owner_name: str
    owner_username: str
    row: Collection = field(repr=False, compare=False)  # the model itself, for the API's fields

    @property
    def ident(self) -> str:
        return f"{self.id}-{self.slug}"


def _cards(session: Session, stmt) -> list[CollectionCard]:
    rows = session.execute(stmt.add_columns(User.display_name, User.username)
                           .join(User, User.id == Collection.owner_id)).all()
    return [CollectionCard(id=c.id, slug=c.slug, title=c.title, is_public=c.is_public, item_count=c.item_count,
                           like_count=c.like_count, created_at=c.created_at, featured=c.featured_at is not None,
                           owner_name=name, owner_username=username, row=c) for c, name, username in rows]


def featured_collections(session: Session, limit: int = 6) -> list[CollectionCard]:
    """Public collections that admins featured, most recently featured first."""
    return _cards(session, select(Collection).where(Collection.featured_at.is_not(None), Collection.is_public)
                  .order_by(Collection.featured_at.desc()).limit(limit))


@dataclass
class CollectionList:
    cards: list[CollectionCard]
    pagination: Pagination
    sort: str
    query: str


def _listed(session: Session, where: list, order: list, page: int, per_page: int, sort: str = "new",
            query: str = "") -> CollectionList:
    total = session.scalar(select(func.count(Collection.id)).where(*where)) or 0
    pagination = Pagination(page, per_page, total)
    cards = _cards(session, select(Collection).where(*where).order_by(*order)
                   .limit(per_page).offset(pagination.offset)) if total and not pagination.beyond_end else []
    return CollectionList(cards, pagination, sort, query)


def public_collections(session: Session, *, sort: str = "new", query: str = "", page: int = 1,
                       per_page: int = 30) -> CollectionList:
    """Public collections: newest or most liked first, optionally those whose title has ``query``."""
    sort = sort if sort in SORTS else "new"
    query = " ".join((query or "").split())[:100]
    where = [Collection.is_public.is_(True)]
    if query:
        escaped = query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        where.append(func.lower(Collection.title).like(f"%{escaped}%", escape="\\"))
    order = [Collection.like_count.desc(), Collection.id.desc()] if sort == "liked" else \
        [Collection.created_at.desc(), Collection.id.desc()]
    return _listed(session, where, order, page, per_page, sort, query)


def collections_of(session: Session, viewer: User | None, owner_id: int, *, page: int = 1,
                   per_page: int = 30) -> CollectionList:
    """A user's collections as ``viewer`` may see them: all for the owner, public ones for others."""
    where = [Collection.owner_id == owner_id]
    if viewer is None or viewer.id != owner_id:
        where.append(Collection.is_public.is_(True))
    return _listed(session, where, [Collection.updated_at.desc(), Collection.id.desc()], page, per_page)


@dataclass
class PickerEntry:
    """One of the actor's collections in the "add to collection" picker."""

    id: int
    slug: str
    title: str
    is_public: bool
    has_it: bool  # the work (or translation) is already in it


def picker(session: Session, actor: User | None, *, work_id: int, translation_id: int | None = None,
           limit: int = 50) -> list[PickerEntry]:
    """The actor's collections, most recently changed first, saying which already hold the item."""
    if actor is None:
        return []
    holding = select(CollectionItem.collection_id).where(CollectionItem.work_id == work_id)
    holding = holding.where(CollectionItem.translation_id == translation_id) if translation_id else \
        holding.where(CollectionItem.translation_id.is_(None))
    rows = session.execute(select(Collection.id, Collection.slug, Collection.title, Collection.is_public,
                                  Collection.id.in_(holding.scalar_subquery()))
                           .where(Collection.owner_id == actor.id)
                           .order_by(Collection.updated_at.desc(), Collection.id.desc()).limit(limit)).all()
    return [PickerEntry(id=r[0], slug=r[1], title=r[2], is_public=r[3], has_it=bool(r[4])) for r in rows]
