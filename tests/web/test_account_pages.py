"""Account pages: register, verify, log in and out, reset, change password and email, delete."""
from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from tercul.extensions import limiter
from tercul.models import User
from tercul.services import accounts

PASSWORD = "lantern orchard thunder"


class IsolatedClient(FlaskClient):
    """Each request in its own app context, as on a server: the test's context would
    otherwise share ``g`` (Flask-Login's user, the CSRF token) between requests."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def client(app, session):
    return IsolatedClient(app, app.response_class, use_cookies=True)


@pytest.fixture(autouse=True)
def csrf_on(app, monkeypatch):
    """As on the server (and whatever another test module left in the shared config)."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


@pytest.fixture(autouse=True)
def fresh_limits(app):
    limiter.reset()  # limits are per process; these tests register and log in many times


@pytest.fixture
def outbox(app, client):
    app.extensions["mailman"].outbox = []
    return app.extensions["mailman"].outbox


def csrf_token(client, path: str = "/account/login") -> str:
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def post(client, path: str, data: dict, token_from: str | None = None, **kw):
    return client.post(path, data={"csrf_token": csrf_token(client, token_from or path), **data}, **kw)


def make_user(session, email="ana@example.org", password=PASSWORD, **kw) -> User:
    kw.setdefault("verified", True)
    return accounts.create_user(session, email=email, password=password, display_name=kw.pop("name", "Ana"), **kw)


def login(client, email="ana@example.org", password=PASSWORD, **extra):
    return post(client, "/account/login", {"email": email, "password": password, **extra})


def link(message, prefix: str) -> str:
    return re.search(rf"http://localhost({re.escape(prefix)}\S+)", message.body).group(1)


def text(response) -> str:
    return response.get_data(as_text=True)


def field_error(html: str, field_id: str) -> str | None:
    match = re.search(rf'<p class="field__error" id="{field_id}-error">(.*?)</p>', html, re.S)
    return match.group(1).strip() if match else None


# --- registration and verification ----------------------------------------------------------

def test_register_verify_and_contribute(client, session, outbox):
    response = post(client, "/account/register", {"name": "Ana Blandiana", "email": "Ana@Example.org",
                                                  "password": PASSWORD})
    assert response.status_code == 303 and response.location.endswith("/account/sent")
    page = text(client.get("/account/sent"))
    assert "Check your mail" in page and "Ana@Example.org" in page
    [message] = outbox
    assert message.to == ["ana@example.org"]
    user = session.scalar(select(User).where(User.email == "ana@example.org"))
    assert not user.is_verified and user.role == "reader"

    response = client.get(link(message, "/account/verify/"))
    assert response.status_code == 200 and "Your address is confirmed" in text(response)
    session.refresh(user)
    assert user.is_verified and user.role == "contributor"


def test_register_errors_sit_next_to_fields_and_keep_what_was_typed(client, session):
    response = post(client, "/account/register", {"name": "Ana <b>B</b>", "email": "ana@example", "password": "pw"})
    html = text(response)
    assert response.status_code == 200
    assert "valid email address" in field_error(html, "email")
    assert field_error(html, "password") is None  # one error at a time, in form order
    assert 'value="ana@example"' in html and 'value="Ana &lt;b&gt;B&lt;/b&gt;"' in html
    assert 'aria-invalid="true"' in html and "There is a problem" in html

    html = text(post(client, "/account/register", {"name": "Ana", "email": "ana@example.org",
                                                   "password": "password1"}))
    assert "most common" in field_error(html, "password")
    assert "password1" not in html  # passwords are never sent back
    assert 'value="ana@example.org"' in html


def test_register_with_a_taken_email_looks_the_same(client, session, outbox):
    make_user(session)
    fresh = post(client, "/account/register", {"name": "New", "email": "new@example.org", "password": PASSWORD})
    taken = post(client, "/account/register", {"name": "New", "email": "ana@example.org", "password": PASSWORD})
    assert (fresh.status_code, fresh.location) == (taken.status_code, taken.location)
    assert [m.to for m in outbox] == [["new@example.org"], ["ana@example.org"]]
    assert "already" in outbox[1].subject


