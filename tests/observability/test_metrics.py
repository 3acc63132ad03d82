"""/metrics: who may read it, and what it counts."""
import re

import pytest
from factories import make_work

from tercul.observability import metrics
from tercul.observability.metrics import allowed, parse_networks


def sample(text: str, name: str, **labels) -> float:
    """The value of one sample in an exposition text (0 when absent)."""
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', line.split(" ")[0]))
        if all(found.get(k) == str(v) for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def scrape(client) -> str:
    response = client.get("/metrics")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    return response.get_data(as_text=True)


def test_in_production_only_allowed_networks_or_the_token_read_metrics():
    config = {"TERCUL_ENV": "production", "METRICS_TOKEN": "s3cret-token",
              "METRICS_ALLOW_NETWORKS": parse_networks("10.0.0.0/8, 192.168.1.7")}
    assert allowed(config, "10.1.2.3", None) and allowed(config, "192.168.1.7", None)
    assert not allowed(config, "203.0.113.9", None)
    assert allowed(config, "203.0.113.9", "Bearer s3cret-token")
    assert not allowed(config, "203.0.113.9", "Bearer wrong")
    loopback_only = {"TERCUL_ENV": "production", "METRICS_ALLOW_NETWORKS": None}
    assert allowed(loopback_only, "127.0.0.1", None) and not allowed(loopback_only, "10.0.0.1", None)
    assert allowed({"TERCUL_ENV": "development", "METRICS_ALLOW_NETWORKS": None}, "203.0.113.9", None)
    with pytest.raises(ValueError):
        parse_networks("10.0.0.0/33")


def test_the_view_refuses_other_clients(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_ALLOW_NETWORKS", parse_networks("10.0.0.0/8"))
    monkeypatch.setitem(app.config, "METRICS_TOKEN", "tok-123")
    outside = {"REMOTE_ADDR": "203.0.113.9"}
    assert client.get("/metrics", environ_base=outside).status_code == 403
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.9.8.7"}).status_code == 200
    response = client.get("/metrics", environ_base=outside, headers={"Authorization": "Bearer tok-123"})
    assert response.status_code == 200 and b"tercul_http_request_duration_seconds" in response.data


def test_a_bad_metrics_allow_stops_start_up(monkeypatch):
    from tercul.config import ConfigError, DevelopmentConfig

    monkeypatch.setenv("METRICS_ALLOW", "10.0.0.0/8,not-a-network")
    with pytest.raises(ConfigError, match="METRICS_ALLOW"):
        DevelopmentConfig()


def test_http_requests_by_endpoint_and_status_and_the_cache(client):
    before = scrape(client)
    client.get("/works")
    client.get("/works")
    client.get("/works/no-such-work")
    text = scrape(client)
    count = "tercul_http_request_duration_seconds_count"
    assert sample(text, count, endpoint="reading.works", status=200) - \
        sample(before, count, endpoint="reading.works", status=200) == 2
    assert sample(text, count, endpoint="reading.work", status=404) - \
        sample(before, count, endpoint="reading.work", status=404) == 1
    # the second /works is served from the page cache
    assert sample(text, "tercul_cache_lookups_total", cache="page", result="hit") > \
        sample(before, "tercul_cache_lookups_total", cache="page", result="hit")
    assert sample(text, "tercul_db_statement_duration_seconds_count", statement="SELECT") > 0


def test_graphql_operations_errors_and_cost(client):
    before = scrape(client)
    assert client.post("/graphql", json={"query": "query Shelf { works(first: 2) { totalCount } }"}).status_code == 200
    client.post("/graphql", json={"query": "{ nope }"})
    text = scrape(client)
    assert sample(text, "tercul_graphql_operations_total", operation="Shelf", type="query") - \
        sample(before, "tercul_graphql_operations_total", operation="Shelf", type="query") == 1
    assert sample(text, "tercul_graphql_errors_total", code="GRAPHQL_VALIDATION_FAILED") - \
        sample(before, "tercul_graphql_errors_total", code="GRAPHQL_VALIDATION_FAILED") == 1
    assert sample(text, "tercul_graphql_cost_count", type="query") > sample(before, "tercul_graphql_cost_count",
                                                                             type="query")


def test_outbox_depth_age_and_jobs(client, session, app, tmp_path, monkeypatch):
    from tercul.search import forget_backends
    from tercul.tasks import jobs

    monkeypatch.setitem(app.config, "SEARCH_INDEX_PATH", tmp_path / "index")
    make_work(title="Evening", translations=("de",))
    session.commit()
    text = scrape(client)
    assert sample(text, "tercul_outbox_pending", topic="index") >= 2
    assert sample(text, "tercul_outbox_oldest_pending_age_seconds", topic="index") >= 0
    done_before = sample(text, "tercul_jobs_total", topic="index", outcome="done")
    try:
        jobs.drain(session)
    finally:
        forget_backends()
    text = scrape(client)
    # what is left is the search refresh the analyse job asked for, due a few seconds later
    from sqlalchemy import func, select

    from tercul.models import OutboxEntry
    from tercul.models._base import utcnow

    later = session.scalar(select(func.count()).select_from(OutboxEntry).where(
        OutboxEntry.topic == "index", OutboxEntry.processed_at.is_(None), OutboxEntry.available_at > utcnow()))
    assert later <= 1
    assert sample(text, "tercul_outbox_pending", topic="index") == later
    assert sample(text, "tercul_jobs_total", topic="index", outcome="done") - done_before >= 1


def test_business_counters_count_after_commit_only(session):
    from tercul.services import accounts

    before = metrics.REGISTRATIONS._value.get()
    accounts.create_user(session, email="bea@example.org", password="a long passphrase 42", display_name="Bea")
    session.rollback()
    assert metrics.REGISTRATIONS._value.get() == before
    accounts.create_user(session, email="cy@example.org", password="a long passphrase 42", display_name="Cy")
    session.commit()
    assert metrics.REGISTRATIONS._value.get() == before + 1


def test_search_latency_by_mode(client):
    before = metrics.SEARCH_DURATION.labels("keyword")._sum.get(), sample(scrape(client),
                                                                          "tercul_search_duration_seconds_count",
                                                                          mode="keyword")
    assert client.get("/search?q=evening+light").status_code == 200
    after = sample(scrape(client), "tercul_search_duration_seconds_count", mode="keyword")
    assert after - before[1] == 1


def test_the_worker_serves_its_own_metrics(app, session, monkeypatch):
    import socket
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setitem(app.config, "WORKER_METRICS_PORT", port)
    monkeypatch.setitem(app.config, "WORKER_METRICS_HOST", "127.0.0.1")
    metrics.job_finished("index", "retry", 0.01)
    server = metrics.start_worker_server(app)
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
            text = response.read().decode()
    finally:
        server.shutdown()
        server.server_close()
    assert sample(text, "tercul_jobs_total", topic="index", outcome="failed") >= 1
    assert "# TYPE tercul_outbox_pending gauge" in text
