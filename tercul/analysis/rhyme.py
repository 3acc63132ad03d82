"""Rhyme schemes.

Every pair of line endings gets a rhyme *evidence* between 0 and 1:

- English: 1.0 when the CMU rhyming parts (last stressed vowel to the end, any of the
  word's pronunciations) are equal; 0.9 when the spellings end alike (Shakespeare's
  ``temperate`` rhymes with ``date`` on the page, not in the dictionary); 0.7 when the
  last vowel and what follows are equal, stress aside; 0.6 for the Early Modern rhyme
  of an unstressed -y with a stressed "eye" or "ee" (``memory``/``die``,
  ``usury``/``thee``); 0.4 for slant
  rhymes (same final consonants: ``past``/``waste``). Words missing from the dictionary
  are read through their longest known ending (``uprear`` through ``rear``).
- Other alphabetic languages: endings from spelling with per-language rules (stress
  position guessed for Spanish and Italian, schwa endings skipped in German, mute
  endings dropped in French, the last vowel in Russian): 0.9 when equal, 0.5 when the
  last two letters are.

A stanza's scheme is then the best cover of its lines by rhyme blocks (couplets,
quatrains ABAB/ABBA/ABCB, tercets, rhyme royal, ottava rima, Petrarchan octave and
sestets, unrhymed single lines...), found by dynamic programming: each pair that a
block says rhymes adds its evidence less ``THRESHOLD``. Letters are given block by
block, so a rhyme sound reused in a later quatrain keeps a new letter, as schemes are
written (ABAB CDCD EFEF GG).

A scheme is *certain* when every rhymed pair was heard (pronunciations for English;
spellings that show the sound for Spanish, Italian and German); otherwise uncertain.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import regex

from .tokens import WORD

THRESHOLD = 0.3
STRONG = 0.7  # evidence of a full rhyme (not slant), for the share of rhymed lines
MAX_SCHEME_LINES = 40  # longer stanzas get letters per line but no scheme string
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_VOWELS = "aeiouyàáâãäåæèéêëìíîïòóôõöøùúûüýÿœ"
_CYR_VOWELS = "аеёиоуыэюяіїє"
_HEARD = 0.95  # evidence at or above this counts as heard, not guessed
_PHONETIC_SPELLING = {"es", "it", "de"}  # spelling shows the rhyme sound well enough

# Rhyme blocks: pattern -> pairs that must rhyme (each letter's consecutive occurrences).
# In order of preference where the evidence cannot tell them apart (every line rhymes
# with every other): the commonest first.
BLOCKS = ("A", "ABAB", "AA", "ABBA", "ABCB", "AAA", "ABA", "ABABA", "AABBA", "ABABAB", "ABABBCC", "ABABABCC",
          "ABBAABBA", "ABCABC", "ABABBCBCC")
# Regular stanzas, preferred to the best free cover when they explain the rhymes
# nearly as well (within REGULAR_MARGIN): a head block repeated, then a tail.
REGULAR = (("ABAB", "AA"), ("ABAB", ""), ("AA", ""), ("ABBA", ""), ("ABBA", "AA"), ("ABCB", ""), ("AAA", ""),
           ("ABABBCC", ""), ("ABABABCC", ""), ("ABABBCBCC", ""))
REGULAR_MARGIN = 0.7


@dataclass
class Ending:
    word: str
    rhyming: frozenset[str]  # CMU rhyming parts
    loose: frozenset[str]  # last vowel (no stress) and coda
    codas: frozenset[str]  # consonants after the last vowel
    final_y: bool  # ends in an unstressed -y sound
    final_eye: bool  # ends in a stressed "eye" or "ee" sound
    spelling: str | None
    language: str


def _strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def last_word(line: str) -> str | None:
    found = WORD.findall(line)
    return found[-1] if found else None


_ELISIONS = {"o'er": "or", "e'er": "air", "ne'er": "nair", "whe'er": "wear", "heav'n": "heaven",
             "ev'n": "even", "ta'en": "tane", "'tis": "tis", "giv'n": "given"}


@lru_cache(maxsize=50000)
def _english_prons(word: str) -> tuple[str, ...]:
    from .syllables import _cmu, english_phones

    lookup = _cmu()
    w = word.lower().replace("’", "'")
    w = _ELISIONS.get(w, w)
    if w in lookup:
        return tuple(lookup[w])
    phones = english_phones(w)
    if phones:
        return (phones,)
    bare = w.replace("'", "")
    for start in range(1, len(bare) - 2):  # the longest known ending
        if bare[start:] in lookup:
            return tuple(lookup[bare[start:]])
    return ()


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
        if not vowels:
            return w[-2:]
        start = vowels[-1]
        if start == len(w) - 1 and start > 0:
            start -= 1  # an open final vowel: with the consonant before it
        return w[start:]
    if language == "fr":
        if len(w) > 3:
            w = regex.sub(r"(?<=[aeiouyéèêàù].*)(e?s|e?nt|x|t|d)$", "", w)
        w = regex.sub(r"(?<=.)e$", "", w)
        m = regex.search(rf"[{_VOWELS}]+[^{_VOWELS}]*$", w)
        key = m.group(0) if m else w
        return _strip_accents(key if len(key) >= 2 else w[-2:])
    if language in ("es", "it", "pt", "ca", "gl", "ro", "la"):
        accented = regex.search(r"[áéíóúàèìòù][^áéíóúàèìòù]*$", w)
        if accented:
            return _strip_accents(w[accented.start():])
        groups = list(regex.finditer(rf"[{_VOWELS}]+", w))
        if not groups:
            return w
        paroxytone = len(groups) >= 2 and (language != "es" or w[-1] in _VOWELS + "ns")
        group = groups[-2] if paroxytone else groups[-1]
        # in a diphthong the last vowel carries the rhyme ("tiene": "ene")
        return _strip_accents(w[group.end() - 1:])
    if language in ("de", "nl", "sv", "da", "no", "nb", "nn"):
        groups = list(regex.finditer(rf"[{_VOWELS}]+", w))
        if not groups:
            return w
        start = groups[-1].start()
        if len(groups) >= 2 and groups[-1].group(0) == "e" and regex.search(r"e[nlrms]?$", w):
            start = groups[-2].start()  # a final schwa syllable does not carry the rhyme
        return w[start:].replace("ä", "e").replace("ö", "o").replace("ü", "u").replace("ie", "i")
    m = regex.search(rf"[{_VOWELS}]+[^{_VOWELS}]*$", _strip_accents(w))
    return m.group(0) if m else (w[-2:] if regex.match(r"\p{L}", w) else None)


def ending(line: str, language: str) -> Ending | None:
    word = last_word(line)
    if word is None:
        return None
    base = (language or "").split("-")[0].lower()
    rhyming, loose, codas = set(), set(), set()
    final_y = final_eye = False
    if base == "en":
        import pronouncing

        for phones in _english_prons(word):
            rhyming.add(pronouncing.rhyming_part(phones))
            parts = phones.split()
            vowels = [i for i, p in enumerate(parts) if p[-1].isdigit()]
            if vowels:
                tail = parts[vowels[-1]:]
                loose.add(" ".join(p.rstrip("012") for p in tail))
                codas.add(" ".join(tail[1:]))
                final_y = final_y or (tail == ["IY0"] and word.lower().endswith(("y", "ie")))
                final_eye = final_eye or tail in (["AY1"], ["IY1"])
    return Ending(word.lower(), frozenset(rhyming), frozenset(loose), frozenset(codas), final_y, final_eye,
                  _spelling_key(word, base), base)


def evidence(a: Ending | None, b: Ending | None) -> float:
    """How surely two line endings rhyme, 0..1."""
    if a is None or b is None:
        return 0.0
    if a.language == "en":
        if a.rhyming & b.rhyming:
            return 1.0
        if a.spelling and a.spelling == b.spelling and len(a.spelling) >= 2:
            return 0.9
        if any(len(k.split()) > 1 for k in a.loose & b.loose):
            return 0.7
        if (a.final_y and (b.final_eye or b.final_y)) or (b.final_y and a.final_eye):
            return 0.6
        if any(x and y and (x.endswith(" " + y) or y.endswith(" " + x) or x == y)
               for x in a.codas for y in b.codas):
            return 0.4  # slant: the same final consonants (deserts/parts, come/tomb)
        return 0.0
    if not a.spelling or not b.spelling:
        return 0.0
    if a.spelling == b.spelling:
        return 1.0 if a.language in _PHONETIC_SPELLING and len(a.spelling) >= 3 else 0.9
    if a.spelling[-2:] == b.spelling[-2:]:
        return 0.5
    return 0.0


def _block_pairs(pattern: str) -> list[tuple[int, int]]:
    last: dict[str, int] = {}
    pairs = []
    for i, ch in enumerate(pattern):
        if ch in last:
            pairs.append((last[ch], i))
        last[ch] = i
    return pairs


_BLOCK_PAIRS = {p: _block_pairs(p) for p in BLOCKS}
_PRIORITY = {p: 0.001 * (i + 1) for i, p in enumerate(BLOCKS)}


@dataclass
class Scheme:
    letters: list[str | None]  # per line; None for a line without words
    blocks: list[str]  # the scheme written out, one group per rhyme block: ["ABAB", "CDCD"]
    certain: bool
    rhymed_pairs: int
    strong_lines: int  # lines in a rhymed pair with evidence >= STRONG


def scheme(lines: list[str], language: str) -> Scheme:
    """The rhyme scheme of one stanza's lines."""
    endings = [ending(line, language) for line in lines]
    index = [i for i, e in enumerate(endings) if e is not None]
    n = len(index)
    cache: dict[tuple[int, int], float] = {}

    def ev(i: int, j: int) -> float:
        key = (i, j)
        if key not in cache:
            cache[key] = evidence(endings[index[i]], endings[index[j]])
        return cache[key]

    def block_score(start: int, pattern: str) -> float:
        pairs = _BLOCK_PAIRS[pattern]
        if not pairs:
            return 0.0
        rhymed_lines = len({i for pair in pairs for i in pair})
        mean = sum(ev(start + a, start + b) for a, b in pairs) / len(pairs)
        return rhymed_lines * (mean - THRESHOLD) - _PRIORITY[pattern]

    best: list[tuple[float, int, str | None]] = [(0.0, 0, None)] + [(-1e9, 0, None)] * n
    for end in range(1, n + 1):
        for pattern in BLOCKS:
            start = end - len(pattern)
            if start < 0 or best[start][0] <= -1e9:
                continue
            score = best[start][0] + block_score(start, pattern)
            if score > best[end][0] + 1e-9:
                best[end] = (score, start, pattern)
    blocks: list[tuple[int, str]] = []
    end = n
    while end > 0:
        _, start, pattern = best[end]
        blocks.append((start, pattern))
        end = start
    blocks.reverse()
    if 2 <= n <= MAX_SCHEME_LINES:
        for head, tail in REGULAR:
            if (n - len(tail)) % len(head) or n < len(head) + len(tail):
                continue
            regular = [(i, head) for i in range(0, n - len(tail), len(head))]
            if tail:
                regular.append((n - len(tail), tail))
            score = sum(block_score(i, p) for i, p in regular)
            if score > 0 and score >= best[n][0] - REGULAR_MARGIN:
                blocks = regular
                break
    letters: list[str | None] = [None] * len(lines)
    written: list[str] = []
    used = 0
    heard = True
    rhymed = 0
    strong: set[int] = set()
    for start, pattern in blocks:
        names: dict[str, str] = {}
        for offset, ch in enumerate(pattern):
            if ch not in names:
                names[ch] = _letter(used)
                used += 1
            letters[index[start + offset]] = names[ch]
        for a, b in _BLOCK_PAIRS[pattern]:
            rhymed += 1
            heard = heard and ev(start + a, start + b) >= _HEARD
            if ev(start + a, start + b) >= STRONG:
                strong.update((start + a, start + b))
        group = "".join(letters[index[start + k]] for k in range(len(pattern)))
        if pattern == "A" and written and _BLOCK_PAIRS.get(blocks_pattern(written[-1])) == []:
            written[-1] += group  # unrhymed lines run on in one group
        else:
            written.append(group)
    return Scheme(letters, written, heard and rhymed > 0, rhymed, len(strong))


def blocks_pattern(group: str) -> str:
    """A written group's pattern ("CDCD" -> "ABAB"); unrhymed runs map to "A"."""
    names: dict[str, str] = {}
    for ch in group:
        names.setdefault(ch, _LETTERS[len(names) % 26])
    pattern = "".join(names[ch] for ch in group)
    return "A" if len(set(pattern)) == len(pattern) else pattern


def _letter(n: int) -> str:
    """A, B, ... Z, AA, AB, ... (as spreadsheet columns)."""
    name = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        name = _LETTERS[rest] + name
    return name
