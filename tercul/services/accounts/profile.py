"""One's own account: profile, deletion (and the account that keeps what it gave)."""
from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from ...extensions import db
from ...models import User
from ...models._base import utcnow
from ..errors import Forbidden, Invalid
from ..passwords import password_matches
from .permissions import require_user
from .users import PLACEHOLDER_EMAIL, PLACEHOLDER_USERNAME, _active_admins, _display_name, _user_by_email


def update_profile(session: Session, user: User, *, display_name: str, bio: str | None,
                   comment_mail: bool | None = None) -> User:
    """Change one's display name and short biography (the URL name stays), and, when
    ``comment_mail`` is given, whether comments on one's things and replies come by mail."""
    require_user(user)
    display_name = _display_name(display_name)
    bio = (bio or "").strip()
    if len(bio) > 2000:
        raise Invalid("bio", "Use at most 2000 characters.")
    user.display_name, user.bio = display_name, bio or None
    if comment_mail is not None:
        user.comment_mail = bool(comment_mail)
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
    from ..social.account_deletion import forget_user  # social builds on accounts, not the reverse

    forget_user(session, user)
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


def _credit_columns():
    users = User.__table__
    for table in db.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table is users and (fk.ondelete or "").upper() == "SET NULL":
                yield table, fk.parent
