"""Comments on single lines of a submission: threads, replies, resolving, who may write."""
from __future__ import annotations

import pytest
from factories import UserFactory, make_work
from sqlalchemy import select

from tercul.models import Notification
from tercul.services import contributions as svc
from tercul.services.errors import Conflict, Invalid, NotFound, Unauthenticated

GERMAN = "Erste Zeile\nzweite Zeile\ndritte Zeile\nvierte Zeile\n\nfünfte Zeile\nsechste\nsiebte\nachte\n"


@pytest.fixture
def people(app, session):
    with app.test_request_context():
        class People:
            ana = UserFactory(role="contributor", display_name="Ana")
            ben = UserFactory(role="reviewer", display_name="Ben")
            cat = UserFactory(role="reviewer", display_name="Cat")
            dan = UserFactory(role="contributor", display_name="Dan")
        yield People


@pytest.fixture
def c(session, people):
    work = make_work("the-bell", title="The Bell", stanzas=2, lines=4)
    return svc.propose_translation(session, people.ana, work.id, language="de", title="Die Glocke", text=GERMAN)


def test_a_reviewer_opens_a_thread_the_contributor_answers_and_resolves(session, people, c):
    first = svc.comment_on_line(session, people.ben, c.id, line_key="1.2", body="  “zweite” needs a capital?  ")
    assert (first.line_key, first.revision_number, first.body, first.thread_id) == (
        "1.2", 1, "“zweite” needs a capital?", None)
    notice = session.scalar(select(Notification).where(Notification.user_id == people.ana.id))
    assert "Ben commented on line 1.2" in notice.message and notice.link.endswith(f"#thread-{first.id}")
    reply = svc.comment_on_line(session, people.ana, c.id, body="No: German lower-cases it.", thread_id=first.id)
    assert reply.line_key == "1.2" and reply.thread_id == first.id
    answered = session.scalar(select(Notification).where(Notification.user_id == people.ben.id))
    assert answered.message.startswith("Ana answered on line 1.2") and f"/review/{c.id}#thread-" in answered.link
    svc.comment_on_line(session, people.cat, c.id, line_key="2.1", body="Good.")
    threads = svc.line_threads(session, people.ana, c.id)
    assert [(t.line_key, [x.body for x in t.comments], t.resolved) for t in threads] == [
        ("1.2", ["“zweite” needs a capital?", "No: German lower-cases it."], False), ("2.1", ["Good."], False)]
    resolved = svc.resolve_thread(session, people.ana, c.id, first.id)
    assert resolved.resolved_at is not None and resolved.resolved_by_id == people.ana.id
    assert svc.line_threads(session, people.ben, c.id)[0].resolved
    svc.resolve_thread(session, people.ben, c.id, first.id, resolved=False)
    assert not svc.line_threads(session, people.ben, c.id)[0].resolved
    view = svc.contribution_view(session, people.ana, c.id)
    assert len(view.threads) == 2 and view.can_discuss


@pytest.mark.parametrize("key, body, field, message", [
    ("9.9", "Hm.", "line_key", "Revision 1 has no line 9.9."),
    ("", "Hm.", "line_key", "Choose the line"),
    ("1.1", "   ", "body", "Write the comment."),
    ("1.1", "x" * 5001, "body", "at most 5,000 characters"),
])
def test_bad_comments_are_refused_with_a_message(session, people, c, key, body, field, message):
    with pytest.raises(Invalid) as error:
        svc.comment_on_line(session, people.ben, c.id, line_key=key, body=body)
    assert error.value.field == field and message in error.value.message


def test_who_may_comment(session, people, c):
    with pytest.raises(Unauthenticated):
        svc.comment_on_line(session, None, c.id, line_key="1.1", body="Hm.")
    with pytest.raises(NotFound):  # another contributor does not even see it
        svc.comment_on_line(session, people.dan, c.id, line_key="1.1", body="Hm.")
    thread = svc.comment_on_line(session, people.ben, c.id, line_key="1.1", body="Hm.")
    with pytest.raises(NotFound):
        svc.comment_on_line(session, people.ben, c.id, body="Hm.", thread_id=thread.id + 100)
    reply = svc.comment_on_line(session, people.ana, c.id, body="Yes?", thread_id=thread.id)
    with pytest.raises(NotFound):  # a reply is not a thread
        svc.resolve_thread(session, people.ben, c.id, reply.id)
    svc.approve_contribution(session, people.cat, c.id)
    with pytest.raises(Conflict, match="no longer discussed"):
        svc.comment_on_line(session, people.ben, c.id, line_key="1.1", body="Late.")
    assert not svc.contribution_view(session, people.ben, c.id).can_discuss


def test_a_draft_is_not_discussed(session, people):
    work = make_work("draft-work", stanzas=1, lines=2)
    draft = svc.propose_translation(session, people.ana, work.id, language="fr", title="Brouillon", text="a\nb",
                                    submit=False)
    with pytest.raises(Conflict):
        svc.comment_on_line(session, people.ana, draft.id, line_key="1.1", body="Note to self.")
