"""Rate limits by tier: headers, 429 after the limit, admin bypass, independent tiers."""
import time

import pytest

from contribution_helpers import csrf, login, page_client
from factories import UserFactory
from tercul.rate_tiers import tier_of

TYPENAME = {"query": "{ __typename }"}


@pytest.fixture
def limits(app, monkeypatch):
    """Small limits for one test: limits(read=3, search=2, ...) per minute."""
    def set_limits(**per_minute):
        for tier, amount in per_minute.items():
            name = "GRAPHQL_RATE_LIMIT" if tier == "graphql" else f"RATELIMIT_{tier.upper()}"
            monkeypatch.setitem(app.config, name, f"{amount}/minute")
    return set_limits


def test_pages_carry_the_read_tiers_headers(client, limits):
    limits(read=10)
    first = client.get("/works")
    second = client.get("/works")
    assert first.status_code == 200
    assert first.headers["X-RateLimit-Limit"] == "10"
    assert first.headers["X-RateLimit-Remaining"] == "9" and second.headers["X-RateLimit-Remaining"] == "8"
    reset = int(first.headers["X-RateLimit-Reset"])
    assert time.time() < reset <= time.time() + 61


def test_graphql_carries_its_tiers_headers(client, limits):
    limits(graphql=5)
    response = client.post("/graphql", json=TYPENAME)
    assert response.status_code == 200
    assert response.headers["X-RateLimit-Limit"] == "5" and response.headers["X-RateLimit-Remaining"] == "4"
    assert "X-RateLimit-Reset" in response.headers


def test_a_page_past_the_limit_is_a_429_page_with_retry_after(client, limits):
    limits(read=3)
    statuses = [client.get("/authors").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    over = client.get("/works")
    assert over.status_code == 429 and over.mimetype == "text/html"
    assert 1 <= int(over.headers["Retry-After"]) <= 60
    assert over.headers["X-RateLimit-Remaining"] == "0"
    assert "Too many pages in a short time" in over.get_data(as_text=True)


def test_graphql_past_its_limit_is_rate_limited_error(client, limits):
    limits(graphql=2)
    responses = [client.post("/graphql", json=TYPENAME) for _ in range(3)]
    assert [r.status_code for r in responses] == [200, 200, 429]
    over = responses[-1]
    assert over.get_json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert int(over.headers["Retry-After"]) >= 1 and over.headers["X-RateLimit-Remaining"] == "0"


def test_a_search_flood_leaves_the_read_tier_alone(client, limits):
    limits(read=5, search=3)
    searches = [client.get("/search").status_code for _ in range(6)]
    assert searches == [200, 200, 200, 429, 429, 429]
    page = client.get("/works")
    assert page.status_code == 200 and page.headers["X-RateLimit-Remaining"] == "4"
    # and the other way round: the pages used up, search still answers
    for _ in range(4):
        client.get("/authors")
    assert client.get("/works").status_code == 429
    assert client.get("/graphql", query_string={"query": "{ __typename }"}).status_code == 200


def test_writes_count_in_their_own_tier(app, client, limits):
    limits(read=100, write=2)
    token = csrf(client, "/account/login")
    form = {"csrf_token": token, "email": "nobody@example.org", "password": "wrong password"}
    posts = [client.post("/account/login", data=form).status_code for _ in range(3)]
    assert posts[-1] == 429 and 429 not in posts[:2]
    assert client.get("/works").status_code == 200


def test_refusals_reach_the_metrics_and_the_access_log(app, client, limits, caplog):
    limits(read=1)
    client.get("/works")
    with caplog.at_level("INFO", logger="tercul.access"):
        assert client.get("/works").status_code == 429
    assert any(r.getMessage() == "GET /works 429" and r.duration_ms is not None for r in caplog.records)
    scrape = client.get("/metrics").get_data(as_text=True)
    assert any('status="429"' in line and "reading.works" in line for line in scrape.splitlines())


def test_users_are_counted_apart_from_each_other(app, session, limits):
    limits(read=2)
    ana, ben = UserFactory(), UserFactory()
    session.flush()
    first, second = page_client(app), page_client(app)
    login(first, ana)
    login(second, ben)
    assert [first.get("/works").status_code for _ in range(3)] == [200, 200, 429]
    assert second.get("/works").status_code == 200  # same address, another user


def test_administrators_are_not_limited(app, session, limits):
    limits(read=2, search=1, graphql=1)
    admin = UserFactory(role="admin")
    session.flush()
    client = page_client(app)
    login(client, admin)
    assert {client.get("/works").status_code for _ in range(5)} == {200}
    assert {client.get("/search").status_code for _ in range(3)} == {200}
    assert {client.post("/graphql", json=TYPENAME).status_code for _ in range(3)} == {200}


def test_health_endpoints_and_static_files_are_never_limited(client, limits):
    limits(read=1)
    client.get("/works")
    assert client.get("/works").status_code == 429
    assert client.get("/healthz").status_code == 200
    for path in ("/health", "/ready", "/metrics", "/healthz"):
        assert tier_of("any.endpoint", "GET", path) is None
    assert tier_of("static", "GET", "/static/css/site.css") is None


def test_tiers_by_request():
    assert tier_of("reading.works", "GET", "/works") == "read"
    assert tier_of("search.search", "GET", "/search") == "search"
    assert tier_of("search.save", "POST", "/search/save") == "write"
    assert tier_of("graphql.graphql_endpoint", "POST", "/graphql") is None  # the GraphQL view counts it
    assert tier_of(None, "GET", "/nowhere") is None


def test_rate_limiting_off_means_no_tiers(app, client, limits, monkeypatch):
    limits(read=1)
    monkeypatch.setitem(app.config, "RATELIMIT_ENABLED", False)
    assert {client.get("/works").status_code for _ in range(3)} == {200}


def test_a_limit_that_is_not_one_stops_start_up(monkeypatch):
    from tercul.config import ConfigError, TestingConfig

    monkeypatch.setenv("RATELIMIT_SEARCH", "lots")
    with pytest.raises(ConfigError, match="RATELIMIT_SEARCH"):
        TestingConfig()


def test_tiers_still_count_while_the_counter_store_is_down(app, client, limits, monkeypatch):
    from tercul.extensions import limiter
    from tercul.security import _LimitState

    class Unreachable:
        def __getattr__(self, name):
            def fail(*args, **kwargs):
                raise ConnectionError("redis is gone")
            return fail

    limits(read=2)
    monkeypatch.setattr(limiter, "_limiter", Unreachable())
    # a fresh fallback counter, taken away after the test (with it, the "Redis is down" state)
    monkeypatch.setitem(app.extensions, "tercul.limits", _LimitState())
    assert [client.get("/works").status_code for _ in range(3)] == [200, 200, 429]  # counted in memory
