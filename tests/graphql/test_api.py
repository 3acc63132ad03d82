"""The GraphQL API: data, pagination rules, limits checked before execution, errors."""
import pytest
from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLObjectType

from factories import AuthorFactory, UserFactory, make_work
from tercul.graphql.schema import get_schema

WORKS_WITH_EVERYTHING = """
query($n: Int) { works: translations(first: $n) { totalCount } }
"""

CATALOG = """
query Works($first: Int!) {
  authors(first: $first) {
    totalCount
    edges { node { name works { title translations { language { code } translator { name } } } } }
  }
}
"""


def test_work_by_slug_with_authors_and_translations(gql, session):
    author = AuthorFactory(name="Ann Example")
    make_work("grey-stones", title="Grey Stones", authors=[author], translations=("de", "fr"))
    status, body = gql("""{ work(slug: "grey-stones") { title form language { code name }
        authors { name } translations { key language { code } translator { name } possiblyOutdated }
        text { lineCount divisions { key lines { key text } } } } }""")
    assert status == 200 and "errors" not in body, body
    work = body["data"]["work"]
    assert work["title"] == "Grey Stones" and work["form"] == "POETRY"
    assert work["language"] == {"code": "en", "name": "English"}
    assert [a["name"] for a in work["authors"]] == ["Ann Example"]
    assert [(t["key"], t["translator"]["name"], t["possiblyOutdated"]) for t in work["translations"]] == [
        ("de", "Translator de", False), ("fr", "Translator fr", False)]
    assert work["text"]["lineCount"] == 8 and work["text"]["divisions"][0]["lines"][0]["key"] == "1.1"


def test_unknown_work_is_null_and_bad_arguments_are_user_errors(gql, session):
    assert gql('{ work(slug: "nope") { title } }')[1] == {"data": {"work": None}}
    _, body = gql('{ work { title } }')
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    _, body = gql('{ work(id: "abc") { title } }')
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_nested_lists_use_a_constant_number_of_statements(gql, session, count_queries):
    # every list is costed (an author's works, a work's translations): two lists of ten keep the query within budget
    query = """{ authors(first: 10) { edges { node { name works { title authors { name } } } } }
               works(first: 10) { edges { node { translations { language { code } translator { name } } } } } }"""

    def statements_for(n_works):
        for _ in range(n_works):
            make_work(authors=[AuthorFactory()], translations=("de", "fr", "it"))
        session.flush()
        with count_queries:
            status, body = gql(query)
        assert status == 200 and "errors" not in body, body
        return count_queries.count

    few = statements_for(3)
    many = statements_for(30)
    assert few == many <= 10


@pytest.mark.parametrize("first", [0, -1, 101, None])
def test_page_size_outside_1_to_100_is_refused(gql, session, first):
    status, body = gql("query($n: Int) { authors(first: $n) { totalCount } }", {"n": first})
    assert status == 200
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "between 1 and 100" in body["errors"][0]["message"]


def test_cursor_paging(gql, session):
    for i in range(5):
        AuthorFactory(name=f"Author {i}", sort_name=f"author {i}")
    _, page1 = gql("{ authors(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { name } } } }")
    conn = page1["data"]["authors"]
    assert conn["totalCount"] == 5 and conn["pageInfo"]["hasNextPage"]
    _, page2 = gql("query($c: String) { authors(first: 2, after: $c) { edges { node { name } } pageInfo { hasPreviousPage } } }",
                   {"c": conn["pageInfo"]["endCursor"]})
    assert [e["node"]["name"] for e in page2["data"]["authors"]["edges"]] == ["Author 2", "Author 3"]
    _, bad = gql('{ authors(after: "not-a-cursor") { totalCount } }')
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_too_deep_query_is_refused_before_execution(gql, session, count_queries):
    deep = "{ work(slug: \"x\") { " + "parent { " * 19 + "title" + " }" * 19 + " } }"
    with count_queries:
        _, body = gql(deep)
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "limit": "depth", "actual": 21,
                                               "maximum": 10}
    assert count_queries.count == 0


def test_too_costly_query_is_refused_before_execution(gql, session, count_queries):
    costly = "{ authors(first: 10) { edges { node { works { title authors { name } genres { name } } } } } }"
    query = "{ " + " ".join(f"a{i}: authors(first: 100) {{ edges {{ node {{ name slug birthYear deathYear "
                             f"country biography }} }} }}" for i in range(30)) + " }"
    with count_queries:
        _, body = gql(query)
    assert body["errors"][0]["extensions"]["limit"] == "cost"
    assert count_queries.count == 0
    assert costly  # a plausible query stays under the budget:
    _, ok = gql(costly)
    assert "errors" not in ok, ok


