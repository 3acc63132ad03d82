"""Comparing two versions of a text: per key, then per word, then grouped by block.

- :func:`diff_texts`: one row per line, matched by content rather than by key (same,
  changed, added, removed, moved), with word-level pieces for changed lines;
- :func:`diff_by_segment`: those rows under their block's heading (stanza, scene,
  chapter), long runs of unchanged lines folded away.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .model import Text, leaf_divisions
from .rendering import block_label

_TOKENS = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


@dataclass
class DiffRow:
    key: str  # the line's key in the new text (in the old one for a removed line)
    status: str  # same | changed | added | removed | moved
    old: str | None
    new: str | None
    # word-level pieces for a changed line: (op, text) with op in same | added | removed
    pieces: list[tuple[str, str]] = field(default_factory=list)
    # the line's key in the old text, when it has one (it differs when lines were inserted
    # before it, or when it moved)
    old_key: str | None = None


STATUSES = ("same", "changed", "added", "removed", "moved")


@dataclass
class TextDiff:
    rows: list[DiffRow]

    @property
    def changed(self) -> int:
        return sum(1 for r in self.rows if r.status != "same")

    def summary(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for row in self.rows:
            counts[row.status] += 1
        return counts


def word_pieces(old: str, new: str) -> list[tuple[str, str]]:
    """``old`` turned into ``new`` word by word: (op, text) runs, op in same | removed | added.

    A lone space between two changes is folded into them, so that "grey old" → "red new"
    reads as one change rather than two."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    opcodes = SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    pieces: list[tuple[str, str]] = []
    removed, added = "", ""

    def flush() -> None:
        nonlocal removed, added
        if removed:
            pieces.append(("removed", removed))
        if added:
            pieces.append(("added", added))
        removed, added = "", ""

    for n, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            same = "".join(a[i1:i2])
            between_changes = 0 < n < len(opcodes) - 1 and (removed or added)
            if between_changes and not same.strip():
                removed, added = removed + same, added + same
                continue
            flush()
            pieces.append(("same", same))
            continue
        removed += "".join(a[i1:i2])
        added += "".join(b[j1:j2])
    flush()
    return pieces


def similarity(old: str, new: str) -> float:
    """How alike two lines are, word by word: 0 (nothing shared) to 1 (equal)."""
    a, b = _TOKENS.findall(old.lower()), _TOKENS.findall(new.lower())
    if not a and not b:
        return 1.0
    return SequenceMatcher(a=a, b=b, autojunk=False).ratio()


# a replaced line and its new version share at least this much (else: removed + added)
_ALIKE = 0.4
# past this many line pairs in one replaced block, lines are paired by position
_MAX_PAIRS = 3600


def diff_texts(old: Text | None, new: Text) -> TextDiff:
    """Line by line by content, in the new text's order; removed lines after their predecessor.

    Lines are matched by what they say, not by their keys: a line inserted before
    others leaves them "same" (their keys shift, their text does not); a line moved
    elsewhere is "moved" (once, where it is now), not removed here and added there; a
    rewritten line is paired with the most similar line of the block it replaced and
    "changed", with its words compared."""
    a = list(old.iter_lines()) if old else []
    b = list(new.iter_lines())
    rows: list[DiffRow] = []
    matcher = SequenceMatcher(a=[line.text for line in a], b=[line.text for line in b], autojunk=False)
    opcodes = matcher.get_opcodes()
    # lines that left one place and arrived in another, word for word: kept out of the
    # pairing of rewritten lines, so that they show as moved
    gone = Counter(x.text for op, i1, i2, _, _ in opcodes if op != "equal" for x in a[i1:i2] if x.text.strip())
    came = Counter(y.text for op, _, _, j1, j2 in opcodes if op != "equal" for y in b[j1:j2] if y.text.strip())
    moved_old, moved_new = gone & came, came & gone
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            rows.extend(DiffRow(y.key, "same", x.text, y.text, old_key=x.key) for x, y in zip(a[i1:i2], b[j1:j2]))
        else:
            rows.extend(_replaced(a[i1:i2], b[j1:j2], moved_old, moved_new))
    return TextDiff(_with_moves(rows))


def _take(counter: Counter, text: str) -> bool:
    if counter[text] > 0:
        counter[text] -= 1
        return True
    return False


