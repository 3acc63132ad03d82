"""Comparing two versions of a text: per key, then per word, then grouped by block.

- :func:`diff_texts`: one row per line key (same, changed, added, removed), with
  word-level pieces for changed lines;
- :func:`diff_by_segment`: those rows under their block's heading (stanza, scene,
  chapter), long runs of unchanged lines folded away.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .model import Text, leaf_divisions
from .rendering import block_label

_TOKENS = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


@dataclass
class DiffRow:
    key: str
    status: str  # same | changed | added | removed
    old: str | None
    new: str | None
    # word-level pieces for a changed line: (op, text) with op in same | added | removed
    pieces: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class TextDiff:
    rows: list[DiffRow]

    @property
    def changed(self) -> int:
        return sum(1 for r in self.rows if r.status != "same")

    def summary(self) -> dict[str, int]:
        counts = {"same": 0, "changed": 0, "added": 0, "removed": 0}
        for row in self.rows:
            counts[row.status] += 1
        return counts


def word_pieces(old: str, new: str) -> list[tuple[str, str]]:
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    pieces: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("removed", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(("added", "".join(b[j1:j2])))
    return pieces


def diff_texts(old: Text | None, new: Text) -> TextDiff:
    """Rows in the new text's order, removed lines placed after their predecessor."""
    old_lines = {line.key: line.text for line in old.iter_lines()} if old else {}
    old_order = [line.key for line in old.iter_lines()] if old else []
    new_lines = {line.key: line.text for line in new.iter_lines()}
    rows: list[DiffRow] = []
    emitted_old: set[str] = set()

    def flush_removed_before(key: str | None) -> None:
        # removed lines that came before `key` in the old order
        for k in old_order:
            if k == key:
                break
            if k not in new_lines and k not in emitted_old:
                rows.append(DiffRow(k, "removed", old_lines[k], None, [("removed", old_lines[k])]))
                emitted_old.add(k)

    for key, text in new_lines.items():
        if key in old_lines:
            flush_removed_before(key)
            emitted_old.add(key)
            if old_lines[key] == text:
                rows.append(DiffRow(key, "same", text, text))
            else:
                rows.append(DiffRow(key, "changed", old_lines[key], text, word_pieces(old_lines[key], text)))
        else:
            rows.append(DiffRow(key, "added", None, text, [("added", text)]))
    flush_removed_before(None)
    return TextDiff(rows)


# --- grouped by block ------------------------------------------------------------------------

@dataclass
class DiffItem:
    kind: str  # heading | row | gap
    label: str | None = None  # heading: the block's label
    row: DiffRow | None = None
    hidden: int = 0  # gap: unchanged lines folded away


@dataclass
class SegmentDiff:
    items: list[DiffItem]
    summary: dict[str, int]  # same / changed / added / removed line counts

    @property
    def changed(self) -> int:
        return self.summary["changed"] + self.summary["added"] + self.summary["removed"]


def diff_by_segment(old: Text | None, new: Text, *, context: int | None = 2) -> SegmentDiff:
    """Line-by-line differences grouped under their block's heading.

    With ``context`` set, runs of unchanged lines are folded to ``context`` lines on
    each side of a change (a gap item says how many were left out); ``None`` shows all.
    """
    diff = diff_texts(old, new)
    labels: dict[str, str] = {}
    for source in (old, new):
        if source is None:
            continue
        for i, division in enumerate(leaf_divisions(source), start=1):
            label = block_label(division, i)
            for line in division.lines:
                labels.setdefault(line.key, label)
    rows = diff.rows
    keep = [True] * len(rows)
    if context is not None:
        changed_at = [i for i, row in enumerate(rows) if row.status != "same"]
        keep = [False] * len(rows)
        for i in changed_at:
            for j in range(max(0, i - context), min(len(rows), i + context + 1)):
                keep[j] = True
    items: list[DiffItem] = []
    current_label: str | None = None
    hidden: list[str | None] = []  # labels of the unchanged rows folded since the last shown row
    for row, shown in zip(rows, keep):
        label = labels.get(row.key)
        if not shown:
            hidden.append(label)
            continue
        if label != current_label:
            # folded rows of earlier blocks go before the heading, those of this block after it
            inside = sum(1 for h in hidden if h == label)
            if len(hidden) - inside:
                items.append(DiffItem("gap", hidden=len(hidden) - inside))
            items.append(DiffItem("heading", label=label))
            current_label = label
            if inside:
                items.append(DiffItem("gap", hidden=inside))
        elif hidden:
            items.append(DiffItem("gap", hidden=len(hidden)))
        hidden = []
        items.append(DiffItem("row", row=row))
    if hidden:
        items.append(DiffItem("gap", hidden=len(hidden)))
    return SegmentDiff(items, diff.summary())
