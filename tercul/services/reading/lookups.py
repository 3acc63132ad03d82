"""The library's records for the API and the forms: one by id, slug or key, a page of them,
or a batch by ids (what the GraphQL DataLoaders ask for), one statement each.

Batch functions take a list of ids and return one entry per id, in the same order
(``None`` or an empty list where nothing matches), as a DataLoader expects.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...models import (Author, Genre, Tag, TextDivision, TextLine, TextRevision, Translation, User, Work, WorkAuthor,
                       work_genres, work_tags)
from ..errors import NotFound


def _grouped(keys: Iterable[int], rows, key_of: Callable, value_of: Callable) -> list[list]:
    groups: dict[int, list] = defaultdict(list)
    for row in rows:
        groups[key_of(row)].append(value_of(row))
    return [groups.get(k, []) for k in keys]


def _by_id(session: Session, model, ids: Sequence[int]) -> list:
    found = {obj.id: obj for obj in session.scalars(select(model).where(model.id.in_(ids)))}
    return [found.get(k) for k in ids]


# --------------------------------------------------------------------------- batches

def works_by_ids(session: Session, ids: Sequence[int]) -> list[Work | None]:
    return _by_id(session, Work, ids)


def translations_by_ids(session: Session, ids: Sequence[int]) -> list[Translation | None]:
    """Published translations by id (None for the others)."""
    return [t if t is not None and t.status == "published" else None for t in _by_id(session, Translation, ids)]


def users_by_ids(session: Session, ids: Sequence[int]) -> list[User | None]:
    """Users (translators, contributors) by id, for showing their names."""
    return _by_id(session, User, ids)


def authors_of_works(session: Session, work_ids: Sequence[int]) -> list[list[Author]]:
    """Each work's authors, in the work's order."""
    rows = session.execute(
        select(WorkAuthor.work_id, Author).join(Author, Author.id == WorkAuthor.author_id)
        .where(WorkAuthor.work_id.in_(work_ids)).order_by(WorkAuthor.work_id, WorkAuthor.position))
    return _grouped(work_ids, rows, lambda r: r[0], lambda r: r[1])


def published_translations_of_works(session: Session, work_ids: Sequence[int]) -> list[list[Translation]]:
    """Each work's published translations, by language."""
    rows = session.scalars(
        select(Translation).where(Translation.work_id.in_(work_ids), Translation.status == "published")
        .order_by(Translation.work_id, Translation.language, Translation.id))
    return _grouped(work_ids, rows, lambda t: t.work_id, lambda t: t)


def works_of_authors(session: Session, author_ids: Sequence[int]) -> list[list[Work]]:
    """Each author's works, by title."""
    rows = session.execute(
        select(WorkAuthor.author_id, Work).join(Work, Work.id == WorkAuthor.work_id)
        .where(WorkAuthor.author_id.in_(author_ids)).order_by(WorkAuthor.author_id, Work.sort_title))
    return _grouped(author_ids, rows, lambda r: r[0], lambda r: r[1])


def terms_of_works(session: Session, work_ids: Sequence[int], kind: str) -> list[list[Genre | Tag]]:
    """Each work's genres (``kind`` "genres") or tags ("tags"), by name."""
    model, table, column = ((Genre, work_genres, work_genres.c.genre_id) if kind == "genres" else
                            (Tag, work_tags, work_tags.c.tag_id))
    rows = session.execute(
        select(table.c.work_id, model).join(model, model.id == column)
        .where(table.c.work_id.in_(work_ids)).order_by(table.c.work_id, model.name))
    return _grouped(work_ids, rows, lambda r: r[0], lambda r: r[1])


def parts_of_works(session: Session, work_ids: Sequence[int]) -> list[list[Work]]:
    """The works inside each work (each sonnet of the Sonnets), in order."""
    rows = session.scalars(select(Work).where(Work.parent_id.in_(work_ids))
                           .order_by(Work.parent_id, Work.position, Work.id))
    return _grouped(work_ids, rows, lambda w: w.parent_id, lambda w: w)


