"""The embedded engine: a tantivy index on disk, with the vector store beside it.

Layout under ``SEARCH_INDEX_PATH``: ``keyword/`` (tantivy) and ``vectors/``
(:mod:`tercul.search.vectors`). Three kinds of documents share the keyword index:
``passage`` (searched), ``text`` (one per text: facets for browsing, its title words,
what was indexed, for verification, and what a hit shows) and ``author``.

A keyword query over passages is BM25 over the words, with the common words made
optional (see :meth:`TantivyBackend._words_query`): tantivy's Python binding collects
every match (no top-k pruning), so what a query costs is the length of the posting
lists it must walk. Titles are matched in a second, small query over the text
documents (one per text, not one per passage), and their score is added to the
passages of those texts.

Writers (the workers, or the in-process relay) take a file lock, so several processes
can share one index folder; readers reload when tantivy's ``meta.json`` changes.
"""
from __future__ import annotations

import fcntl
import json
import logging
import math
import os
import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import tantivy
from tantivy import Occur, Query

from . import analysis
from .interface import (FACETS, AuthorDocument, AuthorHit, Filters, IndexedState, PassageHit, SearchBackend,
                        SearchRequest, SearchResults, TextDocument, passage_uid)
from .vectors import VectorStore

log = logging.getLogger(__name__)

SCHEMA_VERSION = 4  # 4: titles on text documents, not on every passage
KEYWORD_CANDIDATES = 150  # keyword hits considered for hybrid fusion
SEMANTIC_CANDIDATES = 150
MAX_COLLECT = 4000  # passages collected to fill a page of texts
FACET_CANDIDATES = 400  # a query's facets count the texts among this many best passages (as Weaviate's: 500)
FACET_SIZE = 25  # values shown per facet (and every selected one)
COMMON_SHARE = 0.002  # a word in more than this share of the documents is common...
COMMON_MIN_DOCS = 1000  # ...and in more than this many
DOC_FREQS_KEPT = 200_000
SEEK_COST = 2  # a skip-list seek, in steps of walking a posting list (measured: bench/RESULTS.md, "Search")
TITLE_CANDIDATES = 50  # texts whose title matches, added to (or raising) the keyword results
TITLE_BOOST = 0.4


def build_schema() -> tantivy.Schema:
    b = tantivy.SchemaBuilder()
    b.add_text_field("doctype", stored=True, fast=True, tokenizer_name="raw")
    b.add_text_field("key", stored=True, fast=True, tokenizer_name="raw")
    b.add_unsigned_field("uid", stored=True, indexed=True, fast=True)
    b.add_unsigned_field("tid", stored=False, indexed=True, fast=True)  # the key as a number, for collapsing
    for facet in FACETS:
        b.add_text_field(facet, stored=False, fast=True, tokenizer_name="raw")
    b.add_integer_field("year", stored=False, indexed=True, fast=True)
    b.add_text_field("sort_title", stored=False, fast=True, tokenizer_name="raw")
    b.add_text_field("text", stored=True, tokenizer_name=analysis.FOLDED)
    b.add_text_field("title", stored=False, tokenizer_name=analysis.FOLDED)
    for stemmer in analysis.all_stemmers():
        b.add_text_field(analysis.stem_field(stemmer), stored=False, tokenizer_name=stemmer)
    b.add_bytes_field("meta", stored=True)
    return b.build()


