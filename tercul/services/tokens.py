"""API tokens (JWT): short-lived access tokens and rotating refresh tokens.

- Both kinds are HS256 JWTs signed with ``JWT_SECRET_KEY``; decoding accepts HS256
  only (so never ``alg: none``) and requires ``exp``, ``iat``, ``iss``, ``aud``,
  ``sub``, ``jti`` and ``typ``.
- Logging in issues a pair and starts a *family*. Each refresh token works once:
  refreshing marks it used and issues a new pair in the same family. Presenting a used
  token again means it was copied, so the whole family is revoked (the thief's and
  the owner's tokens alike) and the client must log in again.
- An access token names its family, so revoking a family (logout, reuse, password
  change, disabling) ends its access tokens at once, not only when they expire.

The GraphQL layer calls :func:`issue_tokens` after checking a password with
:func:`tercul.services.accounts.authenticate`, :func:`refresh_tokens`,
:func:`revoke_token` and :func:`user_for_access_token` (or :func:`user_from_bearer`).
"""
from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt
from flask import current_app
from sqlalchemy import delete, exists, select, update
from sqlalchemy.orm import Session

from ..models import RefreshToken, User
from ..models._base import utcnow
from .errors import Unauthenticated

ALGORITHM = "HS256"
REQUIRED_CLAIMS = ["exp", "iat", "iss", "aud", "sub", "jti", "typ"]


@dataclass(frozen=True)
class TokenSettings:
    secret: str
    issuer: str
    audience: str
    access_lifetime: timedelta
    refresh_lifetime: timedelta

    @classmethod
    def from_config(cls, config: Mapping | None = None) -> TokenSettings:
        config = current_app.config if config is None else config
        return cls(secret=config["JWT_SECRET_KEY"], issuer=config["JWT_ISSUER"], audience=config["JWT_AUDIENCE"],
                   access_lifetime=timedelta(minutes=config["JWT_ACCESS_MINUTES"]),
                   refresh_lifetime=timedelta(days=config["JWT_REFRESH_DAYS"]))


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    access_expires_at: datetime
    refresh_token: str
    refresh_expires_at: datetime
    token_type: str = "Bearer"


def issue_tokens(session: Session, user: User, *, settings: TokenSettings | None = None,
                 now: datetime | None = None) -> TokenPair:
    """Start a new token family for ``user`` (who has just proved who they are)."""
    _require_active(user)
    return _issue_pair(session, user, uuid.uuid4().hex, settings or TokenSettings.from_config(), now or utcnow())


def refresh_tokens(session: Session, refresh_token: str, *, settings: TokenSettings | None = None,
                   now: datetime | None = None) -> TokenPair:
    """Exchange a refresh token for a new pair; the old one stops working.

    Raises :class:`Unauthenticated` for a bad, expired, revoked or reused token. On
    reuse the family is revoked and that revocation is committed before raising,
    because the caller rolls back on errors and the revocation must stand.
    """
    settings = settings or TokenSettings.from_config()
    now = now or utcnow()
    claims = _decode(refresh_token, "refresh", settings)
    record = session.get(RefreshToken, claims["jti"])
    if record is None or str(record.user_id) != claims["sub"] or record.family_id != claims.get("fid"):
        raise Unauthenticated("This refresh token is not known. Log in again.")
    if record.revoked_at is not None:
        raise Unauthenticated("This refresh token has been revoked. Log in again.")
    # compare-and-set, so that two concurrent uses cannot both succeed
    marked = session.execute(
        update(RefreshToken).where(RefreshToken.jti == record.jti, RefreshToken.used_at.is_(None))
        .values(used_at=now).execution_options(synchronize_session=False))
    if marked.rowcount != 1:
        _revoke_family(session, record.family_id, now)
        session.commit()
        raise Unauthenticated("This refresh token was already used, so it may have been stolen: every token "
                              "issued with it has been revoked. Log in again.")
    session.expire(record)
    user = session.get(User, record.user_id)
    _require_active(user)
    return _issue_pair(session, user, record.family_id, settings, now)


