"""Passwords: the argon2id hasher, the password rules, checking and upgrading hashes.

The rules follow current guidance (NIST SP 800-63B): at least 8 characters, up to
128, no composition rules, and not one of the most common passwords.
"""
from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context

from .errors import Invalid

PASSWORD_MIN, PASSWORD_MAX = 8, 128
DEFAULT_PARAMETERS = (3, 65536, 4)  # time cost, memory (KiB), parallelism


@lru_cache(maxsize=8)
def password_hasher(time_cost: int = DEFAULT_PARAMETERS[0], memory_cost: int = DEFAULT_PARAMETERS[1],
                    parallelism: int = DEFAULT_PARAMETERS[2]) -> PasswordHasher:
    """argon2id with the given parameters."""
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism, type=Type.ID)


def configured_hasher(config: Mapping | None = None) -> PasswordHasher:
    """The hasher with the parameters of ``config`` (the app's config when None)."""
    if config is None:
        if not has_app_context():
            return password_hasher()
        config = current_app.config
    return password_hasher(config.get("ARGON2_TIME_COST", DEFAULT_PARAMETERS[0]),
                           config.get("ARGON2_MEMORY_COST", DEFAULT_PARAMETERS[1]),
                           config.get("ARGON2_PARALLELISM", DEFAULT_PARAMETERS[2]))


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The most common passwords that the length rules let through, lower-cased.

    Read once from the "passwords" frequency list of the zxcvbn package (pinned in
    requirements.txt; drawn from published password leaks): its 11,611 entries of
    8 to 128 printable characters. Shorter ones need no list, the length rule
    refuses them.
    """
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(p.lower() for p in FREQUENCY_LISTS["passwords"]
                     if PASSWORD_MIN <= len(p) <= PASSWORD_MAX and p.isprintable())


def is_common(password: str) -> bool:
    return password.lower() in common_passwords()


def check_password(password: str, *, field: str = "password", personal: tuple[str, ...] = (),
                   allow_common: bool = False) -> None:
    """Raise :class:`Invalid` naming ``field`` unless ``password`` may be used.

    ``personal`` holds words the password must not be (the email address, its local
    part, the display name). ``allow_common`` lets a trusted caller (the command line)
    through with a common password.
    """
    password = password or ""
    if len(password) < PASSWORD_MIN:
        raise Invalid(field, f"Use at least {PASSWORD_MIN} characters.")
    if len(password) > PASSWORD_MAX:
        raise Invalid(field, f"Use at most {PASSWORD_MAX} characters.")
    if not password.strip():
        raise Invalid(field, "A password cannot be only spaces.")
    if not allow_common and is_common(password):
        raise Invalid(field, "This is one of the most common passwords, and the first an attacker tries. "
                             "Choose another (a few unrelated words make a good one).")
    lowered = password.lower()
    if any(word and lowered == word.lower() for word in personal):
        raise Invalid(field, "Don't use your name or email address as your password.")


def hash_password(password: str, hasher: PasswordHasher | None = None) -> str:
    return (hasher or configured_hasher()).hash(password)


def password_matches(password_hash: str | None, password: str, hasher: PasswordHasher | None = None) -> bool:
    """Whether ``password`` matches ``password_hash``; False for no hash or a malformed one."""
    if not password_hash or not password:
        return False
    try:
        return (hasher or configured_hasher()).verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str, hasher: PasswordHasher | None = None) -> bool:
    """Whether a hash was made with other parameters than the configured ones."""
    try:
        return (hasher or configured_hasher()).check_needs_rehash(password_hash)
    except (InvalidHashError, ValueError):
        return True


@lru_cache(maxsize=8)
def _dummy_hash(hasher: PasswordHasher) -> str:
    return hasher.hash("tercul: a password nobody has")


def spend_verification_time(password: str, hasher: PasswordHasher | None = None) -> None:
    """Verify against a dummy hash, so that an unknown account costs as long as a known one."""
    hasher = hasher or configured_hasher()
    password_matches(_dummy_hash(hasher), password or "x", hasher)
