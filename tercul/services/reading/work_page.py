"""The work page: facts, the reading view, the translations and the parts of a work."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from sqlalchemy import and_, bindparam, func, literal_column, or_, select, union_all
from sqlalchemy.orm import Session

from ...extensions import cache
from ...models import Author, Comment, Genre, Tag, TextLine, Translation, Work, WorkAuthor, work_genres, work_tags
from ...texts.rows import ReaderView
from ..errors import NotFound
from .display import format_dates, incipit
from .page_cache import stamp_key
from .pagination import Pagination, page_size
from .reader import TranslationInfo, published_translations, reader_view

MAX_TRANSLATION_COLUMNS = 3  # four texts side by side on wide screens


@dataclass
class PartOfWork:
    slug: str
    title: str
    position: int | None
    incipit: str | None
    translation_count: int


@dataclass
class WorkPage:
    work: Work
    authors: list[tuple[str, str]]
    genres: list[tuple[str, str]]
    tags: list[tuple[str, str]]
    translations: list[TranslationInfo]  # all of them (the reader's choices)
    translations_listed: list[TranslationInfo]  # the page of them listed
    translations_pagination: Pagination
    reader: ReaderView | None
    parent: tuple[str, str] | None  # (slug, title) of the collection
    siblings: tuple[tuple[str, str] | None, tuple[str, str] | None]  # previous and next part
    parts: list[PartOfWork]
    parts_pagination: Pagination | None
    notices: list[str]

    @property
    def dates(self) -> str | None:
        return format_dates(self.work.date_from, self.work.date_to)


@dataclass(frozen=True)
class WorkStamp:
    """What a work page's content depends on that can change: cheap to read, used as a cache key."""

    title: str
    version: str
    id: int = 0  # the work's id (view counts; its comment thread is loaded by id)
    comments: int = 0  # comments on the work itself (none: no line markers to look up)


def work_stamp(session: Session, slug: str, *, keep_seconds: int = 0) -> WorkStamp | None:
    """The work's title and a version that changes when the work, one of its translations or a
    comment on the work (its line markers) does.

    One indexed query. Changes elsewhere (an author renamed, a part added to a
    collection) are not in it: content cached under it must also expire. With
    ``keep_seconds`` the stamp is kept in the cache that long, so a page read many
    times a second is served without touching the database; a change then shows
    within that time (at once after :func:`~.page_cache.invalidate_work`).
    """
    stamp = cache.get(stamp_key(slug)) if keep_seconds else None
    if stamp is None:
        # Core on the session's connection: this runs on every work page, cached or not
        row = session.connection().execute(_WORK_STAMP, {"slug": slug}).first()
        if row is None:
            return None
        stamp = WorkStamp(title=row[1], version=f"{row[0]}:{row[2]}:{row[3]}:{row[4]}:{row[5]}:{row[6]}:{row[7]}",
                          id=row[0], comments=row[6] or 0)
        if keep_seconds:
            cache.set(stamp_key(slug), stamp, timeout=keep_seconds)
    return stamp


_WORK_STAMP = select(
    Work.id, Work.title, Work.updated_at, Work.current_revision_id,
    select(func.count(Translation.id)).where(Translation.work_id == Work.id).scalar_subquery(),
    select(func.max(Translation.updated_at)).where(Translation.work_id == Work.id).scalar_subquery(),
    # the reading view shows markers beside lines with comments on the work
    select(func.count(Comment.id)).where(Comment.work_id == Work.id, Comment.translation_id.is_(None))
    .scalar_subquery(),
    select(func.max(Comment.updated_at)).where(Comment.work_id == Work.id, Comment.translation_id.is_(None))
    .scalar_subquery(),
).where(Work.slug == bindparam("slug"))


def choose_columns(requested: Sequence[str] | None, available: Sequence[TranslationInfo], original_language: str,
                   preferred: Sequence[str] = ()) -> tuple[list[str], list[str]]:
    """Which translations to show beside the original, and notices about the choice.

    ``requested`` None means the reader did not say: one translation is chosen, in the
    reader's preferred languages if there is one, else the first. An empty list means
    the original alone. Unknown keys are explained; at most three translations are shown.
    """
    keys = {t.key: t for t in available}
    notices: list[str] = []
    if requested is None:
        for lang in preferred:
            base = lang.split("-")[0].lower()
            if base == original_language.split("-")[0].lower():
                continue
            for t in available:
                if t.language.lower() == lang.lower() or t.language.split("-")[0].lower() == base:
                    return [t.key], notices
        return ([available[0].key] if available else []), notices
    chosen: list[str] = []
    for raw in requested:
        value = raw.strip().lower()
        if not value or value == "original":
            continue
        if value not in keys:
            notices.append(f"This work has no translation “{raw[:40]}”.")
            continue
        if value not in chosen:
            chosen.append(value)
    if len(chosen) > MAX_TRANSLATION_COLUMNS:
        notices.append(f"At most {MAX_TRANSLATION_COLUMNS} translations are shown beside the original.")
        chosen = chosen[:MAX_TRANSLATION_COLUMNS]
    return chosen, notices


