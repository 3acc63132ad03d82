"""Prose: (book/part >) chapter > paragraphs, one paragraph = one line (``1.7`` or
``2.1.7``); a text without chapter headings is one ``section`` division ``1``."""
from __future__ import annotations

import re

from ...texts.model import Division, Line, Text
from .cleanup import drop_end_lines, skip_contents
from .common import RULE_RE, Keys, indent_of, is_heading_block, is_prose_block, parse_number, roman_to_int, split_blocks


_CHAPTER_RE = re.compile(
    r"^(?P<w>CHAPTER|BOOK|PART|LETTER|SECTION)\s+(?P<num>[IVXLC]+|\d+|[A-Z]+)\b\.?\s*"
    r"(?:[-:.\u2014]\s*)?(?P<rest>.*)$", re.I)


def parse_prose(lines: list[tuple[int, str]], origin: str) -> Text:
    lines = drop_end_lines(skip_contents(lines))
    blocks = split_blocks(lines)
    keys = Keys()
    # chapter-like headings (single-line blocks)
    levels: list[str] = []
    for bl in blocks:
        m = _CHAPTER_RE.match(bl[0][1].strip())
        if m and len(bl[0][1].strip()) <= 70 and parse_number(m.group("num")) is not None:
            w = m.group("w").upper()
            if w not in levels:
                levels.append(w)
    outer = inner = None
    if "CHAPTER" in levels and len(levels) > 1:
        inner = "CHAPTER"
        outer = next(w for w in levels if w != "CHAPTER")
    elif levels:
        inner = levels[0]
    divisions: list[Division] = []
    cur_outer: Division | None = None
    cur: Division | None = None
    expect_subtitle: Division | None = None

    def add_line(text, kind="line", indent=0):
        nonlocal cur
        if cur is None:
            if levels:  # text before the first chapter (of a book): a preamble
                cur = Division(key=keys.child(cur_outer, "preamble"), kind="preamble")
            else:  # no chapters at all: one section
                cur = Division(key=keys.child(cur_outer), kind="section")
            (cur_outer.divisions if cur_outer else divisions).append(cur)
        cur.lines.append(Line(key=f"{cur.key}.{len(cur.lines) + 1}", text=text,
                              kind=kind, indent=indent))

    for bl in blocks:
        first = bl[0][1].strip()
        m = _CHAPTER_RE.match(first)
        if m and len(first) <= 70 and parse_number(m.group("num")) is not None:
            w = m.group("w").upper()
            if w in (inner, outer):
                num = parse_number(m.group("num"))
                rest = m.group("rest").strip()
                tok = m.group("num")
                tok = (tok.upper() if roman_to_int(tok) else tok if tok.isdigit()
                       else tok.capitalize())
                title = f"{w.capitalize()} {tok}"
                if rest:
                    title += f". {rest}"
                kind = {"CHAPTER": "chapter", "BOOK": "book", "PART": "part",
                        "LETTER": "chapter", "SECTION": "section"}[w]
                if w == outer:
                    cur_outer = Division(key=keys.child(None, num), kind=kind, title=title)
                    divisions.append(cur_outer)
                    cur = None
                else:
                    cur = Division(key=keys.child(cur_outer, num), kind=kind, title=title)
                    (cur_outer.divisions if cur_outer else divisions).append(cur)
                remaining = bl[1:]
                expect_subtitle = cur if (not rest and w == inner) else None
                if remaining:
                    if expect_subtitle is not None and len(remaining) == 1:
                        cur.title += f". {remaining[0][1].strip()}"
                        expect_subtitle = None
                    else:
                        add_line(" ".join(t.strip() for _, t in remaining))
                continue
        if expect_subtitle is not None:
            d = expect_subtitle
            expect_subtitle = None
            if (len(bl) == 1 and len(first) <= 70 and not d.lines
                    and not re.search(r"[.?!,;:]$", first.rstrip("'\""))):
                d.title += f". {first}"
                continue
        if all(RULE_RE.match(t) for _, t in bl):
            continue
        if is_heading_block(bl):
            add_line(" ".join(t.strip() for _, t in bl), kind="heading")
        elif all(indent_of(t) >= 4 for _, t in bl) and not is_prose_block(bl):
            # verse quotation or epigraph: keep its lines
            for _, t in bl:
                add_line(t.strip(), indent=indent_of(t))
        else:
            add_line(" ".join(t.strip() for _, t in bl))
    return Text(divisions=divisions)
