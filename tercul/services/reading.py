"""Reading: browsing works and authors, work pages, and the parallel reading view.

Everything a reader sees is assembled here from a fixed number of queries, whatever
the number of rows, translations or lines (the tests count them). The views only
parse the request and render what these functions return.

The reading view aligns an original with up to two translations (see ``DESIGN.md``):
explicit :class:`~tercul.models.AlignmentLink` rows first, then equal keys, then the
nearest division both texts share, and it says when it had to fall back. Long texts
are read one *part* at a time (an act, a scene, a chapter: divisions of at most about
300 lines), so a 5,000-line play opens as fast as a sonnet. The alignment itself is
pure computation over rows, in :mod:`tercul.services.alignment`; this module loads
the rows (a fixed number of queries) and assembles the pages.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Mapping, Sequence

import langcodes
from flask import current_app
from sqlalchemy import and_, bindparam, exists, func, literal_column, or_, select, union_all
from sqlalchemy.orm import Session

from ..extensions import cache
from ..models import (FORMS, AlignmentLink, Author, AuthorName, Genre, Tag, TextDivision, TextLine,
                      TextRevision, Translation, User, Work, WorkAuthor, work_genres, work_tags)
# line_anchor is imported from here by search (hits link to lines): the anchor scheme
from .alignment import (DivisionRow, LineRow, Part, ReaderColumn, ReaderView, TextSource, anchor_key, build_rows,  # noqa: F401
                        find_part, line_anchor, plan_parts)
from .errors import Invalid, NotFound
from .languages import language_name, normalize_language

MAX_PAGE_SIZE = 100
MAX_TRANSLATION_COLUMNS = 2
FACETS_TTL = 300  # seconds the browse facets and counts may lag behind the library
COUNT_TTL = 60

SORTS = {
    "title": "Title",
    "author": "Author",
    "date": "Date",
    "recent": "Recently added",
    "translated": "Most translated",
}
DEFAULT_SORT = "title"


# --------------------------------------------------------------------------- basics

@lru_cache(maxsize=2048)
def text_direction(code: str) -> str:
    """``rtl`` for languages written right to left (by their likely script), else ``ltr``."""
    try:
        script = langcodes.Language.get(code).maximize().script
    except Exception:  # noqa: BLE001 - direction is presentation; never fail a page for it
        return "ltr"
    return "rtl" if script in {"Arab", "Hebr", "Thaa", "Syrc", "Nkoo", "Adlm", "Rohg", "Mand", "Samr",
                               "Mend", "Yezi"} else "ltr"


def parse_page(raw: str | None) -> int:
    """A page number from a query string: anything but a positive whole number is page 1."""
    try:
        page = int(raw or 1)
    except ValueError:
        return 1
    return page if 1 <= page <= 1_000_000 else 1


def page_size(configured: int | None) -> int:
    return max(1, min(int(configured or 50), MAX_PAGE_SIZE))


@dataclass
class Pagination:
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def beyond_end(self) -> bool:
        """The page asked for is past the last one (the list is not empty)."""
        return self.total > 0 and self.page > self.pages

    @property
    def first_item(self) -> int:
        return min(self.total, self.offset + 1)

    @property
    def last_item(self) -> int:
        return min(self.total, self.offset + self.per_page)

    def window(self, around: int = 2) -> list[int | None]:
        """Page numbers to show, None for a gap: ``1 None 4 5 6 None 20``."""
        pages, current = self.pages, min(self.page, self.pages)
        shown = sorted({1, pages, *range(max(1, current - around), min(pages, current + around) + 1)})
        out: list[int | None] = []
        for n in shown:
            if out and n - (out[-1] or 0) > 1:
                out.append(None)
            out.append(n)
        return out


def _cached(key: str, ttl: int, build, *, pinned: bool = False):
    """``build()`` through the app cache; the key carries the cache generation.

    ``pinned`` values (the facets: a second to compute on a large library) are also
    kept in this process for ``ttl``, so that a busy cache evicting them (rendered
    pages come and go) does not make a reader wait for them to be computed again.
    """
    full = f"reading:{_generation()}:{key}"
    pinned = pinned and not current_app.testing  # tests change the library between requests
    if pinned:
        held = _pinned().get(full)
        if held is not None and held[0] > time.monotonic():
            return held[1]
    value = cache.get(full)
    if value is None:
        value = build()
        cache.set(full, value, timeout=ttl)
    if pinned:
        pinned_values = _pinned()
        if len(pinned_values) > 64:
            pinned_values.clear()
        pinned_values[full] = (time.monotonic() + ttl, value)
    return value


def _pinned() -> dict[str, tuple[float, Any]]:
    """This application's pinned values (one process may hold several apps: tests do)."""
    from flask import current_app

    return current_app.extensions.setdefault("tercul.reading.pinned", {})


def _generation() -> int:
    return cache.get("reading:generation") or 0


def library_generation() -> int:
    """Bumped by :func:`invalidate_library`; part of the keys of anything cached from the library."""
    return _generation()


