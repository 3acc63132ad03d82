"""Language codes: ISO 639 (with optional BCP 47 subtags) and their names."""
from __future__ import annotations

from functools import lru_cache

import langcodes

from .errors import Invalid


@lru_cache(maxsize=4096)
def normalize_language(code: str, field: str = "language") -> str:
    """Return the canonical tag (``de``, ``pt-BR``) or raise :class:`Invalid`."""
    raw = (code or "").strip()
    if not raw or len(raw) > 16:
        raise Invalid(field, f"{raw!r} is not a language code")
    try:
        lang = langcodes.Language.get(raw, normalize=True)
    except (ValueError, langcodes.tag_parser.LanguageTagError):
        raise Invalid(field, f"{raw!r} is not a language code (use ISO 639, e.g. de, fr, grc)") from None
    if not lang.language or not lang.is_valid() or lang.language in ("und", "zxx", "mul"):
        raise Invalid(field, f"{raw!r} is not an ISO 639 language code (e.g. de, fr, grc)")
    return lang.to_tag()


def is_language(code: str) -> bool:
    try:
        normalize_language(code)
    except Invalid:
        return False
    return True


@lru_cache(maxsize=4096)
def language_name(code: str, in_language: str = "en") -> str:
    """``de`` -> ``German``; unknown codes are returned as they are."""
    try:
        return langcodes.Language.get(code).display_name(in_language)
    except Exception:  # noqa: BLE001 - a name is cosmetic; never fail a page for it
        return code


@lru_cache(maxsize=4096)
def language_autonym(code: str) -> str:
    """``de`` -> ``Deutsch``."""
    try:
        return langcodes.Language.get(code).autonym()
    except Exception:  # noqa: BLE001
        return code
