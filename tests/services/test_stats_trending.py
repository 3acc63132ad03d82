"""Trending: the decayed score on a simulated history, languages, the other areas' events."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from factories import UserFactory, make_work
from sqlalchemy import select

from tercul.models import Like, TrendingEntry, ViewDaily
from tercul.services import stats

NOW = datetime(2026, 11, 30, 15, 0, tzinfo=timezone.utc)
TODAY = NOW.date()


def add_views(session, kind, target_id, per_day: dict[int, int]) -> None:
    """``per_day``: days ago -> views."""
    session.add_all(ViewDaily(kind=kind, target_id=target_id, day=TODAY - timedelta(days=ago), views=n)
                    for ago, n in per_day.items())
    session.flush()


def ranking(session, period, language=""):
    return [e.work_id for e in session.scalars(select(TrendingEntry).where(
        TrendingEntry.period == period, TrendingEntry.language == language).order_by(TrendingEntry.rank))]


def test_a_burst_outranks_a_trickle_for_the_day_but_not_for_the_month(session):
    burst, trickle = make_work("burst"), make_work("trickle")
    add_views(session, "work", burst.id, {0: 100})
    add_views(session, "work", trickle.id, {ago: 10 for ago in range(60)})
    stats.compute_trending(session, now=NOW)
    assert ranking(session, "day") == [burst.id, trickle.id]
    assert ranking(session, "month") == [trickle.id, burst.id]


def test_old_views_fall_out_of_the_window(session):
    work = make_work()
    add_views(session, "work", work.id, {5: 50})
    stats.compute_trending(session, now=NOW)
    assert ranking(session, "day") == [] and ranking(session, "week") == [work.id]


def test_the_decay_is_exponential_and_bounded():
    assert stats.decay(0, "day") == 1.0
    assert abs(stats.decay(7, "week") - 0.36788) < 1e-4
    assert stats.decay(3, "day") == 0.0 and stats.decay(-1, "month") == 0.0


def test_translation_views_count_in_their_language_and_work_views_in_the_original(session):
    german_read = make_work("german-read", language="en", translations=("de",))
    english_read = make_work("english-read", language="en", translations=("de",))
    add_views(session, "translation", german_read.translations[0].id, {0: 30})
    add_views(session, "work", english_read.id, {0: 10})
    stats.compute_trending(session, now=NOW)
    assert ranking(session, "day", "de") == [german_read.id]
    assert ranking(session, "day", "en") == [english_read.id]
    assert ranking(session, "day") == [german_read.id, english_read.id]


def test_likes_and_new_translations_count(session):
    liked, quiet = make_work("liked", translations=("fr",)), make_work("quiet")
    # the factory's translations were published just now: move them out of every window
    for t in liked.translations:
        t.published_at = NOW - timedelta(days=200)
    session.add_all(Like(user_id=UserFactory().id, target_kind="work", target_id=liked.id, work_id=liked.id,
                         created_at=NOW - timedelta(hours=2)) for _ in range(2))
    add_views(session, "work", quiet.id, {0: 5})
    session.flush()
    stats.compute_trending(session, now=NOW)
    assert ranking(session, "day") == [liked.id, quiet.id]  # two likes (10) beat five views
    liked.translations[0].published_at = NOW - timedelta(hours=1)
    session.flush()
    stats.compute_trending(session, now=NOW)
    assert ranking(session, "day", "fr") == [liked.id]


def test_a_like_of_a_translation_counts_for_its_work_in_its_language(session):
    liked, quiet = make_work("liked", translations=("de",)), make_work("quiet")
    for t in liked.translations:
        t.published_at = NOW - timedelta(days=200)
    session.add(Like(user_id=UserFactory().id, target_kind="translation", target_id=liked.translations[0].id,
                     created_at=NOW - timedelta(hours=2)))
    add_views(session, "work", quiet.id, {0: 3})
    session.flush()
    stats.compute_trending(session, now=NOW)
    assert ranking(session, "day") == [liked.id, quiet.id]  # one like (5) beats three views
    assert ranking(session, "day", "de") == [liked.id]


def test_recomputing_replaces_the_lists(session):
    work = make_work()
    add_views(session, "work", work.id, {0: 1})
    assert stats.compute_trending(session, now=NOW) == stats.compute_trending(session, now=NOW)
    assert len(ranking(session, "week")) == 1
