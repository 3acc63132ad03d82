"""The embedded engine: a tantivy index on disk, with the vector store beside it.

Layout under ``SEARCH_INDEX_PATH``: ``keyword/`` (tantivy) and ``vectors/``
(:mod:`tercul.search.vectors`). Three kinds of documents share the keyword index:
``passage`` (searched), ``text`` (one per text: facets for browsing, its title words,
what was indexed, for verification, and what a hit shows) and ``author``.

A keyword query over passages is BM25 over the words, with the common words made
optional (see :meth:`.tantivy_query.QueryBuilding._words_query`): tantivy's Python binding collects
every match (no top-k pruning), so what a query costs is the length of the posting
lists it must walk. Titles are matched in a second, small query over the text
documents (one per text, not one per passage), and their score is added to the
passages of those texts.

Writers (the workers, or the in-process relay) take a file lock, so several processes
can share one index folder; readers reload when tantivy's ``meta.json`` changes.
"""
from __future__ import annotations

import dataclasses
import fcntl
import json
import logging
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import tantivy
from tantivy import Occur, Query

from . import analysis
from .interface import (AuthorDocument, IndexedState, SearchBackend, SearchRequest, SearchResults, TextDocument,
                        passage_uid)
from .tantivy_facets import FacetCounting
from .tantivy_query import QueryBuilding
from .tantivy_results import TITLE_BOOST, ResultAssembly, add_titles, fuse
from .tantivy_schema import SCHEMA_VERSION, author_document, build_schema, is_author, text_documents
from .vectors import VectorStore

log = logging.getLogger(__name__)

KEYWORD_CANDIDATES = 150  # keyword hits considered for hybrid fusion
SEMANTIC_CANDIDATES = 150
MAX_COLLECT = 4000  # passages collected to fill a page of texts
FACET_CANDIDATES = 400  # a query's facets count the texts among this many best passages (as Weaviate's: 500)
COMMON_SHARE = 0.002  # a word in more than this share of the documents is common...
COMMON_MIN_DOCS = 1000  # ...and in more than this many
TITLE_CANDIDATES = 50  # texts whose title matches, added to (or raising) the keyword results


