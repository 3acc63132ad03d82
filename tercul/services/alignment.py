"""Aligning a text with its translations, and cutting long texts into parts.

Pure functions over plain rows (no database), used by :mod:`tercul.services.reading`:

- :func:`align_side` places each line of a translation against the original's lines:
  explicit links first, then equal keys, then the nearest division both texts share;
- :func:`segment_bounds` cuts the original into the smallest segments every
  translation agrees on, so that neither text is reordered;
- :func:`build_rows` turns that into the rows of the reading view (division headings,
  speakers, line numbers, anchors), with notes where alignment fell back to sections;
- :func:`plan_parts` splits a long text along its divisions into parts of about
  :data:`PART_LINES` lines, read one at a time.

Line anchors (element ids and URL fragments) are ``l-`` and the line's key:
:func:`line_anchor` and :func:`anchor_key`.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from .languages import language_name

PART_LINES = 300  # a part of a long text holds about this many lines
SPLIT_LINES = 2 * PART_LINES  # a division without sub-divisions longer than this is split


_ANCHOR_UNSAFE = re.compile(r"[^A-Za-z0-9.\-]")


def line_anchor(key: str) -> str:
    """The element id of a line: ``l-`` and the key, other characters escaped as ``_hex_``.

    ``1.2.7`` -> ``l-1.2.7``, ``art.1.2`` -> ``l-art.1.2``, ``a b`` -> ``l-a_20_b``. The
    mapping is one to one, so :func:`anchor_key` turns an id back into its key.
    """
    return "l-" + _ANCHOR_UNSAFE.sub(lambda m: f"_{ord(m.group()):x}_", key)


def anchor_key(anchor: str) -> str | None:
    """The line key of an id made by :func:`line_anchor`, or None if it is not one."""
    if not anchor.startswith("l-"):
        return None
    try:
        return re.sub(r"_([0-9a-f]{1,6})_", lambda m: chr(int(m.group(1), 16)), anchor[2:])
    except ValueError:
        return None



# --------------------------------------------------------------------------- alignment

@dataclass(frozen=True)
class LineRow:
    """A line as the reading view needs it (a plain copy of a ``text_lines`` row)."""

    position: int
    key: str
    division_key: str
    kind: str
    speaker: str | None
    indent: int
    text: str


@dataclass(frozen=True)
class DivisionRow:
    position: int
    key: str
    parent_key: str | None
    depth: int
    kind: str
    title: str | None
    first_line: int
    end_line: int


# how a translation line found its place, from the most to the least precise
LINE, EXPLICIT, DIVISION, LOOSE = "line", "explicit", "division", "loose"
COARSE = {DIVISION, LOOSE}


@dataclass
class SideAlignment:
    """Where each line of one translation goes: a range of original line indexes."""

    lo: list[int]
    hi: list[int]
    level: list[str]
    targets: list[tuple[str, ...]]  # the original keys a line is linked to (line level only)


def align_side(original: Sequence[LineRow], original_divisions: Mapping[str, DivisionRow],
               lines: Sequence[LineRow], divisions: Mapping[str, DivisionRow],
               links: Mapping[str, Sequence[str]]) -> SideAlignment:
    """Place every line of a translation against the original's lines.

    1. explicit links (translation key -> original keys) win;
    2. then equal keys, where the division holding the line has the same line keys in
       both texts;
    3. otherwise the whole division goes beside the original division with the same
       key, or the nearest ancestor division both texts share;
    4. lines still without a place stay next to their neighbours.

    ``original`` and ``lines`` are the parts being read, in reading order; the ranges
    returned index into ``original``.
    """
    index = {line.key: i for i, line in enumerate(original)}
    base = original[0].position if original else 0
    n = len(original)
    o_keys_by_division: dict[str, list[str]] = {}
    for line in original:
        o_keys_by_division.setdefault(line.division_key, []).append(line.key)
    t_keys_by_division: dict[str, list[str]] = {}
    for line in lines:
        t_keys_by_division.setdefault(line.division_key, []).append(line.key)
    linked_divisions = {line.division_key for line in lines if line.key in links}

    def division_range(key: str | None) -> tuple[int, int] | None:
        seen = 0
        while key is not None and seen < 64:
            d = original_divisions.get(key)
            if d is not None:
                lo, hi = max(d.first_line - base, 0), min(d.end_line - base, n) - 1
                if lo <= hi:
                    return lo, hi
            t = divisions.get(key)
            key = t.parent_key if t is not None else None
            seen += 1
        return None

    lo: list[int] = []
    hi: list[int] = []
    level: list[str] = []
    targets: list[tuple[str, ...]] = []
    for line in lines:
        found: tuple[int, int] | None = None
        how, keys = LOOSE, ()
        if line.key in links:
            hits = [index[k] for k in links[line.key] if k in index]
            if hits:
                found, how = (min(hits), max(hits)), EXPLICIT
                keys = tuple(k for k in links[line.key] if k in index)
        elif line.division_key in linked_divisions and line.key in index:
            found, how, keys = (index[line.key],) * 2, EXPLICIT, (line.key,)
        elif (line.key in index and t_keys_by_division.get(line.division_key)
              == o_keys_by_division.get(original[index[line.key]].division_key)):
            found, how, keys = (index[line.key],) * 2, LINE, (line.key,)
        if found is None and line.division_key not in linked_divisions:
            found = division_range(line.division_key)
            if found is not None:
                how = DIVISION
        if found is None and line.key in index:
            found, how, keys = (index[line.key],) * 2, LINE, (line.key,)
        if found is None:
            lo.append(-1)
            hi.append(-1)
        else:
            lo.append(found[0])
            hi.append(found[1])
        level.append(how)
        targets.append(keys)
    # lines without a place follow the line before them (or precede the line after)
    last = None
    for j in range(len(lines)):
        if lo[j] >= 0:
            last = hi[j]
        elif last is not None:
            lo[j] = hi[j] = last
    nxt = None
    for j in range(len(lines) - 1, -1, -1):
        if level[j] == LOOSE and lo[j] < 0:
            if nxt is None:
                lo[j], hi[j] = 0, max(n - 1, 0)
            else:
                lo[j] = hi[j] = nxt
        elif lo[j] >= 0:
            nxt = lo[j]
    return SideAlignment(lo=lo, hi=hi, level=level, targets=targets)


def segment_bounds(n: int, sides: Sequence[SideAlignment]) -> list[tuple[int, int]]:
    """Cut the original's lines ``0..n-1`` into the smallest segments every side agrees on.

    A cut after original line ``i`` is allowed for a translation when all its lines
    up to some point go at or before ``i`` and all the others after it: no link spans
    the cut and neither text has to be reordered. Returns ``[start, end)`` ranges.
    """
    if n == 0:
        return []
    allowed = [True] * n  # allowed[i]: a cut after line i; the last one always
    for side in sides:
        m = len(side.lo)
        if m == 0:
            continue
        ok = [0] * (n + 1)  # difference array of allowed cuts for this side
        suffix_lo = [n] * (m + 1)
        for j in range(m - 1, -1, -1):
            suffix_lo[j] = min(suffix_lo[j + 1], side.lo[j])
        prefix_hi = -1
        for k in range(m + 1):
            if k > 0:
                prefix_hi = max(prefix_hi, side.hi[k - 1])
            start, stop = max(prefix_hi, 0), suffix_lo[k] - 1
            if start <= stop and stop >= 0:
                ok[start] += 1
                ok[min(stop, n - 1) + 1] -= 1
        running = 0
        for i in range(n):
            running += ok[i]
            if running <= 0:
                allowed[i] = False
    allowed[n - 1] = True
    bounds, start = [], 0
    for i in range(n):
        if allowed[i]:
            bounds.append((start, i + 1))
            start = i + 1
    return bounds


# --------------------------------------------------------------------------- reading view

@dataclass
class ReaderLine:
    text: str
    kind: str
    indent: int  # CSS class level (0-8)
    speaker: str | None  # shown when the speaker changes
    anchor: str | None  # element id (original lines)
    number: str | None  # line number (original lines), from the key
    number_shown: bool  # printed in the margin (every fifth verse line, every paragraph)
    keys: str  # space-separated original keys this line is linked to ("" when coarse)


@dataclass
class ReaderCell:
    column: int
    lines: list[ReaderLine]
    coarse: bool = False


@dataclass
class ReaderRow:
    cells: list[ReaderCell]
    headings: list[list[str]] | None = None  # per column, division titles starting here
    stanza_break: bool = False
    coarse: bool = False


@dataclass
class ReaderColumn:
    role: str  # original | translation
    key: str | None  # translation key
    language: str
    direction: str
    title: str
    translator: str | None = None
    out_of_date: bool = False


@dataclass
class Part:
    """A piece of a long text read on its own: one division or a run of its lines."""

    key: str  # URL value: the division key, with ``~n`` for the n-th piece of a split division
    label: str
    depth: int
    first_line: int
    end_line: int


@dataclass
class ReaderView:
    columns: list[ReaderColumn]  # in display order
    rows: list[ReaderRow]
    notes: list[str]
    parts: list[Part]
    part: Part | None
    prev_part: Part | None
    next_part: Part | None
    selected: list[str]  # translation keys shown, in the order chosen
    swap: bool
    form: str
    line_count: int  # lines in the whole text

    @property
    def all_numbers(self) -> bool:
        """Prose and scripture number every paragraph or verse; verse numbers every fifth line."""
        return self.form == "prose"


def plan_parts(divisions: Sequence[DivisionRow], total_lines: int, budget: int = PART_LINES) -> list[Part]:
    """Split a text into parts of about ``budget`` lines along its divisions.

    A text of at most ``budget`` lines is one part. Otherwise each top-level division
    is a part, divided into its children when it is longer than ``budget``; a
    division without children longer than :data:`SPLIT_LINES` is cut into runs of
    ``budget`` lines; short sibling parts are joined up to ``budget`` lines.
    """
    if total_lines <= budget or not divisions:
        return [Part(key="", label="Whole text", depth=0, first_line=0, end_line=total_lines)]
    children: dict[str | None, list[DivisionRow]] = {}
    for d in divisions:
        children.setdefault(d.parent_key, []).append(d)

    def label(d: DivisionRow) -> str:
        return d.title or f"{d.kind.capitalize()} {d.key}"

    out: list[Part] = []

    def walk(d: DivisionRow) -> None:
        size = d.end_line - d.first_line
        kids = children.get(d.key, [])
        if size <= budget or (not kids and size <= SPLIT_LINES):
            if size:
                out.append(Part(d.key, label(d), d.depth, d.first_line, d.end_line))
            return
        if not kids:
            pieces = math.ceil(size / budget)
            for i in range(pieces):
                start = d.first_line + i * budget
                out.append(Part(d.key if i == 0 else f"{d.key}~{i + 1}",
                                f"{label(d)} ({i + 1}/{pieces})", d.depth, start, min(d.end_line, start + budget)))
            return
        own_end = kids[0].first_line
        if own_end > d.first_line:  # lines of the division before its first child
            out.append(Part(d.key, label(d), d.depth, d.first_line, own_end))
        for kid in kids:
            walk(kid)

    for d in children.get(None, []):
        walk(d)
    # join short neighbours under the same parent
    joined: list[Part] = []
    for p in out:
        prev = joined[-1] if joined else None
        if (prev is not None and prev.depth == p.depth and prev.end_line == p.first_line
                and p.end_line - prev.first_line <= budget and "~" not in p.key and "~" not in prev.key
                and _parent(prev.key, divisions) == _parent(p.key, divisions)):
            joined[-1] = Part(prev.key, f"{prev.label.split(' – ')[0]} – {p.label}", prev.depth,
                              prev.first_line, p.end_line)
        else:
            joined.append(p)
    return joined or [Part(key="", label="Whole text", depth=0, first_line=0, end_line=total_lines)]


def _parent(key: str, divisions: Sequence[DivisionRow]) -> str | None:
    for d in divisions:
        if d.key == key:
            return d.parent_key
    return None


def find_part(parts: Sequence[Part], position: int) -> int:
    for i, p in enumerate(parts):
        if p.first_line <= position < p.end_line:
            return i
    return 0


def display_number(key: str) -> str | None:
    match = re.search(r"(\d+)$", key)
    return match.group(1) if match else None


@dataclass
class TextSource:
    """One text in the reading view, as loaded: its rows and, for translations, links."""

    column: ReaderColumn
    revision_id: int
    divisions: dict[str, DivisionRow]
    lines: list[LineRow]
    links: dict[str, list[str]] = field(default_factory=dict)


def build_rows(original: TextSource, translations: Sequence[TextSource], positions: Sequence[int],
               all_numbers: bool) -> tuple[list[ReaderRow], list[str]]:
    """Rows of the reading view: aligned segments, with division headings between them.

    ``positions[i]`` is the display column of text ``i`` (0 = the original, then the
    translations in the order given). Returns the rows and notes on the alignment.
    """
    o_lines = original.lines
    sides = [align_side(o_lines, original.divisions, t.lines, t.divisions, t.links) for t in translations]
    bounds = segment_bounds(len(o_lines), sides)
    # which segment each translation line belongs to
    segment_of: list[list[int]] = []
    for side in sides:
        seg_index = []
        for lo in side.lo:
            s = _segment_for(bounds, max(lo, 0))
            seg_index.append(s)
        segment_of.append(seg_index)
    n_cols = 1 + len(translations)
    position_of = list(positions)
    rows: list[ReaderRow] = []
    speakers = [None] * n_cols
    prev_chain: list[str] = []
    t_cursor = [0] * len(translations)
    coarse_counts = [0] * len(translations)
    for s, (start, end) in enumerate(bounds):
        chain = _chain(original.divisions, o_lines[start].division_key)
        entered = [k for k in chain if k not in prev_chain]
        prev_chain = chain
        headings: list[list[str]] = [[] for _ in range(n_cols)]
        stanza_break = False
        for key in entered:
            d = original.divisions.get(key)
            if d is None:
                continue
            if d.title:
                headings[position_of[0]].append(d.title)
                for t_i, t in enumerate(translations):
                    td = t.divisions.get(key)
                    if td is not None and td.title:
                        headings[position_of[t_i + 1]].append(td.title)
            elif s > 0:
                stanza_break = True
        if any(headings):
            rows.append(ReaderRow(cells=[], headings=headings))
            speakers = [None] * n_cols
        cells: list[ReaderCell | None] = [None] * n_cols
        o_cell = []
        for line in o_lines[start:end]:
            o_cell.append(_reader_line(line, speakers, position_of[0], line_anchor(line.key), all_numbers,
                                       line.key))
        cells[position_of[0]] = ReaderCell(position_of[0], o_cell)
        row_coarse = False
        for t_i, t in enumerate(translations):
            side, lines_out, coarse = sides[t_i], [], False
            j = t_cursor[t_i]
            while j < len(t.lines) and segment_of[t_i][j] == s:
                coarse = coarse or side.level[j] in COARSE
                j += 1
            for k in range(t_cursor[t_i], j):
                keys = "" if coarse else " ".join(side.targets[k])
                lines_out.append(_reader_line(t.lines[k], speakers, position_of[t_i + 1], None, all_numbers, keys))
            t_cursor[t_i] = j
            if coarse:
                coarse_counts[t_i] += 1
                row_coarse = True
            cells[position_of[t_i + 1]] = ReaderCell(position_of[t_i + 1], lines_out, coarse)
        if row_coarse:
            for line in cells[position_of[0]].lines:
                line.keys = ""
        rows.append(ReaderRow(cells=[c for c in cells if c is not None], stanza_break=stanza_break,
                              coarse=row_coarse))
    notes = []
    for t_i, t in enumerate(translations):
        if coarse_counts[t_i]:
            n = coarse_counts[t_i]
            who = f" by {t.column.translator}" if t.column.translator else ""
            notes.append(
                f"The {language_name(t.column.language)} translation{who} divides "
                f"{'one passage' if n == 1 else f'{n} passages'} differently from the original: "
                f"{'it is' if n == 1 else 'they are'} aligned by section rather than line by line, "
                "and marked in the margin.")
    return rows, notes


def _segment_for(bounds: Sequence[tuple[int, int]], index: int) -> int:
    lo, hi = 0, len(bounds) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if bounds[mid][1] <= index:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _chain(divisions: Mapping[str, DivisionRow], key: str) -> list[str]:
    chain = []
    while key is not None and key in divisions and len(chain) < 64:
        chain.append(key)
        key = divisions[key].parent_key
    return list(reversed(chain))


def _reader_line(line: LineRow, speakers: list, column: int, anchor: str | None, all_numbers: bool,
                 keys: str) -> ReaderLine:
    # verse keeps its indentation (two spaces a level); prose paragraphs do not indent
    indent = 0 if all_numbers else min(max(line.indent // 2, 0), 8)
    speaker = None
    if line.kind == "line" and line.speaker and line.speaker != speakers[column]:
        speaker = line.speaker
    speakers[column] = line.speaker if line.kind == "line" else None
    number = display_number(line.key) if anchor else None
    shown = number is not None and line.kind == "line" and (all_numbers or int(number) % 5 == 0)
    return ReaderLine(text=line.text, kind=line.kind, indent=indent,
                      speaker=speaker, anchor=anchor, number=number, number_shown=shown, keys=keys)
