"""Collections, likes and the reading list in a real browser.

A reader starts a collection from a work's page and adds a second work from its page
(htmx, no reload), reorders them with the keyboard, makes the collection public, likes
and bookmarks a work, reads to a line and continues reading from the home page, and
sees it all on /me. Another reader can neither see nor change the collection while it
is private: not by its URL, not by posting its forms, not through the API.
"""
from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from .conftest import screenshot
from .test_contribution_flow import PASSWORD, open_as  # noqa: F401 - the fixture

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def shelf(live_app):
    """Two made-up poems and two readers (committed)."""
    from tercul.extensions import cache, db
    from tercul.services import accounts, catalog
    from tercul.texts.model import Division, Line, Text

    run = uuid.uuid4().hex[:6]
    with live_app.app_context():
        session = db.session
        author = catalog.upsert_author(session, slug=f"oda-venn-{run}", name="Oda Venn", birth_year=1820,
                                       death_year=1880)
        slugs = []
        for n, title in enumerate(("The Harbour Bell", "Salt Orchard"), start=1):
            work, _ = catalog.upsert_work(session, catalog.WorkFields(
                slug=f"{title.lower().replace(' ', '-')}-{run}", title=title, language="en", form="poetry",
                authors=[author.slug], genres=[], tags=[]))
            catalog.set_work_text(session, work, Text(divisions=[Division("1", "stanza", lines=[
                Line("1.1", f"{title}: the first line rings"), Line("1.2", "a second answers it"),
                Line("1.3", "the third one keeps the place")])]))
            slugs.append(work.slug)
        people = {}
        for name in ("Ana", "Ben"):
            email = f"{name.lower()}-shelf-{run}@example.org"
            accounts.create_user(session, email=email, password=PASSWORD, display_name=f"{name} {run}",
                                 verified=True)
            people[name] = email
        session.commit()
        cache.clear()
        db.session.remove()
    return {"slugs": slugs, **people}


def _panel(page):
    panel = page.locator("#item-actions")
    panel.wait_for()
    return panel


def test_collect_reorder_publish_like_bookmark_and_continue_reading(shelf, open_as):  # noqa: F811
    first, second = shelf["slugs"]
    ana = open_as(shelf["Ana"])

    # a new collection from the first work's page, in place
    ana.goto(f"/works/{first}")
    ana.evaluate("window.__notReloaded = true")
    panel = _panel(ana)
    panel.get_by_text("Add to a collection").click()
    panel.get_by_label("New collection").fill("Harbour <poems>")
    panel.get_by_role("button", name="Create and add").click()
    ana.locator("#item-actions .flash", has_text="Added to your new collection").wait_for()
    assert ana.evaluate("window.__notReloaded") is True
    # the second work from its page, with the picker
    ana.goto(f"/works/{second}")
    ana.evaluate("window.__notReloaded = true")
    panel = _panel(ana)
    panel.get_by_text("Add to a collection").click()
    panel.get_by_role("button", name="Add to “Harbour <poems>”").click()
    ana.locator("#item-actions .flash", has_text="Added to “Harbour <poems>”").wait_for()
    assert ana.evaluate("window.__notReloaded") is True
    screenshot(ana, "collection-picker")

    ana.goto("/me")
    ana.get_by_role("link", name="Harbour <poems>").click()
    ana.wait_for_url(re.compile(r"/collections/\d+-harbour-poems$"))
    collection_url = ana.url
    titles = ana.locator("#items .item__main > a")
    assert titles.all_inner_texts() == ["The Harbour Bell", "Salt Orchard"]
    # reorder with the keyboard: focus "Move up" on the second item and press Enter
    ana.get_by_role("button", name="Move up: Salt Orchard").focus()
    ana.keyboard.press("Enter")
    expect(titles.first).to_have_text("Salt Orchard")
    assert titles.all_inner_texts() == ["Salt Orchard", "The Harbour Bell"]
    # the focus stays with the moved item (now first: its "Move down" button, "up" being disabled)
    expect(ana.get_by_role("button", name="Move down: Salt Orchard")).to_be_focused()

    # another reader: not by URL, not by the form, not through the API
    ben = open_as(shelf["Ben"])
    collection_id = re.search(r"/collections/(\d+)-", collection_url).group(1)
    assert ben.goto(collection_url).status == 404
    ben.goto("/collections/new")
    token = ben.locator("input[name=csrf_token]").first.get_attribute("value")
    posted = ben.request.post(f"{collection_url}/items", form={"csrf_token": token, "work_id": "1"})
    assert posted.status == 404
    posted = ben.request.post(f"{collection_url}/edit", form={"csrf_token": token, "title": "Mine now",
                                                              "is_public": "y"})
    assert posted.status == 404
    api = ben.request.post("/graphql", data={"query": "query($id: ID!) { collection(id: $id) { title } }",
                                             "variables": {"id": collection_id}})
    assert api.json()["data"]["collection"] is None
    ben.goto("/collections")
    assert "Harbour" not in ben.content()

    # public now
    ana.goto(f"{collection_url}/edit")
    ana.get_by_label(re.compile("^Public")).check()
    ana.get_by_role("button", name="Save").click()
    ana.wait_for_url(collection_url)
    assert ana.locator("h1 .badge").inner_text().lower() == "public"
    assert ben.goto(collection_url).status == 200
    posted = ben.request.post(f"{collection_url}/items", form={"csrf_token": token, "work_id": "1"})
    assert posted.status == 403

    # like and bookmark the first work, then read it to its third line
    ana.goto(f"/works/{first}")
    panel = _panel(ana)
    panel.get_by_role("button", name="♡ Like").click()
    ana.locator("#item-actions .toggle__button", has_text="♥ Liked").wait_for()
    assert "1 like" in ana.locator("#item-actions").inner_text()
    ana.get_by_role("button", name="+ Reading list").click()
    ana.locator("#item-actions .toggle__button", has_text="On your reading list").wait_for()
    ana.goto(f"/works/{first}?line=1.3#l-1.3")  # the reading view sends the line reached
    _panel(ana)
    for _attempt in range(20):
        ana.wait_for_timeout(250)
        ana.goto("/")
        if ana.locator("#continue-reading").count():
            break
    link = ana.locator("section[aria-labelledby=continue-reading] a", has_text="The Harbour Bell")
    assert "line 1.3" in ana.locator("section[aria-labelledby=continue-reading]").inner_text()
    screenshot(ana, "continue-reading")
    link.click()
    ana.wait_for_url(re.compile(rf"/works/{first}\?line=1\.3#l-1\.3$"))
    assert ana.locator("#l-1\\.3").is_visible()

    ana.goto("/me")
    me = ana.locator("main").inner_text() if ana.locator("main").count() else ana.content()
    for expected in ("Continue reading", "Harbour <poems>", "Reading list", "The Harbour Bell", "Likes"):
        assert expected in me
    screenshot(ana, "me-dashboard")
    assert ana.console_errors == []
    assert all("404" in error for error in ben.console_errors)  # the private page, refused
