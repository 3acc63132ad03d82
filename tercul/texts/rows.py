"""The rows of the reading view: an original and its translations side by side.

:func:`build_rows` aligns each translation with the original (:mod:`.alignment`) and
turns the segments into rows of cells (division headings, speakers, line numbers,
anchors), with notes where alignment fell back to sections. The whole view
(:class:`ReaderView`) also carries the parts of a long text (:mod:`.parts`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from ..services.languages import language_name
from .alignment import COARSE, DivisionRow, LineRow, align_side, line_anchor, segment_bounds
from .parts import Part


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
    address: str = ""  # "Act 3, scene 1, line 56" (original lines), see .addresses


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
               all_numbers: bool, addresses: Mapping[str, str] | None = None) -> tuple[list[ReaderRow], list[str]]:
    """Rows of the reading view: aligned segments, with division headings between them.

    ``positions[i]`` is the display column of text ``i`` (0 = the original, then the
    translations in the order given); ``addresses`` are the original lines' human
    addresses by key. Returns the rows and notes on the alignment.
    """
    addresses = addresses or {}
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
            o_line = _reader_line(line, speakers, position_of[0], line_anchor(line.key), all_numbers, line.key)
            o_line.address = addresses.get(line.key, "")
            o_cell.append(o_line)
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
