"""Verse (tercul.importers.gutenberg.poems) and the helpers every part shares
(tercul.importers.gutenberg.common), alone, on made-up lines."""
from __future__ import annotations

import pytest

from tercul.importers.bundle_model import BundleError
from tercul.importers.gutenberg.common import Keys, parse_number, slugify, smart_title
from tercul.importers.gutenberg.poems import clean_verse, parse_collection, parse_poetry


def numbered(text: str) -> list[tuple[int, str]]:
    return [(i, t) for i, t in enumerate(text.split("\n"), 1)]


STANZAS = """\
TO THE READER.

This little book of gravel was written on a wet afternoon, when the
garden had nothing better to do and neither had its author.

The pebble hums beneath the rain,
  And counts the drops that fall in vain;

The puddle keeps what pebbles say,
  And gives it back another day.
"""

BOOKS = """\
BOOK I.

The first book sings of the spoon,
That left the drawer before the noon.

BOOK II.

The second book is of the fork,
Who never learned the way to talk.
"""


def test_stanzas_with_a_prose_preamble_and_indentation():
    text = parse_poetry(numbered(STANZAS), "gravel.txt", None)
    preamble, first, second = text.divisions
    assert (preamble.key, preamble.kind) == ("preamble", "preamble")
    assert [ln.kind for ln in preamble.lines] == ["heading", "line"]
    assert [(d.key, d.kind) for d in (first, second)] == [("1", "stanza"), ("2", "stanza")]
    assert [(ln.key, ln.indent) for ln in first.lines] == [("1.1", 0), ("1.2", 2)]
    assert second.lines[1].text == "And gives it back another day."


def test_a_poem_in_books_has_its_lines_below_each_book():
    text = parse_poetry(numbered(BOOKS), "cutlery.txt", "Cutlery")
    assert [(d.key, d.kind, d.title) for d in text.divisions] == [
        ("1", "book", "Book I"), ("2", "book", "Book II")]
    assert [(ln.key, ln.text) for ln in text.divisions[0].lines] == [
        ("1.1", "The first book sings of the spoon,"), ("1.2", "That left the drawer before the noon.")]


def test_clean_verse_drops_margin_numbers_and_turns_leading_dots_into_indentation():
    assert clean_verse([(1, "....Softly, the kettle.")]) == [(1, "    Softly, the kettle.")]
    numbered_margin = [(1, "Line one of the song,        5"), (2, "line two,"), (3, "Line three,      10"),
                       (4, "Line four,      15")]
    assert [t for _, t in clean_verse(numbered_margin)] == [
        "Line one of the song,", "line two,", "Line three,", "Line four,"]
    # two numbers only may be part of the verse: kept
    assert clean_verse(numbered_margin[:2])[0][1].endswith("5")


COLLECTION = """\
I

One small poem about a cup,
Which someone kindly filled right up.

II

A second poem, about a plate,
That waited long and came in late.

II

A third one, numbered as the second,
Because the printer badly reckoned.

IV

The fourth and last, about a bowl.
"""


def test_collection_numbers_its_poems_and_repairs_a_misprinted_number():
    poems = parse_collection(numbered(COLLECTION), "cups.txt", "Poem")
    assert [num for num, _ in poems] == [1, 2, 3, 4]
    third = poems[2][1]
    assert [(d.key, len(d.lines)) for d in third.divisions] == [("1", 2)]
    assert third.divisions[0].lines[0].key == "1.1"


def test_collection_with_a_number_twice_names_the_line():
    twice = COLLECTION.replace("IV\n", "II\n")
    with pytest.raises(BundleError) as err:
        parse_collection(numbered(twice), "cups.txt", "Poem")
    assert "repeated" in err.value.problem and err.value.where.startswith("cups.txt:")


def test_common_helpers():
    assert [parse_number(t) for t in ("IV", "4", "FOURTH", "four", "spoon")] == [4, 4, 4, 4, None]
    assert smart_title("THE RAPE OF THE SPOON IV") == "The Rape of the Spoon IV"
    assert slugify("A Midsummer Night’s Spoon") == "a-midsummer-nights-spoon"
    keys = Keys()
    assert [keys.child(None), keys.child(None, "prologue"), keys.child(None, 5), keys.child(None)] == [
        "1", "prologue", "5", "6"]
