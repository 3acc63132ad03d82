"""Accounts service: passwords, registration, login, verification, reset, email change, roles."""
from __future__ import annotations

import re

import pytest
from factories import UserFactory
from sqlalchemy import select

from tercul.models import RefreshToken, User
from tercul.services import accounts, tokens
from tercul.services.errors import Forbidden, Invalid, NotFound, Unauthenticated
from tercul.services.passwords import password_hasher

GOOD = "lantern orchard thunder"


@pytest.fixture
def ctx(app, session):
    """A request context (mail links are absolute URLs) and an empty mail outbox."""
    app.extensions["mailman"].outbox = []
    with app.test_request_context():
        yield app.extensions["mailman"].outbox


def make_user(session, email="ana@example.org", password=GOOD, name="Ana Blandiana", **kw) -> User:
    return accounts.create_user(session, email=email, password=password, display_name=name, **kw)


def link_in(message, path: str) -> str:
    return re.search(rf"http://localhost({re.escape(path)}\S+)", message.body).group(1).rsplit("/", 1)[1]


# --- passwords ------------------------------------------------------------------------------

def test_stored_hashes_are_argon2id(ctx, session):
    user = make_user(session)
    assert user.password_hash.startswith("$argon2id$")
    assert accounts.verify_password(user, GOOD)
    assert not accounts.verify_password(user, GOOD + "x")


@pytest.mark.parametrize("password, message", [
    ("short1!", "at least 8"),
    ("x" * 129, "at most 128"),
    ("password1", "most common"),
    ("Qwerty123", "most common"),
    ("        ", "only spaces"),
    ("ana@example.org", "name or email"),
    ("ana blandiana", "name or email"),
])
def test_password_rules_refuse(ctx, session, password, message):
    with pytest.raises(Invalid) as error:
        make_user(session, password=password)
    assert error.value.field == "password"
    assert message in error.value.message


@pytest.mark.parametrize("password", ["abcdefgh-not-common", "x" * 128, "все слова тут", "onlylowercaseletters"])
def test_password_rules_have_no_composition_rules(ctx, session, password):
    assert make_user(session, password=password).password_hash.startswith("$argon2id$")


def test_login_rehashes_when_parameters_change(ctx, app, session):
    user = make_user(session, hasher=password_hasher(1, 8, 1))
    assert "m=8," in user.password_hash
    accounts.authenticate(session, "ana@example.org", GOOD)
    cfg = app.config
    assert f"m={cfg['ARGON2_MEMORY_COST']},t={cfg['ARGON2_TIME_COST']},p={cfg['ARGON2_PARALLELISM']}" \
        in user.password_hash
    assert user.last_login_at is not None


def test_cli_may_use_a_common_password(ctx, session):
    assert make_user(session, password="password1", allow_common=True).id


# --- registration and login --------------------------------------------------------------------

def test_register_sends_a_verification_link(ctx, session):
    user = accounts.register(session, email=" Ana@Example.org ", password=GOOD, display_name="  Ana   Blandiana ")
    session.commit()
    assert (user.email, user.display_name, user.username) == ("ana@example.org", "Ana Blandiana", "ana-blandiana")
    assert user.role == "reader" and not user.is_verified
    [message] = ctx
    assert message.to == ["ana@example.org"]
    assert "/account/verify/" in message.body


def test_register_with_a_taken_email_returns_like_a_new_one_and_mails_the_owner(ctx, session):
    make_user(session, verified=True)
    assert accounts.register(session, email="ANA@example.org", password="another good one",
                             display_name="Someone") is None
    session.commit()
    [message] = ctx
    assert message.to == ["ana@example.org"]
    assert "already" in message.subject
    assert "/account/verify/" not in message.body  # verified: no new link
    assert session.scalar(select(User).where(User.display_name == "Someone")) is None


def test_register_again_when_unverified_includes_a_fresh_link(ctx, session):
    make_user(session)
    accounts.register(session, email="ana@example.org", password=GOOD, display_name="Ana")
    session.commit()
    assert "/account/verify/" in ctx[0].body


def test_register_checks_input_in_order_of_the_form(ctx, session):
    for kwargs, field in [(dict(display_name=""), "name"), (dict(email="not-an-email"), "email"),
                          (dict(password="short"), "password")]:
        data = dict(email="new@example.org", password=GOOD, display_name="New") | kwargs
        with pytest.raises(Invalid) as error:
            accounts.register(session, **data)
        assert error.value.field == field


