"""Accounts: registration, signing in, email verification, passwords, roles, deletion.

Every function is told who acts; none reads the request. Errors are the domain ones
(:mod:`tercul.services.errors`): ``Invalid(field, message)`` for input the user can
correct, ``Unauthenticated`` / ``Forbidden`` for who may do what.

Nothing here tells a caller whether an email address has an account: registering
with a taken address, asking for a reset or a new verification link for an unknown
one all return normally; what differs is only the mail that goes to the address.

Roles rise reader → contributor → reviewer → admin. Verifying one's email makes a
reader a contributor; contributing also needs a verified address, whatever the role.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from argon2 import PasswordHasher
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session, selectinload

from ..extensions import db
from ..models import ROLES, Collection, Contribution, Translation, User, Work
from ..models._base import utcnow
from . import mail
from .catalog import make_slug
from .errors import Forbidden, Invalid, NotFound, Unauthenticated
from .passwords import (PASSWORD_MAX, PASSWORD_MIN, check_password, hash_password, is_common,
                        needs_rehash, password_hasher, password_matches, spend_verification_time)

__all__ = [
    "PASSWORD_MIN", "PASSWORD_MAX", "ROLES", "password_hasher", "check_password", "normalize_email",
    "create_user", "register", "authenticate", "verify_password", "end_sessions", "send_verification",
    "resend_verification", "verify_email", "request_password_reset", "user_for_reset_token", "reset_password",
    "change_password", "request_email_change", "confirm_email_change", "delete_account", "update_profile",
    "grant_role", "set_role", "set_disabled", "list_users", "public_profile", "visible_user", "require_user",
    "require_role", "can_contribute", "require_contributor", "can_review", "require_reviewer", "require_admin",
    "is_admin",
    "deleted_user_placeholder", "is_placeholder", "set_disabled_by_email", "UserPage", "PublicProfile",
    "LOGIN_FAILED", "PLACEHOLDER_EMAIL", "unique_username", "is_common",
]

EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
LOGIN_FAILED = "The email address or the password is not right."
# contributions of deleted accounts are credited to this one account
PLACEHOLDER_EMAIL = "deleted@tercul.invalid"
PLACEHOLDER_USERNAME = "deleted"
RESERVED_USERNAMES = frozenset({PLACEHOLDER_USERNAME, "admin", "administrator", "me", "account", "api", "graphql",
                                "static", "system", "tercul", "root", "support", "moderator", "anonymous"})

# salts keep each kind of link from being accepted as another
_VERIFY, _RESET, _EMAIL_CHANGE = "tercul.verify-email", "tercul.reset-password", "tercul.change-email"


# --- input -----------------------------------------------------------------------------

def normalize_email(email: str, field_name: str = "email") -> str:
    email = (email or "").strip().lower()
    if len(email) > 254 or not EMAIL_RE.match(email):
        raise Invalid(field_name, "Enter a valid email address, like name@example.org.")
    return email


def _display_name(value: str) -> str:
    value = " ".join((value or "").split())
    if not value:
        raise Invalid("name", "Enter the name to show with your contributions.")
    if len(value) > 100:
        raise Invalid("name", "Use at most 100 characters.")
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in value):
        raise Invalid("name", "Use letters, digits, spaces and punctuation only.")
    return value


def _personal_words(email: str, display_name: str = "") -> tuple[str, ...]:
    return (email, email.split("@", 1)[0], display_name)


def unique_username(session: Session, display_name: str) -> str:
    """A free URL name for /users/<username>, made from the display name."""
    try:
        base = make_slug(display_name, 50)
    except Invalid:
        base = "reader"
    if base in RESERVED_USERNAMES:
        base = f"{base}-1"
    taken = set(session.scalars(select(User.username).where(User.username.like(f"{base}%"))))
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    return name


# --- creating and signing in -------------------------------------------------------------

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


def end_sessions(session: Session, user: User) -> None:
    """End every browser session of ``user`` (logout ends them all, by design)."""
    session.execute(update(User).where(User.id == user.id)
                    .values(session_version=User.session_version + 1).execution_options(synchronize_session=False))
    session.expire(user, ["session_version"])


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
    from .tokens import revoke_all_tokens

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


# --- profile and deletion ------------------------------------------------------------------

def update_profile(session: Session, user: User, *, display_name: str, bio: str | None) -> User:
    """Change one's display name and short biography (the URL name stays)."""
    require_user(user)
    display_name = _display_name(display_name)
    bio = (bio or "").strip()
    if len(bio) > 2000:
        raise Invalid("bio", "Use at most 2000 characters.")
    user.display_name, user.bio = display_name, bio or None
    return user


