"""Signed links mailed to users and what following them does: verifying an address,
resetting a password (and changing it knowing the current one), changing the address."""
from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from ...models import User
from ...models._base import utcnow
from .. import mail
from ..errors import Invalid
from ..passwords import check_password, hash_password, password_matches
from .permissions import require_user
from .users import (PLACEHOLDER_EMAIL, _personal_words, _url, _user_by_email, end_sessions,
                    normalize_email)

# salts keep each kind of link from being accepted as another
_VERIFY, _RESET, _EMAIL_CHANGE = "tercul.verify-email", "tercul.reset-password", "tercul.change-email"


# --- email verification ------------------------------------------------------------------

def send_verification(session: Session, user: User) -> None:
    """Mail ``user`` a link that verifies their address (nothing if already verified)."""
    if user.is_verified:
        return
    mail.send_after_commit(session, mail.compose(
        user.email, "Confirm your email address for Tercul", "account/mail/verify.txt", user=user,
        verify_url=_verify_url(user), hours=current_app.config["EMAIL_VERIFY_HOURS"]))


def resend_verification(session: Session, email: str) -> None:
    """A new verification link for the account with ``email``, if there is an unverified
    one; returns normally either way. Raises :class:`Invalid` only for a malformed address."""
    user = _user_by_email(session, normalize_email(email))
    if user is not None and user.disabled_at is None:
        send_verification(session, user)


def verify_email(session: Session, token: str) -> User:
    """Mark the address in ``token`` verified (and a reader a contributor).

    Raises :class:`Invalid` (field ``token``) for an expired or broken link, or one
    for an address the account no longer has. Clicking a link twice is harmless.
    """
    data = _load(_VERIFY, token, hours=current_app.config["EMAIL_VERIFY_HOURS"])
    user = _user_for_link(session, data)
    if data.get("email") != user.email:
        raise Invalid("token", "This link was for an email address this account no longer uses.")
    if not user.is_verified:
        user.email_verified_at = utcnow()
        _promote_verified(user)
    return user


def _verify_url(user: User) -> str:
    return _url("account.verify_email", token=_sign(_VERIFY, {"uid": user.id, "email": user.email}))


def _promote_verified(user: User) -> None:
    if user.role == "reader":
        user.role = "contributor"


# --- passwords -----------------------------------------------------------------------------

def request_password_reset(session: Session, email: str) -> None:
    """Mail a single-use reset link to the account with ``email``, if any; returns
    normally either way. Raises :class:`Invalid` only for a malformed address."""
    user = _user_by_email(session, normalize_email(email))
    if user is None or user.disabled_at is not None or user.deleted_at is not None:
        return
    token = _sign(_RESET, {"uid": user.id, "pw": _fingerprint(user.password_hash)})
    minutes = current_app.config["PASSWORD_RESET_MINUTES"]
    mail.send_after_commit(session, mail.compose(
        user.email, "Reset your Tercul password", "account/mail/reset.txt", user=user,
        reset_url=_url("account.reset_password", token=token), minutes=minutes))


def user_for_reset_token(session: Session, token: str) -> User:
    """The user a reset link is for; :class:`Invalid` (field ``token``) if it expired,
    was already used (the password changed since) or is broken."""
    data = _load(_RESET, token, minutes=current_app.config["PASSWORD_RESET_MINUTES"])
    user = _user_for_link(session, data)
    if data.get("pw") != _fingerprint(user.password_hash):
        raise Invalid("token", "This link has already been used. Ask for a new one if you still need it.")
    if user.disabled_at is not None:
        raise Invalid("token", "This account has been disabled.")
    return user


def reset_password(session: Session, token: str, new_password: str) -> User:
    """Set a new password from a reset link. The link stops working, every session and
    API token of the user ends, and the address is now known to work (verified)."""
    user = user_for_reset_token(session, token)
    check_password(new_password, personal=_personal_words(user.email, user.display_name))
    _set_password(session, user, new_password)
    if not user.is_verified:
        user.email_verified_at = utcnow()  # the link reached this address
        _promote_verified(user)
    return user


