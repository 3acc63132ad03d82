"""Rhyme schemes.

Each line's last word gets rhyme keys: for English the CMU rhyming part (last stressed
vowel to the end) and, as a fallback, a spelling ending (Shakespeare's ``temperate``
rhymes with ``date`` on the page, not in the CMU dictionary); for German, French,
Spanish, Italian, Russian and other alphabetic languages, endings from spelling with
per-language rules (stress position guessed). Two lines rhyme when any key matches.
A line takes the letter of the nearest earlier line it rhymes with within
``WINDOW`` lines, else a new letter, so repeated rhyme sounds in far-apart quatrains
keep their own letters (ABAB CDCD EFEF GG, as rhyme schemes are written).

A scheme is *certain* when every line was read from pronunciations (English, CMU) and
every rhymed pair matched on them; spelling-only schemes are marked uncertain.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import regex

from .syllables import english_phones
from .tokens import WORD

WINDOW = 4
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_VOWELS = "aeiouyàáâãäåæèéêëìíîïòóôõöøùúûüýÿœ"
_CYR_VOWELS = "аеёиоуыэюяіїє"


@dataclass
class RhymeKeys:
    phonetic: str | None  # CMU rhyming part
    loose: str | None  # last vowel and coda, stress ignored (CMU)
    spelling: str | None


def _strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def last_word(line: str) -> str | None:
    found = WORD.findall(line)
    return found[-1] if found else None


def _english_spelling_key(word: str) -> str:
    w = word.lower().replace("’", "'")
    w = regex.sub(r"'d$", "ed", w)
    w = regex.sub(r"'st$", "st", w)
    w = w.replace("'", "")
    m = regex.search(r"[aeiouy]+[^aeiouy]*e?$", w)
    return m.group(0) if m else w[-2:]


def _spelling_key(word: str, language: str) -> str | None:
    w = word.lower().replace("’", "'").replace("'", "")
    if not w:
        return None
    if language == "en":
        return _english_spelling_key(word)
    if any(c in _CYR_VOWELS for c in w):
        w = w.replace("ё", "е")
        vowels = [i for i, c in enumerate(w) if c in _CYR_VOWELS]
        # stress unknown: the last vowel and what follows, with the consonant before an open final vowel
        start = vowels[-1]
        if start == len(w) - 1 and start > 0:
            start -= 1
        return w[start:]
    if language == "fr":
        w = regex.sub(r"(?<=[aeiouyéèêàù].*)(e?s|e?nt|x|t|d)$", "", w) if len(w) > 3 else w
        w = regex.sub(r"e$", "", w) or w
        m = regex.search(rf"[{_VOWELS}]+[^{_VOWELS}]*$", w)
        key = m.group(0) if m else w
        return _strip_accents(key) if len(key) >= 2 else _strip_accents(w[-2:])
    if language in ("es", "it", "pt", "ca", "gl", "ro", "la"):
        accented = regex.search(r"[áéíóúàèìòù][^áéíóúàèìòù]*$", w)
        if accented:
            return _strip_accents(w[accented.start():])
        groups = list(regex.finditer(rf"[{_VOWELS}]+", w))
        if not groups:
            return w
        # paroxytone by default (stress on the second-last vowel group)
        start = groups[-2].start() if len(groups) >= 2 and (language != "es" or w[-1] in _VOWELS + "ns") else groups[-1].start()
        key = w[start:]
        if len(groups[-2 if len(groups) >= 2 else -1].group(0)) > 1 and start == groups[-2].start():
            key = key[len(groups[-2].group(0)) - 1:]  # diphthong: the last vowel of the group carries the rhyme
        return _strip_accents(key)
    if language in ("de", "nl", "sv", "da", "no", "nb", "nn"):
        groups = list(regex.finditer(rf"[{_VOWELS}]+", w))
        if not groups:
            return w
        start = groups[-1].start()
        # a final schwa syllable (-e, -en, -er, -el, -em, -es) does not carry the rhyme
        if len(groups) >= 2 and regex.search(r"e[nlrms]?$", w) and groups[-1].group(0) == "e":
            start = groups[-2].start()
        return w[start:].replace("ä", "e").replace("ö", "o").replace("ü", "u")
    m = regex.search(rf"[{_VOWELS}]+[^{_VOWELS}]*$", _strip_accents(w))
    return m.group(0) if m else (w[-2:] if regex.match(r"\p{L}", w) else None)


def rhyme_keys(line: str, language: str) -> RhymeKeys | None:
    word = last_word(line)
    if word is None:
        return None
    base = (language or "").split("-")[0].lower()
    phonetic = loose = None
    if base == "en":
        phones = english_phones(word)
        if phones:
            import pronouncing

            phonetic = pronouncing.rhyming_part(phones)
            parts = phones.split()
            vowel_positions = [i for i, p in enumerate(parts) if p[-1].isdigit()]
            if vowel_positions:
                loose = " ".join(p.rstrip("012") for p in parts[vowel_positions[-1]:])
    return RhymeKeys(phonetic, loose, _spelling_key(word, base))


def _rhymes(a: RhymeKeys | None, b: RhymeKeys | None) -> tuple[bool, bool]:
    """(rhymes, heard): heard is True when the match came from pronunciations."""
    if a is None or b is None:
        return False, False
    if a.phonetic and b.phonetic and a.phonetic == b.phonetic:
        return True, True
    if a.spelling and b.spelling and a.spelling == b.spelling:
        return True, False
    if a.loose and b.loose and a.loose == b.loose and len(a.loose.split()) > 1:
        return True, False
    return False, False


def scheme(lines: list[str], language: str) -> tuple[list[str | None], bool]:
    """Rhyme letter of each line (None for a line without words) and whether the scheme is certain."""
    keys = [rhyme_keys(line, language) for line in lines]
    letters: list[str | None] = [None] * len(lines)
    used = 0
    certain = (language or "").split("-")[0].lower() == "en"
    for i, key in enumerate(keys):
        if key is None:
            continue
        for j in range(i - 1, max(-1, i - WINDOW - 1), -1):
            ok, heard = _rhymes(keys[j], key)
            if ok and letters[j] is not None:
                letters[i] = letters[j]
                certain = certain and heard
                break
        else:
            letters[i] = _letter(used)
            used += 1
    if certain and any(k is not None and k.phonetic is None for k in keys):
        certain = False
    return letters, certain


def _letter(n: int) -> str:
    return _LETTERS[n] if n < 26 else _LETTERS[n // 26 - 1] + _LETTERS[n % 26]


def group_scheme(letters: list[str | None]) -> str:
    """Letters grouped where no rhyme crosses: ABABCDCDEFEFGG -> "ABAB CDCD EFEF GG"."""
    seq = [x for x in letters if x is not None]
    if not seq:
        return ""
    last = {x: i for i, x in enumerate(seq)}
    groups, start, reach = [], 0, 0
    for i, x in enumerate(seq):
        reach = max(reach, last[x])
        if i == reach:
            groups.append("".join(seq[start:i + 1]))
            start = i + 1
    return " ".join(groups)


def relabel(letters: list[str | None]) -> list[str | None]:
    """Letters renamed in order of first appearance (after joining stanzas)."""
    names: dict[str, str] = {}
    out = []
    for x in letters:
        if x is None:
            out.append(None)
            continue
        if x not in names:
            names[x] = _letter(len(names))
        out.append(names[x])
    return out


def rhymed_share(letters: list[str | None]) -> float:
    seq = [x for x in letters if x is not None]
    if not seq:
        return 0.0
    from collections import Counter

    counts = Counter(seq)
    return sum(1 for x in seq if counts[x] > 1) / len(seq)
