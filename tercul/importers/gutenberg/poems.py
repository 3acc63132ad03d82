"""Verse: poems in stanzas, long poems in books (Paradise Lost), and collections of
numbered short poems (Shakespeare's Sonnets).

A poem is stanzas ``1``, ``2`` ... with lines ``1.1`` ...; a poem printed in books gets
books ``1`` ... with their lines directly below (``1.263`` is Book I, line 263). Front
matter (dedication, argument) goes into a ``preamble`` division; indentation is kept."""
from __future__ import annotations

import re

from ...texts.model import Division, Line, Text
from ..bundle_model import BundleError
from .cleanup import drop_end_lines
from .common import (
    NUMERAL_HEADING_RE,
    RULE_RE,
    Keys,
    indent_of,
    int_to_roman,
    is_heading_block,
    is_prose_block,
    norm_cmp,
    parse_number,
    split_blocks,
)


_MARGIN_NUMBER_RE = re.compile(r"(?<=\S)\s{4,}\d{1,5}\s*$")
_DOTS_RE = re.compile(r"^(\s*)(\.{4,})(?=\S)")
_BOOK_RE = re.compile(
    r"^(?:(?P<w>BOOK|CANTO)\s+(?P<num>[IVXLC]+|\d+)"
    r"|THE\s+(?P<ord>FIRST|SECOND|THIRD|FOURTH|FIFTH|SIXTH|SEVENTH|EIGHTH|NINTH|TENTH|"
    r"ELEVENTH|TWELFTH)\s+(?P<w2>BOOK|CANTO))\.?\s*$", re.I)


