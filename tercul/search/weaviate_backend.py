"""Weaviate (weaviate-client 4) behind the same :class:`SearchBackend` interface.

Three collections: ``<prefix>Passage`` (searched; our own vectors, no vectorizer),
``<prefix>Text`` (one per text: facets, what a hit shows, fingerprints) and
``<prefix>Author``. Object ids are UUIDv5 of the keys, so writing twice is harmless.

Mapping of the interface:

- keyword: ``bm25`` over ``text`` and ``title``; semantic: ``near_vector``; hybrid:
  ``hybrid`` with ``alpha`` and relative-score fusion (the same fusion the tantivy
  backend uses, so one ``alpha`` means the same in both);
- filters: OR within a facet (``contains_any``), AND across facets (``all_of``),
  exclusions with ``contains_none``, years with range operators
  (:func:`build_filter`, unit-tested without a server);
- facets: counted over the best :data:`FACET_CANDIDATES` passages of the result set,
  as texts (Weaviate's aggregate counts objects, not distinct texts).
"""
from __future__ import annotations

import json
import warnings
from collections import OrderedDict
from typing import Iterable, Sequence
from urllib.parse import parse_qs, urlparse

from .interface import (FACETS, AuthorDocument, AuthorHit, Filters, IndexedState, PassageHit, SearchBackend,
                        SearchRequest, SearchResults, TextDocument, passage_uid)

with warnings.catch_warnings():
    # weaviate-client imports authlib's httpx integration, which announces a rename of its
    # own and sets its warning to "always" when imported: import it first, then ignore
    try:
        import authlib.deprecate  # noqa: F401
    except ImportError:
        pass
    warnings.simplefilter("ignore", DeprecationWarning)
    import weaviate  # noqa: F401
    import weaviate.classes.aggregate  # noqa: F401
    import weaviate.classes.config  # noqa: F401
    import weaviate.classes.query  # noqa: F401

ARRAY_FACETS = {"author", "genre", "tag", "available", "feature"}
FACET_CANDIDATES = 500
MAX_COLLECT = 2000


def build_filter(filters: Filters, skip: str | None = None, *, doctype_kind: bool = True):
    """Weaviate filter for our filters (None when there is nothing to filter on)."""
    from weaviate.classes.query import Filter

    parts = []
    for facet, values in filters.include.items():
        if values and facet != skip and facet in FACETS:
            parts.append(Filter.by_property(facet).contains_any(list(values)))
    for facet, values in filters.exclude.items():
        if values and facet in FACETS:
            parts.append(Filter.by_property(facet).contains_none(list(values)))
    if filters.year_from is not None:
        parts.append(Filter.by_property("year").greater_or_equal(filters.year_from))
    if filters.year_to is not None:
        parts.append(Filter.by_property("year").less_or_equal(filters.year_to))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Filter.all_of(parts)


def keyword_text(request: SearchRequest) -> str:
    """The BM25 query string: words and phrase words (Weaviate's BM25 has no operators)."""
    return " ".join(request.query.positive_words)


def exclusion_filter(request: SearchRequest):
    from weaviate.classes.query import Filter

    if not request.query.excluded:
        return None
    return Filter.by_property("text").contains_none([w.lower() for w in request.query.excluded])


def and_filters(*filters):
    from weaviate.classes.query import Filter

    present = [f for f in filters if f is not None]
    if not present:
        return None
    return present[0] if len(present) == 1 else Filter.all_of(present)


def parse_url(url: str) -> dict:
    """``http://host:8080?grpc=50051`` -> connection parameters."""
    parsed = urlparse(url)
    secure = parsed.scheme == "https"
    grpc = parse_qs(parsed.query).get("grpc", ["50051"])[0]
    return {"http_host": parsed.hostname or "localhost", "http_port": parsed.port or (443 if secure else 8080),
            "http_secure": secure, "grpc_host": parsed.hostname or "localhost", "grpc_port": int(grpc),
            "grpc_secure": secure}