def work_page(session: Session, slug: str, *, requested: Sequence[str] | None = None, part: str | None = None,
              line: str | None = None, swap: bool = False, parts_page: int = 1, per_page: int = 50,
              translations_page: int = 1, preferred_languages: Sequence[str] = ()) -> WorkPage:
    """Everything the work page shows, in a fixed number of queries.

    ``requested`` are translation keys to read beside the original (see
    :func:`choose_columns`); ``part`` a part key or ``line`` a line key picks the part
    of a long text; ``swap`` reverses the columns.
    """
    work = session.scalar(select(Work).where(Work.slug == slug))
    if work is None:
        raise NotFound(f"There is no work “{slug[:80]}” in the library.")
    notices: list[str] = []
    authors = [(s, n) for s, n in session.execute(
        select(Author.slug, Author.name).join(WorkAuthor, WorkAuthor.author_id == Author.id)
        .where(WorkAuthor.work_id == work.id).order_by(WorkAuthor.position))]
    genres: list[tuple[str, str]] = []
    tags: list[tuple[str, str]] = []
    terms = union_all(
        select(literal_column("'g'").label("kind"), Genre.slug, Genre.name)
        .join(work_genres, work_genres.c.genre_id == Genre.id).where(work_genres.c.work_id == work.id),
        select(literal_column("'t'").label("kind"), Tag.slug, Tag.name).join(work_tags, work_tags.c.tag_id == Tag.id)
        .where(work_tags.c.work_id == work.id)).subquery()
    for kind, term_slug, name in session.execute(select(terms.c.kind, terms.c.slug, terms.c.name)
                                                 .order_by(terms.c.kind, terms.c.name)):
        (genres if kind == "g" else tags).append((term_slug, name))
    translations = published_translations(session, work)
    parent, siblings, parts, parts_pagination = _family(session, work, parts_page, per_page)
    reader = None
    if work.current_revision_id is not None:
        chosen, more = choose_columns(requested, translations, work.language, preferred_languages)
        notices += more
        reader = reader_view(session, work, translations, chosen, part, line, swap, notices)
    listed = Pagination(translations_page, page_size(per_page), len(translations))
    return WorkPage(work=work, authors=authors, genres=genres, tags=tags, translations=translations,
                    translations_listed=translations[listed.offset:listed.offset + listed.per_page],
                    translations_pagination=listed, reader=reader,
                    parent=parent, siblings=siblings, parts=parts, parts_pagination=parts_pagination,
                    notices=notices)


def _family(session: Session, work: Work, parts_page: int, per_page: int):
    """The collection a work belongs to, its neighbours there, and its own parts (one query
    for the parent and neighbours, one for a page of parts, one for their first lines)."""
    parent = None
    siblings: tuple = (None, None)
    if work.parent_id is not None:
        rows = session.execute(
            select(Work.id, Work.slug, Work.title, Work.position).where(or_(
                Work.id == work.parent_id,
                and_(Work.parent_id == work.parent_id, Work.position.is_not(None), or_(
                    Work.position == select(func.max(Work.position)).where(
                        Work.parent_id == work.parent_id, Work.position < (work.position or 0)).scalar_subquery(),
                    Work.position == select(func.min(Work.position)).where(
                        Work.parent_id == work.parent_id, Work.position > (work.position or 0)).scalar_subquery(),
                ))))).all()
        prev = nxt = None
        for r in rows:
            if r.id == work.parent_id:
                parent = (r.slug, r.title)
            elif r.position is not None and work.position is not None:
                if r.position < work.position:
                    prev = (r.slug, r.title)
                elif r.position > work.position:
                    nxt = (r.slug, r.title)
        siblings = (prev, nxt)
    if work.current_revision_id is not None:
        return parent, siblings, [], None  # only collections (works without a text) have parts
    per_page = page_size(per_page)
    rows = session.execute(
        select(Work.slug, Work.title, Work.position, Work.current_revision_id, Work.translation_count)
        .where(Work.parent_id == work.id).order_by(Work.position.is_(None), Work.position, Work.sort_title)
        .limit(per_page).offset((parts_page - 1) * per_page)).all()
    if not rows and parts_page == 1:
        return parent, siblings, [], None
    count = (len(rows) if parts_page == 1 and len(rows) < per_page else
             session.scalar(select(func.count()).select_from(Work).where(Work.parent_id == work.id)) or 0)
    pagination = Pagination(parts_page, per_page, count)
    revisions = [r.current_revision_id for r in rows if r.current_revision_id is not None]
    incipits = dict(session.execute(select(TextLine.revision_id, TextLine.text)
                                    .where(TextLine.revision_id.in_(revisions), TextLine.position == 0))
                    .all()) if revisions else {}
    parts = [PartOfWork(slug=r.slug, title=r.title, position=r.position,
                        incipit=incipit(incipits.get(r.current_revision_id)), translation_count=r.translation_count)
             for r in rows]
    return parent, siblings, parts, pagination