def _replaced(olds: list, news: list, moved_old: Counter, moved_new: Counter) -> list[DiffRow]:
    """Rows for a block of old lines replaced by new ones. Lines moved elsewhere (or from
    elsewhere) are removed or added here (and become "moved"); of the others, as many
    old as new lines are each changed, otherwise the most alike pairs (in order) are
    changed lines and the rest removed or added."""
    free_old = [i for i, x in enumerate(olds) if not _take(moved_old, x.text)]
    free_new = [j for j, y in enumerate(news) if not _take(moved_new, y.text)]
    pairs = [(free_old[i], free_new[j]) for i, j in _alike_pairs([olds[i] for i in free_old],
                                                                 [news[j] for j in free_new])]
    rows: list[DiffRow] = []
    i = j = 0
    for pi, pj in [*pairs, (len(olds), len(news))]:
        rows.extend(DiffRow(x.key, "removed", x.text, None, [("removed", x.text)], old_key=x.key) for x in olds[i:pi])
        rows.extend(DiffRow(y.key, "added", None, y.text, [("added", y.text)]) for y in news[j:pj])
        if pi < len(olds):
            x, y = olds[pi], news[pj]
            rows.append(DiffRow(y.key, "changed", x.text, y.text, word_pieces(x.text, y.text), old_key=x.key))
        i, j = pi + 1, pj + 1
    return rows


def _alike_pairs(olds: list, news: list) -> list[tuple[int, int]]:
    """(old index, new index) pairs, in order on both sides, of lines alike enough,
    chosen to be as alike as possible in total."""
    m, n = len(olds), len(news)
    if not m or not n:
        return []
    if m == n:  # as many lines as before: each one rewritten in place
        return [(k, k) for k in range(m)]
    if m * n > _MAX_PAIRS:
        return [(k, k) for k in range(min(m, n)) if similarity(olds[k].text, news[k].text) >= _ALIKE]
    score = [[0.0] * (n + 1) for _ in range(m + 1)]
    alike = [[0.0] * n for _ in range(m)]
    for i in range(m):
        for j in range(n):
            s = similarity(olds[i].text, news[j].text)
            alike[i][j] = s if s >= _ALIKE else 0.0
    for i in range(m - 1, -1, -1):
        for j in range(n - 1, -1, -1):
            best = max(score[i + 1][j], score[i][j + 1])
            if alike[i][j]:
                best = max(best, alike[i][j] + score[i + 1][j + 1])
            score[i][j] = best
    pairs, i, j = [], 0, 0
    while i < m and j < n:
        if alike[i][j] and score[i][j] == alike[i][j] + score[i + 1][j + 1]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif score[i][j] == score[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def _with_moves(rows: list[DiffRow]) -> list[DiffRow]:
    """An added line that says exactly what a removed one said was moved: one "moved"
    row where it is now (with its old key), and no "removed" row where it was."""
    removed: dict[str, list[int]] = {}
    for n, row in enumerate(rows):
        if row.status == "removed" and row.old and row.old.strip():
            removed.setdefault(row.old, []).append(n)
    gone: set[int] = set()
    for row in rows:
        if row.status == "added" and removed.get(row.new):
            source = rows[removed[row.new].pop(0)]
            gone.add(id(source))
            row.status, row.old, row.old_key, row.pieces = "moved", source.old, source.old_key, []
    return [row for row in rows if id(row) not in gone]


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
        return sum(n for status, n in self.summary.items() if status != "same")


def diff_by_segment(old: Text | None, new: Text, *, context: int | None = 2) -> SegmentDiff:
    """Line-by-line differences grouped under their block's heading.

    With ``context`` set, runs of unchanged lines are folded to ``context`` lines on
    each side of a change (a gap item says how many were left out); ``None`` shows all.
    """
    diff = diff_texts(old, new)
    new_labels, old_labels = _block_labels(new), _block_labels(old)
    labels = {id(row): (old_labels if row.status == "removed" else new_labels).get(row.key) for row in diff.rows}
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
        label = labels[id(row)]
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


def _block_labels(text: Text | None) -> dict[str, str]:
    """Each line key -> the label of its block ("Stanza 2", "Act 1, scene 3")."""
    labels: dict[str, str] = {}
    for i, division in enumerate(leaf_divisions(text) if text else [], start=1):
        label = block_label(division, i)
        for line in division.lines:
            labels[line.key] = label
    return labels
