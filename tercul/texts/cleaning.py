"""Control characters out of texts: what importers strip and the text check refuses.

A stored line holds readable text only. Control characters (C0 but tab, line feed and
carriage return; DEL) come from old files -- a DOS end-of-file byte (``\\x1a``) at
the end of a Gutenberg e-book, form feeds between pages -- and show as empty numbered
lines or garbage, and get indexed. (C1 characters are left alone: a cp1252 file read as
Latin-1 holds its curly quotes there.) Importers strip them (:func:`clean_text`); the text
check (:func:`tercul.texts.validation.check_text`) refuses a tree that still has them.
"""
from __future__ import annotations

import re

from .model import Division, Text

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control(value: str | None) -> bool:
    return bool(value) and CONTROL_CHARACTERS.search(value) is not None


def strip_control(value: str) -> str:
    """``value`` without its control characters."""
    return CONTROL_CHARACTERS.sub("", value)


def clean_text(text: Text) -> Text:
    """Strip control characters from ``text`` in place, and return it.

    A line that held nothing but control characters (and spaces) is dropped: it was
    never a line of the text. Keys of the other lines do not change.
    """
    def walk(divisions: list[Division]) -> None:
        for d in divisions:
            if d.title is not None and has_control(d.title):
                d.title = strip_control(d.title).strip() or None
            kept = []
            for line in d.lines:
                if has_control(line.text):
                    line.text = strip_control(line.text)
                    if not line.text.strip():
                        continue
                if line.speaker is not None and has_control(line.speaker):
                    line.speaker = strip_control(line.speaker).strip() or None
                kept.append(line)
            d.lines = kept
            walk(d.divisions)

    walk(text.divisions)
    return text