def test_alias_and_batch_limits(gql, client, session):
    many_aliases = "{ " + " ".join(f"s{i}: stats {{ works }}" for i in range(31)) + " }"
    assert gql(many_aliases)[1]["errors"][0]["extensions"]["limit"] == "aliases"
    batch = [{"query": "{ stats { works } }"}] * 11
    response = client.post("/graphql", json=batch)
    assert response.status_code == 400 and "1 to 10" in response.get_json()["errors"][0]["message"]
    response = client.post("/graphql", json=batch[:2])
    assert response.status_code == 200 and len(response.get_json()) == 2


def test_get_runs_queries_never_mutations(client, session):
    response = client.get("/graphql", query_string={"query": "{ stats { works } }"})
    assert response.status_code == 200 and response.get_json()["data"]["stats"]["works"] == 0
    response = client.get("/graphql", query_string={"query": "mutation { __typename }"})
    assert response.get_json()["errors"][0]["message"] == "Mutations need a POST request."


def test_malformed_requests_get_clear_errors(client, gql, session):
    assert client.post("/graphql", data="{not json", content_type="application/json").status_code == 400
    _, body = gql("{ stats { works ")
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    _, body = gql("{ stats { wroks } }")
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "Did you mean" in body["errors"][0]["message"]


def test_suggestions_are_off_when_configured(app, gql, session):
    app.config["GRAPHQL_SUGGESTIONS"] = False
    try:
        _, body = gql("{ stats { wroks } }")
    finally:
        app.config["GRAPHQL_SUGGESTIONS"] = True
    assert "Did you mean" not in body["errors"][0]["message"]


def test_internal_errors_are_masked(gql, session, monkeypatch):
    from tercul.services import catalog

    def boom(session):
        raise RuntimeError("secret detail /etc/passwd")

    monkeypatch.setattr(catalog, "library_stats", boom)
    status, body = gql("{ stats { works } }")
    assert status == 200
    error = body["errors"][0]
    assert error["extensions"]["code"] == "INTERNAL" and "secret" not in str(body) and "Traceback" not in str(body)


def test_invalid_bearer_token_is_unauthenticated(client, session):
    response = client.post("/graphql", json={"query": "{ stats { works } }"},
                           headers={"Authorization": "Bearer not.a.token"})
    assert response.status_code == 401
    assert response.get_json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_rate_limit_per_client_with_retry_after(app, client, session):
    app.config["GRAPHQL_RATE_LIMIT"] = "3/minute"
    try:
        statuses = [client.post("/graphql", json={"query": "{ stats { works } }"},
                                environ_base={"REMOTE_ADDR": "10.9.8.7"}) for _ in range(4)]
    finally:
        app.config["GRAPHQL_RATE_LIMIT"] = "300/minute"
    assert [r.status_code for r in statuses] == [200, 200, 200, 429]
    assert int(statuses[-1].headers["Retry-After"]) >= 1
    assert statuses[-1].get_json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"


def test_every_type_field_argument_and_enum_value_is_described():
    schema = get_schema().graphql_schema
    missing = []
    for name, gtype in schema.type_map.items():
        if name.startswith("__") or name in ("String", "Int", "Float", "Boolean", "ID", "DateTime"):
            continue
        if not gtype.description:
            missing.append(name)
        if isinstance(gtype, GraphQLEnumType):
            missing += [f"{name}.{v}" for v, value in gtype.values.items() if not value.description]
        if isinstance(gtype, (GraphQLObjectType, GraphQLInputObjectType)):
            for fname, field in gtype.fields.items():
                if not field.description:
                    missing.append(f"{name}.{fname}")
                for aname, arg in getattr(field, "args", {}).items():
                    if not arg.description:
                        missing.append(f"{name}.{fname}({aname})")
    assert missing == []


def test_schema_file_is_up_to_date():
    from pathlib import Path

    from tercul.graphql.schema import schema_sdl

    path = Path(__file__).resolve().parents[2] / "schema.graphql"
    assert path.read_text() == schema_sdl(), "run `tercul graphql schema` and commit schema.graphql"


def test_graphiql_is_served_from_our_own_files(client, session):
    response = client.get("/graphql", headers={"Accept": "text/html"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "/static/vendor/graphiql.min.js" in html and "/static/vendor/react.production.min.js" in html
    assert "http://" not in html and "https://" not in html
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_user_factory_is_usable(session):
    assert UserFactory().id
