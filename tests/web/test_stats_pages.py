"""Views counted by pages, /trending, the home strip, work counts and /admin/stats."""
from __future__ import annotations

from datetime import timedelta

import pytest
from contribution_helpers import login
from factories import UserFactory, make_work
from sqlalchemy import select

from tercul.extensions import cache
from tercul.models import SearchQueryDaily, ViewDaily
from tercul.services import stats
from tercul.services.stats.buffer import MemoryBuffer

BROWSER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0"}


@pytest.fixture
def buffer(app):
    """A fresh view buffer for this test (the app's lives as long as the test session)."""
    fresh = MemoryBuffer()
    previous = app.extensions.get("tercul.stats.buffer")
    app.extensions["tercul.stats.buffer"] = fresh
    cache.clear()
    yield fresh
    app.extensions["tercul.stats.buffer"] = previous


def test_a_work_page_counts_one_view_per_reader_and_day_without_writing(client, session, buffer, count_queries):
    work = make_work("counted")
    with count_queries:
        assert client.get("/works/counted", headers=BROWSER).status_code == 200
    assert not [s for s in count_queries.statements if s.lstrip().upper().startswith(("INSERT", "UPDATE"))]
    client.get("/works/counted", headers=BROWSER)
    client.get("/works/counted", headers={**BROWSER, "HX-Request": "true"})
    assert buffer.pending() == 1
    stats.flush_buffer(session, buffer)
    assert session.scalar(select(ViewDaily.views).where(ViewDaily.kind == "work",
                                                        ViewDaily.target_id == work.id)) == 1


@pytest.mark.parametrize("headers", [
    {"User-Agent": "Mozilla/5.0 (compatible; bingbot/2.0)"}, {**BROWSER, "DNT": "1"}, {**BROWSER, "Sec-GPC": "1"}, {"User-Agent": ""}])
def test_robots_and_opted_out_readers_are_not_counted(client, session, buffer, headers):
    make_work("private")
    assert client.get("/works/private", headers=headers).status_code == 200
    assert buffer.pending() == 0


def test_a_translation_page_counts_its_translation(client, session, buffer):
    work = make_work("translated", translations=("de",))
    assert client.get(f"/works/translated/translations/{work.translations[0].key}", headers=BROWSER).status_code == 200
    buffer.seal()
    [(_b, counts)] = buffer.batches()
    assert list(counts) == [f"v|{stats.today().isoformat()}|translation|{work.translations[0].id}"]


def test_the_work_page_shows_its_counts(client, session, buffer):
    work = make_work("shown", translations=("de", "fr"))
    session.add(ViewDaily(kind="work", target_id=work.id, day=stats.today() - timedelta(days=1), views=1234))
    session.flush()
    html = client.get("/works/shown").get_data(as_text=True)
    assert 'data-views="1234"' in html and "1,234 views" in html and "2 translations" in html


def _trend(session, *works):
    for n, work in enumerate(works):
        session.add(ViewDaily(kind="work", target_id=work.id, day=stats.today(), views=10 * (len(works) - n)))
    session.flush()
    stats.compute_trending(session)
    session.flush()


def test_trending_page_with_tabs_and_languages(client, session):
    first, second = make_work("first", language="en"), make_work("second", language="fr")
    _trend(session, first, second)
    html = client.get("/trending").get_data(as_text=True)
    assert html.index("/works/first") < html.index("/works/second")
    assert 'aria-current="page">This week' in html and 'hx-target="#trending-area"' in html
    assert "Most translated" in html and "Recently translated" in html
    french = client.get("/trending?period=day&lang=fr", headers={"HX-Request": "true"})
    body = french.get_data(as_text=True)
    assert "<html" not in body and "/works/second" in body and "/works/first" not in body
    assert 'aria-current="page">Today' in body


def test_trending_explains_a_bad_period(client, session):
    html = client.get("/trending?period=decade&lang=%3Cscript%3E").get_data(as_text=True)
    assert "There is no period “decade”" in html and "<script>" not in html


def test_trending_page_statement_count_is_fixed(client, session, count_queries):
    works = [make_work(f"t{n}", translations=("de",)) for n in range(6)]
    _trend(session, *works[:2])
    cache.clear()
    with count_queries:
        client.get("/trending")
    few = count_queries.count
    _trend(session, *works[2:])
    cache.clear()
    with count_queries:
        client.get("/trending")
    assert count_queries.count == few


def test_the_home_page_has_a_trending_strip(client, session):
    work = make_work("on-the-strip", title="On the strip")
    _trend(session, work)
    cache.clear()
    html = client.get("/").get_data(as_text=True)
    assert "Trending this week" in html and "/works/on-the-strip" in html


def test_admin_stats_are_for_administrators(client, session):
    login(client, UserFactory(role="reviewer"))
    assert client.get("/admin/stats").status_code == 403
    assert client.get("/admin/stats.csv").status_code == 403


def test_admin_stats_plots_and_csv(client, session, buffer):
    admin = UserFactory(role="admin")
    session.add(ViewDaily(kind="work", target_id=1, day=stats.today(), views=42))
    session.add(SearchQueryDaily(day=stats.today(), query="silver lantern", searches=3, empty=3))
    session.flush()
    login(client, admin)
    html = client.get("/admin/stats?days=7").get_data(as_text=True)
    assert html.count("<svg") == len(stats.SERIES) and "silver lantern" in html
    assert f"<title>{stats.today().isoformat()}: 42</title>" in html
    csv = client.get("/admin/stats.csv?days=7")
    lines = csv.get_data(as_text=True).splitlines()
    assert csv.mimetype == "text/csv" and len(lines) == 8 and lines[-1].startswith(f"{stats.today().isoformat()},42,")
    assert client.get("/admin/stats?days=lots").status_code == 400


def test_searches_are_counted(client, session, buffer):
    client.get("/search?q=winter+lantern")
    client.get("/search?q=winter+lantern&page=2")
    buffer.seal()
    [(_b, counts)] = buffer.batches()
    assert [k.split("|", 3)[3] for k in counts] == ["winter lantern"]


def test_translator_profile_shows_reads(client, session):
    translator = UserFactory(username="tina", display_name="Tina")
    work = make_work("tina-work", translations=("de",))
    work.translations[0].translator_id = translator.id
    session.add(ViewDaily(kind="translation", target_id=work.translations[0].id, day=stats.today(), views=17))
    session.flush()
    html = client.get("/users/tina").get_data(as_text=True)
    assert "17 views" in html
