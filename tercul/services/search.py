"""Search: what the search page and the API call.

:func:`parse_search_args` turns query-string arguments into :class:`SearchParams`
(never raising: bad input becomes notices), :func:`search` runs them against the
configured backend and returns a :class:`SearchPage` with hits (each pointing at the
line that matched, words marked), facet counts for the current result set, paging
and notices. Identical searches within ``CACHE_TIMEOUT`` seconds come from the
cache; any change to the index changes the cache key, and :func:`invalidate_search`
drops every cached search at once (the index jobs call it after writing).

Saved searches (per user) live here too.
"""
from __future__ import annotations

import hashlib
import math
import re
import time
from dataclasses import dataclass, field
from typing import Any, Mapping

from flask import current_app, has_app_context
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..extensions import cache
from ..models import FORMS, Author, Genre, SavedSearch, Tag, Translation, User, Work
from ..search import MODES, SORTS, AuthorHit, Filters, PassageHit, SearchBackend, SearchRequest, get_backend
from ..search.analysis import mark_line, query_terms
from ..search.query import ParsedQuery, parse_query
from .analysis.features import FEATURES, feature_label
from .errors import Forbidden, Invalid, NotFound
from .languages import language_choice, parse_language_choice
from .search_links import mark_line_addresses, mark_translation_only_keys

PER_PAGE = 20
MAX_PAGE = 50  # deep pages of a relevance ranking are not useful; the filters are
DEFAULT_ALPHA = 0.6  # best nDCG@10 on the labelled queries of bench/search.py (demo, and demo + 100k)
MAX_SAVED = 100
KNOWN_VALUES_TTL = 300

# facet -> (query-string name, label); exclusions are "not_" + the name
FACET_PARAMS: dict[str, tuple[str, str]] = {
    "kind": ("type", "Type"),
    "language": ("lang", "Language"),
    "original_language": ("orig", "Original language"),
    "available": ("available", "Available in"),
    "form": ("form", "Form"),
    "author": ("author", "Author"),
    "genre": ("genre", "Genre"),
    "tag": ("tag", "Tag"),
    "period": ("period", "Period"),
    "feature": ("feature", "Form features"),  # derived by the analysers: sonnet, rhymed, iambic, free verse, readability
}
KIND_LABELS = {"work": "Originals", "translation": "Translations", "author": "Authors"}
MODE_LABELS = {"keyword": "Keyword", "semantic": "Meaning", "hybrid": "Both"}
SORT_LABELS = {"relevance": "Relevance", "date": "Date", "title": "Title"}


@dataclass
class SearchParams:
    q: str = ""
    query: ParsedQuery = field(default_factory=lambda: parse_query(""))
    mode: str = "keyword"
    alpha: float = DEFAULT_ALPHA
    filters: Filters = field(default_factory=Filters)
    page: int = 1
    per_page: int = PER_PAGE
    sort: str = "relevance"
    notices: list[str] = field(default_factory=list)
    unknown: list[tuple[str, str]] = field(default_factory=list)  # (facet label, value) ignored
    checked: bool = False  # the filters were checked against the library (:func:`check_filters`)

    @property
    def is_browse(self) -> bool:
        return self.query.is_empty

    def cache_key(self) -> str:
        return "|".join([self.query.text, ",".join(self.query.terms), repr(self.query.phrases),
                         ",".join(self.query.excluded), self.mode, f"{self.alpha:.2f}", self.filters.cache_key(),
                         str(self.page), str(self.per_page), self.sort])

    def to_args(self, **changes: Any) -> dict[str, Any]:
        """Query-string arguments reproducing this search (for links), with ``changes``."""
        args: dict[str, Any] = {}
        if self.q:
            args["q"] = self.q
        if self.mode != "keyword":
            args["mode"] = self.mode
        if self.mode == "hybrid":
            args["alpha"] = f"{self.alpha:g}"
        for facet, (name, _label) in FACET_PARAMS.items():
            if self.filters.include.get(facet):
                args[name] = list(self.filters.include[facet])
            if self.filters.exclude.get(facet):
                args[f"not_{name}"] = list(self.filters.exclude[facet])
        if self.filters.year_from is not None:
            args["from"] = self.filters.year_from
        if self.filters.year_to is not None:
            args["to"] = self.filters.year_to
        if self.sort != "relevance":
            args["sort"] = self.sort
        if self.page > 1:
            args["page"] = self.page
        args.update(changes)
        return {k: v for k, v in args.items() if v not in (None, "", [])}

    def toggled(self, facet: str, value: str, exclude: bool = False) -> dict[str, Any]:
        """Arguments with ``value`` of ``facet`` switched on or off (back to page 1)."""
        name = FACET_PARAMS[facet][0]
        key = f"not_{name}" if exclude else name
        current = list((self.filters.exclude if exclude else self.filters.include).get(facet, []))
        current = [v for v in current if v != value] if value in current else current + [value]
        return self.to_args(**{key: current, "page": None})