def test_a_broken_verification_link_explains_and_offers_a_new_one(client, session):
    response = client.get("/account/verify/not-a-real-token")
    html = text(response)
    assert response.status_code == 400
    assert "This link does not work" in html and "/account/verify/resend" in html


def test_resend_verification_when_logged_in_and_when_not(client, session, outbox):
    make_user(session, verified=False)
    assert post(client, "/account/verify/resend", {"email": "ana@example.org"}).status_code == 303
    assert post(client, "/account/verify/resend", {"email": "nobody@example.org"}).status_code == 303
    assert [m.to for m in outbox] == [["ana@example.org"]]
    login(client)
    me = text(client.get("/me"))
    assert "Confirm your email address" in me
    assert post(client, "/account/verify/resend", {}, token_from="/me").status_code == 303
    assert len(outbox) == 2


# --- login and logout ----------------------------------------------------------------------

def test_login_and_logout(client, session):
    make_user(session)
    response = login(client)
    assert response.status_code == 303 and response.location.endswith("/me")
    me = text(client.get("/me"))
    assert "Ana" in me and 'action="/account/logout"' in me
    response = post(client, "/account/logout", {}, token_from="/me")
    assert response.status_code == 303 and response.location.endswith("/account/login")
    page = text(client.get(response.location))
    assert "You have logged out." in page and 'href="/account/register"' in page
    assert client.get("/me").status_code == 302


def test_unknown_email_and_wrong_password_look_the_same(client, session):
    make_user(session)
    unknown = text(login(client, email="nobody@example.org", password=PASSWORD))
    wrong = text(login(client, password="not the password"))
    assert field_error(unknown, "email") == field_error(wrong, "email") == accounts.LOGIN_FAILED
    assert "not the password" not in wrong and 'value="ana@example.org"' in wrong


def test_a_disabled_user_is_told(client, session):
    make_user(session)
    accounts.set_disabled_by_email(session, "ana@example.org", True)
    html = text(login(client))
    assert "has been disabled" in html
    assert client.get("/me").status_code == 302


def test_login_goes_back_to_a_local_page_only(client, session):
    make_user(session)
    assert client.get("/me").location.endswith("/account/login?next=%2Fme")
    assert login(client, next="/users/ana").location.endswith("/users/ana")
    for evil in ("//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"):
        client.post("/account/logout", data={"csrf_token": csrf_token(client, "/me")})
        assert login(client, next=evil).location.endswith("/me"), evil


def test_logged_in_users_skip_the_login_and_register_pages(client, session):
    make_user(session)
    login(client)
    assert client.get("/account/login").status_code == 303
    assert client.get("/account/register").status_code == 303


def test_navigation_shows_the_account_state(client, session):
    html = text(client.get("/account/login"))
    assert 'href="/account/login"' in html and 'href="/account/register"' in html
    make_user(session, name="Ana B")
    login(client)
    html = text(client.get("/me"))
    nav = html[html.index('class="nav-account"'):html.index("</nav>")]
    assert "Ana B" in nav and 'name="csrf_token"' in nav and 'action="/account/logout"' in nav
    assert "/admin/users" not in nav


# --- password reset and change -----------------------------------------------------------------

def test_password_reset(client, session, outbox):
    user = make_user(session)
    unknown = post(client, "/account/password/forgot", {"email": "nobody@example.org"})
    known = post(client, "/account/password/forgot", {"email": "ana@example.org"})
    assert (unknown.status_code, unknown.location) == (known.status_code, known.location)
    [message] = outbox
    reset = link(message, "/account/password/reset/")

    page = client.get(reset)
    assert page.status_code == 200 and "Choose a new password" in text(page)
    html = text(post(client, reset, {"password": "short"}, token_from=reset))
    assert "at least 8" in field_error(html, "password")
    response = post(client, reset, {"password": "a brand new secret"}, token_from=reset)
    assert response.status_code == 303 and response.location.endswith("/account/login")

    session.refresh(user)
    assert accounts.verify_password(user, "a brand new secret")
    assert field_error(text(login(client)), "email") == accounts.LOGIN_FAILED
    used = client.get(reset)
    assert used.status_code == 400 and "already been used" in text(used) and "/account/password/forgot" in text(used)


