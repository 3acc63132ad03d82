"""Comparing two revisions of a text: per key, then per word."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from ..texts.model import Text

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
