"""Collections, likes, the reading list and the new account mutations through /graphql."""
from __future__ import annotations

import pytest

from tercul.services import accounts, tokens
from tercul.services.social import collections, likes
from tests.factories import make_work

PASSWORD = "lantern orchard thunder"


def user(session, name="Ana", **kw):
    return accounts.create_user(session, email=f"{name.lower()}@example.org", password=PASSWORD, display_name=name,
                                verified=True, **kw)


@pytest.fixture
def as_user(session):
    def headers(who):
        token = tokens.issue_tokens(session, who).access_token
        session.commit()
        return {"Authorization": f"Bearer {token}"}
    return headers


COLLECTION = """query($id: ID!) { collection(id: $id) { title isPublic itemCount viewerHasLiked owner { username }
  items(first: 10) { totalCount edges { node { id index note languages work { slug viewerHasLiked }
  translation { key } } } } } }"""


def test_collections_through_the_api(gql, session, as_user):
    ana, ben = user(session), user(session, "Ben")
    work = make_work(translations=("de",))
    ana_h, ben_h = as_user(ana), as_user(ben)
    _, body = gql('mutation { createCollection(title: "<i>Mine</i>") { collection { id slug isPublic } errors { field message } } }',
                  headers=ana_h)
    created = body["data"]["createCollection"]["collection"]
    assert created["isPublic"] is False and created["slug"] == "i-mine-i"
    cid = created["id"]
    add = """mutation($c: ID!, $w: ID, $t: ID) { addToCollection(collectionId: $c, workId: $w, translationId: $t) {
      item { id index } collection { itemCount } errors { message code } } }"""
    _, body = gql(add, {"c": cid, "w": str(work.id)}, headers=ana_h)
    assert body["data"]["addToCollection"]["collection"]["itemCount"] == 1
    _, body = gql(add, {"c": cid, "w": str(work.id)}, headers=ana_h)
    assert body["data"]["addToCollection"]["errors"][0]["code"] == "CONFLICT"
    _, body = gql(add, {"c": cid, "t": str(work.translations[0].id)}, headers=ana_h)
    second = body["data"]["addToCollection"]["item"]["id"]

    # private: another user (or nobody) sees null, and cannot change it
    for headers in (ben_h, {}):
        _, body = gql(COLLECTION, {"id": cid}, headers=headers)
        assert body["data"]["collection"] is None
    _, body = gql(add, {"c": cid, "w": str(work.id)}, headers=ben_h)
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    _, body = gql('mutation($c: ID!) { like(kind: COLLECTION, id: $c) { liked errors { message } } }', {"c": cid},
                  headers=ben_h)
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"

    move = """mutation($c: ID!, $i: ID!) { moveCollectionItem(collectionId: $c, itemId: $i, offset: -1, expectedIndex: 1) {
      collection { items { edges { node { id } } } } errors { code } } }"""
    _, body = gql(move, {"c": cid, "i": second}, headers=ana_h)
    assert body["data"]["moveCollectionItem"]["collection"]["items"]["edges"][0]["node"]["id"] == second
    _, body = gql(move, {"c": cid, "i": second}, headers=ana_h)
    assert body["data"]["moveCollectionItem"]["errors"][0]["code"] == "CONFLICT"

    _, body = gql('mutation($c: ID!) { updateCollection(id: $c, isPublic: true) { collection { isPublic } } }',
                  {"c": cid}, headers=ana_h)
    _, body = gql('mutation($c: ID!) { like(kind: COLLECTION, id: $c) { liked likeCount } }', {"c": cid}, headers=ben_h)
    assert body["data"]["like"] == {"liked": True, "likeCount": 1}
    _, body = gql(COLLECTION, {"id": cid}, headers=ben_h)
    seen = body["data"]["collection"]
    assert seen["viewerHasLiked"] and seen["owner"]["username"] == ana.username
    assert [e["node"]["languages"] for e in seen["items"]["edges"]] == [[work.language, "de"], [work.language]]
    _, body = gql('{ collections(query: "mine", first: 5) { totalCount edges { node { title likeCount } } } }')
    assert body["data"]["collections"]["edges"][0]["node"] == {"title": "<i>Mine</i>", "likeCount": 1}