def _getlist(args: Mapping[str, Any], name: str) -> list[str]:
    if hasattr(args, "getlist"):
        raw = args.getlist(name)
    else:
        value = args.get(name)
        raw = value if isinstance(value, (list, tuple)) else ([] if value is None else [value])
    out: list[str] = []
    for item in raw:
        out.extend(v.strip() for v in str(item).split(",") if v.strip())
    return list(dict.fromkeys(v[:100] for v in out))[:20]


def _year(raw: str | None, name: str, notices: list[str]) -> int | None:
    if raw in (None, ""):
        return None
    try:
        value = int(str(raw).strip())
    except ValueError:
        notices.append(f"“{str(raw)[:20]}” is not a year; the {name} year was ignored.")
        return None
    if not -3000 <= value <= 3000:
        notices.append(f"{value} is out of range; the {name} year was ignored.")
        return None
    return value


def configured_alpha() -> float:
    """The hybrid weight used when a search gives none: ``SEARCH_ALPHA``, the same for the
    search page and the API."""
    return float(current_app.config.get("SEARCH_ALPHA", DEFAULT_ALPHA)) if has_app_context() else DEFAULT_ALPHA


def parse_search_args(args: Mapping[str, Any]) -> SearchParams:
    """Search parameters from a query string; bad values become notices, never errors."""
    notices: list[str] = []
    raw_q = str(args.get("q") or "")
    query = parse_query(raw_q)
    notices.extend(query.notices)
    mode = str(args.get("mode") or "keyword").strip().lower()
    if mode not in MODES:
        notices.append(f"Unknown search mode “{mode[:20]}”; keyword search was used.")
        mode = "keyword"
    default_alpha = configured_alpha()
    alpha = default_alpha
    if args.get("alpha") not in (None, ""):
        try:
            alpha = float(str(args.get("alpha")))
            if not math.isfinite(alpha):
                raise ValueError
            alpha = min(1.0, max(0.0, alpha))
        except ValueError:
            notices.append("The weight between keyword and meaning must be a number from 0 to 1; "
                           f"{default_alpha:g} was used.")
            alpha = default_alpha
    sort = str(args.get("sort") or "relevance").strip().lower()
    if sort not in SORTS:
        notices.append(f"Unknown sort “{sort[:20]}”; results are sorted by relevance.")
        sort = "relevance"
    try:
        page = int(str(args.get("page") or 1))
    except ValueError:
        page = 1
    if not 1 <= page <= MAX_PAGE:
        if page > MAX_PAGE:
            notices.append(f"Only the first {MAX_PAGE} pages of results are shown; narrow the search with filters.")
        page = min(max(page, 1), MAX_PAGE)
    filters = Filters(year_from=_year(args.get("from"), "from", notices), year_to=_year(args.get("to"), "to", notices))
    if filters.year_from is not None and filters.year_to is not None and filters.year_to < filters.year_from:
        filters.year_from, filters.year_to = filters.year_to, filters.year_from
    for facet, (name, _label) in FACET_PARAMS.items():
        filters.include[facet] = _getlist(args, name)
        filters.exclude[facet] = _getlist(args, f"not_{name}")
    return SearchParams(q=query.text, query=query, mode=mode, alpha=alpha, filters=filters, page=page,
                        sort=sort, notices=notices)


