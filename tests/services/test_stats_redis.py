"""The Redis view buffer: shared by processes, and a flush interrupted by a crash loses nothing."""
from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import select

from tercul.models import ViewDaily
from tercul.services import stats
from tercul.services.stats.buffer import RedisBuffer

REDIS_URL = "redis://127.0.0.1:6379/14"
DAY = date(2026, 11, 30)
READER = stats.Visit(address="203.0.113.7", user_agent="Mozilla/5.0 Firefox/130.0")


def _redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.3).ping())
    except Exception:  # noqa: BLE001
        return False


pytestmark = pytest.mark.skipif(not _redis_up(), reason="Redis is not running on 127.0.0.1:6379")


@pytest.fixture
def prefix():
    """A key prefix of this test's own (the Redis database is shared), deleted afterwards."""
    name = f"tercul-test:{uuid.uuid4().hex}"
    yield name
    client = RedisBuffer.from_url(REDIS_URL).client
    for key in client.scan_iter(match=f"{name}:*"):
        client.delete(key)


def views(session) -> int:
    return session.scalar(select(ViewDaily.views).where(ViewDaily.kind == "work", ViewDaily.target_id == 1)) or 0


def test_two_processes_share_the_once_a_day_rule(prefix):
    first, second = RedisBuffer.from_url(REDIS_URL, prefix), RedisBuffer.from_url(REDIS_URL, prefix)
    assert first.salt(DAY) == second.salt(DAY)
    assert stats.count_view(first, "work", 1, READER, day=DAY)
    assert not stats.count_view(second, "work", 1, READER, day=DAY)
    assert second.pending() == 1


def test_a_crash_after_sealing_loses_nothing(session, prefix):
    buffer = RedisBuffer.from_url(REDIS_URL, prefix)
    stats.count_view(buffer, "work", 1, READER, day=DAY)
    buffer.seal()  # the flush moved the counts aside... and the process died
    restarted = RedisBuffer.from_url(REDIS_URL, prefix)
    assert stats.flush_buffer(session, restarted) == 1
    assert views(session) == 1 and restarted.pending() == 0


def test_a_crash_between_commit_and_delete_does_not_count_twice(session, prefix, monkeypatch):
    buffer = RedisBuffer.from_url(REDIS_URL, prefix)
    stats.count_view(buffer, "work", 1, READER, day=DAY)

    def crash(_batch):
        raise SystemExit("killed")

    monkeypatch.setattr(buffer, "done", crash)
    with pytest.raises(SystemExit):
        stats.flush_buffer(session, buffer)  # the batch was committed, not deleted
    restarted = RedisBuffer.from_url(REDIS_URL, prefix)
    assert restarted.pending() == 1
    stats.flush_buffer(session, restarted)
    assert views(session) == 1 and restarted.pending() == 0


def test_cleanup_forgets_past_days(prefix):
    buffer = RedisBuffer.from_url(REDIS_URL, prefix)
    stats.count_view(buffer, "work", 1, READER, day=DAY)
    buffer.forget_before(date(2026, 12, 1))
    assert list(buffer.client.scan_iter(match=f"{prefix}:s*")) == []  # no salt, no seen set
    assert stats.count_view(RedisBuffer.from_url(REDIS_URL, prefix), "work", 1, READER, day=DAY)


def test_counting_survives_redis_going_away(prefix):
    buffer = RedisBuffer.from_url("redis://127.0.0.1:1/0", prefix)
    assert not stats.count_view(buffer, "work", 1, READER, day=DAY)  # no salt: not counted, no error
    buffer = RedisBuffer.from_url("redis://127.0.0.1:1/0", prefix)
    buffer._salts[DAY] = b"x" * 32  # the salt was read before Redis went away
    assert not stats.count_view(buffer, "work", 1, READER, day=DAY)  # not counted, no error


def test_the_background_sender_keeps_the_once_a_day_rule(prefix):
    buffer = RedisBuffer.from_url(REDIS_URL, prefix, background=True)
    for _ in range(3):
        assert stats.count_view(buffer, "work", 1, READER, day=DAY)  # accepted; Redis decides
    other = stats.Visit(address="198.51.100.9", user_agent=READER.user_agent)
    stats.count_view(buffer, "work", 1, other, day=DAY)
    buffer.drain()
    assert buffer.pending() == 2
