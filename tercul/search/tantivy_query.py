"""Query building for the embedded engine: words (BM25, with the common words made
optional), phrases, -words, filters and document types, as tantivy queries.

A mixin of :class:`tercul.search.tantivy_backend.TantivyBackend`, which holds the index,
its schema and the common-word threshold (``_common_count``)."""
from __future__ import annotations

from typing import Sequence

import tantivy
from tantivy import Occur, Query

from . import analysis, spelling
from .interface import FACETS, Filters, SearchRequest

DOC_FREQS_KEPT = 200_000
SEEK_COST = 2  # a skip-list seek, in steps of walking a posting list (measured: bench/RESULTS.md, "Search")


class QueryBuilding:
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
        :data:`~tercul.search.tantivy_backend.COMMON_SHARE` of the documents (``the``, ``to``, ``love``) only adds to the
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

    def _corrections(self, searcher, words: Sequence[str]) -> dict[str, str]:
        """Query words no passage has -> the known word one edit away that most passages
        have (see :mod:`tercul.search.spelling`)."""
        out: dict[str, str] = {}
        for word in dict.fromkeys(words):
            folded = analysis.term(word)
            if folded and not self._word_terms(searcher, word):
                fixed = spelling.correction(folded, lambda t: self._doc_freq(searcher, "text", t))
                if fixed:
                    out[word] = fixed
        return out

    def _fuzzy_clauses(self, searcher, words: Sequence[str]) -> list[tuple]:
        """Fuzzy terms (two edits) for the long query words no passage has."""
        clauses = []
        for word in dict.fromkeys(words):
            folded = analysis.term(word)
            if folded and spelling.wants_fuzzy(folded) and not self._word_terms(searcher, word):
                clauses.append((Occur.Should, Query.fuzzy_term_query(
                    self.schema, "text", folded, distance=spelling.FUZZY_DISTANCE, transposition_cost_one=True)))
        return clauses

    def _per_word(self, searcher, words: Sequence[str]) -> list[tuple[int, list[tuple[str, str, int]]]]:
        """(documents, terms) for each distinct word that some document has: its terms (see
        :meth:`_word_terms`) and the documents of the commonest of them."""
        return [(max(n for _f, _t, n in terms), terms)
                for word in dict.fromkeys(words) if (terms := self._word_terms(searcher, word))]

    def _every_word_common(self, searcher, words: Sequence[str]) -> bool:
        """True for two or more words, each in more than :data:`~tercul.search.tantivy_backend.COMMON_SHARE` of the documents."""
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
        fuzzy = self._fuzzy_clauses(searcher, q.terms) if q.terms else []
        if fuzzy:  # a passage has a known word of the query, or one near an unknown one
            words = Query.boolean_query(([(Occur.Should, words)] if words is not None else []) + fuzzy)
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
