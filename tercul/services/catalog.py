"""Authors, works and translations: creating, updating and counting them."""
from __future__ import annotations

from dataclasses import dataclass

from slugify import slugify
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..models import FORMS, Author, AuthorName, Genre, Tag, TextRevision, Translation, Work, WorkAuthor
from ..models._base import utcnow
from ..texts.checksums import text_checksum
from ..texts.model import Text
from . import outbox
from .errors import Invalid
from .languages import normalize_language
from .revisions import store_revision


def make_slug(value: str, max_length: int = 180) -> str:
    slug = slugify(value or "", max_length=max_length, word_boundary=True)
    if not slug:
        raise Invalid("slug", f"cannot make a URL name from {value!r}")
    return slug


# a slug is one URL path segment: these would split it, end it or be decoded in it
_SLUG_FORBIDDEN = set("/\\?#%") | {chr(c) for c in range(33)} | {chr(127)}


def check_slug(slug: str) -> str:
    """A slug every page can be reached at, or :class:`Invalid` (given slugs, imports)."""
    if not slug or len(slug) > 180 or slug in (".", "..") or any(c in _SLUG_FORBIDDEN for c in slug):
        raise Invalid("slug", f"{slug!r} cannot be a URL name: use letters, digits and hyphens")
    return slug


def sort_key(value: str) -> str:
    """Titles sort without leading articles and case: 'The Tempest' -> 'tempest'."""
    lowered = (value or "").strip().lower()
    for article in ("the ", "a ", "an "):
        if lowered.startswith(article):
            lowered = lowered[len(article):]
            break
    return lowered.lstrip("\"'‘“(")


def _changed(obj, **fields) -> bool:
    changed = False
    for name, value in fields.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def upsert_author(session: Session, *, slug: str, name: str, names: dict[str, str] | None = None,
                  birth_year: int | None = None, death_year: int | None = None,
                  country: str | None = None, biography: str | None = None) -> Author:
    """Create the author with this slug, or bring it up to date. Idempotent."""
    check_slug(slug)
    if not name or not name.strip():
        raise Invalid("name", "an author needs a name")
    if birth_year and death_year and death_year < birth_year:
        raise Invalid("death_year", "death year is before birth year")
    author = session.scalar(select(Author).where(Author.slug == slug))
    if author is None:
        author = Author(slug=slug, name=name)
        session.add(author)
    sort_name = _author_sort_name(name)
    _changed(author, name=name, sort_name=sort_name, birth_year=birth_year, death_year=death_year,
             country=country, biography=biography)
    wanted = {normalize_language(k, "names"): v for k, v in (names or {}).items()}
    current = {n.language: n for n in author.names}
    for lang, n in current.items():
        if lang not in wanted:
            author.names.remove(n)
        elif n.name != wanted[lang]:
            n.name = wanted[lang]
    for lang, value in wanted.items():
        if lang not in current:
            author.names.append(AuthorName(language=lang, name=value))
    session.flush()
    return author


def _author_sort_name(name: str) -> str:
    parts = name.strip().split()
    if len(parts) > 1 and not name.startswith(("The ", "United ")):
        return f"{parts[-1]}, {' '.join(parts[:-1])}".lower()
    return name.lower()


def _terms(session: Session, model, names: list[str]) -> list:
    out = []
    for name in dict.fromkeys(n.strip() for n in names if n and n.strip()):
        slug = make_slug(name, 90)
        term = session.scalar(select(model).where(model.slug == slug))
        if term is None:
            term = model(slug=slug, name=name)
            session.add(term)
        out.append(term)
    return out


@dataclass
class WorkFields:
    slug: str
    title: str
    language: str
    form: str
    authors: list[str]  # author slugs, in order
    genres: list[str]
    tags: list[str]
    period: str | None = None
    date_from: int | None = None
    date_to: int | None = None
    parent: str | None = None
    position: int | None = None
    source: str | None = None
    licence: str | None = None


def upsert_work(session: Session, fields: WorkFields, *, created_by_id: int | None = None) -> tuple[Work, bool]:
    """Create or update the work with ``fields.slug``; return it and whether it changed."""
    check_slug(fields.slug)
    if not fields.title or not fields.title.strip():
        raise Invalid("title", "a work needs a title")
    if fields.form not in FORMS:
        raise Invalid("form", f"{fields.form!r} is not one of {', '.join(FORMS)}")
    language = normalize_language(fields.language)
    if fields.date_from and fields.date_to and fields.date_to < fields.date_from:
        raise Invalid("date_to", "the end of the date range is before its start")
    parent_id = None
    if fields.parent:
        parent_id = session.scalar(select(Work.id).where(Work.slug == fields.parent))
        if parent_id is None:
            raise Invalid("parent", f"no work {fields.parent!r}")
    authors = []
    for slug in fields.authors:
        author = session.scalar(select(Author).where(Author.slug == slug))
        if author is None:
            raise Invalid("authors", f"no author {slug!r}")
        authors.append(author)
    genres = _terms(session, Genre, fields.genres)
    tags = _terms(session, Tag, fields.tags)
    work = session.scalar(select(Work).where(Work.slug == fields.slug))
    created = work is None
    if created:
        work = Work(slug=fields.slug, created_by_id=created_by_id)
        session.add(work)
    changed = _changed(
        work, title=fields.title, sort_title=sort_key(fields.title), language=language, form=fields.form,
        period=fields.period, date_from=fields.date_from, date_to=fields.date_to, parent_id=parent_id,
        position=fields.position, source=fields.source, licence=fields.licence,
        author_sort=authors[0].sort_name if authors else None,
    )
    if [wa.author_id for wa in work.work_authors] != [a.id for a in authors]:
        work.work_authors.clear()
        session.flush()
        work.work_authors.extend(WorkAuthor(author_id=a.id, position=i) for i, a in enumerate(authors))
        changed = True
    if {g.slug for g in work.genres} != {g.slug for g in genres}:
        work.genres = genres
        changed = True
    if {t.slug for t in work.tags} != {t.slug for t in tags}:
        work.tags = tags
        changed = True
    session.flush()
    return work, changed or created


