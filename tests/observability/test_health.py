"""/health, /healthz and /ready."""
import socket
import time

from tercul.observability import health


def test_health_says_up_with_version_and_commit(client, monkeypatch):
    monkeypatch.setenv("TERCUL_COMMIT", "0123abc")
    health.commit.cache_clear()
    try:
        for path in ("/health", "/healthz"):
            response = client.get(path)
            assert response.status_code == 200
            assert response.json == {"status": "ok", "version": health.version(), "commit": "0123abc"}
            assert response.headers["Cache-Control"] == "no-store" and "Set-Cookie" not in response.headers
    finally:
        health.commit.cache_clear()


def test_ready_checks_the_database_and_the_search_index(client):
    response = client.get("/ready")
    assert response.status_code == 200, response.json
    assert response.json["checks"] == {"database": {"status": "ok"}, "search": {"status": "ok"}}
    assert "Set-Cookie" not in response.headers and response.headers["Cache-Control"] == "no-store"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_ready_names_the_failing_part_with_503(client, app, monkeypatch):
    port = _closed_port()
    monkeypatch.setitem(app.config, "REDIS_URL", f"redis://127.0.0.1:{port}/4")
    monkeypatch.setitem(app.config, "BROKER_URL", f"redis://127.0.0.1:{port}/5")
    response = client.get("/ready")
    assert response.status_code == 503
    assert response.json["failing"] == ["broker", "redis"]
    assert response.json["checks"]["database"] == {"status": "ok"}
    assert "ConnectionError" in response.json["checks"]["redis"]["error"]


def test_a_part_that_hangs_fails_within_the_timeout(client, app, monkeypatch):
    listener = socket.socket()  # accepts connections, never answers
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    try:
        monkeypatch.setitem(app.config, "REDIS_URL", f"redis://127.0.0.1:{listener.getsockname()[1]}/4")
        monkeypatch.setitem(app.config, "READY_TIMEOUT", 0.3)
        started = time.monotonic()
        response = client.get("/ready")
        assert time.monotonic() - started < 2
        assert response.status_code == 503 and response.json["failing"] == ["redis"]
    finally:
        listener.close()


def test_health_is_never_rate_limited(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_ENABLED", True)
    statuses = {client.get(path).status_code for _ in range(120) for path in ("/health", "/healthz")}
    assert statuses == {200}
