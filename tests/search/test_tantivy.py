"""The embedded backend: keyword, semantic and hybrid search, filters, facets, paging."""
import pytest

from tercul.search.embedding import embed_query
from tercul.search.interface import AuthorHit, Filters, PassageHit, SearchRequest
from tercul.search.query import parse_query
from tercul.search.tantivy_backend import fuse


def run(backend, q, mode="keyword", **kw):
    query = parse_query(q)
    vector = embed_query(q) if mode != "keyword" and q else None
    return backend.search(SearchRequest(query=query, mode=mode, query_vector=vector, **kw))


def keys(results):
    return [h.text_key if isinstance(h, PassageHit) else h.slug for h in results.hits]


def test_a_line_finds_its_poem_and_points_at_the_line(indexed, backend):
    results = run(backend, "season of mists and mellow fruitfulness")
    top = results.hits[0]
    assert top.work_slug == "to-autumn" and top.translation_key is None
    assert top.line_keys[0] == "1.1" and "mellow" in top.lines[0]


def test_diacritics_and_stems(indexed, backend):
    assert run(backend, "uber gipfeln").hits[0].work_slug == "wanderers-nightsong"  # Über, folded
    assert run(backend, "Gipfel").hits[0].work_slug == "wanderers-nightsong"  # German stem of Gipfeln
    assert run(backend, "fecondite").hits[0].translation_key == "fr"


def test_a_title_finds_its_text_with_its_first_lines(indexed, backend):
    # "Nachtlied" is only in the title: the poem is found by it and shows its opening
    results = run(backend, "Nachtlied")
    assert keys(results)[:1] == [f"w:{indexed['night'].id}"]
    assert results.hits[0].line_keys[0] == "1.1" and results.hits[0].lines[0] == "Über allen Gipfeln"
    # a title raises its text above others with the same words in their lines
    both = run(backend, "waves sea")
    assert both.hits[0].work_slug == "the-waves"
    # a quoted phrase must occur in the text: a title alone does not add a text
    assert run(backend, '"wandrers nachtlied"').hits == []
    # within the filters only
    assert run(backend, "Nachtlied", filters=Filters(include={"language": ["en"]})).hits == []


def test_common_words_only_raise_passages_that_rarer_words_found(indexed, backend, monkeypatch):
    from tercul.search import tantivy_backend

    assert "to-autumn" in {h.work_slug for h in run(backend, "indistinguishable sun").hits}  # a plain OR
    waves = {h.work_slug: h for h in run(backend, "the sun").hits}["the-waves"]
    assert waves.more == 1  # both of its passages have "the"
    monkeypatch.setattr(tantivy_backend, "COMMON_MIN_DOCS", 1)  # a word in 2 documents is common here
    monkeypatch.setattr(tantivy_backend, "COMMON_SHARE", 0.0)
    found = run(backend, "indistinguishable sun")
    assert [h.work_slug for h in found.hits] == ["the-waves"]
    alone = run(backend, "indistinguishable")
    assert found.hits[0].score > alone.hits[0].score  # "sun" still counts where it occurs
    # every word common: the least common one ("sun", in 2 passages; "the" is in 3) is required
    waves = {h.work_slug: h for h in run(backend, "the sun").hits}["the-waves"]
    assert waves.more == 0 and waves.line_keys == ["1.1"]


def test_hybrid_keyword_half_requires_every_word_when_all_are_common(indexed, backend, monkeypatch):
    from tercul.search import tantivy_backend

    monkeypatch.setattr(tantivy_backend, "COMMON_MIN_DOCS", 1)  # a word in 2 documents is common here
    monkeypatch.setattr(tantivy_backend, "COMMON_SHARE", 0.0)
    searcher = backend._searcher()
    request = SearchRequest(query=parse_query("the sea sun"), mode="hybrid")

    def passages(every_common):
        query = backend._text_query(request, searcher, every_common=every_common)
        return len(searcher.search(query, limit=50, count=False).hits)

    assert passages(False) == 2  # the least common word ("sea", in both passages of The Waves) is required
    assert passages(True) == 1  # every word: the first passage of The Waves only


