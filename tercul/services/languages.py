"""Language codes: ISO 639 (with optional BCP 47 subtags) and their names."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

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


# BCP 47 variant subtags of the library's texts -> what a reader calls them
VARIANT_NAMES = {
    "1901": "1901 orthography", "1996": "1996 orthography", "1606nict": "1606", "1694acad": "1694",
    "polyton": "polytonic", "monoton": "monotonic", "valencia": "Valencian", "tarask": "Taraškievica",
    "pinyin": "Pinyin", "wadegile": "Wade-Giles", "fonipa": "IPA", "rozaj": "Resian", "nedis": "Natisone",
    "scouse": "Scouse", "arevela": "Eastern", "arevmda": "Western", "ekavsk": "Ekavian", "ijekavsk": "Ijekavian",
    "baku1926": "1926 alphabet", "luna1918": "1918 orthography", "petr1708": "1708 orthography",
}


@dataclass(frozen=True)
class LanguageNames:
    """How to show a language tag so that people can tell tags apart."""

    code: str
    name: str  # "German (1901 orthography)", "Chinese (Simplified)", "Portuguese (Brazil)"
    native: str  # "Deutsch", "中文（简体）"; the name when no other is known
    variant: str | None  # what sets this tag apart from its language: "1901 orthography", "Simplified"

    @property
    def choice(self) -> str:
        """For pickers and filters: the name and, when it differs, the native name."""
        return self.name if self.native in (self.name, self.code) else f"{self.name} · {self.native}"


@lru_cache(maxsize=4096)
def describe_language(code: str, in_language: str = "en") -> LanguageNames:
    """The names of a language tag: ``de-1901`` -> German (1901 orthography), Deutsch.

    The one place a language's name is made (facets, pickers, the reading view, forms).
    Script and region come from CLDR (``langcodes``); variant subtags, which CLDR
    does not name, from :data:`VARIANT_NAMES`. An unknown code is its own name."""
    try:
        tag = langcodes.Language.get(code)
        variants = [VARIANT_NAMES.get(v.lower(), v) for v in (tag.variants or [])]
        base = tag.display_name(in_language)
        plain = langcodes.Language.make(language=tag.language).display_name(in_language)
        native = tag.autonym()
    except Exception:  # noqa: BLE001 - a name is cosmetic; never fail a page for it
        return LanguageNames(code, code, code, None)
    if not tag.language or base.lower() == (code or "").lower() or base.startswith("Unknown language"):
        return LanguageNames(code, code, code, None)
    extra = [base[len(plain):].strip(" ()")] if base != plain and base.startswith(plain) else []
    extra = [e for e in extra if e] + variants
    name = f"{plain} ({', '.join(extra)})" if extra else base
    return LanguageNames(code, name, native or name, ", ".join(extra) or None)


def language_name(code: str, in_language: str = "en") -> str:
    """``de`` -> ``German``, ``de-1901`` -> ``German (1901 orthography)``; unknown codes are
    returned as they are."""
    return describe_language(code, in_language).name


def language_choice(code: str) -> str:
    """``de`` -> ``German · Deutsch``: how a language is offered in pickers and filters."""
    return describe_language(code).choice


def parse_language_choice(raw: str | None, choices: Iterable[str] = (), field: str = "language") -> str:
    """What a language picker sent: a tag (``de-1901``), or the text of one of ``choices``
    as the picker shows it (``German (1901 orthography) · Deutsch``, or the name or the
    native name alone), as typed without script. Raises :class:`Invalid`."""
    text = " ".join((raw or "").split())
    if not text:
        raise Invalid(field, "choose a language")
    choices = list(choices)
    if text in choices:
        return text
    if is_language(text):
        return normalize_language(text, field)
    folded = text.casefold()
    for code in choices:
        names = describe_language(code)
        if folded in (names.choice.casefold(), names.name.casefold(), names.native.casefold()):
            return code
    raise Invalid(field, f"“{text[:40]}” is not a language we know; type its name or ISO code (e.g. de, fr, grc)")


def language_autonym(code: str) -> str:
    """``de`` -> ``Deutsch``: the language's name for itself (its code when unknown)."""
    return describe_language(code).native
