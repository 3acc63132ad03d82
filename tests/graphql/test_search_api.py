"""Search through the API: the same parsing, filters, facets and ranking as /search."""
import pytest

from search.conftest import backend, indexed, library  # noqa: F401 - fixtures shared with the search tests

SEARCH = """query($q: String, $mode: SearchMode, $filter: SearchFilter, $first: Int, $after: String) {
  search(query: $q, mode: $mode, filter: $filter) {
    notices exact mode
    facets { name values { value count selected excluded } }
    hits(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor }
      edges { node { kind title workSlug translationKey language hitKey url
                     lines { key isHit pieces { text matched } } } } } } }"""


@pytest.fixture
def search_backend(monkeypatch, backend):
    from tercul.services import search as service

    monkeypatch.setattr(service, "get_backend", lambda: backend)
    return backend


def test_keyword_search_points_at_the_line(gql, session, indexed, search_backend):
    _, body = gql(SEARCH, {"q": "mellow fruitfulness"})
    assert "errors" not in body, body
    hit = body["data"]["search"]["hits"]["edges"][0]["node"]
    assert hit["workSlug"] == "to-autumn" and hit["hitKey"] == "1.1" and hit["url"].endswith("1.1")
    assert any(p["matched"] for line in hit["lines"] for p in line["pieces"])


def test_filters_facets_and_unknown_values(gql, session, indexed, search_backend):
    _, body = gql(SEARCH, {"q": "sun", "filter": {"include": {"language": ["de", "xx"]}}})
    results = body["data"]["search"]
    assert all(e["node"]["language"] == "de" for e in results["hits"]["edges"])
    assert any("xx" in n for n in results["notices"])
    languages = next(f for f in results["facets"] if f["name"] == "language")
    assert any(v["value"] == "de" and v["selected"] for v in languages["values"])
    _, excluded = gql(SEARCH, {"q": "sun", "filter": {"exclude": {"language": ["de"]}}})
    assert all(e["node"]["language"] != "de" for e in excluded["data"]["search"]["hits"]["edges"])


def test_semantic_search_crosses_languages(gql, session, indexed, search_backend):
    _, body = gql(SEARCH, {"q": "the birds are silent in the forest", "mode": "SEMANTIC", "first": 3})
    slugs = [e["node"]["workSlug"] for e in body["data"]["search"]["hits"]["edges"]]
    assert "wanderers-nightsong" in slugs


def test_paging_and_bad_arguments(gql, session, indexed, search_backend):
    _, first = gql(SEARCH, {"q": "", "first": 2})
    hits = first["data"]["search"]["hits"]
    assert hits["pageInfo"]["hasNextPage"] and len(hits["edges"]) == 2
    _, second = gql(SEARCH, {"q": "", "first": 2, "after": hits["pageInfo"]["endCursor"]})
    assert {e["node"]["title"] for e in second["data"]["search"]["hits"]["edges"]}.isdisjoint(
        {e["node"]["title"] for e in hits["edges"]})
    _, bad = gql('{ search(query: "x", alpha: 3) { exact } }')
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    _, odd = gql(SEARCH, {"q": '"unbalanced (( -- \x07 AND OR NOT'})
    assert "errors" not in odd


def test_hybrid_weight_defaults_to_the_servers_setting(gql, app, session, indexed, search_backend, monkeypatch):
    monkeypatch.setitem(app.config, "SEARCH_ALPHA", 0.3)
    _, body = gql('{ search(query: "sun", mode: HYBRID) { alpha } }')
    assert body["data"]["search"]["alpha"] == 0.3  # as the search page would use
    _, given = gql('{ search(query: "sun", mode: HYBRID, alpha: 0.9) { alpha } }')
    assert given["data"]["search"]["alpha"] == 0.9


def test_form_features_filter_the_search(gql, session, indexed, search_backend):
    from tercul.models import TextAnalysis
    from tercul.search import indexer
    from tercul.services import analysis

    session.add(TextAnalysis(revision_id=indexed["night"].current_revision_id, summary={}, lines={},
                             analyzer_version=analysis.analyser_version(), facets=" rhymed "))
    session.commit()
    indexer.reindex(session, search_backend, embed=False)
    _, body = gql(SEARCH, {"q": "", "filter": {"include": {"feature": ["rhymed"]}}})
    results = body["data"]["search"]
    assert [e["node"]["workSlug"] for e in results["hits"]["edges"]] == ["wanderers-nightsong"]
    features = next(f for f in results["facets"] if f["name"] == "feature")
    assert features["values"] == [{"value": "rhymed", "count": 1, "selected": True, "excluded": False}]


def test_did_you_mean(gql, session, indexed, search_backend):
    query = 'query($q: String) { search(query: $q) { didYouMean hits(first: 1) { edges { node { workSlug } } } } }'
    _, body = gql(query, {"q": "melow fruitfulness"})
    assert body["data"]["search"]["didYouMean"] == "mellow fruitfulness"
    assert body["data"]["search"]["hits"]["edges"][0]["node"]["workSlug"] == "to-autumn"
    _, known = gql(query, {"q": "mellow"})
    assert known["data"]["search"]["didYouMean"] is None
