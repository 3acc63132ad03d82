"""The one interface every search engine implements, and the values it exchanges.

The rest of the app talks to a :class:`SearchBackend` only (obtained from
:func:`tercul.search.get_backend`), never to tantivy or Weaviate directly.

What is indexed (built from the database by :mod:`tercul.search.documents`):

- a :class:`TextDocument` per published text (a work's original or a translation):
  its facets and, for verification, a fingerprint of what was indexed;
- its :class:`Passage`\\ s: a few consecutive lines of one division (a stanza, a
  paragraph, part of a speech), each with the keys of its lines, so that a hit points
  at the line that matched;
- an :class:`AuthorDocument` per author (names in every language, biography).
"""
from __future__ import annotations

import abc
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from .query import ParsedQuery

MODES = ("keyword", "semantic", "hybrid")
SORTS = ("relevance", "date", "title")

# facet name -> what it filters on; all are multi-valued keyword fields
FACETS = ("language", "original_language", "form", "author", "genre", "tag", "period", "available", "kind",
          "feature")


@dataclass
class Passage:
    uid: int  # stable for (revision, number): see :func:`passage_uid`
    number: int
    line_keys: list[str]
    lines: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def passage_uid(revision_id: int, number: int) -> int:
    """Passages of one revision never change, so their vectors are computed once."""
    return (revision_id << 20) | number


def text_key(entity: str, entity_id: int) -> str:
    return f"{'w' if entity == 'work' else 't'}:{entity_id}"


@dataclass
class TextDocument:
    key: str  # "w:12" (a work's original) or "t:34" (a translation)
    entity: str  # work | translation
    entity_id: int
    revision_id: int
    work_id: int
    work_slug: str
    translation_key: str | None
    title: str  # the text's own title (a translation's title in its language)
    work_title: str
    sort_title: str
    authors: list[tuple[str, str]]  # (slug, display name)
    language: str
    original_language: str
    form: str
    genres: list[str]  # slugs
    tags: list[str]
    period: str | None
    year: int | None
    available: list[str]  # languages the work can be read in (original and translations)
    translator: str | None
    # form features found by the analysers (sonnet, rhymed, iambic, free-verse, readability-...)
    features: list[str] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    fingerprint: str = ""

    def facet_values(self) -> dict[str, list[str]]:
        return {
            "language": [self.language], "original_language": [self.original_language], "form": [self.form],
            "author": [slug for slug, _ in self.authors], "genre": self.genres, "tag": self.tags,
            "period": [self.period] if self.period else [], "available": self.available,
            "kind": [self.entity], "feature": self.features,
        }


@dataclass
class AuthorDocument:
    key: str  # "a:5"
    author_id: int
    slug: str
    name: str
    names: list[str]
    biography: str
    born: int | None
    fingerprint: str = ""


@dataclass
class Filters:
    """AND across facets, OR within one, and values that must not be there."""

    include: dict[str, list[str]] = field(default_factory=dict)
    exclude: dict[str, list[str]] = field(default_factory=dict)
    year_from: int | None = None
    year_to: int | None = None

    def __bool__(self) -> bool:
        return bool(any(self.include.values()) or any(self.exclude.values())
                    or self.year_from is not None or self.year_to is not None)

    def cache_key(self) -> str:
        inc = ";".join(f"{k}={','.join(sorted(v))}" for k, v in sorted(self.include.items()) if v)
        exc = ";".join(f"{k}={','.join(sorted(v))}" for k, v in sorted(self.exclude.items()) if v)
        return f"{inc}|{exc}|{self.year_from}|{self.year_to}"


@dataclass
class SearchRequest:
    query: ParsedQuery
    mode: str = "keyword"
    alpha: float = 0.5
    filters: Filters = field(default_factory=Filters)
    offset: int = 0
    limit: int = 20
    sort: str = "relevance"
    facets: bool = True
    query_vector: Sequence[float] | None = None  # the query's embedding (semantic, hybrid)


@dataclass
class PassageHit:
    """One text that matched, at its best passage."""

    text_key: str
    entity: str
    work_slug: str
    translation_key: str | None
    title: str
    work_title: str
    authors: list[tuple[str, str]]
    language: str
    original_language: str
    form: str
    year: int | None
    score: float
    line_keys: list[str]
    lines: list[str]
    more: int = 0  # other passages of the same text among the matches


@dataclass
class AuthorHit:
    slug: str
    name: str
    names: list[str]
    born: int | None
    score: float


@dataclass
class SearchResults:
    hits: list[PassageHit | AuthorHit]
    total: int  # matching texts (and authors)
    facets: dict[str, list[tuple[str, int]]]  # facet -> (value, texts) for the current result set
    took_ms: float = 0.0
    exact: bool = True  # False: total and facets count the best matches only (see the backends)
    # query words the index does not know -> the known words searched instead ("Did you mean")
    corrections: dict[str, str] = field(default_factory=dict)


@dataclass
class IndexedState:
    """What the index holds: key -> fingerprint, and the passages that have vectors."""

    texts: dict[str, str]
    authors: dict[str, str]
    passages: dict[str, list[int]]  # text key -> passage uids
    vectors: set[int]


class SearchBackend(abc.ABC):
    """A search engine holding the documents above."""

    name: str = "abstract"

    @abc.abstractmethod
    def search(self, request: SearchRequest) -> SearchResults:
        """Run a search (keyword, semantic or hybrid) with filters, facets and paging."""

    @abc.abstractmethod
    def replace_texts(self, texts: Sequence[TextDocument], vectors: dict[int, Sequence[float]] | None = None,
                      delete: Iterable[str] = ()) -> None:
        """Write these texts (replacing what the index had for their keys) and delete others."""

    @abc.abstractmethod
    def replace_authors(self, authors: Sequence[AuthorDocument], delete: Iterable[str] = ()) -> None:
        """Write these authors and delete others by key."""

    @abc.abstractmethod
    def add_vectors(self, vectors: dict[int, Sequence[float]]) -> None:
        """Store passage embeddings by passage uid."""

    @abc.abstractmethod
    def missing_vectors(self, uids: Iterable[int]) -> set[int]:
        """Those of ``uids`` that have no embedding yet."""

    @abc.abstractmethod
    def state(self) -> IndexedState:
        """Everything verification needs to compare the index with the database."""

    @abc.abstractmethod
    def clear(self, keep_vectors: bool = False) -> None:
        """Empty the index (before a full rebuild); embeddings stay if ``keep_vectors``."""

    @abc.abstractmethod
    def generation(self) -> str:
        """Changes whenever the index changes (part of cache keys)."""

    def export_vectors(self, uids: Iterable[int]) -> dict[int, Sequence[float]]:
        """Embeddings by uid (for migrating between engines)."""
        return {}

    def close(self) -> None:
        """Release files and connections."""