def delete_account(session: Session, user: User, password: str) -> None:
    """Delete one's account, after re-entering the password.

    Personal things go with it (collections, likes, bookmarks, saved searches,
    notifications, API tokens); what it gave the library stays (contributions,
    translations, revisions, review decisions, comments), credited to the shared
    "Deleted user" account. The last admin cannot leave without naming another.
    """
    require_user(user)
    if not password_matches(user.password_hash, password):
        raise Invalid("password", "This is not your password.")
    if user.role == "admin" and _active_admins(session) <= 1:
        raise Forbidden("You are the only admin: make someone else admin before deleting your account.")
    placeholder = deleted_user_placeholder(session)
    # every column that credits a user and lets the user go (ON DELETE SET NULL)
    for table, column in _credit_columns():
        session.execute(update(table).where(column == user.id).values({column.name: placeholder.id}))
    session.delete(user)
    session.flush()
    session.expire_all()


def deleted_user_placeholder(session: Session) -> User:
    """The account that contributions of deleted accounts are credited to."""
    placeholder = _user_by_email(session, PLACEHOLDER_EMAIL)
    if placeholder is None:
        now = utcnow()
        placeholder = User(email=PLACEHOLDER_EMAIL, username=PLACEHOLDER_USERNAME, display_name="Deleted user",
                           role="reader", password_hash=None, session_version=1, disabled_at=now, deleted_at=now,
                           bio="Contributions of people who have deleted their accounts.")
        session.add(placeholder)
        session.flush()
    return placeholder


def is_placeholder(user: User) -> bool:
    return user.email == PLACEHOLDER_EMAIL


def _credit_columns():
    users = User.__table__
    for table in db.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table is users and (fk.ondelete or "").upper() == "SET NULL":
                yield table, fk.parent


# --- roles and administration -------------------------------------------------------------

def grant_role(session: Session, email: str, role: str) -> User:
    """Set a user's role by email (``tercul users grant``: the command line is trusted)."""
    if role not in ROLES:
        raise Invalid("role", f"{role!r} is not one of {', '.join(ROLES)}")
    user = _user_by_email(session, normalize_email(email))
    if user is None or is_placeholder(user):
        raise NotFound(f"no user with email {email}")
    user.role = role
    return user


def set_role(session: Session, actor: User | None, user_id: int, role: str) -> User:
    """An admin gives a user a role. Admins cannot change their own role (so that
    the last admin cannot lock everyone out)."""
    require_admin(actor)
    if role not in ROLES:
        raise Invalid("role", f"Choose one of {', '.join(ROLES)}.")
    user = _user_for_admin(session, user_id)
    if user.id == actor.id and role != user.role:
        raise Forbidden("You cannot change your own role; ask another admin.")
    user.role = role
    return user


def set_disabled(session: Session, actor: User | None, user_id: int, disabled: bool) -> User:
    """An admin disables a user (ending their sessions and API tokens) or enables them again."""
    require_admin(actor)
    user = _user_for_admin(session, user_id)
    if user.id == actor.id:
        raise Forbidden("You cannot disable your own account.")
    return _set_disabled(session, user, disabled)


def set_disabled_by_email(session: Session, email: str, disabled: bool) -> User:
    """``tercul users disable/enable EMAIL`` (the command line is trusted)."""
    user = _user_by_email(session, normalize_email(email))
    if user is None or is_placeholder(user):
        raise NotFound(f"no user with email {email}")
    return _set_disabled(session, user, disabled)


def _set_disabled(session: Session, user: User, disabled: bool) -> User:
    from .tokens import revoke_all_tokens

    if disabled and user.disabled_at is None:
        user.disabled_at = utcnow()
        session.flush()
        end_sessions(session, user)
        revoke_all_tokens(session, user)
    elif not disabled:
        user.disabled_at = None
    return user


@dataclass
class UserPage:
    users: list[User]
    total: int
    page: int
    pages: int
    query: str = ""
    role: str = ""


def list_users(session: Session, actor: User | None, *, query: str = "", role: str = "", page: int = 1,
               per_page: int = 50) -> UserPage:
    """Users for the admin page, newest first, filtered by a search on name or email and by role."""
    require_admin(actor)
    stmt = select(User).where(User.email != PLACEHOLDER_EMAIL)
    query = (query or "").strip()
    if query:
        pattern = "%" + query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(or_(func.lower(User.email).like(pattern, escape="\\"),
                              func.lower(User.display_name).like(pattern, escape="\\"),
                              User.username.like(pattern, escape="\\")))
    if role in ROLES:
        stmt = stmt.where(User.role == role)
    else:
        role = ""
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    users = list(session.scalars(stmt.order_by(User.created_at.desc(), User.id.desc())
                                 .limit(per_page).offset((page - 1) * per_page)))
    return UserPage(users, total, page, pages, query, role)