def library_version(session: Session) -> str:
    """Changes when a work, translation or author is added (newest ids: three index look-ups).

    Lists cached under it show additions at once; other changes wait for their TTL.
    """
    row = session.connection().execute(_LIBRARY_VERSION).one()
    return f"{_generation()}:{row[0]}:{row[1]}:{row[2]}"


# built once: these run on every browse and work page, cached or not
_LIBRARY_VERSION = select(
    select(func.max(Work.id)).scalar_subquery(), select(func.max(Translation.id)).scalar_subquery(),
    select(func.max(Author.id)).scalar_subquery())


def invalidate_work(slug: str) -> None:
    """Forget a work's cached stamp (call after changing the work or its translations)."""
    cache.delete(f"reading:stamp:{slug}")


def invalidate_library() -> None:
    """Forget cached counts and facets (call after imports and publications).

    Counts otherwise refresh within :data:`FACETS_TTL` seconds on their own.
    """
    cache.set("reading:generation", _generation() + 1, timeout=0)
    _pinned().clear()


# --------------------------------------------------------------------------- browsing

@dataclass(frozen=True)
class BrowseFilters:
    """What the browse page shows; every field is optional and they combine."""

    language: str | None = None  # language of the original
    translated_into: str | None = None  # a translation exists in this language
    form: str | None = None
    author: str | None = None  # author slug
    genre: str | None = None  # genre slug
    tag: str | None = None  # tag slug
    period: str | None = None
    century: int | None = None  # 19 = 1801-1900; -5 = 500-401 BCE
    parts: bool = False  # also list the parts of collections (each sonnet, each psalm)
    sort: str = DEFAULT_SORT

    def args(self, **changes: Any) -> dict[str, Any]:
        """Query-string arguments for these filters (defaults left out), with changes applied."""
        f = replace(self, **changes) if changes else self
        out: dict[str, Any] = {}
        for name, arg in (("language", "lang"), ("translated_into", "tr"), ("form", "form"),
                          ("author", "author"), ("genre", "genre"), ("tag", "tag"), ("period", "period"),
                          ("century", "century")):
            value = getattr(f, name)
            if value is not None:
                out[arg] = value
        if f.parts:
            out["parts"] = 1
        if f.sort != DEFAULT_SORT:
            out["sort"] = f.sort
        return out

    @property
    def active(self) -> bool:
        return any(v is not None for v in (self.language, self.translated_into, self.form, self.author,
                                           self.genre, self.tag, self.period, self.century))


def century_label(century: int) -> str:
    n = abs(century)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix} century" + (" BCE" if century < 0 else "")


def century_of(year: int) -> int:
    """1850 -> 19, 1900 -> 19, 1901 -> 20; -500 (500 BCE) -> -5, -1 -> -1."""
    return (year - 1) // 100 + 1 if year > 0 else -((-year - 1) // 100 + 1)


def _century_years(century: int) -> tuple[int, int]:
    """First and last year of a century, BCE years negative (there is no year 0)."""
    if century > 0:
        return (century - 1) * 100 + 1, century * 100
    n = -century
    return -(n * 100), -((n - 1) * 100) - 1


def clean_browse_args(args: Mapping[str, str]) -> tuple[BrowseFilters, list[str]]:
    """Turn raw query arguments into filters; bad values are dropped and explained.

    Slugs (author, genre, tag) are checked against the database by :func:`browse_works`.
    """
    notices: list[str] = []

    def language(arg: str, what: str) -> str | None:
        raw = (args.get(arg) or "").strip()
        if not raw:
            return None
        try:
            return normalize_language(raw)
        except Invalid:
            notices.append(f"“{raw[:40]}” is not a language code we know, so {what} is not filtered.")
            return None

    lang = language("lang", "the language of the original")
    tr = language("tr", "the language of translations")
    form = (args.get("form") or "").strip().lower() or None
    if form is not None and form not in FORMS:
        notices.append(f"“{form[:40]}” is not a form; choose poetry, prose or drama.")
        form = None
    century = None
    raw_century = (args.get("century") or "").strip()
    if raw_century:
        try:
            century = int(raw_century)
            if century == 0 or not -40 <= century <= 21:
                raise ValueError
        except ValueError:
            notices.append(f"“{raw_century[:40]}” is not a century (use a number like 19, or -5 for BCE).")
            century = None
    sort = (args.get("sort") or DEFAULT_SORT).strip().lower()
    if sort not in SORTS:
        notices.append(f"“{sort[:40]}” is not a way to sort; sorted by title.")
        sort = DEFAULT_SORT

    def text(arg: str, limit: int = 200) -> str | None:
        value = (args.get(arg) or "").strip()
        return value[:limit] or None

    parts = (args.get("parts") or "").strip().lower() in ("1", "on", "true", "yes")
    return BrowseFilters(language=lang, translated_into=tr, form=form, author=text("author"),
                         genre=text("genre"), tag=text("tag"), period=text("period"), century=century,
                         parts=parts, sort=sort), notices


