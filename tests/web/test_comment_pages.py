"""Comment pages: threads under works and translations, line markers, edit, delete, hide."""
from __future__ import annotations

import re

import pytest
from contribution_helpers import login, post, text
from factories import UserFactory, make_work

from tercul.extensions import cache
from tercul.models import Comment, Notification
from tercul.services.social import comments as svc


@pytest.fixture(autouse=True)
def _clear_cache(app):
    cache.clear()


@pytest.fixture
def work(session):
    return make_work("the-bell", title="The Bell", stanzas=2, lines=4, translations=("de",))


def thread_url(work) -> str:
    return f"/comments/work/{work.id}"


def send(client, url: str, data: dict, htmx: bool = False, token_from: str | None = None):
    """POST with a CSRF token taken from a thread page (where the forms are)."""
    headers = {"HX-Request": "true"} if htmx else {}
    return post(client, url, data, token_from=token_from or url.split("?")[0], headers=headers)


def test_work_page_loads_the_thread_and_anonymous_readers_see_it(client, session, work):
    ana = UserFactory(display_name="Ana")
    target = svc.resolve_target(session, ana, "work", work.id)
    svc.post_comment(session, ana, target, "The *bell* rings <script>x</script>", line_key="1.2")
    page = text(client.get("/works/the-bell"))
    assert f'hx-get="/comments/work/{work.id}"' in page  # the thread, loaded in place
    # the marker beside line 1.2 of the original, which opens that line's thread
    marker = re.search(r'<a class="cmark" href="([^"]+)"[^>]*>1</a>', page)
    assert marker and "line=1.2" in marker.group(1)
    assert page.count('class="cmark add"') == 7  # the other lines offer "+"
    fragment = text(client.get(thread_url(work), headers={"HX-Request": "true"}))
    assert '<div id="thread"' in fragment
    assert "<em>bell</em>" in fragment and "&lt;script&gt;" in fragment and "<script>" not in fragment
    assert "Log in</a> to comment" in fragment and "csrf_token" not in fragment
    assert "<html" not in fragment
    assert "<html" in text(client.get(thread_url(work)))


def test_post_reply_edit_delete_through_the_pages(client, session, work):
    ana, ben = UserFactory(display_name="Ana"), UserFactory(display_name="Ben")
    login(client, ana)
    response = send(client, thread_url(work) + "?line=1.3", {"body": "Line three sings.", "line_key": "1.3",
                                                            "line": "1.3"})
    comment = session.query(Comment).one()
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{thread_url(work)}?line=1.3#comment-{comment.id}")
    assert comment.line_key == "1.3" and comment.user_id == ana.id
    # the marker appears at once beside line 1.3
    assert re.search(r'<a class="cmark" href="[^"]*line=1.3[^"]*"[^>]*>1</a>', text(client.get("/works/the-bell")))

    login(client, ben)
    fragment = text(send(client, thread_url(work), {"body": "I hear it too.", "parent_id": str(comment.id)},
                         htmx=True))
    assert "I hear it too." in fragment and '<div id="thread"' in fragment
    assert session.query(Notification).filter_by(user_id=ana.id, kind="comment_reply").count() == 1
    # ben cannot edit or delete ana's comment
    assert send(client, f"/comments/{comment.id}/edit", {"body": "mine"}, token_from=thread_url(work)
                ).status_code == 403
    assert send(client, f"/comments/{comment.id}/delete", {}, token_from=thread_url(work)).status_code == 403

    login(client, ana)
    form = text(client.get(f"/comments/{comment.id}/edit", headers={"HX-Request": "true"}))
    assert "Line three sings." in form and "<html" not in form
    fragment = text(send(client, f"/comments/{comment.id}/edit", {"body": "Line three rings."}, htmx=True,
                         token_from=thread_url(work)))
    assert "Line three rings." in fragment and "edited" in fragment
    empty = send(client, f"/comments/{comment.id}/edit", {"body": "  "}, token_from=thread_url(work))
    assert empty.status_code == 422 and "Write something first." in text(empty)
    response = send(client, f"/comments/{comment.id}/delete", {}, token_from=thread_url(work))
    assert response.status_code == 303
    page = text(client.get(thread_url(work)))
    assert "This comment was deleted." in page and "I hear it too." in page


def test_bad_input_gets_a_message_not_a_500(client, session, work):
    ana = UserFactory()
    login(client, ana)
    too_long = send(client, thread_url(work), {"body": "x" * 5001})
    assert too_long.status_code == 422 and "at most 5000 characters" in text(too_long)
    in_place = send(client, thread_url(work), {"body": ""}, htmx=True)
    assert in_place.status_code == 200 and "Write something first." in text(in_place)
    no_line = send(client, thread_url(work), {"body": "hello", "line_key": "9.9"})
    assert no_line.status_code == 422 and "no line" in text(no_line)
    assert send(client, thread_url(work), {"body": "hi", "parent_id": "abc"}).status_code == 400
    assert client.get("/comments/poem/1").status_code == 404
    assert client.get("/comments/work/999999").status_code == 404
    assert client.post(thread_url(work), data={"body": "no token"}).status_code == 400
    assert session.query(Comment).count() == 0


