"""Editing the catalogue directly: authors, works and translations.

People propose texts through contributions; editors (reviewers and admins) may also
correct the catalogue directly, and admins may delete. Text changes still go through
revisions (earlier ones are kept) and the outbox, like an approved contribution.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Author, Translation, User, Work
from ..texts.parsing import parse_plain_text
from ..texts.validation import check_body
from . import catalog, outbox
from .accounts import require_admin, require_reviewer
from .errors import Conflict, Invalid, NotFound


def _invalidate() -> None:
    from .reading import invalidate_library

    invalidate_library()


def _existing(session: Session, model, row_id: int):
    """The author, work or translation with ``row_id``, or :class:`NotFound`."""
    found = session.get(model, row_id)
    if found is None:
        raise NotFound(f"There is no such {model.__name__.lower()}.")
    return found


@dataclass
class AuthorInput:
    name: str
    slug: str | None = None
    names: dict[str, str] | None = None
    birth_year: int | None = None
    death_year: int | None = None
    country: str | None = None
    biography: str | None = None


def save_author(session: Session, actor: User | None, data: AuthorInput, *, author_id: int | None = None) -> Author:
    """Create an author, or update the one with ``author_id`` (editors)."""
    require_reviewer(actor)
    if author_id is not None:
        author = _existing(session, Author, author_id)
        slug = author.slug
    else:
        slug = data.slug or catalog.make_slug(data.name or "")
        if session.scalar(select(Author.id).where(Author.slug == slug)):
            raise Invalid("slug", f"An author with the URL name {slug!r} already exists.")
    author = catalog.upsert_author(session, slug=slug, name=data.name, names=data.names or {},
                                   birth_year=data.birth_year, death_year=data.death_year, country=data.country,
                                   biography=data.biography)
    outbox.enqueue(session, "index", "author", author.id, None)
    _invalidate()
    return author


def delete_author(session: Session, actor: User | None, author_id: int) -> None:
    """Delete an author who has no works (admins)."""
    require_admin(actor)
    author = _existing(session, Author, author_id)
    from ..models import WorkAuthor

    if session.scalar(select(WorkAuthor.work_id).where(WorkAuthor.author_id == author_id).limit(1)):
        raise Conflict("This author still has works: move or delete them first.")
    session.delete(author)
    session.flush()
    _invalidate()


@dataclass
class WorkInput:
    title: str
    language: str
    form: str
    authors: list[str]  # author slugs
    slug: str | None = None
    genres: list[str] | None = None
    tags: list[str] | None = None
    period: str | None = None
    date_from: int | None = None
    date_to: int | None = None
    parent: str | None = None
    position: int | None = None
    source: str | None = None
    licence: str | None = None
    text: str | None = None  # plain text; a new revision when it differs


def save_work(session: Session, actor: User | None, data: WorkInput, *, work_id: int | None = None,
              max_bytes: int = 2 * 1024 * 1024) -> Work:
    """Create a work, or update the one with ``work_id`` (editors); a changed text is a new revision."""
    editor = require_reviewer(actor)
    if work_id is not None:
        work = _existing(session, Work, work_id)
        slug = work.slug
    else:
        slug = data.slug or catalog.make_slug(data.title or "")
        if session.scalar(select(Work.id).where(Work.slug == slug)):
            raise Invalid("slug", f"A work with the URL name {slug!r} already exists.")
        if data.text is None:
            raise Invalid("text", "A new work needs its text.")
    text = None
    if data.text is not None:
        check_body(data.text, max_bytes)
        text = parse_plain_text(data.text, data.form)
    work, changed = catalog.upsert_work(session, catalog.WorkFields(
        slug=slug, title=data.title, language=data.language, form=data.form, authors=data.authors,
        genres=data.genres or [], tags=data.tags or [], period=data.period, date_from=data.date_from,
        date_to=data.date_to, parent=data.parent, position=data.position, source=data.source,
        licence=data.licence), created_by_id=editor.id)
    text_changed = text is not None and catalog.set_work_text(session, work, text, created_by_id=editor.id)
    if changed and not text_changed:
        # facts the index holds (title, authors, tags...) changed without a new text
        outbox.enqueue(session, "index", "work", work.id, work.current_revision_id)
    _invalidate()
    return work


def delete_work(session: Session, actor: User | None, work_id: int) -> None:
    """Delete a work with its texts and translations (admins); the index forgets it."""
    require_admin(actor)
    work = _existing(session, Work, work_id)
    if session.scalar(select(Work.id).where(Work.parent_id == work_id).limit(1)):
        raise Conflict("This work contains other works: delete or move them first.")
    translation_ids = list(session.scalars(select(Translation.id).where(Translation.work_id == work_id)))
    session.delete(work)
    session.flush()
    outbox.enqueue(session, "index", "work", work_id, None, deleted=True)
    for tid in translation_ids:
        outbox.enqueue(session, "index", "translation", tid, None, deleted=True)
    _invalidate()


def create_translation(session: Session, actor: User | None, work_id: int, *, language: str, title: str,
                       text: str, translator_name: str | None = None, source: str | None = None,
                       licence: str | None = None, max_bytes: int = 2 * 1024 * 1024) -> Translation:
    """Publish a translation directly (editors; e.g. a public-domain text with its source).

    Contributors propose translations through a contribution instead."""
    editor = require_reviewer(actor)
    work = _existing(session, Work, work_id)
    if work.current_revision_id is None:
        raise Invalid("work", "This work has no text of its own to translate (it is a collection).")
    check_body(text, max_bytes)
    from .revisions import load_revision, rebuild_text

    original = rebuild_text(*load_revision(session, work.current_revision_id))
    if catalog.find_translation(session, work, catalog.normalize_language(language), translator_name) is not None:
        raise Conflict("This work already has a translation into this language by this translator.")
    translation, _ = catalog.upsert_translation(
        session, work, language=language, title=title, text=parse_plain_text(text, work.form, original),
        translator_name=translator_name, source=source, licence=licence, created_by_id=editor.id)
    _invalidate()
    return translation


def update_translation(session: Session, actor: User | None, translation_id: int, *, title: str | None = None,
                       translator_name: str | None = None, source: str | None = None,
                       licence: str | None = None, published: bool | None = None) -> Translation:
    """Correct a translation's facts or (un)publish it (editors). Its text changes
    through an edit contribution, so that every text change is reviewed."""
    require_reviewer(actor)
    translation = _existing(session, Translation, translation_id)
    if title is not None:
        if not title.strip():
            raise Invalid("title", "A translation needs a title.")
        translation.title = title.strip()
    if translator_name is not None:
        translation.translator_name = translator_name.strip() or None
    if source is not None:
        translation.source = source.strip() or None
    if licence is not None:
        translation.licence = licence.strip() or None
    if published is not None:
        translation.status = "published" if published else "unpublished"
        catalog.refresh_translation_count(session, translation.work_id)
    session.flush()
    if translation.current_revision_id is not None:
        outbox.request_text_jobs(session, "translation", translation.id, translation.current_revision_id)
    _invalidate()
    return translation


def delete_translation(session: Session, actor: User | None, translation_id: int) -> None:
    """Delete a translation and its revisions (admins)."""
    require_admin(actor)
    translation = _existing(session, Translation, translation_id)
    work_id = translation.work_id
    session.delete(translation)
    session.flush()
    catalog.refresh_translation_count(session, work_id)
    outbox.enqueue(session, "index", "translation", translation_id, None, deleted=True)
    _invalidate()
