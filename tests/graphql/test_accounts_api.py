"""Signing in through the API: tokens, rotation, revocation, limits per alias."""
import time

from sqlalchemy import select

from tercul.models import User
from tercul.services import accounts

LOGIN = """mutation($email: String!, $password: String!) {
  login(email: $email, password: $password) { accessToken refreshToken user { username email } errors { field message code } }
}"""
REFRESH = """mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken errors { message } } }"""


def make_user(session, email="reader@example.org", password="a long enough pass phrase"):
    return accounts.create_user(session, email=email, password=password, display_name="Reader One",
                                verified=True)


def test_login_me_refresh_and_reuse(gql, session):
    make_user(session)
    _, body = gql(LOGIN, {"email": "reader@example.org", "password": "a long enough pass phrase"})
    login = body["data"]["login"]
    assert login["errors"] == [] and login["user"]["email"] == "reader@example.org"
    bearer = {"Authorization": f"Bearer {login['accessToken']}"}
    _, me = gql("{ me { username role emailVerified canContribute } }", headers=bearer)
    assert me["data"]["me"]["username"] == "reader-one" and me["data"]["me"]["emailVerified"]

    _, refreshed = gql(REFRESH, {"t": login["refreshToken"]})
    new_pair = refreshed["data"]["refreshToken"]
    assert new_pair["errors"] == [] and new_pair["refreshToken"] != login["refreshToken"]
    # reusing the first refresh token revokes the whole family, the new pair included
    _, reused = gql(REFRESH, {"t": login["refreshToken"]})
    assert reused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    status, _ = gql("{ me { username } }", headers={"Authorization": f"Bearer {new_pair['accessToken']}"})
    assert status == 401


def test_wrong_password_and_unknown_email_look_the_same(gql, session):
    make_user(session)
    _, wrong = gql(LOGIN, {"email": "reader@example.org", "password": "not the password at all"})
    _, unknown = gql(LOGIN, {"email": "nobody@example.org", "password": "not the password at all"})
    assert wrong["data"]["login"]["errors"] == unknown["data"]["login"]["errors"]
    assert wrong["data"]["login"]["accessToken"] is None


def test_login_attempts_count_per_alias(app, client, session):
    make_user(session, email="alias@example.org")
    aliases = " ".join(f'a{i}: login(email: "alias@example.org", password: "wrong password {i}") {{ accessToken }}'
                       for i in range(7))
    response = client.post("/graphql", json={"query": f"mutation {{ {aliases} }}"},
                           environ_base={"REMOTE_ADDR": "10.1.2.3"})
    body = response.get_json()
    codes = [e["extensions"]["code"] for e in body.get("errors", [])]
    assert "RATE_LIMITED" in codes
    assert response.status_code == 429 and int(response.headers["Retry-After"]) >= 1


def test_logout_revokes_access(gql, session):
    make_user(session)
    login = gql(LOGIN, {"email": "reader@example.org", "password": "a long enough pass phrase"})[1]["data"]["login"]
    _, out = gql("mutation($t: String!) { logout(refreshToken: $t) { ok errors { message } } }",
                 {"t": login["refreshToken"]})
    assert out["data"]["logout"]["ok"] is True
    status, _ = gql("{ me { username } }", headers={"Authorization": f"Bearer {login['accessToken']}"})
    assert status == 401


def test_register_gives_the_same_answer_for_a_taken_address(gql, session):
    make_user(session)
    query = """mutation($e: String!) { register(email: $e, password: "another long pass phrase",
               displayName: "Someone") { ok errors { field message } } }"""
    _, taken = gql(query, {"e": "reader@example.org"})
    _, fresh = gql(query, {"e": "new@example.org"})
    assert taken["data"]["register"] == fresh["data"]["register"] == {"ok": True, "errors": []}
    assert session.scalar(select(User).where(User.email == "new@example.org")).is_verified is False
    _, bad = gql(query.replace('"another long pass phrase"', '"short"'), {"e": "x@example.org"})
    assert bad["data"]["register"]["errors"][0]["field"] == "password"


def test_browser_session_needs_csrf_for_mutations(app, session, monkeypatch):
    make_user(session, email="browser@example.org")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    from tercul.security import LOGIN_AT, SEEN_AT, session_identity

    client = app.test_client()
    user = session.scalar(select(User).where(User.email == "browser@example.org"))
    with client.session_transaction() as sess:
        sess["_user_id"] = session_identity(user)
        sess["_fresh"] = True
        sess[LOGIN_AT] = sess[SEEN_AT] = int(time.time())
    query = {"query": 'mutation { requestPasswordReset(email: "browser@example.org") { ok } }'}
    refused = client.post("/graphql", json=query).get_json()
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    me = client.post("/graphql", json={"query": "{ me { email } }"}).get_json()
    assert me["data"]["me"]["email"] == "browser@example.org"
