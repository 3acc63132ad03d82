"""Front and back matter of a Gutenberg e-book (tercul.importers.gutenberg.cleanup),
alone: each function gets a few made-up lines."""
from __future__ import annotations

import pytest

from tercul.importers.bundle_model import BundleError
from tercul.importers.gutenberg.cleanup import drop_end_lines, skip_contents, strip_licence, take_title


def numbered(text: str) -> list[tuple[int, str]]:
    return [(i, t) for i, t in enumerate(text.split("\n"), 1)]


WRAPPED = """\
The Project Gutenberg eBook of Pebble Hymns

Title: Pebble Hymns
Author: Quill, Ada

*** START OF THE PROJECT GUTENBERG EBOOK PEBBLE HYMNS ***

Produced by a patient volunteer
and a second one.

The gravel sings along the garden wall.
*** END OF THE PROJECT GUTENBERG EBOOK PEBBLE HYMNS ***

Licence text that must not reach the body.
"""


def test_strip_licence_keeps_the_body_with_true_line_numbers_and_reads_the_header():
    body, fields = strip_licence(WRAPPED, "pebbles.txt")
    text = [(n, t) for n, t in body if t.strip()]
    assert text == [(11, "The gravel sings along the garden wall.")]
    assert fields == {"title": "Pebble Hymns", "author": "Quill, Ada"}


def test_strip_licence_without_end_marker_names_the_start_line():
    cut = WRAPPED.split("*** END")[0]
    with pytest.raises(BundleError) as err:
        strip_licence(cut, "cut.txt")
    assert err.value.where == "cut.txt:6"
    assert "END OF" in err.value.problem


def test_strip_licence_refuses_binary_data():
    with pytest.raises(BundleError, match="binary"):
        strip_licence("abc\x00\x01\x02" * 50, "blob.bin")


def test_take_title_consumes_title_and_by_line():
    body = numbered("SONGS OF GRAVEL\n\nby Ada Quill\n\nFirst line of the poem.")
    rest, title, author = take_title(body, None)
    assert (title, author) == ("SONGS OF GRAVEL", "Ada Quill")
    assert [t for _, t in rest if t.strip()] == ["First line of the poem."]


def test_take_title_leaves_a_body_without_title_alone():
    body = numbered("The spoon was late again.\nNobody minded.")
    assert take_title(body, "Something Else") == (body, None, None)


def test_drop_end_lines():
    body = numbered("A last line.\n\nTHE END OF THE FIRST BOOK.\nMore.\n\nThe End")
    assert [t for _, t in drop_end_lines(body) if t.strip()] == ["A last line.", "More."]


def test_skip_contents_in_prose_ends_where_the_first_entry_comes_back():
    body = numbered("CONTENTS\n\nThe Kettle\nThe Broom\n\nThe Kettle\n\nIt hummed all morning.")
    kept = [t for _, t in skip_contents(body) if t.strip()]
    assert kept == ["The Kettle", "It hummed all morning."]


def test_skip_contents_in_a_play_drops_the_run_of_headings():
    def heading(st: str) -> bool:
        return st.startswith(("ACT", "SCENE"))

    body = numbered("Contents\nACT I\nSCENE I\nACT II\n\nPersons of the play\n\nACT I")
    kept = [t for _, t in skip_contents(body, heading=heading, contents_entry=heading) if t.strip()]
    assert kept == ["Persons of the play", "ACT I"]
    # a heading before any "Contents" line: there is no table to drop
    plain = numbered("ACT I\nContents\nSCENE I")
    assert skip_contents(plain, heading=heading, contents_entry=heading) == plain


def test_an_end_of_file_byte_after_the_last_line_is_not_a_line():
    body, _fields = strip_licence(WRAPPED.replace("garden wall.\n", "garden wall.\n\x1a\n"), "eof.txt")
    assert [t for _n, t in body if t.strip()] == ["The gravel sings along the garden wall."]
    assert all("\x1a" not in t for _n, t in body)
