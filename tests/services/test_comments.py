"""Comments: posting, replies, edits, deletion, moderation, limits, notices, markers."""
from __future__ import annotations

import pytest

from tercul.models import Collection, Comment, Notification
from tercul.services.errors import Forbidden, Invalid, NotFound, Unauthenticated
from tercul.services.social import comments
from tercul.services.social.markdown import render_markdown
from tests.factories import UserFactory, make_work


def _work_target(session, viewer=None, owner=None, **kw):
    work = make_work(**kw)
    work.created_by_id = owner.id if owner else None
    return work, comments.resolve_target(session, viewer, "work", work.id)


def _notices(session, user):
    return list(session.query(Notification).filter_by(user_id=user.id))


def test_post_reply_edit_delete(session):
    owner, ana, ben = UserFactory(), UserFactory(), UserFactory()
    work, target = _work_target(session, owner=owner)
    top = comments.post_comment(session, ana, target, "  A fine **first** line.  ", line_key="1.1")
    assert (top.body, top.line_key, top.work_id, top.translation_id) == ("A fine **first** line.", "1.1", work.id, None)
    reply = comments.post_comment(session, ben, target, "Agreed.", parent_id=top.id)
    assert reply.parent_id == top.id and reply.line_key == "1.1"
    # a reply to a reply answers the thread: one level deep
    again = comments.post_comment(session, ana, target, "Thanks.", parent_id=reply.id)
    assert again.parent_id == top.id
    session.refresh(top)
    assert top.reply_count == 2

    page = comments.thread(session, ana, target)
    assert [v.id for v in page.comments] == [top.id]
    assert [r.id for r in page.comments[0].replies] == [reply.id, again.id]
    assert page.comments[0].can_edit and not page.comments[0].replies[0].can_edit
    assert page.markers == {"1.1": 3}

    comments.edit_comment(session, ana, top.id, "A fine first line, I think.")
    assert top.edited_at is not None
    with pytest.raises(Forbidden):
        comments.edit_comment(session, ben, top.id, "mine now")
    with pytest.raises(Forbidden):
        comments.delete_comment(session, ben, top.id)

    comments.delete_comment(session, ana, top.id)
    page = comments.thread(session, None, target)
    assert page.comments[0].state == "deleted" and not page.comments[0].visible_body  # replies keep it
    comments.delete_comment(session, ben, reply.id)
    session.refresh(top)
    assert top.reply_count == 1

    # notices: the owner for each comment, the thread's people for replies, never oneself
    assert len(_notices(session, owner)) == 3
    assert {n.kind for n in _notices(session, ana)} == {"comment_reply"}
    assert len(_notices(session, ben)) == 1


def test_bad_input(session):
    ana = UserFactory()
    work, target = _work_target(session)
    with pytest.raises(Invalid) as exc:
        comments.post_comment(session, ana, target, "   ")
    assert exc.value.field == "body"
    with pytest.raises(Invalid):
        comments.post_comment(session, ana, target, "x" * (comments.MAX_BODY + 1))
    with pytest.raises(Invalid) as exc:
        comments.post_comment(session, ana, target, "on no line", line_key="99.99")
    assert exc.value.field == "line_key"
    with pytest.raises(Invalid):
        comments.post_comment(session, ana, target, "reply to nothing", parent_id=10**9)
    with pytest.raises(Unauthenticated):
        comments.post_comment(session, None, target, "anonymous")
    unverified = UserFactory(email_verified_at=None)
    with pytest.raises(Forbidden):
        comments.post_comment(session, unverified, target, "unverified")
    with pytest.raises(NotFound):
        comments.resolve_target(session, ana, "work", 10**9)
    with pytest.raises(NotFound):
        comments.resolve_target(session, ana, "essay", work.id)
    # a reply must be in the same thread
    other = comments.resolve_target(session, ana, "work", make_work().id)
    first = comments.post_comment(session, ana, target, "here")
    with pytest.raises(Invalid):
        comments.post_comment(session, ana, other, "there", parent_id=first.id)


def test_private_collection_is_not_found_for_others(session):
    owner, other = UserFactory(), UserFactory()
    collection = Collection(owner_id=owner.id, slug="mine", title="Mine", is_public=False)
    session.add(collection)
    session.flush()
    with pytest.raises(NotFound):
        comments.resolve_target(session, other, "collection", collection.id)
    with pytest.raises(NotFound):
        comments.resolve_target(session, None, "collection", collection.id)
    target = comments.resolve_target(session, owner, "collection", collection.id)
    posted = comments.post_comment(session, owner, target, "A note to myself.")
    assert posted.collection_id == collection.id and posted.work_id is None
    with pytest.raises(NotFound):
        comments.get_comment(session, other, posted.id)
    with pytest.raises(Invalid):
        comments.post_comment(session, owner, target, "no lines here", line_key="1.1")


def test_translation_comments_are_their_own_thread(session):
    ana = UserFactory()
    work = make_work(translations=("de",))
    translation = work.translations[0]
    t_target = comments.resolve_target(session, ana, "translation", translation.id)
    w_target = comments.resolve_target(session, ana, "work", work.id)
    comments.post_comment(session, ana, t_target, "Good German.", line_key="1.2")
    assert comments.thread(session, ana, w_target).comments == []
    assert comments.line_markers(session, t_target) == {"1.2": 1}
    translation.status = "unpublished"
    with pytest.raises(NotFound):
        comments.resolve_target(session, ana, "translation", translation.id)


