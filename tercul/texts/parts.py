"""Cutting a long text into parts read one at a time, along its divisions."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

from .alignment import DivisionRow

PART_LINES = 300  # a part of a long text holds about this many lines
SPLIT_LINES = 2 * PART_LINES  # a division without sub-divisions longer than this is split


@dataclass
class Part:
    """A piece of a long text read on its own: one division or a run of its lines."""

    key: str  # URL value: the division key, with ``~n`` for the n-th piece of a split division
    label: str
    depth: int
    first_line: int
    end_line: int


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
