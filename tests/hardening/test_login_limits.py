"""One login limit, whatever the door: the form and the GraphQL ``login`` mutation
count failures in the same per-account and per-IP counters; successes count nothing."""
from __future__ import annotations

import pytest

from tercul.extensions import limiter
from tercul.services import accounts

PASSWORD = "lantern orchard thunder"
LOGIN = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken errors { message } } }"


@pytest.fixture(autouse=True)
def limits(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    monkeypatch.setitem(app.config, "RATELIMIT_LOGIN_ACCOUNT", "4 per minute")
    monkeypatch.setitem(app.config, "RATELIMIT_LOGIN_IP", "6 per minute")
    limiter.init_app(app)
    limiter.reset()


@pytest.fixture
def user(session):
    return accounts.create_user(session, email="ana@example.org", password=PASSWORD, display_name="Ana",
                                verified=True)


def form_login(client, password, email="ana@example.org"):
    return client.post("/account/login", data={"email": email, "password": password}).status_code


def api_login(client, password, email="ana@example.org"):
    response = client.post("/graphql", json={"query": LOGIN, "variables": {"e": email, "p": password}})
    body = response.get_json()
    codes = [e["extensions"]["code"] for e in body.get("errors", ())]
    return "RATE_LIMITED" if "RATE_LIMITED" in codes else body["data"]["login"]


def test_failures_through_both_doors_share_the_account_limit(app, client, user):
    assert form_login(client, "wrong 1") == 200
    assert form_login(client, "wrong 2") == 200
    assert api_login(client, "wrong 3")["errors"]
    assert api_login(client, "wrong 4")["errors"]
    # four failures in all: both doors are closed for this account now
    assert api_login(client, PASSWORD) == "RATE_LIMITED"
    assert form_login(client, PASSWORD) == 429


def test_failures_through_both_doors_share_the_ip_limit(app, client, user):
    for n in range(3):
        assert form_login(client, "wrong", email=f"nobody{n}@example.org") == 200
        assert api_login(client, "wrong", email=f"noone{n}@example.org")["errors"]
    assert api_login(client, "wrong", email="someone@example.org") == "RATE_LIMITED"
    assert form_login(client, "wrong", email="someone@example.org") == 429


def test_successful_logins_do_not_use_up_the_failure_budget(app, client, user):
    for _ in range(8):
        assert api_login(client, PASSWORD)["accessToken"]
    for _ in range(3):
        assert api_login(client, "wrong")["errors"]
    assert api_login(client, PASSWORD)["accessToken"]  # three failures of four: still allowed