class WeaviateBackend(SearchBackend):
    name = "weaviate"

    def __init__(self, url: str, prefix: str = "Tercul"):
        self.url = url
        self.prefix = prefix
        self._client = None

    # ------------------------------------------------------------------ plumbing

    @property
    def client(self):
        if self._client is None:
            import weaviate

            self._client = weaviate.connect_to_custom(**parse_url(self.url), skip_init_checks=False)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def _col(self, kind: str):
        return self.client.collections.get(f"{self.prefix}{kind}")

    def ensure_schema(self) -> None:
        from weaviate.classes.config import Configure, DataType, Property, Tokenization

        def field(name, array=False):
            return Property(name=name, data_type=DataType.TEXT_ARRAY if array else DataType.TEXT,
                            tokenization=Tokenization.FIELD, index_searchable=False)

        facets = [field(f, f in ARRAY_FACETS) for f in FACETS]
        common = [field("key"), Property(name="year", data_type=DataType.INT),
                  Property(name="sort_title", data_type=DataType.TEXT, tokenization=Tokenization.FIELD)]
        wanted = {
            "Passage": [Property(name="uid", data_type=DataType.INT),
                        Property(name="text", data_type=DataType.TEXT, tokenization=Tokenization.WORD),
                        Property(name="title", data_type=DataType.TEXT, tokenization=Tokenization.WORD),
                        Property(name="line_keys", data_type=DataType.TEXT_ARRAY, index_filterable=False,
                                 index_searchable=False)] + common + facets,
            "Text": [Property(name="meta", data_type=DataType.TEXT, index_filterable=False,
                              index_searchable=False)] + common + facets,
            "Author": [field("key"), Property(name="text", data_type=DataType.TEXT, tokenization=Tokenization.WORD),
                       Property(name="meta", data_type=DataType.TEXT, index_filterable=False,
                                index_searchable=False)],
        }
        for kind, properties in wanted.items():
            name = f"{self.prefix}{kind}"
            if not self.client.collections.exists(name):
                self.client.collections.create(name, properties=properties,
                                               vector_config=Configure.Vectors.self_provided())
                continue
            # a collection made by an older version gains the properties added since (e.g. ``feature``)
            collection = self.client.collections.get(name)
            have = {p.name for p in collection.config.get().properties}
            for prop in properties:
                if prop.name not in have:
                    collection.config.add_property(prop)

    # ------------------------------------------------------------------ writing

    @staticmethod
    def _uuid(value) -> str:
        from weaviate.util import generate_uuid5

        return str(generate_uuid5(str(value)))

    def _delete_keys(self, keys: list[str]) -> None:
        from weaviate.classes.query import Filter

        if not keys:
            return
        for kind in ("Passage", "Text", "Author"):
            self._col(kind).data.delete_many(where=Filter.by_property("key").contains_any(keys))

    def replace_texts(self, texts: Sequence[TextDocument], vectors: dict | None = None,
                      delete: Iterable[str] = ()) -> None:
        self.ensure_schema()
        self._delete_keys(list(delete) + [t.key for t in texts])
        vectors = vectors or {}
        with self._col("Text").batch.dynamic() as batch:
            for t in texts:
                batch.add_object(properties=text_properties(t), uuid=self._uuid(t.key))
        with self._col("Passage").batch.dynamic() as batch:
            for t in texts:
                for p in t.passages:
                    vector = vectors.get(p.uid)
                    batch.add_object(properties=passage_properties(t, p), uuid=self._uuid(p.uid),
                                     vector=list(map(float, vector)) if vector is not None else None)

    def replace_authors(self, authors: Sequence[AuthorDocument], delete: Iterable[str] = ()) -> None:
        self.ensure_schema()
        self._delete_keys(list(delete) + [a.key for a in authors])
        with self._col("Author").batch.dynamic() as batch:
            for a in authors:
                batch.add_object(properties={
                    "key": a.key, "text": "\n".join([a.name, *a.names, a.biography]),
                    "meta": json.dumps({"slug": a.slug, "name": a.name, "names": a.names, "born": a.born,
                                        "fingerprint": a.fingerprint})}, uuid=self._uuid(a.key))

    def add_vectors(self, vectors: dict) -> None:
        col = self._col("Passage")
        for uid, vector in vectors.items():
            col.data.update(uuid=self._uuid(uid), vector=list(map(float, vector)))

    def missing_vectors(self, uids: Iterable[int]) -> set[int]:
        col = self._col("Passage")
        missing = set()
        for uid in uids:
            obj = col.query.fetch_object_by_id(self._uuid(uid), include_vector=True)
            if obj is None or not obj.vector:
                missing.add(uid)
        return missing

    def clear(self, keep_vectors: bool = False) -> None:
        # Weaviate keeps vectors on the objects: a rebuild there starts empty
        for kind in ("Passage", "Text", "Author"):
            name = f"{self.prefix}{kind}"
            if self.client.collections.exists(name):
                self.client.collections.delete(name)
        self.ensure_schema()

    def generation(self) -> str:
        # Weaviate has no cheap change counter; cached searches expire with the cache
        return "weaviate"

    def state(self) -> IndexedState:
        texts, authors, passages, vectors = {}, {}, {}, set()
        for obj in self._col("Text").iterator():
            meta = json.loads(obj.properties["meta"])
            texts[meta["key"]] = meta["fingerprint"]
            passages[meta["key"]] = [passage_uid(meta["revision"], n) for n in range(meta["passages"])]
        for obj in self._col("Author").iterator():
            meta = json.loads(obj.properties["meta"])
            authors[obj.properties["key"]] = meta["fingerprint"]
        for obj in self._col("Passage").iterator(include_vector=True):
            if obj.vector:
                vectors.add(int(obj.properties["uid"]))
        return IndexedState(texts=texts, authors=authors, passages=passages, vectors=vectors)

    # ------------------------------------------------------------------ searching

    def search(self, request: SearchRequest) -> SearchResults:
        import time

        from weaviate.classes.query import HybridFusion, MetadataQuery, Sort

        started = time.perf_counter()
        where = build_filter(request.filters)
        want = request.offset + request.limit
        if request.query.is_empty:
            col = self._col("Text")
            sort = Sort.by_property("year" if request.sort == "date" else "sort_title")
            found = col.query.fetch_objects(filters=where, limit=request.limit, offset=request.offset, sort=sort)
            total = col.aggregate.over_all(filters=where, total_count=True).total_count or 0
            hits = [self._hit(json.loads(o.properties["meta"]), 0.0, None) for o in found.objects]
            facets = self._browse_facets(where) if request.facets else {}
            return SearchResults(hits=hits, total=total, facets=facets,
                                 took_ms=(time.perf_counter() - started) * 1000)
        col = self._col("Passage")
        where = and_filters(where, exclusion_filter(request))
        limit = min(MAX_COLLECT, max(FACET_CANDIDATES, want * 4))
        meta = MetadataQuery(score=True, distance=True)
        if request.mode == "semantic":
            found = col.query.near_vector(near_vector=list(map(float, request.query_vector)), filters=where,
                                          limit=limit, return_metadata=meta)
        elif request.mode == "hybrid":
            found = col.query.hybrid(query=keyword_text(request), vector=list(map(float, request.query_vector)),
                                     alpha=request.alpha, fusion_type=HybridFusion.RELATIVE_SCORE,
                                     query_properties=["text", "title^0.4"], filters=where, limit=limit,
                                     return_metadata=meta)
        else:
            found = col.query.bm25(query=keyword_text(request), query_properties=["text", "title^0.4"],
                                   filters=where, limit=limit, return_metadata=meta)
        objects = found.objects
        ranked = collapse(objects, lambda o: (o.metadata.score if o.metadata.score is not None
                                              else 1 - (o.metadata.distance or 0)))
        page = ranked[request.offset:want]
        metas = self._text_meta([g["key"] for g in page])
        hits: list[PassageHit | AuthorHit] = []
        for g in page:
            m = metas.get(g["key"])
            if m is None:
                continue
            hit = self._hit(m, g["score"], g["object"])
            hit.more = g["more"]
            hits.append(hit)
        facets = count_facets([o.properties for o in objects[:FACET_CANDIDATES]]) if request.facets else {}
        return SearchResults(hits=hits, total=len(ranked), facets=facets,
                             took_ms=(time.perf_counter() - started) * 1000)

    def _text_meta(self, keys: list[str]) -> dict[str, dict]:
        from weaviate.classes.query import Filter

        if not keys:
            return {}
        found = self._col("Text").query.fetch_objects(filters=Filter.by_property("key").contains_any(keys),
                                                      limit=len(keys))
        return {o.properties["key"]: json.loads(o.properties["meta"]) for o in found.objects}

    @staticmethod
    def _hit(meta: dict, score: float, obj) -> PassageHit:
        keys = list(obj.properties.get("line_keys") or []) if obj is not None else meta.get("incipit_keys", [])
        lines = obj.properties["text"].split("\n") if obj is not None else meta.get("incipit", [])
        return PassageHit(
            text_key=meta["key"], entity=meta["entity"], work_slug=meta["work_slug"],
            translation_key=meta["translation_key"], title=meta["title"], work_title=meta["work_title"],
            authors=[tuple(a) for a in meta["authors"]], language=meta["language"],
            original_language=meta["original_language"], form=meta["form"], year=meta["year"], score=score,
            line_keys=keys, lines=lines)

    def _browse_facets(self, where) -> dict[str, list[tuple[str, int]]]:
        from weaviate.classes.aggregate import GroupByAggregate

        out = {}
        col = self._col("Text")
        for facet in FACETS:
            res = col.aggregate.over_all(filters=where, group_by=GroupByAggregate(prop=facet, limit=40),
                                         total_count=True)
            out[facet] = sorted(((str(g.grouped_by.value), g.total_count or 0) for g in res.groups),
                                key=lambda kv: (-kv[1], kv[0]))
        return out


