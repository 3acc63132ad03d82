"""Collections, likes, the reading list and reading positions: the same services as the pages.

A private collection is visible to its owner alone: to anyone else ``collection(id:)``
is null and every mutation on it is ``NOT_FOUND``, exactly as for an id never used.
"""
from __future__ import annotations

import graphene

from ...services.errors import NotFound
from ...services.social import bookmarks, collection_page, collections, likes
from .. import loaders
from ..core import ApiError, enum_value, int_id, service_mutation, user_errors_field
from ..pagination import build_connection, connection, connection_args, page_window, paginate, paginate_pages
from .accounts import OkPayload, UserType


class LikeKind(graphene.Enum):
    """What can be liked."""

    WORK = "work"
    TRANSLATION = "translation"
    COLLECTION = "collection"
    COMMENT = "comment"

    @property
    def description(self):
        return {"WORK": "A work.", "TRANSLATION": "A published translation.",
                "COLLECTION": "A collection one may see.", "COMMENT": "A comment that was not removed."}[self.name]


class CollectionSort(graphene.Enum):
    """How to sort public collections."""

    NEW = "new"
    LIKED = "liked"

    @property
    def description(self):
        return {"NEW": "Newest first.", "LIKED": "Most liked first."}[self.name]


def viewer_has_liked(info, kind: str, target_id: int):
    """For ``viewerHasLiked`` fields: batched, one query per kind and request."""
    return loaders.viewer_liked(info.context).load((kind, target_id))


class CollectionItemType(graphene.ObjectType):
    """A work, or one translation of it, in a collection."""

    class Meta:
        name = "CollectionItem"

    id = graphene.ID(required=True, description="Database id of the item.")
    index = graphene.Int(required=True, description="Place in the collection, from 0 (send it back as `expectedIndex`).")
    note = graphene.String(description="The owner's note on the item.")
    added_at = graphene.DateTime(required=True, description="When it was added.")
    languages = graphene.List(graphene.NonNull(graphene.String), required=True,
                              description="The original's language, then the translation's if the item is one.")
    work = graphene.Field("tercul.graphql.areas.catalog.WorkType", required=True, description="The work.")
    translation = graphene.Field("tercul.graphql.areas.catalog.TranslationType",
                                 description="The translation, when the item is one.")

    def resolve_work(item, info):
        return loaders.work_by_id(info.context).load(item.work_id)

    def resolve_translation(item, info):
        return loaders.translation_by_id(info.context).load(item.translation_id) if item.translation_id else None


CollectionItemConnection = connection(CollectionItemType, "CollectionItem", "A page of a collection's items, in order.")


class CollectionType(graphene.ObjectType):
    """A reader's collection of works and translations."""

    class Meta:
        name = "Collection"

    id = graphene.ID(required=True, description="Database id (its URL: /collections/<id>-<slug>).")
    slug = graphene.String(required=True, description="URL name, unique per owner.")
    title = graphene.String(required=True, description="Title.")
    description = graphene.String(description="Description (Markdown subset, as written).")
    is_public = graphene.Boolean(required=True, description="Anyone may see it (else only its owner).")
    featured = graphene.Boolean(required=True, description="Shown on the home page by an admin.")
    item_count = graphene.Int(required=True, description="How many items it holds.")
    like_count = graphene.Int(required=True, description="How many readers like it.")
    viewer_has_liked = graphene.Boolean(required=True, description="The signed-in user likes it (false if anonymous).")
    created_at = graphene.DateTime(required=True, description="When it was created.")
    updated_at = graphene.DateTime(required=True, description="When it last changed.")
    owner = graphene.Field(UserType, required=True, description="Who made it.")
    items = graphene.Field(CollectionItemConnection, required=True, description="Its items, in order.",
                           **connection_args())

    def resolve_featured(c, info):
        return c.featured_at is not None

    def resolve_viewer_has_liked(c, info):
        return viewer_has_liked(info, "collection", c.id)

    def resolve_owner(c, info):
        return loaders.user_by_id(info.context).load(c.owner_id)

    def resolve_items(c, info, **args):
        session = info.context.session
        if "last" not in args and args.get("after") is None and args.get("before") is None:
            _offset, limit = page_window(args, c.item_count)  # checks `first`
            return loaders.then(loaders.first_items_of_collection(info.context).load((c.id, max(limit, 1))),
                                lambda items: build_connection(CollectionItemConnection, items[:limit], 0,
                                                               c.item_count))
        return paginate(CollectionItemConnection, args, lambda: c.item_count,
                        lambda o, n: collection_page.collection_items(session, c.id, offset=o, limit=n))