# --- permissions: every check of who may do what -------------------------------------------

def require_user(user: User | None) -> User:
    """The acting user, or :class:`Unauthenticated` for nobody / a disabled account."""
    if user is None or not getattr(user, "is_authenticated", False) or getattr(user, "id", None) is None:
        raise Unauthenticated("Log in to do this.")
    if user.disabled_at is not None or user.deleted_at is not None:
        raise Unauthenticated("This account cannot sign in.")
    return user


def require_role(user: User | None, role: str) -> User:
    """:class:`Unauthenticated` for nobody, :class:`Forbidden` below ``role``."""
    user = require_user(user)
    if not user.has_role(role):
        raise Forbidden(f"This needs the {role} role.")
    return user


def can_contribute(user: User | None) -> bool:
    """Propose translations and edits: a contributor (or above) with a verified address."""
    return _active(user) and user.is_verified and user.has_role("contributor")


def require_contributor(user: User | None) -> User:
    user = require_user(user)
    if not user.is_verified:
        raise Forbidden("Verify your email address to contribute: follow the link we sent you.")
    return require_role(user, "contributor")


def can_review(user: User | None) -> bool:
    """Approve or reject contributions."""
    return _active(user) and user.is_verified and user.has_role("reviewer")


def require_reviewer(user: User | None) -> User:
    user = require_user(user)
    if not user.is_verified:
        raise Forbidden("Verify your email address to review.")
    return require_role(user, "reviewer")


def is_admin(user: User | None) -> bool:
    return _active(user) and user.has_role("admin")


def require_admin(user: User | None) -> User:
    return require_role(user, "admin")


def _active(user: User | None) -> bool:
    return (user is not None and getattr(user, "is_authenticated", False) and getattr(user, "id", None) is not None
            and user.disabled_at is None and user.deleted_at is None)


# --- public profile -------------------------------------------------------------------------

@dataclass
class PublicProfile:
    user: User
    is_placeholder: bool
    # (contribution, slug of its work or None)
    contributions: list[tuple[Contribution, str | None]] = field(default_factory=list)
    contribution_count: int = 0
    translations: list[Translation] = field(default_factory=list)
    translation_count: int = 0
    collections: list[Collection] = field(default_factory=list)


def public_profile(session: Session, username: str, limit: int = 20) -> PublicProfile:
    """What anyone may see of a user: name, biography, and their public activity
    (approved contributions, published translations credited to them, public
    collections). :class:`NotFound` for unknown and disabled accounts."""
    user = session.scalar(select(User).where(User.username == (username or "").lower()))
    if user is None or ((user.disabled_at is not None or user.deleted_at is not None) and not is_placeholder(user)):
        raise NotFound("There is no reader with this name.")
    approved = select(Contribution).where(Contribution.contributor_id == user.id, Contribution.status == "approved")
    published = select(Translation).where(Translation.translator_id == user.id, Translation.status == "published")
    recent_contributions = (approved.add_columns(Work.slug).outerjoin(Work, Work.id == Contribution.work_id)
                            .order_by(Contribution.decided_at.desc(), Contribution.id.desc()).limit(limit))
    return PublicProfile(
        user=user, is_placeholder=is_placeholder(user),
        contributions=[(c, slug) for c, slug in session.execute(recent_contributions)],
        contribution_count=session.scalar(select(func.count()).select_from(approved.subquery())) or 0,
        translations=list(session.scalars(published.options(selectinload(Translation.work))
                                          .order_by(Translation.published_at.desc(), Translation.id.desc())
                                          .limit(limit))),
        translation_count=session.scalar(select(func.count()).select_from(published.subquery())) or 0,
        collections=list(session.scalars(
            select(Collection).where(Collection.owner_id == user.id, Collection.is_public.is_(True))
            .order_by(Collection.updated_at.desc()).limit(limit))),
    )


def visible_user(session: Session, username: str) -> User | None:
    """A user others may see, by user name: None for unknown, deleted and disabled accounts."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None or user.deleted_at is not None or user.disabled_at is not None:
        return None
    return user


# --- helpers ---------------------------------------------------------------------------------

def _user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == email))


def _user_for_admin(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or is_placeholder(user):
        raise NotFound("There is no such user.")
    return user


def _active_admins(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User).where(
        User.role == "admin", User.disabled_at.is_(None), User.deleted_at.is_(None))) or 0


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


def _url(endpoint: str, **values) -> str:
    from .mail import external_url

    return external_url(endpoint, **values)