@dataclass
class WorkCard:
    """One work in a list: enough to choose it, nothing that needs its text."""

    id: int
    slug: str
    title: str
    language: str
    form: str
    period: str | None
    date_from: int | None
    date_to: int | None
    translation_count: int
    has_text: bool
    authors: list[tuple[str, str]] = field(default_factory=list)  # (slug, name)
    translation_languages: list[str] = field(default_factory=list)
    parts: int = 0
    incipit: str | None = None  # first line of the text

    @property
    def dates(self) -> str | None:
        return format_dates(self.date_from, self.date_to)


def format_dates(start: int | None, end: int | None) -> str | None:
    def year(y: int) -> str:
        return f"{-y} BCE" if y < 0 else str(y)

    if start is None and end is None:
        return None
    if start is None or end is None or start == end:
        return year(start if start is not None else end)
    return f"{year(start)}–{year(end)}"


@dataclass
class Facets:
    """Choices for the browse filters, with how many works each would show (library-wide)."""

    languages: list[tuple[str, int]]
    translated_into: list[tuple[str, int]]
    forms: list[tuple[str, int]]
    genres: list[tuple[str, str, int]]  # slug, name, works
    tags: list[tuple[str, str, int]]
    periods: list[tuple[str, int]]
    centuries: list[tuple[int, int]]
    works: int
    translations: int
    authors: int


@dataclass
class ActiveFilter:
    name: str  # query argument
    label: str  # "Language: German"
    remove_args: dict[str, Any]  # the browse arguments without this filter


@dataclass
class BrowseResult:
    filters: BrowseFilters
    notices: list[str]
    works: list[WorkCard]
    pagination: Pagination
    facets: Facets
    active: list[ActiveFilter]
    author_name: str | None = None
    genre_name: str | None = None
    tag_name: str | None = None


def browse_facets(session: Session) -> Facets:
    """Library-wide choices and counts for the filters (cached for :data:`FACETS_TTL`)."""
    return _cached("facets", FACETS_TTL, lambda: _build_facets(session), pinned=True)


def _build_facets(session: Session) -> Facets:
    top = Work.parent_id.is_(None)
    languages = [(lang, n) for lang, n in session.execute(
        select(Work.language, func.count()).where(top).group_by(Work.language))]
    languages.sort(key=lambda kv: (-kv[1], kv[0]))
    owner = func.coalesce(Work.parent_id, Work.id)
    translated = [(lang, n) for lang, n in session.execute(
        select(Translation.language, func.count(func.distinct(owner)))
        .join(Work, Work.id == Translation.work_id)
        .where(Translation.status == "published").group_by(Translation.language))]
    translated.sort(key=lambda kv: (-kv[1], kv[0]))
    forms = [(f, n) for f, n in session.execute(
        select(Work.form, func.count()).where(top).group_by(Work.form).order_by(Work.form))]

    def terms(model, table):
        n = func.count().label("n")
        return [(slug, name, count) for slug, name, count in session.execute(
            select(model.slug, model.name, n).join(table, table.c[f"{model.__tablename__[:-1]}_id"] == model.id)
            .join(Work, Work.id == table.c.work_id).where(top)
            .group_by(model.id, model.slug, model.name).order_by(n.desc(), model.name).limit(60))]

    periods = [(p, n) for p, n in session.execute(
        select(Work.period, func.count()).where(top, Work.period.is_not(None)).group_by(Work.period))]
    periods.sort(key=lambda kv: (-kv[1], kv[0]))
    by_century: dict[int, int] = {}
    for year, n in session.execute(select(Work.date_from, func.count())
                                   .where(top, Work.date_from.is_not(None)).group_by(Work.date_from)):
        c = century_of(year)
        by_century[c] = by_century.get(c, 0) + n
    totals = session.execute(select(
        select(func.count()).select_from(Work).where(top).scalar_subquery(),
        select(func.count()).select_from(Translation).where(Translation.status == "published").scalar_subquery(),
        select(func.count()).select_from(Author).scalar_subquery(),
    )).one()
    return Facets(languages=languages, translated_into=translated, forms=forms,
                  genres=terms(Genre, work_genres), tags=terms(Tag, work_tags), periods=periods,
                  centuries=sorted(by_century.items()), works=totals[0], translations=totals[1],
                  authors=totals[2])


_ORDER = {
    "title": lambda: (Work.sort_title, Work.id),
    "author": lambda: (Work.author_sort.is_(None), Work.author_sort, Work.sort_title, Work.id),
    "date": lambda: (Work.date_from.is_(None), Work.date_from, Work.sort_title, Work.id),
    "recent": lambda: (Work.created_at.desc(), Work.id.desc()),
    "translated": lambda: (Work.translation_count.desc(), Work.sort_title, Work.id),
}