def translations_outdated(session: Session, translation_ids: Sequence[int]) -> list[bool]:
    """True for each translation whose text was made from an older revision of the original."""
    rows = session.execute(
        select(Translation.id, TextRevision.original_revision_id, Work.current_revision_id)
        .join(TextRevision, TextRevision.id == Translation.current_revision_id)
        .join(Work, Work.id == Translation.work_id)
        .where(Translation.id.in_(translation_ids)))
    found = {tid: made_from is not None and current is not None and made_from != current
             for tid, made_from, current in rows}
    return [found.get(k, False) for k in translation_ids]


# --------------------------------------------------------------------------- one record

def work(session: Session, *, id: int | None = None, slug: str | None = None) -> Work | None:
    """A work by id or by slug (None when there is none)."""
    if id is not None:
        return session.get(Work, id)
    return session.scalar(select(Work).where(Work.slug == slug))


def author(session: Session, *, id: int | None = None, slug: str | None = None) -> Author | None:
    """An author by id or by slug (None when there is none)."""
    if id is not None:
        return session.get(Author, id)
    return session.scalar(select(Author).where(Author.slug == slug))


def translation(session: Session, translation_id: int) -> Translation | None:
    """A translation by id, whatever its status (the caller decides who may see it)."""
    return session.get(Translation, translation_id)


def published_translation(session: Session, *, id: int | None = None, work_slug: str | None = None,
                          key: str | None = None) -> Translation | None:
    """A published translation by id, or by its work's slug and its key."""
    if id is not None:
        found = session.get(Translation, id)
    else:
        found = session.scalar(select(Translation).join(Work).where(Work.slug == work_slug, Translation.key == key))
    return found if found is not None and found.status == "published" else None


def revision(session: Session, revision_id: int | None) -> TextRevision | None:
    """A revision of a text (None for None: a collection has no text)."""
    return session.get(TextRevision, revision_id) if revision_id is not None else None


def author_name(session: Session, author_id: int) -> str | None:
    found = session.get(Author, author_id)
    return found.name if found is not None else None


# --------------------------------------------------------------------------- pages

def count_authors(session: Session) -> int:
    return session.scalar(select(func.count(Author.id))) or 0


def authors_by_name(session: Session, *, offset: int, limit: int) -> list[Author]:
    return list(session.scalars(select(Author).order_by(Author.sort_name, Author.id).offset(offset).limit(limit)))


def _published(language: str | None) -> list:
    conditions = [Translation.status == "published"]
    if language:
        conditions.append(Translation.language == language)
    return conditions


def count_published_translations(session: Session, language: str | None = None) -> int:
    return session.scalar(select(func.count(Translation.id)).where(*_published(language))) or 0


def newest_translations(session: Session, *, language: str | None = None, offset: int, limit: int
                        ) -> list[Translation]:
    """Published translations (optionally in ``language``, a normalised code), newest first."""
    return list(session.scalars(select(Translation).where(*_published(language))
                                .order_by(Translation.published_at.desc(), Translation.id.desc())
                                .offset(offset).limit(limit)))


# --------------------------------------------------------------------------- a text's divisions

@dataclass
class DivisionLines:
    """A division of a text and the lines directly in it."""

    division: TextDivision
    lines: list[TextLine]


def text_divisions(session: Session, revision_id: int, only: str | None = None) -> list[DivisionLines]:
    """Divisions with their lines in reading order, two queries whatever the size.

    ``only`` is a division key: that division and those inside it (``NotFound`` if
    the text has none with that key).
    """
    rows = list(session.scalars(select(TextDivision).where(TextDivision.revision_id == revision_id)
                                .order_by(TextDivision.position)))
    if only is not None:
        top = next((d for d in rows if d.key == only), None)
        if top is None:
            raise NotFound(f"No division {only!r} in this text.")
        rows = [d for d in rows if top.first_line <= d.first_line and d.end_line <= top.end_line
                and d.position >= top.position]
        first, end = top.first_line, top.end_line
    else:
        first, end = 0, None
    query = select(TextLine).where(TextLine.revision_id == revision_id, TextLine.position >= first)
    if end is not None:
        query = query.where(TextLine.position < end)
    by_division: dict[str, list[TextLine]] = {}
    for line in session.scalars(query.order_by(TextLine.position)):
        by_division.setdefault(line.division_key, []).append(line)
    return [DivisionLines(d, by_division.get(d.key, [])) for d in rows]