def test_mail_is_not_sent_when_the_transaction_rolls_back(ctx, session):
    accounts.register(session, email="new@example.org", password=GOOD, display_name="New")
    session.rollback()
    assert ctx == []


def test_unknown_email_and_wrong_password_fail_alike(ctx, session):
    make_user(session)
    errors = []
    for email, password in [("nobody@example.org", GOOD), ("ana@example.org", "wrong password!")]:
        with pytest.raises(Invalid) as error:
            accounts.authenticate(session, email, password)
        errors.append((error.value.field, error.value.message))
    assert errors[0] == errors[1] == ("email", accounts.LOGIN_FAILED)


def test_a_disabled_account_is_told_so_only_with_the_right_password(ctx, session):
    user = make_user(session)
    accounts.set_disabled_by_email(session, user.email, True)
    with pytest.raises(Invalid):
        accounts.authenticate(session, user.email, "wrong password!")
    with pytest.raises(Forbidden):
        accounts.authenticate(session, user.email, GOOD)


def test_end_sessions_bumps_the_version(ctx, session):
    user = make_user(session)
    before = user.session_version
    accounts.end_sessions(session, user)
    assert user.session_version == before + 1


# --- verification -----------------------------------------------------------------------------

def test_verifying_makes_a_reader_a_contributor(ctx, session):
    user = accounts.register(session, email="ana@example.org", password=GOOD, display_name="Ana")
    session.commit()
    assert not accounts.can_contribute(user)
    token = link_in(ctx[0], "/account/verify/")
    assert accounts.verify_email(session, token) is user
    assert user.is_verified and user.role == "contributor"
    assert accounts.can_contribute(user)
    assert accounts.verify_email(session, token) is user  # twice is harmless


def test_verification_link_expires(ctx, session, monkeypatch):
    user = make_user(session)
    accounts.send_verification(session, user)
    session.commit()
    token = link_in(ctx[0], "/account/verify/")
    _travel(monkeypatch, hours=49)
    with pytest.raises(Invalid, match="expired"):
        accounts.verify_email(session, token)


def test_tampered_links_are_refused(ctx, session):
    user = make_user(session)
    accounts.send_verification(session, user)
    session.commit()
    token = link_in(ctx[0], "/account/verify/")
    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "garbage", ""):
        with pytest.raises(Invalid) as error:
            accounts.verify_email(session, bad)
        assert error.value.field == "token"


def test_a_verification_link_cannot_be_used_as_a_reset_link(ctx, session):
    user = make_user(session)
    accounts.send_verification(session, user)
    session.commit()
    with pytest.raises(Invalid, match="not valid"):
        accounts.user_for_reset_token(session, link_in(ctx[0], "/account/verify/"))


def test_resend_for_unknown_or_verified_addresses_sends_nothing(ctx, session):
    make_user(session, verified=True)
    accounts.resend_verification(session, "ana@example.org")
    accounts.resend_verification(session, "nobody@example.org")
    session.commit()
    assert ctx == []
    with pytest.raises(Invalid):
        accounts.resend_verification(session, "not an address")


# --- password reset and change -----------------------------------------------------------------

def test_password_reset_works_once_and_ends_sessions_and_tokens(ctx, session):
    user = make_user(session, verified=True)
    pair = tokens.issue_tokens(session, user)
    version = user.session_version
    accounts.request_password_reset(session, "ANA@example.org")
    session.commit()
    [message] = ctx
    token = link_in(message, "/account/password/reset/")
    assert accounts.user_for_reset_token(session, token) is user
    accounts.reset_password(session, token, "a brand new secret")
    session.commit()
    assert accounts.verify_password(user, "a brand new secret")
    assert user.session_version == version + 1
    with pytest.raises(Unauthenticated):
        tokens.user_for_access_token(session, pair.access_token)
    with pytest.raises(Invalid, match="already been used"):
        accounts.reset_password(session, token, "yet another secret")
    assert "password was changed" in ctx[-1].subject


def test_password_reset_for_an_unknown_address_sends_nothing(ctx, session):
    accounts.request_password_reset(session, "nobody@example.org")
    session.commit()
    assert ctx == []


def test_reset_link_expires(ctx, session, monkeypatch):
    make_user(session)
    accounts.request_password_reset(session, "ana@example.org")
    session.commit()
    token = link_in(ctx[0], "/account/password/reset/")
    _travel(monkeypatch, minutes=61)
    with pytest.raises(Invalid, match="expired"):
        accounts.user_for_reset_token(session, token)