def _resolve_slugs(session: Session, filters: BrowseFilters, notices: list[str]
                   ) -> tuple[BrowseFilters, dict[str, int], dict[str, str | None]]:
    """Author, genre and tag slugs to ids in one query; unknown ones dropped and explained."""
    names: dict[str, str | None] = {"author": None, "genre": None, "tag": None}
    lookups = [(name, model, getattr(filters, name)) for name, model in
               (("author", Author), ("genre", Genre), ("tag", Tag)) if getattr(filters, name)]
    ids: dict[str, int] = {}
    if lookups:
        parts = [select(literal_column(f"'{name}'").label("kind"), model.id, model.name).where(model.slug == slug)
                 for name, model, slug in lookups]
        for kind, row_id, name in session.execute(union_all(*parts) if len(parts) > 1 else parts[0]):
            ids[kind] = row_id
            names[kind] = name
        for name, _model, slug in lookups:
            if name not in ids:
                notices.append(f"There is no {name} “{slug[:60]}”, so that filter is not applied.")
                filters = replace(filters, **{name: None})
    return filters, ids, names


def find_works(session: Session, filters: BrowseFilters, *, offset: int, limit: int
               ) -> tuple[int, list[Work], list[str]]:
    """(total, works, notices) for ``filters``: the browse rules as model objects, for the API."""
    notices: list[str] = []
    filters, ids, _ = _resolve_slugs(session, filters, notices)
    conditions = _browse_conditions(filters, ids)
    total = session.scalar(select(func.count()).select_from(Work).where(*conditions)) or 0
    works = list(session.scalars(select(Work).where(*conditions).order_by(*_ORDER[filters.sort]())
                                 .offset(offset).limit(limit))) if limit > 0 and offset < total else []
    return total, works, notices


def browse_works(session: Session, filters: BrowseFilters, *, page: int = 1, per_page: int = 50,
                 notices: Sequence[str] = (), version: str | None = None) -> BrowseResult:
    """One page of works matching ``filters``, with the facets to refine them.

    Unknown author, genre or tag slugs are dropped from the filters and explained in
    ``notices`` rather than showing an empty page.
    """
    notices = list(notices)
    per_page = page_size(per_page)
    filters, ids, names = _resolve_slugs(session, filters, notices)
    conditions = _browse_conditions(filters, ids)
    version = version or library_version(session)
    count = _cached(f"count:{version}:{sorted(filters.args(sort=DEFAULT_SORT).items())}", COUNT_TTL,
                    lambda: session.scalar(select(func.count()).select_from(Work).where(*conditions)) or 0)
    pagination = Pagination(page, per_page, count)
    cards: list[WorkCard] = []
    if not pagination.beyond_end and count:
        rows = session.execute(
            select(Work.id, Work.slug, Work.title, Work.language, Work.form, Work.period, Work.date_from,
                   Work.date_to, Work.translation_count, Work.current_revision_id)
            .where(*conditions).order_by(*_ORDER[filters.sort]())
            .limit(per_page).offset(pagination.offset)).all()
        cards = _work_cards(session, rows)
    facets = browse_facets(session)
    return BrowseResult(filters=filters, notices=notices, works=cards, pagination=pagination, facets=facets,
                        active=_active_filters(filters, names), author_name=names["author"],
                        genre_name=names["genre"], tag_name=names["tag"])


def _browse_conditions(filters: BrowseFilters, ids: Mapping[str, int]) -> list:
    conditions = []
    if not filters.parts:
        conditions.append(Work.parent_id.is_(None))
    if filters.language:
        conditions.append(Work.language == filters.language)
    if filters.form:
        conditions.append(Work.form == filters.form)
    if filters.period:
        conditions.append(Work.period == filters.period)
    if filters.century is not None:
        first, last = _century_years(filters.century)
        conditions.append(Work.date_from.between(first, last))
    if filters.translated_into:
        # one uncorrelated subquery (the works, or collections of parts, with such a
        # translation), which databases compute once, rather than EXISTS per row
        owner = Translation.work_id if filters.parts else func.coalesce(Work.parent_id, Work.id)
        having = (select(owner).select_from(Translation)
                  .where(Translation.status == "published", Translation.language == filters.translated_into))
        if not filters.parts:
            having = having.join(Work, Work.id == Translation.work_id)
        conditions.append(Work.id.in_(having.scalar_subquery()))
    if "author" in ids:
        conditions.append(exists().where(WorkAuthor.work_id == Work.id, WorkAuthor.author_id == ids["author"]))
    if "genre" in ids:
        conditions.append(exists().where(work_genres.c.work_id == Work.id, work_genres.c.genre_id == ids["genre"]))
    if "tag" in ids:
        conditions.append(exists().where(work_tags.c.work_id == Work.id, work_tags.c.tag_id == ids["tag"]))
    return conditions