def test_change_password_keeps_this_session_and_ends_the_others(app, client, session, outbox):
    make_user(session)
    other = IsolatedClient(app, app.response_class)
    login(other)
    login(client)
    html = text(post(client, "/account/password", {"current_password": "wrong one!", "new_password": "new secret ok"}))
    assert "not your current password" in field_error(html, "current_password")
    response = post(client, "/account/password", {"current_password": PASSWORD, "new_password": "new secret ok"})
    assert response.status_code == 303
    assert client.get("/me").status_code == 200
    assert other.get("/me").status_code == 302
    assert outbox[-1].subject == "Your Tercul password was changed"


# --- email change, profile, deletion -------------------------------------------------------------

def test_change_email(client, session, outbox):
    user = make_user(session)
    login(client)
    html = text(post(client, "/account/email", {"email": "new@example.org", "password": "wrong one!"}))
    assert "not your password" in field_error(html, "password") and 'value="new@example.org"' in html
    assert post(client, "/account/email", {"email": "new@example.org", "password": PASSWORD}).status_code == 303
    confirm, notice = outbox
    assert notice.to == ["ana@example.org"]
    response = client.get(link(confirm, "/account/email/confirm/"))
    assert response.status_code == 200 and "new@example.org" in text(response)
    session.refresh(user)
    assert user.email == "new@example.org" and user.is_verified


def test_edit_profile_and_public_page(client, session):
    user = make_user(session, name="Ana")
    login(client)
    html = text(client.get("/account/profile"))
    assert 'value="Ana"' in html
    html = text(post(client, "/account/profile", {"name": "", "bio": "I translate Romanian poetry."}))
    assert field_error(html, "name") and "I translate Romanian poetry." in html
    assert post(client, "/account/profile", {"name": "Ana B.", "bio": "I translate."}).status_code == 303
    page = client.get(f"/users/{user.username}")
    assert page.status_code == 200 and "Ana B." in text(page) and "I translate." in text(page)
    assert "ana@example.org" not in text(page)
    assert client.get("/users/nobody-here").status_code == 404


def test_delete_account(client, session):
    user = make_user(session)
    user_id = user.id
    login(client)
    html = text(post(client, "/account/delete", {"password": "not it at all"}))
    assert "not your password" in field_error(html, "password")
    response = post(client, "/account/delete", {"password": PASSWORD})
    assert response.status_code == 303 and response.location.endswith("/account/deleted")
    assert "has been deleted" in text(client.get(response.location))
    assert client.get("/me").status_code == 302
    session.expire_all()
    assert session.get(User, user_id) is None


# --- administration -------------------------------------------------------------------------

def test_admin_page_is_for_admins_only(client, session):
    assert client.get("/admin/users").status_code == 302
    make_user(session)
    login(client)
    assert client.get("/admin/users").status_code == 403