def test_reset_applies_the_password_rules(ctx, session):
    make_user(session)
    accounts.request_password_reset(session, "ana@example.org")
    session.commit()
    with pytest.raises(Invalid) as error:
        accounts.reset_password(session, link_in(ctx[0], "/account/password/reset/"), "password")
    assert error.value.field == "password"


def test_change_password(ctx, session):
    user = make_user(session)
    version = user.session_version
    with pytest.raises(Invalid) as error:
        accounts.change_password(session, user, "not it at all", "a brand new secret")
    assert error.value.field == "current_password"
    with pytest.raises(Invalid) as error:
        accounts.change_password(session, user, GOOD, "12345678")
    assert error.value.field == "new_password"
    with pytest.raises(Invalid, match="current password"):
        accounts.change_password(session, user, GOOD, GOOD)
    accounts.change_password(session, user, GOOD, "a brand new secret")
    assert accounts.verify_password(user, "a brand new secret")
    assert user.session_version == version + 1


# --- email change -----------------------------------------------------------------------------

def test_email_change_happens_when_the_new_address_confirms(ctx, session):
    user = make_user(session, verified=True, role="reviewer")
    accounts.request_email_change(session, user, "New@Example.org", GOOD)
    session.commit()
    confirm, notice = ctx
    assert confirm.to == ["new@example.org"] and notice.to == ["ana@example.org"]
    assert user.email == "ana@example.org"
    token = link_in(confirm, "/account/email/confirm/")
    assert accounts.confirm_email_change(session, token) is user
    assert user.email == "new@example.org" and user.is_verified and user.role == "reviewer"
    assert accounts.confirm_email_change(session, token) is user  # twice is harmless


def test_email_change_needs_the_password_and_a_new_address(ctx, session):
    user = make_user(session)
    with pytest.raises(Invalid) as error:
        accounts.request_email_change(session, user, "new@example.org", "not my password")
    assert error.value.field == "password"
    with pytest.raises(Invalid) as error:
        accounts.request_email_change(session, user, "ana@example.org", GOOD)
    assert error.value.field == "email"


def test_email_change_to_a_taken_address_mails_that_address_only_a_notice(ctx, session):
    user = make_user(session)
    make_user(session, email="taken@example.org", name="Other")
    accounts.request_email_change(session, user, "taken@example.org", GOOD)
    session.commit()
    taken, notice = ctx
    assert taken.to == ["taken@example.org"] and "/account/email/confirm/" not in taken.body
    assert notice.to == ["ana@example.org"]


def test_email_change_link_fails_if_the_address_was_taken_meanwhile(ctx, session):
    user = make_user(session)
    accounts.request_email_change(session, user, "new@example.org", GOOD)
    session.commit()
    make_user(session, email="new@example.org", name="Quick")
    with pytest.raises(Invalid, match="Another account"):
        accounts.confirm_email_change(session, link_in(ctx[0], "/account/email/confirm/"))


# --- deletion -----------------------------------------------------------------------------------

def test_deleting_keeps_contributions_credited_to_the_placeholder(ctx, session):
    from tercul.models import Collection, Contribution

    user = make_user(session, verified=True)
    contribution = Contribution(kind="new_work", status="approved", contributor_id=user.id, language="en",
                                title="A poem", details={})
    collection = Collection(owner_id=user.id, slug="mine", title="Mine")
    session.add_all([contribution, collection])
    tokens.issue_tokens(session, user)
    session.flush()
    contribution_id, collection_id, user_id = contribution.id, collection.id, user.id

    with pytest.raises(Invalid):
        accounts.delete_account(session, user, "wrong password!")
    accounts.delete_account(session, user, GOOD)
    session.commit()

    assert session.get(User, user_id) is None
    placeholder = session.scalar(select(User).where(User.email == accounts.PLACEHOLDER_EMAIL))
    assert session.get(Contribution, contribution_id).contributor_id == placeholder.id
    assert session.get(Collection, collection_id) is None
    assert session.scalar(select(RefreshToken).where(RefreshToken.user_id == user_id)) is None
    assert accounts.public_profile(session, "deleted").is_placeholder
    # the address is free again
    assert make_user(session).id != user_id


def test_the_last_admin_cannot_delete_their_account(ctx, session):
    admin = make_user(session, role="admin", verified=True)
    with pytest.raises(Forbidden):
        accounts.delete_account(session, admin, GOOD)
    make_user(session, email="second@example.org", name="Second", role="admin")
    accounts.delete_account(session, admin, GOOD)