def test_anonymous_post_asks_to_log_in(client, session, work):
    response = client.post(thread_url(work), data={"body": "hello"})
    assert response.status_code in (302, 400, 401)
    assert session.query(Comment).count() == 0


def test_reviewers_hide_with_a_reason_the_author_sees_it(client, session, work):
    ana, cat = UserFactory(display_name="Ana"), UserFactory(display_name="Cat")
    rev = UserFactory(role="reviewer")
    comment = svc.post_comment(session, ana, svc.resolve_target(session, ana, "work", work.id), "Cheap watches here")
    login(client, rev)
    assert "Hide the comment" in text(client.get(thread_url(work)))
    missing = send(client, f"/comments/{comment.id}/hide", {"reason": ""}, token_from=thread_url(work))
    assert missing.status_code == 422 and "Say why" in text(missing)
    assert send(client, f"/comments/{comment.id}/hide", {"reason": "Advertising"},
                token_from=thread_url(work)).status_code == 303
    login(client, cat)
    page = text(client.get(thread_url(work)))
    assert "Hidden by the moderators" in page and "Cheap watches" not in page and "Advertising" not in page
    assert send(client, f"/comments/{comment.id}/hide", {"reason": "mine too"},
                token_from=thread_url(work)).status_code == 403
    login(client, ana)
    page = text(client.get(thread_url(work)))
    assert "Cheap watches" in page and "Advertising" in page and "only you and the moderators" in page


def test_translation_page_has_its_own_thread_and_markers(client, session, work):
    ana = UserFactory()
    translation = work.translations[0]
    target = svc.resolve_target(session, ana, "translation", translation.id)
    svc.post_comment(session, ana, target, "Schön.", line_key="1.1")
    page = text(client.get("/works/the-bell/translations/de"))
    assert f'hx-get="/comments/translation/{translation.id}"' in page
    assert re.search(r'<a class="cmark" href="/comments/translation/\d+\?line=1.1[^"]*"[^>]*>1</a>', page)
    # the work's own thread and markers do not show translation comments
    assert 'class="cmark"' not in text(client.get("/works/the-bell"))


def test_thread_statement_count_is_constant(client, session, work, count_queries):
    users = [UserFactory() for _ in range(5)]

    def add(n):
        for i in range(n):
            top = Comment(user_id=users[i % 5].id, work_id=work.id, body=f"c {i}", line_key="1.1", reply_count=2)
            session.add(top)
            session.flush()
            for j in range(2):
                session.add(Comment(user_id=users[j].id, work_id=work.id, parent_id=top.id, body="r"))
        session.flush()

    def statements(url):
        cache.clear()
        with count_queries:
            assert client.get(url, headers={"HX-Request": "true"}).status_code == 200
        return count_queries.count

    add(3)
    few = (statements(thread_url(work)), statements("/works/the-bell"))
    add(60)
    assert (statements(thread_url(work)), statements("/works/the-bell")) == few



def test_the_profile_page_sets_the_comment_mail_preference(client, session):
    ana = UserFactory(display_name="Ana")
    login(client, ana)
    assert "Mail me about replies and comments" in text(client.get("/account/profile"))
    response = post(client, "/account/profile", {"name": "Ana", "bio": "", "comment_mail": "y"},
                    token_from="/account/profile")
    assert response.status_code == 303
    session.refresh(ana)
    assert ana.comment_mail is True
    assert "Your comments stay where they are" in text(client.get("/account/delete"))


def test_the_anonymous_thread_is_kept_until_a_comment_changes(client, session, work, count_queries):
    ana = UserFactory()
    target = svc.resolve_target(session, ana, "work", work.id)
    first = svc.post_comment(session, ana, target, "First thought.")
    htmx = {"HX-Request": "true"}
    assert "First thought." in text(client.get(thread_url(work), headers=htmx))
    with count_queries:
        again = text(client.get(thread_url(work), headers=htmx))
    reads = [s for s in count_queries.statements if "FROM comments" in s]
    assert "First thought." in again and len(reads) == 1, reads  # the thread's version only
    svc.edit_comment(session, ana, first.id, "Second thought.")
    assert "Second thought." in text(client.get(thread_url(work), headers=htmx))
    svc.post_comment(session, ana, target, "Another one.", line_key="1.1")
    assert "Another one." in text(client.get(thread_url(work), headers=htmx))
    assert "Another one." not in text(client.get(thread_url(work) + "?line=1.2", headers=htmx))