def test_likes_bookmarks_and_positions(gql, session, as_user, count_queries):
    ana = user(session)
    works = [make_work(translations=("fr",)) for _ in range(3)]
    h = as_user(ana)
    like = 'mutation($id: ID!) { like(kind: WORK, id: $id) { liked likeCount errors { message } } }'
    for _ in range(2):
        _, body = gql(like, {"id": str(works[0].id)}, headers=h)
        assert body["data"]["like"] == {"liked": True, "likeCount": 1, "errors": []}
    _, body = gql('mutation($id: ID!) { like(kind: TRANSLATION, id: $id) { liked } }',
                  {"id": str(works[1].translations[0].id)}, headers=h)
    query = '{ works(first: 10) { edges { node { likeCount viewerHasLiked translations { viewerHasLiked } } } } }'
    with count_queries as counter:
        _, body = gql(query, headers=h)
    nodes = [e["node"] for e in body["data"]["works"]["edges"]]
    assert sum(n["viewerHasLiked"] for n in nodes) == 1 and sum(n["likeCount"] for n in nodes) == 1
    assert sum(t["viewerHasLiked"] for n in nodes for t in n["translations"]) == 1
    few = counter.count
    make_work(translations=("fr",))
    with count_queries as counter:
        gql(query, headers=h)
    assert counter.count == few  # batched, whatever the number of works

    w = str(works[2].id)
    position = """mutation($w: ID!, $l: String!) { saveReadingPosition(workId: $w, lineKey: $l, translationKey: "fr") {
      entry { lineKey translationKey work { slug } } errors { field message } } }"""
    _, body = gql(position, {"w": w, "l": "1.2"}, headers=h)
    assert body["data"]["saveReadingPosition"]["entry"] is None  # not on the reading list
    _, body = gql('mutation($w: ID!) { bookmark(workId: $w) { bookmarked bookmarkCount } }', {"w": w}, headers=h)
    assert body["data"]["bookmark"] == {"bookmarked": True, "bookmarkCount": 1}
    _, body = gql(position, {"w": w, "l": "1.2"}, headers=h)
    assert body["data"]["saveReadingPosition"]["entry"]["lineKey"] == "1.2"
    _, body = gql(position, {"w": w, "l": "<script>"}, headers=h)
    assert body["data"]["saveReadingPosition"]["errors"][0]["field"] == "line"
    _, body = gql('{ readingList(started: true, first: 5) { totalCount edges { node { lineKey work { slug } } } } }',
                  headers=h)
    assert body["data"]["readingList"]["edges"][0]["node"] == {"lineKey": "1.2", "work": {"slug": works[2].slug}}
    _, body = gql('{ readingList { totalCount } }')
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_account_mutations(gql, session, as_user, app):
    app.extensions["mailman"].outbox = []
    ana, admin = user(session), user(session, "Root", role="admin")
    h = as_user(ana)
    _, body = gql('mutation { updateProfile(displayName: "Ana B", bio: "<b>hi</b>") { user { displayName bio } } }',
                  headers=h)
    assert body["data"]["updateProfile"]["user"] == {"displayName": "Ana B", "bio": "<b>hi</b>"}
    _, body = gql('mutation { saveSearch(name: "love", queryString: "q=love") { savedSearch { id name } errors { message } } }',
                  headers=h)
    saved = body["data"]["saveSearch"]["savedSearch"]["id"]
    _, body = gql('{ me { savedSearches { name queryString } } }', headers=h)
    assert body["data"]["me"]["savedSearches"] == [{"name": "love", "queryString": "q=love"}]
    _, body = gql('mutation($id: ID!) { deleteSavedSearch(id: $id) { ok } }', {"id": saved}, headers=h)
    assert body["data"]["deleteSavedSearch"]["ok"]
    _, body = gql('mutation { resendVerification { ok } }', headers=h)
    assert body["data"]["resendVerification"]["ok"]
    _, body = gql('mutation { changeEmail(newEmail: "ana.new@example.org", password: "wrong one") { ok errors { field } } }',
                  headers=h)
    assert body["data"]["changeEmail"]["errors"][0]["field"] == "password"
    _, body = gql('mutation { changeEmail(newEmail: "ana.new@example.org", password: "%s") { ok } }' % PASSWORD,
                  headers=h)
    assert body["data"]["changeEmail"]["ok"]

    role = 'mutation($id: ID!) { setUserRole(userId: $id, role: REVIEWER) { user { role } errors { message } } }'
    _, body = gql(role, {"id": str(ana.id)}, headers=h)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    _, body = gql(role, {"id": str(ana.id)}, headers=as_user(admin))
    assert body["data"]["setUserRole"]["user"]["role"] == "REVIEWER"

    work = make_work()
    likes.set_like(session, ana, "work", work.id, True)
    collections.create_collection(session, ana, title="Gone soon")
    session.commit()
    h = as_user(ana)
    _, body = gql('mutation { deleteAccount(password: "%s") { ok errors { message } } }' % PASSWORD, headers=h)
    assert body["data"]["deleteAccount"]["ok"]
    session.refresh(work)
    assert work.like_count == 0
    _, body = gql('mutation { changePassword(currentPassword: "x", newPassword: "y y y y y y y y") { ok } }')
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_a_list_of_collections_with_their_items_in_a_fixed_number_of_statements(gql, session, count_queries):
    ana = user(session)
    works = [make_work() for _ in range(4)]

    def collection(n):
        c = collections.create_collection(session, ana, title=f"Shelf {n}", is_public=True)
        for work in works[:3]:
            collections.add_item(session, ana, c.id, work_id=work.id)
        return c

    for n in range(2):
        collection(n)
    query = '{ collections(first: 10) { edges { node { title items(first: 2) { totalCount edges { node { index work { slug } } } } } } } }'
    with count_queries as counter:
        _, body = gql(query)
    nodes = [e["node"] for e in body["data"]["collections"]["edges"]]
    assert [[e["node"]["index"] for e in n["items"]["edges"]] for n in nodes] == [[0, 1], [0, 1]]
    assert nodes[0]["items"]["totalCount"] == 3
    few = counter.count
    for n in range(2, 5):
        collection(n)
    with count_queries as counter:
        _, body = gql(query)
    assert len(body["data"]["collections"]["edges"]) == 5 and counter.count == few
    _, body = gql('{ collections(first: 1) { edges { node { items(first: 0) { totalCount } } } } }')
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
