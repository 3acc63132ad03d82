"""Weaviate: the translation of filters, queries and facets (no server needed), and a live
round trip when WEAVIATE_URL points at a server (skipped otherwise)."""
from __future__ import annotations

import os
from types import SimpleNamespace

import pytest

from tercul.search.interface import Filters, SearchRequest
from tercul.search.query import parse_query
from tercul.search.weaviate_backend import (build_filter, collapse, count_facets, keyword_text, parse_url,
                                            passage_properties, text_properties)


def describe(f):
    """A filter as nested tuples: ("and", [...]) or (property, operator, value)."""
    if f is None:
        return None
    if hasattr(f, "filters"):
        return (type(f).__name__.replace("_Filter", "").lower(), [describe(x) for x in f.filters])
    return (f.target, f.operator.name, f.value)


def test_or_within_a_facet_and_across_facets_not_and_years():
    f = build_filter(Filters(include={"language": ["de", "fr"], "form": ["poetry"], "tag": []},
                             exclude={"author": ["goethe"]}, year_from=1800, year_to=1900))
    assert describe(f) == ("and", [
        ("language", "CONTAINS_ANY", ["de", "fr"]),
        ("form", "CONTAINS_ANY", ["poetry"]),
        ("author", "CONTAINS_NONE", ["goethe"]),
        ("year", "GREATER_THAN_EQUAL", 1800),
        ("year", "LESS_THAN_EQUAL", 1900),
    ])
    assert build_filter(Filters()) is None
    assert describe(build_filter(Filters(include={"language": ["de"]}), skip="language")) is None
    assert describe(build_filter(Filters(include={"bogus": ["x"], "genre": ["ode"]}))) == (
        "genre", "CONTAINS_ANY", ["ode"])


def test_keyword_text_is_plain_words():
    request = SearchRequest(query=parse_query('"summer\'s day" compare -winter OR (x'))
    assert keyword_text(request) == "compare x summer s day"


def test_connection_parameters_from_the_url():
    assert parse_url("http://weaviate:8080") == {"http_host": "weaviate", "http_port": 8080, "http_secure": False,
                                                 "grpc_host": "weaviate", "grpc_port": 50051, "grpc_secure": False}
    assert parse_url("https://w.example.org?grpc=443")["grpc_port"] == 443


def test_collapse_and_facets_count_texts():
    rows = [{"key": "w:1", "language": "en", "author": ["keats"]}, {"key": "w:1", "language": "en", "author": ["keats"]},
            {"key": "t:2", "language": "de", "author": ["keats"]}]
    objects = [SimpleNamespace(properties=r, score=s) for r, s in zip(rows, (3.0, 2.0, 1.0))]
    groups = collapse(objects, lambda o: o.score)
    assert [(g["key"], g["more"]) for g in groups] == [("w:1", 1), ("t:2", 0)]
    facets = count_facets(rows)
    assert facets["language"] == [("de", 1), ("en", 1)] and facets["author"] == [("keats", 2)]


def test_document_properties(library, session):
    from tercul.search.documents import load_texts

    [original, *translations] = load_texts(session, [library["autumn"].id])
    props = text_properties(original)
    assert props["key"] == original.key and props["available"] == ["de", "en", "fr"] and props["form"] == "poetry"
    passage = passage_properties(original, original.passages[0])
    assert passage["line_keys"] == ["1.1", "1.2"] and passage["author"] == ["keats"]


@pytest.mark.skipif(not os.environ.get("WEAVIATE_URL"), reason="WEAVIATE_URL is not set (no Weaviate server)")
def test_live_round_trip(library, session):
    from tercul.search.documents import load_authors, load_texts
    from tercul.search.embedding import embed_passages, embed_query
    from tercul.search.weaviate_backend import WeaviateBackend

    backend = WeaviateBackend(os.environ["WEAVIATE_URL"], prefix="TerculTest")
    try:
        backend.clear()
        texts = load_texts(session, [w.id for w in (library["autumn"], library["night"], library["waves"])])
        passages = [p for t in texts for p in t.passages]
        backend.replace_texts(texts, vectors=dict(zip([p.uid for p in passages],
                                                      embed_passages([p.text for p in passages]))))
        backend.replace_authors(load_authors(session))
        found = backend.search(SearchRequest(query=parse_query("mellow fruitfulness")))
        assert found.hits[0].work_slug == "to-autumn"
        q = "Where have the songs of spring gone?"
        semantic = backend.search(SearchRequest(query=parse_query(q), mode="semantic", query_vector=embed_query(q),
                                                filters=Filters(include={"language": ["de", "fr"]})))
        assert {h.translation_key for h in semantic.hits[:2]} == {"de", "fr"}
        assert backend.state().texts.keys() == {t.key for t in texts}
    finally:
        backend.close()