# ------------------------------------------------------------------ known values

def _known_values(session: Session) -> dict[str, set[str]]:
    """Every value a facet can take in the library (cached briefly)."""
    key = "search:known-values"
    known = cache.get(key)
    if known is None:
        languages = set(session.scalars(select(Work.language).distinct())) | set(
            session.scalars(select(Translation.language).distinct()))
        known = {
            "language": languages, "original_language": languages, "available": languages,
            "form": set(FORMS), "kind": set(KIND_LABELS),
            "author": set(session.scalars(select(Author.slug))),
            "genre": set(session.scalars(select(Genre.slug))),
            "tag": set(session.scalars(select(Tag.slug))),
            "period": set(session.scalars(select(Work.period).where(Work.period.is_not(None)).distinct())),
            "feature": set(FEATURES),
        }
        cache.set(key, known, timeout=KNOWN_VALUES_TTL)
    return known


def library_languages(session: Session) -> list[str]:
    """The languages of the library's texts, as a language picker offers them (by name)."""
    return sorted(_known_values(session)["language"], key=lambda code: language_choice(code).casefold())


def check_filters(session: Session, params: SearchParams) -> None:
    """Drop filter values the library does not have, and say so (once per ``params``)."""
    if params.checked:
        return
    params.checked = True
    if not params.filters:
        return
    known = _known_values(session)
    for facet in FACET_PARAMS:
        for bucket in (params.filters.include, params.filters.exclude):
            kept = []
            for value in bucket.get(facet, []):
                candidate = value
                if facet in ("language", "original_language", "available"):
                    try:  # a code, or a name as the language picker shows it
                        candidate = parse_language_choice(value, sorted(known[facet]))
                    except Invalid:
                        candidate = None
                elif facet in ("form", "kind"):
                    candidate = value.lower()
                elif facet == "feature":
                    candidate = "-".join(value.lower().split())
                if candidate is not None and candidate in known[facet]:
                    kept.append(candidate)
                else:
                    params.unknown.append((FACET_PARAMS[facet][1], value))
            bucket[facet] = list(dict.fromkeys(kept))
    if params.unknown:
        shown = ", ".join(f"{label}: “{value[:40]}”" for label, value in params.unknown[:5])
        params.notices.append(f"Ignored filter values the library does not have ({shown}).")


# ------------------------------------------------------------------ results

@dataclass
class LineView:
    key: str
    pieces: list[tuple[str, bool]]  # (text, matched)
    is_hit: bool
    address: str = ""  # "Act 1, scene 2, line 5"; empty when the line is not in the text any more

    @property
    def label(self) -> str:
        return self.address or self.key


@dataclass
class ResultItem:
    kind: str  # text | author
    title: str
    work_title: str = ""
    work_slug: str = ""
    translation_key: str | None = None
    entity: str = ""
    authors: list[tuple[str, str]] = field(default_factory=list)
    language: str = ""
    original_language: str = ""
    form: str = ""
    year: int | None = None
    lines: list[LineView] = field(default_factory=list)
    hit_key: str | None = None  # the line the link goes to
    more: int = 0
    score: float = 0.0
    slug: str = ""  # authors
    names: list[str] = field(default_factory=list)
    # a translation's lines whose key the original lacks (they link to the translation alone)
    translation_only_keys: set[str] = field(default_factory=set)


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    excluded: bool


@dataclass
class Facet:
    name: str
    param: str
    label: str
    values: list[FacetValue]


