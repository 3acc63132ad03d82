"""The embedded engine: a tantivy index on disk, with the vector store beside it.

Layout under ``SEARCH_INDEX_PATH``: ``keyword/`` (tantivy) and ``vectors/``
(:mod:`tercul.search.vectors`). Three kinds of documents share the keyword index:
``passage`` (searched), ``text`` (one per text: facets for browsing, what was
indexed, for verification, and what a hit shows) and ``author``.

Writers (the workers, or the in-process relay) take a file lock, so several processes
can share one index folder; readers reload when tantivy's ``meta.json`` changes.
"""
from __future__ import annotations

import fcntl
import json
import math
import threading
import time
from collections import OrderedDict
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

SCHEMA_VERSION = 1
KEYWORD_CANDIDATES = 200  # keyword hits considered for hybrid fusion
SEMANTIC_CANDIDATES = 200
MAX_COLLECT = 2000  # passages collected to fill a page of texts
FACET_SIZE = 40
TITLE_BOOST = 0.4
AUTHOR_BOOST = 1.5


def build_schema() -> tantivy.Schema:
    b = tantivy.SchemaBuilder()
    b.add_text_field("doctype", stored=True, fast=True, tokenizer_name="raw")
    b.add_text_field("key", stored=True, fast=True, tokenizer_name="raw")
    b.add_unsigned_field("uid", stored=True, indexed=True, fast=True)
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
        self._bulk_writer = None
        self._stems = [analysis.stem_field(s) for s in analysis.all_stemmers()]

    def _check_version(self) -> None:
        marker = self.path / "schema-version"
        if marker.exists() and marker.read_text().strip() != str(SCHEMA_VERSION):
            # an index from an older schema cannot be read: start afresh (reindex fills it)
            import shutil

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
        return self.index.searcher()

    def generation(self) -> str:
        try:
            st = (self.keyword_path / "meta.json").stat()
            keyword = f"{st.st_mtime_ns}-{st.st_size}"
        except FileNotFoundError:
            keyword = "0"
        return f"{keyword}-{self.vectors.generation()}"

    # query building ------------------------------------------------------

    def _word_query(self, word: str) -> Query | None:
        folded = analysis.term(word)
        if not folded:
            return None
        parts = [(Occur.Should, Query.term_query(self.schema, "text", folded)),
                 (Occur.Should, Query.boost_query(Query.term_query(self.schema, "title", folded), TITLE_BOOST))]
        for stemmer, field in zip(analysis.all_stemmers(), self._stems):
            stem = analysis.term(word, stemmer)
            if stem:
                parts.append((Occur.Should, Query.term_query(self.schema, field, stem)))
        return Query.boolean_query(parts)

    def _text_query(self, request: SearchRequest) -> Query | None:
        """The words and phrases of the query (None when there is nothing to match)."""
        q = request.query
        words = [wq for w in dict.fromkeys(q.terms) if (wq := self._word_query(w)) is not None]
        phrases = []
        for phrase in q.phrases:
            tokens = [t for w in phrase if (t := analysis.term(w))]
            if len(tokens) > 1:
                phrases.append(Query.phrase_query(self.schema, "text", tokens))
            elif tokens:
                phrases.append(Query.term_query(self.schema, "text", tokens[0]))
        if not words and not phrases:
            return None
        clauses = [(Occur.Must, p) for p in phrases]
        if words:
            n = len(words)
            needed = 1 if n <= 2 else math.ceil(n / 2)
            if phrases:
                clauses.append((Occur.Should, Query.boolean_query([(Occur.Should, w) for w in words])))
            else:
                clauses.append((Occur.Must, Query.boolean_query([(Occur.Should, w) for w in words],
                                                                minimum_number_should_match=needed)))
        for word in q.excluded:
            folded = analysis.term(word)
            if folded:
                clauses.append((Occur.MustNot, Query.term_query(self.schema, "text", folded)))
        return Query.boolean_query(clauses)

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

    def _combine(self, main: Query | None, filters: Filters, doctypes: tuple[str, ...],
                 skip: str | None = None) -> Query:
        clauses = [self._doctype(*doctypes)] + self._filter_clauses(filters, skip)
        if main is not None:
            clauses.append((Occur.Must, main))
        return Query.boolean_query(clauses)

    # search ---------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResults:
        started = time.perf_counter()
        with self._lock:
            searcher = self._searcher()
        text_query = self._text_query(request)
        if text_query is None and request.mode == "keyword" or request.query.is_empty:
            results = self._browse(searcher, request)
        elif request.mode == "semantic" or (request.mode == "hybrid" and text_query is None):
            results = self._semantic(searcher, request)
        elif request.mode == "hybrid":
            results = self._hybrid(searcher, request, text_query)
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
        facets = self._facets(searcher, None, request.filters, ("text",)) if request.facets else {}
        return SearchResults(hits=hits, total=found.count, facets=facets)

    def _keyword(self, searcher, request: SearchRequest, text_query: Query) -> SearchResults:
        doctypes = ("passage",) if request.filters else ("passage", "author")
        query = self._combine(text_query, request.filters, doctypes)
        want = request.offset + request.limit
        collect = min(MAX_COLLECT, want * 4 + 40)
        order = self._order(request)
        while True:
            found = searcher.search(query, limit=collect, count=False, **order)
            ranked = self._collapse(searcher, [(score, addr) for score, addr in found.hits])
            if len(ranked) >= want or len(found.hits) < collect or collect >= MAX_COLLECT:
                break
            collect = min(MAX_COLLECT, collect * 4)
        total = searcher.cardinality(query, "key") if len(found.hits) >= collect else len(ranked)
        page = ranked[request.offset:want]
        hits = self._hits(searcher, page, request)
        facets = self._facets(searcher, text_query, request.filters, doctypes) if request.facets else {}
        return SearchResults(hits=hits, total=int(total), facets=facets)

    def _collapse(self, searcher, scored: list[tuple[float, object]]) -> list[dict]:
        """Best passage per text (or author), in order, counting the others."""
        groups: OrderedDict[str, dict] = OrderedDict()
        for score, addr in scored:
            doc = searcher.doc(addr)
            key = doc.get_first("key")
            group = groups.get(key)
            if group is None:
                groups[key] = {"key": key, "score": float(score), "doc": doc, "more": 0}
            else:
                group["more"] += 1
        return list(groups.values())

    def _semantic_candidates(self, searcher, request: SearchRequest, k: int) -> list[tuple[int, float]]:
        if request.query_vector is None:
            return []
        base = [self._doctype("passage")] + self._filter_clauses(request.filters)
        for word in request.query.excluded:
            if folded := analysis.term(word):
                base.append((Occur.MustNot, Query.term_query(self.schema, "text", folded)))

        def live(uids: list[int]) -> set[int]:
            if not uids:
                return set()
            q = Query.boolean_query(base + [(Occur.Must, Query.term_set_query(self.schema, "uid", uids))])
            found = searcher.search(q, limit=len(uids), count=False)
            return {int(u) for u in searcher.fast_field_values("uid", [a for _s, a in found.hits])}

        return self.vectors.search(np.asarray(request.query_vector, dtype=np.float32), k, live=live)

    def _by_uid(self, searcher, scored: list[tuple[int, float]]) -> list[dict]:
        if not scored:
            return []
        q = Query.term_set_query(self.schema, "uid", [u for u, _ in scored])
        found = searcher.search(q, limit=len(scored), count=False)
        docs = {}
        for _s, addr in found.hits:
            doc = searcher.doc(addr)
            docs[int(doc.get_first("uid"))] = doc
        groups: OrderedDict[str, dict] = OrderedDict()
        for uid, score in scored:
            doc = docs.get(uid)
            if doc is None:
                continue
            key = doc.get_first("key")
            if key in groups:
                groups[key]["more"] += 1
            else:
                groups[key] = {"key": key, "score": float(score), "doc": doc, "more": 0}
        return list(groups.values())

    def _candidate_facets(self, searcher, request: SearchRequest, uids: list[int]) -> dict:
        if not request.facets or not uids:
            return {}
        subset = Query.term_set_query(self.schema, "uid", uids)
        return self._facets(searcher, subset, request.filters, ("passage",))

    def _semantic(self, searcher, request: SearchRequest) -> SearchResults:
        want = request.offset + request.limit
        scored = self._semantic_candidates(searcher, request, max(SEMANTIC_CANDIDATES, want * 3))
        ranked = self._by_uid(searcher, scored)
        self._sort_ranked(ranked, request)
        hits = self._hits(searcher, ranked[request.offset:want], request)
        return SearchResults(hits=hits, total=len(ranked),
                             facets=self._candidate_facets(searcher, request, [u for u, _ in scored]))

    def _hybrid(self, searcher, request: SearchRequest, text_query: Query) -> SearchResults:
        """Relative score fusion: each list scaled to [0, 1], then (1 - alpha)·keyword + alpha·semantic."""
        alpha = min(1.0, max(0.0, request.alpha))
        query = self._combine(text_query, request.filters, ("passage",))
        found = searcher.search(query, limit=KEYWORD_CANDIDATES, count=False)
        keyword = {int(u): s for u, (s, _a) in zip(
            searcher.fast_field_values("uid", [a for _s, a in found.hits]), found.hits)}
        semantic = dict(self._semantic_candidates(searcher, request, SEMANTIC_CANDIDATES))
        if request.query_vector is not None and keyword:
            # keyword hits outside the semantic candidates still have a similarity
            missing = [u for u in keyword if u not in semantic]
            semantic.update(self.vectors.score(np.asarray(request.query_vector, dtype=np.float32), missing))
        fused = fuse(keyword, semantic, alpha)
        ranked = self._by_uid(searcher, fused)
        self._sort_ranked(ranked, request)
        want = request.offset + request.limit
        hits = self._hits(searcher, ranked[request.offset:want], request)
        return SearchResults(hits=hits, total=len(ranked),
                             facets=self._candidate_facets(searcher, request, [u for u, _ in fused]))

    def _sort_ranked(self, ranked: list[dict], request: SearchRequest) -> None:
        if request.sort in ("date", "title") and ranked:
            metas = self._text_meta(self._searcher(), [g["key"] for g in ranked if not g["key"].startswith("a:")])
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

    def _facets(self, searcher, main: Query | None, filters: Filters, doctypes: tuple[str, ...]) -> dict:
        """Texts per facet value among the results; a facet being filtered on is counted
        without its own filter, so that its other values still show what they would add."""
        def aggregate(query: Query, facets: Iterable[str]) -> dict[str, list[tuple[str, int]]]:
            spec = {f: {"terms": {"field": f, "size": FACET_SIZE},
                        "aggs": {"texts": {"cardinality": {"field": "key"}}}} for f in facets}
            raw = searcher.aggregate(query, spec)
            out = {}
            for f in facets:
                buckets = raw.get(f, {}).get("buckets", [])
                values = [(b["key"], int(round(b["texts"]["value"]))) for b in buckets]
                out[f] = sorted(values, key=lambda kv: (-kv[1], kv[0]))
            return out

        own = [f for f in FACETS if filters.include.get(f)]
        result = aggregate(self._combine(main, filters, doctypes), [f for f in FACETS if f not in own])
        for facet in own:
            result.update(aggregate(self._combine(main, filters, doctypes, skip=facet), [facet]))
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
        doc.add_bytes("meta", json.dumps(meta).encode())
        yield doc
        for p in t.passages:
            doc = base("passage")
            doc.add_unsigned("uid", p.uid)
            doc.add_text("text", p.text)
            doc.add_text("title", title)
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

    def clear(self) -> None:
        with self._writer() as writer:
            writer.delete_all_documents()
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
