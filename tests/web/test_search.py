"""The search page, its htmx fragment, bad input, saved searches and the admin jobs page."""
from __future__ import annotations

import pytest
from contribution_helpers import login, page_client, post, text
from factories import UserFactory, make_work
from sqlalchemy import select

from tercul.models import OutboxEntry, SavedSearch
from tercul.models._base import utcnow
from tercul.search import forget_backends, get_backend, indexer


@pytest.fixture
def client(app, session, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "SEARCH_INDEX_PATH", tmp_path / "index")
    yield page_client(app)
    forget_backends()


@pytest.fixture
def poems(app, session, client):
    make_work("evening", title="Evening Song", translations=("de",), genres=("Lyric",))
    make_work("morning", title="Morning Song", language="fr", form="prose")
    session.commit()
    indexer.reindex(session, get_backend(app), embed=False)


def test_the_page_and_its_fragment(client, poems):
    page = client.get("/search?q=line")
    html = text(page)
    assert page.status_code == 200 and "<html" in html and 'id="search-results"' in html
    assert 'href="/search" aria-current="page">Search</a>' in html
    assert "/works/evening?line=" in html and "<mark>line</mark>" in html
    fragment = client.get("/search?q=line&lang=de", headers={"HX-Request": "true"})
    assert "<html" not in text(fragment) and "HX-Request" in fragment.headers["Vary"]
    assert "/works/evening?with=de&amp;line=1.1#l-1.1" in text(fragment)


def test_browse_view_without_a_query(client, poems):
    html = text(client.get("/search"))
    assert "3 texts" in html and "Evening Song" in html and 'data-facet="form"' in html


@pytest.mark.parametrize("q", ['"unbalanced', "a" * 10_000, "x\x00y\x1bz", "foo) AND (bar", "title:x* ~2 ^3",
                               "-", "\"\"", "((((", "NOT"])
def test_bad_queries_never_fail(client, poems, q):
    for mode in ("keyword", "semantic", "hybrid"):
        response = client.get("/search", query_string={"q": q, "mode": mode, "alpha": "2", "page": "x",
                                                        "from": "abc", "lang": "zz"})
        assert response.status_code == (400 if "\x00" in q else 200)  # NUL: refused at the edge for every input


def test_unknown_filter_values_are_shown_as_ignored(client, poems):
    html = text(client.get("/search?q=line&lang=xx&form=sonnet"))
    assert "Ignored filter values" in html and "xx" in html and "sonnet" in html


def test_saving_a_search_needs_a_login(client, poems, session):
    response = client.post("/search/save", data={"query_string": "q=line", "name": "x"})
    assert response.status_code in (302, 400)
    assert session.scalar(select(SavedSearch.id)) is None


def test_saved_searches_are_listed_rerun_and_deleted(client, poems, session):
    ana, bob = UserFactory(), UserFactory()
    session.commit()
    login(client, ana)
    assert "Save this search" in text(client.get("/search?q=line"))
    response = post(client, "/search/save", {"query_string": "q=line&lang=de", "name": "German lines"},
                    token_from="/search")
    assert response.status_code == 302 and response.location.endswith("/search?q=line&lang=de")
    listing = text(client.get("/me/searches"))
    assert "German lines" in listing and 'href="/search?q=line&amp;lang=de"' in listing
    me = text(client.get("/me"))  # the profile lists the newest ones and links to the rest
    assert 'href="/search?q=line&amp;lang=de">German lines</a>' in me and 'href="/me/searches"' in me
    saved = session.scalar(select(SavedSearch))
    login(client, bob)
    assert post(client, f"/me/searches/{saved.id}/delete", {}, token_from="/search").status_code == 403
    login(client, ana)
    assert post(client, f"/me/searches/{saved.id}/delete", {}, token_from="/search").status_code == 302
    assert session.scalar(select(SavedSearch.id)) is None


def test_jobs_page_is_for_admins_and_retries(client, session):
    make_work()
    entry = session.scalar(select(OutboxEntry).where(OutboxEntry.topic == "index"))
    entry.dead_at, entry.attempts, entry.last_error = utcnow(), 5, "Traceback...\nRuntimeError: engine down"
    reader, boss = UserFactory(), UserFactory(role="admin")
    session.commit()
    login(client, reader)
    assert client.get("/admin/jobs").status_code == 403
    login(client, boss)
    html = text(client.get("/admin/jobs"))
    assert f"#{entry.id} index" in html and "RuntimeError: engine down" in html
    # every topic the publish wrote (index, analyse) has a handler now
    assert "analyse: " in html and "no worker handles" not in html
    assert post(client, f"/admin/jobs/{entry.id}/retry", {}, token_from="/admin/jobs").status_code == 302
    session.refresh(entry)
    assert entry.dead_at is None and entry.attempts == 0
