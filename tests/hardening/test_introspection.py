"""Introspection is a setting (GRAPHQL_INTROSPECTION); when on, GraphiQL's own
introspection query is answered (its depth does not count), and a query that expands
types inside types without end is refused before execution."""
from __future__ import annotations

from graphql import get_introspection_query

from tercul.config import Config


def post(client, query, **extra):
    response = client.post("/graphql", json={"query": query, **extra})
    assert response.status_code == 200
    return response.get_json()


def test_graphiql_introspection_is_answered_when_on(app, client, session, monkeypatch):
    monkeypatch.setitem(app.config, "GRAPHQL_INTROSPECTION", True)
    body = post(client, get_introspection_query(descriptions=True), operationName="IntrospectionQuery")
    assert "errors" not in body, body["errors"]
    names = {t["name"] for t in body["data"]["__schema"]["types"]}
    assert {"Query", "Work", "Translation"} <= names
    page = client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and b'id="graphiql"' in page.data


def test_introspection_is_refused_when_off(app, client, session, monkeypatch):
    monkeypatch.setitem(app.config, "GRAPHQL_INTROSPECTION", False)
    for query in ("{ __schema { types { name } } }", '{ __type(name: "Work") { name } }'):
        body = post(client, query)
        assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert post(client, "{ stats { works } }")["data"]["stats"] is not None  # the API itself answers
    assert post(client, "{ __typename }")["data"] == {"__typename": "Query"}


def test_types_expanded_inside_types_are_refused(client, session):
    nested = "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }"
    body = post(client, nested)
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


def test_the_setting_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("GRAPHQL_INTROSPECTION", "false")
    assert Config().GRAPHQL_INTROSPECTION is False
    monkeypatch.delenv("GRAPHQL_INTROSPECTION")
    assert Config().GRAPHQL_INTROSPECTION is True
