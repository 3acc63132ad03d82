"""Bounded fuzzing: the form and query parameters of every route, and the variables of
every GraphQL example, with hostile values (NUL and control characters, huge integers,
slashes, long strings). No answer may be a 5xx, nor a GraphQL INTERNAL error.

Budgets are small (a few hundred requests per test) so that the suite stays fast; the
failures found are kept as explicit examples here and as tests in test_malformed.py.
"""
from __future__ import annotations

from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from contribution_helpers import login, page_client
from factories import UserFactory, make_work
from tercul.graphql.examples import load_examples
from tercul.services import tokens

FUZZ = settings(max_examples=40, deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

NASTY = st.sampled_from(["\x00", "a\x00b", "\r\n", "%00", "2147483648", "-2147483649", "99999999999999999999",
                         "-1", "0", "a/b", "../..", "\\", "\u202e", "\ufeff", "'", '"', "<script>", "x" * 3000,
                         " ", "", "1e309", "NaN", "{}", "[]", "\u0085", "\x7f"])
TEXT = st.one_of(NASTY, st.text(max_size=40), st.integers(min_value=-(2**70), max_value=2**70).map(str))
QUERY_KEYS = ["q", "page", "author", "language", "form", "genre", "tag", "period", "sort", "mode", "with", "line",
              "kind", "century", "available", "original_language", "division", "next", "status", "work",
              "translation", "as", "before", "after", "alpha"]
FORM_KEYS = ["email", "password", "name", "display_name", "bio", "query_string", "text", "work_id", "language",
             "title", "translator_name", "note", "role", "decision", "comment", "current_password", "new_password",
             "remember", "next", "slug", "key", "author", "authors", "form", "source", "licence", "message",
             "contribution_ids", "disabled", "reason", "year", "date_from", "date_to", "genres", "tags"]


def _rules(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint != "static" and not rule.rule.startswith("/graphql"):
            yield rule


@pytest.fixture
def site(app, session, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    monkeypatch.setitem(app.config, "RATELIMIT_ENABLED", False)
    work = make_work("fuzz-work", translations=("fr",))
    admin = UserFactory(role="admin")
    session.commit()
    return app, work, admin


def _request(client, rule, values: dict, params: dict, form: dict):
    path = rule.rule
    for name in rule.arguments:
        path = path.replace(f"<{_converter(rule, name)}{name}>", quote(values.get(name, "x"), safe=""))
    if params:
        path += "?" + urlencode(params)
    if "POST" in rule.methods and form is not None:
        return client.post(path, data=form)
    return client.get(path)


def _converter(rule, name: str) -> str:
    for converter, _, variable in _parse_rule(rule.rule):
        if variable == name:
            return f"{converter}:" if converter else ""
    return ""


def _parse_rule(rule: str):
    import re

    for match in re.finditer(r"<(?:(\w+):)?(\w+)>", rule):
        yield match.group(1), None, match.group(2)


def _hostile_request():
    return st.tuples(
        st.dictionaries(st.sampled_from(["slug", "key", "token", "username", "contribution_id", "saved_id",
                                         "entry_id", "user_id", "filename"]),
                        st.one_of(TEXT, st.sampled_from(["fuzz-work", "fr", "1"])), max_size=9),
        st.dictionaries(st.one_of(st.sampled_from(QUERY_KEYS), NASTY), TEXT, max_size=4),
        st.one_of(st.none(), st.dictionaries(st.one_of(st.sampled_from(FORM_KEYS), NASTY), TEXT, max_size=6)))


def _check(client, rules, data):
    values, params, form = data
    for rule in rules:
        response = _request(client, rule, {k: values.get(k, "1") for k in rule.arguments}, params, form)
        assert response.status_code < 500, (rule.rule, values, params, form, response.status_code)


@settings(FUZZ, max_examples=12)  # each example is one request per route and client: ~110 requests
@given(data=_hostile_request())
@example(data=({"slug": "\x00"}, {"author": "\x00"}, {"email": "\x00"}))
@example(data=({"contribution_id": "2147483648", "saved_id": "99999999999"}, {}, {"work_id": "99999999999"}))
@example(data=({}, {}, {"query_string": "q=a\r\nX: y", "name": "n"}))
def test_every_route_answers_hostile_input_without_a_server_error(site, data):
    app, work, admin = site
    rules = list(_rules(app))
    anonymous, signed_in = page_client(app), page_client(app)
    login(signed_in, admin)
    for client in (anonymous, signed_in):
        _check(client, rules, data)


def _examples():
    return [e for e in load_examples() if "{{" not in str(e.get("variables") or {})]


def _fuzz_like(value):
    """A strategy for values shaped like ``value`` (the example's own variables)."""
    if isinstance(value, bool):
        return st.one_of(st.booleans(), TEXT)
    if isinstance(value, int):
        return st.one_of(st.integers(min_value=-(2**31), max_value=2**31 - 1), st.integers(), TEXT)
    if isinstance(value, float):
        return st.one_of(st.floats(allow_nan=False), TEXT)
    if isinstance(value, list):
        return st.lists(TEXT, max_size=5)
    if isinstance(value, dict):
        return st.fixed_dictionaries({k: _fuzz_like(v) for k, v in value.items()})
    return TEXT


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "editor"])
@FUZZ
@given(data=st.data())
def test_graphql_examples_with_hostile_variables_never_fail_inside(site, signed_in, data):
    app, work, admin = site
    client = page_client(app)
    from tercul.extensions import db

    headers = {"Authorization": f"Bearer {tokens.issue_tokens(db.session, admin).access_token}"} if signed_in else {}
    example_ = data.draw(st.sampled_from(_examples()))
    variables = data.draw(_fuzz_like(example_.get("variables") or {}))
    response = client.post("/graphql", json={"query": example_["query"], "variables": variables}, headers=headers)
    assert response.status_code < 500, (example_["title"], variables)
    body = response.get_json()
    for body_ in body if isinstance(body, list) else [body]:
        codes = [e.get("extensions", {}).get("code") for e in body_.get("errors", ())]
        assert "INTERNAL" not in codes, (example_["title"], variables, body_)


@FUZZ
@given(query=st.one_of(st.text(max_size=200), st.sampled_from([
    "{" * 5000, '{ work(slug: "\\u0000") { title } }', "{ works(first: 2147483648) { totalCount } }",
    '{ works(filter: {century: 2147483647}) { totalCount } }', "query($a: Int) { works(first: $a) { totalCount } }",
    "{ __schema { types { fields { type { fields { name } } } } } }", "mutation { logout(refreshToken: \"\\u0000\") { ok } }"])))
def test_graphql_hostile_query_text_is_never_a_server_error(site, query):
    app, _, _ = site
    response = page_client(app).post("/graphql", json={"query": query, "variables": {"a": 2**40}})
    assert response.status_code < 500
    codes = [e.get("extensions", {}).get("code") for e in (response.get_json() or {}).get("errors", ())]
    assert "INTERNAL" not in codes, (query, response.get_json())