class TantivyBackend(QueryBuilding, FacetCounting, ResultAssembly, SearchBackend):
    """Query building (:mod:`.tantivy_query`), facet counting (:mod:`.tantivy_facets`) and
    turning matches into hits (:mod:`.tantivy_results`) are mixed in; the index layout and
    its documents are in :mod:`.tantivy_schema`."""

    name = "tantivy"

    def __init__(self, path: Path | str, *, writer_heap: int = 64_000_000):
        self.path = Path(path)
        self.keyword_path = self.path / "keyword"
        self.keyword_path.mkdir(parents=True, exist_ok=True)
        self.schema = build_schema()
        self._check_version()
        self.index = tantivy.Index(self.schema, path=str(self.keyword_path), reuse=True)
        analysis.register_analyzers(self.index)
        self.vectors = VectorStore(self.path / "vectors")
        self.writer_heap = writer_heap
        self._lock = threading.RLock()
        self._meta_stamp: tuple | None = None
        self._doc_freqs: dict[tuple[str, str], int] = {}
        self._bulk_writer = None
        self._stems = [analysis.stem_field(s) for s in analysis.all_stemmers()]

    def _check_version(self) -> None:
        marker = self.path / "schema-version"
        if marker.exists() and marker.read_text().strip() != str(SCHEMA_VERSION):
            # an index from an older schema cannot be read: start afresh (reindex fills it)
            import shutil

            log.warning("the search index at %s was written by an older layout (%s, now %s): it was discarded; "
                        "run `tercul reindex` to fill it", self.keyword_path, marker.read_text().strip(),
                        SCHEMA_VERSION)
            shutil.rmtree(self.keyword_path, ignore_errors=True)
            self.keyword_path.mkdir(parents=True, exist_ok=True)
        marker.write_text(str(SCHEMA_VERSION))

    # ------------------------------------------------------------------ reading

    def _searcher(self) -> tantivy.Searcher:
        try:
            st = (self.keyword_path / "meta.json").stat()
            stamp = (st.st_mtime_ns, st.st_size)
        except FileNotFoundError:
            stamp = None
        if stamp != self._meta_stamp:
            self.index.reload()
            self._meta_stamp = stamp
            self._doc_freqs = {}
        return self.index.searcher()

    def generation(self) -> str:
        try:
            st = (self.keyword_path / "meta.json").stat()
            keyword = f"{st.st_mtime_ns}-{st.st_size}"
        except FileNotFoundError:
            keyword = "0"
        return f"{keyword}-{self.vectors.generation()}"

    @staticmethod
    def _common_count(searcher) -> int:
        """A word in more documents than this is common (:data:`COMMON_SHARE`)."""
        return max(COMMON_MIN_DOCS, int(searcher.num_docs * COMMON_SHARE))

    # search ---------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResults:
        started = time.perf_counter()
        with self._lock:
            searcher = self._searcher()
        corrections = {}
        if request.mode != "semantic" and request.query.terms:
            # words the index does not know are searched as the known word one edit away
            corrections = self._corrections(searcher, request.query.terms)
            if corrections:
                terms = tuple(corrections.get(t, t) for t in request.query.terms)
                request = dataclasses.replace(request, query=dataclasses.replace(request.query, terms=terms))
        # meaning alone needs no word query (its -words are applied as filters)
        text_query = None if request.mode == "semantic" else self._text_query(
            request, searcher, every_common=request.mode == "hybrid")
        if text_query is None and request.mode == "keyword" or request.query.is_empty:
            results = self._browse(searcher, request)
        elif request.mode == "semantic" or (request.mode == "hybrid" and text_query is None):
            results = self._semantic(searcher, request)
        elif request.mode == "hybrid":
            results = self._hybrid(searcher, request, text_query)
        elif not request.query.phrases and self._every_word_common(searcher, request.query.terms):
            # conjunctive first: the passages that have every word, if they fill the page
            results = self._keyword(searcher, request, self._text_query(request, searcher, every_common=True))
            if len(results.hits) < request.limit and results.total <= request.offset + len(results.hits):
                results = self._keyword(searcher, request, text_query)
        else:
            results = self._keyword(searcher, request, text_query)
        results.corrections = corrections
        results.took_ms = (time.perf_counter() - started) * 1000
        return results

    def _order(self, request: SearchRequest) -> dict:
        if request.sort == "date":
            return {"order_by_field": "year", "order": tantivy.Order.Asc}
        if request.sort == "title":
            return {"order_by_field": "sort_title", "order": tantivy.Order.Asc}
        return {}

    def _browse(self, searcher, request: SearchRequest) -> SearchResults:
        """No query: the texts that pass the filters, by title (or date)."""
        query = self._combine(None, request.filters, ("text",))
        order = self._order(request) or {"order_by_field": "sort_title", "order": tantivy.Order.Asc}
        found = searcher.search(query, limit=request.limit, offset=request.offset, count=True, **order)
        keys = [searcher.doc(addr).get_first("key") for _score, addr in found.hits]
        metas = self._text_meta(searcher, keys)
        hits = [self._hit(metas[k], 0.0, metas[k].get("incipit_keys", []), metas[k].get("incipit", []))
                for k in keys if k in metas]
        facets = self._browse_facets(searcher, request.filters) if request.facets else {}
        return SearchResults(hits=hits, total=found.count, facets=facets)

    def _keyword(self, searcher, request: SearchRequest, text_query: Query) -> SearchResults:
        """BM25 over passages (and authors, when there are no filters), best passage per
        text; sorted by relevance, a text whose title has the words is raised (or added,
        with its first lines).

        The best :data:`FACET_CANDIDATES` passages (more for deep pages) are the result
        set: totals and facet counts are exact when fewer passages match, and over those
        best matches otherwise (``exact`` is then False)."""
        authors = not request.filters
        by_relevance = not self._order(request)
        want = request.offset + request.limit
        collect = min(MAX_COLLECT, max(FACET_CANDIDATES if request.facets else 0, want * 4 + 40))

        def ranked_for(skip: str | None = None) -> tuple[list[dict], bool]:
            query = self._combine(text_query, request.filters, skip=skip)
            size = collect
            while True:
                found = searcher.search(query, limit=size, count=False, **self._order(request))
                ranked = self._collapse(searcher, list(found.hits), authors)
                exact = len(found.hits) < size
                if exact or len(ranked) >= want or size >= MAX_COLLECT:
                    break
                size = min(MAX_COLLECT, size * 4)
            if by_relevance:
                ranked = add_titles(ranked, self._title_matches(searcher, request, skip),
                                    new=not request.query.phrases)
            return ranked, exact

        ranked, exact = ranked_for()
        page = self._load(searcher, ranked[request.offset:want])
        hits = self._hits(searcher, page, request)
        facets = {}
        if request.facets:
            facets = self._text_facets(searcher, [g["tid"] for g in ranked], request.filters,
                                       lambda skip: [g["tid"] for g in ranked_for(skip)[0]])
        return SearchResults(hits=hits, total=len(ranked), facets=facets, exact=exact)

    def _title_matches(self, searcher, request: SearchRequest, skip: str | None = None) -> dict[int, float]:
        """The texts (by ``tid``) whose title, work title or author names have the query's
        words, within the filters: the best :data:`TITLE_CANDIDATES`, with their BM25 score."""
        terms = dict.fromkeys(t for w in request.query.positive_words if (t := analysis.term(w)))
        if not terms:
            return {}
        words = Query.boolean_query([(Occur.Should, Query.term_query(self.schema, "title", t)) for t in terms])
        found = searcher.search(self._combine(words, request.filters, skip=skip), limit=TITLE_CANDIDATES,
                                count=False)
        tids = searcher.fast_field_values("tid", [addr for _s, addr in found.hits])
        return {int(tid): float(score) for tid, (score, _addr) in zip(tids, found.hits)}

    def _semantic_candidates(self, searcher, request: SearchRequest, k: int,
                             where: dict | None = None) -> list[tuple[int, float]]:
        """The ``k`` passages nearest the query's vector that pass the filters; ``where``
        (uid -> (tid, address)) is filled with the passages found, for :meth:`_by_uid`."""
        if request.query_vector is None:
            return []
        base = self._filter_clauses(request.filters)  # the uid set below selects passages only
        for word in request.query.excluded:
            if folded := analysis.term(word):
                base.append((Occur.MustNot, Query.term_query(self.schema, "text", folded)))

        def live(uids: list[int]) -> set[int]:
            if not uids:
                return set()
            q = Query.boolean_query(base + [(Occur.Must, Query.term_set_query(self.schema, "uid", uids))])
            found = searcher.search(q, limit=len(uids), count=False)
            seen = self._located(searcher, [a for _s, a in found.hits])
            if where is not None:
                where.update(seen)
            return set(seen)

        # filters reject candidates: ask the graph for more at once (it asks again if still short)
        oversample = 4.0 if request.filters or request.query.excluded else 1.2
        return self.vectors.search(np.asarray(request.query_vector, dtype=np.float32), k, live=live,
                                   oversample=oversample)

    def _semantic(self, searcher, request: SearchRequest) -> SearchResults:
        want = request.offset + request.limit
        where: dict = {}
        scored = self._semantic_candidates(searcher, request, max(SEMANTIC_CANDIDATES, want * 3), where)
        ranked = self._by_uid(searcher, scored, where)
        self._sort_ranked(searcher, ranked, request)
        hits = self._hits(searcher, self._load(searcher, ranked[request.offset:want]), request)
        return SearchResults(hits=hits, total=len(ranked), facets=self._candidate_facets(searcher, request, ranked),
                             exact=False)

    def _hybrid(self, searcher, request: SearchRequest, text_query: Query) -> SearchResults:
        """Relative score fusion: each list scaled to [0, 1], then (1 - alpha)·keyword + alpha·semantic.

        The keyword half runs in a second thread while the vector search runs in this one
        (both engines release the GIL): a search typed by one reader takes the longer of
        the two, not their sum."""
        alpha = min(1.0, max(0.0, request.alpha))

        def keyword_half() -> tuple[dict, dict]:
            found = searcher.search(self._combine(text_query, request.filters), limit=KEYWORD_CANDIDATES,
                                    count=False)
            addrs = [a for _s, a in found.hits]
            titles = self._title_matches(searcher, request)
            scores, found_at = {}, {}
            for uid, tid, (score, addr) in zip(searcher.fast_field_values("uid", addrs),
                                               searcher.fast_field_values("tid", addrs), found.hits):
                if not is_author(tid):
                    scores[int(uid)] = score + TITLE_BOOST * titles.get(int(tid), 0.0)
                    found_at[int(uid)] = (int(tid), addr)
            return scores, found_at

        pending = _helper_pool().submit(keyword_half)
        where_semantic: dict = {}
        semantic = dict(self._semantic_candidates(searcher, request, SEMANTIC_CANDIDATES, where_semantic))
        keyword, where = pending.result()
        where.update(where_semantic)
        if request.query_vector is not None and keyword:
            # keyword hits outside the semantic candidates still have a similarity
            missing = [u for u in keyword if u not in semantic]
            semantic.update(self.vectors.score(np.asarray(request.query_vector, dtype=np.float32), missing))
        fused = fuse(keyword, semantic, alpha)
        ranked = self._by_uid(searcher, fused, where)
        self._sort_ranked(searcher, ranked, request)
        want = request.offset + request.limit
        hits = self._hits(searcher, self._load(searcher, ranked[request.offset:want]), request)
        return SearchResults(hits=hits, total=len(ranked), facets=self._candidate_facets(searcher, request, ranked),
                             exact=False)

    # ------------------------------------------------------------------ writing

    @contextmanager
    def _writer(self):
        if self._bulk_writer is not None:
            yield self._bulk_writer
            return
        with self._lock, open(self.path / ".write.lock", "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                writer = self.index.writer(heap_size=self.writer_heap, num_threads=1)
                try:
                    yield writer
                    writer.commit()
                except BaseException:
                    writer.rollback()
                    raise
                finally:
                    writer.wait_merging_threads()
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    @contextmanager
    def bulk(self):
        """One writer for many batches (a full rebuild); commits at :meth:`commit_bulk` and at the end."""
        with self._writer() as writer:
            self._bulk_writer = writer
            try:
                yield self
            finally:
                self._bulk_writer = None

    def commit_bulk(self) -> None:
        if self._bulk_writer is not None:
            self._bulk_writer.commit()

    def replace_texts(self, texts: Sequence[TextDocument], vectors: dict | None = None,
                      delete: Iterable[str] = ()) -> None:
        with self._writer() as writer:
            for key in delete:
                writer.delete_documents_by_term("key", key)
            for text in texts:
                writer.delete_documents_by_term("key", text.key)
                for doc in text_documents(text):
                    writer.add_document(doc)
        if vectors:
            self.add_vectors(vectors)

    def replace_authors(self, authors: Sequence[AuthorDocument], delete: Iterable[str] = ()) -> None:
        with self._writer() as writer:
            for key in delete:
                writer.delete_documents_by_term("key", key)
            for a in authors:
                writer.delete_documents_by_term("key", a.key)
                writer.add_document(author_document(a))

    def add_vectors(self, vectors: dict) -> None:
        self.vectors.add(vectors)

    def missing_vectors(self, uids: Iterable[int]) -> set[int]:
        return self.vectors.missing(uids)

    def export_vectors(self, uids: Iterable[int]) -> dict[int, Sequence[float]]:
        found, matrix = self.vectors.get(list(uids))
        return {u: row for u, row in zip(found, matrix)}

    def clear(self, keep_vectors: bool = False) -> None:
        """Empty the keyword index, and the vectors unless ``keep_vectors``: a vector is keyed
        by its passage's revision, so a rebuild can reuse every one that is still current."""
        with self._writer() as writer:
            writer.delete_all_documents()
        if not keep_vectors:
            self.vectors.clear()

    def compact_vectors(self) -> None:
        """Merge vector segments, dropping those of passages no longer indexed."""
        state = self.state()
        live = np.fromiter((u for uids in state.passages.values() for u in uids), dtype=np.uint64)
        self.vectors.compact(live)

    def state(self) -> IndexedState:
        with self._lock:
            searcher = self._searcher()
        texts: dict[str, str] = {}
        authors: dict[str, str] = {}
        passages: dict[str, list[int]] = {}
        for doctype in ("text", "author"):
            q = Query.term_query(self.schema, "doctype", doctype)
            total = searcher.search(q, limit=1, count=True).count
            if not total:
                continue
            found = searcher.search(q, limit=total, count=False)
            for _s, addr in found.hits:
                doc = searcher.doc(addr)
                meta = json.loads(doc.get_first("meta"))
                if doctype == "author":
                    authors[doc.get_first("key")] = meta["fingerprint"]
                else:
                    texts[meta["key"]] = meta["fingerprint"]
                    passages[meta["key"]] = [passage_uid(meta["revision"], n) for n in range(meta["passages"])]
        count_q = Query.term_query(self.schema, "doctype", "passage")
        indexed = searcher.search(count_q, limit=1, count=True).count
        expected = sum(len(v) for v in passages.values())
        if indexed != expected:  # passages without their text document (should never happen)
            texts = {k: f"{v}!passages" for k, v in texts.items()}
        return IndexedState(texts=texts, authors=authors, passages=passages,
                            vectors=set(int(k) for k in self.vectors.keys()))

    def size_bytes(self) -> dict[str, int]:
        keyword = sum(p.stat().st_size for p in self.keyword_path.glob("*") if p.is_file())
        return {"keyword": keyword, "vectors": self.vectors.size_bytes()}


_pool: tuple[int, ThreadPoolExecutor] | None = None
_pool_lock = threading.Lock()


def _helper_pool() -> ThreadPoolExecutor:
    """Threads for the halves of a hybrid search, made in the process that uses them (a
    forked server worker does not inherit its parent's threads)."""
    global _pool
    with _pool_lock:
        if _pool is None or _pool[0] != os.getpid():
            _pool = (os.getpid(), ThreadPoolExecutor(max_workers=2, thread_name_prefix="tercul-search"))
        return _pool[1]