def test_nobody_can_log_in_as_the_placeholder(ctx, session):
    accounts.deleted_user_placeholder(session)
    with pytest.raises(Invalid):
        accounts.authenticate(session, accounts.PLACEHOLDER_EMAIL, "")
    assert accounts.register(session, email=accounts.PLACEHOLDER_EMAIL, password=GOOD, display_name="X") is None
    with pytest.raises(Invalid):
        accounts.create_user(session, email=accounts.PLACEHOLDER_EMAIL, password=GOOD, display_name="X")


# --- roles and permissions --------------------------------------------------------------------------

def test_permissions():
    reader, unverified_contributor = UserFactory.build(role="reader"), UserFactory.build(role="contributor",
                                                                                          email_verified_at=None)
    contributor, reviewer, admin = (UserFactory.build(role=r) for r in ("contributor", "reviewer", "admin"))
    for user in (reader, unverified_contributor, contributor, reviewer, admin):
        user.id = 1
    assert [accounts.can_contribute(u) for u in (None, reader, unverified_contributor, contributor, admin)] == \
        [False, False, False, True, True]
    assert [accounts.can_review(u) for u in (contributor, reviewer, admin)] == [False, True, True]
    with pytest.raises(Unauthenticated):
        accounts.require_contributor(None)
    with pytest.raises(Forbidden, match="Verify"):
        accounts.require_contributor(unverified_contributor)
    with pytest.raises(Forbidden):
        accounts.require_role(contributor, "reviewer")
    assert accounts.require_role(admin, "reviewer") is admin


def test_admins_grant_roles_and_disable(ctx, session):
    admin = UserFactory(role="admin")
    user = UserFactory(role="reader")
    pair = tokens.issue_tokens(session, user)
    assert accounts.set_role(session, admin, user.id, "reviewer").role == "reviewer"
    with pytest.raises(Invalid):
        accounts.set_role(session, admin, user.id, "emperor")
    with pytest.raises(Forbidden):
        accounts.set_role(session, user, admin.id, "reader")
    with pytest.raises(Forbidden):
        accounts.set_role(session, admin, admin.id, "reader")
    with pytest.raises(NotFound):
        accounts.set_role(session, admin, 10 ** 9, "reader")
    version = user.session_version
    accounts.set_disabled(session, admin, user.id, True)
    assert user.disabled_at is not None and user.session_version == version + 1
    with pytest.raises(Unauthenticated):
        tokens.user_for_access_token(session, pair.access_token)
    with pytest.raises(Forbidden):
        accounts.set_disabled(session, admin, admin.id, True)
    accounts.set_disabled(session, admin, user.id, False)
    assert user.disabled_at is None


def test_cli_grant_role(ctx, session):
    UserFactory(email="x@example.org")
    assert accounts.grant_role(session, "X@example.org", "reviewer").role == "reviewer"
    with pytest.raises(NotFound):
        accounts.grant_role(session, "nobody@example.org", "reviewer")


def test_list_users_filters_and_pages(ctx, session):
    admin = UserFactory(role="admin", display_name="Admin Person")
    for n in range(5):
        UserFactory(display_name=f"Reader {n}", email=f"reader{n}@example.org")
    page = accounts.list_users(session, admin, query="reader", per_page=2, page=2)
    assert (page.total, page.pages, page.page, len(page.users)) == (5, 3, 2, 2)
    assert accounts.list_users(session, admin, role="admin").total == 1
    assert accounts.list_users(session, admin, query="100%_").total == 0
    with pytest.raises(Forbidden):
        accounts.list_users(session, page.users[0])


def test_usernames_are_unique_and_avoid_reserved_names(ctx, session):
    names = [make_user(session, email=f"a{n}@example.org", name=name).username
             for n, name in enumerate(["Ana", "Ana", "Admin", "深い"])]
    assert names[:3] == ["ana", "ana-2", "admin-1"]
    assert names[3]  # transliterated or a fallback, never empty


def test_profile_hides_disabled_accounts(ctx, session):
    user = UserFactory(username="someone")
    assert accounts.public_profile(session, "someone").user is user
    user.disabled_at = user.created_at
    with pytest.raises(NotFound):
        accounts.public_profile(session, "someone")


def _travel(monkeypatch, **delta):
    """Move itsdangerous' clock forward."""
    import time as real_time
    from datetime import timedelta

    import itsdangerous.timed

    later = real_time.time() + timedelta(**delta).total_seconds()

    class Clock:
        @staticmethod
        def time():
            return later

    monkeypatch.setattr(itsdangerous.timed, "time", Clock)