def change_password(session: Session, user: User, current_password: str, new_password: str) -> None:
    """Change one's password, knowing the current one. Ends every other session and
    API token (the caller starts a new session for the current browser)."""
    require_user(user)
    if not password_matches(user.password_hash, current_password):
        raise Invalid("current_password", "This is not your current password.")
    check_password(new_password, field="new_password", personal=_personal_words(user.email, user.display_name))
    if password_matches(user.password_hash, new_password):
        raise Invalid("new_password", "This is your current password; choose a new one.")
    _set_password(session, user, new_password)


def _set_password(session: Session, user: User, password: str) -> None:
    from ..tokens import revoke_all_tokens

    user.password_hash = hash_password(password)
    session.flush()
    end_sessions(session, user)
    revoke_all_tokens(session, user)
    mail.send_after_commit(session, mail.compose(
        user.email, "Your Tercul password was changed", "account/mail/password_changed.txt", user=user,
        reset_url=_url("account.forgot_password")))


# --- email change ---------------------------------------------------------------------

def request_email_change(session: Session, user: User, new_email: str, password: str) -> None:
    """Ask to move the account to ``new_email``: a confirmation link goes to the new
    address (the change happens when it is followed) and a notice to the current one.
    A taken address gets a notice instead; the caller cannot tell the difference."""
    require_user(user)
    new_email = normalize_email(new_email)
    if not password_matches(user.password_hash, password):
        raise Invalid("password", "This is not your password.")
    if new_email == user.email:
        raise Invalid("email", "This is already your email address.")
    if new_email == PLACEHOLDER_EMAIL:
        raise Invalid("email", "This address is reserved.")
    hours = current_app.config["EMAIL_VERIFY_HOURS"]
    if _user_by_email(session, new_email) is not None:
        mail.send_after_commit(session, mail.compose(
            new_email, "Someone tried to use this address on Tercul", "account/mail/email_taken.txt",
            login_url=_url("account.login")))
    else:
        token = _sign(_EMAIL_CHANGE, {"uid": user.id, "old": user.email, "new": new_email})
        mail.send_after_commit(session, mail.compose(
            new_email, "Confirm your new email address for Tercul", "account/mail/email_change.txt", user=user,
            confirm_url=_url("account.confirm_email", token=token), hours=hours))
    mail.send_after_commit(session, mail.compose(
        user.email, "A change of your Tercul email address was requested", "account/mail/email_change_notice.txt",
        user=user, new_email=new_email, hours=hours))


def confirm_email_change(session: Session, token: str) -> User:
    """Follow an email change link: the account's address becomes the new, verified one."""
    data = _load(_EMAIL_CHANGE, token, hours=current_app.config["EMAIL_VERIFY_HOURS"])
    user = _user_for_link(session, data)
    new_email = data.get("new", "")
    if user.email == new_email:
        return user  # followed twice
    if data.get("old") != user.email:
        raise Invalid("token", "This link is out of date: the account's email address changed since.")
    if _user_by_email(session, new_email) is not None:
        raise Invalid("token", "Another account uses this address now, so it cannot be yours too.")
    user.email = new_email
    user.email_verified_at = utcnow()
    _promote_verified(user)
    return user


# --- signing and reading links ---------------------------------------------------------------

def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _sign(salt: str, payload: dict) -> str:
    return _serializer(salt).dumps(payload)


def _load(salt: str, token: str, *, hours: int = 0, minutes: int = 0) -> dict:
    try:
        data = _serializer(salt).loads(token or "", max_age=hours * 3600 + minutes * 60)
    except SignatureExpired:
        raise Invalid("token", "This link has expired.") from None
    except BadSignature:
        raise Invalid("token", "This link is not valid: it may be incomplete (copy the whole link) "
                               "or it was not made by Tercul.") from None
    if not isinstance(data, dict) or not isinstance(data.get("uid"), int):
        raise Invalid("token", "This link is not valid.")
    return data


def _user_for_link(session: Session, data: dict) -> User:
    user = session.get(User, data["uid"])
    if user is None or user.deleted_at is not None:
        raise Invalid("token", "The account this link was for no longer exists.")
    return user


def _fingerprint(password_hash: str | None) -> str:
    # a reset link carries a digest of the hash it was made for: once the password
    # changes the link no longer matches, so it works only once
    return hashlib.sha256((password_hash or "").encode()).hexdigest()[:24]
