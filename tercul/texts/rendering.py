"""A text back as people read or edit it: plain text, and labels for its blocks."""
from __future__ import annotations

from .model import Division, Text, leaf_divisions


def plain_text_for_editing(text: Text, form: str) -> str:
    """A text as the plain text a contributor edits (the inverse of parsing):
    stanzas separated by blank lines, indentation kept; prose, one paragraph per block."""
    if form == "prose":
        return "\n\n".join(line.text for line in text.iter_lines())
    return "\n\n".join("\n".join(" " * line.indent + line.text for line in d.lines) for d in leaf_divisions(text))


def block_label(division: Division, number: int | None = None) -> str:
    """``Stanza 2``, or the division's own title (``Act I``)."""
    if division.title:
        return division.title
    return f"{division.kind.capitalize()} {number if number is not None else division.key}"