def _work_cards(session: Session, rows) -> list[WorkCard]:
    """Cards for work rows, with authors, translation languages, parts and first lines.

    Three queries for any number of works.
    """
    cards = {r.id: WorkCard(id=r.id, slug=r.slug, title=r.title, language=r.language, form=r.form,
                            period=r.period, date_from=r.date_from, date_to=r.date_to,
                            translation_count=r.translation_count, has_text=r.current_revision_id is not None)
             for r in rows}
    if not cards:
        return []
    ids = list(cards)
    for work_id, slug, name in session.execute(
            select(WorkAuthor.work_id, Author.slug, Author.name).join(Author, Author.id == WorkAuthor.author_id)
            .where(WorkAuthor.work_id.in_(ids)).order_by(WorkAuthor.work_id, WorkAuthor.position)):
        cards[work_id].authors.append((slug, name))
    # languages of the translations of each work, or of its parts for a collection
    # (two indexed lookups joined by UNION: an OR across them would scan)
    # only works without a text of their own (collections) have parts
    containers = [r.id for r in rows if r.current_revision_id is None]
    published = Translation.status == "published"
    direct = select(Translation.work_id.label("owner"), Translation.language).where(
        Translation.work_id.in_(ids), published)
    if containers:
        via_parts = select(Work.parent_id.label("owner"), Translation.language).join(
            Translation, Translation.work_id == Work.id).where(Work.parent_id.in_(containers), published)
        both = union_all(direct, via_parts).subquery()
    else:
        both = direct.subquery()
    for owner_id, lang in session.execute(select(both.c.owner, both.c.language).distinct()
                                          .order_by(both.c.owner, both.c.language)):
        if owner_id in cards:
            cards[owner_id].translation_languages.append(lang)
    for card in cards.values():  # by name, as readers look for them
        card.translation_languages.sort(key=language_name)
    # parts counts (collections) and first lines (works with a text), in one query
    revisions = {r.current_revision_id: r.id for r in rows if r.current_revision_id is not None}
    queries = []
    if containers:
        queries.append(select(literal_column("'p'").label("kind"), Work.parent_id.label("id"),
                              func.count().label("n"), literal_column("NULL").label("text"))
                       .where(Work.parent_id.in_(containers)).group_by(Work.parent_id))
    if revisions:
        queries.append(select(literal_column("'l'").label("kind"), TextLine.revision_id.label("id"), literal_column("0").label("n"),
                              TextLine.text.label("text"))
                       .where(TextLine.revision_id.in_(list(revisions)), TextLine.position == 0))
    for kind, row_id, n, text in (session.execute(union_all(*queries) if len(queries) > 1 else queries[0])
                                  if queries else ()):
        if kind == "p":
            cards[row_id].parts = n
        elif row_id in revisions:
            cards[revisions[row_id]].incipit = _incipit(text)
    return [cards[r.id] for r in rows]


def _incipit(text: str | None, limit: int = 90) -> str | None:
    if not text:
        return None
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def _active_filters(filters: BrowseFilters, names: Mapping[str, str | None]) -> list[ActiveFilter]:
    out = []

    def add(name: str, arg: str, label: str) -> None:
        out.append(ActiveFilter(arg, label, filters.args(**{name: None})))

    if filters.language:
        add("language", "lang", f"Written in {language_name(filters.language)}")
    if filters.translated_into:
        add("translated_into", "tr", f"Translated into {language_name(filters.translated_into)}")
    if filters.form:
        add("form", "form", filters.form.capitalize())
    if filters.author:
        add("author", "author", f"By {names.get('author') or filters.author}")
    if filters.genre:
        add("genre", "genre", f"Genre: {names.get('genre') or filters.genre}")
    if filters.tag:
        add("tag", "tag", f"Tag: {names.get('tag') or filters.tag}")
    if filters.period:
        add("period", "period", f"Period: {filters.period}")
    if filters.century is not None:
        add("century", "century", century_label(filters.century).capitalize())
    return out


# --------------------------------------------------------------------------- home

@dataclass
class RecentTranslation:
    work_slug: str
    work_title: str
    key: str
    language: str
    title: str
    translator: str | None
    published_at: Any


@dataclass
class HomePage:
    facets: Facets
    recent_works: list[WorkCard]
    recent_translations: list[RecentTranslation]

    @property
    def languages(self) -> list[tuple[str, int, int]]:
        """(language, works written in it, works readable in it in translation), most first."""
        originals = dict(self.facets.languages)
        translated = dict(self.facets.translated_into)
        codes = set(originals) | set(translated)
        rows = [(c, originals.get(c, 0), translated.get(c, 0)) for c in codes]
        return sorted(rows, key=lambda r: (-(r[1] + r[2]), r[0]))


