"""Account input and lookups shared by the other account modules: email addresses,
display and URL names, finding a user, the placeholder for deleted accounts."""
from __future__ import annotations

import re
import unicodedata

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ...models import User
from ..catalog import make_slug
from ..errors import Invalid

EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
LOGIN_FAILED = "The email address or the password is not right."
# contributions of deleted accounts are credited to this one account
PLACEHOLDER_EMAIL = "deleted@tercul.invalid"
PLACEHOLDER_USERNAME = "deleted"
RESERVED_USERNAMES = frozenset({PLACEHOLDER_USERNAME, "admin", "administrator", "me", "account", "api", "graphql",
                                "static", "system", "tercul", "root", "support", "moderator", "anonymous"})


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


def is_placeholder(user: User) -> bool:
    return user.email == PLACEHOLDER_EMAIL


def end_sessions(session: Session, user: User) -> None:
    """End every browser session of ``user`` (logout ends them all, by design)."""
    session.execute(update(User).where(User.id == user.id)
                    .values(session_version=User.session_version + 1).execution_options(synchronize_session=False))
    session.expire(user, ["session_version"])


def _user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == email))


def _active_admins(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User).where(
        User.role == "admin", User.disabled_at.is_(None), User.deleted_at.is_(None))) or 0


def _url(endpoint: str, **values) -> str:
    from ..mail import external_url

    return external_url(endpoint, **values)
