"""Comments through the API follow the same rules as the threads on the pages."""
from factories import UserFactory, make_work

from tercul.models import Collection, Comment
from tercul.services import tokens

POST = """mutation($t: CommentTarget!, $id: ID!, $body: String!, $line: String, $parent: ID) {
  postComment(target: $t, targetId: $id, body: $body, lineKey: $line, parentId: $parent) {
    comment { id lineKey state body bodyHtml parentId viewerCanEdit author { displayName } }
    errors { field message code } } }"""
def bearer(session, user):
    headers = {"Authorization": "Bearer " + tokens.issue_tokens(session, user).access_token}
    session.commit()  # the test's setup must outlive the request's rollback
    return headers


LIST = """query($t: CommentTarget!, $id: ID!, $line: String, $first: Int) {
  comments(target: $t, targetId: $id, line: $line, first: $first) {
    totalCount edges { node { id body state hiddenReason editedAt replyCount viewerCanHide
      author { displayName } replies { id body author { displayName } } } } } }"""


def test_post_reply_list_edit_hide_delete(gql, session):
    work = make_work("grey-stones", stanzas=2, lines=2)
    ana, ben = UserFactory(display_name="Ana"), UserFactory(display_name="Ben")
    reviewer = UserFactory(role="reviewer")
    _, body = gql(POST, {"t": "WORK", "id": str(work.id), "body": "A *grey* <b>line</b>", "line": "1.1"},
                  headers=bearer(session, ana))
    posted = body["data"]["postComment"]
    assert posted["errors"] == [] and posted["comment"]["lineKey"] == "1.1"
    assert posted["comment"]["bodyHtml"] == "<p>A <em>grey</em> &lt;b&gt;line&lt;/b&gt;</p>\n"
    comment_id = posted["comment"]["id"]
    _, body = gql(POST, {"t": "WORK", "id": str(work.id), "body": "Agreed.", "parent": comment_id},
                  headers=bearer(session, ben))
    assert body["data"]["postComment"]["comment"]["parentId"] == comment_id

    _, body = gql(LIST, {"t": "WORK", "id": str(work.id)})
    listed = body["data"]["comments"]
    assert listed["totalCount"] == 1
    node = listed["edges"][0]["node"]
    assert node["replyCount"] == 1 and node["replies"][0]["body"] == "Agreed." and not node["viewerCanHide"]

    edit = """mutation($id: ID!, $b: String!) { editComment(id: $id, body: $b) { comment { body editedAt }
      errors { field message } } }"""
    _, body = gql(edit, {"id": comment_id, "b": "mine"}, headers=bearer(session, ben))
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    _, body = gql(edit, {"id": comment_id, "b": "  "}, headers=bearer(session, ana))
    assert body["data"]["editComment"]["errors"][0]["field"] == "body"
    _, body = gql(edit, {"id": comment_id, "b": "A grey line."}, headers=bearer(session, ana))
    assert body["data"]["editComment"]["comment"]["editedAt"]

    hide = """mutation($id: ID!, $r: String!) { hideComment(id: $id, reason: $r) { comment { state hiddenReason }
      errors { field message } } }"""
    _, body = gql(hide, {"id": comment_id, "r": "rude"}, headers=bearer(session, ben))
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    _, body = gql(hide, {"id": comment_id, "r": "Off topic."}, headers=bearer(session, reviewer))
    assert body["data"]["hideComment"]["comment"] == {"state": "HIDDEN", "hiddenReason": "Off topic."}
    _, body = gql(LIST, {"t": "WORK", "id": str(work.id)}, headers=bearer(session, ben))
    node = body["data"]["comments"]["edges"][0]["node"]
    assert node["body"] is None and node["hiddenReason"] is None and node["state"] == "HIDDEN"
    _, body = gql(LIST, {"t": "WORK", "id": str(work.id)}, headers=bearer(session, ana))
    assert body["data"]["comments"]["edges"][0]["node"]["hiddenReason"] == "Off topic."

    delete = """mutation($id: ID!) { deleteComment(id: $id) { comment { state body } errors { message } } }"""
    _, body = gql(delete, {"id": comment_id}, headers=bearer(session, ana))
    assert body["data"]["deleteComment"]["comment"] == {"state": "DELETED", "body": None}


def test_bad_input_and_privacy(gql, session):
    work = make_work("grey-stones", stanzas=2, lines=2)
    ana, other = UserFactory(), UserFactory()
    _, body = gql(POST, {"t": "WORK", "id": str(work.id), "body": "anonymous"})
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    _, body = gql(POST, {"t": "WORK", "id": str(work.id), "body": "hi", "line": "7.7"}, headers=bearer(session, ana))
    assert body["data"]["postComment"]["errors"][0]["field"] == "lineKey"
    _, body = gql(POST, {"t": "WORK", "id": "nope", "body": "hi"}, headers=bearer(session, ana))
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    private = Collection(owner_id=ana.id, slug="mine", title="Mine", is_public=False)
    session.add(private)
    session.flush()
    _, body = gql(POST, {"t": "COLLECTION", "id": str(private.id), "body": "mine"}, headers=bearer(session, ana))
    assert body["data"]["postComment"]["errors"] == []
    for headers in ({}, bearer(session, other)):
        _, body = gql(LIST, {"t": "COLLECTION", "id": str(private.id)}, headers=headers)
        assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND" and body["data"] is None
    _, body = gql(LIST, {"t": "WORK", "id": str(work.id), "first": 500})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert session.query(Comment).count() == 1


def test_listing_costs_the_same_for_many_comments(gql, session, count_queries):
    work = make_work("grey-stones", stanzas=2, lines=2)
    users = [UserFactory() for _ in range(4)]

    def add(n):
        for i in range(n):
            top = Comment(user_id=users[i % 4].id, work_id=work.id, body=f"c{i}", reply_count=2)
            session.add(top)
            session.flush()
            session.add_all([Comment(user_id=users[j].id, work_id=work.id, parent_id=top.id, body="r")
                             for j in range(2)])
        session.flush()

    def statements():
        with count_queries:
            _, body = gql(LIST, {"t": "WORK", "id": str(work.id), "first": 50})
        assert "errors" not in body
        return count_queries.count

    add(2)
    few = statements()
    add(40)
    assert statements() == few