def revoke_token(session: Session, refresh_token: str, *, settings: TokenSettings | None = None) -> None:
    """Log an API client out: revoke the family of ``refresh_token`` (expired ones too)."""
    settings = settings or TokenSettings.from_config()
    claims = _decode(refresh_token, "refresh", settings, verify_exp=False)
    record = session.get(RefreshToken, claims["jti"])
    if record is not None and str(record.user_id) == claims["sub"]:
        _revoke_family(session, record.family_id, utcnow())


def revoke_all_tokens(session: Session, user: User, now: datetime | None = None) -> int:
    """Revoke every token family of ``user`` (password change, disabling); returns rows changed."""
    result = session.execute(
        update(RefreshToken).where(RefreshToken.user_id == user.id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now or utcnow()).execution_options(synchronize_session=False))
    return result.rowcount


def user_for_access_token(session: Session, access_token: str, *, settings: TokenSettings | None = None) -> User:
    """The user an access token stands for; raises :class:`Unauthenticated` otherwise."""
    settings = settings or TokenSettings.from_config()
    claims = _decode(access_token, "access", settings)
    revoked = session.scalar(select(exists().where(RefreshToken.family_id == claims.get("fid"),
                                                    RefreshToken.revoked_at.is_not(None))))
    if revoked:
        raise Unauthenticated("This token has been revoked. Log in again.")
    user = session.get(User, int(claims["sub"])) if claims["sub"].isdigit() else None
    _require_active(user)
    return user


def user_from_bearer(session: Session, authorization: str | None, *,
                     settings: TokenSettings | None = None) -> User | None:
    """Read an ``Authorization`` header: None when absent, the user for a valid Bearer
    token, :class:`Unauthenticated` for anything else (a bad token is never anonymous)."""
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("Use 'Authorization: Bearer <access token>'.")
    return user_for_access_token(session, token.strip(), settings=settings)


def prune_refresh_tokens(session: Session, now: datetime | None = None) -> int:
    """Delete refresh tokens that expired; returns how many (for a periodic job)."""
    result = session.execute(delete(RefreshToken).where(RefreshToken.expires_at < (now or utcnow()))
                             .execution_options(synchronize_session=False))
    return result.rowcount


def _issue_pair(session: Session, user: User, family_id: str, settings: TokenSettings, now: datetime) -> TokenPair:
    now = now.replace(microsecond=0)
    access_expires = now + settings.access_lifetime
    refresh_expires = now + settings.refresh_lifetime
    refresh_jti = uuid.uuid4().hex
    session.add(RefreshToken(jti=refresh_jti, family_id=family_id, user_id=user.id, issued_at=now,
                             expires_at=refresh_expires))
    session.flush()
    access = _encode(settings, user, "access", uuid.uuid4().hex, family_id, now, access_expires)
    refresh = _encode(settings, user, "refresh", refresh_jti, family_id, now, refresh_expires)
    return TokenPair(access, access_expires, refresh, refresh_expires)


def _encode(settings: TokenSettings, user: User, typ: str, jti: str, family_id: str, now: datetime,
            expires: datetime) -> str:
    claims = {"iss": settings.issuer, "aud": settings.audience, "sub": str(user.id), "typ": typ, "jti": jti,
              "fid": family_id, "iat": now, "exp": expires}
    return jwt.encode(claims, settings.secret, algorithm=ALGORITHM)


def _decode(token: str, typ: str, settings: TokenSettings, verify_exp: bool = True) -> dict:
    try:
        claims = jwt.decode(token, settings.secret, algorithms=[ALGORITHM], audience=settings.audience,
                            issuer=settings.issuer,
                            options={"require": REQUIRED_CLAIMS, "verify_exp": verify_exp})
    except jwt.ExpiredSignatureError:
        raise Unauthenticated("This token has expired.") from None
    except jwt.InvalidTokenError:
        raise Unauthenticated("This token is not valid.") from None
    if claims.get("typ") != typ:
        raise Unauthenticated("An access token is needed here." if typ == "access" else
                              "A refresh token is needed here.")
    return claims


def _revoke_family(session: Session, family_id: str, now: datetime) -> None:
    session.execute(update(RefreshToken).where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
                    .values(revoked_at=now).execution_options(synchronize_session=False))


def _require_active(user: User | None) -> None:
    if user is None or user.disabled_at is not None or user.deleted_at is not None:
        raise Unauthenticated("This account cannot sign in.")
