"""Collection pages, like and bookmark toggles, the work page's panel, /me and the home page."""
from __future__ import annotations

import re

import pytest

from tercul.services import accounts, contributions
from tercul.services.social import bookmarks, collections, likes
from tests.contribution_helpers import login, page_client, text
from tests.factories import make_work

PASSWORD = "lantern orchard thunder"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def client(app, session):
    return page_client(app)


@pytest.fixture(autouse=True)
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def user(session, name="Ana", **kw):
    return accounts.create_user(session, email=f"{name.lower()}@example.org", password=PASSWORD, display_name=name,
                                verified=True, **kw)


def token(client, path="/collections/new") -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', text(client.get(path))).group(1)


def post(client, path, data, headers=None, token_from="/collections/new"):
    return client.post(path, data={"csrf_token": token(client, token_from), **data}, headers=headers or {})


def test_create_add_from_the_work_page_reorder_and_publish(client, session):
    ana = user(session)
    w1, w2 = make_work(title="Alpha"), make_work(title="Beta", translations=("de",))
    login(client, ana)
    response = post(client, "/collections/new", {"title": "Night <b>poems</b>", "description": "<script>x()</script>"})
    assert response.status_code == 303
    ident = response.headers["Location"].rsplit("/", 1)[1]
    page = text(client.get(f"/collections/{ident}"))
    assert "Night &lt;b&gt;poems&lt;/b&gt;" in page and "<script>x()" not in page and "private" in page

    panel = text(client.get(f"/works/{w1.slug}/actions", headers=HTMX))
    assert 'id="item-actions"' in panel and "Add to “Night &lt;b&gt;poems&lt;/b&gt;”" in panel
    for work in (w1, w2):
        answer = post(client, f"/collections/{ident}/items", {"work_id": work.id}, HTMX)
        assert "Added to" in text(answer) and "✓ In" in text(answer)
    again = post(client, f"/collections/{ident}/items", {"work_id": w1.id}, HTMX)
    assert "already in" in text(again)

    view = collections.get_collection(session, ana, ident)
    first, second = [i.id for i in sorted(view.items, key=lambda i: i.position)]
    moved = post(client, f"/collections/{ident}/items/{second}/move", {"direction": "up", "index": 1}, HTMX)
    assert text(moved).index("Beta") < text(moved).index("Alpha")
    stale = post(client, f"/collections/{ident}/items/{second}/move", {"direction": "up", "index": 1}, HTMX)
    assert "changed meanwhile" in text(stale)
    no_js = post(client, f"/collections/{ident}/items/{second}/move", {"direction": "down", "index": 0})
    assert no_js.status_code == 303
    dragged = post(client, f"/collections/{ident}/order", {"items": f"{second},{first}"}, HTMX)
    assert text(dragged).index("Beta") < text(dragged).index("Alpha")
    assert "changed meanwhile" in text(post(client, f"/collections/{ident}/order", {"items": f"{second}"}, HTMX))
    noted = post(client, f"/collections/{ident}/items/{first}/note", {"note": "<i>read aloud</i>"}, HTMX)
    assert "&lt;i&gt;read aloud&lt;/i&gt;" in text(noted) and "The note was saved." in text(noted)

    assert post(client, f"/collections/{ident}/edit", {"title": "Night poems", "is_public": "y"}).status_code == 303
    listed = text(client.get("/collections?q=night"))
    assert "Night poems" in listed and "0 likes" in listed
    post(client, f"/likes/collection/{view.id}", {"liked": "1"}, HTMX)
    assert "1 like<" in text(client.get("/collections?q=night"))  # the kept list changed with it
    assert post(client, f"/collections/{ident}/delete", {}).status_code == 303
    assert client.get(f"/collections/{ident}").status_code == 404
    assert "No public collection" in text(client.get("/collections?q=night"))


def test_others_cannot_see_or_change_a_private_collection(client, session):
    ana, ben = user(session), user(session, "Ben")
    work = make_work()
    c = collections.create_collection(session, ana, title="Secret")
    collections.add_item(session, ana, c.id, work_id=work.id)
    assert client.get(f"/collections/{c.id}").status_code == 404
    login(client, ben)
    assert client.get(f"/collections/{c.id}-secret").status_code == 404
    assert client.get(f"/collections/{c.id}/edit").status_code == 404
    assert post(client, f"/collections/{c.id}/items", {"work_id": work.id}).status_code == 404
    assert post(client, f"/collections/{c.id}/delete", {}).status_code == 404
    assert post(client, f"/likes/collection/{c.id}", {"liked": "1"}).status_code == 404
    assert "Secret" not in text(client.get("/collections"))
    assert client.get("/collections/not-a-number").status_code == 404


