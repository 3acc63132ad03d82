"""API tokens: JWT checks, refresh rotation, family revocation on reuse."""
from __future__ import annotations

import base64
import json
from datetime import timedelta

import jwt
import pytest
from factories import UserFactory
from sqlalchemy import select

from tercul.models import RefreshToken
from tercul.models._base import utcnow
from tercul.services import accounts, tokens
from tercul.services.errors import Unauthenticated


@pytest.fixture
def settings(app):
    return tokens.TokenSettings.from_config(app.config)


@pytest.fixture
def user(session):
    return UserFactory(role="contributor")


def claims_for(user, settings, **changes):
    now = utcnow()
    claims = {"iss": settings.issuer, "aud": settings.audience, "sub": str(user.id), "typ": "access",
              "jti": "x" * 32, "fid": "f" * 32, "iat": now, "exp": now + timedelta(minutes=5)}
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


def test_an_issued_access_token_names_its_user(session, user, settings):
    pair = tokens.issue_tokens(session, user, settings=settings)
    assert tokens.user_for_access_token(session, pair.access_token, settings=settings) is user
    assert tokens.user_from_bearer(session, f"Bearer {pair.access_token}", settings=settings) is user
    assert pair.access_expires_at - pair.refresh_expires_at < timedelta(0)
    header = jwt.get_unverified_header(pair.access_token)
    assert header["alg"] == "HS256"


def test_alg_none_is_refused(session, user, settings):
    def b64(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data, default=str).encode()).rstrip(b"=").decode()

    claims = claims_for(user, settings)
    claims["iat"], claims["exp"] = int(claims["iat"].timestamp()), int(claims["exp"].timestamp())
    unsigned = f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims)}."
    with pytest.raises(Unauthenticated, match="not valid"):
        tokens.user_for_access_token(session, unsigned, settings=settings)
    with pytest.raises(Unauthenticated):
        tokens.user_from_bearer(session, f"Bearer {unsigned}", settings=settings)


def test_other_algorithms_are_refused_even_with_the_right_key(session, user, settings):
    token = jwt.encode(claims_for(user, settings), settings.secret, algorithm="HS512")
    with pytest.raises(Unauthenticated, match="not valid"):
        tokens.user_for_access_token(session, token, settings=settings)


def test_an_expired_token_is_refused(session, user, settings):
    pair = tokens.issue_tokens(session, user, settings=settings, now=utcnow() - timedelta(hours=1))
    with pytest.raises(Unauthenticated, match="expired"):
        tokens.user_for_access_token(session, pair.access_token, settings=settings)


@pytest.mark.parametrize("changes", [
    {"aud": "someone-else"}, {"iss": "someone-else"}, {"aud": None}, {"iss": None}, {"exp": None}, {"iat": None},
    {"jti": None}, {"sub": None}, {"typ": None}, {"typ": "refresh"},
    {"iat": utcnow() + timedelta(hours=1), "exp": utcnow() + timedelta(hours=2)},
])
def test_claims_are_checked(session, user, settings, changes):
    token = jwt.encode(claims_for(user, settings, **changes), settings.secret, algorithm="HS256")
    with pytest.raises(Unauthenticated):
        tokens.user_for_access_token(session, token, settings=settings)


def test_a_token_signed_with_another_key_is_refused(session, user, settings):
    token = jwt.encode(claims_for(user, settings), "another key of thirty-two bytes or more!", algorithm="HS256")
    with pytest.raises(Unauthenticated):
        tokens.user_for_access_token(session, token, settings=settings)


def test_refresh_and_access_tokens_are_not_interchangeable(session, user, settings):
    pair = tokens.issue_tokens(session, user, settings=settings)
    with pytest.raises(Unauthenticated):
        tokens.user_for_access_token(session, pair.refresh_token, settings=settings)
    with pytest.raises(Unauthenticated):
        tokens.refresh_tokens(session, pair.access_token, settings=settings)