def clean_verse(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Strip margin line numbers, turn leading dots into indentation and re-join
    lines broken by the transcriber after a dot-indented line."""
    out: list[tuple[int, str]] = []
    numbered = sum(1 for _, t in lines if _MARGIN_NUMBER_RE.search(t))
    for n, t in lines:
        if numbered >= 3:
            t = _MARGIN_NUMBER_RE.sub("", t)
        m = _DOTS_RE.match(t)
        if m:
            t = m.group(1) + " " * len(m.group(2)) + t[m.end():]
        st = t.strip()
        if (out and st and st[0].islower() and len(st) <= 12 and len(out[-1][1]) > 55
                and out[-1][1].strip()):
            # a long line broken by the transcriber: "... 'gainst rule, 'gainst sense,
            # 'gainst\nshame." / "............'Mongst horrid shapes ... sights\nunholy!"
            out[-1] = (out[-1][0], out[-1][1] + " " + st)
            continue
        out.append((n, t))
    return out


def _is_centered_block(block) -> bool:
    return all(indent_of(t) >= 8 for _, t in block) and len(block) <= 4


def _verse_lines(block, key_prefix: str, start: int = 1) -> list[Line]:
    out = []
    for i, (_, t) in enumerate(block, start):
        out.append(Line(key=f"{key_prefix}.{i}", text=t.strip(), indent=indent_of(t)))
    return out


def _preamble_lines(blocks, key: str) -> list[Line]:
    out: list[Line] = []

    def add(text, kind="line", indent=0):
        out.append(Line(key=f"{key}.{len(out) + 1}", text=text, kind=kind, indent=indent))

    for block in blocks:
        if all(RULE_RE.match(t) for _, t in block):
            continue
        if is_heading_block(block):
            add(" ".join(t.strip() for _, t in block), kind="heading")
        elif is_prose_block(block):
            add(" ".join(t.strip() for _, t in block))
        else:
            for _, t in block:
                if not RULE_RE.match(t):
                    add(t.strip(), indent=indent_of(t))
    return out


def poem_divisions(blocks, keys: Keys, parent: Division | None, origin: str,
                   allow_preamble: bool = True) -> list[Division]:
    """Stanzas (one per verse block) with headings as stanza titles; prose and
    headings before the first stanza go into a 'preamble' division."""
    divs: list[Division] = []
    if allow_preamble:
        i = 0
        while i < len(blocks):
            bl = blocks[i]
            if (len(bl) >= 2 and not is_prose_block(bl) and not is_heading_block(bl)
                    and not _is_centered_block(bl)):
                break  # the first stanza
            i += 1
        if i == len(blocks):
            i = 0  # no multi-line stanza at all: treat everything as verse
        pre, blocks = blocks[:i], blocks[i:]
        if pre and _preamble_lines(pre, "preamble"):
            d = Division(key=keys.child(parent, "preamble"), kind="preamble")
            d.lines = _preamble_lines(pre, d.key)
            divs.append(d)
    title: str | None = None
    for bl in blocks:
        if all(RULE_RE.match(t) for _, t in bl):
            continue
        if len(bl) == 1 and is_heading_block(bl):
            t = bl[0][1].strip()
            title = f"{title} {t}" if title else t
            continue
        d = Division(key=keys.child(parent), kind="stanza", title=title)
        d.lines = _verse_lines(bl, d.key)
        divs.append(d)
        title = None
    return divs


def parse_poetry(lines: list[tuple[int, str]], origin: str, title: str | None) -> Text:
    lines = clean_verse(drop_end_lines(lines))
    keys = Keys()
    # split into books ("BOOK I.", "THE FIRST BOOK"), dropping running titles
    segments: list[tuple[tuple[int, str] | None, list[tuple[int, str]]]] = [(None, [])]
    tnorm = norm_cmp(title) if title else None
    for idx, (n, t) in enumerate(lines):
        st = t.strip()
        if _BOOK_RE.match(st):
            segments.append(((n, st), []))
            continue
        if tnorm and st and norm_cmp(st) == tnorm:
            # running title right before a book heading
            rest = [x for x in lines[idx + 1: idx + 4] if x[1].strip()]
            if rest and _BOOK_RE.match(rest[0][1].strip()):
                continue
        segments[-1][1].append((n, t))
    divisions: list[Division] = []
    if len(segments) == 1:
        blocks = split_blocks(segments[0][1])
        if not blocks:
            raise BundleError(f"{origin}:{lines[0][0] if lines else 1}", "no verse found")
        divisions = poem_divisions(blocks, keys, None, origin)
        return Text(divisions=divisions)
    front, books = segments[0], segments[1:]
    fblocks = split_blocks(front[1])
    if fblocks:
        d = Division(key=keys.child(None, "preamble"), kind="preamble")
        d.lines = _preamble_lines(fblocks, d.key)
        if d.lines:
            divisions.append(d)
    book_blocks = [split_blocks(seg) for _, seg in books]
    flat = all(sum(1 for bl in bbs if not is_heading_block(bl)) <= 1 for bbs in book_blocks)
    for (head, _), bbs in zip(books, book_blocks):
        m = _BOOK_RE.match(head[1])
        num = parse_number(m.group("num") or m.group("ord"))
        word = (m.group("w") or m.group("w2")).lower()
        bk = Division(key=keys.child(None, num), kind="canto" if word == "canto" else "book",
                      title=f"{word.capitalize()} {int_to_roman(num)}")
        if flat:
            verse = [x for bl in bbs if not is_heading_block(bl) for x in bl]
            heads = [bl for bl in bbs if is_heading_block(bl)]
            if heads and not verse:
                verse = [x for bl in heads for x in bl]
            bk.lines = _verse_lines(verse, bk.key)
        else:
            bk.divisions = poem_divisions(bbs, keys, bk, origin, allow_preamble=False)
        divisions.append(bk)
    return Text(divisions=divisions)


def numeral_sections(lines: list[tuple[int, str]]):
    """Split at lines that are a lone numeral ('XVIII', '18.', 'Sonnet 18') standing
    alone between blank lines. Returns (front, [(number, lineno, heading, lines)])."""
    sections = []
    front: list[tuple[int, str]] = []
    cur = None
    for i, (n, t) in enumerate(lines):
        st = t.strip()
        m = NUMERAL_HEADING_RE.match(st) if st else None
        if m:
            prev_blank = i == 0 or not lines[i - 1][1].strip()
            num = parse_number(m.group("num"))
            if prev_blank and num:
                cur = (num, n, st, [])
                sections.append(cur)
                continue
        if cur is None:
            front.append((n, t))
        else:
            cur[3].append((n, t))
    return front, sections


def repair_numbering(sections):
    """Fix a mislabelled poem: a number that occurs twice, once where the sequence
    expects a number that occurs nowhere (the Gutenberg Sonnets print sonnet 128 as
    'CXXXIII'), takes the expected number. Other duplicates are left to fail."""
    counts: dict[int, int] = {}
    for s in sections:
        counts[s[0]] = counts.get(s[0], 0) + 1
    out = []
    prev = 0
    for i, (num, lineno, heading, body) in enumerate(sections):
        expected = prev + 1
        if counts[num] > 1 and num != expected and counts.get(expected, 0) == 0:
            nxt = sections[i + 1][0] if i + 1 < len(sections) else None
            if nxt is None or nxt > expected:
                counts[num] -= 1
                counts[expected] = 1
                num = expected
        out.append((num, lineno, heading, body))
        prev = num
    return out


def looks_like_collection(lines: list[tuple[int, str]], title: str | None) -> bool:
    _, sections = numeral_sections(lines)
    if len(sections) < 3:
        return False
    sizes = [sum(1 for _, t in s[3] if t.strip()) for s in sections]
    if title and "sonnet" in title.lower():
        return True
    return sum(sizes) / len(sizes) >= 10


def parse_collection(lines: list[tuple[int, str]], origin: str, label: str
                     ) -> list[tuple[int, Text]]:
    """The numbered poems of a collection (``label`` "Sonnet" or "Poem" names them in
    errors), in order: (number, text of stanzas ``1`` ... and lines ``1.1`` ...)."""
    _front, sections = numeral_sections(drop_end_lines(lines))
    if not sections:
        raise BundleError(f"{origin}:{lines[0][0]}", "no numbered poems found")
    sections = repair_numbering(sections)
    seen: dict[int, int] = {}
    poems: list[tuple[int, Text]] = []
    for num, lineno, heading, sec_lines in sections:
        if num in seen:
            raise BundleError(f"{origin}:{lineno}",
                              f"poem number {num} repeated (first at line {seen[num]})")
        seen[num] = lineno
        blocks = split_blocks(clean_verse(sec_lines))
        if not blocks:
            raise BundleError(f"{origin}:{lineno}", f"{label.lower()} {num} is empty")
        divs = poem_divisions(blocks, Keys(), None, origin, allow_preamble=False)
        poems.append((num, Text(divisions=divs)))
    return poems
