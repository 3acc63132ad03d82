"""Per-request DataLoaders: each batches one kind of lookup into one SQL statement.

The batch loads are service functions (:mod:`tercul.services.reading.lookups`); this
module only keeps one loader of each kind per request.
"""
from __future__ import annotations

from typing import Callable

from graphql_sync_dataloaders import SyncDataLoader, SyncFuture

from ..services.reading import lookups
from ..services.social import collection_page, likes
from .core import Context


def then(future: SyncFuture, fn: Callable):
    """A future for ``fn(result)`` once ``future`` resolves (keeps the batch dispatch hook)."""
    if future.done():
        return fn(future.result())
    chained = SyncFuture()
    chained.deferred_callback = future.deferred_callback

    def finish():
        try:
            value = fn(future.result())
        except Exception as exc:  # noqa: BLE001 - handed to the executor as the field's error
            chained.set_exception(exc)
            return
        chained.set_result(value)

    future.add_done_callback(finish)
    return chained


def _per_request(name: str, batch: Callable):
    """``loader(ctx)``: this request's DataLoader ``name``, calling ``batch(session, keys)``."""
    def loader(ctx: Context) -> SyncDataLoader:
        return ctx.loader(name, lambda: SyncDataLoader(lambda keys: batch(ctx.session, keys)))

    loader.__name__ = name
    return loader


authors_of_work = _per_request("authors_of_work", lookups.authors_of_works)
translations_of_work = _per_request("translations_of_work", lookups.published_translations_of_works)
works_of_author = _per_request("works_of_author", lookups.works_of_authors)
work_by_id = _per_request("work_by_id", lookups.works_by_ids)
user_by_id = _per_request("user_by_id", lookups.users_by_ids)
parts_of_work = _per_request("parts_of_work", lookups.parts_of_works)
# translation id -> True when its text was made from an older revision of the original
translation_outdated = _per_request("translation_outdated", lookups.translations_outdated)
_genres_of_work = _per_request("genres_of_work", lambda session, ids: lookups.terms_of_works(session, ids, "genres"))
_tags_of_work = _per_request("tags_of_work", lambda session, ids: lookups.terms_of_works(session, ids, "tags"))


def terms_of_work(ctx: Context, kind: str) -> SyncDataLoader:
    """Genres (``kind`` "genres") or tags ("tags") of works."""
    return (_genres_of_work if kind == "genres" else _tags_of_work)(ctx)


def view_count(ctx: Context, kind: str) -> SyncDataLoader:
    """All-time views of objects of ``kind`` (``work``, ``translation``, ``collection``) by id."""
    from ..services import stats

    return ctx.loader(f"view_count:{kind}", lambda: SyncDataLoader(
        lambda ids: stats.view_totals_in_order(ctx.session, kind, list(ids))))


translation_by_id = _per_request("translation_by_id", lookups.translations_by_ids)
# (collection id, n) -> its first n items: the first page of every collection of a list at once
first_items_of_collection = _per_request("first_items_of_collection", collection_page.first_items)


def viewer_liked(ctx: Context) -> SyncDataLoader:
    """(kind, id) -> True when the acting user likes it: one query per kind and request."""
    return ctx.loader("viewer_liked", lambda: SyncDataLoader(lambda keys: likes.viewer_likes(ctx.session, ctx.user,
                                                                                              keys)))