def test_hide_needs_a_reviewer_and_a_reason(session):
    ana, ben = UserFactory(), UserFactory()
    reviewer = UserFactory(role="reviewer")
    _work, target = _work_target(session)
    posted = comments.post_comment(session, ana, target, "Buy cheap things", line_key="1.1")
    with pytest.raises(Forbidden):
        comments.hide_comment(session, ben, posted.id, "spam")
    with pytest.raises(Invalid):
        comments.hide_comment(session, reviewer, posted.id, " ")
    comments.hide_comment(session, reviewer, posted.id, "Advertising.")
    assert comments.line_markers(session, target) == {}
    as_other = comments.thread(session, ben, target).comments[0]
    as_author = comments.thread(session, ana, target).comments[0]
    assert as_other.state == "hidden" and not as_other.visible_body and not as_other.can_reply
    assert as_author.visible_body and not as_author.can_edit and as_author.comment.hidden_reason == "Advertising."
    assert any("Advertising." in n.message for n in _notices(session, ana))
    with pytest.raises(Invalid):
        comments.post_comment(session, ben, target, "replying", parent_id=posted.id)
    comments.unhide_comment(session, reviewer, posted.id)
    assert comments.thread(session, ben, target).comments[0].visible_body


def test_posting_is_rate_limited_per_user(session):
    ana, ben = UserFactory(), UserFactory()
    _work, target = _work_target(session)
    most = comments.POST_LIMITS[0][0]
    for i in range(most):
        comments.post_comment(session, ana, target, f"comment {i}")
    with pytest.raises(Invalid) as exc:
        comments.post_comment(session, ana, target, "one too many")
    assert "in a minute" in exc.value.message
    comments.post_comment(session, ben, target, "someone else may")


def test_thread_statement_count_is_constant(session, count_queries):
    users = [UserFactory() for _ in range(4)]
    _work, target = _work_target(session)
    for i in range(12):
        top = Comment(user_id=users[i % 4].id, work_id=target.id, body=f"top {i}", reply_count=1)
        session.add(top)
        session.flush()
        session.add(Comment(user_id=users[(i + 1) % 4].id, work_id=target.id, parent_id=top.id, body="reply"))
    session.flush()
    session.expire_all()
    with count_queries as counter:
        page = comments.thread(session, users[0], target)
    assert len(page.comments) == 12 and all(v.replies for v in page.comments)
    assert counter.count == 4


def test_mail_only_for_those_who_chose_it(session, app):
    owner = UserFactory(comment_mail=True)
    quiet, ana = UserFactory(), UserFactory()
    _work, target = _work_target(session, owner=owner)
    top = comments.post_comment(session, quiet, target, "first")
    comments.post_comment(session, ana, target, "second", parent_id=top.id)
    from tercul.services import mail

    sent = [m.to for m in mail.pending(session)]
    assert sent == [[owner.email], [owner.email]]


@pytest.mark.parametrize("source, expected", [
    ("<script>alert(1)</script>", "&lt;script&gt;"),
    ("[x](javascript:alert(1))", "[x](javascript:alert(1))"),
    ("[site](https://example.org)", '<a href="https://example.org" rel="nofollow ugc">site</a>'),
    ("<b onclick=x>bold</b>", "&lt;b onclick=x&gt;"),
    ("![pic](http://example.org/p.png)", '<a href="http://example.org/p.png" rel="nofollow ugc">pic</a>'),
])
def test_markdown_subset(source, expected):
    html = str(render_markdown(source))
    assert expected in html
    assert "<script" not in html and "javascript:" not in html.split("</p>")[0].split("href=")[-1][:12]


def test_deleting_an_account_keeps_its_comments_under_deleted_user(session):
    from tercul.services import accounts
    from tercul.services.passwords import hash_password

    ana, ben = UserFactory(password_hash=hash_password("lantern orchard thunder")), UserFactory()
    _work, target = _work_target(session)
    top = comments.post_comment(session, ana, target, "Ana's view.", line_key="1.1")
    comments.post_comment(session, ben, target, "Ben's answer.", parent_id=top.id)
    top_id = top.id
    accounts.delete_account(session, ana, "lantern orchard thunder")
    page = comments.thread(session, ben, target)
    view = page.comments[0]
    assert view.id == top_id and view.comment.body == "Ana's view." and view.visible_body
    assert view.author.display_name == "Deleted user" and not view.can_edit
    # nobody is notified through the placeholder account
    comments.post_comment(session, ben, target, "Anyone?", parent_id=top_id)
    placeholder = view.author
    assert _notices(session, placeholder) == []


def test_the_mail_preference_is_set_with_the_profile(session):
    from tercul.services import accounts

    ana = UserFactory()
    accounts.update_profile(session, ana, display_name="Ana", bio=None, comment_mail=True)
    assert ana.comment_mail is True
    accounts.update_profile(session, ana, display_name="Ana", bio=None)
    assert ana.comment_mail is True
