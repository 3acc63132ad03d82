"""Accounts: creating users, passwords and roles."""
from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import ROLES, User
from ..models._base import utcnow
from .catalog import make_slug
from .errors import Invalid, NotFound

EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
PASSWORD_MIN, PASSWORD_MAX = 8, 128


def password_hasher(time_cost: int = 3, memory_cost: int = 65536, parallelism: int = 4) -> PasswordHasher:
    """argon2id with the configured parameters."""
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)


def normalize_email(email: str) -> str:
    email = (email or "").strip().lower()
    if len(email) > 254 or not EMAIL_RE.match(email):
        raise Invalid("email", "enter a valid email address")
    return email


def check_password(password: str) -> None:
    if len(password or "") < PASSWORD_MIN:
        raise Invalid("password", f"use at least {PASSWORD_MIN} characters")
    if len(password) > PASSWORD_MAX:
        raise Invalid("password", f"use at most {PASSWORD_MAX} characters")


def unique_username(session: Session, display_name: str) -> str:
    base = make_slug(display_name, 50)
    taken = set(session.scalars(select(User.username).where(User.username.like(f"{base}%"))))
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    return name


def create_user(session: Session, *, email: str, password: str, display_name: str, role: str = "reader",
                verified: bool = False, hasher: PasswordHasher | None = None) -> User:
    """Create an account. Raises :class:`Invalid` for bad input or a taken email."""
    email = normalize_email(email)
    display_name = (display_name or "").strip()
    if not display_name or len(display_name) > 100:
        raise Invalid("name", "enter a display name (at most 100 characters)")
    if role not in ROLES:
        raise Invalid("role", f"{role!r} is not one of {', '.join(ROLES)}")
    check_password(password)
    if session.scalar(select(User.id).where(func.lower(User.email) == email)):
        raise Invalid("email", "an account with this email already exists")
    user = User(email=email, display_name=display_name, username=unique_username(session, display_name),
                role=role, password_hash=(hasher or password_hasher()).hash(password),
                email_verified_at=utcnow() if verified else None)
    session.add(user)
    session.flush()
    return user


def verify_password(user: User, password: str, hasher: PasswordHasher | None = None) -> bool:
    if not user.password_hash:
        return False
    try:
        return (hasher or password_hasher()).verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def grant_role(session: Session, email: str, role: str) -> User:
    """Set a user's role (the admin page and ``tercul users grant`` call this)."""
    if role not in ROLES:
        raise Invalid("role", f"{role!r} is not one of {', '.join(ROLES)}")
    user = session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None:
        raise NotFound(f"no user with email {email}")
    user.role = role
    return user