CollectionConnection = connection(CollectionType, "Collection", "A page of collections.")


class ReadingListEntry(graphene.ObjectType):
    """A work on the reading list, with the place reached."""

    work = graphene.Field("tercul.graphql.areas.catalog.WorkType", required=True, description="The work.")
    translation_key = graphene.String(description="The translation being read (its key, e.g. `de`).")
    line_key = graphene.String(description="Key of the last line reached, e.g. `1.2.7`; null if not started.")
    updated_at = graphene.DateTime(required=True, description="When the reader was last there.")

    def resolve_work(entry, info):
        return loaders.work_by_id(info.context).load(entry.work_id)


ReadingListConnection = connection(ReadingListEntry, "ReadingListEntry", "A page of the reading list.")


class Query(graphene.ObjectType):
    collection = graphene.Field(CollectionType, description="A collection by id; null if missing or private to another.",
                                id=graphene.ID(required=True, description="The collection's id."))
    collections = graphene.Field(
        CollectionConnection, required=True,
        description="Public collections; with `owner`, that user's (all of them for the user themself).",
        sort=CollectionSort(description="Order (default NEW; ignored with `owner`: most recently changed first)."),
        query=graphene.String(description="Only those whose title contains this."),
        owner=graphene.String(description="A user name."), **connection_args())
    reading_list = graphene.Field(
        ReadingListConnection, required=True, description="The signed-in user's reading list, most recent first.",
        started=graphene.Boolean(description="Only works with a remembered line (\"continue reading\")."),
        **connection_args())

    def resolve_collection(root, info, id):
        try:
            return collections.get_collection(info.context.session, info.context.user, int_id(id))
        except NotFound:
            return None

    def resolve_collections(root, info, sort=None, query=None, owner=None, **args):
        ctx = info.context
        if owner is not None:
            from ...services import accounts

            user = accounts.visible_user(ctx.session, owner)
            if user is None:
                raise ApiError("There is no such user.", "NOT_FOUND")
            fetch = lambda page, n: _cards(collections.collections_of(ctx.session, ctx.user, user.id, page=page,  # noqa: E731
                                                                      per_page=n))
        else:
            fetch = lambda page, n: _cards(collections.public_collections(  # noqa: E731
                ctx.session, sort=enum_value(sort) or "new", query=query or "", page=page, per_page=n))
        return paginate_pages(CollectionConnection, args, fetch)

    def resolve_reading_list(root, info, started=False, **args):
        ctx = info.context
        user = ctx.require_user()
        if started:
            entries = bookmarks.continue_reading(ctx.session, user, limit=100)
            return paginate(ReadingListConnection, args, lambda: len(entries), lambda o, n: entries[o:o + n])
        return paginate_pages(ReadingListConnection, args,
                              lambda page, n: _pair(bookmarks.reading_list(ctx.session, user, page=page, per_page=n)))


def _cards(listed):
    """Collections for the API: the models behind the cards (with their descriptions)."""
    return [card.row for card in listed.cards], listed.pagination.total


def _pair(found):
    items, pagination = found
    return items, pagination.total


# --- mutations ---------------------------------------------------------------------------

_ERRORS = user_errors_field()


class CollectionPayload(graphene.ObjectType):
    """The collection after the change."""

    collection = graphene.Field(CollectionType, description="The collection.")
    errors = _ERRORS


class CollectionItemPayload(graphene.ObjectType):
    """The item added, and its collection."""

    item = graphene.Field(CollectionItemType, description="The new item.")
    collection = graphene.Field(CollectionType, description="The collection.")
    errors = _ERRORS


class LikePayload(graphene.ObjectType):
    """Whether the viewer likes the target now, and its count."""

    liked = graphene.Boolean(description="True when the viewer likes it.")
    like_count = graphene.Int(description="How many readers like it.")
    errors = _ERRORS


class BookmarkPayload(graphene.ObjectType):
    """Whether the work is on the reading list now."""

    bookmarked = graphene.Boolean(description="True when it is on the reading list.")
    bookmark_count = graphene.Int(description="How many readers have it on their list.")
    errors = _ERRORS


