"""A submitted text beside its original, for contributors and reviewers.

:func:`align_with_original` gives plain data for templates (and GraphQL): block by
block (stanza, scene, chapter), line by line. Lines align through the explicit
alignment map when there is one, else by equal keys; lines with no counterpart are
shown where they fall, beside an empty cell, so that a translator sees misalignment at
a glance. (Two versions of a text compared: :mod:`tercul.texts.diff`.)
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .model import Line, Text, leaf_divisions
from .rendering import block_label
from .structure import StructureWarning


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