def test_admin_grants_roles_and_disables_users(app, client, session):
    make_user(session, email="admin@example.org", role="admin", name="Boss")
    target = make_user(session, email="reader@example.org", name="Reader One")
    victim_browser = IsolatedClient(app, app.response_class)
    login(victim_browser, email="reader@example.org")
    login(client, email="admin@example.org")

    html = text(client.get("/admin/users?q=reader"))
    table = html[html.index("<tbody>"):html.index("</tbody>")]
    assert "Reader One" in table and "Boss" not in table
    response = post(client, f"/admin/users/{target.id}/role", {"role": "reviewer", "next": "/admin/users?q=reader"},
                    token_from="/admin/users")
    assert response.status_code == 303 and response.location.endswith("/admin/users?q=reader")
    session.refresh(target)
    assert target.role == "reviewer"
    assert "Reader One is now reviewer." in text(client.get(response.location))

    assert post(client, f"/admin/users/{target.id}/disabled", {"disabled": "1"},
                token_from="/admin/users").status_code == 303
    assert victim_browser.get("/me").status_code == 302
    assert "has been disabled" in text(login(victim_browser, email="reader@example.org"))

    admin = session.scalar(select(User).where(User.email == "admin@example.org"))
    assert post(client, f"/admin/users/{admin.id}/disabled", {"disabled": "1"},
                token_from="/admin/users").status_code == 403
    assert post(client, f"/admin/users/{target.id}/role", {"role": "emperor"},
                token_from="/admin/users").status_code == 400
    assert 'href="/admin/users"' in text(client.get("/me"))


def test_cli_users_commands(cli_runner, session):
    result = cli_runner.invoke(args=["users", "create", "--email", "ed@example.org", "--password", "password1",
                                     "--name", "Ed", "--role", "admin"])
    assert result.exit_code == 0, result.output
    assert "common" in result.output
    user = session.scalar(select(User).where(User.email == "ed@example.org"))
    assert user.is_verified and user.role == "admin" and user.password_hash.startswith("$argon2id$")
    assert cli_runner.invoke(args=["users", "grant", "ed@example.org", "reviewer"]).exit_code == 0
    assert cli_runner.invoke(args=["users", "disable", "ed@example.org"]).exit_code == 0
    listing = cli_runner.invoke(args=["users", "list"]).output
    assert "ed@example.org" in listing and "disabled" in listing
    assert cli_runner.invoke(args=["users", "enable", "ed@example.org"]).exit_code == 0
    assert cli_runner.invoke(args=["users", "grant", "nobody@example.org", "admin"]).exit_code == 1
    bad = cli_runner.invoke(args=["users", "create", "--email", "x@example.org", "--password", "short",
                                  "--name", "X"])
    assert bad.exit_code == 1 and "at least 8" in bad.output


def test_a_registration_racing_another_for_the_same_address_ends_like_a_taken_one(client, session, outbox,
                                                                                monkeypatch):
    make_user(session)
    real_lookup, calls = accounts.registration._user_by_email, []

    def lookup_missing_the_other_registration(db_session, email):
        calls.append(email)
        return None if len(calls) == 1 else real_lookup(db_session, email)  # the first request misses it

    monkeypatch.setattr(accounts.registration, "_user_by_email", lookup_missing_the_other_registration)
    response = post(client, "/account/register", {"name": "Twin", "email": "ana@example.org", "password": PASSWORD})
    assert response.status_code == 303 and response.location.endswith("/account/sent")
    assert [m.subject for m in outbox] == ["You already have a Tercul account"]


def test_the_public_page_shows_public_activity_only(client, session):
    from factories import make_work

    from tercul.models import Collection, Contribution
    from tercul.models._base import utcnow

    user = make_user(session, name="Translator")
    work = make_work(translations=("de",))
    work.translations[0].translator_id = user.id
    session.add_all([
        Contribution(kind="new_translation", status="approved", contributor_id=user.id, work_id=work.id,
                     language="de", title="Ein Gedicht", details={}, decided_at=utcnow()),
        Contribution(kind="new_translation", status="pending", contributor_id=user.id, work_id=work.id,
                     language="fr", title="Secret draft", details={}),
        Collection(owner_id=user.id, slug="fav", title="Favourites", is_public=True),
        Collection(owner_id=user.id, slug="mine", title="Private shelf", is_public=False),
    ])
    session.flush()
    html = text(client.get(f"/users/{user.username}"))
    assert f'<a href="/works/{work.slug}" lang="de">Ein Gedicht</a>' in html
    assert f'href="/works/{work.slug}/translations/{work.translations[0].key}"' in html
    assert "Favourites" in html
    assert "Secret draft" not in html and "Private shelf" not in html
