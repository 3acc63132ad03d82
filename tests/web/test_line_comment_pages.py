"""Comments on single lines on the review page and the contributor's page."""
from __future__ import annotations

import pytest
from contribution_helpers import GERMAN, login, post, text
from factories import UserFactory, make_work
from web.test_review_pages import client, people  # noqa: F401 - the same client, Ana and Ben

from tercul.services import contributions as svc


@pytest.fixture
def c(session, people):
    work = make_work("the-bell", title="The Bell", stanzas=2, lines=4)
    c = svc.propose_translation(session, people.ana, work.id, language="de", title="Die Glocke", text=GERMAN)
    session.commit()
    return c


def test_a_reviewer_comments_on_a_line_and_the_contributor_answers(client, session, people, c):
    login(client, people.ben)
    page = text(client.get(f"/review/{c.id}?line=1.2"))
    assert 'href="?line=1.2#line-comment"' in page and 'id="line-comment"' in page
    assert 'name="line_key"' in page and 'value="1.2"' in page  # the line chosen by its link
    response = post(client, f"/contributions/{c.id}/line-comments",
                    {"line_key": "1.2", "body": "<b>zweite</b>: capital?", "back": "review"},
                    token_from=f"/review/{c.id}")
    assert response.status_code == 303 and f"/review/{c.id}#thread-" in response.location
    page = text(client.get(f"/review/{c.id}"))
    assert "&lt;b&gt;zweite&lt;/b&gt;: capital?" in page and "Line 1.2 · 1 comment" in page
    assert page.count("Your comment on line 1.2 is saved.") == 1
    thread_id = svc.line_threads(session, people.ben, c.id)[0].id

    client.get("/account/logout")
    login(client, people.ana)
    page = text(client.get(f"/contribute/{c.id}"))
    assert "&lt;b&gt;zweite&lt;/b&gt;: capital?" in page and f'id="thread-{thread_id}"' in page
    response = post(client, f"/contributions/{c.id}/line-comments", {"thread": thread_id, "body": "No, lower case."},
                    token_from=f"/contribute/{c.id}")
    assert response.status_code == 303 and f"/contribute/{c.id}#thread-{thread_id}" in response.location
    response = post(client, f"/contributions/{c.id}/line-comments/{thread_id}/resolve", {},
                    token_from=f"/contribute/{c.id}")
    page = text(client.get(response.location))
    assert "Line 1.2 · 2 comments · <strong>resolved</strong> by Ana" in page and "No, lower case." in page
    assert "Open again" in page


def test_bad_comments_are_flashed_not_500(client, session, people, c):
    login(client, people.ben)
    response = post(client, f"/contributions/{c.id}/line-comments", {"line_key": "7.7", "body": "Hm", "back": "review"},
                    token_from=f"/review/{c.id}")
    assert response.status_code == 303 and response.location.endswith("#line-comment")
    assert "Your comment was not saved: Revision 1 has no line 7.7." in text(client.get(response.location))
    assert post(client, f"/contributions/{c.id}/line-comments/999/resolve", {},
                token_from=f"/review/{c.id}").status_code == 404
    assert client.post(f"/contributions/{c.id}/line-comments", data={"line_key": "1.1", "body": "x"}).status_code == 400


def test_others_cannot_comment(client, session, people, c):
    login(client, UserFactory(role="contributor"))
    assert post(client, f"/contributions/{c.id}/line-comments", {"line_key": "1.1", "body": "Hm"}).status_code == 404
    assert 'id="line-comment"' not in text(client.get(f"/contribute/{c.id}"))


def test_the_review_page_documents_its_keyboard_shortcuts(client, people, c):
    login(client, people.ben)
    html = text(client.get(f"/review/{c.id}"))
    assert 'id="shortcuts"' in html and "<kbd>j</kbd> / <kbd>k</kbd>: next / previous line" in html
    assert "<kbd>c</kbd>: comment on the current line" in html and "<kbd>a</kbd>: go to" in html
    assert "/static/js/review-keys.js" in html
