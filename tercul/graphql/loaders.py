"""Per-request DataLoaders: each batches one kind of lookup into one SQL statement.

The batch loads are service functions (:mod:`tercul.services.reading.lookups`); this
module only keeps one loader of each kind per request.
"""
from __future__ import annotations

from typing import Callable

from graphql_sync_dataloaders import SyncDataLoader, SyncFuture

from ..services.reading import lookups
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


def _loader(ctx: Context, name: str, batch: Callable) -> SyncDataLoader:
    """This request's loader ``name``, calling ``batch(session, keys)``."""
    return ctx.loader(name, lambda: SyncDataLoader(lambda keys: batch(ctx.session, keys)))


def authors_of_work(ctx: Context) -> SyncDataLoader:
    return _loader(ctx, "authors_of_work", lookups.authors_of_works)


def translations_of_work(ctx: Context) -> SyncDataLoader:
    return _loader(ctx, "translations_of_work", lookups.published_translations_of_works)


def works_of_author(ctx: Context) -> SyncDataLoader:
    return _loader(ctx, "works_of_author", lookups.works_of_authors)


def terms_of_work(ctx: Context, kind: str) -> SyncDataLoader:
    """Genres (``kind`` "genres") or tags ("tags") of works."""
    return _loader(ctx, f"{kind}_of_work", lambda session, ids: lookups.terms_of_works(session, ids, kind))


def work_by_id(ctx: Context) -> SyncDataLoader:
    return _loader(ctx, "work_by_id", lookups.works_by_ids)


def user_by_id(ctx: Context) -> SyncDataLoader:
    return _loader(ctx, "user_by_id", lookups.users_by_ids)


def parts_of_work(ctx: Context) -> SyncDataLoader:
    return _loader(ctx, "parts_of_work", lookups.parts_of_works)


def translation_outdated(ctx: Context) -> SyncDataLoader:
    """Translation id -> True when its text was made from an older revision of the original."""
    return _loader(ctx, "translation_outdated", lookups.translations_outdated)