def test_refresh_rotates(session, user, settings):
    first = tokens.issue_tokens(session, user, settings=settings)
    second = tokens.refresh_tokens(session, first.refresh_token, settings=settings)
    assert second.refresh_token != first.refresh_token
    assert tokens.user_for_access_token(session, second.access_token, settings=settings) is user
    third = tokens.refresh_tokens(session, second.refresh_token, settings=settings)
    rows = session.scalars(select(RefreshToken).where(RefreshToken.user_id == user.id)).all()
    assert len(rows) == 3 and len({r.family_id for r in rows}) == 1
    assert [r.used_at is not None for r in sorted(rows, key=lambda r: r.issued_at)].count(True) == 2
    assert tokens.user_for_access_token(session, third.access_token, settings=settings) is user


def test_a_reused_refresh_token_revokes_its_family(session, user, settings):
    first = tokens.issue_tokens(session, user, settings=settings)
    other_device = tokens.issue_tokens(session, user, settings=settings)
    second = tokens.refresh_tokens(session, first.refresh_token, settings=settings)

    with pytest.raises(Unauthenticated, match="already used"):
        tokens.refresh_tokens(session, first.refresh_token, settings=settings)
    session.rollback()  # what a caller does on an error: the revocation was committed and stays

    with pytest.raises(Unauthenticated, match="revoked"):
        tokens.refresh_tokens(session, second.refresh_token, settings=settings)
    for access in (first.access_token, second.access_token):
        with pytest.raises(Unauthenticated, match="revoked"):
            tokens.user_for_access_token(session, access, settings=settings)
    # another family (another device) is untouched
    assert tokens.user_for_access_token(session, other_device.access_token, settings=settings) is user
    assert tokens.refresh_tokens(session, other_device.refresh_token, settings=settings)


def test_revoke_token_logs_a_client_out(session, user, settings):
    pair = tokens.issue_tokens(session, user, settings=settings)
    tokens.revoke_token(session, pair.refresh_token, settings=settings)
    with pytest.raises(Unauthenticated):
        tokens.refresh_tokens(session, pair.refresh_token, settings=settings)
    with pytest.raises(Unauthenticated):
        tokens.user_for_access_token(session, pair.access_token, settings=settings)


def test_an_expired_refresh_token_is_refused_and_pruned(session, user, settings):
    long_ago = utcnow() - settings.refresh_lifetime - timedelta(days=1)
    pair = tokens.issue_tokens(session, user, settings=settings, now=long_ago)
    with pytest.raises(Unauthenticated, match="expired"):
        tokens.refresh_tokens(session, pair.refresh_token, settings=settings)
    assert tokens.prune_refresh_tokens(session) == 1


def test_disabled_users_lose_their_tokens(session, user, settings):
    pair = tokens.issue_tokens(session, user, settings=settings)
    accounts.set_disabled_by_email(session, user.email, True)
    with pytest.raises(Unauthenticated):
        tokens.user_for_access_token(session, pair.access_token, settings=settings)
    with pytest.raises(Unauthenticated):
        tokens.refresh_tokens(session, pair.refresh_token, settings=settings)
    with pytest.raises(Unauthenticated):
        tokens.issue_tokens(session, user, settings=settings)


@pytest.mark.parametrize("header", ["Basic abc", "Bearer", "Bearer    ", "token abc"])
def test_bearer_header_must_be_well_formed(session, settings, header):
    with pytest.raises(Unauthenticated):
        tokens.user_from_bearer(session, header, settings=settings)


def test_no_header_is_anonymous(session, settings):
    assert tokens.user_from_bearer(session, None, settings=settings) is None
    assert tokens.user_from_bearer(session, "", settings=settings) is None


def test_the_key_comes_from_config(app):
    assert tokens.TokenSettings.from_config(app.config).secret == app.config["JWT_SECRET_KEY"]
    assert len(app.config["JWT_SECRET_KEY"]) >= 32
    assert app.config["JWT_SECRET_KEY"] != app.config["SECRET_KEY"]
