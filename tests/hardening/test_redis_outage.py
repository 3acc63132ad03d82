"""Redis goes away mid-run: pages, forms and /graphql keep answering, limits hold, and
the app goes back to Redis by itself (a real redis-server, started and stopped here)."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")

HERE = Path(__file__).resolve().parent
PAGES = ["/", "/works", "/works/the-river", "/works/the-river/translations/fr", "/search?q=river", "/authors",
         "/me", "/contribute", "/me/searches", "/healthz"]
WORKS_QUERY = {"query": "{ works(first: 2) { edges { node { slug title } } } }"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    def __init__(self, tmp: Path):
        self.port, self.tmp, self.process = _free_port(), tmp, None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.tmp)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait(lambda: self.client().ping())

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)

    def client(self):
        import redis

        return redis.Redis.from_url(self.url, socket_timeout=1)


def _wait(check, seconds: float = 20):
    deadline = time.monotonic() + seconds
    while True:
        try:
            if check():
                return
        except Exception:  # noqa: BLE001 - not up yet
            pass
        if time.monotonic() > deadline:
            raise TimeoutError("service did not come up")
        time.sleep(0.1)


@pytest.fixture
def stack(tmp_path):
    redis_server = RedisServer(tmp_path)
    redis_server.start()
    port = _free_port()
    log = (tmp_path / "server.log").open("w+")
    env = {**os.environ, "TERCUL_INSTANCE": str(tmp_path / "instance"), "PYTHONWARNINGS": "ignore"}
    env.pop("TEST_DATABASE_URL", None)
    server = subprocess.Popen([sys.executable, str(HERE / "serve_app.py"), str(port),
                               f"sqlite:///{tmp_path / 'outage.sqlite'}", redis_server.url],
                              stdout=log, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(lambda: requests.get(base + "/healthz", timeout=2).ok, 60)
        yield base, redis_server, log
    finally:
        server.terminate()
        server.wait(10)
        if redis_server.process.poll() is None:
            redis_server.stop()
        log.close()


def _browse(base: str, browser: requests.Session) -> list[tuple[str, int]]:
    answers = [(path, browser.get(base + path, timeout=10, allow_redirects=False).status_code) for path in PAGES]
    answers.append(("graphql", browser.post(base + "/graphql", json=WORKS_QUERY, timeout=10).status_code))
    answers.append(("save", browser.post(base + "/search/save", data={"q": "river", "name": "rivers"},
                                         timeout=10, allow_redirects=False).status_code))
    return answers


def _login(base: str, browser: requests.Session, password: str) -> int:
    return browser.post(base + "/account/login", data={"email": "user@example.org", "password": password},
                        timeout=10, allow_redirects=False).status_code


def _server_log(log) -> str:
    log.flush()
    log.seek(0)
    return log.read()


def test_pages_forms_and_graphql_survive_redis_going_away_and_coming_back(stack):
    base, redis_server, log = stack
    reader, anonymous = requests.Session(), requests.Session()
    assert _login(base, reader, "a long password 1") == 303
    before = _browse(base, reader) + _browse(base, anonymous)
    assert all(code < 500 for _, code in before), before
    assert redis_server.client().dbsize() > 0  # the cache and the limits were in Redis

    redis_server.stop()
    for _ in range(3):
        during = _browse(base, reader) + _browse(base, anonymous)
        assert all(code < 500 for _, code in during), during
        assert dict(during)["/works/the-river"] == 200 and dict(during)["graphql"] == 200
    # limits still hold: failed logins for one account, then GraphQL requests per client
    attempts = [_login(base, requests.Session(), "wrong password") for _ in range(4)]
    assert attempts[:3] == [200, 200, 200] and attempts[3] == 429, attempts
    flood = [requests.post(base + "/graphql", json=WORKS_QUERY, timeout=10).status_code for _ in range(45)]
    assert 429 in flood and all(code in (200, 429) for code in flood), flood
    output = _server_log(log)
    assert "unhandled error" not in output and "GraphQL resolver failed" not in output, output[-3000:]
    assert output.count("Redis cache unreachable") == 1, output[-3000:]

    redis_server.start()  # an empty Redis on the same port
    time.sleep(1)  # past the retry interval (0.5 s in serve_app.py)
    after = _browse(base, reader) + _browse(base, anonymous)
    assert all(code < 500 for _, code in after), after
    assert "Redis cache is back" in _server_log(log)
    keys = [k.decode() for k in redis_server.client().keys("*")]
    assert any("reading" in k or "html" in k for k in keys), keys  # the cache writes to Redis again
    assert any("LIMITS" in k for k in keys), keys  # and so do the rate limits
