"""Comments on single lines through the API: the same rules as the review page."""
from factories import UserFactory, make_work

from tercul.services import contributions, tokens

COMMENT = """mutation($id: ID!, $key: String, $thread: ID, $body: String!) {
  commentOnLine(contributionId: $id, lineKey: $key, threadId: $thread, body: $body) {
    comment { body author { displayName } } thread { id lineKey resolved comments { body } }
    errors { field message code } } }"""
RESOLVE = """mutation($id: ID!, $thread: ID!, $resolved: Boolean) {
  resolveLineComments(contributionId: $id, threadId: $thread, resolved: $resolved) {
    thread { resolved resolvedBy { displayName } } errors { message code } } }"""


def bearer(session, user):
    token = tokens.issue_tokens(session, user).access_token
    session.commit()
    return {"Authorization": f"Bearer {token}"}


THREADS = """query($id: ID!) { contribution(id: $id) { lineComments { lineKey resolved
    comments { body revisionNumber author { displayName } } } } }"""


def test_comment_reply_resolve_and_read(gql, session, count_queries):
    work = make_work("grey-stones", stanzas=2, lines=2)
    ana, ben = UserFactory(role="contributor", display_name="Ana"), UserFactory(role="reviewer", display_name="Ben")
    c = contributions.propose_translation(session, ana, work.id, language="de", title="Graue Steine",
                                          text="eins\nzwei\n\ndrei\nvier")
    reviewer, contributor = bearer(session, ben), bearer(session, ana)
    _, body = gql(COMMENT, {"id": c.id, "key": "2.1", "body": "drei?"}, headers=reviewer)
    payload = body["data"]["commentOnLine"]
    assert payload["errors"] == [] and payload["comment"] == {"body": "drei?", "author": {"displayName": "Ben"}}
    thread = payload["thread"]["id"]
    _, body = gql(COMMENT, {"id": c.id, "thread": thread, "body": "Ja."}, headers=contributor)
    assert body["data"]["commentOnLine"]["thread"] == {"id": thread, "lineKey": "2.1", "resolved": False,
                                                       "comments": [{"body": "drei?"}, {"body": "Ja."}]}
    _, body = gql(RESOLVE, {"id": c.id, "thread": thread}, headers=contributor)
    assert body["data"]["resolveLineComments"] == {"thread": {"resolved": True, "resolvedBy": {"displayName": "Ana"}},
                                                   "errors": []}
    with count_queries as counter:
        gql(THREADS, {"id": c.id}, headers=reviewer)
    one_thread = counter.count
    for n in range(3):  # more threads and authors: the same number of statements
        gql(COMMENT, {"id": c.id, "key": "1.1", "body": f"note {n}"}, headers=bearer(session, UserFactory(
            role="reviewer")))
    with count_queries as counter:
        _, body = gql(THREADS, {"id": c.id}, headers=reviewer)
    assert counter.count == one_thread
    threads = body["data"]["contribution"]["lineComments"]
    assert [(t["lineKey"], t["resolved"], len(t["comments"])) for t in threads] == [
        ("2.1", True, 2), ("1.1", False, 1), ("1.1", False, 1), ("1.1", False, 1)]
    assert threads[0]["comments"][1] == {"body": "Ja.", "revisionNumber": 1, "author": {"displayName": "Ana"}}


def test_bad_line_and_strangers(gql, session):
    work = make_work("quiet-stones", stanzas=1, lines=2)
    ana = UserFactory(role="contributor")
    c = contributions.propose_translation(session, ana, work.id, language="de", title="Still", text="eins\nzwei")
    _, body = gql(COMMENT, {"id": c.id, "key": "4.4", "body": "?"}, headers=bearer(session, UserFactory(
        role="reviewer")))
    assert body["data"]["commentOnLine"]["errors"] == [
        {"field": "lineKey", "message": "Revision 1 has no line 4.4.", "code": "BAD_USER_INPUT"}]
    _, body = gql(COMMENT, {"id": c.id, "key": "1.1", "body": "?"}, headers=bearer(session, UserFactory(
        role="contributor")))
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    _, body = gql(RESOLVE, {"id": c.id, "thread": "x"}, headers=bearer(session, ana))
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
