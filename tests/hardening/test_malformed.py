"""Malformed requests and bad values are 4xx (or BAD_USER_INPUT), never a 500, and change
nothing: deep JSON, CR/LF in a saved search, NUL characters, integers beyond the
database's columns, slugs that would not be reachable."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from contribution_helpers import login, page_client
from factories import UserFactory, make_work
from tercul.models import SavedSearch
from tercul.services import tokens


@pytest.fixture
def web(app, session, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    return page_client(app)


def bearer(session, user):
    token = tokens.issue_tokens(session, user).access_token
    session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_json_nested_too_deeply_is_a_400(web):
    body = "[" * 100_000 + "]" * 100_000
    response = web.post("/graphql", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_a_query_nested_too_deeply_is_bad_user_input(web):
    query = "{" + "works {" * 3000 + "id" + "}" * 3001
    response = web.post("/graphql", json={"query": query})
    assert response.status_code == 200
    [error] = response.get_json()["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


def test_a_line_break_in_a_saved_search_is_a_400_and_nothing_is_stored(web, session):
    user = UserFactory()
    login(web, user)
    count = session.scalar(select(func.count(SavedSearch.id)))
    response = web.post("/search/save", data={"name": "mine", "query_string": "q=x\r\nSet-Cookie: a=b"})
    assert response.status_code == 400
    assert session.scalar(select(func.count(SavedSearch.id))) == count
    # an encoded one is stored encoded, and the redirect stays on one line
    response = web.post("/search/save", data={"name": "mine", "query_string": "q=x%0d%0aSet-Cookie:+a%3Db"})
    assert response.status_code == 302 and "\n" not in response.headers["Location"]


@pytest.mark.parametrize("path", ["/works/%00", "/works?author=%00", "/authors/%00", "/users/%00",
                                  "/search?q=a%00b", "/works?a%00=1", "/contribute/works/x%00/translate"])
def test_a_nul_anywhere_in_the_address_is_a_400(web, path):
    assert web.get(path).status_code == 400


@pytest.mark.parametrize("path, data", [
    ("/account/login", {"email": "a\x00@example.org", "password": "x"}),
    ("/account/password/forgot", {"email": "a\x00@example.org"}),
    ("/account/register", {"email": "b@example.org", "password": "long enough pass", "name": "N\x00"}),
    ("/account/verify/resend", {"email": "\x00"}),
])
def test_a_nul_in_a_form_field_is_a_400(web, path, data):
    assert web.post(path, data=data).status_code == 400


def test_a_nul_in_a_signed_in_form_is_a_400_and_changes_nothing(web, session):
    user = UserFactory(display_name="Before")
    login(web, user)
    assert web.post("/account/profile", data={"display_name": "After\x00", "bio": ""}).status_code == 400
    session.refresh(user)
    assert user.display_name == "Before"
    assert web.post("/search/save", data={"name": "n\x00", "query_string": "q=x"}).status_code == 400


@pytest.mark.parametrize("path, method", [
    ("/contribute/2147483648", "get"), ("/review/99999999999", "get"), ("/contribute/2147483648/compare", "get"),
    ("/me/searches/2147483648/delete", "post"), ("/admin/jobs/99999999999/retry", "post"),
    ("/admin/users/2147483648/role", "post"),
])
def test_integers_beyond_the_columns_are_404(web, session, path, method):
    login(web, UserFactory(role="admin"))
    assert getattr(web, method)(path).status_code == 404


def test_an_id_beyond_the_column_in_a_form_is_not_a_500(web, session):
    login(web, UserFactory(role="contributor"))
    response = web.post("/contribute/preview", data={"work_id": "99999999999", "text": "a line"})
    assert response.status_code < 500


def test_graphql_nul_in_variables_and_literals_is_bad_user_input(web):
    for body in ({"query": "query($s: String!) { works(first: 1, search: $s) { totalCount } }",
                  "variables": {"s": "a\x00"}},
                 {"query": '{ author(slug: "a\\u0000") { name } }'}):
        response = web.post("/graphql", json=body)
        assert response.status_code == 200
        assert [e["extensions"]["code"] for e in response.get_json()["errors"]] == ["BAD_USER_INPUT"]


def test_graphql_numbers_beyond_the_columns_are_not_internal(web):
    for query in ("{ works(first: 2, filter: {century: 33601979}) { totalCount } }",
                  '{ translation(id: "99999999999") { key } }', "{ contribution(id: 2147483647) { id } }"):
        response = web.post("/graphql", json={"query": query})
        assert response.status_code == 200, query
        codes = [e["extensions"]["code"] for e in response.get_json().get("errors", ())]
        assert "INTERNAL" not in codes, (query, response.get_json())


def test_a_slug_with_a_slash_is_refused_so_every_author_is_reachable(web, session):
    editor = UserFactory(role="reviewer")
    response = web.post("/graphql", headers=bearer(session, editor), json={"query": """
        mutation { createAuthor(input: {name: "Anon", slug: "a/b"}) { author { slug } errors { field } } }"""})
    payload = response.get_json()["data"]["createAuthor"]
    assert payload["author"] is None and payload["errors"][0]["field"] == "slug"
    work = make_work()
    assert web.get(f"/works/{work.slug}").status_code == 200


def test_a_variable_that_fails_coercion_is_bad_user_input(web):
    # found by the fuzzer: an enum value that does not exist was reported as INTERNAL
    response = web.post("/graphql", json={"query": "query($f: WorkFilter) { works(filter: $f) { totalCount } }",
                                          "variables": {"f": {"form": "\r\n"}}})
    assert response.status_code == 200
    assert [e["extensions"]["code"] for e in response.get_json()["errors"]] == ["BAD_USER_INPUT"]


def test_bodies_and_fields_beyond_the_sizes_are_413(app, web):
    limit = app.config["MAX_CONTENT_LENGTH"]
    assert limit >= 2 * app.config["TEXT_MAX_BYTES"]
    response = web.post("/graphql", data=b"[" + b" " * limit + b"]", content_type="application/json")
    assert response.status_code == 413
    assert web.post("/account/login", data={"email": "x" * limit, "password": "x"}).status_code == 413
    # a whole text still fits in one field
    assert app.config["MAX_FORM_MEMORY_SIZE"] > app.config["TEXT_MAX_BYTES"]
