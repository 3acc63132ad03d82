"""Aligning a translation with its original, line by line, over stored rows.

- :func:`align_side` places each line of a translation against the original's lines:
  explicit links first, then equal keys, then the nearest division both texts share;
- :func:`segment_bounds` cuts the original into the smallest segments every
  translation agrees on, so that neither text is reordered.

Both work on plain copies of stored rows (:class:`LineRow`, :class:`DivisionRow`) of
the part being read. Line anchors (element ids and URL fragments) are ``l-`` and the
line's key: :func:`line_anchor` and :func:`anchor_key`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping, Sequence

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
