"""Typos (issue 13): corrections from the index's vocabulary, fuzzy terms, "Did you mean"."""
from werkzeug.datastructures import MultiDict

from tercul.search import spelling
from tercul.search.interface import SearchRequest
from tercul.search.query import parse_query
from tercul.services import search as service


def test_one_edit_away_with_the_commonest_word():
    vocabulary = {"noble": 5, "nobler": 1, "suffer": 3, "mind": 9}
    freq = lambda term: vocabulary.get(term, 0)  # noqa: E731
    assert spelling.correction("nobel", freq) == "noble"  # two letters swapped
    assert spelling.correction("sufer", freq) == "suffer"  # a letter left out
    assert spelling.correction("minde", freq) == "mind"  # one too many
    assert spelling.correction("xyzzy", freq) is None
    assert spelling.correction("to", freq) is None  # too short to guess
    assert "abc" not in spelling.edits("abc") and "bac" in spelling.edits("abc")


def run(backend, q, mode="keyword"):
    return backend.search(SearchRequest(query=parse_query(q), mode=mode))


def test_misspelled_words_find_the_passage_and_say_what_was_meant(indexed, backend):
    results = run(backend, "seeson of mysts and melow")
    assert results.corrections == {"seeson": "season", "mysts": "mists", "melow": "mellow"}
    assert results.hits[0].work_slug == "to-autumn" and results.hits[0].line_keys[0] == "1.1"


def test_two_edits_away_is_found_fuzzily(indexed, backend):
    results = run(backend, "fruitfulnes")  # one edit: corrected
    assert results.corrections == {"fruitfulnes": "fruitfulness"}
    results = run(backend, "frutfulnes")  # two edits: no correction, but a fuzzy match
    assert results.corrections == {} and results.hits[0].work_slug == "to-autumn"


def test_the_page_offers_the_corrected_query_and_marks_the_corrected_words(indexed, session, backend):
    page = service.search(session, service.parse_search_args(MultiDict({"q": "Seeson of mists"})), backend=backend,
                          use_cache=False)
    assert page.suggestion == "season of mists"
    assert any(marked and text.lower() == "season" for line in page.items[0].lines for text, marked in line.pieces)
    known = service.search(session, service.parse_search_args(MultiDict({"q": "season of mists"})),
                           backend=backend, use_cache=False)
    assert known.suggestion is None
