"""Prose (tercul.importers.gutenberg.prose), alone, on made-up paragraphs."""
from __future__ import annotations

from tercul.importers.gutenberg.prose import parse_prose


def numbered(text: str) -> list[tuple[int, str]]:
    return [(i, t) for i, t in enumerate(text.split("\n"), 1)]


BOOK = """\
PART I

CHAPTER I

The Kettle

The kettle had opinions about the morning, and it voiced them loudly
whenever anyone came near the stove before the clock had struck seven.

    A verse it sang,
    Of copper and steam.

CHAPTER II. The Broom

The broom said nothing, as usual, and swept.
"""


def test_parts_chapters_paragraphs_and_quoted_verse():
    text = parse_prose(numbered(BOOK), "kitchen.txt")
    part = text.divisions[0]
    assert (part.key, part.kind, part.title) == ("1", "part", "Part I")
    first, second = part.divisions
    assert (first.key, first.title) == ("1.1", "Chapter I. The Kettle")
    assert (second.key, second.title) == ("1.2", "Chapter II. The Broom")
    assert first.lines[0].text.startswith("The kettle had opinions") and first.lines[0].key == "1.1.1"
    assert [(ln.text, ln.indent) for ln in first.lines[1:]] == [("A verse it sang,", 4), ("Of copper and steam.", 4)]


def test_prose_without_chapters_is_one_section():
    text = parse_prose(numbered("One paragraph.\n\nAnother paragraph."), "p.txt")
    assert [(d.key, d.kind, [ln.text for ln in d.lines]) for d in text.divisions] == [
        ("1", "section", ["One paragraph.", "Another paragraph."])]