def set_work_text(session: Session, work: Work, text: Text, *, created_by_id: int | None = None,
                  note: str | None = None) -> bool:
    """Publish ``text`` as the work's original unless it is already the published one."""
    checksum = text_checksum(text)
    if _published_checksum(session, work.current_revision_id) == checksum:
        return False
    revision = store_revision(session, text, work_id=work.id, created_by_id=created_by_id, note=note,
                              checksum=checksum)
    work.current_revision_id = revision.id
    outbox.request_text_jobs(session, "work", work.id, revision.id)
    return True


def _published_checksum(session: Session, revision_id: int | None) -> str | None:
    if revision_id is None:
        return None
    return session.scalar(select(TextRevision.checksum).where(TextRevision.id == revision_id))


def find_translation(session: Session, work: Work, language: str, translator_name: str | None,
                     translator_id: int | None = None) -> Translation | None:
    q = select(Translation).where(Translation.work_id == work.id, Translation.language == language)
    if translator_id is not None:
        q = q.where(Translation.translator_id == translator_id)
    else:
        q = q.where(Translation.translator_name.is_(None) if translator_name is None
                    else Translation.translator_name == translator_name)
    return session.scalars(q.order_by(Translation.id)).first()


def new_translation_key(session: Session, work_id: int, language: str) -> str:
    taken = set(session.scalars(select(Translation.key).where(Translation.work_id == work_id)))
    key, n = language.lower(), 2
    while key in taken:
        key, n = f"{language.lower()}-{n}", n + 1
    return key


def upsert_translation(session: Session, work: Work, *, language: str, title: str, text: Text,
                       translator_name: str | None = None, translator_id: int | None = None,
                       source: str | None = None, licence: str | None = None,
                       alignment: dict[str, list[str]] | None = None,
                       created_by_id: int | None = None) -> tuple[Translation, bool]:
    """Create or update a published translation; a changed text becomes a new revision."""
    language = normalize_language(language)
    if not title or not title.strip():
        raise Invalid("title", "a translation needs a title")
    translation = find_translation(session, work, language, translator_name, translator_id)
    created = translation is None
    if created:
        translation = Translation(work_id=work.id, key=new_translation_key(session, work.id, language),
                                  language=language, status="published",
                                  translator_id=translator_id, translator_name=translator_name)
        session.add(translation)
    changed = _changed(translation, title=title, source=source, licence=licence)
    session.flush()
    checksum = text_checksum(text)
    if _published_checksum(session, translation.current_revision_id) != checksum:
        revision = store_revision(session, text, translation_id=translation.id, created_by_id=created_by_id,
                                  original_revision_id=work.current_revision_id, alignment=alignment,
                                  checksum=checksum)
        translation.current_revision_id = revision.id
        translation.published_at = translation.published_at or utcnow()
        outbox.request_text_jobs(session, "translation", translation.id, revision.id)
        changed = True
    if created:
        refresh_translation_count(session, work.id)
    return translation, changed or created


def refresh_translation_count(session: Session, work_id: int) -> None:
    count = select(func.count(Translation.id)).where(
        Translation.work_id == work_id, Translation.status == "published").scalar_subquery()
    session.execute(update(Work).where(Work.id == work_id).values(translation_count=count))


@dataclass
class LibraryStats:
    works: int
    translations: int
    authors: int
    languages: int
    by_language: list[tuple[str, int]]  # language -> texts (originals + translations)
    by_form: list[tuple[str, int]]


def library_stats(session: Session) -> LibraryStats:
    """Counts for the home page and the API's ``stats``: a handful of aggregate queries.

    Works are counted as ``/works`` lists them: every work not part of another (a
    collection counts once, its poems not separately), with or without a text yet.
    Languages are those of these works' originals and of published translations.
    """
    top = Work.parent_id.is_(None)
    works = session.scalar(select(func.count(Work.id)).where(top)) or 0
    translations = session.scalar(
        select(func.count(Translation.id)).where(Translation.status == "published")) or 0
    authors = session.scalar(select(func.count(Author.id))) or 0
    counts: dict[str, int] = {}
    for lang, n in session.execute(select(Work.language, func.count()).where(top).group_by(Work.language)):
        counts[lang] = counts.get(lang, 0) + n
    for lang, n in session.execute(select(Translation.language, func.count()).where(
            Translation.status == "published").group_by(Translation.language)):
        counts[lang] = counts.get(lang, 0) + n
    by_form = [(form, n) for form, n in session.execute(
        select(Work.form, func.count()).where(top).group_by(Work.form).order_by(Work.form))]
    by_language = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return LibraryStats(works, translations, authors, len(counts), by_language, by_form)