def test_common_words_only_first_find_passages_with_every_word(indexed, backend, monkeypatch):
    from tercul.search import tantivy_backend

    monkeypatch.setattr(tantivy_backend, "COMMON_MIN_DOCS", 1)  # every word of the query is common here
    monkeypatch.setattr(tantivy_backend, "COMMON_SHARE", 0.0)
    # a page of one: filled by the passage that has all three words
    first = run(backend, "the sea sun", limit=1)
    assert first.hits[0].work_slug == "the-waves" and first.hits[0].more == 0
    # a page that the passages with every word cannot fill: the least common word is required instead
    wider = run(backend, "the sea sun", limit=5)
    assert {h.work_slug: h.more for h in wider.hits}["the-waves"] == 1


def test_authors_are_found_too(indexed, backend):
    results = run(backend, "Goethe")
    assert any(isinstance(h, AuthorHit) and h.slug == "goethe" for h in results.hits)


def test_phrases_and_exclusions(indexed, backend):
    assert keys(run(backend, '"the sea was"')) == [keys(run(backend, "indistinguishable"))[0]]
    with_sun = {h.text_key for h in run(backend, "sun").hits}
    without = {h.text_key for h in run(backend, "sun -sky").hits}
    assert without < with_sun


def test_filters_and_or_not_with_counts(indexed, backend):
    both = run(backend, "", filters=Filters(include={"language": ["de", "fr"]}))
    assert both.total == 3  # the German and French translations of To Autumn, and Goethe
    assert dict(both.facets["language"]) == {"de": 2, "en": 2, "fr": 1}  # own facet counted without itself
    poetry_de = run(backend, "", filters=Filters(include={"language": ["de"], "form": ["poetry"]}))
    assert poetry_de.total == 2
    not_de = run(backend, "", filters=Filters(exclude={"language": ["de"]}))
    assert "de" not in dict(not_de.facets["language"]) and not_de.total == 3
    years = run(backend, "", filters=Filters(year_from=1800, year_to=1900))
    assert {h.work_slug for h in years.hits} == {"to-autumn"}
    available = run(backend, "", filters=Filters(include={"available": ["fr"]}))
    assert {h.work_slug for h in available.hits} == {"to-autumn"} and available.total == 3


def test_keyword_facets_count_texts_of_the_result_set(indexed, backend):
    results = run(backend, "sun")
    assert dict(results.facets["kind"]) == {"work": 2} and results.total == 2
    assert sum(n for _, n in results.facets["form"]) == results.total


def test_paging_and_sorting(indexed, backend):
    first = run(backend, "", limit=2, sort="title")
    second = run(backend, "", limit=2, offset=2, sort="title")
    assert first.total == second.total == 5
    assert not set(keys(first)) & set(keys(second))
    by_date = run(backend, "", sort="date", limit=10)
    years = [h.year for h in by_date.hits]
    assert years == sorted(years)


def test_semantic_search_crosses_languages(indexed, backend):
    results = run(backend, "Where have the songs of spring gone?", mode="semantic",
                  filters=Filters(include={"language": ["de", "fr"]}))
    assert {h.translation_key for h in results.hits[:2]} == {"de", "fr"}
    assert all(h.line_keys[0] == "2.1" for h in results.hits[:2])


def test_hybrid_uses_alpha(indexed, backend):
    keyword_like = run(backend, "music", mode="hybrid", alpha=0.0)
    assert {h.language for h in keyword_like.hits} == {"en"}  # only the English text has the word
    semantic_like = run(backend, "music", mode="hybrid", alpha=1.0)
    assert len({h.language for h in semantic_like.hits}) > 1


def test_fuse_scales_each_list():
    fused = dict(fuse({1: 10.0, 2: 5.0}, {2: 0.9, 3: 0.1}, 0.5))
    assert fused[2] == pytest.approx(0.5 * 0 + 0.5 * 1.0)
    assert fused[1] == pytest.approx(0.5) and fused[3] == pytest.approx(0.0)
    assert list(dict(fuse({1: 1.0}, {2: 1.0}, 0.0))) == [1]


def test_semantic_results_sort_by_date_and_title(indexed, backend):
    by_date = run(backend, "songs and music", mode="semantic", sort="date")
    years = [h.year for h in by_date.hits]
    assert years == sorted(years) and len(years) >= 3
    by_title = run(backend, "songs and music", mode="hybrid", sort="title")
    assert len(by_title.hits) >= 3