@dataclass
class SearchPage:
    params: SearchParams
    items: list[ResultItem]
    total: int
    facets: list[Facet]
    pages: int
    took_ms: float
    from_cache: bool = False
    exact: bool = True  # False: the total and the counts are over the best matches only
    suggestion: str | None = None  # the query with its unknown words corrected ("Did you mean …?")

    @property
    def has_prev(self) -> bool:
        return self.params.page > 1

    @property
    def has_next(self) -> bool:
        return self.params.page < self.pages


def _generation_key() -> str:
    return str(cache.get("search:generation") or 0)


def invalidate_search() -> None:
    """Forget every cached search (called after the index changes)."""
    try:
        cache.set("search:generation", time.time_ns(), timeout=0)
        cache.delete("search:known-values")  # a new language or author is a filter value now
    except Exception:  # noqa: BLE001 - a cache outage must not fail an index job
        pass


def results_key(session: Session, params: SearchParams, backend: SearchBackend | None = None) -> str:
    """What the results of ``params`` depend on: the search, with its filters checked, and
    the state of the index. A change to the index (or :func:`invalidate_search`) changes it;
    the search page keeps its rendered results under it too."""
    backend = backend or get_backend()
    check_filters(session, params)
    return "search:" + hashlib.sha1(f"{backend.name}|{backend.generation()}|{_generation_key()}|"
                                    f"{params.cache_key()}|{params.notices}".encode()).hexdigest()


def search(session: Session, params: SearchParams, *, backend: SearchBackend | None = None,
           use_cache: bool = True) -> SearchPage:
    """Run ``params`` (see :func:`parse_search_args`) and build the page's view of the results."""
    from ..search.embedding import embed_query
    from ..observability.metrics import observe_search

    backend = backend or get_backend()
    key = results_key(session, params, backend)
    results = cache.get(key) if use_cache else None
    from_cache = results is not None
    if results is None:
        with observe_search(params.mode):  # metric and trace span: embedding and engine
            vector = None
            if params.mode != "keyword" and not params.query.is_empty:
                vector = embed_query(" ".join(params.query.positive_words) or params.query.text)
            request = SearchRequest(
                query=params.query, mode=params.mode, alpha=params.alpha, filters=params.filters,
                offset=(params.page - 1) * params.per_page, limit=params.per_page,
                sort=("title" if params.sort == "relevance" and params.query.is_empty else params.sort),
                query_vector=vector)
            results = backend.search(request)
        if use_cache:
            cache.set(key, results)
    corrections = getattr(results, "corrections", None) or {}
    terms = query_terms(params.query.positive_words + list(corrections.values()))
    items = [_item(hit, terms) for hit in results.hits]
    mark_translation_only_keys(session, items)
    mark_line_addresses(session, items)
    facets = _facets(session, params, results.facets)
    pages = max(1, min(MAX_PAGE, math.ceil(results.total / params.per_page)))
    return SearchPage(params=params, items=items, total=results.total, facets=facets, pages=pages,
                      took_ms=results.took_ms, from_cache=from_cache, exact=results.exact,
                      suggestion=corrected_query(params.q, corrections))


def corrected_query(q: str, corrections: dict[str, str]) -> str | None:
    """``q`` with the words the index did not know replaced by the ones searched instead."""
    if not corrections:
        return None
    fixed = q
    for word, correction in corrections.items():
        fixed = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", correction, fixed, flags=re.IGNORECASE)
    return fixed if fixed != q else None


