"""Roles and administration: granting roles, disabling accounts, the admin's user list."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ...models import ROLES, User
from ...models._base import utcnow
from ..errors import Forbidden, Invalid, NotFound
from .permissions import require_admin
from .users import PLACEHOLDER_EMAIL, _user_by_email, end_sessions, is_placeholder, normalize_email


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
    from ..tokens import revoke_all_tokens

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


def _user_for_admin(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or is_placeholder(user):
        raise NotFound("There is no such user.")
    return user