def test_like_and_bookmark_toggles_are_idempotent(client, session):
    ana = user(session)
    work = make_work(translations=("de",))
    login(client, ana)
    for _ in range(2):
        answer = text(post(client, f"/likes/work/{work.id}", {"liked": "1"}, HTMX))
        assert "♥ Liked" in answer and "1 like<" in answer
    assert post(client, f"/likes/work/{work.id}", {"liked": "0"}).status_code == 303
    assert post(client, "/likes/author/1", {"liked": "1"}).status_code == 400
    answer = text(post(client, f"/bookmarks/{work.id}", {"bookmarked": "1"}, HTMX))
    assert "On your reading list" in answer and "data-position-url" in answer
    saved = post(client, f"/bookmarks/{work.id}/position", {"line": "l-1.2", "translation": "de"})
    assert saved.status_code == 204
    assert post(client, f"/bookmarks/{work.id}/position", {"line": "<x>"}).status_code == 400

    home = text(client.get("/"))
    assert "Continue reading" in home and f"/works/{work.slug}?line=1.2" in home.replace("&amp;", "&")
    me = text(client.get("/me"))
    assert "Continue reading" in me and "Reading list" in me and "Your comments will be listed here" in me


def test_the_panel_for_anonymous_readers_and_the_cached_work_page(client, session):
    work = make_work(translations=("de",))
    likes.set_like(session, user(session), "work", work.id, True)
    page = text(client.get(f"/works/{work.slug}"))
    assert f"/works/{work.slug}/actions" in page
    panel = text(client.get(f"/works/{work.slug}/translations/de/actions"))
    assert "Log in" in panel and "0 likes" in panel
    assert "1 like " in text(client.get(f"/works/{work.slug}/actions", headers=HTMX))
    assert client.get(f"/works/{work.slug}/translations/xx/actions").status_code == 404


def test_me_lists_are_paged_in_a_fixed_number_of_statements(client, session, count_queries):
    ana = user(session, role="contributor")
    works = [make_work() for _ in range(12)]
    contributions.propose_translation(session, ana, works[0].id, language="de", title="Werk",
                                      text="Eine Zeile\nZwei Zeilen")
    c = collections.create_collection(session, ana, title="Many", is_public=True)
    for work in works:
        likes.set_like(session, ana, "work", work.id, True)
        bookmarks.set_bookmark(session, ana, work.id, True)
        collections.add_item(session, ana, c.id, work_id=work.id)
    login(client, ana)
    client.get("/me")
    with count_queries as counter:
        page = text(client.get("/me?likes_page=2&reading_page=2"))
    assert "likes_page=1" in page.replace("&amp;", "&") and "Werk" in page
    few = counter.count
    with count_queries as counter:
        client.get(f"/collections/{c.id}")
    items_page = counter.count
    for work in [make_work() for _ in range(5)]:
        collections.add_item(session, ana, c.id, work_id=work.id)
        likes.set_like(session, ana, "work", work.id, True)
    with count_queries as counter:
        client.get("/me?likes_page=2&reading_page=2")
    assert counter.count == few
    with count_queries as counter:
        client.get(f"/collections/{c.id}")
    assert counter.count == items_page


def test_featured_collections_on_the_home_page(client, session):
    ana, admin = user(session), user(session, "Root", role="admin")
    c = collections.create_collection(session, ana, title="Sea poems", is_public=True)
    login(client, admin)
    assert post(client, f"/collections/{c.id}/featured", {"featured": "1"}).status_code == 303
    assert "Featured collections" in text(client.get("/")) and "Sea poems" in text(client.get("/"))
    assert f"/collections/{c.id}-sea-poems" in text(client.get(f"/users/{ana.username}"))  # on the owner's profile
    login(client, ana)
    assert post(client, f"/collections/{c.id}/featured", {"featured": "0"}).status_code == 403
