"""Tokens, sentences and lemmas.

Words are runs of letters (apostrophes inside a word kept: ``summer's``, ``dimm'd``);
sentences and lemmas come from simplemma, whose dictionaries ship in the wheel (Latin
included). Languages simplemma has no dictionary for get tokens and sentences only.
"""
from __future__ import annotations

from functools import lru_cache

import regex

WORD = regex.compile(r"[\p{L}\p{M}]+(?:['’][\p{L}\p{M}]+)*")
_NO_SPACES = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}]")


def words(text: str) -> list[str]:
    """The words of ``text`` in order, as written."""
    return WORD.findall(text)


def unspaced_script(text: str) -> bool:
    """True for scripts written without spaces between words (Han, kana, Thai...)."""
    sample = text[:2000]
    return bool(sample) and len(_NO_SPACES.findall(sample)) > len(sample) / 4


def lemma_language(language: str) -> str | None:
    from simplemma.strategies.dictionaries.dictionary_factory import SUPPORTED_LANGUAGES

    base = (language or "").split("-")[0].lower()
    base = {"no": "nb", "sr": "hbs", "hr": "hbs", "bs": "hbs"}.get(base, base)
    return base if base in SUPPORTED_LANGUAGES else None


def sentences(text: str, language: str) -> list[str]:
    import simplemma

    lang = lemma_language(language)
    found = simplemma.split_sentences(text, lang=lang) if lang else simplemma.split_sentences(text)
    return [s for s in found if WORD.search(s)]


@lru_cache(maxsize=1)
def _lemmatizer():
    """simplemma with its memory-frugal dictionaries: the default ones take about 100 MB
    per language in memory (several hundred for Finnish or Polish), the frugal ones a
    few MB, so a worker can go through the library's languages in well under 1 GB."""
    from simplemma import Lemmatizer
    from simplemma.strategies import DefaultStrategy

    return Lemmatizer(lemmatization_strategy=DefaultStrategy(low_memory=True))


def lemmas(tokens: list[str], language: str) -> list[str] | None:
    """Lemma of each token (lower case), or None where simplemma has no dictionary."""
    lang = lemma_language(language)
    if lang is None:
        return None
    lemmatizer = _lemmatizer()
    cache: dict[str, str] = {}
    out = []
    for token in tokens:
        low = token.lower().replace("’", "'")
        lemma = cache.get(low)
        if lemma is None:
            lemma = cache[low] = lemmatizer.lemmatize(low, lang=lang).lower()
        out.append(lemma)
    return out