def _item(hit: PassageHit | AuthorHit, terms) -> ResultItem:
    if isinstance(hit, AuthorHit):
        return ResultItem(kind="author", title=hit.name, slug=hit.slug, names=hit.names, year=hit.born,
                          score=hit.score)
    lines = []
    best, best_count = None, 0
    for key, text in zip(hit.line_keys, hit.lines):
        pieces, count = mark_line(text, terms, hit.language)
        lines.append(LineView(key=key, pieces=pieces, is_hit=False))
        if count > best_count:
            best, best_count = len(lines) - 1, count
    if lines:
        lines[best or 0].is_hit = True
    return ResultItem(
        kind="text", title=hit.title, work_title=hit.work_title, work_slug=hit.work_slug,
        translation_key=hit.translation_key, entity=hit.entity, authors=hit.authors, language=hit.language,
        original_language=hit.original_language, form=hit.form, year=hit.year, lines=lines,
        hit_key=lines[best or 0].key if lines else None, more=hit.more, score=hit.score)


def _facets(session: Session, params: SearchParams, counts: dict[str, list[tuple[str, int]]]) -> list[Facet]:
    names: dict[str, dict[str, str]] = {}
    wanted = {f: {v for v, _ in counts.get(f, [])} | set(params.filters.include.get(f, []))
              | set(params.filters.exclude.get(f, [])) for f in ("author", "genre", "tag")}
    for facet, model, label in (("author", Author, Author.name), ("genre", Genre, Genre.name), ("tag", Tag, Tag.name)):
        if wanted[facet]:
            names[facet] = dict(session.execute(select(model.slug, label).where(model.slug.in_(wanted[facet]))).all())
    out = []
    for facet, (param, label) in FACET_PARAMS.items():
        include = params.filters.include.get(facet, [])
        exclude = params.filters.exclude.get(facet, [])
        seen = dict(counts.get(facet, []))
        values = [(v, n) for v, n in counts.get(facet, [])]
        values += [(v, 0) for v in list(include) + list(exclude) if v not in seen]
        if not values:
            continue
        out.append(Facet(name=facet, param=param, label=label, values=[
            FacetValue(value=v, label=_label(facet, v, names), count=n, selected=v in include, excluded=v in exclude)
            for v, n in values]))
    return out


def _label(facet: str, value: str, names: dict[str, dict[str, str]]) -> str:
    if facet in ("language", "original_language", "available"):
        return language_choice(value)
    if facet == "kind":
        return KIND_LABELS.get(value, value)
    if facet == "form":
        return value.capitalize()
    if facet == "feature":
        return feature_label(value)
    return names.get(facet, {}).get(value, value)


# ------------------------------------------------------------------ saved searches

def save_search(session: Session, user: User, name: str, query_string: str) -> SavedSearch:
    """Keep a search (its query string) under a name for ``user``."""
    if user is None or not getattr(user, "id", None):
        raise Forbidden("Log in to save searches.")
    name = " ".join((name or "").split())[:200]
    query_string = (query_string or "").strip().lstrip("?")
    if not query_string:
        raise Invalid("query", "there is nothing to save: search for something first")
    if len(query_string) > 2000:
        raise Invalid("query", "this search is too long to save")
    count = session.scalar(select(func.count(SavedSearch.id)).where(SavedSearch.user_id == user.id)) or 0
    if count >= MAX_SAVED:
        raise Invalid("name", f"you can keep at most {MAX_SAVED} saved searches; delete some first")
    saved = SavedSearch(user_id=user.id, name=name or query_string[:200], query_string=query_string)
    session.add(saved)
    session.flush()
    return saved


def saved_searches(session: Session, user: User, limit: int | None = None) -> list[SavedSearch]:
    """``user``'s saved searches, newest first (at most :data:`MAX_SAVED`, or ``limit``)."""
    return list(session.scalars(select(SavedSearch).where(SavedSearch.user_id == user.id)
                                .order_by(SavedSearch.created_at.desc(), SavedSearch.id.desc())
                                .limit(limit or MAX_SAVED)))


def delete_saved_search(session: Session, user: User, saved_id: int) -> None:
    saved = session.get(SavedSearch, saved_id)
    if saved is None:
        raise NotFound("There is no such saved search.")
    if saved.user_id != user.id:
        raise Forbidden("This saved search is not yours.")
    session.delete(saved)
    session.flush()