class TantivyBackend(SearchBackend):
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

    def _doc_freq(self, searcher, field: str, term: str) -> int:
        """How many documents have ``term`` in ``field``, remembered until the index changes
        (a query asks for every word in every stem field)."""
        key = (field, term)
        count = self._doc_freqs.get(key)
        if count is None:
            if len(self._doc_freqs) > DOC_FREQS_KEPT:
                self._doc_freqs = {}
            count = self._doc_freqs[key] = searcher.doc_freq(field, term)
        return count

    def generation(self) -> str:
        try:
            st = (self.keyword_path / "meta.json").stat()
            keyword = f"{st.st_mtime_ns}-{st.st_size}"
        except FileNotFoundError:
            keyword = "0"
        return f"{keyword}-{self.vectors.generation()}"

    # query building ------------------------------------------------------

    def _word_terms(self, searcher, word: str) -> list[tuple[str, str, int]]:
        """(field, term, documents) for one word: folded in the text, and stemmed in each
        language whose stem field has it; terms no document has are left out (they would
        cost a clause each, and a query has many words)."""
        folded = analysis.term(word)
        if not folded:
            return []
        terms = []
        for field, term in [("text", folded)] + [(f, analysis.term(word, s))
                                                 for s, f in zip(analysis.all_stemmers(), self._stems)]:
            if term and not any(f == field and t == term for f, t, _n in terms):
                if count := self._doc_freq(searcher, field, term):
                    terms.append((field, term, count))
        return terms

    def _words_query(self, searcher, words: Sequence[str], every_common: bool = False) -> Query | None:
        """BM25 over ``words`` (each folded, and stemmed in every language that has it).

        Every word counts in the score, as in one OR of them all, but a passage must have
        at least one of the query's less common words: a word in more than
        :data:`COMMON_SHARE` of the documents (``the``, ``to``, ``love``) only adds to the
        score of passages found by the others (Lucene's "common terms" query). When every
        word is common, the least common one is required. A misremembered rare word can
        thus hide a line that only shares common words with the query; such a line would
        rank low anyway.

        When the required part finds few passages, the optional terms are chained, one per
        level (``((rare) + t1) + t2 ...``): tantivy unites side-by-side optional terms into
        one buffered union that walks their whole posting lists, while a single optional
        term is only sought, through its skip list, at the passages the required part
        found. A seek costs several steps of a walk (:data:`SEEK_COST`), so when the
        required part is large the optional terms stay side by side.

        With ``every_common`` (the keyword half of a hybrid search, whose meaning half
        finds passages by sense anyway), a query of common words only requires every one
        of them, which tantivy intersects by skipping, instead of walking the least
        common one."""
        per_word = self._per_word(searcher, words)
        if not per_word:  # no document has any of the words: a query that finds nothing
            folded = [t for w in words if (t := analysis.term(w))]
            return Query.term_query(self.schema, "text", folded[0]) if folded else None
        common = self._common_count(searcher)
        rare = [terms for count, terms in per_word if count <= common]
        if not rare and every_common and len(per_word) > 1:
            return Query.boolean_query([(Occur.Must, Query.term_query(self.schema, terms[0][0], terms[0][1]))
                                        for _count, terms in per_word])
        if not rare:
            rare = [min(per_word, key=lambda pair: pair[0])[1]]
        frequent = [terms for _count, terms in per_word if not any(terms is r for r in rare)]

        def term(field: str, text: str) -> tuple:
            return Occur.Should, Query.term_query(self.schema, field, text)

        query = Query.boolean_query([term(f, t) for terms in rare for f, t, _n in terms])
        # A common word adds its exact (folded) form only: its stems in a dozen languages
        # would add as many long lists. In its own language a word also matches its stem,
        # so the one form counts twice, as it did there (measured on the labelled queries:
        # nDCG@10 within 0.006 of all forms; keyword p95 13 -> 11 ms at 3.3M passages).
        optional = [(terms[0][0], terms[0][1], terms[0][2], 2.0 if len(terms) > 1 else 1.0) for terms in frequent]
        if not optional:
            return query

        def weighted(field: str, text: str, boost: float) -> tuple:
            scored = Query.term_query(self.schema, field, text)
            return Occur.Should, scored if boost == 1.0 else Query.boost_query(scored, boost)

        required = sum(n for terms in rare for _f, _t, n in terms)
        if required * len(optional) * SEEK_COST > sum(n for _f, _t, n, _b in optional):
            return Query.boolean_query([(Occur.Must, query)] + [weighted(f, t, b) for f, t, _n, b in optional])
        for field, text, _n, boost in optional:
            query = Query.boolean_query([(Occur.Must, query), weighted(field, text, boost)])
        return query

    def _per_word(self, searcher, words: Sequence[str]) -> list[tuple[int, list[tuple[str, str, int]]]]:
        """(documents, terms) for each distinct word that some document has: its terms (see
        :meth:`_word_terms`) and the documents of the commonest of them."""
        return [(max(n for _f, _t, n in terms), terms)
                for word in dict.fromkeys(words) if (terms := self._word_terms(searcher, word))]

    @staticmethod
    def _common_count(searcher) -> int:
        """A word in more documents than this is common (:data:`COMMON_SHARE`)."""
        return max(COMMON_MIN_DOCS, int(searcher.num_docs * COMMON_SHARE))

    def _every_word_common(self, searcher, words: Sequence[str]) -> bool:
        """True for two or more words, each in more than :data:`COMMON_SHARE` of the documents."""
        counts = [count for count, _terms in self._per_word(searcher, words)]
        return len(counts) > 1 and min(counts) > self._common_count(searcher)

    def _text_query(self, request: SearchRequest, searcher=None, every_common: bool = False) -> Query | None:
        """The words and phrases of the query (None when there is nothing to match).

        Words are ranked by BM25 (passages with more of the words first, and a
        misremembered word does not lose the line; see :meth:`_words_query`). Phrases
        must match; -words must not."""
        searcher = searcher or self._searcher()
        q = request.query
        words = self._words_query(searcher, q.terms, every_common) if q.terms else None
        phrases = []
        for phrase in q.phrases:
            tokens = [t for w in phrase if (t := analysis.term(w))]
            if len(tokens) > 1:
                phrases.append(Query.phrase_query(self.schema, "text", tokens))
            elif tokens:
                phrases.append(Query.term_query(self.schema, "text", tokens[0]))
        if words is None and not phrases:
            return None
        clauses = [(Occur.Must, p) for p in phrases]
        if words is not None:
            clauses.append((Occur.Should if phrases else Occur.Must, words))
        for word in q.excluded:
            folded = analysis.term(word)
            if folded:
                clauses.append((Occur.MustNot, Query.term_query(self.schema, "text", folded)))
        return clauses[0][1] if len(clauses) == 1 and clauses[0][0] == Occur.Must else Query.boolean_query(clauses)

    def _filter_clauses(self, filters: Filters, skip: str | None = None) -> list[tuple]:
        clauses = []
        for facet, values in filters.include.items():
            if values and facet != skip and facet in FACETS:
                clauses.append((Occur.Must, Query.term_set_query(self.schema, facet, list(values))))
        for facet, values in filters.exclude.items():
            if values and facet in FACETS:
                clauses.append((Occur.MustNot, Query.term_set_query(self.schema, facet, list(values))))
        if filters.year_from is not None or filters.year_to is not None:
            clauses.append((Occur.Must, Query.range_query(self.schema, "year", tantivy.FieldType.Integer,
                                                          filters.year_from, filters.year_to)))
        return clauses

    def _doctype(self, *types: str) -> tuple:
        return (Occur.Must, Query.term_set_query(self.schema, "doctype", list(types)))

    def _combine(self, main: Query | None, filters: Filters, doctypes: tuple[str, ...] = ("text",),
                 skip: str | None = None) -> Query:
        """``main`` (words) within the filters, or the documents of ``doctypes`` that pass them.

        Words only occur in passages and authors (text documents have none), and no clause
        is added for the document type: intersecting with millions of passages would cost
        more than the words. A caller that wants no authors drops them from the hits
        (:func:`is_author`)."""
        clauses = self._filter_clauses(filters, skip)
        if main is None:
            clauses.append(self._doctype(*doctypes))
        else:
            clauses.append((Occur.Must, main))
        if len(clauses) == 1 and clauses[0][0] == Occur.Must:
            return clauses[0][1]
        return Query.boolean_query(clauses)

    # search ---------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResults:
        started = time.perf_counter()
        with self._lock:
            searcher = self._searcher()
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

    def _collapse(self, searcher, scored: list[tuple[float, object]], authors: bool = True) -> list[dict]:
        """Best passage per text (or author, unless ``authors`` is False), in order,
        counting the others.

        Texts are told apart by a fast field, so only the best passage of each is loaded
        (by :meth:`_load`), and only for the page shown."""
        groups: OrderedDict[int, dict] = OrderedDict()
        tids = searcher.fast_field_values("tid", [addr for _s, addr in scored])
        for (score, addr), tid in zip(scored, tids):
            if not authors and is_author(tid):
                continue
            group = groups.get(tid)
            if group is None:
                groups[tid] = {"key": number_key(tid), "tid": tid, "score": float(score), "addr": addr,
                               "doc": None, "more": 0}
            else:
                group["more"] += 1
        return list(groups.values())

    @staticmethod
    def _load(searcher, page: list[dict]) -> list[dict]:
        for g in page:
            if g["doc"] is None and g["addr"] is not None:
                g["doc"] = searcher.doc(g["addr"])
        return page

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

    @staticmethod
    def _located(searcher, addrs: list) -> dict[int, tuple[int, object]]:
        """uid -> (tid, address) of these passages, read from fast fields (no document loaded)."""
        return {int(uid): (int(tid), addr) for uid, tid, addr in zip(searcher.fast_field_values("uid", addrs),
                                                                      searcher.fast_field_values("tid", addrs), addrs)}

    def _by_uid(self, searcher, scored: list[tuple[int, float]], where: dict | None = None) -> list[dict]:
        """Group scored passages (uid, score) by text, best first; drops uids not indexed.

        ``where`` (uid -> (tid, address)) holds passages already found; the others are
        looked up."""
        if not scored:
            return []
        where = dict(where or {})
        if unknown := [u for u, _ in scored if u not in where]:
            found = searcher.search(Query.term_set_query(self.schema, "uid", unknown), limit=len(unknown),
                                    count=False)
            where.update(self._located(searcher, [a for _s, a in found.hits]))
        groups: OrderedDict[int, dict] = OrderedDict()
        for uid, score in scored:
            if uid not in where:
                continue
            tid, addr = where[uid]
            if tid in groups:
                groups[tid]["more"] += 1
            else:
                groups[tid] = {"key": number_key(tid), "tid": tid, "score": float(score), "addr": addr, "doc": None,
                               "more": 0}
        return list(groups.values())

    def _candidate_facets(self, searcher, request: SearchRequest, ranked: list[dict]) -> dict:
        if not request.facets or not ranked:
            return {}
        return self._text_facets(searcher, [g["tid"] for g in ranked], request.filters, None)

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

    def _sort_ranked(self, searcher, ranked: list[dict], request: SearchRequest) -> None:
        if request.sort in ("date", "title") and ranked:
            metas = self._text_meta(searcher, [g["key"] for g in ranked if not g["key"].startswith("a:")])
            if request.sort == "date":
                ranked.sort(key=lambda g: (metas.get(g["key"], {}).get("year") is None,
                                           metas.get(g["key"], {}).get("year") or 0))
            else:
                ranked.sort(key=lambda g: metas.get(g["key"], {}).get("sort_title") or "~")

    def _text_meta(self, searcher, keys: list[str]) -> dict[str, dict]:
        keys = [k for k in keys if not k.startswith("a:")]
        if not keys:
            return {}
        q = Query.boolean_query([self._doctype("text"), (Occur.Must, Query.term_set_query(self.schema, "key", keys))])
        found = searcher.search(q, limit=len(keys), count=False)
        out = {}
        for _s, addr in found.hits:
            doc = searcher.doc(addr)
            out[doc.get_first("key")] = json.loads(doc.get_first("meta"))
        return out

    def _hits(self, searcher, page: list[dict], request: SearchRequest) -> list[PassageHit | AuthorHit]:
        metas = self._text_meta(searcher, [g["key"] for g in page])
        hits: list[PassageHit | AuthorHit] = []
        for g in page:
            doc = g["doc"]
            if doc is None:  # a text found by its title alone: its first lines
                if (meta := metas.get(g["key"])) is not None:
                    hits.append(self._hit(meta, g["score"], meta.get("incipit_keys", []), meta.get("incipit", [])))
                continue
            meta = json.loads(doc.get_first("meta")) if doc.get_first("doctype") == "author" else metas.get(g["key"])
            if meta is None:
                continue
            if doc.get_first("doctype") == "author":
                hits.append(AuthorHit(slug=meta["slug"], name=meta["name"], names=meta["names"], born=meta["born"],
                                      score=g["score"]))
                continue
            passage = json.loads(doc.get_first("meta"))
            hit = self._hit(meta, g["score"], passage["keys"], doc.get_first("text").split("\n"))
            hit.more = g["more"]
            hits.append(hit)
        return hits

    @staticmethod
    def _hit(meta: dict, score: float, keys: list[str], lines: list[str]) -> PassageHit:
        return PassageHit(
            text_key=meta["key"], entity=meta["entity"], work_slug=meta["work_slug"],
            translation_key=meta["translation_key"], title=meta["title"], work_title=meta["work_title"],
            authors=[tuple(a) for a in meta["authors"]], language=meta["language"],
            original_language=meta["original_language"], form=meta["form"], year=meta["year"], score=score,
            line_keys=keys, lines=lines)

    def _aggregate(self, searcher, query: Query, facets: Iterable[str]) -> dict[str, list[tuple[str, int]]]:
        """Terms per facet over ``text`` documents (one per text, so documents are texts)."""
        facets = list(facets)
        if not facets:
            return {}
        raw = searcher.aggregate(query, {f: {"terms": {"field": f, "size": FACET_SIZE}} for f in facets})
        return {f: sorted(((b["key"], int(b["doc_count"])) for b in raw.get(f, {}).get("buckets", [])),
                          key=lambda kv: (-kv[1], kv[0])) for f in facets}

    def _browse_facets(self, searcher, filters: Filters) -> dict:
        """Facets of the texts that pass the filters; a facet being filtered on is counted
        without its own filter, so that its other values still show what they would add."""
        own = [f for f in FACETS if filters.include.get(f)]
        result = self._aggregate(searcher, self._combine(None, filters, ("text",)), [f for f in FACETS if f not in own])
        for facet in own:
            result.update(self._aggregate(searcher, self._combine(None, filters, ("text",), skip=facet), [facet]))
        return result

    def _text_facets(self, searcher, tids: list[int], filters: Filters, rerun) -> dict:
        """Facets of the texts among a result set (authors counted in ``kind``); with
        ``rerun(facet)``, a filtered facet is counted over the results without its filter."""
        def over(ids: list[int], facets: list[str]) -> dict:
            texts = [t for t in ids if not is_author(t)]
            if not texts:
                return {f: [] for f in facets}
            q = Query.boolean_query([self._doctype("text"),
                                     (Occur.Must, Query.term_set_query(self.schema, "tid", texts))])
            return self._aggregate(searcher, q, facets)

        own = [f for f in FACETS if filters.include.get(f)] if rerun else []
        result = over(tids, [f for f in FACETS if f not in own])
        for facet in own:
            result.update(over(rerun(facet), [facet]))
        authors = sum(1 for t in tids if is_author(t))
        if authors:
            result["kind"] = sorted(result.get("kind", []) + [("author", authors)], key=lambda kv: (-kv[1], kv[0]))
        return result

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
                for doc in self._text_docs(text):
                    writer.add_document(doc)
        if vectors:
            self.add_vectors(vectors)

    def _text_docs(self, t: TextDocument) -> Iterable[tantivy.Document]:
        facets = t.facet_values()
        stem = analysis.stemmer_for(t.language)
        title = " ".join([t.title, t.work_title] + [name for _slug, name in t.authors])

        def base(doctype: str) -> tantivy.Document:
            doc = tantivy.Document()
            doc.add_text("doctype", doctype)
            doc.add_text("key", t.key)
            doc.add_unsigned("tid", key_number(t.key))
            for facet, values in facets.items():
                for value in values:
                    doc.add_text(facet, value)
            if t.year is not None:
                doc.add_integer("year", t.year)
            doc.add_text("sort_title", t.sort_title)
            return doc

        first = t.passages[0] if t.passages else None
        meta = {"key": t.key, "entity": t.entity, "work_slug": t.work_slug, "translation_key": t.translation_key,
                "title": t.title, "work_title": t.work_title, "authors": t.authors, "language": t.language,
                "original_language": t.original_language, "form": t.form, "year": t.year,
                "sort_title": t.sort_title, "revision": t.revision_id, "passages": len(t.passages),
                "fingerprint": t.fingerprint, "incipit": first.lines if first else [],
                "incipit_keys": first.line_keys if first else []}
        doc = base("text")
        doc.add_unsigned("uid", 0)
        doc.add_text("title", title)
        doc.add_bytes("meta", json.dumps(meta).encode())
        yield doc
        for p in t.passages:
            doc = base("passage")
            doc.add_unsigned("uid", p.uid)
            doc.add_text("text", p.text)
            if stem:
                doc.add_text(analysis.stem_field(stem), p.text)
            doc.add_bytes("meta", json.dumps({"keys": p.line_keys}).encode())
            yield doc

    def replace_authors(self, authors: Sequence[AuthorDocument], delete: Iterable[str] = ()) -> None:
        with self._writer() as writer:
            for key in delete:
                writer.delete_documents_by_term("key", key)
            for a in authors:
                writer.delete_documents_by_term("key", a.key)
                doc = tantivy.Document()
                doc.add_text("doctype", "author")
                doc.add_text("key", a.key)
                doc.add_unsigned("tid", key_number(a.key))
                doc.add_text("kind", "author")
                doc.add_unsigned("uid", 0)
                doc.add_text("text", "\n".join([a.name, *a.names, a.biography]))
                doc.add_text("sort_title", a.name.lower())
                doc.add_bytes("meta", json.dumps({"slug": a.slug, "name": a.name, "names": a.names, "born": a.born,
                                                  "fingerprint": a.fingerprint}).encode())
                writer.add_document(doc)

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


