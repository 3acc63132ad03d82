"""The resilient cache: Redis errors fall back to process memory, an outage is logged
once, and invalidations made during it reach Redis when it is back."""
from __future__ import annotations

import logging
import shutil

import pytest
import redis

from tercul import cache as cache_module
from tercul.cache import ResilientRedisCache, on_lookup

from .test_redis_outage import RedisServer

pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")


class FlakyRedis:
    """A real Redis client that can be made to fail like a stopped server."""

    def __init__(self, client):
        self.client, self.down = client, False

    def __getattr__(self, name):
        attribute = getattr(self.client, name)
        if not callable(attribute):
            return attribute

        def call(*args, **kwargs):
            if self.down:
                raise redis.exceptions.ConnectionError("Connection refused")
            return attribute(*args, **kwargs)
        return call


@pytest.fixture
def flaky(tmp_path, monkeypatch):
    server = RedisServer(tmp_path)
    server.start()
    monkeypatch.setattr(cache_module, "RETRY_SECONDS", 0.0)
    client = FlakyRedis(server.client())
    try:
        yield ResilientRedisCache(host=client, key_prefix="t:"), client
    finally:
        server.stop()


def test_an_outage_is_served_from_memory_and_logged_once(flaky, caplog):
    cache, client = flaky
    cache.set("page", "from redis")
    client.down = True
    with caplog.at_level(logging.WARNING, logger="tercul.cache"):
        assert cache.get("page") is None  # a miss, not an error
        cache.set("page", "from memory")
        for _ in range(20):
            assert cache.get("page") == "from memory"
    assert [r.message for r in caplog.records].count(caplog.records[0].message) == 1
    assert "unreachable" in caplog.records[0].message


def test_invalidations_made_during_an_outage_reach_redis(flaky):
    cache, client = flaky
    cache.set("reading:generation", 5, timeout=0)
    cache.set("reading:stamp:a-work", "old stamp")
    client.down = True
    generation = cache.get("reading:generation") or 0  # 0: memory does not know it
    cache.set("reading:generation", generation + 1, timeout=0)
    cache.delete("reading:stamp:a-work")
    client.down = False
    assert cache.get("reading:generation") == 6  # moved past both values
    assert cache.get("reading:stamp:a-work") is None


def test_lookups_are_reported_with_the_key_family(flaky, monkeypatch):
    cache, _ = flaky
    seen = []
    monkeypatch.setattr(cache_module, "_listeners", [])
    on_lookup(lambda name, hit: seen.append((name, hit)))
    cache.get("reading:1:facets")
    cache.set("reading:1:facets", [1])
    cache.get("reading:1:facets")
    assert seen == [("reading", False), ("reading", True)]
