"""Authors: the A to Z list and an author's page with their works."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from ...models import Author, AuthorName, Work, WorkAuthor
from ..errors import Invalid, NotFound
from ..languages import normalize_language
from .cards import WorkCard, work_cards
from .display import format_dates
from .page_cache import FACETS_TTL, cached
from .pagination import Pagination, page_size


@dataclass
class AuthorCard:
    id: int
    slug: str
    name: str
    birth_year: int | None
    death_year: int | None
    country: str | None
    works: int = 0
    languages: list[str] = field(default_factory=list)

    @property
    def dates(self) -> str | None:
        return format_dates(self.birth_year, self.death_year)


@dataclass
class AuthorsResult:
    authors: list[AuthorCard]
    pagination: Pagination
    letter: str | None
    language: str | None
    letters: list[str]
    notices: list[str]


def browse_authors(session: Session, *, page: int = 1, per_page: int = 50, letter: str | None = None,
                   language: str | None = None) -> AuthorsResult:
    """Authors by sort name, optionally those starting with ``letter`` or writing in ``language``."""
    notices: list[str] = []
    per_page = page_size(per_page)
    letter = (letter or "").strip().lower()[:1] or None
    if letter is not None and not letter.isalpha():
        notices.append(f"“{letter}” is not a letter; showing all authors.")
        letter = None
    if language:
        try:
            language = normalize_language(language)
        except Invalid:
            notices.append(f"“{language[:40]}” is not a language code we know; showing all languages.")
            language = None
    conditions = []
    if letter:
        conditions.append(Author.sort_name.like(f"{letter}%"))
    if language:
        conditions.append(exists().where(WorkAuthor.author_id == Author.id, Work.id == WorkAuthor.work_id,
                                         Work.language == language))
    total = session.scalar(select(func.count()).select_from(Author).where(*conditions)) or 0
    pagination = Pagination(page, per_page, total)
    rows = [] if pagination.beyond_end else session.execute(
        select(Author.id, Author.slug, Author.name, Author.birth_year, Author.death_year, Author.country)
        .where(*conditions).order_by(Author.sort_name, Author.id)
        .limit(per_page).offset(pagination.offset)).all()
    cards = {r.id: AuthorCard(id=r.id, slug=r.slug, name=r.name, birth_year=r.birth_year,
                              death_year=r.death_year, country=r.country) for r in rows}
    if cards:
        for author_id, lang, n in session.execute(
                select(WorkAuthor.author_id, Work.language, func.count())
                .join(Work, Work.id == WorkAuthor.work_id)
                .where(WorkAuthor.author_id.in_(list(cards)), Work.parent_id.is_(None))
                .group_by(WorkAuthor.author_id, Work.language)):
            cards[author_id].works += n
            cards[author_id].languages.append(lang)
    letters = cached("author-letters", FACETS_TTL, pinned=True, build=lambda: sorted(
        {c.upper() for c in session.scalars(select(func.substr(Author.sort_name, 1, 1)).distinct())
         if c and c.isalpha()}))
    return AuthorsResult(authors=[cards[r.id] for r in rows], pagination=pagination, letter=letter,
                         language=language, letters=letters, notices=notices)


@dataclass
class AuthorPage:
    author: Author
    names: list[tuple[str, str]]  # (language, name) where it differs from the author's name
    works: list[WorkCard]
    pagination: Pagination
    languages: list[str]  # languages the author wrote in


def author_page(session: Session, slug: str, *, page: int = 1, per_page: int = 50) -> AuthorPage:
    """An author with their works (top-level works, by date then title), paginated."""
    author = session.scalar(select(Author).where(Author.slug == slug))
    if author is None:
        raise NotFound(f"There is no author “{slug[:80]}” in the library.")
    per_page = page_size(per_page)
    names = [(lang, name) for lang, name in session.execute(
        select(AuthorName.language, AuthorName.name).where(AuthorName.author_id == author.id)
        .order_by(AuthorName.language)) if name != author.name]
    conditions = [Work.parent_id.is_(None),
                  exists().where(WorkAuthor.work_id == Work.id, WorkAuthor.author_id == author.id)]
    stats = session.execute(select(Work.language, func.count()).where(*conditions).group_by(Work.language)).all()
    total = sum(n for _, n in stats)
    pagination = Pagination(page, per_page, total)
    rows = [] if pagination.beyond_end or not total else session.execute(
        select(Work.id, Work.slug, Work.title, Work.language, Work.form, Work.period, Work.date_from,
               Work.date_to, Work.translation_count, Work.current_revision_id)
        .where(*conditions).order_by(Work.date_from.is_(None), Work.date_from, Work.sort_title, Work.id)
        .limit(per_page).offset(pagination.offset)).all()
    return AuthorPage(author=author, names=names, works=work_cards(session, rows), pagination=pagination,
                      languages=sorted(lang for lang, _ in stats))
