"""A translation from first draft to the work page, in a real browser.

A contributor types a translation and the live preview warns that a stanza is
missing; she submits it anyway; a reviewer asks for changes; she sends a second
revision; another reviewer approves it; the translation is read beside its original
on the work page, and its history leads to both revisions and their differences.
Each person has their own browser context (their own cookies), as in life.
"""
from __future__ import annotations

import re
import uuid

import pytest

from .conftest import CHROMIUM_ARGS, log_in, screenshot  # noqa: F401

pytestmark = pytest.mark.browser

PASSWORD = "lantern orchard thunder"
STANZA_1 = "Am Abend steigt der Wärter auf\n  und zündet still das Licht\ndas Meer hört ihm beim Steigen zu"
STANZA_2 = "Am Morgen löscht er Glas um Glas\n  und schläft, wenn Möwen schrein\ndie Stufen zählen, was er war"


@pytest.fixture(scope="module")
def cast(live_app):
    """A made-up poem in the library, a contributor and two reviewers (committed)."""
    from tercul.extensions import cache, db
    from tercul.texts.model import Division, Line, Text
    from tercul.services import catalog

    run = uuid.uuid4().hex[:6]
    with live_app.app_context():
        session = db.session
        author = catalog.upsert_author(session, slug=f"ida-marlow-{run}", name="Ida Marlow", birth_year=1810,
                                       death_year=1871)
        work, _ = catalog.upsert_work(session, catalog.WorkFields(
            slug=f"the-lamplighter-{run}", title="The Lamplighter", language="en", form="poetry",
            authors=[author.slug], genres=[], tags=[]))
        catalog.set_work_text(session, work, Text(divisions=[
            Division("1", "stanza", lines=[Line("1.1", "At dusk the keeper climbs the stair"),
                                           Line("1.2", "and lights the lamp alone", indent=2),
                                           Line("1.3", "the sea attends him as he goes")]),
            Division("2", "stanza", lines=[Line("2.1", "At dawn he dims it pane by pane"),
                                           Line("2.2", "and sleeps while gulls complain", indent=2),
                                           Line("2.3", "the steps remember what he was")])]))
        people = verified_people(session, run, {"Ana": "contributor", "Ben": "reviewer", "Cat": "reviewer"})
        slug = work.slug
        session.commit()
        cache.clear()
        db.session.remove()
    return {"slug": slug, "run": run, **people}


def verified_people(session, run: str, roles: dict[str, str]) -> dict[str, str]:
    """Verified accounts (name -> role) with :data:`PASSWORD`, named after the run; name -> email."""
    from tercul.services import accounts

    people = {}
    for name, role in roles.items():
        people[name] = f"{name.lower()}-{run}@example.org"
        accounts.create_user(session, email=people[name], password=PASSWORD, display_name=f"{name} {run}",
                             role=role, verified=True)
    return people


@pytest.fixture
def open_as(browser, live_server):
    """A logged-in page for one person, in a browser context of their own."""
    contexts = []

    def open_page(email: str):
        context = browser.new_context(base_url=live_server, viewport={"width": 1440, "height": 900})
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
            ("http://127.0.0.1", "data:")) else route.abort())
        contexts.append(context)
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None)
        log_in(page, email, PASSWORD)
        return page

    yield open_page
    for context in contexts:
        context.close()


