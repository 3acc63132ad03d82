"""Counting views: once per visitor and day, robots and DNT excluded, buffered, flushed."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tercul.models import SearchQueryDaily, ViewDaily
from tercul.services import stats
from tercul.services.stats.buffer import MemoryBuffer

DAY = date(2026, 11, 30)
READER = stats.Visit(address="203.0.113.7", user_agent="Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0")


def views(session, kind="work", target_id=1, day=DAY) -> int:
    return session.scalar(select(ViewDaily.views).where(ViewDaily.kind == kind, ViewDaily.target_id == target_id,
                                                        ViewDaily.day == day)) or 0


def test_a_visitor_counts_once_per_object_and_day():
    buffer = MemoryBuffer()
    assert stats.count_view(buffer, "work", 1, READER, day=DAY)
    assert not stats.count_view(buffer, "work", 1, READER, day=DAY)
    assert stats.count_view(buffer, "translation", 1, READER, day=DAY)  # another object
    assert stats.count_view(buffer, "work", 2, READER, day=DAY)
    other = stats.Visit(address="203.0.113.8", user_agent=READER.user_agent)
    assert stats.count_view(buffer, "work", 1, other, day=DAY)  # another reader
    assert stats.count_view(buffer, "work", 1, READER, day=DAY + timedelta(days=1))  # the next day
    assert buffer.pending() == 5


def test_the_salt_changes_every_day_and_nothing_personal_is_kept():
    buffer = MemoryBuffer()
    first = buffer.salt(DAY)
    assert buffer.salt(DAY) == first and buffer.salt(DAY + timedelta(days=1)) != first
    stats.count_view(buffer, "work", 1, READER, day=DAY)
    buffer.seal()
    [(_batch, counts)] = buffer.batches()
    assert counts == {f"v|{DAY.isoformat()}|work|1": 1}  # no address, agent or hash in what is written


@pytest.mark.parametrize("visit", [
    stats.Visit(address="203.0.113.7", user_agent="Mozilla/5.0 (compatible; Googlebot/2.1; +http://google.com/bot)"),
    stats.Visit(address="203.0.113.7", user_agent="curl/8.5.0"),
    stats.Visit(address="203.0.113.7", user_agent="python-requests/2.32"),
    stats.Visit(address="203.0.113.7", user_agent=""),
    stats.Visit(address="203.0.113.7", user_agent=READER.user_agent, do_not_track="1"),
    stats.Visit(address="203.0.113.7", user_agent=READER.user_agent, global_privacy_control="1"),
], ids=["googlebot", "curl", "library", "no-agent", "dnt", "gpc"])
def test_robots_and_readers_who_opt_out_are_not_counted(visit):
    buffer = MemoryBuffer()
    assert not stats.count_view(buffer, "work", 1, visit, day=DAY)
    assert buffer.pending() == 0


def test_dnt_zero_is_counted():
    visit = stats.Visit(address="203.0.113.7", user_agent=READER.user_agent, do_not_track="0")
    assert stats.count_view(MemoryBuffer(), "work", 1, visit, day=DAY)


def test_unknown_kinds_are_refused():
    with pytest.raises(ValueError):
        stats.count_view(MemoryBuffer(), "author", 1, READER, day=DAY)


def test_the_flush_adds_to_the_daily_counts(session):
    buffer = MemoryBuffer()
    for n in range(3):
        stats.count_view(buffer, "work", 1, stats.Visit(address=f"198.51.100.{n}", user_agent="Firefox"), day=DAY)
    stats.count_view(buffer, "collection", 9, READER, day=DAY)
    assert stats.flush_buffer(session, buffer) == 4
    assert views(session) == 3 and views(session, "collection", 9) == 1
    stats.count_view(buffer, "work", 1, READER, day=DAY)
    stats.flush_buffer(session, buffer)
    assert views(session) == 4
    assert buffer.pending() == 0 and stats.flush_buffer(session, buffer) == 0


def test_searches_are_counted_without_user_data(session):
    buffer = MemoryBuffer()
    stats.count_search(buffer, "  Winter   LANTERN ", 3, day=DAY)
    stats.count_search(buffer, "winter lantern", 0, day=DAY)
    stats.count_search(buffer, "   ", 0, day=DAY)
    stats.flush_buffer(session, buffer)
    row = session.scalar(select(SearchQueryDaily))
    assert (row.query, row.searches, row.empty) == ("winter lantern", 2, 1)


def test_a_failed_flush_keeps_its_batch_for_the_next(session, monkeypatch):
    buffer = MemoryBuffer()
    stats.count_view(buffer, "work", 1, READER, day=DAY)
    from tercul.services.stats import counting

    def broken(*_args):
        raise RuntimeError("database away")

    monkeypatch.setattr(counting, "_write_counts", broken)
    with pytest.raises(RuntimeError):
        stats.flush_buffer(session, buffer)
    session.rollback()
    monkeypatch.undo()
    assert buffer.pending() == 1
    stats.flush_buffer(session, buffer)
    assert views(session) == 1 and buffer.pending() == 0
