"""The GraphQL cost limit counts every list, paginated or not, and a response size guard
stands behind it."""
from __future__ import annotations

from factories import make_work

WHOLE_LIBRARY = '{ work(slug: "%s") { translations { text { divisions { lines { text } } } } } }'


def run(client, query):
    response = client.post("/graphql", json={"query": query})
    assert response.status_code == 200
    return response.get_json()


def test_unpaginated_nested_lists_are_costed_and_refused_before_execution(client, session, count_queries):
    work = make_work(translations=("fr", "de"))
    with count_queries:
        body = run(client, WHOLE_LIBRARY % work.slug)
    [error] = body["errors"]
    assert error["extensions"]["limit"] == "cost" and error["extensions"]["actual"] > 20000
    assert count_queries.count == 0
    aliased = "{ " + " ".join(f"a{i}: " + (WHOLE_LIBRARY % work.slug)[2:-2] for i in range(3)) + " }"
    assert run(client, aliased)["errors"][0]["extensions"]["limit"] == "cost"


def test_a_connection_without_first_is_costed_by_its_default_page(client, session):
    many = "{ " + " ".join(f"a{i}: authors {{ edges {{ node {{ works {{ slug }} }} }} }}" for i in range(25)) + " }"
    assert run(client, many)["errors"][0]["extensions"]["limit"] == "cost"


def test_fifty_works_with_authors_and_translations_stay_within_budget(client, session):
    """The shape a catalogue client asks for (bench/graphql.py's query) is not refused."""
    make_work(translations=("fr", "de"))
    body = run(client, "{ works(first: 50, orderBy: TRANSLATED, filter: {includeParts: true}) { edges { node { "
                       "slug title authors { name } translations { key language { code } translator { name } } "
                       "} } } }")
    assert "errors" not in body, body
    assert body["data"]["works"]["edges"]


def test_reading_one_text_or_the_translations_list_stays_within_budget(client, session):
    work = make_work(translations=("fr",))
    body = run(client, '{ work(slug: "%s") { translations { key language { code } } '
                       'text { divisions { key lines { key text } } } } }' % work.slug)
    assert "errors" not in body, body


def test_a_response_above_the_size_limit_is_refused(app, client, session, monkeypatch):
    work = make_work(stanzas=20, lines=20)
    monkeypatch.setitem(app.config, "GRAPHQL_MAX_RESPONSE_BYTES", 2048)
    body = run(client, '{ work(slug: "%s") { text { divisions { lines { text } } } } }' % work.slug)
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["limit"] == "responseBytes"
    assert body["errors"][0]["extensions"]["actual"] > 2048