def home_page(session: Session, *, recent: int = 8) -> HomePage:
    """What is in the library (cached counts), and the works and translations added last."""
    facets = browse_facets(session)
    rows = session.execute(
        select(Work.id, Work.slug, Work.title, Work.language, Work.form, Work.period, Work.date_from,
               Work.date_to, Work.translation_count, Work.current_revision_id)
        .where(Work.parent_id.is_(None)).order_by(Work.created_at.desc(), Work.id.desc()).limit(recent)).all()
    translations = [
        RecentTranslation(work_slug=r.slug, work_title=r.work_title, key=r.key, language=r.language,
                          title=r.title, translator=r.display_name or r.translator_name,
                          published_at=r.published_at)
        for r in session.execute(
            select(Work.slug, Work.title.label("work_title"), Translation.key, Translation.language,
                   Translation.title, Translation.translator_name, User.display_name, Translation.published_at)
            .join(Work, Work.id == Translation.work_id).outerjoin(User, User.id == Translation.translator_id)
            .where(Translation.status == "published", Translation.published_at.is_not(None))
            .order_by(Translation.published_at.desc(), Translation.id.desc()).limit(recent))]
    return HomePage(facets=facets, recent_works=_work_cards(session, rows), recent_translations=translations)


# --------------------------------------------------------------------------- authors

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
    letters = _cached("author-letters", FACETS_TTL, pinned=True, build=lambda: sorted(
        {c.upper() for c in session.scalars(select(func.substr(Author.sort_name, 1, 1)).distinct()) if c and c.isalpha()}))
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
    return AuthorPage(author=author, names=names, works=_work_cards(session, rows), pagination=pagination,
                      languages=sorted(lang for lang, _ in stats))


# --------------------------------------------------------------------------- work page

@dataclass
class TranslationInfo:
    key: str
    language: str
    title: str
    translator: str | None
    source: str | None
    licence: str | None
    revision_id: int | None
    out_of_date: bool
    line_count: int


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


def work_stamp(session: Session, slug: str) -> WorkStamp | None:
    """The work's title and a version that changes when the work or one of its translations does.

    One indexed query. Changes elsewhere (an author renamed, a part added to a
    collection) are not in it: content cached under it must also expire.
    """
    # Core on the session's connection: this runs on every work page, cached or not
    row = session.connection().execute(_WORK_STAMP, {"slug": slug}).first()
    if row is None:
        return None
    return WorkStamp(title=row[1], version=f"{row[0]}:{row[2]}:{row[3]}:{row[4]}:{row[5]}")


_WORK_STAMP = select(
    Work.id, Work.title, Work.updated_at, Work.current_revision_id,
    select(func.count(Translation.id)).where(Translation.work_id == Work.id).scalar_subquery(),
    select(func.max(Translation.updated_at)).where(Translation.work_id == Work.id).scalar_subquery(),
).where(Work.slug == bindparam("slug"))


