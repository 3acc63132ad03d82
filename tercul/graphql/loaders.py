"""Per-request DataLoaders: each batches one kind of lookup into one SQL statement."""
from __future__ import annotations

from collections import defaultdict
from typing import Callable, Iterable

from graphql_sync_dataloaders import SyncDataLoader, SyncFuture
from sqlalchemy import select

from ..models import Author, Genre, Tag, Translation, User, Work, WorkAuthor, work_genres, work_tags
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


def _grouped(keys: Iterable[int], rows, key_of: Callable, value_of: Callable) -> list[list]:
    groups: dict[int, list] = defaultdict(list)
    for row in rows:
        groups[key_of(row)].append(value_of(row))
    return [groups.get(k, []) for k in keys]


def _by_id(model, session, keys):
    found = {obj.id: obj for obj in session.scalars(select(model).where(model.id.in_(keys)))}
    return [found.get(k) for k in keys]


def authors_of_work(ctx: Context) -> SyncDataLoader:
    def load(work_ids):
        rows = ctx.session.execute(
            select(WorkAuthor.work_id, Author).join(Author, Author.id == WorkAuthor.author_id)
            .where(WorkAuthor.work_id.in_(work_ids)).order_by(WorkAuthor.work_id, WorkAuthor.position))
        return _grouped(work_ids, rows, lambda r: r[0], lambda r: r[1])

    return ctx.loader("authors_of_work", lambda: SyncDataLoader(load))


def translations_of_work(ctx: Context) -> SyncDataLoader:
    def load(work_ids):
        rows = ctx.session.scalars(
            select(Translation).where(Translation.work_id.in_(work_ids), Translation.status == "published")
            .order_by(Translation.work_id, Translation.language, Translation.id))
        return _grouped(work_ids, rows, lambda t: t.work_id, lambda t: t)

    return ctx.loader("translations_of_work", lambda: SyncDataLoader(load))


def works_of_author(ctx: Context) -> SyncDataLoader:
    def load(author_ids):
        rows = ctx.session.execute(
            select(WorkAuthor.author_id, Work).join(Work, Work.id == WorkAuthor.work_id)
            .where(WorkAuthor.author_id.in_(author_ids)).order_by(WorkAuthor.author_id, Work.sort_title))
        return _grouped(author_ids, rows, lambda r: r[0], lambda r: r[1])

    return ctx.loader("works_of_author", lambda: SyncDataLoader(load))


def terms_of_work(ctx: Context, kind: str) -> SyncDataLoader:
    model, table, column = (Genre, work_genres, work_genres.c.genre_id) if kind == "genres" else \
        (Tag, work_tags, work_tags.c.tag_id)

    def load(work_ids):
        rows = ctx.session.execute(
            select(table.c.work_id, model).join(model, model.id == column)
            .where(table.c.work_id.in_(work_ids)).order_by(table.c.work_id, model.name))
        return _grouped(work_ids, rows, lambda r: r[0], lambda r: r[1])

    return ctx.loader(f"{kind}_of_work", lambda: SyncDataLoader(load))


def work_by_id(ctx: Context) -> SyncDataLoader:
    return ctx.loader("work_by_id", lambda: SyncDataLoader(lambda ids: _by_id(Work, ctx.session, ids)))


def user_by_id(ctx: Context) -> SyncDataLoader:
    return ctx.loader("user_by_id", lambda: SyncDataLoader(lambda ids: _by_id(User, ctx.session, ids)))


def parts_of_work(ctx: Context) -> SyncDataLoader:
    def load(work_ids):
        rows = ctx.session.scalars(select(Work).where(Work.parent_id.in_(work_ids))
                                   .order_by(Work.parent_id, Work.position, Work.id))
        return _grouped(work_ids, rows, lambda w: w.parent_id, lambda w: w)

    return ctx.loader("parts_of_work", lambda: SyncDataLoader(load))


def translation_outdated(ctx: Context) -> SyncDataLoader:
    """Translation id -> True when its text was made from an older revision of the original."""
    from ..models import TextRevision

    def load(translation_ids):
        rows = ctx.session.execute(
            select(Translation.id, TextRevision.original_revision_id, Work.current_revision_id)
            .join(TextRevision, TextRevision.id == Translation.current_revision_id)
            .join(Work, Work.id == Translation.work_id)
            .where(Translation.id.in_(translation_ids)))
        found = {tid: made_from is not None and current is not None and made_from != current
                 for tid, made_from, current in rows}
        return [found.get(k, False) for k in translation_ids]

    return ctx.loader("translation_outdated", lambda: SyncDataLoader(load))
