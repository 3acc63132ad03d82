"""How text becomes terms: tokenising, folding and stemming, shared by index and query.

Every text is indexed twice: once folded (lower case, diacritics removed: ``Würde``
and ``wurde`` meet), for every language; and once stemmed as well, in a field of its
own, for the languages tantivy has a Snowball stemmer for (``loved`` finds
``love``). Han, kana and Thai are written without spaces, so each of their
characters is a token of its own and a query finds them as a phrase.

Highlighting is done here too, in Python, with the same rules, so that a hit can
point at the line that matched (see :func:`mark_line`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import tantivy

# one token: a run of letters, marks and digits, or one ideograph/kana/Thai character
TOKEN_PATTERN = r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}]|[\p{L}\p{M}\p{N}]+"
# the same pattern for Python's re (which has no \p classes): approximated ranges
_PY_TOKEN = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f]|[^\W_\u3040-\u30ff\u3400-\u4dbf"
    r"\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f]+")
MAX_TOKEN_BYTES = 40

# ISO 639-1 code -> tantivy's Snowball stemmer
STEMMERS = {
    "ar": "arabic", "da": "danish", "nl": "dutch", "en": "english", "fi": "finnish", "fr": "french",
    "de": "german", "el": "greek", "hu": "hungarian", "it": "italian", "no": "norwegian", "nb": "norwegian",
    "nn": "norwegian", "pt": "portuguese", "ro": "romanian", "ru": "russian", "es": "spanish",
    "sv": "swedish", "ta": "tamil", "tr": "turkish",
}
FOLDED = "folded"


def stem_field(stemmer: str) -> str:
    return f"text_{stemmer}"


def stemmer_for(language: str) -> str | None:
    """The stemmer of a language tag (``de``, ``pt-BR``), or None."""
    return STEMMERS.get((language or "").split("-")[0].lower())


def all_stemmers() -> list[str]:
    return sorted(set(STEMMERS.values()))


def _builder():
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(TOKEN_PATTERN))
            .filter(tantivy.Filter.remove_long(MAX_TOKEN_BYTES)).filter(tantivy.Filter.lowercase()))


@lru_cache(maxsize=None)
def analyzer(name: str) -> tantivy.TextAnalyzer:
    """``folded``, or a stemmer name: lower case, then stem, then fold diacritics."""
    builder = _builder()
    if name != FOLDED:
        builder = builder.filter(tantivy.Filter.stemmer(name))
    return builder.filter(tantivy.Filter.ascii_fold()).build()


def register_analyzers(index: tantivy.Index) -> None:
    index.register_tokenizer(FOLDED, analyzer(FOLDED))
    for stemmer in all_stemmers():
        index.register_tokenizer(stemmer, analyzer(stemmer))


def words(text: str) -> list[str]:
    """The words of a text as a query sees them (no operators, no punctuation)."""
    return _PY_TOKEN.findall(text)


@lru_cache(maxsize=65536)
def term(word: str, name: str = FOLDED) -> str | None:
    tokens = analyzer(name).analyze(word)
    return tokens[0] if tokens else None


@dataclass(frozen=True)
class QueryTerms:
    """The analysed forms of a query's words, for highlighting."""

    folded: frozenset[str]
    words: tuple[str, ...]

    def stems(self, stemmer: str) -> frozenset[str]:
        return _stems(self.words, stemmer)

    def all_stopwords(self, language: str) -> bool:
        return all(is_stopword(w.lower(), language) for w in self.words)


@lru_cache(maxsize=4096)
def _stems(words_: tuple[str, ...], stemmer: str) -> frozenset[str]:
    return frozenset(t for w in words_ if (t := term(w, stemmer)))


def query_terms(query_words: list[str]) -> QueryTerms:
    return QueryTerms(frozenset(t for w in query_words if (t := term(w))), tuple(query_words))


STOPWORD_ZIPF = 6.0  # a word this frequent in its language (the, to, und, der, la) is a function word


@lru_cache(maxsize=65536)
def is_stopword(word: str, language: str) -> bool:
    """A function word of ``language`` (by word frequency; False where wordfreq has no list)."""
    lang = (language or "").split("-")[0].lower()
    if lang not in _wordfreq_languages():
        return False
    from wordfreq import zipf_frequency

    return zipf_frequency(word, lang) >= STOPWORD_ZIPF


@lru_cache(maxsize=1)
def _wordfreq_languages() -> frozenset[str]:
    from wordfreq import available_languages

    return frozenset(available_languages())


def mark_line(text: str, terms: QueryTerms, language: str) -> tuple[list[tuple[str, bool]], int]:
    """Split ``text`` into (piece, matched) pairs and count the matched words.

    Function words (*the*, *to*, *und*) are not marked, unless the query has nothing else
    ("to be or not to be")."""
    stemmer = stemmer_for(language)
    stems = terms.stems(stemmer) if stemmer else frozenset()
    every_word_common = terms.all_stopwords(language)
    pieces: list[tuple[str, bool]] = []
    matched, last = 0, 0
    for m in _PY_TOKEN.finditer(text):
        word = m.group()
        hit = term(word) in terms.folded or (stemmer is not None and term(word, stemmer) in stems)
        if hit and not every_word_common and is_stopword(word.lower(), language):
            hit = False
        if hit:
            if m.start() > last:
                pieces.append((text[last:m.start()], False))
            pieces.append((word, True))
            last = m.end()
            matched += 1
    if last < len(text):
        pieces.append((text[last:], False))
    return pieces, matched