def choose_columns(requested: Sequence[str] | None, available: Sequence[TranslationInfo], original_language: str,
                   preferred: Sequence[str] = ()) -> tuple[list[str], list[str]]:
    """Which translations to show beside the original, and notices about the choice.

    ``requested`` None means the reader did not say: one translation is chosen, in the
    reader's preferred languages if there is one, else the first. An empty list means
    the original alone. Unknown keys are explained; at most two translations are shown.
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
        select(literal_column("'g'").label("kind"), Genre.slug, Genre.name).join(work_genres, work_genres.c.genre_id == Genre.id)
        .where(work_genres.c.work_id == work.id),
        select(literal_column("'t'").label("kind"), Tag.slug, Tag.name).join(work_tags, work_tags.c.tag_id == Tag.id)
        .where(work_tags.c.work_id == work.id)).subquery()
    for kind, term_slug, name in session.execute(select(terms.c.kind, terms.c.slug, terms.c.name)
                                                 .order_by(terms.c.kind, terms.c.name)):
        (genres if kind == "g" else tags).append((term_slug, name))
    translations = _translations(session, work)
    parent, siblings, parts, parts_pagination = _family(session, work, parts_page, per_page)
    reader = None
    if work.current_revision_id is not None:
        chosen, more = choose_columns(requested, translations, work.language, preferred_languages)
        notices += more
        reader = _reader(session, work, translations, chosen, part, line, swap, notices)
    listed = Pagination(translations_page, page_size(per_page), len(translations))
    return WorkPage(work=work, authors=authors, genres=genres, tags=tags, translations=translations,
                    translations_listed=translations[listed.offset:listed.offset + listed.per_page],
                    translations_pagination=listed, reader=reader,
                    parent=parent, siblings=siblings, parts=parts, parts_pagination=parts_pagination,
                    notices=notices)


def _translations(session: Session, work: Work) -> list[TranslationInfo]:
    rows = session.execute(
        select(Translation.key, Translation.language, Translation.title, Translation.translator_name,
               User.display_name, Translation.source, Translation.licence, Translation.current_revision_id,
               TextRevision.original_revision_id, TextRevision.line_count)
        .outerjoin(User, User.id == Translation.translator_id)
        .outerjoin(TextRevision, TextRevision.id == Translation.current_revision_id)
        .where(Translation.work_id == work.id, Translation.status == "published",
               Translation.current_revision_id.is_not(None))
        .order_by(Translation.language, Translation.key))
    return [TranslationInfo(
        key=r.key, language=r.language, title=r.title, translator=r.display_name or r.translator_name,
        source=r.source, licence=r.licence, revision_id=r.current_revision_id,
        out_of_date=(r.original_revision_id is not None and work.current_revision_id is not None
                     and r.original_revision_id != work.current_revision_id),
        line_count=r.line_count or 0) for r in rows]


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
                        incipit=_incipit(incipits.get(r.current_revision_id)), translation_count=r.translation_count)
             for r in rows]
    return parent, siblings, parts, pagination


def _reader(session: Session, work: Work, translations: list[TranslationInfo], chosen: list[str],
            part_key: str | None, line_key: str | None, swap: bool, notices: list[str]) -> ReaderView:
    by_key = {t.key: t for t in translations}
    selected = [by_key[k] for k in chosen]
    revision_ids = [work.current_revision_id] + [t.revision_id for t in selected]
    divisions: dict[int, dict[str, DivisionRow]] = {rid: {} for rid in revision_ids}
    ordered_original: list[DivisionRow] = []
    for d in session.scalars(select(TextDivision).where(TextDivision.revision_id.in_(revision_ids))
                             .order_by(TextDivision.revision_id, TextDivision.position)):
        row = DivisionRow(d.position, d.key, d.parent_key, d.depth, d.kind, d.title, d.first_line, d.end_line)
        divisions[d.revision_id][d.key] = row
        if d.revision_id == work.current_revision_id:
            ordered_original.append(row)
    total = max((d.end_line for d in ordered_original), default=0)
    parts = plan_parts(ordered_original, total)
    index = 0
    if len(parts) > 1:
        if part_key:
            index = next((i for i, p in enumerate(parts) if p.key == part_key), -1)
            if index < 0:
                d = divisions[work.current_revision_id].get(part_key)
                index = find_part(parts, d.first_line) if d is not None else 0
                if d is None:
                    notices.append(f"This text has no part “{part_key[:40]}”; showing the first.")
        elif line_key:
            position = _line_position(session, work.current_revision_id, line_key)
            if position is not None:
                index = find_part(parts, position)
    current = parts[index]
    # the translations' lines for this part: the divisions with the same keys, else
    # the lines their explicit links tie to it, else the same share of their text
    ranges = {work.current_revision_id: (current.first_line, current.end_line)}
    if len(parts) > 1:
        chunk_keys = [k for k, d in divisions[work.current_revision_id].items()
                      if current.first_line <= d.first_line < current.end_line]
        need_links = []
        for t in selected:
            mine = [divisions[t.revision_id][k] for k in chunk_keys if k in divisions[t.revision_id]]
            if mine:
                ranges[t.revision_id] = (min(d.first_line for d in mine), max(d.end_line for d in mine))
            else:
                need_links.append(t)
        if need_links:
            found = _link_ranges(session, [t.revision_id for t in need_links], work.current_revision_id, current)
            for t in need_links:
                if t.revision_id in found:
                    ranges[t.revision_id] = found[t.revision_id]
                else:
                    share = (current.first_line / max(total, 1), current.end_line / max(total, 1))
                    ranges[t.revision_id] = (math.floor(share[0] * t.line_count),
                                             math.ceil(share[1] * t.line_count))
    lines: dict[int, list[LineRow]] = {rid: [] for rid in revision_ids}
    in_ranges = or_(*(and_(TextLine.revision_id == rid, TextLine.position >= lo, TextLine.position < hi)
                      for rid, (lo, hi) in ranges.items())) if len(parts) > 1 else TextLine.revision_id.in_(revision_ids)
    for r in session.execute(
            select(TextLine.revision_id, TextLine.position, TextLine.key, TextLine.division_key, TextLine.kind,
                   TextLine.speaker, TextLine.indent, TextLine.text)
            .where(in_ranges).order_by(TextLine.revision_id, TextLine.position)):
        lines[r.revision_id].append(LineRow(r.position, r.key, r.division_key, r.kind, r.speaker, r.indent, r.text))
    links: dict[int, dict[str, list[str]]] = {t.revision_id: {} for t in selected}
    if selected:
        link_query = select(AlignmentLink.revision_id, AlignmentLink.translation_key, AlignmentLink.original_key) \
            .where(AlignmentLink.revision_id.in_([t.revision_id for t in selected]))
        if len(parts) > 1:
            link_query = link_query.where(or_(*(and_(AlignmentLink.revision_id == t.revision_id,
                                                     AlignmentLink.translation_key.in_(
                                                         [ln.key for ln in lines[t.revision_id]] or [""]))
                                                for t in selected)))
        for rid, t_key, o_key in session.execute(link_query.order_by(AlignmentLink.id)):
            links[rid].setdefault(t_key, []).append(o_key)
    original = TextSource(
        column=ReaderColumn("original", None, work.language, text_direction(work.language), work.title),
        revision_id=work.current_revision_id, divisions=divisions[work.current_revision_id],
        lines=lines[work.current_revision_id])
    sources = [TextSource(
        column=ReaderColumn("translation", t.key, t.language, text_direction(t.language), t.title, t.translator,
                            t.out_of_date),
        revision_id=t.revision_id, divisions=divisions[t.revision_id], lines=lines[t.revision_id],
        links=links[t.revision_id]) for t in selected]
    order = list(range(len(sources) + 1))
    if swap:
        order.reverse()
    display = {text: pos for pos, text in enumerate(order)}
    columns_by_position = [None] * len(order)
    for text_index, pos in display.items():
        columns_by_position[pos] = original.column if text_index == 0 else sources[text_index - 1].column
    rows, notes = build_rows(original, sources, [display[i] for i in range(len(order))],
                             all_numbers=work.form == "prose")
    return ReaderView(columns=columns_by_position, rows=rows, notes=notes, parts=parts, part=current,
                      prev_part=parts[index - 1] if index > 0 else None,
                      next_part=parts[index + 1] if index + 1 < len(parts) else None,
                      selected=chosen, swap=swap, form=work.form, line_count=total)


def _line_position(session: Session, revision_id: int, key: str) -> int | None:
    keys = [key]
    decoded = anchor_key(key)
    if decoded:
        keys.append(decoded)
    return session.scalar(select(func.min(TextLine.position)).where(TextLine.revision_id == revision_id,
                                                                    TextLine.key.in_(keys)))


def _link_ranges(session: Session, revision_ids: list[int], original_revision_id: int,
                 part: Part) -> dict[int, tuple[int, int]]:
    """Line ranges of translations whose explicit links point into ``part`` of the original."""
    o_keys = select(TextLine.key).where(TextLine.revision_id == original_revision_id,
                                        TextLine.position >= part.first_line, TextLine.position < part.end_line)
    rows = session.execute(
        select(AlignmentLink.revision_id, func.min(TextLine.position), func.max(TextLine.position))
        .join(TextLine, and_(TextLine.revision_id == AlignmentLink.revision_id,
                             TextLine.key == AlignmentLink.translation_key))
        .where(AlignmentLink.revision_id.in_(revision_ids), AlignmentLink.original_key.in_(o_keys))
        .group_by(AlignmentLink.revision_id))
    return {rid: (lo, hi + 1) for rid, lo, hi in rows if lo is not None}


# --------------------------------------------------------------------------- one translation

@dataclass
class TranslationPage:
    work: Work
    authors: list[tuple[str, str]]
    translation: TranslationInfo
    others: list[TranslationInfo]
    reader: ReaderView


def translation_page(session: Session, slug: str, key: str, *, part: str | None = None,
                     line: str | None = None) -> TranslationPage:
    """One published translation alone, for reading, one part at a time."""
    work = session.scalar(select(Work).where(Work.slug == slug))
    if work is None:
        raise NotFound(f"There is no work “{slug[:80]}” in the library.")
    translations = _translations(session, work)
    match = next((t for t in translations if t.key == key.strip().lower()), None)
    if match is None:
        raise NotFound(f"“{work.title}” has no published translation “{key[:40]}”.")
    authors = [(s, n) for s, n in session.execute(
        select(Author.slug, Author.name).join(WorkAuthor, WorkAuthor.author_id == Author.id)
        .where(WorkAuthor.work_id == work.id).order_by(WorkAuthor.position))]
    rows = [DivisionRow(d.position, d.key, d.parent_key, d.depth, d.kind, d.title, d.first_line, d.end_line)
            for d in session.scalars(select(TextDivision).where(TextDivision.revision_id == match.revision_id)
                                     .order_by(TextDivision.position))]
    total = max((d.end_line for d in rows), default=0)
    parts = plan_parts(rows, total)
    index = 0
    if len(parts) > 1:
        if part:
            index = next((i for i, p in enumerate(parts) if p.key == part), 0)
        elif line:
            position = _line_position(session, match.revision_id, line)
            if position is not None:
                index = find_part(parts, position)
    current = parts[index]
    lines = [LineRow(r.position, r.key, r.division_key, r.kind, r.speaker, r.indent, r.text)
             for r in session.execute(
                 select(TextLine.position, TextLine.key, TextLine.division_key, TextLine.kind, TextLine.speaker,
                        TextLine.indent, TextLine.text)
                 .where(TextLine.revision_id == match.revision_id, TextLine.position >= current.first_line,
                        TextLine.position < current.end_line).order_by(TextLine.position))]
    column = ReaderColumn("translation", match.key, match.language, text_direction(match.language), match.title,
                          match.translator, match.out_of_date)
    source = TextSource(column=column, revision_id=match.revision_id, divisions={d.key: d for d in rows},
                        lines=lines)
    built, _notes = build_rows(source, [], [0], all_numbers=work.form == "prose")
    reader = ReaderView(columns=[column], rows=built, notes=[], parts=parts, part=current,
                        prev_part=parts[index - 1] if index > 0 else None,
                        next_part=parts[index + 1] if index + 1 < len(parts) else None,
                        selected=[match.key], swap=False, form=work.form, line_count=total)
    return TranslationPage(work=work, authors=authors, translation=match,
                           others=[t for t in translations if t.key != match.key], reader=reader)

