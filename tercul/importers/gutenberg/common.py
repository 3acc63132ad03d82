"""What the parts of the Gutenberg importer share: numbers (roman, ordinal), titles
and slugs, blank-line blocks and how to tell a prose block from a heading, and the
allocation of division keys."""
from __future__ import annotations

import re
import unicodedata

from ...texts.model import Division


_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_ROMAN_RE = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_ORDINALS = {
    "FIRST": 1, "SECOND": 2, "THIRD": 3, "FOURTH": 4, "FIFTH": 5, "SIXTH": 6,
    "SEVENTH": 7, "EIGHTH": 8, "NINTH": 9, "TENTH": 10, "ELEVENTH": 11,
    "TWELFTH": 12,
}
_CARDINALS = {
    "ONE": 1, "TWO": 2, "THREE": 3, "FOUR": 4, "FIVE": 5, "SIX": 6, "SEVEN": 7,
    "EIGHT": 8, "NINE": 9, "TEN": 10, "ELEVEN": 11, "TWELVE": 12,
}
_SMALL_WORDS = {
    "a", "an", "the", "of", "and", "or", "in", "on", "to", "for", "with", "at",
    "by", "from", "but", "nor", "as",
}


def roman_to_int(s: str) -> int | None:
    s = s.upper()
    if not s or not _ROMAN_RE.match(s):
        return None
    total = 0
    for i, ch in enumerate(s):
        v = _ROMAN_VALUES[ch]
        if i + 1 < len(s) and _ROMAN_VALUES[s[i + 1]] > v:
            total -= v
        else:
            total += v
    return total


def int_to_roman(n: int) -> str:
    out = []
    for v, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                   (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"),
                   (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out.append(sym)
            n -= v
    return "".join(out)


def parse_number(token: str) -> int | None:
    """'IV' / '4' / 'FOURTH' / 'four' -> 4."""
    t = token.strip().rstrip(".").upper()
    if t.isdigit():
        return int(t)
    if t in _ORDINALS:
        return _ORDINALS[t]
    if t in _CARDINALS:
        return _CARDINALS[t]
    return roman_to_int(t)


def slugify(text: str) -> str:
    """ASCII, lower case, words joined by '-' ("A Midsummer Night's Dream" ->
    "a-midsummer-nights-dream")."""
    s = unicodedata.normalize("NFKD", text)
    s = s.encode("ascii", "ignore").decode("ascii").lower()
    s = re.sub(r"['\u2019`]", "", s)
    s = re.sub(r"[^a-z0-9]+", "-", s)
    return s.strip("-")


def smart_title(text: str) -> str:
    """Title-case a title printed in capitals ("THE RAPE OF LUCRECE")."""
    text = " ".join(text.split())
    letters = [c for c in text if c.isalpha()]
    if not letters or any(c.islower() for c in letters):
        return text  # already mixed case: keep as printed
    words = text.split(" ")
    out = []
    for i, w in enumerate(words):
        core = w.strip(".,;:!?()'\"")
        if core and _ROMAN_RE.match(core.upper()) and core.upper() != "MIX":
            out.append(w)  # roman numeral: HENRY IV
            continue
        lw = w.lower()
        if i > 0 and lw.strip(".,;:") in _SMALL_WORDS:
            out.append(lw)
            continue
        # capitalise the first letter, keep the rest lower (NIGHT'S -> Night's)
        m = re.search(r"[a-z]", lw)
        if m:
            lw = lw[: m.start()] + lw[m.start()].upper() + lw[m.start() + 1:]
        out.append(lw)
    return " ".join(out)


def indent_of(s: str) -> int:
    return len(s) - len(s.lstrip(" "))


RULE_RE = re.compile(r"^\s*[-_=*~.\s]{4,}$")


def norm_cmp(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", s.lower())


def split_blocks(lines: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    out: list[list[tuple[int, str]]] = []
    cur: list[tuple[int, str]] = []
    for n, t in lines:
        if t.strip():
            cur.append((n, t))
        elif cur:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


class Keys:
    """Allocates child keys: numbered (``1.2``) or natural (``prologue``)."""

    def __init__(self) -> None:
        self.used: dict[str, set[str]] = {}
        self.counter: dict[str, int] = {}

    def child(self, parent: Division | None, want: int | str | None = None) -> str:
        pkey = parent.key if parent is not None else ""
        used = self.used.setdefault(pkey, set())
        if isinstance(want, str):
            local = want
            k = 2
            while local in used:
                local = f"{want}{k}"
                k += 1
        elif want is not None and str(want) not in used and want >= 1:
            local = str(want)
        else:
            n = self.counter.get(pkey, 0) + 1
            while str(n) in used:
                n += 1
            local = str(n)
        used.add(local)
        if local.isdigit():
            self.counter[pkey] = max(self.counter.get(pkey, 0), int(local))
        return f"{pkey}.{local}" if pkey else local


NUMERAL_HEADING_RE = re.compile(
    r"^\s*(?:(?P<word>SONNET|POEM|SONG)\s+)?(?P<num>[IVXLC]+|\d{1,3})\.?\s*$", re.I)


def _letters_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _lower_continuation_ratio(blocks) -> tuple[int, int]:
    lower = total = 0
    for block in blocks:
        for _, t in block[1:]:
            st = t.strip()
            if not st or not st[0].isalpha():
                continue
            total += 1
            if st[0].islower():
                lower += 1
    return lower, total


def is_prose_block(block) -> bool:
    if len(block) < 2:
        return len(block[0][1].strip()) > 80
    lower, total = _lower_continuation_ratio([block])
    long_lines = sum(1 for _, t in block[:-1] if len(t.strip()) >= 55)
    return total > 0 and lower / total >= 0.3 and long_lines >= (len(block) - 1) / 2


def is_heading_block(block) -> bool:
    text = " ".join(t.strip() for _, t in block)
    if len(block) <= 3 and len(text) <= 150 and _letters_upper(text):
        return True
    if len(block) == 1 and NUMERAL_HEADING_RE.match(text):
        return True
    return False


def looks_like_prose(lines: list[tuple[int, str]]) -> bool:
    blocks = [b for b in split_blocks(lines) if len(b) >= 2]
    lower, total = _lower_continuation_ratio(blocks)
    return total >= 5 and lower / total >= 0.3