def test_a_translation_from_draft_to_the_work_page(cast, open_as, live_server):
    slug = cast["slug"]

    # --- the contributor finds the work and types a translation with a stanza missing
    ana = open_as(cast["Ana"])
    ana.goto("/contribute")
    ana.get_by_label("Title of the work").fill("Lamplighter")
    ana.get_by_role("button", name="Find").click()
    # this run's poem (other modules make their own Lamplighter in the same library)
    ana.locator(f'a[href$="/contribute/works/{slug}/translate"]').first.click()
    ana.wait_for_url(f"**/contribute/works/{slug}/translate")
    assert "At dusk the keeper climbs the stair" in ana.locator("#preview").inner_text()  # the original to read
    # the language picker (issue #14): a name from its list, and the form sends the code
    ana.get_by_label("Language", exact=True).fill("German · Deutsch")
    assert ana.locator('.language-picker input[type="hidden"][name="language"]').input_value() == "de"
    ana.get_by_label("Title of the translation").fill("Der Lampenwärter")
    ana.get_by_label("Text", exact=True).fill(STANZA_1)
    # the live preview (htmx, no reload) aligns the lines and warns about the missing stanza
    warning = ana.locator(".c-structure")
    warning.wait_for()
    assert "The original has 2 stanzas; this text has 1." in warning.inner_text()
    row = ana.locator(".c-preview tr", has=ana.locator("td.c-key", has_text="1.2"))
    assert "and lights the lamp alone" in row.locator(".c-o").inner_text()
    assert "und zündet still das Licht" in row.locator(".c-t").inner_text()
    screenshot(ana, "contribute-preview")
    ana.get_by_role("button", name="Submit for review").click()
    # the missing stanza: a confirmation first, with the warnings
    confirm = ana.locator("#confirm")
    confirm.wait_for()
    assert "The original has 2 stanzas; this text has 1." in confirm.inner_text()
    ana.get_by_role("button", name="Submit anyway").click()
    ana.wait_for_url(re.compile(r"/contribute/\d+$"))
    contribution_url = ana.url
    assert ana.locator(".c-head .c-status").text_content() == "Waiting for review"
    assert "German (de)" in ana.inner_text("main")

    # --- the first reviewer asks for the missing stanza
    ben = open_as(cast["Ben"])
    ben.goto("/review")
    ben.get_by_role("link", name="Der Lampenwärter").click()
    assert "Stanza 2 of the original has no counterpart." in ben.inner_text("main")
    ben.get_by_label("Comment for the contributor").fill("The second stanza is missing.")
    ben.get_by_role("button", name="Request changes").click()
    ben.wait_for_url("**/review")
    assert "Sent back to the contributor" in ben.inner_text("main")

    # --- the contributor reads the comment and sends a second revision
    ana.goto("/contribute")
    assert "asked for changes to “Der Lampenwärter”" in ana.inner_text("main")
    ana.goto(contribution_url)
    assert "The second stanza is missing." in ana.inner_text("main")
    ana.get_by_role("link", name="Revise or answer").click()
    ana.wait_for_load_state()  # htmx bound to the form before typing (under load it came late)
    box = ana.get_by_label("Text", exact=True)
    assert box.input_value() == STANZA_1
    box.fill(STANZA_1 + "\n\n" + STANZA_2)
    ana.locator(".c-preview .c-ok", has_text="aligned with the original").wait_for()
    ana.get_by_label("A note for the reviewers").fill("Added the second stanza.")
    ana.get_by_role("button", name="Send revision 2").click()
    ana.wait_for_url(contribution_url)
    assert "revision 2" in ana.inner_text("main")

    # --- another reviewer sees what changed since the request, and approves
    cat = open_as(cast["Cat"])
    cat.goto("/review")
    cat.get_by_role("link", name="Der Lampenwärter").click()
    changes = cat.locator("section", has=cat.get_by_role("heading", name="What changed since revision 1"))
    assert "Am Morgen löscht er Glas um Glas" in changes.locator("ins").first.inner_text()
    screenshot(cat, "review")
    cat.get_by_label("Comment for the contributor").fill("Lovely, thank you.")
    cat.get_by_role("button", name="Approve and publish").click()
    cat.wait_for_url("**/review")
    assert "is published" in cat.inner_text("main")

    # --- the translation is on the work page, aligned with the original
    cat.goto(f"/works/{slug}?with=de")
    original = cat.locator("#l-2\\.2")
    segment = original.locator("xpath=ancestor::div[contains(@class,'seg')][1]")
    assert "und schläft, wenn Möwen schrein" in segment.locator('.cell[lang="de"]').inner_text()

    # --- its history: the published revision, from a contribution with two revisions and their differences
    cat.goto(f"/works/{slug}/translations/de/history")
    history = cat.inner_text("main")
    assert "Revision 1" in history and "after 2 revisions" in history and "Ben" in history
    cat.get_by_role("link", name="how it changed in review").click()
    assert "Revision 1 → revision 2" in cat.inner_text("h1")
    assert "Am Abend steigt der Wärter auf" not in cat.locator("ins").all_inner_texts()
    assert any("Am Morgen" in t for t in cat.locator("ins").all_inner_texts())

    # --- and the contributor may not approve (there is nothing left to approve, and never her own)
    assert "approve" not in ana.content().split('name="decision"')[0][-200:]
    for page in (ana, ben, cat):
        assert page.console_errors == [], page.console_errors


def test_a_contributor_cannot_approve_their_own_submission(cast, open_as):
    """The review page offers no decision on one's own work, and a crafted POST is refused."""
    reviewer = open_as(cast["Ben"])
    reviewer.goto(f"/contribute/works/{cast['slug']}/translate")
    reviewer.get_by_label("Language", exact=True).fill("fr")
    reviewer.get_by_label("Title of the translation").fill("Le Falotier")
    reviewer.get_by_label("Text", exact=True).fill("Au soir\net puis\nla mer\n\nAu matin\net puis\nles marches")
    reviewer.get_by_role("button", name="Submit for review").click()
    reviewer.wait_for_url(re.compile(r"/contribute/\d+$"))
    contribution_id = reviewer.url.rsplit("/", 1)[1]
    reviewer.goto(f"/review/{contribution_id}")
    assert "This is your own contribution" in reviewer.inner_text("main")
    assert reviewer.get_by_role("button", name="Approve and publish").count() == 0
    token = reviewer.evaluate("JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRFToken']")
    response = reviewer.request.post(f"/review/{contribution_id}", form={
        "csrf_token": token, "decision": "approve", "expected_status": "pending", "expected_revision": "1"})
    assert response.status == 403 and "You cannot review your own contribution" in response.text()
    reviewer.goto(f"/contribute/{contribution_id}")
    assert reviewer.locator(".c-head .c-status").text_content() == "Waiting for review"
    assert reviewer.console_errors == []
