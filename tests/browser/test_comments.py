"""A discussion beside the text, in a real browser.

A reader opens a line's thread from the "+" beside it in the reading view and comments
on the line (htmx, no reload); the page then shows a marker with the count beside that
line; another reader opens the thread from the marker and replies; a reviewer hides
the first comment with a reason, which its author then reads.
"""
from __future__ import annotations

import uuid

import pytest

from .conftest import screenshot
from .test_contribution_flow import open_as, verified_people  # noqa: F401 - the logged-in pages fixture

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def discussion(live_app):
    """A made-up poem, two readers and a reviewer (committed)."""
    from tercul.extensions import cache, db
    from tercul.services import catalog
    from tercul.texts.model import Division, Line, Text

    run = uuid.uuid4().hex[:6]
    with live_app.app_context():
        session = db.session
        work, _ = catalog.upsert_work(session, catalog.WorkFields(
            slug=f"the-weir-{run}", title="The Weir", language="en", form="poetry", authors=[], genres=[],
            tags=[]))
        catalog.set_work_text(session, work, Text(divisions=[
            Division("1", "stanza", lines=[Line("1.1", "The river leans against the weir"),
                                           Line("1.2", "and folds its water white"),
                                           Line("1.3", "as if the stones could hear")])]))
        work_slug = work.slug
        people = verified_people(session, run, {"Dora": "reader", "Emil": "reader", "Fay": "reviewer"})
        session.commit()
        cache.clear()
        db.session.remove()
    return {"slug": work_slug, **people}


def test_comment_on_a_line_reply_and_hide(discussion, open_as):  # noqa: F811
    slug = discussion["slug"]
    line = "#l-1\\.2"

    dora = open_as(discussion["Dora"])
    dora.goto(f"/works/{slug}")
    dora.locator("#thread .empty").wait_for()  # the thread, loaded in place
    dora.locator(line).hover()
    dora.locator(f"{line} .cmark").click()  # "+": the line's thread opens in place
    form = dora.get_by_label("Your comment on line 1.2")
    form.fill("The *white* folds the whole stanza.")
    url_before = dora.url
    dora.get_by_role("button", name="Post").click()
    dora.locator("#thread .comment-body em", has_text="white").wait_for()
    assert dora.url == url_before  # no reload
    dora.reload()
    marker = dora.locator(f"{line} .cmark")
    assert marker.inner_text() == "1" and "add" not in (marker.get_attribute("class") or "")
    assert dora.locator("#l-1\\.1 .cmark.add").count() == 1
    screenshot(dora, "comments-line-marker")

    emil = open_as(discussion["Emil"])
    emil.goto(f"/works/{slug}")
    emil.locator(f"{line} .cmark").click()  # even before the thread has loaded (hx-sync replaces that request)
    emil.locator("#thread .thread-filter", has_text="line 1.2").wait_for()
    emil.locator("#thread .comment-reply summary").click()
    emil.get_by_label("Your reply").fill("And the stones do hear it.")
    emil.get_by_role("button", name="Reply", exact=True).click()
    emil.locator("#thread .replies .comment-body", has_text="the stones do hear").wait_for()

    fay = open_as(discussion["Fay"])
    fay.goto(f"/works/{slug}")
    fay.locator("#thread .comment-hide summary").first.click()
    fay.get_by_label("Why (its author will read this)").first.fill("Testing the moderation.")
    fay.get_by_role("button", name="Hide the comment").first.click()
    fay.locator("#thread .comment--hidden").wait_for()
    screenshot(fay, "comments-hidden")

    emil.goto(f"/works/{slug}")
    hidden = emil.locator("#thread .comment--hidden")
    hidden.wait_for()
    assert "Hidden by the moderators" in hidden.inner_text() and "white" not in hidden.inner_text()
    dora.goto(f"/works/{slug}")
    own = dora.locator("#thread .comment--hidden")
    own.wait_for()
    assert "Testing the moderation." in own.inner_text()
    for p in (dora, emil, fay):
        # a thread load replaced by a marker click (hx-sync "replace") is aborted on purpose,
        # and htmx reports the aborted request on the console: that one is not an error of ours
        assert [e for e in p.console_errors if not e.startswith("htmx:afterRequest")] == []
