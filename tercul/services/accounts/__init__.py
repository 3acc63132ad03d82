"""Accounts: registration, signing in, email verification, passwords, roles, deletion.

Every function is told who acts; none reads the request. Errors are the domain ones
(:mod:`tercul.services.errors`): ``Invalid(field, message)`` for input the user can
correct, ``Unauthenticated`` / ``Forbidden`` for who may do what.

Nothing here tells a caller whether an email address has an account: registering
with a taken address, asking for a reset or a new verification link for an unknown
one all return normally; what differs is only the mail that goes to the address.

Roles rise reader → contributor → reviewer → admin. Verifying one's email makes a
reader a contributor; contributing also needs a verified address, whatever the role.

The modules: ``registration`` (creating accounts, signing in), ``links`` (verification,
password reset and change, email change), ``profile`` (profile, deletion), ``admin``
(roles, disabling, the user list), ``permissions`` (``require_*`` / ``can_*``),
``public`` (public profiles) and ``users`` (input and lookups they share).
"""
from __future__ import annotations

from ...models import ROLES
from ..passwords import PASSWORD_MAX, PASSWORD_MIN, check_password, is_common, password_hasher
from .admin import UserPage, grant_role, list_users, set_disabled, set_disabled_by_email, set_role
from .links import (change_password, confirm_email_change, request_email_change, request_password_reset,
                    resend_verification, reset_password, send_verification, user_for_reset_token, verify_email)
from .permissions import (can_contribute, can_review, is_admin, require_admin, require_contributor, require_reviewer,
                          require_role, require_user)
from .profile import delete_account, deleted_user_placeholder, update_profile
from .public import PublicProfile, public_profile, visible_user
from .registration import authenticate, create_user, register, verify_password
from .users import LOGIN_FAILED, PLACEHOLDER_EMAIL, end_sessions, is_placeholder, normalize_email, unique_username

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
