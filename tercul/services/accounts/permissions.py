"""Permissions: every check of who may do what.

Roles rise reader → contributor → reviewer → admin; contributing and reviewing also
need a verified address, whatever the role.
"""
from __future__ import annotations

from ...models import User
from ..errors import Forbidden, Unauthenticated


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
