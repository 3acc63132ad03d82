"""Browsing works: filters from the query string, facets, and a page of work cards."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Mapping, Sequence

from sqlalchemy import exists, func, literal_column, select, union_all
from sqlalchemy.orm import Session

from ...models import FORMS, Author, Genre, Tag, Translation, Work, WorkAuthor, work_genres, work_tags
from .. import analysis
from ..errors import Invalid
from ..languages import language_name, normalize_language
from .cards import WorkCard, work_cards
from .facets import Facets, browse_facets, filtered_facets
from .display import century_label, century_years
from .page_cache import COUNT_TTL, cached, library_version
from .pagination import Pagination, page_size

SORTS = {
    "title": "Title",
    "author": "Author",
    "date": "Date",
    "recent": "Recently added",
    "translated": "Most translated",
}
DEFAULT_SORT = "title"


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
    feature: str | None = None  # a form feature found by the analysers: sonnet, rhymed, iambic...
    sort: str = DEFAULT_SORT

    def args(self, **changes: Any) -> dict[str, Any]:
        """Query-string arguments for these filters (defaults left out), with changes applied."""
        f = replace(self, **changes) if changes else self
        out: dict[str, Any] = {}
        for name, arg in (("language", "lang"), ("translated_into", "tr"), ("form", "form"),
                          ("author", "author"), ("genre", "genre"), ("tag", "tag"), ("period", "period"),
                          ("century", "century"), ("feature", "feature")):
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
                                           self.genre, self.tag, self.period, self.century, self.feature))


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
    try:
        feature = analysis.clean_feature(args.get("feature"))
    except Invalid as exc:
        notices.append(exc.message)
        feature = None
    return BrowseFilters(language=lang, translated_into=tr, form=form, author=text("author"),
                         genre=text("genre"), tag=text("tag"), period=text("period"), century=century,
                         parts=parts, sort=sort, feature=feature), notices


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
    count = cached(f"count:{version}:{sorted(filters.args(sort=DEFAULT_SORT).items())}", COUNT_TTL,
                    lambda: session.scalar(select(func.count()).select_from(Work).where(*conditions)) or 0)
    pagination = Pagination(page, per_page, count)
    cards: list[WorkCard] = []
    if not pagination.beyond_end and count:
        rows = session.execute(
            select(Work.id, Work.slug, Work.title, Work.language, Work.form, Work.period, Work.date_from,
                   Work.date_to, Work.translation_count, Work.current_revision_id)
            .where(*conditions).order_by(*_ORDER[filters.sort]())
            .limit(per_page).offset(pagination.offset)).all()
        cards = work_cards(session, rows)
    if filters.active:
        # each filter's choices counted with the other filters applied (Milton: no "Drama 3"
        # that leads to "No works match")
        facets = cached(f"facets:{version}:{sorted(filters.args(sort=DEFAULT_SORT).items())}", COUNT_TTL,
                        lambda: filtered_facets(session, lambda dim: _browse_conditions(
                            replace(filters, **{dim: None}), {k: v for k, v in ids.items() if k != dim})))
    else:
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
        first, last = century_years(filters.century)
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
    if filters.feature:
        conditions.append(Work.id.in_(analysis.works_with_feature(filters.feature, parts=filters.parts)))
    if "author" in ids:
        conditions.append(exists().where(WorkAuthor.work_id == Work.id, WorkAuthor.author_id == ids["author"]))
    if "genre" in ids:
        conditions.append(exists().where(work_genres.c.work_id == Work.id, work_genres.c.genre_id == ids["genre"]))
    if "tag" in ids:
        conditions.append(exists().where(work_tags.c.work_id == Work.id, work_tags.c.tag_id == ids["tag"]))
    return conditions


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
    if filters.feature:
        add("feature", "feature", analysis.feature_label(filters.feature))
    return out
