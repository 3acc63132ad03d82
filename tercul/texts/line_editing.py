"""Translating line by line: a text typed one line per original line, to and from plain text.

The line-by-line editor shows each line of the original beside an input. What is typed
becomes the same plain text as a pasted translation (:func:`body_from_lines`: lines of a
stanza one under the other, blank lines between stanzas; prose, one paragraph per
block), so it is stored, checked and aligned exactly as a pasted one. A saved text goes
back into the inputs by key (:func:`lines_from_body`). :func:`check_line` says what a
translator may want to look at in one line, while typing.
"""
from __future__ import annotations

import re

from ..services.errors import Invalid
from .model import Text, leaf_divisions
from .parsing import parse_submission

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")
# a line this many times longer (or shorter) than the original's is worth a look
_LENGTH_RATIO = 3
_SHORTEST_COMPARED = 12  # characters: shorter originals (a name, "O!") vary too much to compare


def body_from_lines(original: Text, form: str, values: dict[str, str]) -> str:
    """The plain text of a translation typed line by line (``values``: original line key -> typed line).

    Empty lines are left out (the lines after them move up, and the structure check
    says so); a line break typed into one line becomes a space."""
    blocks: list[str] = []
    for division in leaf_divisions(original):
        typed = [_one_line(values.get(line.key, "")) for line in division.lines]
        typed = [line for line in typed if line.strip()]
        if form == "prose":
            blocks.extend(line.strip() for line in typed)
        elif typed:
            blocks.append("\n".join(typed))
    return "\n\n".join(blocks)


def lines_from_body(body: str, form: str, original: Text) -> dict[str, str]:
    """A saved translation back in the editor's inputs: original line key -> line (with its indentation)."""
    try:
        text = parse_submission(body, form, original)
    except Invalid:
        return {}
    return {line.key: " " * line.indent + line.text for line in text.iter_lines()}


def check_line(original: str, typed: str) -> list[str]:
    """What is worth a look in one translated line, in words a translator reads (empty: nothing)."""
    if not typed.strip():
        return ["Empty: this line is left out, and the lines after it in the stanza move up one."]
    notes = []
    if _CONTROL.search(typed):
        notes.append("Contains control characters: type or paste plain text.")
    if typed != typed.rstrip():
        notes.append("Ends with spaces (they are not kept).")
    shown, typed_length = len(original.strip()), len(typed.strip())
    if shown >= _SHORTEST_COMPARED:
        if typed_length > _LENGTH_RATIO * shown:
            notes.append(f"{typed_length} characters, the original {shown}: is this more than one line?")
        elif typed_length * _LENGTH_RATIO < shown:
            notes.append(f"{typed_length} characters, the original {shown}: is part of the line missing?")
    return notes


def _one_line(value: str) -> str:
    return _BREAKS.sub(" ", value or "").rstrip()
