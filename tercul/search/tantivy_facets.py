"""Facet counts for the embedded engine: per facet, the texts of a result set (or of a
browse) that have each value. A mixin of :class:`tercul.search.tantivy_backend.TantivyBackend`."""
from __future__ import annotations

from typing import Iterable

from tantivy import Occur, Query

from .interface import FACETS, Filters, SearchRequest
from .tantivy_schema import is_author

FACET_SIZE = 25  # values shown per facet (and every selected one)


class FacetCounting:
    def _candidate_facets(self, searcher, request: SearchRequest, ranked: list[dict]) -> dict:
        if not request.facets or not ranked:
            return {}
        return self._text_facets(searcher, [g["tid"] for g in ranked], request.filters, None)

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
