"""Creating accounts and signing in."""
from __future__ import annotations

from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from ...models import ROLES, User
from ...models._base import utcnow
from .. import mail
from ..errors import Forbidden, Invalid
from ..passwords import check_password, hash_password, needs_rehash, password_matches, spend_verification_time
from .links import _verify_url, send_verification
from .users import (LOGIN_FAILED, PLACEHOLDER_EMAIL, _display_name, _personal_words, _url, _user_by_email,
                    normalize_email, unique_username)


def create_user(session: Session, *, email: str, password: str, display_name: str, role: str = "reader",
                verified: bool = False, hasher: PasswordHasher | None = None, allow_common: bool = False) -> User:
    """Create an account. Raises :class:`Invalid` for bad input or a taken email.

    For trusted callers (the CLI, tests); people register with :func:`register`.
    ``allow_common`` skips the common-password refusal (the command line warns instead).
    """
    email = normalize_email(email)
    display_name = _display_name(display_name)
    if role not in ROLES:
        raise Invalid("role", f"{role!r} is not one of {', '.join(ROLES)}")
    if email == PLACEHOLDER_EMAIL:
        raise Invalid("email", "This address is reserved.")
    check_password(password, personal=_personal_words(email, display_name), allow_common=allow_common)
    if _user_by_email(session, email) is not None:
        raise Invalid("email", "An account with this email address already exists.")
    return _insert_user(session, email, password, display_name, role, verified, hasher)


def _insert_user(session: Session, email: str, password: str, display_name: str, role: str = "reader",
                 verified: bool = False, hasher: PasswordHasher | None = None) -> User:
    user = User(email=email, display_name=display_name, username=unique_username(session, display_name),
                role=role, password_hash=hash_password(password, hasher), session_version=1,
                email_verified_at=utcnow() if verified else None)
    session.add(user)
    session.flush()
    return user


def register(session: Session, *, email: str, password: str, display_name: str) -> User | None:
    """Someone signs up. Returns the new unverified user, or None when the address
    already has an account (then that address gets a mail saying so, with a fresh
    verification link if it was never verified). The caller shows the same page in
    both cases. Raises :class:`Invalid` for bad input."""
    email = normalize_email(email)
    display_name = _display_name(display_name)
    check_password(password, personal=_personal_words(email, display_name))
    existing = _user_by_email(session, email)
    if existing is not None or email == PLACEHOLDER_EMAIL:
        spend_verification_time(password)  # as long as hashing a new password
        if existing is not None:
            mail.send_after_commit(session, mail.compose(
                existing.email, "You already have a Tercul account", "account/mail/already_registered.txt",
                user=existing, login_url=_url("account.login"), reset_url=_url("account.forgot_password"),
                verify_url=None if existing.is_verified else _verify_url(existing)))
        return None
    # a registration racing this one for the address fails at commit (unique email);
    # the caller retries and then takes the branch above
    user = _insert_user(session, email, password, display_name)
    send_verification(session, user)
    return user


def authenticate(session: Session, email: str, password: str) -> User:
    """The user with this email and password, for a login.

    Unknown address and wrong password raise the same :class:`Invalid` and take the
    same time. A disabled account raises :class:`Forbidden`, but only after the right
    password. Upgrades the stored hash when the argon2 parameters changed and records
    the login time.
    """
    try:
        email = normalize_email(email)
    except Invalid:
        raise Invalid("email", LOGIN_FAILED) from None
    user = _user_by_email(session, email)
    if user is None or user.deleted_at is not None:
        spend_verification_time(password)
        raise Invalid("email", LOGIN_FAILED)
    if not password_matches(user.password_hash, password):
        raise Invalid("email", LOGIN_FAILED)
    if user.disabled_at is not None:
        raise Forbidden("This account has been disabled. Write to the editors if you think this is a mistake.")
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user


def verify_password(user: User, password: str, hasher: PasswordHasher | None = None) -> bool:
    """Whether ``password`` is the user's password (no side effects)."""
    return password_matches(user.password_hash, password, hasher)
