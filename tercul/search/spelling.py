"""Forgiving typos: corrections from the index's own vocabulary, and fuzzy terms.

A query word that no indexed passage has (``mynde``, ``nobel``, ``sufer``) is replaced by
the word one edit away (a letter deleted, inserted, replaced, or two letters swapped)
that the most passages have, if any (``noble``, ``suffer``); the search runs with the
corrections and offers "Did you mean …?" with them. A longer unknown word without such
a neighbour is matched fuzzily, two edits away, by the engine (tantivy's fuzzy term
query), which finds the line but names no word. Nothing here knows the engine: it is
given the document frequency of a term.
"""
from __future__ import annotations

import string
from typing import Callable

MIN_LENGTH = 3  # shorter words are too often a different word one edit away
FUZZY_MIN_LENGTH = 5  # two edits away is only safe for longer words
FUZZY_DISTANCE = 2
MAX_CANDIDATES = 2000  # bound the lookups for a long word in a large alphabet


def _alphabet(word: str) -> str:
    # the folded index is mostly ASCII for Latin scripts; other scripts: the word's own letters
    return string.ascii_lowercase if word.isascii() else "".join(sorted(set(word)))


def edits(word: str) -> list[str]:
    """The words one edit away from ``word``, in a stable order, ``word`` itself excluded."""
    letters = _alphabet(word)
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    seen: dict[str, None] = {}
    for left, right in splits:
        if right:
            seen[left + right[1:]] = None  # deletion
        if len(right) > 1:
            seen[left + right[1] + right[0] + right[2:]] = None  # transposition
        for c in letters:
            if right:
                seen[left + c + right[1:]] = None  # replacement
            seen[left + c + right] = None  # insertion
    seen.pop(word, None)
    return list(seen)[:MAX_CANDIDATES]


def correction(word: str, doc_freq: Callable[[str], int]) -> str | None:
    """The word one edit away that the most documents have (None: there is none, or
    ``word`` is too short, or has digits)."""
    if len(word) < MIN_LENGTH or not word.isalpha():
        return None
    best, best_count = None, 0
    for candidate in edits(word):
        count = doc_freq(candidate)
        if count > best_count:
            best, best_count = candidate, count
    return best


def wants_fuzzy(word: str) -> bool:
    """An unknown word without a correction is looked for two edits away when long enough."""
    return len(word) >= FUZZY_MIN_LENGTH and word.isalpha()
