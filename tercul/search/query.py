"""The user's query, made safe: words, quoted phrases and exclusions, nothing else.

The search box does not expose an engine's query language. Whatever is typed
(operators, unbalanced quotes or parentheses, control characters, 10 KB of text)
becomes a :class:`ParsedQuery` of plain words; what was dropped is explained in
``notices``. Backends build their own queries from it.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .analysis import words as split_words

MAX_QUERY_CHARS = 500
MAX_TERMS = 32
_OPERATORS = {"AND", "OR", "NOT", "&&", "||"}
_QUOTED = re.compile(r'"([^"]*)"')


@dataclass(frozen=True)
class ParsedQuery:
    text: str  # the cleaned query, as shown back in the search box and embedded
    terms: tuple[str, ...] = ()  # words that should match (OR, ranked by BM25)
    phrases: tuple[tuple[str, ...], ...] = ()  # "quoted phrases": must match, in order
    excluded: tuple[str, ...] = ()  # -words: must not match
    notices: tuple[str, ...] = field(default=(), compare=False)

    @property
    def is_empty(self) -> bool:
        return not (self.terms or self.phrases)

    @property
    def positive_words(self) -> list[str]:
        return list(self.terms) + [w for p in self.phrases for w in p]


def clean_text(raw: str | None) -> tuple[str, list[str]]:
    """Drop control characters, normalise spaces and cut to :data:`MAX_QUERY_CHARS`."""
    notices: list[str] = []
    text = unicodedata.normalize("NFC", raw or "")
    cleaned = "".join(" " if unicodedata.category(c)[0] in "CZ" and c != " " else c for c in text)
    if cleaned != text.replace("\t", " ").replace("\n", " ").replace("\r", " ") and any(
            unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") and c not in "\t\n\r" for c in text):
        notices.append("Invisible control characters were removed from the query.")
    cleaned = " ".join(cleaned.split())
    if len(cleaned) > MAX_QUERY_CHARS:
        cut = cleaned[:MAX_QUERY_CHARS]
        cleaned = cut.rsplit(" ", 1)[0] if " " in cut else cut
        notices.append(f"The query was too long; only its first {len(cleaned)} characters were used.")
    return cleaned, notices


def parse_query(raw: str | None) -> ParsedQuery:
    """Parse what was typed in the search box; never raises."""
    text, notices = clean_text(raw)
    if text.count('"') % 2:
        notices.append("An unmatched quotation mark was ignored.")
    if "(" in text or ")" in text:
        notices.append("Parentheses are not used in search; they were ignored.")
    balanced = text
    if text.count('"') % 2:  # the last quotation mark has no partner: treat it as a space
        head, tail = text.rsplit('"', 1)
        balanced = f"{head} {tail}"
    phrases = [p for m in _QUOTED.finditer(balanced) if len(p := tuple(split_words(m.group(1)))) > 1]
    # a one-word "phrase" is just a word
    rest = _QUOTED.sub(lambda m: m.group(1) if len(split_words(m.group(1))) <= 1 else " ", balanced)
    terms: list[str] = []
    excluded: list[str] = []
    dropped_ops = False
    for chunk in rest.split():
        negative = chunk.startswith("-") and len(chunk) > 1
        if chunk in _OPERATORS:
            dropped_ops = True
            continue
        found = split_words(chunk)
        (excluded if negative else terms).extend(found)
    if dropped_ops:
        notices.append("AND, OR and NOT are not operators here: results match any of the words, "
                       "best matches first; use -word to exclude a word and \"quotes\" for a phrase.")
    if len(terms) + sum(len(p) for p in phrases) > MAX_TERMS:
        notices.append(f"Only the first {MAX_TERMS} words were searched.")
        terms = terms[:MAX_TERMS]
        phrases = phrases[: max(0, MAX_TERMS - len(terms)) // 2]
    excluded = excluded[:MAX_TERMS]
    if not terms and not phrases and excluded:
        notices.append("A search needs at least one word that is not excluded.")
    display = " ".join(split_words(text)) if text and not (terms or phrases or excluded) else text
    return ParsedQuery(text=display.strip(), terms=tuple(terms), phrases=tuple(phrases),
                       excluded=tuple(excluded), notices=tuple(dict.fromkeys(notices)))
