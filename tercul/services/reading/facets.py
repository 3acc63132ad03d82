"""Choices for the browse filters, with how many works each would show.

Without filters the counts are library-wide (cached for :data:`FACETS_TTL`, also what
the home page shows). With filters, each filter's choices are counted with the *other*
filters applied, so that a choice always leads to works: with "by Milton" the forms
Milton did not write are not offered. A fixed number of queries either way.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...models import Author, Genre, Tag, Translation, Work, WorkAuthor, work_genres, work_tags
from .. import analysis
from .display import century_of
from .page_cache import FACETS_TTL, cached

AUTHOR_CHOICES = 300  # authors offered in the sidebar (the most prolific first are kept)
TERM_CHOICES = 60


@dataclass
class Facets:
    """Choices for the browse filters, with how many works each would show."""

    languages: list[tuple[str, int]]
    translated_into: list[tuple[str, int]]
    forms: list[tuple[str, int]]
    genres: list[tuple[str, str, int]]  # slug, name, works
    tags: list[tuple[str, str, int]]
    periods: list[tuple[str, int]]
    centuries: list[tuple[int, int]]
    features: list[tuple[str, str, int]]  # form features found by the analysers: value, label, works
    works: int
    translations: int
    authors: int
    by_author: list[tuple[str, str, int]] = field(default_factory=list)  # slug, name, works (by name)


# the conditions on works for a facet: every active filter but the facet's own ("" for none left out)
Conditions = Callable[[str], list]


def browse_facets(session: Session) -> Facets:
    """Library-wide choices and counts for the filters (cached for :data:`FACETS_TTL`)."""
    return cached("facets", FACETS_TTL, lambda: _build(session, lambda _dim: [Work.parent_id.is_(None)]),
                  pinned=True)


def filtered_facets(session: Session, conditions: Conditions) -> Facets:
    """Choices counted under the other active filters (``conditions(dim)``); totals stay library-wide."""
    library = browse_facets(session)
    facets = _build(session, conditions, totals=(library.works, library.translations, library.authors))
    facets.features = library.features  # the analysers' facets are counted library-wide
    return facets


def _build(session: Session, conditions: Conditions, totals: tuple[int, int, int] | None = None) -> Facets:
    library_wide = totals is None
    def count_by(column, dim: str, *extra) -> list[tuple]:
        rows = session.execute(select(column, func.count()).where(*conditions(dim), *extra).group_by(column))
        return sorted(((value, n) for value, n in rows), key=lambda kv: (-kv[1], kv[0]))

    languages = count_by(Work.language, "language")
    owner = func.coalesce(Work.parent_id, Work.id)
    translated = sorted(((lang, n) for lang, n in session.execute(
        select(Translation.language, func.count(func.distinct(owner)))
        .join(Work, Work.id == Translation.work_id)
        .where(Translation.status == "published",
               owner.in_(select(Work.id).where(*conditions("translated_into")).scalar_subquery()))
        .group_by(Translation.language))), key=lambda kv: (-kv[1], kv[0]))
    forms = sorted(count_by(Work.form, "form"))

    def terms(model, table, dim: str):
        n = func.count().label("n")
        return [(slug, name, count) for slug, name, count in session.execute(
            select(model.slug, model.name, n).join(table, table.c[f"{model.__tablename__[:-1]}_id"] == model.id)
            .join(Work, Work.id == table.c.work_id).where(*conditions(dim))
            .group_by(model.id, model.slug, model.name).order_by(n.desc(), model.name).limit(TERM_CHOICES))]

    n = func.count(func.distinct(Work.id)).label("n")
    by_author = [(slug, name, count) for slug, name, _sort, count in session.execute(
        select(Author.slug, Author.name, Author.sort_name, n).join(WorkAuthor, WorkAuthor.author_id == Author.id)
        .join(Work, Work.id == WorkAuthor.work_id).where(*conditions("author"))
        .group_by(Author.id, Author.slug, Author.name, Author.sort_name)
        .order_by(n.desc(), Author.sort_name).limit(AUTHOR_CHOICES))]
    by_author.sort(key=lambda row: row[1].casefold())
    periods = count_by(Work.period, "period", Work.period.is_not(None))
    by_century: dict[int, int] = {}
    for year, count in count_by(Work.date_from, "century", Work.date_from.is_not(None)):
        c = century_of(year)
        by_century[c] = by_century.get(c, 0) + count
    if totals is None:
        top = Work.parent_id.is_(None)
        totals = tuple(session.execute(select(
            select(func.count()).select_from(Work).where(top).scalar_subquery(),
            select(func.count()).select_from(Translation).where(Translation.status == "published")
            .scalar_subquery(),
            select(func.count()).select_from(Author).scalar_subquery(),
        )).one())
    return Facets(languages=languages, translated_into=translated, forms=forms,
                  genres=terms(Genre, work_genres, "genre"), tags=terms(Tag, work_tags, "tag"), periods=periods,
                  centuries=sorted(by_century.items()),
                  features=analysis.feature_counts(session) if library_wide else [],
                  works=totals[0], translations=totals[1], authors=totals[2], by_author=by_author)
