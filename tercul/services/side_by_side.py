"""Texts shown side by side for contributors and reviewers.

Two views, both plain data for templates (and GraphQL):

- :func:`align_with_original`: a submitted text beside its original, block by block
  (stanza, scene, chapter), line by line. Lines align through the explicit alignment
  map when there is one, else by equal keys; lines with no counterpart are shown where
  they fall, beside an empty cell, so that a translator sees misalignment at a glance.
- :func:`diff_by_segment`: two versions of a text compared per line, grouped by the
  block they belong to, with word-level pieces for changed lines and long runs of
  unchanged lines folded away.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..texts.model import Division, Line, Text
from .diff import DiffRow, diff_texts
from .text_input import StructureWarning, leaf_divisions


def block_label(division: Division, number: int | None = None) -> str:
    """``Stanza 2``, or the division's own title (``Act I``)."""
    if division.title:
        return division.title
    return f"{division.kind.capitalize()} {number if number is not None else division.key}"


# --- aligned with the original ------------------------------------------------------------

@dataclass
class AlignedRow:
    original: Line | None  # None: a line of the submission with no counterpart
    lines: list[Line] = field(default_factory=list)  # the submission's lines beside it

    @property
    def missing(self) -> bool:
        return self.original is not None and not self.lines

    @property
    def extra(self) -> bool:
        return self.original is None


@dataclass
class AlignedBlock:
    key: str
    label: str
    rows: list[AlignedRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class AlignedText:
    blocks: list[AlignedBlock]
    warnings: list[str]  # about the whole text
    shown_rows: int
    hidden_rows: int  # rows left out beyond ``max_rows``
    has_original: bool

    @property
    def problems(self) -> int:
        return len(self.warnings) + sum(len(b.warnings) for b in self.blocks)


def align_with_original(original: Text | None, text: Text, *, links: Mapping[str, Sequence[str]] | None = None,
                        warnings: Sequence[StructureWarning] = (), max_rows: int | None = None) -> AlignedText:
    """Blocks of rows: each original line with the submission's lines aligned to it.

    ``links`` maps submission keys to original keys (an explicit alignment); other
    lines align by equal keys. ``warnings`` (from ``compare_structure``) are attached to
    the block they name, or to the whole text.
    """
    by_block: dict[str, list[str]] = {}
    general: list[str] = []
    for warning in warnings:
        if warning.key is None:
            general.append(warning.message)
        else:
            by_block.setdefault(warning.key, []).append(warning.message)

    if original is None:
        blocks = [AlignedBlock(d.key, block_label(d, i), [AlignedRow(None, [line]) for line in d.lines],
                               by_block.pop(d.key, []))
                  for i, d in enumerate(leaf_divisions(text), start=1)]
        return _limited(blocks, general + [m for ms in by_block.values() for m in ms], max_rows, False)

    original_keys = {line.key for line in original.iter_lines()}
    links = links or {}
    matched: dict[str, list[Line]] = {}
    extras_after: dict[str | None, list[Line]] = {}
    last: str | None = None
    for line in text.iter_lines():
        target = next((k for k in links.get(line.key, ()) if k in original_keys), None)
        if target is None and line.key in original_keys:
            target = line.key
        if target is None:
            extras_after.setdefault(last, []).append(line)
        else:
            matched.setdefault(target, []).append(line)
            last = target

    blocks: list[AlignedBlock] = []
    for i, division in enumerate(leaf_divisions(original), start=1):
        block = AlignedBlock(division.key, block_label(division, i), warnings=by_block.pop(division.key, []))
        if not blocks and None in extras_after:
            block.rows.extend(AlignedRow(None, [line]) for line in extras_after.pop(None))
        for line in division.lines:
            block.rows.append(AlignedRow(line, matched.get(line.key, [])))
            block.rows.extend(AlignedRow(None, [extra]) for extra in extras_after.pop(line.key, []))
        blocks.append(block)
    leftovers = [line for lines in extras_after.values() for line in lines]
    if leftovers:  # an original without lines, or lines before anything aligned
        blocks.append(AlignedBlock("", "Not aligned", [AlignedRow(None, [line]) for line in leftovers]))
    # warnings about the submission's own extra blocks have no original block to sit in
    general += [message for messages in by_block.values() for message in messages]
    return _limited(blocks, general, max_rows, True)


def _limited(blocks: list[AlignedBlock], general: list[str], max_rows: int | None, has_original: bool) -> AlignedText:
    total = sum(len(b.rows) for b in blocks)
    if max_rows is None or total <= max_rows:
        return AlignedText(blocks, general, total, 0, has_original)
    kept: list[AlignedBlock] = []
    room = max_rows
    for block in blocks:
        if room <= 0:
            break
        kept.append(AlignedBlock(block.key, block.label, block.rows[:room], block.warnings))
        room -= len(block.rows[:room])
    return AlignedText(kept, general, max_rows, total - max_rows, has_original)


# --- differences, per segment --------------------------------------------------------------

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
