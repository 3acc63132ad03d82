"""Contributions and review through the API follow the same rules as the forms."""
from sqlalchemy import select

from factories import UserFactory, make_work
from tercul.models import OutboxEntry, Translation
from tercul.services import tokens

SUBMIT = """mutation($input: SubmitContributionInput!) {
  submitContribution(input: $input) { contribution { id status kind revisionNumber structureWarnings { message } }
    errors { field message code } } }"""
DECIDE = """mutation($id: ID!, $c: String) { %s(id: $id, comment: $c) { contribution { status }
    errors { message code } } }"""
REJECT = """mutation($id: ID!, $c: String!) { rejectContribution(id: $id, comment: $c) { contribution { status }
    errors { message code } } }"""


def bearer(session, user):
    """A token for ``user``; commits the test's setup so that a request's rollback keeps it."""
    token = tokens.issue_tokens(session, user).access_token
    session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_submit_review_and_publish(gql, session):
    work = make_work("grey-stones", stanzas=2, lines=2)
    contributor = UserFactory(role="contributor")
    reviewer = UserFactory(role="reviewer")
    reader = UserFactory(role="reader")
    _, body = gql(SUBMIT, {"input": {"kind": "NEW_TRANSLATION", "workSlug": work.slug, "language": "de",
                                     "title": "Graue Steine", "text": "eins\nzwei\ndrei\n\nvier\nfünf"}},
                  headers=bearer(session, contributor))
    payload = body["data"]["submitContribution"]
    assert payload["errors"] == [] and payload["contribution"]["status"] == "PENDING"
    assert payload["contribution"]["structureWarnings"], "a three-line first stanza differs from the original"
    cid = payload["contribution"]["id"]

    # a reader cannot approve; nor can the contributor their own
    _, refused = gql(DECIDE % "approveContribution", {"id": cid}, headers=bearer(session, reader))
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    _, own = gql(DECIDE % "approveContribution", {"id": cid}, headers=bearer(session, contributor))
    assert own["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    _, anonymous = gql(DECIDE % "approveContribution", {"id": cid})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

    _, queue = gql("{ reviewQueue(first: 10) { totalCount edges { node { id title originalChanged } } } }",
                   headers=bearer(session, reviewer))
    assert queue["data"]["reviewQueue"]["totalCount"] == 1
    _, approved = gql(DECIDE % "approveContribution", {"id": cid, "c": "Fine."}, headers=bearer(session, reviewer))
    assert approved["data"]["approveContribution"] == {"contribution": {"status": "APPROVED"}, "errors": []}
    translation = session.scalar(select(Translation).where(Translation.work_id == work.id))
    assert translation.language == "de"
    assert session.scalar(select(OutboxEntry).where(OutboxEntry.topic == "index", OutboxEntry.entity == "translation",
                                                    OutboxEntry.entity_id == translation.id)) is not None
    # deciding again is a conflict, reported in the payload
    _, again = gql(REJECT, {"id": cid, "c": "No."}, headers=bearer(session, reviewer))
    assert again.get("data") and again["data"]["rejectContribution"]["errors"][0]["code"] == "CONFLICT", again


def test_bad_input_is_a_payload_error_and_nothing_is_saved(gql, session):
    work = make_work("quiet")
    contributor = UserFactory(role="contributor")
    _, body = gql(SUBMIT, {"input": {"kind": "NEW_TRANSLATION", "workSlug": work.slug, "language": "xx",
                                     "title": "T", "text": "eins"}}, headers=bearer(session, contributor))
    payload = body["data"]["submitContribution"]
    assert payload["contribution"] is None and payload["errors"][0]["field"] == "language"
    _, mine = gql("{ contributions(first: 5) { totalCount } }", headers=bearer(session, contributor))
    assert mine["data"]["contributions"]["totalCount"] == 0


def test_my_contributions_page_through(gql, session):
    contributor = UserFactory(role="contributor")
    headers = bearer(session, contributor)
    for i in range(5):
        work = make_work(f"w{i}")
        gql(SUBMIT, {"input": {"kind": "NEW_TRANSLATION", "workSlug": work.slug, "language": "fr",
                               "title": f"T{i}", "text": f"un {i}\ndeux\n\ntrois\nquatre", "draft": True}},
            headers=headers)
    _, first = gql("{ contributions(first: 2) { totalCount pageInfo { endCursor hasNextPage } edges { node { title } } } }",
                   headers=headers)
    conn = first["data"]["contributions"]
    assert conn["totalCount"] == 5 and conn["pageInfo"]["hasNextPage"]
    _, rest = gql("query($a: String) { contributions(first: 3, after: $a) { edges { node { title status } } } }",
                  {"a": conn["pageInfo"]["endCursor"]}, headers=headers)
    titles = [e["node"]["title"] for e in conn["edges"]] + [e["node"]["title"] for e in rest["data"]["contributions"]["edges"]]
    assert sorted(titles) == [f"T{i}" for i in range(5)]


def test_enum_arguments_reach_the_services_as_values(gql, session):
    contributor = UserFactory(role="contributor")
    headers = bearer(session, contributor)
    work = make_work("enum-test")
    _, body = gql(SUBMIT, {"input": {"kind": "NEW_TRANSLATION", "workSlug": work.slug, "language": "it",
                                     "title": "T", "text": "uno\ndue\n\ntre\nquattro", "draft": True,
                                     "translator": "SELF"}}, headers=headers)
    cid = body["data"]["submitContribution"]["contribution"]["id"]
    _, drafts = gql("{ contributions(first: 5, status: DRAFT) { totalCount } }", headers=headers)
    assert drafts["data"]["contributions"]["totalCount"] == 1
    _, withdrawn = gql("""mutation($id: ID!) { withdrawContribution(id: $id, expectedStatus: DRAFT) {
        contribution { status } errors { message } } }""", {"id": cid}, headers=headers)
    assert withdrawn["data"]["withdrawContribution"]["contribution"]["status"] == "WITHDRAWN"