class ReadingPositionPayload(graphene.ObjectType):
    """The place remembered (null when the work is not on the reading list: nothing is tracked)."""

    entry = graphene.Field(ReadingListEntry, description="The reading-list entry, or null.")
    errors = _ERRORS


def _id(description: str) -> graphene.ID:
    return graphene.ID(required=True, description=description)


_COLLECTION = "The collection's id."
_ITEM = "The item's id."


def _refetch(ctx, ident) -> dict:
    return {"collection": collections.get_collection(ctx.session, ctx.user, ident)}


def _create(ctx, title, description=None, is_public=False):
    return {"collection": collections.create_collection(ctx.session, ctx.user, title=title, description=description,
                                                        is_public=is_public)}


CreateCollection = service_mutation(
    "CreateCollection", "Start a collection (private unless `isPublic`).", CollectionPayload,
    {"title": graphene.String(required=True, description="Title (up to 300 characters)."),
     "description": graphene.String(description="Description, Markdown subset (up to 5000 characters)."),
     "is_public": graphene.Boolean(description="Anyone may see it (default false).")}, _create)


def _update(ctx, id, title=None, description=None, is_public=None):
    return {"collection": collections.update_collection(ctx.session, ctx.user, int_id(id), title=title,
                                                        description=description, is_public=is_public)}


UpdateCollection = service_mutation(
    "UpdateCollection", "Change one's collection; arguments left out stay as they are.", CollectionPayload,
    {"id": _id(_COLLECTION), "title": graphene.String(description="New title."),
     "description": graphene.String(description="New description (empty removes it)."),
     "is_public": graphene.Boolean(description="Public or private (private also stops featuring it).")}, _update)


def _delete(ctx, id):
    collections.delete_collection(ctx.session, ctx.user, int_id(id))
    return {"ok": True}


DeleteCollection = service_mutation("DeleteCollection", "Delete one's collection and its items.", OkPayload,
                                    {"id": _id(_COLLECTION)}, _delete)


def _add(ctx, collection_id, work_id=None, translation_id=None, note=None):
    ident = int_id(collection_id, "collectionId")
    item = collections.add_item(ctx.session, ctx.user, ident,
                                work_id=int_id(work_id, "workId") if work_id is not None else None,
                                translation_id=int_id(translation_id, "translationId") if translation_id else None,
                                note=note)
    [view] = [i for i in collection_page.collection_items(ctx.session, ident, offset=item.position - 1, limit=1)]
    return {"item": view, **_refetch(ctx, ident)}


AddToCollection = service_mutation(
    "AddToCollection", "Add a work, or one of its translations, at the end of one's collection (once).",
    CollectionItemPayload,
    {"collection_id": _id(_COLLECTION), "work_id": graphene.ID(description="The work's id."),
     "translation_id": graphene.ID(description="A published translation's id (instead of, or with, `workId`)."),
     "note": graphene.String(description="A short note (up to 500 characters).")}, _add)


def _owner_change(change):
    def run(ctx, collection_id, **kwargs):
        ident = int_id(collection_id, "collectionId")
        change(ctx, ident, **kwargs)
        return _refetch(ctx, ident)
    return run


RemoveFromCollection = service_mutation(
    "RemoveFromCollection", "Take an item out of one's collection.", CollectionPayload,
    {"collection_id": _id(_COLLECTION), "item_id": _id(_ITEM)},
    _owner_change(lambda ctx, ident, item_id: collections.remove_item(ctx.session, ctx.user, ident,
                                                                      int_id(item_id, "itemId"))))

MoveCollectionItem = service_mutation(
    "MoveCollectionItem", "Move an item by `offset` places (-1 up, 1 down). With `expectedIndex`, a stale\n"
    "    order (changed meanwhile) is refused with CONFLICT.", CollectionPayload,
    {"collection_id": _id(_COLLECTION), "item_id": _id(_ITEM),
     "offset": graphene.Int(required=True, description="Places to move: negative is up."),
     "expected_index": graphene.Int(description="Where the client saw the item (its `index`).")},
    _owner_change(lambda ctx, ident, item_id, offset, expected_index=None: collections.move_item(
        ctx.session, ctx.user, ident, int_id(item_id, "itemId"), offset=offset, expected_index=expected_index)))