def text_properties(t: TextDocument) -> dict:
    first = t.passages[0] if t.passages else None
    meta = {"key": t.key, "entity": t.entity, "work_slug": t.work_slug, "translation_key": t.translation_key,
            "title": t.title, "work_title": t.work_title, "authors": t.authors, "language": t.language,
            "original_language": t.original_language, "form": t.form, "year": t.year, "sort_title": t.sort_title,
            "revision": t.revision_id, "passages": len(t.passages), "fingerprint": t.fingerprint,
            "incipit": first.lines if first else [], "incipit_keys": first.line_keys if first else []}
    return {"key": t.key, "year": t.year, "sort_title": t.sort_title, "meta": json.dumps(meta),
            **_facet_properties(t)}


def passage_properties(t: TextDocument, p) -> dict:
    return {"uid": p.uid, "key": t.key, "text": p.text, "line_keys": p.line_keys, "year": t.year,
            "sort_title": t.sort_title,
            "title": " ".join([t.title, t.work_title] + [name for _slug, name in t.authors]),
            **_facet_properties(t)}


def _facet_properties(t: TextDocument) -> dict:
    values = t.facet_values()
    return {f: (values[f] if f in ARRAY_FACETS else (values[f][0] if values[f] else None)) for f in FACETS}


def collapse(objects, score_of) -> list[dict]:
    """Best passage per text, in rank order, counting the others."""
    groups: OrderedDict[str, dict] = OrderedDict()
    for obj in objects:
        key = obj.properties["key"]
        if key in groups:
            groups[key]["more"] += 1
        else:
            groups[key] = {"key": key, "score": float(score_of(obj) or 0.0), "object": obj, "more": 0}
    return list(groups.values())


def count_facets(rows: list[dict]) -> dict[str, list[tuple[str, int]]]:
    """Distinct texts per facet value among candidate passages (property dicts)."""
    seen: dict[str, dict[str, set]] = {f: {} for f in FACETS}
    for row in rows:
        for facet in FACETS:
            values = row.get(facet)
            if values is None:
                continue
            for value in values if isinstance(values, list) else [values]:
                seen[facet].setdefault(value, set()).add(row["key"])
    return {f: sorted(((v, len(keys)) for v, keys in seen[f].items()), key=lambda kv: (-kv[1], kv[0]))
            for f in FACETS}


__all__ = ["WeaviateBackend", "build_filter", "count_facets", "collapse", "keyword_text", "parse_url"]
