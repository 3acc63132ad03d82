"""Where a translation's shape differs from its original's, in words a translator reads."""
from __future__ import annotations

from dataclasses import dataclass

from .model import Text, leaf_divisions


@dataclass
class StructureWarning:
    key: str | None  # the division (or line) concerned, None for the whole text
    message: str


def compare_structure(original: Text, translation: Text, form: str) -> list[StructureWarning]:
    """Differences in the number of stanzas (speeches, paragraphs) and of their lines."""
    warnings: list[StructureWarning] = []
    if form == "prose":
        o_lines = sum(len(d.lines) for d in leaf_divisions(original))
        t_lines = sum(len(d.lines) for d in leaf_divisions(translation))
        if o_lines != t_lines:
            warnings.append(StructureWarning(None, f"The original has {o_lines} paragraphs; this text has {t_lines}."))
        return warnings
    unit = "speech" if any(line.speaker for d in leaf_divisions(original) for line in d.lines) else "stanza"
    o_leaves, t_leaves = leaf_divisions(original), leaf_divisions(translation)
    if len(o_leaves) != len(t_leaves):
        warnings.append(StructureWarning(
            None, f"The original has {len(o_leaves)} {unit}s; this text has {len(t_leaves)}."))
    for i, (o, t) in enumerate(zip(o_leaves, t_leaves), start=1):
        if len(o.lines) != len(t.lines):
            warnings.append(StructureWarning(
                o.key, f"{unit.capitalize()} {i} has {len(t.lines)} lines; the original has {len(o.lines)}."))
    for i, o in enumerate(o_leaves[len(t_leaves):], start=len(t_leaves) + 1):
        warnings.append(StructureWarning(o.key, f"{unit.capitalize()} {i} of the original has no counterpart."))
    for i, t in enumerate(t_leaves[len(o_leaves):], start=len(o_leaves) + 1):
        warnings.append(StructureWarning(t.key, f"{unit.capitalize()} {i} has no counterpart in the original."))
    return warnings