def key_number(key: str) -> int:
    """``w:12`` -> 48, ``t:12`` -> 49, ``a:12`` -> 50: one number per text or author."""
    kind, _, ident = key.partition(":")
    return int(ident) * 4 + {"w": 0, "t": 1, "a": 2}[kind]


def number_key(number: int) -> str:
    return f"{'wta'[number % 4]}:{number // 4}"


def is_author(number: int) -> bool:
    return number % 4 == 2


def add_titles(ranked: list[dict], titles: dict[int, float], *, new: bool = True) -> list[dict]:
    """Add ``TITLE_BOOST`` times each title score to the texts in ``ranked`` (groups from
    ``_collapse``), and, when ``new``, the texts found by title alone; best first."""
    if not titles:
        return ranked
    groups = {g["tid"]: g for g in ranked}
    for tid, score in titles.items():
        group = groups.get(tid)
        if group is None:
            if not new:
                continue
            group = {"key": number_key(tid), "tid": tid, "score": 0.0, "addr": None, "doc": None, "more": 0}
            ranked.append(group)
        group["score"] += TITLE_BOOST * score
    ranked.sort(key=lambda g: -g["score"])
    return ranked


def fuse(keyword: dict[int, float], semantic: dict[int, float], alpha: float) -> list[tuple[int, float]]:
    """Relative score fusion (as Weaviate's hybrid): min-max scale each list to [0, 1],
    then ``(1 - alpha) * keyword + alpha * semantic``; best first."""
    def scaled(scores: dict[int, float]) -> dict[int, float]:
        if not scores:
            return {}
        lo, hi = min(scores.values()), max(scores.values())
        if hi - lo < 1e-9:
            return {k: 1.0 for k in scores}
        return {k: (v - lo) / (hi - lo) for k, v in scores.items()}

    kw, sem = scaled(keyword), scaled(semantic)
    if alpha <= 0:
        sem = {}
    if alpha >= 1:
        kw = {}
    uids = set(kw) | set(sem)
    fused = {u: (1 - alpha) * kw.get(u, 0.0) + alpha * sem.get(u, 0.0) for u in uids}
    return sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))