ReorderCollection = service_mutation(
    "ReorderCollection", "Put every item in a new order; a list that does not name each item once is CONFLICT.",
    CollectionPayload,
    {"collection_id": _id(_COLLECTION),
     "item_ids": graphene.List(graphene.NonNull(graphene.ID), required=True, description="All item ids, in order.")},
    _owner_change(lambda ctx, ident, item_ids: collections.reorder_items(
        ctx.session, ctx.user, ident, [int_id(i, "itemIds") for i in item_ids])))

SetCollectionItemNote = service_mutation(
    "SetCollectionItemNote", "Write or clear (empty) the note of an item.", CollectionPayload,
    {"collection_id": _id(_COLLECTION), "item_id": _id(_ITEM),
     "note": graphene.String(description="The note (up to 500 characters).")},
    _owner_change(lambda ctx, ident, item_id, note=None: collections.set_item_note(
        ctx.session, ctx.user, ident, int_id(item_id, "itemId"), note)))

FeatureCollection = service_mutation(
    "FeatureCollection", "Admins: show a public collection on the home page, or stop.", CollectionPayload,
    {"id": _id(_COLLECTION), "featured": graphene.Boolean(required=True, description="Show it (true) or not.")},
    lambda ctx, id, featured: {"collection": collections.set_featured(ctx.session, ctx.user, int_id(id), featured)})


def _like(liked: bool):
    def run(ctx, kind, id):
        state = likes.set_like(ctx.session, ctx.user, enum_value(kind), int_id(id), liked)
        return {"liked": state.liked, "like_count": state.count}
    return run


_LIKE_ARGS = {"kind": LikeKind(required=True, description="What is liked."), "id": _id("Its id.")}
Like = service_mutation("Like", "Like something; liking it again changes nothing.", LikePayload, _LIKE_ARGS,
                        _like(True))
Unlike = service_mutation("Unlike", "Stop liking something; idempotent.", LikePayload, _LIKE_ARGS, _like(False))


def _bookmark(ctx, work_id, bookmarked=True):
    state = bookmarks.set_bookmark(ctx.session, ctx.user, int_id(work_id, "workId"), bookmarked)
    return {"bookmarked": state.bookmarked, "bookmark_count": state.count}


Bookmark = service_mutation(
    "Bookmark", "Put a work on the reading list (or take it off with `bookmarked: false`); idempotent.",
    BookmarkPayload, {"work_id": _id("The work's id."),
                      "bookmarked": graphene.Boolean(description="On the list (default true) or off.")}, _bookmark)


def _position(ctx, work_id, line_key, translation_key=None):
    saved = bookmarks.save_position(ctx.session, ctx.user, int_id(work_id, "workId"), line_key=line_key,
                                    translation_key=translation_key)
    if saved is None:
        return {"entry": None}
    entry = ReadingListEntry(translation_key=translation_key, line_key=saved.line_key, updated_at=saved.updated_at)
    entry.work_id = saved.work_id
    return {"entry": entry}


SaveReadingPosition = service_mutation(
    "SaveReadingPosition", "Remember the last line reached in a work on the reading list.", ReadingPositionPayload,
    {"work_id": _id("The work's id."), "line_key": graphene.String(required=True, description="The line's key."),
     "translation_key": graphene.String(description="The translation being read (its key).")}, _position)


class Mutation(graphene.ObjectType):
    create_collection = CreateCollection.Field(description=CreateCollection.__doc__)
    update_collection = UpdateCollection.Field(description=UpdateCollection.__doc__)
    delete_collection = DeleteCollection.Field(description=DeleteCollection.__doc__)
    add_to_collection = AddToCollection.Field(description=AddToCollection.__doc__)
    remove_from_collection = RemoveFromCollection.Field(description=RemoveFromCollection.__doc__)
    move_collection_item = MoveCollectionItem.Field(description=MoveCollectionItem.__doc__)
    reorder_collection = ReorderCollection.Field(description=ReorderCollection.__doc__)
    set_collection_item_note = SetCollectionItemNote.Field(description=SetCollectionItemNote.__doc__)
    feature_collection = FeatureCollection.Field(description=FeatureCollection.__doc__)
    like = Like.Field(description=Like.__doc__)
    unlike = Unlike.Field(description=Unlike.__doc__)
    bookmark = Bookmark.Field(description=Bookmark.__doc__)
    save_reading_position = SaveReadingPosition.Field(description=SaveReadingPosition.__doc__)
